import { z } from 'zod';
import { idSchema, nullableTimestampSchema, timestampSchema } from './common';
import { whatIfChangesSchema } from './whatIf';
import { deferredSchema } from './deferredSchema';

export const chatModeSchema = z.enum(['setup', 'analysis', 'whatif']);
export type ChatMode = z.infer<typeof chatModeSchema>;

export const CHAT_MODE_LABELS: Record<ChatMode, string> = {
  setup: 'Setup',
  analysis: 'Analysis',
  whatif: 'What-if',
};

export const chatTitleSchema = z.string().trim().min(1, 'title must not be empty').max(120, 'title must be at most 120 characters');

export const chatSessionSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    projectId: idSchema,
    title: chatTitleSchema,
    mode: chatModeSchema,
    runId: idSchema.nullable().optional(),
    candidateId: idSchema.nullable().optional(),
    parentChatId: idSchema.nullable().optional(),
    /** A what-if chat's item-level changes over the current project spec (schema 5); empty for other chats. */
    specChanges: whatIfChangesSchema.default([]),
    /**
     * Gone in schema 5. The v5 migration keeps an override it cannot read here
     * rather than lose it, so an import names it instead of silently dropping it.
     */
    specOverride: z
      .never({ error: 'this what-if holds changes from an older version that are not a readable spec; fix or remove them' })
      .optional(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    /** Last activity; equals createdAt until the first message so the chat stays in the [projectId+lastMessageAt] index. */
    lastMessageAt: timestampSchema,
    messageCount: z.number().int().nonnegative(),
    archivedAt: nullableTimestampSchema,
  }),
);
export type ChatSession = z.infer<typeof chatSessionSchema>;

/** "What-if 2": the default title for the n-th chat of a mode. */
export function defaultChatTitle(mode: ChatMode, existingOfMode: number): string {
  const label = CHAT_MODE_LABELS[mode];
  return existingOfMode === 0 ? label : `${label} ${existingOfMode + 1}`;
}

/** A chat with no messages, links or what-if changes yet; the one place that lists a fresh chat's defaults. */
export function newChatSession(fields: { id: string; projectId: string; title: string; mode: ChatMode; createdAt: number }): ChatSession {
  return {
    ...fields,
    runId: null,
    candidateId: null,
    parentChatId: null,
    specChanges: [],
    updatedAt: fields.createdAt,
    lastMessageAt: fields.createdAt,
    messageCount: 0,
    archivedAt: null,
  };
}
