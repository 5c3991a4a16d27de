/**
 * The model path's codes in words: a sentence saying what happened and a fix saying what to do, worded for the
 * provider when one is known. errorSentence (./errorSentence.ts) uses it for every model error; screens that show
 * the fix on its own line call it directly. It works on the plain record too, so an error that crossed a worker
 * or was stored still reads the same.
 */
import type { LlmErrorCode, LlmFailure, ProviderIdentity } from '../domain';

/** An LlmError, or its plain-data record. */
export interface LlmErrorLike {
  code: LlmErrorCode;
  details: LlmFailure;
}

export interface LlmErrorDescription {
  sentence: string;
  fix: string | null;
}

function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return location?.origin && location.origin !== 'null' ? location.origin : "this app's address";
}

function corsFix(provider: ProviderIdentity | undefined): string {
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

function unreachableFix(provider: ProviderIdentity | undefined): string {
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

export function describeLlmError(error: LlmErrorLike, provider?: ProviderIdentity): LlmErrorDescription {
  const where = provider ? `${provider.name} (${provider.baseUrl})` : 'The model server';
  const keyFix =
    provider?.preset === 'ollama' || provider?.preset === 'lmstudio' || provider?.preset === 'llamacpp'
      ? 'Local servers usually need no key: clear the key field, or enter the key the server was started with.'
      : "Paste a valid API key for this provider (Settings → Models → Edit), and check it hasn't been revoked.";
  switch (error.code) {
    case 'cors_or_unreachable':
      if (error.details.reachable === true) {
        return { sentence: `${where} answered, but refused this page (CORS): the browser blocked the reply.`, fix: corsFix(provider) };
      }
      if (error.details.reachable === false) {
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
            : `This app calls plain-http model servers only on this computer (localhost, 127.0.0.1), so it does not call ${provider?.baseUrl ?? 'that address'}.`,
        fix:
          (globalThis as { location?: { protocol?: string } }).location?.protocol === 'https:'
            ? 'Use an https:// address for the server (e.g. behind a TLS proxy), use http://localhost on this machine, or open this app over http://localhost.'
            : 'Use an https:// address for the server (e.g. behind a TLS proxy), or run the model on this computer and call it as http://localhost… (that reaches [::1] too).',
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
        sentence: `${where} failed while answering${error.details.status ? ` (${error.details.status})` : ''}.`,
        fix: "Try again; if it keeps failing, check the server's log (the model may not be loaded or may have run out of memory).",
      };
    case 'bad_request':
      return {
        sentence: `${where} rejected the request${error.details.status ? ` (${error.details.status})` : ''}.`,
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
