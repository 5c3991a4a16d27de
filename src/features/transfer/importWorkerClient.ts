/**
 * The page's side of the import worker: one worker per import, so a 75 MB file
 * is parsed and validated without freezing the page, and its records are held
 * by the worker until the user confirms. Failures come back as the same typed
 * import errors the in-page path returns.
 */
import { monotonicNow, writeImportRecords, type ImportedProject, type ProgressCallback } from '../../db';
import { MAX_IMPORT_BYTES, fileTooLargeError, type ImportRecords, type PreparedImportSummary } from '../../domain';
import type { ImportFailure } from '../../shared/errorText';
import { SLICED_TABLES, type FromImportWorker, type ImportRecordsHead, type ToImportWorker } from './importWorkerProtocol';

export type ImportOutcome<T> = { ok: true; value: T } | { ok: false; error: ImportFailure };

export interface WorkerPreparedImport {
  summary: PreparedImportSummary;
  /** Step 6: the worker sends the records with fresh ids, and they are written in one transaction. */
  commit: (onProgress?: ProgressCallback) => Promise<ImportOutcome<ImportedProject[]>>;
  /** Ends the worker and frees the records it holds. */
  dispose: () => void;
}

const WORKER_STOPPED = 'The import worker stopped unexpectedly.';

export function importWorkerAvailable(): boolean {
  return typeof Worker !== 'undefined';
}

/**
 * Steps 1–5 in a worker. Resolves with the preview, or with the error the in-page path would give. An abort (the user
 * closed the dialog) ends the worker at once and rejects with the signal's reason.
 */
export function prepareImportInWorker(
  file: Blob,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<ImportOutcome<WorkerPreparedImport>> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  if (file.size > MAX_IMPORT_BYTES) return Promise.resolve({ ok: false, error: fileTooLargeError(file.size, MAX_IMPORT_BYTES) });
  const worker = new Worker(new URL('./importPreparation.worker.ts', import.meta.url), { type: 'module', name: 'import' });
  const post = (message: ToImportWorker) => worker.postMessage(message);
  // The one listener of the moment: preparing, then (after confirmation) collecting the records.
  let onMessage: (message: FromImportWorker) => void = () => {};
  let onCrash: (detail: string) => void = () => {};
  worker.onmessage = (event: MessageEvent<FromImportWorker>) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    onCrash(event.message ? `${WORKER_STOPPED} (${event.message})` : WORKER_STOPPED);
  };
  worker.onmessageerror = () => onCrash(`${WORKER_STOPPED} (a message could not be read)`);
  const dispose = () => worker.terminate();

  const collectRecords = () =>
    new Promise<ImportOutcome<ImportRecords[]>>((resolve) => {
      const heads: ImportRecordsHead[] = [];
      const lists: Pick<ImportRecords, (typeof SLICED_TABLES)[number]>[] = [];
      onCrash = (detail) => resolve({ ok: false, error: { code: 'unexpected', detail } });
      onMessage = (message) => {
        if (message.type === 'failed') resolve({ ok: false, error: message.error });
        else if (message.type === 'project') {
          heads[message.index] = message.head;
          lists[message.index] = { chats: [], messages: [], runs: [], candidates: [], scenarios: [], evaluations: [] };
        } else if (message.type === 'rows') {
          const target = lists[message.index]![message.table] as unknown[];
          for (const row of message.rows) target.push(row);
        } else if (message.type === 'records-done') {
          resolve({ ok: true, value: heads.map((head, index): ImportRecords => ({ ...head, ...lists[index]! })) });
        }
      };
      post({ type: 'records', now: monotonicNow() });
    });

  return new Promise((resolve, reject) => {
    const fail = (error: ImportFailure) => {
      dispose();
      resolve({ ok: false, error });
    };
    const abandon = () => {
      dispose();
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', abandon, { once: true });
    onCrash = (detail) => fail({ code: 'unexpected', detail });
    onMessage = (message) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'failed') fail(message.error);
      else if (message.type === 'prepared') {
        // From here the preview owns the worker: the caller disposes of it.
        signal?.removeEventListener('abort', abandon);
        resolve({
          ok: true,
          value: {
            summary: message.summary,
            dispose,
            commit: async (onCommitProgress) => {
              onCommitProgress?.({ phase: 'writing', done: 0, total: 1 });
              const records = await collectRecords();
              if (!records.ok) return records;
              return writeImportRecords(records.value, { onProgress: onCommitProgress });
            },
          },
        });
      }
    };
    post({ type: 'prepare', file, now: monotonicNow() });
  });
}
