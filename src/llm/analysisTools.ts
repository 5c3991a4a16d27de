/**
 * Analysis chats with a model: the model answers free-text questions about a
 * run, and gets the run's data only through tools that wrap the existing
 * analysis commands (src/engine/analysis: summary, top, why, compare,
 * scenarios, what-if re-rank). A tool's result is exactly the text the
 * offline analysis Architect would reply to the same command, so the numbers
 * the model sees are the app's numbers, formatted the app's way; the answer is
 * then checked against them (numberCheck.ts).
 */
import { z } from 'zod';
import { shortId } from '../domain';
import { respondAnalysis, type RunData } from '../engine/analysis';
import { checkNumbers } from './numberCheck';
import type { ChatMessage, ChatRequest, ChatResult, StreamEvent, ToolCall, ToolDefinition, Usage } from './types';
import { addUsage } from './usage';

const candidateRef = z.string().trim().min(1, 'name a candidate: its rank such as "#2", or its label');

/** Each tool: its arguments' schema (for the model and for checking what it sent) and the analysis command it runs. */
const TOOL_SPECS = {
  run_summary: {
    description: 'The run summary: how many candidates and scenarios, the top 3 and the key findings.',
    args: z.object({}),
    command: () => 'summary',
  },
  top_candidates: {
    description: 'The best N candidates with rank, status, I (= P/R), P (prediction quality) and R (resource cost).',
    args: z.object({ count: z.number().int().min(1).max(50).describe('how many, 1 to 50') }),
    command: (args: { count: number }) => `top ${args.count}`,
  },
  why_candidate: {
    description:
      'Why one candidate ranks where it does: its scores per constraint, what speaks for and against it, and the gap to the one above.',
    args: z.object({ candidate: candidateRef.describe('rank such as "#2", or the candidate label') }),
    command: (args: { candidate: string }) => `why ${args.candidate}`,
  },
  compare_candidates: {
    description: 'Two candidates side by side: their different choices, constraint scores, P, R and I.',
    args: z.object({
      a: candidateRef.describe('first candidate: "#1" or a label'),
      b: candidateRef.describe('second candidate: "#3" or a label'),
    }),
    command: (args: { a: string; b: string }) => `compare ${args.a} vs ${args.b}`,
  },
  list_scenarios: {
    description: 'The run’s scenarios with their type, weight and description.',
    args: z.object({}),
    command: () => 'scenarios',
  },
  scenario_results: {
    description: 'How the candidates fared in one scenario, best first.',
    args: z.object({ scenario: z.string().trim().min(1).describe('scenario name, or its number such as "2"') }),
    command: (args: { scenario: string }) => `scenario ${args.scenario}`,
  },
  what_if_weights: {
    description: 'Re-rank the stored evaluations with changed constraint weights (0–100, 100 = hard), without a new run.',
    args: z.object({
      changes: z
        .array(z.object({ constraint: z.string().trim().min(1).describe('constraint name'), weight: z.number().int().min(0).max(100) }))
        .min(1),
    }),
    command: (args: { changes: { constraint: string; weight: number }[] }) =>
      `what if ${args.changes.map((change) => `${change.constraint} weight ${change.weight}`).join(', ')}`,
  },
} as const;

export type AnalysisToolName = keyof typeof TOOL_SPECS;

function parametersOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export const ANALYSIS_TOOLS: readonly ToolDefinition[] = Object.entries(TOOL_SPECS).map(([name, spec]) => ({
  name,
  description: spec.description,
  parameters: parametersOf(spec.args),
}));

export interface ToolResultRecord {
  tool: string;
  args: string;
  result: string;
}

/**
 * Runs one tool call against the run. Bad arguments, an unknown tool or a
 * rejected command come back as a result that says what is wrong, so the
 * model can correct itself in the next round instead of the chat failing.
 */
export async function executeAnalysisTool(
  data: RunData,
  focusCandidateId: string | null,
  call: Pick<ToolCall, 'name' | 'arguments'>,
): Promise<string> {
  const spec = (TOOL_SPECS as Record<string, (typeof TOOL_SPECS)[AnalysisToolName]>)[call.name];
  if (!spec) return `Error: there is no tool "${call.name}". The tools are: ${Object.keys(TOOL_SPECS).join(', ')}.`;
  let raw: unknown;
  try {
    raw = call.arguments.trim() ? JSON.parse(call.arguments) : {};
  } catch {
    return `Error: the arguments of ${call.name} are not valid JSON.`;
  }
  const parsed = spec.args.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
    return `Error: bad arguments for ${call.name} (${problems}).`;
  }
  const command = (spec.command as (args: unknown) => string)(parsed.data);
  const reply = await respondAnalysis({ data, focusCandidateId, userText: command });
  return reply.outcome === 'rejected' ? `Error: ${reply.text}` : reply.text;
}

/** What the model is told about the run: names only (no scores), so every number it states must come from a tool. */
export function analysisSystemPrompt(data: RunData, focusCandidateId: string | null): string {
  const spec = data.run.specSnapshot;
  const ranked = [...data.candidates].sort((a, b) => a.rank - b.rank);
  const focus = ranked.find((candidate) => candidate.id === focusCandidateId);
  return [
    `You are the analysis assistant of Int Crucible, a reasoning workbench. You answer questions about Run ${shortId(data.run.id)}, a trade study that ranked design candidates by I = P / R (P = prediction quality, R = resource cost).`,
    'Get every fact from the tools; call as many as you need before answering. Never state a number that is not in a tool result or in the question: quote numbers exactly as the tools give them, and do not compute new ones (no differences, ratios or averages the tools did not report). If the tools cannot answer, say so.',
    'Answer briefly, in plain sentences or a short list; refer to candidates by rank and label (e.g. "#1 OPFS + CRDT").',
    `Constraints: ${spec.constraints.map((constraint) => constraint.name).join('; ') || 'none'}.`,
    `Candidates, best first: ${
      ranked
        .slice(0, 30)
        .map((candidate) => `#${candidate.rank} ${candidate.label}`)
        .join('; ') || 'none'
    }${ranked.length > 30 ? '; …' : ''}.`,
    `Scenarios: ${
      [...data.scenarios]
        .sort((a, b) => a.index - b.index)
        .map((scenario) => scenario.name)
        .join('; ') || 'none'
    }.`,
    focus ? `This chat is about candidate #${focus.rank} ${focus.label}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export interface ToolLoopRequest {
  streamChat: (request: ChatRequest) => Promise<ChatResult>;
  /** Provider, model, signal: everything but messages, tools and onEvent. */
  base: Omit<ChatRequest, 'messages' | 'tools' | 'toolChoice' | 'onEvent'>;
  messages: ChatMessage[];
  tools: readonly ToolDefinition[];
  execute: (call: ToolCall) => Promise<string>;
  /** Rounds that may call tools; one more, without tools, forces the final answer. */
  maxToolRounds?: number;
  /** `round` starts at 1; content events of a round replace the previous round's text. */
  onEvent?: (event: StreamEvent, round: number) => void;
  onToolResult?: (record: ToolResultRecord) => void;
}

export interface ToolLoopResult {
  content: string;
  toolResults: ToolResultRecord[];
  usage: Usage | null;
  model: string;
  rounds: number;
}

/**
 * The OpenAI tool-calling flow: the model answers with tool_calls, each call's
 * result goes back as a role:"tool" message with its tool_call_id, and the
 * model is asked again — until it answers in text, or after `maxToolRounds`
 * rounds, when tools are withdrawn so it must answer with what it has.
 */
export async function runToolLoop(request: ToolLoopRequest): Promise<ToolLoopResult> {
  const maxToolRounds = request.maxToolRounds ?? 4;
  const messages = [...request.messages];
  const toolResults: ToolResultRecord[] = [];
  let usage: Usage | null = null;
  for (let round = 1; ; round++) {
    const offerTools = round <= maxToolRounds;
    const result = await request.streamChat({
      ...request.base,
      messages,
      ...(offerTools ? { tools: [...request.tools], toolChoice: 'auto' as const } : {}),
      onEvent: (event) => request.onEvent?.(event, round),
    });
    usage = addUsage(usage, result.usage);
    if (!offerTools || !result.toolCalls.length) {
      return { content: result.content, toolResults, usage, model: result.model, rounds: round };
    }
    messages.push({ role: 'assistant', content: result.content || null, toolCalls: result.toolCalls });
    for (const call of result.toolCalls) {
      const text = await request.execute(call);
      const record = { tool: call.name, args: call.arguments, result: text };
      toolResults.push(record);
      request.onToolResult?.(record);
      messages.push({ role: 'tool', content: text, toolCallId: call.id });
    }
  }
}

export interface AnalysisAnswer extends ToolLoopResult {
  /** Numbers in the answer found in no tool result and not in the question. */
  unsupportedNumbers: string[];
}

export interface AnswerAnalysisRequest {
  streamChat: ToolLoopRequest['streamChat'];
  base: ToolLoopRequest['base'];
  data: RunData;
  focusCandidateId: string | null;
  /** Earlier turns of the chat, oldest first, as plain user/assistant text. */
  history: readonly ChatMessage[];
  question: string;
  onEvent?: ToolLoopRequest['onEvent'];
  onToolResult?: ToolLoopRequest['onToolResult'];
}

/** Names may hold digits ("Tier 2 cache"); restating a name is not inventing a number. */
function namesOf(data: RunData): string {
  const spec = data.run.specSnapshot;
  return [
    ...data.candidates.map((candidate) => candidate.label),
    ...spec.constraints.map((constraint) => constraint.name),
    ...data.scenarios.map((scenario) => scenario.name),
    ...spec.designSpace.dimensions.flatMap((dimension) => [dimension.name, ...dimension.options.map((option) => option.name)]),
  ].join('\n');
}

/** A free-text question about a run, answered with the tools and number-checked. */
export async function answerAnalysisQuestion(request: AnswerAnalysisRequest): Promise<AnalysisAnswer> {
  const result = await runToolLoop({
    streamChat: request.streamChat,
    base: request.base,
    messages: [
      { role: 'system', content: analysisSystemPrompt(request.data, request.focusCandidateId) },
      ...request.history,
      { role: 'user', content: request.question },
    ],
    tools: ANALYSIS_TOOLS,
    execute: (call) => executeAnalysisTool(request.data, request.focusCandidateId, call),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    ...(request.onToolResult ? { onToolResult: request.onToolResult } : {}),
  });
  const check = checkNumbers(result.content, [
    ...result.toolResults.map((record) => record.result),
    request.question,
    namesOf(request.data),
  ]);
  return { ...result, unsupportedNumbers: check.unsupported };
}
