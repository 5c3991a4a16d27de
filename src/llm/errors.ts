import type { ProviderConfig } from './types';

// Typed failures of the model path. describeLlmError (below) is the one place codes become sentences.
export type LlmErrorCode =
  | 'cors_or_unreachable'
  | 'mixed_content'
  | 'offline'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'bad_response'
  | 'aborted'
  | 'invalid_output'
  | 'timeout';

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

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly status: number | null;
  /** The server's own words (its error.message) or our validation sentences; shown under the sentence. */
  readonly detail: string | null;
  readonly retryable: boolean;
  readonly reachable: boolean | null;
  readonly retryAfterMs: number | null;

  constructor(code: LlmErrorCode, message: string, options: LlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.code = code;
    this.status = options.status ?? null;
    this.detail = options.detail ?? null;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.reachable = options.reachable ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
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

// ---------------------------------------------------------------------------
// Codes → sentences. The only place in the app where this mapping lives.

export interface LlmErrorDescription {
  sentence: string;
  fix: string | null;
}

function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return location?.origin && location.origin !== 'null' ? location.origin : "this app's address";
}

function corsFix(provider: ProviderConfig | undefined): string {
  const origin = pageOrigin();
  switch (provider?.preset) {
    case 'ollama':
      return `Ollama refuses pages it doesn't know. Allow this page by setting OLLAMA_ORIGINS=${origin} and restarting Ollama — e.g. \`OLLAMA_ORIGINS=${origin} ollama serve\`; on macOS \`launchctl setenv OLLAMA_ORIGINS "${origin}"\` then quit and reopen Ollama; on Windows set it under Environment Variables and restart Ollama.`;
    case 'lmstudio':
      return 'In LM Studio open the Developer tab → server settings and turn on "Enable CORS" (or start it with `lms server start --cors`), then try again.';
    case 'llamacpp':
      return `Start llama-server so that it answers cross-origin requests from ${origin} (put it behind a proxy that adds the CORS headers if your build refuses them).`;
    case 'openai':
    case 'openrouter':
      return 'Check that this browser can reach the internet and that no extension or proxy blocks the address.';
    default:
      return `Allow cross-origin requests from ${origin} in the server's CORS setting, then try again.`;
  }
}

function unreachableFix(provider: ProviderConfig | undefined): string {
  switch (provider?.preset) {
    case 'ollama':
      return 'Start Ollama (`ollama serve`, or open the Ollama app) and check the address; the default is http://localhost:11434/v1.';
    case 'lmstudio':
      return 'In LM Studio start the local server (Developer tab → Start server) and check the port; the default is http://localhost:1234/v1.';
    case 'llamacpp':
      return 'Start llama-server (e.g. `llama-server -m model.gguf --port 8080`) and check the address; the default is http://localhost:8080/v1.';
    default:
      return 'Check the address and that the server is running.';
  }
}

export function describeLlmError(error: LlmError, provider?: ProviderConfig): LlmErrorDescription {
  const where = provider ? `${provider.name} (${provider.baseUrl})` : 'The model server';
  const keyFix =
    provider?.preset === 'ollama' || provider?.preset === 'lmstudio' || provider?.preset === 'llamacpp'
      ? 'Local servers usually need no key: clear the key field, or enter the key the server was started with.'
      : "Paste a valid API key for this provider (Settings → Models → Edit), and check it hasn't been revoked.";
  switch (error.code) {
    case 'cors_or_unreachable':
      if (error.reachable === true) {
        return { sentence: `${where} answered, but refused this page (CORS): the browser blocked the reply.`, fix: corsFix(provider) };
      }
      if (error.reachable === false) {
        return { sentence: `${where} could not be reached: nothing answered at that address.`, fix: unreachableFix(provider) };
      }
      return {
        sentence: `${where} could not be reached, or it refused this page (CORS).`,
        fix: `${unreachableFix(provider)} If it is running: ${corsFix(provider)}`,
      };
    case 'mixed_content':
      return {
        sentence:
          (globalThis as { location?: { protocol?: string } }).location?.protocol === 'https:'
            ? `This page is served over HTTPS, so the browser blocks calls to the plain-http address ${provider?.baseUrl ?? ''}`.trimEnd() +
              '.'
            : `This app calls plain-http model servers only on this computer (localhost, 127.0.0.1, [::1]), so it does not call ${provider?.baseUrl ?? 'that address'}.`,
        fix:
          (globalThis as { location?: { protocol?: string } }).location?.protocol === 'https:'
            ? 'Use an https:// address for the server (e.g. behind a TLS proxy), use http://localhost on this machine, or open this app over http://localhost.'
            : 'Use an https:// address for the server (e.g. behind a TLS proxy), or run the model on this computer (http://localhost…).',
      };
    case 'offline':
      return {
        sentence: 'This device is offline, so the model server cannot be reached.',
        fix: 'Reconnect to the network, or use a model running on this machine (http://localhost…).',
      };
    case 'unauthorized':
      return { sentence: `${where} rejected the API key (401 Unauthorized).`, fix: keyFix };
    case 'forbidden':
      return {
        sentence: `${where} refused the request (403 Forbidden): the key lacks access to this model or endpoint.`,
        fix: provider?.preset === 'ollama' ? `${keyFix} If Ollama sent this, it may be refusing this page: ${corsFix(provider)}` : keyFix,
      };
    case 'not_found':
      return {
        sentence: `${where} has no such model or path (404 Not Found).`,
        fix: "Check that the base URL ends in /v1 (the OpenAI-compatible root) and pick a model from the server's list.",
      };
    case 'rate_limited':
      return {
        sentence: `${where} is rate-limiting requests (429 Too Many Requests).`,
        fix: "Wait a moment and try again, or check the plan's limits.",
      };
    case 'server_error':
      return {
        sentence: `${where} failed while answering${error.status ? ` (${error.status})` : ''}.`,
        fix: "Try again; if it keeps failing, check the server's log (the model may not be loaded or may have run out of memory).",
      };
    case 'bad_request':
      return {
        sentence: `${where} rejected the request${error.status ? ` (${error.status})` : ''}.`,
        fix: 'The model or server may not support this kind of request; try another model.',
      };
    case 'bad_response':
      return {
        sentence: `${where} sent a reply this app could not read.`,
        fix: 'Check that the address is an OpenAI-compatible /v1 endpoint.',
      };
    case 'aborted':
      return { sentence: 'The request was stopped.', fix: null };
    case 'invalid_output':
      return {
        sentence: "The model's answer did not fit the expected structure, even after one correction round.",
        fix: 'Try again, or use a larger or more capable model.',
      };
    case 'timeout':
      return { sentence: `${where} took too long to answer.`, fix: 'The model may still be loading; try again in a moment.' };
  }
}
