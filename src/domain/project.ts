import { z } from 'zod';
import { idSchema, nullableTimestampSchema, timestampSchema } from './common';
import { deferredSchema } from './deferredSchema';

export const projectSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
    description: z.string().max(5000, 'description must be at most 5000 characters'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    /** Denormalised so the project list needs no count query per project. */
    chatCount: z.number().int().nonnegative(),
    runCount: z.number().int().nonnegative(),
    /** When the project was last exported; drives the backup reminder. */
    lastExportedAt: nullableTimestampSchema,
    /** The pinned baseline run every comparison starts from; part of the project, so it travels with an export. */
    baselineRunId: idSchema.nullable(),
  }),
);
export type Project = z.infer<typeof projectSchema>;
