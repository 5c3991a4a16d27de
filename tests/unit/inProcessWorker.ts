import { createWorkerHandler, type HandlerOptions, type WorkerToMain } from '../../src/engine';
import type { EngineWorker } from '../../src/features/runs/runExecutor';

/** The real worker handler, in-process, delivering messages asynchronously like postMessage. */
export function inProcessWorker(options: HandlerOptions = {}): EngineWorker {
  const worker: EngineWorker = {
    onmessage: null,
    onerror: null,
    terminate() {},
    postMessage(message) {
      setTimeout(() => void handle(message), 0);
    },
  };
  const handle = createWorkerHandler((message: WorkerToMain) => {
    setTimeout(() => worker.onmessage?.({ data: message } as MessageEvent<WorkerToMain>), 0);
  }, options);
  return worker;
}
