/** Durability: persistent storage and quota, from the StorageManager API where the browser has it. */

export interface StorageStatus {
  supported: boolean;
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

function manager(): StorageManager | null {
  return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null;
}

export async function readStorageStatus(): Promise<StorageStatus> {
  const storage = manager();
  if (!storage) return { supported: false, persisted: null, usageBytes: null, quotaBytes: null };
  const [persisted, estimate] = await Promise.all([
    storage.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { supported: true, persisted, usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}

/**
 * Asks the browser not to evict this origin's data. Chromium decides silently
 * (granted for installed apps and engaged sites); Firefox may ask the user.
 */
export async function ensurePersistentStorage(): Promise<boolean | null> {
  const storage = manager();
  if (!storage?.persist) return null;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return null;
  }
}
