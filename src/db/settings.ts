/**
 * Local preferences (never exported): the one way into the settings table, so
 * every write to it goes through the same quota guard as the rest of the data.
 * Called inside another repository's transaction (model replies, providers),
 * these join that transaction, and its commit is what the caller guards.
 */
import type { Setting } from '../domain';
import { db } from './database';
import { guardedWrite } from './errors';

/** The stored value, or `undefined` when the key was never set. */
export async function getSetting(key: string): Promise<unknown> {
  return (await db.settings.get(key))?.value;
}

/** Every setting whose key starts with `prefix` (one index range, no scan of the table). */
export async function listSettingsWithPrefix(prefix: string): Promise<Setting[]> {
  return db.settings.where('key').startsWith(prefix).toArray();
}

/** Stores the value; a full disk rejects with StorageFullError and leaves the old value in place. */
export async function putSetting(key: string, value: unknown): Promise<void> {
  await guardedWrite(() => db.settings.put({ key, value }));
}

export async function deleteSetting(key: string): Promise<void> {
  await guardedWrite(() => db.settings.delete(key));
}
