// Turns the bytes of an OpenAI-compatible SSE stream (chat.completion.chunk events) into StreamEvents and
// one ChatResult. Pure: no fetch, so tests can feed it recorded streams split anywhere.
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { LlmError } from './errors';
import type { ChatResult, StreamEvent, ToolCall, Usage } from './types';

interface ChunkToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

interface CompletionChunk {
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: { role?: string; content?: string | null; reasoning_content?: string | null; tool_calls?: ChunkToolCall[] | null };
    message?: { content?: string | null; tool_calls?: ChunkToolCall[] | null };
    finish_reason?: string | null;
  }> | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: { message?: string; code?: unknown; type?: string } | string;
}

export function toUsage(raw: CompletionChunk['usage']): Usage | null {
  if (!raw) return null;
  const promptTokens = Number(raw.prompt_tokens ?? 0);
  const completionTokens = Number(raw.completion_tokens ?? 0);
  const totalTokens = Number(raw.total_tokens ?? promptTokens + completionTokens);
  if (![promptTokens, completionTokens, totalTokens].every(Number.isFinite)) return null;
  return { promptTokens, completionTokens, totalTokens };
}

export class CompletionStream {
  private readonly parser: EventSourceParser;
  private readonly decoder = new TextDecoder();
  private content = '';
  private readonly calls = new Map<number, ToolCall>();
  private finishReason: string | null = null;
  private usage: Usage | null = null;
  private model: string;
  private failure: LlmError | null = null;
  /** True once a content or tool-call delta has been delivered (retries stop here). */
  started = false;
  /** True once `data: [DONE]` arrived. */
  done = false;

  constructor(
    requestedModel: string,
    private readonly onEvent?: (event: StreamEvent) => void,
  ) {
    this.model = requestedModel;
    this.parser = createParser({ onEvent: (message) => this.handle(message.data) });
  }

  /** Feeds raw bytes; multi-byte characters split across chunks are decoded correctly. */
  feedBytes(bytes: Uint8Array): void {
    this.feedText(this.decoder.decode(bytes, { stream: true }));
  }

  feedText(text: string): void {
    if (text) this.parser.feed(text);
    if (this.failure) throw this.failure;
  }

  /** The stream ended: flush the decoder and any unterminated last event. */
  end(): ChatResult {
    const tail = this.decoder.decode();
    // A blank line dispatches a last event the server did not terminate (harmless after a complete stream).
    this.parser.feed(`${tail}\n\n`);
    if (this.failure) throw this.failure;
    return this.result();
  }

  result(): ChatResult {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ ...call }));
    return { content: this.content, toolCalls, finishReason: this.finishReason, usage: this.usage, model: this.model };
  }

  private emit(event: StreamEvent): void {
    if (event.type !== 'retry') this.started = true;
    this.onEvent?.(event);
  }

  private handle(data: string): void {
    if (this.failure || this.done) return;
    const trimmed = data.trim();
    if (!trimmed) return;
    if (trimmed === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: CompletionChunk;
    try {
      chunk = JSON.parse(trimmed) as CompletionChunk;
    } catch {
      this.failure = new LlmError('bad_response', 'The model server sent a stream event that is not JSON.', {
        detail: trimmed.slice(0, 200),
        retryable: false,
      });
      return;
    }
    if (chunk.error) {
      const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown error');
      this.failure = new LlmError('server_error', 'The model server reported an error in the middle of its reply.', {
        detail: message,
        retryable: !this.started,
      });
      return;
    }
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    const usage = toUsage(chunk.usage);
    if (usage) this.usage = usage;
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta ?? choice.message ?? {};
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        this.content += delta.content;
        this.emit({ type: 'content', text: delta.content });
      }
      (delta.tool_calls ?? []).forEach((fragment, position) => this.addToolFragment(fragment, position));
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  private addToolFragment(fragment: ChunkToolCall, position: number): void {
    // Some servers omit `index` when they send each call whole; fall back to its position in the array.
    const index = typeof fragment.index === 'number' ? fragment.index : position;
    const existing = this.calls.get(index);
    const name = fragment.function?.name;
    const argumentsDelta = fragment.function?.arguments ?? '';
    if (!existing) {
      this.calls.set(index, { id: fragment.id ?? `call_${index}`, name: name ?? '', arguments: argumentsDelta });
    } else {
      if (fragment.id && existing.id.startsWith('call_') && existing.id === `call_${index}`) existing.id = fragment.id;
      // Names arrive whole in the first fragment; servers that repeat them must not double them.
      if (name && !existing.name) existing.name = name;
      existing.arguments += argumentsDelta;
    }
    const event: StreamEvent = { type: 'toolCall', index, argumentsDelta };
    if (fragment.id) event.id = fragment.id;
    if (name) event.name = name;
    this.emit(event);
  }
}
