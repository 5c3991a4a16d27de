// The OpenAI-compatible chat client: plain fetch + eventsource-parser, retries only before the first token.
import { CompletionStream, toUsage } from './completionStream';
import { LlmError } from './errors';
import { abortedError, httpError, joinUrl, mixedContentBlocked, networkError, requestHeaders, sleep } from './http';
import type { ChatMessage, ChatRequest, ChatResult, StreamEvent } from './types';

export const MAX_RETRIES = 2;
const BASE_DELAY_MS = 400;
const MAX_DELAY_MS = 8000;

function wireMessage(message: ChatMessage): Record<string, unknown> {
  const wire: Record<string, unknown> = { role: message.role, content: message.content };
  if (message.toolCalls?.length) {
    wire.tool_calls = message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  if (message.toolCallId) wire.tool_call_id = message.toolCallId;
  return wire;
}

/** The request body, exactly as sent. Exported for tests. */
export function chatBody(request: ChatRequest, stream = true): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model ?? request.provider.defaultModel,
    messages: request.messages.map(wireMessage),
    stream,
  };
  if (stream) body.stream_options = { include_usage: true };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    if (request.toolChoice) {
      body.tool_choice =
        typeof request.toolChoice === 'string' ? request.toolChoice : { type: 'function', function: { name: request.toolChoice.name } };
    }
  }
  if (request.responseFormat) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema, strict: true },
    };
  }
  return body;
}

function retryDelay(error: LlmError, attempt: number): number {
  if (error.retryAfterMs !== null) return Math.min(error.retryAfterMs, MAX_DELAY_MS * 4);
  return Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
}

/** A server that ignored stream:true and answered one JSON completion. */
function resultFromJson(text: string, requestedModel: string, onEvent?: (event: StreamEvent) => void): ChatResult {
  let parsed: {
    model?: string;
    choices?: Array<{
      message?: { content?: string | null; tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> };
      finish_reason?: string | null;
    }>;
    usage?: Parameters<typeof toUsage>[0];
  };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new LlmError('bad_response', "The model server's reply is neither a stream nor JSON.", {
      detail: text.slice(0, 200),
      retryable: false,
    });
  }
  const choice = parsed.choices?.[0];
  if (!choice)
    throw new LlmError('bad_response', "The model server's reply has no choices.", { detail: text.slice(0, 200), retryable: false });
  const content = choice.message?.content ?? '';
  if (content) onEvent?.({ type: 'content', text: content });
  const toolCalls = (choice.message?.tool_calls ?? []).map((call, index) => {
    const toolCall = { id: call.id ?? `call_${index}`, name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' };
    onEvent?.({ type: 'toolCall', index, id: toolCall.id, name: toolCall.name, argumentsDelta: toolCall.arguments });
    return toolCall;
  });
  return {
    content,
    toolCalls,
    finishReason: choice.finish_reason ?? null,
    usage: toUsage(parsed.usage),
    model: parsed.model ?? requestedModel,
  };
}

async function attempt(request: ChatRequest, stream: CompletionStream, model: string): Promise<ChatResult> {
  const { provider, signal } = request;
  let response: Response;
  try {
    response = await fetch(joinUrl(provider.baseUrl, 'chat/completions'), {
      method: 'POST',
      headers: requestHeaders(provider, true),
      body: JSON.stringify(chatBody(request)),
      signal,
    });
  } catch (error) {
    throw networkError(error, provider.baseUrl, signal);
  }
  if (!response.ok) throw await httpError(response);
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.includes('text/event-stream')) {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkError(error, provider.baseUrl, signal);
    }
    return resultFromJson(text, model, request.onEvent);
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        const failure = networkError(error, provider.baseUrl, signal);
        if (failure.code === 'aborted' || failure.code === 'timeout') throw failure;
        throw new LlmError('server_error', 'The connection to the model server dropped in the middle of its reply.', {
          cause: error,
          detail: failure.detail,
          retryable: !stream.started,
        });
      }
      if (chunk.done) break;
      stream.feedBytes(chunk.value);
      if (stream.done) break;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (signal?.aborted) throw abortedError(signal.reason);
  return stream.end();
}

/**
 * Streams one chat completion. Retries (at most MAX_RETRIES, honouring Retry-After) only on 429, 5xx and network
 * failures, and only while no token has been delivered — a retry after that would repeat text the user saw.
 */
export async function streamChat(request: ChatRequest): Promise<ChatResult> {
  const model = request.model ?? request.provider.defaultModel;
  if (mixedContentBlocked(request.provider.baseUrl)) {
    throw new LlmError('mixed_content', 'An https page cannot call a plain-http address.', { retryable: false });
  }
  for (let attemptNumber = 0; ; attemptNumber++) {
    if (request.signal?.aborted) throw abortedError(request.signal.reason);
    const stream = new CompletionStream(model, request.onEvent);
    try {
      return await attempt(request, stream, model);
    } catch (error) {
      const failure =
        error instanceof LlmError
          ? error
          : new LlmError('bad_response', 'The model client failed unexpectedly.', {
              cause: error,
              detail: String(error),
              retryable: false,
            });
      const canRetry = failure.retryable && !stream.started && attemptNumber < MAX_RETRIES && !request.signal?.aborted;
      if (!canRetry) throw failure;
      const delayMs = retryDelay(failure, attemptNumber + 1);
      request.onEvent?.({ type: 'retry', attempt: attemptNumber + 1, reason: failure.code, delayMs });
      await sleep(delayMs, request.signal);
    }
  }
}
