import { isValidationError, validationSentence } from '../domain';

/** Thrown when IndexedDB refuses a write because the origin's quota is exhausted. */
export class StorageFullError extends Error {
  constructor(cause?: unknown) {
    super(
      'Storage is full: the browser refused to save more data. Nothing was changed. Free space by exporting and deleting old projects or runs.',
    );
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found.`);
    this.name = 'NotFoundError';
  }
}

function isQuotaError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { name?: string; inner?: unknown; cause?: unknown };
    if (candidate.name === 'QuotaExceededError' || candidate.name === 'StorageFullError') return true;
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

export function describeError(error: unknown): string {
  // zod's own message is a JSON dump of its issues; users get the first issue as a sentence.
  if (isValidationError(error)) return validationSentence(error);
  if (error instanceof Error) return error.message;
  return String(error);
}
