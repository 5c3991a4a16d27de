// The language-model contract shared by the client, the model-backed stages and the chat features.
// See /work/notes/llm-contract.md; these signatures are stable.
import type { LlmErrorCode } from './errors';

// Providers are domain data (stored by db, used here); the types live in src/domain/provider.ts.
export type { ProviderConfig, ProviderPreset } from '../domain';
import type { ProviderConfig } from '../domain';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model produced it. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string | null;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type StreamEvent =
  | { type: 'content'; text: string }
  | { type: 'toolCall'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'retry'; attempt: number; reason: LlmErrorCode; delayMs: number };

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatRequest {
  provider: ProviderConfig;
  /** Defaults to provider.defaultModel. */
  model?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: 'auto' | 'required' | { name: string };
  /** Sent as response_format: {type:'json_schema', json_schema:{name, schema, strict}}. */
  responseFormat?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  signal?: AbortSignal;
  onEvent?: (event: StreamEvent) => void;
}

export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: Usage | null;
  model: string;
}
