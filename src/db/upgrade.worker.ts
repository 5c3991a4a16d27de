/// <reference lib="webworker" />
/**
 * Upgrade worker entry: Dexie's upgrade of an older version's records (every record read, migrated and written
 * again) runs on this thread rather than the page's. Started by upgradeInWorker.ts only when the installed
 * version is older than the code's.
 */
import { handleUpgradeRequest } from './upgradeWorkerHandler';
import type { FromUpgradeWorker, ToUpgradeWorker } from './upgradeWorkerProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<ToUpgradeWorker>) => {
  void handleUpgradeRequest(event.data, (message: FromUpgradeWorker) => scope.postMessage(message));
};
