import { z } from 'zod';
import { idSchema, namedItemSchema, timestampSchema } from './common';
import { deferredSchema } from './deferredSchema';

export const WORLD_MODEL_SECTIONS = ['actors', 'mechanisms', 'resources', 'assumptions', 'simplifications'] as const;
export type WorldModelSection = (typeof WORLD_MODEL_SECTIONS)[number];

export const worldModelSchema = deferredSchema(() =>
  z.object({
    projectId: idSchema,
    actors: z.array(namedItemSchema),
    mechanisms: z.array(namedItemSchema),
    resources: z.array(namedItemSchema),
    assumptions: z.array(namedItemSchema),
    simplifications: z.array(namedItemSchema),
    updatedAt: timestampSchema,
  }),
);
export type WorldModel = z.infer<typeof worldModelSchema>;

export function emptyWorldModel(projectId: string, now: number): WorldModel {
  return { projectId, actors: [], mechanisms: [], resources: [], assumptions: [], simplifications: [], updatedAt: now };
}
