/**
 * The one storage-full sentence on screen. Writes that fail for lack of space
 * are caught where they happen (a run's results, the start-up sweep, a setting),
 * and those places announce it here; the app's banner shows the latest one.
 * A module-level store, not context: the start-up sweep and the run executor
 * live outside React.
 */

import { asErrorRecord } from '../domain';
import { errorSentence } from './errorSentence';

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
 * Announces the storage-full sentence if the error is the db layer's storage_full, and says whether it was.
 * Recognised by its layer and code: this layer may not import the db layer.
 */
export function reportIfStorageFull(error: unknown): boolean {
  const record = asErrorRecord(error);
  if (record?.layer !== 'db' || record.code !== 'storage_full') return false;
  announceStorageFull(errorSentence(record));
  return true;
}
