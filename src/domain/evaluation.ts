import { z } from 'zod';
import { idSchema } from './common';
import { constraintSatisfactionSchema } from './candidate';
import { deferredSchema } from './deferredSchema';

export const evaluationSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    runId: idSchema,
    projectId: idSchema,
    candidateId: idSchema,
    scenarioId: idSchema,
    P: z.number(),
    R: z.number().positive(),
    constraintSatisfaction: z.record(z.string(), constraintSatisfactionSchema),
    explanation: z.string(),
  }),
);
export type Evaluation = z.infer<typeof evaluationSchema>;
