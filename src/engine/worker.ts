/// <reference lib="webworker" />
/** Engine worker entry: `new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' })`. */
import type { WorkerToMain } from './protocol';
import { createWorkerHandler } from './workerHandler';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createWorkerHandler((message: WorkerToMain) => scope.postMessage(message));
scope.onmessage = (event: MessageEvent<unknown>) => {
  void handle(event.data);
};
