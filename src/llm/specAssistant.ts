/**
 * The language-model Architect of setup and what-if chats. It answers free
 * text in prose (streamed), and when the user described the problem or asked
 * for a change it says so by calling `propose_spec_change`; the app then asks
 * it for the exact change as a SpecDelta (structured output validated by the
 * same zod schema as every other delta, plus a dry applySpecDelta against the
 * chat's spec), with one repair round. The result is only a proposal: the
 * user applies it, or not.
 */
import {
  type ChatMode,
  type SpecContent,
  analyzeReadiness,
  applySpecDelta,
  isWorldOp,
  specDeltaSchema,
  type SpecDelta,
  type SpecOp,
  type WorldModelContent,
} from '../domain';
import { formatReadiness, NOTATION_HELP } from '../engine/architect';
import { LlmError } from './errors';
import type { ChatMessage, ChatRequest, ChatResult, StreamEvent, ToolDefinition, Usage } from './types';
import type { StructuredRequest, StructuredResult } from './structured';
import { addUsage } from './usage';

export const PROPOSE_TOOL: ToolDefinition = {
  name: 'propose_spec_change',
  description:
    'Call this after your reply when the user described their problem or asked for changes, and your reply said what you would add or change in the spec. The app then asks you for the exact change; the user reviews it and decides whether to apply it.',
  parameters: {
    type: 'object',
    properties: { change: { type: 'string', description: 'one sentence: what you would change in the spec' } },
    required: ['change'],
    additionalProperties: false,
  },
};

export const SPEC_DELTA_ANSWER_NAME = 'spec_delta';

/** The spec as the model sees it: every item with its id, so a delta can refer to it. */
export function specAsJson(spec: SpecContent, world: WorldModelContent | null): string {
  const view = {
    goals: spec.goals.map((goal) => ({ id: goal.id, text: goal.text })),
    constraints: spec.constraints.map((constraint) => ({
      id: constraint.id,
      name: constraint.name,
      weight: constraint.weight,
      description: constraint.description,
      combine: constraint.combine,
      ...(constraint.quantity ? { quantity: constraint.quantity } : {}),
    })),
    attributes: spec.designSpace.attributes.map((attribute) => ({
      id: attribute.id,
      key: attribute.key,
      name: attribute.name,
      unit: attribute.unit,
    })),
    costAttributeId: spec.designSpace.costAttributeId,
    dimensions: spec.designSpace.dimensions.map((dimension) => ({
      id: dimension.id,
      name: dimension.name,
      description: dimension.description,
      options: dimension.options.map((option) => ({
        id: option.id,
        name: option.name,
        cost: option.cost,
        description: option.description,
        ratings: option.ratings,
        ...(Object.keys(option.attributes).length ? { attributes: option.attributes } : {}),
      })),
    })),
    incompatibilities: spec.designSpace.incompatibilities.map((pair) => ({ id: pair.id, optionIds: pair.optionIds, reason: pair.reason })),
    resolution: spec.resolution,
    mode: spec.mode,
    ...(world ? { worldModel: world } : {}),
  };
  return JSON.stringify(view, null, 1);
}

export interface SpecChatContext {
  mode: Exclude<ChatMode, 'analysis'>;
  /** What the chat sees (base + override in a what-if chat). */
  spec: SpecContent;
  world: WorldModelContent;
}

export function specSystemPrompt(context: SpecChatContext): string {
  const where =
    context.mode === 'whatif'
      ? 'This is a what-if chat: changes apply only to this branch, not to the project spec, and the world model (actors, mechanisms, resources, assumptions, simplifications) cannot be changed here.'
      : 'This is the setup chat: changes apply to the project spec.';
  return [
    'You are the Architect of Int Crucible, a reasoning workbench. The user builds a problem spec: goals; constraints with weights 0–100 (whole numbers; 100 = hard, must hold), each either rated or computed from a formula over option attributes (a quantity with a threshold); a design space of dimensions, each with options (relative cost ≥ 0), attributes with units and per-option values, and pairs of incompatible options; ratings of how well each option serves each rated constraint (0–1); and a world model. A run then searches the design space and ranks candidates.',
    where,
    'Help the user turn what they describe into this structure. Reply in a few short paragraphs or a list: what you understood, what you would add or change (name the constraints with their weights, the dimensions with their options, the ratings), and what is still missing. Ask a question when something essential is unclear.',
    `When your reply proposes changes to the spec, call ${PROPOSE_TOOL.name} after it. You never change the spec yourself: the user applies your proposal, or not. When the user only asks a question, just answer.`,
    `The user may also type the offline line notation, which the app reads itself; for reference: ${NOTATION_HELP.map((entry) => `"${entry.example}"`).join('; ')}.`,
    `${formatReadiness(analyzeReadiness(context.spec))}`,
    `The spec now (JSON, with ids):\n${specAsJson(context.spec, context.mode === 'whatif' ? null : context.world)}`,
  ].join('\n\n');
}

const DELTA_INSTRUCTION = [
  'Now write the change you proposed as a SpecDelta: {"ops": [...]}, one op per change, in order.',
  'Refer to existing items by the ids in the spec JSON. Give each new item (goal, constraint, dimension, option, attribute, incompatibility, world-model item) a short new id such as "new-1", and use that id in later ops of the same delta (e.g. setRating after addOption).',
  'Weights are whole numbers 0–100, ratings 0–1 (null clears one), costs ≥ 0. Include only the changes you proposed.',
].join(' ');

/**
 * New items get fresh app ids, so a model's "new-1" can never collide with
 * an id in the spec or in another proposal; later ops that refer to it are
 * rewritten to match.
 */
export function remapNewIds(delta: SpecDelta, newId: () => string): SpecDelta {
  const map = new Map<string, string>();
  const ref = (id: string) => map.get(id) ?? id;
  const fresh = (id: string) => {
    const next = newId();
    map.set(id, next);
    return next;
  };
  const ops = delta.ops.map((op): SpecOp => {
    switch (op.op) {
      case 'addGoal':
      case 'addConstraint':
      case 'addDimension':
      case 'addWorldItem':
        return { ...op, id: fresh(op.id) };
      case 'addOption':
        return { ...op, dimensionId: ref(op.dimensionId), id: fresh(op.id) };
      case 'updateGoal':
      case 'removeGoal':
      case 'moveGoal':
        return { ...op, goalId: ref(op.goalId) };
      case 'updateConstraint':
      case 'removeConstraint':
      case 'moveConstraint':
        return { ...op, constraintId: ref(op.constraintId) };
      case 'updateDimension':
      case 'removeDimension':
        return { ...op, dimensionId: ref(op.dimensionId) };
      case 'updateOption':
      case 'removeOption':
        return { ...op, optionId: ref(op.optionId) };
      case 'setRating':
        return { ...op, optionId: ref(op.optionId), constraintId: ref(op.constraintId) };
      case 'setConstraintQuantity':
        return { ...op, constraintId: ref(op.constraintId) };
      case 'addAttribute':
        return { ...op, id: fresh(op.id) };
      case 'updateAttribute':
      case 'removeAttribute':
        return { ...op, attributeId: ref(op.attributeId) };
      case 'setAttributeValue':
        return { ...op, optionId: ref(op.optionId), attributeId: ref(op.attributeId) };
      case 'setCostAttribute':
        return { ...op, attributeId: op.attributeId === null ? null : ref(op.attributeId) };
      case 'addIncompatibility':
        return { ...op, optionIds: [ref(op.optionIds[0]), ref(op.optionIds[1])], id: fresh(op.id) };
      case 'removeIncompatibility':
        return { ...op, incompatibilityId: ref(op.incompatibilityId) };
      case 'updateWorldItem':
      case 'removeWorldItem':
        return { ...op, itemId: ref(op.itemId) };
      case 'setResolution':
      case 'setMode':
        return op;
    }
  });
  return { ops };
}

export interface ProposalCheck {
  problems: string[];
  summary: string;
  details: string[];
}

/** The dry run: what the delta would do to the chat's spec, or why it cannot (one sentence per problem). */
export function checkProposal(delta: SpecDelta, context: SpecChatContext): ProposalCheck {
  if (context.mode === 'whatif') {
    const index = delta.ops.findIndex(isWorldOp);
    if (index >= 0) {
      return {
        problems: [
          `ops[${index}] (${delta.ops[index]!.op}): the world model is shared by all chats and cannot be changed in a what-if chat; leave it out.`,
        ],
        summary: '',
        details: [],
      };
    }
  }
  const result = applySpecDelta(context.spec, delta, context.world);
  if (!result.ok) {
    const op = delta.ops[result.error.opIndex];
    return { problems: [`ops[${result.error.opIndex}] (${op?.op ?? 'op'}): ${result.error.message}`], summary: '', details: [] };
  }
  return { problems: [], summary: result.summary, details: result.changes.map((change) => change.text) };
}

export interface SpecProposal {
  delta: SpecDelta;
  summary: string;
  details: string[];
}

export type SpecChatPhase = 'reply' | 'proposal';

export interface SpecChatRequest extends SpecChatContext {
  streamChat: (request: ChatRequest) => Promise<ChatResult>;
  generateStructured: <T>(request: StructuredRequest<T>) => Promise<StructuredResult<T>>;
  base: Omit<ChatRequest, 'messages' | 'tools' | 'toolChoice' | 'onEvent' | 'responseFormat'>;
  /** Earlier turns, oldest first, as plain user/assistant text. */
  history: readonly ChatMessage[];
  userText: string;
  newId: () => string;
  onEvent?: (event: StreamEvent) => void;
  onPhase?: (phase: SpecChatPhase) => void;
}

export interface SpecChatResult {
  content: string;
  model: string;
  usage: Usage | null;
  /** Null when the model proposed nothing (or a proposal that changes nothing). */
  proposal: SpecProposal | null;
}

function proposedChange(result: ChatResult): string | null {
  const call = result.toolCalls.find((candidate) => candidate.name === PROPOSE_TOOL.name);
  if (!call) return null;
  try {
    const args = JSON.parse(call.arguments || '{}') as { change?: unknown };
    return typeof args.change === 'string' && args.change.trim() ? args.change.trim() : 'the change described above';
  } catch {
    return 'the change described above';
  }
}

/**
 * One free-text turn: the streamed reply, then — if the model signalled a
 * proposal — the validated SpecDelta. A delta still invalid after the repair
 * round rejects with LlmError('invalid_output') (its detail lists the
 * problems); the caller already has the reply text from the stream events.
 * A server that refuses tools (400) gets the reply without them, and is then
 * always asked for a delta (an empty one means no proposal).
 */
export async function runSpecChat(request: SpecChatRequest): Promise<SpecChatResult> {
  const messages: ChatMessage[] = [
    { role: 'system', content: specSystemPrompt(request) },
    ...request.history,
    { role: 'user', content: request.userText },
  ];
  request.onPhase?.('reply');
  const stream = (withTools: boolean) =>
    request.streamChat({
      ...request.base,
      messages,
      ...(withTools ? { tools: [PROPOSE_TOOL], toolChoice: 'auto' as const } : {}),
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    });
  let reply: ChatResult;
  let toolsRefused = false;
  try {
    reply = await stream(true);
  } catch (error) {
    if (!(error instanceof LlmError && error.code === 'bad_request')) throw error;
    toolsRefused = true;
    reply = await stream(false);
  }
  let usage = reply.usage;
  const change =
    proposedChange(reply) ??
    (toolsRefused && reply.content.trim() ? 'the change described above, if any (an empty ops list if none)' : null);
  if (!change) return { content: reply.content, model: reply.model, usage, proposal: null };

  request.onPhase?.('proposal');
  // Whichever attempt passes validation is the one kept, with the ids it was checked with.
  const checked = new WeakMap<object, { delta: SpecDelta; check: ProposalCheck }>();
  const structured = await request.generateStructured({
    ...request.base,
    name: SPEC_DELTA_ANSWER_NAME,
    schema: specDeltaSchema,
    messages: [
      ...messages,
      { role: 'assistant', content: reply.content.trim() ? `${reply.content}\n\n(Proposed: ${change})` : `I propose: ${change}` },
      { role: 'user', content: DELTA_INSTRUCTION },
    ],
    validate: (value) => {
      const delta = remapNewIds(value, request.newId);
      const check = checkProposal(delta, request);
      checked.set(value, { delta, check });
      return check.problems;
    },
  });
  usage = addUsage(usage, structured.usage);
  const kept =
    checked.get(structured.value) ??
    (() => {
      const delta = remapNewIds(structured.value, request.newId);
      return { delta, check: checkProposal(delta, request) };
    })();
  const content = reply.content.trim() ? reply.content : `I propose: ${change}`;
  if (!kept.check.details.length) return { content, model: reply.model, usage, proposal: null };
  return { content, model: reply.model, usage, proposal: { delta: kept.delta, summary: kept.check.summary, details: kept.check.details } };
}
