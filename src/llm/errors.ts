import { LlmErrorBase, type LlmErrorCode, type LlmFailure } from '../domain';

// Typed failures of the model path. Their codes and data are the domain's (src/domain/errors.ts); the UI words
// them in src/shared/llmErrorText.ts.
export type { LlmErrorCode } from '../domain';

const RETRYABLE: ReadonlySet<LlmErrorCode> = new Set(['cors_or_unreachable', 'rate_limited', 'server_error', 'timeout']);

export interface LlmErrorOptions {
  status?: number | null;
  detail?: string | null;
  retryable?: boolean;
  cause?: unknown;
  /** Whether the host answered something (a probe saw it alive) — set by testConnection's diagnosis. */
  reachable?: boolean | null;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number | null;
}

export class LlmError extends LlmErrorBase {
  /** @param message what happened, for the console and tests (the UI words the code, not this) */
  constructor(code: LlmErrorCode, message: string, options: LlmErrorOptions = {}) {
    const details: LlmFailure = {
      status: options.status ?? null,
      detail: options.detail ?? null,
      retryable: options.retryable ?? RETRYABLE.has(code),
      reachable: options.reachable ?? null,
      retryAfterMs: options.retryAfterMs ?? null,
    };
    super(code, details, { cause: options.cause });
    this.message = message;
  }
  get status(): number | null {
    return this.details.status;
  }
  /** The server's own words (its error.message) or our validation sentences; shown under the sentence. */
  get detail(): string | null {
    return this.details.detail;
  }
  get retryable(): boolean {
    return this.details.retryable;
  }
  get reachable(): boolean | null {
    return this.details.reachable;
  }
  get retryAfterMs(): number | null {
    return this.details.retryAfterMs;
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}

/** Maps an HTTP status to the code the rest of the app understands. */
export function codeForStatus(status: number): LlmErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}
