import { z } from 'zod';
import { idSchema, timestampSchema } from './common';
import { choicesSchema } from './run';
import { deferredSchema } from './deferredSchema';

export const constraintSatisfactionSchema = deferredSchema(() =>
  z.object({
    score: z.number().min(0).max(1),
    satisfied: z.boolean(),
    explanation: z.string(),
  }),
);
export type ConstraintSatisfaction = z.infer<typeof constraintSatisfactionSchema>;

export const candidateStatusSchema = z.enum(['promising', 'under_test', 'weak', 'rejected']);
export type CandidateStatus = z.infer<typeof candidateStatusSchema>;

export const candidateScoresSchema = deferredSchema(() =>
  z.object({
    P: z.number(),
    R: z.number().positive(),
    I: z.number(),
    constraintSatisfaction: z.record(z.string(), constraintSatisfactionSchema),
  }),
);
export type CandidateScores = z.infer<typeof candidateScoresSchema>;

export const candidateProvenanceSchema = deferredSchema(() =>
  z.object({
    at: timestampSchema,
    actor: z.enum(['user', 'system']),
    summary: z.string(),
  }),
);
export type CandidateProvenance = z.infer<typeof candidateProvenanceSchema>;

export const candidateSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    runId: idSchema,
    projectId: idSchema,
    origin: z.enum(['user', 'system']),
    label: z.string(),
    mechanism: z.string(),
    choices: choicesSchema,
    /** constraintId → expected satisfaction (0..1) before scenarios are applied. */
    predictedEffects: z.record(z.string(), z.number()),
    scores: candidateScoresSchema,
    rank: z.number().int().positive(),
    status: candidateStatusSchema,
    rankingExplanation: z.string(),
    rankingFactors: z.object({ positive: z.array(z.string()), negative: z.array(z.string()) }),
    /** Ids of hard constraints this candidate violates in at least one scenario. */
    hardViolations: z.array(z.string()),
    parentIds: z.array(idSchema),
    provenance: z.array(candidateProvenanceSchema),
    /** True when another design the run scored has P at least as high and R at least as low (one strictly); missing on older runs. */
    dominated: z.boolean().optional(),
  }),
);
export type Candidate = z.infer<typeof candidateSchema>;
