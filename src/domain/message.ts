import { z } from 'zod';
import { idSchema, timestampSchema } from './common';

export const messageRoleSchema = z.enum(['user', 'agent', 'system']);
export type MessageRole = z.infer<typeof messageRoleSchema>;

/**
 * Structured payload rendered as a card (spec update, run summary, error...).
 * Each kind keeps its own shape; the envelope stays permissive so that a newer
 * kind never makes an older message unreadable.
 */
export const messageMetaSchema = z
  .object({
    kind: z.string().min(1),
  })
  .catchall(z.unknown());
export type MessageMeta = z.infer<typeof messageMetaSchema>;

export const MESSAGE_MAX_LENGTH = 100_000;

export const messageSchema = z.object({
  id: idSchema,
  chatSessionId: idSchema,
  projectId: idSchema,
  role: messageRoleSchema,
  content: z.string().max(MESSAGE_MAX_LENGTH, `message must be at most ${MESSAGE_MAX_LENGTH} characters`),
  meta: messageMetaSchema.nullable().optional(),
  createdAt: timestampSchema,
});
export type Message = z.infer<typeof messageSchema>;

// The language-model path's meta kinds (modelReply, specProposal) live in modelMessage.ts,
// outside the domain index, so the first bundle does not carry their schemas.
