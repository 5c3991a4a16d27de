import { asErrorRecord, EngineError, type ErrorRecord } from '../domain';
import { runPipeline, type PipelineOptions } from './pipeline';
import { isMainToWorker, type WorkerToMain } from './protocol';
import { CancelledError } from './types';

export type HandlerOptions = Pick<PipelineOptions, 'stages' | 'newId' | 'now' | 'yieldEveryMs'>;

/**
 * The worker's message handler as a plain function, so tests drive it without
 * a real Worker. Several runs may be in flight; each is cancelled by its id.
 * Returns the promise of the started run (tests await it; the worker ignores it).
 */
export function createWorkerHandler(post: (message: WorkerToMain) => void, options: HandlerOptions = {}) {
  const cancelled = new Set<string>();
  const active = new Set<string>();

  return function handle(message: unknown): Promise<void> {
    if (!isMainToWorker(message)) {
      const type = (message as { type?: unknown } | null)?.type;
      const runId = (message as { runId?: unknown } | null)?.runId;
      post({
        type: 'failed',
        runId: typeof runId === 'string' ? runId : '',
        error: new EngineError('invariant_broken', { what: `unknown message to the engine worker: ${String(type)}` }).toRecord(),
      });
      return Promise.resolve();
    }
    if (message.type === 'cancel') {
      if (active.has(message.runId)) cancelled.add(message.runId);
      return Promise.resolve();
    }
    const { input } = message;
    const runId = input.runId;
    active.add(runId);
    return runPipeline(input, {
      ...options,
      isCancelled: () => cancelled.has(runId),
      onProgress: (event) => post({ type: 'progress', runId, ...event }),
    })
      .then((result) => post({ type: 'done', runId, result }))
      .catch((error: unknown) => {
        if (error instanceof CancelledError) post({ type: 'cancelled', runId });
        else post({ type: 'failed', runId, error: failureRecord(error) });
      })
      .finally(() => {
        active.delete(runId);
        cancelled.delete(runId);
      });
  };
}

/** A pipeline failure as plain data: our errors as they are; anything else as an unexpected failure with its own text. */
function failureRecord(error: unknown): ErrorRecord {
  const record = asErrorRecord(error);
  if (record) return record;
  const what = error instanceof Error ? error.message || error.name : String(error);
  return new EngineError('unexpected_failure', { what }).toRecord();
}
