// The server's model list and the Test-connection diagnosis.
import { LlmError } from './errors';
import { httpError, joinUrl, mixedContentBlocked, networkError, requestHeaders, serverRoot } from './http';
import type { ProviderConfig } from './types';

const TEST_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 3_000;

async function getJson(url: string, provider: ProviderConfig, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    // No body, so no Content-Type: without a key this stays a "simple" request that needs no preflight.
    response = await fetch(url, { method: 'GET', headers: requestHeaders(provider, false), signal });
  } catch (error) {
    throw networkError(error, provider.baseUrl, signal);
  }
  if (!response.ok) throw await httpError(response);
  try {
    return await response.json();
  } catch (error) {
    throw new LlmError('bad_response', `${url} did not answer JSON.`, { cause: error, retryable: false });
  }
}

function idsFromOpenAI(payload: unknown): string[] {
  const data = (payload as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new LlmError('bad_response', 'The model list has no `data` array.', { retryable: false });
  return data.map((entry) => (entry as { id?: unknown }).id).filter((id): id is string => typeof id === 'string' && id.length > 0);
}

function namesFromOllamaTags(payload: unknown): string[] {
  const models = (payload as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return [];
  return models
    .map((entry) => (entry as { name?: unknown; model?: unknown }).name ?? (entry as { model?: unknown }).model)
    .filter((name): name is string => typeof name === 'string' && name.length > 0);
}

/** GET {baseUrl}/models; for Ollama also {root}/api/tags (older builds list fewer models on /v1). */
export async function listModels(provider: ProviderConfig, signal?: AbortSignal): Promise<string[]> {
  if (mixedContentBlocked(provider.baseUrl))
    throw new LlmError('mixed_content', 'An https page cannot call a plain-http address.', { retryable: false });
  let openAiIds: string[] | null = null;
  let openAiFailure: LlmError | null = null;
  try {
    openAiIds = idsFromOpenAI(await getJson(joinUrl(provider.baseUrl, 'models'), provider, signal));
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    openAiFailure = error;
  }
  // Only a missing or unreadable /v1/models (older Ollama) falls back to /api/tags; a refused key or page is the answer.
  const tryTags =
    provider.preset === 'ollama' && (openAiFailure === null || openAiFailure.code === 'not_found' || openAiFailure.code === 'bad_response');
  if (!tryTags) {
    if (openAiFailure) throw openAiFailure;
    return openAiIds ?? [];
  }
  let tagNames: string[] = [];
  try {
    tagNames = namesFromOllamaTags(await getJson(joinUrl(serverRoot(provider.baseUrl), 'api/tags'), provider, signal));
  } catch (error) {
    if (openAiFailure) throw openAiFailure;
    if (!(error instanceof LlmError)) throw error;
  }
  if (openAiFailure && tagNames.length === 0) throw openAiFailure;
  return [...new Set([...(openAiIds ?? []), ...tagNames])];
}

/** Does anything answer at the server's root? An opaque (no-cors) request succeeds whenever the host answers,
 *  whatever its CORS policy — which is what tells "refused this page" from "nothing there". */
async function hostAnswers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(serverRoot(baseUrl) + '/', { mode: 'no-cors', method: 'GET', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

export type ConnectionResult = { ok: true; models: string[]; modelFound: boolean } | { ok: false; error: LlmError };

export async function testConnection(provider: ProviderConfig): Promise<ConnectionResult> {
  try {
    new URL(provider.baseUrl);
  } catch {
    return {
      ok: false,
      error: new LlmError('bad_request', `"${provider.baseUrl}" is not a URL.`, {
        detail: 'The base URL must look like http://localhost:11434/v1.',
        retryable: false,
      }),
    };
  }
  try {
    const models = await listModels(provider, AbortSignal.timeout(TEST_TIMEOUT_MS));
    const model = provider.defaultModel.trim();
    return { ok: true, models, modelFound: model === '' ? models.length > 0 : models.includes(model) };
  } catch (error) {
    const failure =
      error instanceof LlmError
        ? error
        : new LlmError('bad_response', 'The connection test failed unexpectedly.', { cause: error, detail: String(error) });
    if (failure.code !== 'cors_or_unreachable') return { ok: false, error: failure };
    const reachable = await hostAnswers(provider.baseUrl);
    return {
      ok: false,
      error: new LlmError(
        'cors_or_unreachable',
        reachable ? 'The server answered but refused this page (CORS).' : 'Nothing answered at that address.',
        {
          cause: failure,
          detail: failure.detail,
          reachable,
          retryable: false,
        },
      ),
    };
  }
}
