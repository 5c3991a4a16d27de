/**
 * Meta kinds written by the language-model path (issue #11): `modelReply`
 * (a streamed answer) and `specProposal` (a change awaiting Apply). Each has
 * its own schema, used when writing (parse) and when rendering (safeParse: a
 * record that does not match renders as a readable fallback, never a crash).
 * messageMeta.ts joins them with the other kinds.
 */
import { z } from 'zod';
import { idSchema, timestampSchema } from './common';
import type { MessageMeta } from './messageMeta';
import { specDeltaSchema } from './specDelta';
import { deferredSchema } from './deferredSchema';

export const MODEL_REPLY_STATES = ['streaming', 'done', 'stopped', 'interrupted', 'failed'] as const;
export const modelReplyStateSchema = z.enum(MODEL_REPLY_STATES);
export type ModelReplyState = z.infer<typeof modelReplyStateSchema>;

export const tokenUsageSchema = deferredSchema(() =>
  z.object({
    promptTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
    totalTokens: z.number().int().nonnegative(),
  }),
);
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** One tool call an analysis answer was built from: what was asked and the text the tool returned. */
export const toolResultRecordSchema = deferredSchema(() =>
  z.object({
    tool: z.string().min(1),
    args: z.string(),
    result: z.string(),
  }),
);
export type ToolResultRecord = z.infer<typeof toolResultRecordSchema>;

export const modelReplyMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('modelReply'),
    providerName: z.string(),
    model: z.string(),
    state: modelReplyStateSchema,
    usage: tokenUsageSchema.nullable().optional(),
    toolResults: z.array(toolResultRecordSchema).optional(),
    /** Retries the client reported before the first token ("rate limited, retried after 2 s"). */
    retries: z.array(z.object({ attempt: z.number().int(), reason: z.string(), delayMs: z.number().nonnegative() })).optional(),
    /** The LlmErrorCode of a failed reply, and the sentence + fix the UI shows for it. */
    errorCode: z.string().nullable().optional(),
    error: z.object({ sentence: z.string(), fix: z.string().nullable(), detail: z.string().nullable().optional() }).nullable().optional(),
    /** Analysis answers: numbers in the answer that appear in no tool result nor the question. */
    unsupportedNumbers: z.array(z.string()).optional(),
    /** What the reply is doing after its text streamed ("Preparing the proposed change…"). */
    phase: z.string().nullable().optional(),
  }),
);
export type ModelReplyMeta = z.infer<typeof modelReplyMetaSchema>;

export const SPEC_PROPOSAL_STATUSES = ['proposed', 'applied', 'discarded', 'stale'] as const;
export const specProposalStatusSchema = z.enum(SPEC_PROPOSAL_STATUSES);
export type SpecProposalStatus = z.infer<typeof specProposalStatusSchema>;

export const specProposalMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('specProposal'),
    delta: specDeltaSchema,
    /** "+2 constraints, 1 weight changed", and one line per change, as validated when proposed. */
    summary: z.string(),
    details: z.array(z.string()),
    status: specProposalStatusSchema,
    target: z.enum(['project', 'whatif']),
    /** The message of the model reply that proposed it. */
    replyMessageId: idSchema.nullable().optional(),
    /** The spec's updatedAt (setup) or the chat's (what-if) when proposed: Apply re-validates if it moved. */
    baseVersion: z.number().nullable().optional(),
    /** Why a stale proposal no longer applies, in a sentence. */
    staleReason: z.string().nullable().optional(),
    /** Set on Apply: the provenance entry written with the change. */
    provenanceId: idSchema.nullable().optional(),
    decidedAt: timestampSchema.nullable().optional(),
  }),
);
export type SpecProposalMeta = z.infer<typeof specProposalMetaSchema>;

export function parseModelReplyMeta(meta: MessageMeta | null | undefined): ModelReplyMeta | null {
  if (meta?.kind !== 'modelReply') return null;
  const parsed = modelReplyMetaSchema.safeParse(meta);
  return parsed.success ? parsed.data : null;
}

export function parseSpecProposalMeta(meta: MessageMeta | null | undefined): SpecProposalMeta | null {
  if (meta?.kind !== 'specProposal') return null;
  const parsed = specProposalMetaSchema.safeParse(meta);
  return parsed.success ? parsed.data : null;
}
