/**
 * The one storage-full sentence on screen. Writes that fail for lack of space
 * are caught where they happen (a run's results, the start-up sweep, a setting),
 * and those places announce it here; the app's banner shows the latest one.
 * A module-level store, not context: the start-up sweep and the run executor
 * live outside React.
 */

let current: string | null = null;
const listeners = new Set<() => void>();

function notify() {
  for (const listener of listeners) listener();
}

export function announceStorageFull(sentence: string): void {
  current = sentence;
  notify();
}

export function dismissStorageFull(): void {
  current = null;
  notify();
}

export function currentStorageFullNotice(): string | null {
  return current;
}

export function subscribeStorageFullNotice(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Announces the error's sentence if it is the db layer's StorageFullError, and says whether it was. Recognised by
 * name: this layer may not import the db layer.
 */
export function reportIfStorageFull(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'StorageFullError') return false;
  announceStorageFull(error.message);
  return true;
}
