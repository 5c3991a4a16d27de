// A zod-validated structured answer: JSON-schema output (or a forced tool call where the server lacks it),
// then ONE repair round that feeds the validation errors back to the model.
import { z } from 'zod';
import { streamChat } from './client';
import { LlmError } from './errors';
import type { ChatMessage, ChatRequest, ChatResult, Usage } from './types';
import { addUsage } from './usage';

export type StructuredStrategy = 'json_schema' | 'tool';

export type StructuredRequest<T> = Omit<ChatRequest, 'responseFormat' | 'tools' | 'toolChoice'> & {
  name: string;
  schema: z.ZodType<T>;
  strategy?: StructuredStrategy;
  validate?: (value: T) => string[];
};

export interface StructuredResult<T> {
  value: T;
  raw: string;
  attempts: number;
  usage: Usage | null;
}

/** The JSON Schema sent to the model (draft 2020-12 without $schema, which some servers choke on). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** Models often wrap JSON in prose or ``` fences; take the outermost object or array. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    const start = candidate.search(/[[{]/);
    const end = Math.max(candidate.lastIndexOf('}'), candidate.lastIndexOf(']'));
    if (start >= 0 && end > start) return JSON.parse(candidate.slice(start, end + 1));
    throw new SyntaxError('no JSON object found');
  }
}

function issueSentence(issue: z.core.$ZodIssue): string {
  const path = issue.path.length
    ? issue.path
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
        .join('')
        .replace(/^\./, '')
    : 'the answer';
  return `${path}: ${issue.message}`;
}

function check<T>(
  raw: string,
  schema: z.ZodType<T>,
  validate?: (value: T) => string[],
): { value: T; problems: [] } | { value: null; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = extractJson(raw);
  } catch {
    return { value: null, problems: [raw.trim() ? 'The answer is not valid JSON.' : 'The answer was empty.'] };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) return { value: null, problems: result.error.issues.slice(0, 20).map(issueSentence) };
  const semantic = validate?.(result.data) ?? [];
  if (semantic.length) return { value: null, problems: semantic.slice(0, 20) };
  return { value: result.data, problems: [] };
}

function rawAnswer(result: ChatResult, strategy: StructuredStrategy, name: string): string {
  if (strategy === 'tool') {
    const call = result.toolCalls.find((candidate) => candidate.name === name) ?? result.toolCalls[0];
    if (call) return call.arguments;
  }
  return result.content;
}

async function ask<T>(
  request: StructuredRequest<T>,
  strategy: StructuredStrategy,
  messages: ChatMessage[],
  schemaJson: Record<string, unknown>,
): Promise<ChatResult> {
  const { name, schema: _schema, strategy: _strategy, validate: _validate, ...chat } = request;
  void _schema;
  void _strategy;
  void _validate;
  if (strategy === 'json_schema') return streamChat({ ...chat, messages, responseFormat: { name, schema: schemaJson } });
  return streamChat({
    ...chat,
    messages,
    tools: [{ name, description: `Give the answer as the arguments of ${name}.`, parameters: schemaJson }],
    toolChoice: { name },
  });
}

export async function generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
  const schemaJson = jsonSchemaOf(request.schema);
  let strategy: StructuredStrategy = request.strategy ?? 'json_schema';
  let messages = [...request.messages];
  let usage: Usage | null = null;
  let lastProblems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    let result: ChatResult;
    try {
      result = await ask(request, strategy, messages, schemaJson);
    } catch (error) {
      // A server without response_format support answers 400; a forced tool call is the portable fallback.
      if (strategy === 'json_schema' && error instanceof LlmError && error.code === 'bad_request') {
        strategy = 'tool';
        result = await ask(request, strategy, messages, schemaJson);
      } else {
        throw error;
      }
    }
    usage = addUsage(usage, result.usage);
    const raw = rawAnswer(result, strategy, request.name);
    const checked = check(raw, request.schema, request.validate);
    if (checked.value !== null) return { value: checked.value, raw, attempts: attempt, usage };
    lastProblems = checked.problems;
    messages = [
      ...messages,
      { role: 'assistant', content: raw },
      {
        role: 'user',
        content: `That answer does not fit the required structure:\n${checked.problems.map((problem) => `- ${problem}`).join('\n')}\nReply again with the complete corrected JSON only.`,
      },
    ];
  }
  throw new LlmError('invalid_output', "The model's answer did not fit the expected structure after one repair round.", {
    detail: lastProblems.join(' '),
    retryable: false,
  });
}
