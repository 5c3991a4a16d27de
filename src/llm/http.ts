// The one way the model client talks HTTP: plain fetch, only the headers a CORS-strict local server accepts,
// and failures turned into LlmError codes.
import { LlmError, codeForStatus } from './errors';
import { POLICY_HTTP_HOSTS } from './policyHosts';
import type { ProviderConfig } from './types';

/** Content-Type (only when there is a body) and Authorization (only when a key is set). Nothing else: extra
 *  headers such as the openai package's x-stainless-* force a preflight that several local servers refuse. */
export function requestHeaders(provider: ProviderConfig, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  if (hasBody) headers['Content-Type'] = 'application/json';
  const key = provider.apiKey?.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  return headers;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The server root for the non-/v1 endpoints (Ollama's /api/tags). */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.endsWith('.localhost');
}

/** True when the page carries the built app's Content-Security-Policy, which allows plain http only to loopback (docs/security.md). */
function policyAllowsOnlyLoopbackHttp(): boolean {
  const doc = (globalThis as { document?: { querySelector?: (selector: string) => unknown } }).document;
  return Boolean(doc?.querySelector?.('meta[http-equiv="Content-Security-Policy"]'));
}

/**
 * A plain-http address other than this computer's cannot be called: an https page may not call it (browsers exempt
 * loopback addresses), and the built app's Content-Security-Policy admits only the hosts it names, on any page.
 */
export function mixedContentBlocked(baseUrl: string): boolean {
  const page = (globalThis as { location?: { protocol?: string } }).location;
  const underPolicy = policyAllowsOnlyLoopbackHttp();
  if (page?.protocol !== 'https:' && !underPolicy) return false;
  try {
    const target = new URL(baseUrl);
    if (target.protocol !== 'http:') return false;
    return underPolicy ? !(POLICY_HTTP_HOSTS as readonly string[]).includes(target.hostname) : !isLoopbackHost(target.hostname);
  } catch {
    return false;
  }
}

function navigatorOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return nav?.onLine === false;
}

export function abortedError(cause?: unknown): LlmError {
  return new LlmError('aborted', 'The request was stopped.', { cause, retryable: false });
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return (error as { name?: string } | null)?.name === 'AbortError';
}

/** A fetch that rejected (no HTTP status): aborted, offline, mixed content, or CORS/unreachable. */
export function networkError(error: unknown, baseUrl: string, signal?: AbortSignal): LlmError {
  if (isAbort(error, signal)) {
    const reason = signal?.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') return new LlmError('timeout', 'The model server took too long to answer.', { cause: error });
    return abortedError(error);
  }
  if (navigatorOffline()) return new LlmError('offline', 'This device is offline.', { cause: error, retryable: false });
  if (mixedContentBlocked(baseUrl))
    return new LlmError('mixed_content', 'An https page cannot call a plain-http address.', { cause: error, retryable: false });
  const text = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
  return new LlmError('cors_or_unreachable', `Could not reach ${baseUrl}.`, { cause: error, detail: text });
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/** Reads an OpenAI-shaped `{error:{message}}` (or any text) from a failed response. */
export async function httpError(response: Response): Promise<LlmError> {
  let detail: string | null = null;
  try {
    const text = await response.text();
    try {
      const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
      const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
      detail = typeof message === 'string' ? message : text.slice(0, 300);
    } catch {
      detail = text.slice(0, 300) || null;
    }
  } catch {
    detail = null;
  }
  const code = codeForStatus(response.status);
  return new LlmError(code, `The model server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`, {
    status: response.status,
    detail,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/** Waits, unless aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal.reason));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
