import { DbError } from '../domain';

/** Thrown when IndexedDB refuses a write because the origin's quota is exhausted. */
export class StorageFullError extends DbError<'storage_full'> {
  constructor(cause?: unknown) {
    super('storage_full', {}, { cause });
  }
}

export class NotFoundError extends DbError<'not_found'> {
  constructor(what: string, id: string) {
    super('not_found', { what, id });
  }
}

function isQuotaError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { name?: string; inner?: unknown; cause?: unknown };
    if (candidate.name === 'QuotaExceededError' || current instanceof StorageFullError) return true;
    current = candidate.inner ?? candidate.cause;
  }
  return false;
}

/**
 * Runs a write and turns quota failures into StorageFullError. Dexie aborts the
 * whole transaction on failure, so nothing half-written remains.
 */
export async function guardedWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(error);
    throw error;
  }
}

/** The browser's own words for a failure that is not ours (a DOMException, say), to put inside a sentence as its detail. */
export function causeDetail(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
