/**
 * One import at a time, wherever it starts (file picker, drop on the project
 * list, a file opened from the operating system): a tiny store the dialog
 * subscribes to. Keeping it outside React means a file delivered by
 * launchQueue before the project list mounts is not lost.
 */
import { commitImport, prepareImport, type ImportedProject, type TransferProgress } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { PreparedImportSummary } from '../../domain';
import type { ImportFailure } from '../../shared/errorText';
import { importWorkerAvailable, prepareImportInWorker, type ImportOutcome } from './importWorkerClient';
import { ensurePersistentStorage } from './storage';

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'reading'; fileName: string; progress: TransferProgress | null }
  | { phase: 'preview'; fileName: string; prepared: PreparedImportSummary }
  | { phase: 'writing'; fileName: string; prepared: PreparedImportSummary; progress: TransferProgress | null }
  | { phase: 'error'; fileName: string; error: ImportFailure }
  | { phase: 'done'; fileName: string; imported: ImportedProject[] };

let state: ImportState = { phase: 'idle' };

/** How the previewed import is written, and how its held records are let go: in the worker, or on this page where there is none. */
interface PendingCommit {
  commit: (onProgress: (progress: TransferProgress) => void) => Promise<ImportOutcome<ImportedProject[]>>;
  dispose: () => void;
}
let pending: PendingCommit | null = null;

function releasePending() {
  pending?.dispose();
  pending = null;
}

/** Ends the file being read when the user closes the dialog: its worker stops, and its preview never opens. */
let reading: AbortController | null = null;
const listeners = new Set<() => void>();

function set(next: ImportState) {
  state = next;
  for (const listener of listeners) listener();
}

export function getImportState(): ImportState {
  return state;
}

export function subscribeImportState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Steps 1–5, in a worker where there is one: reads and checks the file, then shows the preview (or the error). Writes nothing. */
export async function startImport(file: Blob, fileName: string): Promise<void> {
  if (state.phase === 'reading' || state.phase === 'writing') return;
  releasePending();
  const attempt = new AbortController();
  reading = attempt;
  const { signal } = attempt;
  set({ phase: 'reading', fileName, progress: null });
  const onProgress = (progress: TransferProgress) => {
    if (state.phase === 'reading' && !signal.aborted) set({ phase: 'reading', fileName, progress });
  };
  try {
    if (importWorkerAvailable()) {
      const result = await prepareImportInWorker(file, onProgress, signal);
      if (signal.aborted) {
        if (result.ok) result.value.dispose();
        return;
      }
      if (!result.ok) return set({ phase: 'error', fileName, error: result.error });
      pending = result.value;
      set({ phase: 'preview', fileName, prepared: result.value.summary });
    } else {
      // On this page the reading cannot be stopped half-way; its result is dropped instead.
      const result = await prepareImport(file, { onProgress });
      if (signal.aborted) return;
      if (!result.ok) return set({ phase: 'error', fileName, error: result.error });
      const prepared = result.value;
      pending = { commit: (progress) => commitImport(prepared, { onProgress: progress }), dispose: () => {} };
      set({ phase: 'preview', fileName, prepared });
    }
  } catch (error) {
    if (signal.aborted) return;
    set({ phase: 'error', fileName, error: { code: 'unreadable', detail: errorSentence(error) } });
  } finally {
    if (reading === attempt) reading = null;
  }
}

/** Step 6, on the user's confirmation. */
export async function confirmImport(): Promise<ImportedProject[] | null> {
  if (state.phase !== 'preview' || !pending) return null;
  const { fileName, prepared } = state;
  const { commit } = pending;
  set({ phase: 'writing', fileName, prepared, progress: null });
  try {
    const result = await commit((progress) => {
      if (state.phase === 'writing') set({ phase: 'writing', fileName, prepared, progress });
    });
    if (!result.ok) {
      set({ phase: 'error', fileName, error: result.error });
      return null;
    }
    set({ phase: 'done', fileName, imported: result.value });
    void ensurePersistentStorage();
    return result.value;
  } catch (error) {
    set({
      phase: 'error',
      fileName,
      error: { code: 'unexpected', detail: errorSentence(error) },
    });
    return null;
  } finally {
    releasePending();
  }
}

/** Closes the dialog: a file still being read is let go (its worker ends), a previewed one is released. Never mid-write. */
export function closeImport(): void {
  if (state.phase === 'writing') return;
  reading?.abort();
  reading = null;
  releasePending();
  set({ phase: 'idle' });
}

// --- Files opened from the operating system (manifest file_handlers) ---------------------------

interface LaunchParams {
  files: readonly { getFile(): Promise<File> }[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

let launchQueueWatched = false;

/** Idempotent; call once at start-up. Browsers without launchQueue simply never deliver files. */
export function watchLaunchQueue(): void {
  if (launchQueueWatched || typeof window === 'undefined') return;
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue) return;
  launchQueueWatched = true;
  queue.setConsumer((params) => {
    const [handle] = params.files;
    if (!handle) return;
    void handle.getFile().then(
      (file) => startImport(file, file.name),
      (error: unknown) =>
        set({
          phase: 'error',
          fileName: 'opened file',
          error: { code: 'unreadable', detail: errorSentence(error) },
        }),
    );
  });
}
