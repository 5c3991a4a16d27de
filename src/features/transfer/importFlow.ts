/**
 * One import at a time, wherever it starts (file picker, drop on the project
 * list, a file opened from the operating system): a tiny store the dialog
 * subscribes to. Keeping it outside React means a file delivered by
 * launchQueue before the project list mounts is not lost.
 */
import { commitImport, describeError, prepareImport, type ImportedProject, type PreparedImport, type TransferProgress } from '../../db';
import type { ImportFailure } from '../../shared/errorText';
import { ensurePersistentStorage } from './storage';

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'reading'; fileName: string; progress: TransferProgress | null }
  | { phase: 'preview'; fileName: string; prepared: PreparedImport }
  | { phase: 'writing'; fileName: string; prepared: PreparedImport; progress: TransferProgress | null }
  | { phase: 'error'; fileName: string; error: ImportFailure }
  | { phase: 'done'; fileName: string; imported: ImportedProject[] };

let state: ImportState = { phase: 'idle' };
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

/** Steps 1–5: reads and checks the file, then shows the preview (or the error). Writes nothing. */
export async function startImport(file: Blob, fileName: string): Promise<void> {
  if (state.phase === 'reading' || state.phase === 'writing') return;
  set({ phase: 'reading', fileName, progress: null });
  try {
    const result = await prepareImport(file, {
      onProgress: (progress) => {
        if (state.phase === 'reading') set({ phase: 'reading', fileName, progress });
      },
    });
    set(result.ok ? { phase: 'preview', fileName, prepared: result.value } : { phase: 'error', fileName, error: result.error });
  } catch (error) {
    set({ phase: 'error', fileName, error: { code: 'unreadable', detail: describeError(error) } });
  }
}

/** Step 6, on the user's confirmation. */
export async function confirmImport(): Promise<ImportedProject[] | null> {
  if (state.phase !== 'preview') return null;
  const { fileName, prepared } = state;
  set({ phase: 'writing', fileName, prepared, progress: null });
  try {
    const result = await commitImport(prepared, {
      onProgress: (progress) => {
        if (state.phase === 'writing') set({ phase: 'writing', fileName, prepared, progress });
      },
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
      error: { code: 'unexpected', detail: describeError(error) },
    });
    return null;
  }
}

export function closeImport(): void {
  if (state.phase === 'writing') return;
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
          error: { code: 'unreadable', detail: describeError(error) },
        }),
    );
  });
}
