/// <reference lib="webworker" />
/**
 * Import worker entry: parses, migrates and validates an import file off the
 * main thread. Started per import by importWorkerClient.ts.
 */
import { createImportWorkerHandler } from './importWorkerHandler';
import type { FromImportWorker, ToImportWorker } from './importWorkerProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createImportWorkerHandler((message: FromImportWorker) => scope.postMessage(message));

scope.onmessage = (event: MessageEvent<ToImportWorker>) => {
  void handle(event.data);
};
