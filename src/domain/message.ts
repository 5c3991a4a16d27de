import { z } from 'zod';
import { idSchema, timestampSchema } from './common';
import { messageMetaSchema } from './messageMeta';
import { deferredSchema } from './deferredSchema';

export const messageRoleSchema = z.enum(['user', 'agent', 'system']);
export type MessageRole = z.infer<typeof messageRoleSchema>;

export const MESSAGE_MAX_LENGTH = 100_000;

export const messageSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    chatSessionId: idSchema,
    projectId: idSchema,
    role: messageRoleSchema,
    content: z.string().max(MESSAGE_MAX_LENGTH, `message must be at most ${MESSAGE_MAX_LENGTH} characters`),
    meta: messageMetaSchema.nullable().optional(),
    createdAt: timestampSchema,
  }),
);
export type Message = z.infer<typeof messageSchema>;

// Each meta kind's schema lives in messageMeta.ts.
