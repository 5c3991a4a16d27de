import { z } from 'zod';
import { idSchema, nullableTimestampSchema, timestampSchema } from './common';
import { runNameSchema, runNotesSchema, runTagsSchema } from './runLabels';
import { runModeSchema, specContentSchema } from './spec';
import { deferredSchema } from './deferredSchema';

export const runStatusSchema = z.enum(['created', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const choicesSchema = deferredSchema(() => z.record(z.string(), z.string()));
/** dimensionId → optionId: one option picked for each dimension. */
export type Choices = z.infer<typeof choicesSchema>;

export const runConfigSchema = deferredSchema(() =>
  z.object({
    numCandidates: z.number().int().min(1, 'numCandidates must be from 1 to 50').max(50, 'numCandidates must be from 1 to 50'),
    numScenarios: z.number().int().min(1, 'numScenarios must be from 1 to 50').max(50, 'numScenarios must be from 1 to 50'),
    seed: z.number().int().nonnegative(),
    /** seeded mode: the candidate whose neighbourhood is explored. */
    seedCandidateId: idSchema.nullable().optional(),
    /** eval_only mode: the candidates to evaluate, as choices (picked from earlier runs or composed by hand). */
    evalCandidates: z
      .array(z.object({ choices: choicesSchema, sourceCandidateId: idSchema.nullable().optional(), label: z.string().optional() }))
      .optional(),
  }),
);
export type RunConfig = z.infer<typeof runConfigSchema>;

/** Which implementation ran a pipeline stage: the built-in deterministic one, or a language model. */
export const stageImplementationSchema = deferredSchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('built-in') }),
    z.object({ kind: z.literal('model'), provider: z.string(), model: z.string() }),
  ]),
);
export type StageImplementation = z.infer<typeof stageImplementationSchema>;

export const PIPELINE_STAGE_ROLES = ['designer', 'scenarioGenerator', 'evaluator', 'ranker'] as const;
export type PipelineStageRole = (typeof PIPELINE_STAGE_ROLES)[number];
export const stageImplementationsSchema = deferredSchema(() =>
  z.object({
    designer: stageImplementationSchema,
    scenarioGenerator: stageImplementationSchema,
    evaluator: stageImplementationSchema,
    ranker: stageImplementationSchema,
  }),
);
export type StageImplementations = z.infer<typeof stageImplementationsSchema>;

export const runMetricsSchema = deferredSchema(() =>
  z
    .object({
      phaseTimingsMs: z.record(z.string(), z.number().nonnegative()),
      /** Denormalised best I, so the run history shows it without loading candidates. */
      bestI: z.number().nullable(),
      combinationsConsidered: z.number().nonnegative().optional(),
      searchStrategy: z.string().optional(),
      /** Which implementation ran each stage (missing on runs from before this was recorded). */
      stages: stageImplementationsSchema.optional(),
      /** Non-dominated (P, R) points among every design the run scored, by R ascending (at most 200, evenly thinned). */
      frontier: z.array(z.object({ P: z.number().min(0).max(1), R: z.number().positive(), I: z.number().nonnegative() })).optional(),
      /** Designs left out because they pick two incompatible options; null when not counted exactly. */
      excludedDesigns: z.number().int().nonnegative().nullable().optional(),
      /** Whether #1 is on the Pareto frontier (null without candidates). */
      firstOnFrontier: z.boolean().nullable().optional(),
      /** Per weighted soft constraint: the whole weights over which #1 stays #1. */
      sensitivity: z
        .array(
          z.object({
            constraintId: z.string(),
            name: z.string(),
            weight: z.number(),
            low: z.number(),
            high: z.number(),
            belowLabel: z.string().nullable(),
            aboveLabel: z.string().nullable(),
          }),
        )
        .optional(),
    })
    .catchall(z.unknown()),
);
export type RunMetrics = z.infer<typeof runMetricsSchema>;

export const runSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    projectId: idSchema,
    /** null for runs from before chats existed, and for runs whose chat was deleted. */
    chatSessionId: idSchema.nullable(),
    /** Set when the origin chat was deleted, so history can say "deleted chat" rather than "no chat". */
    originChatDeleted: z.boolean().optional(),
    candidateId: idSchema.nullable().optional(),
    mode: runModeSchema,
    config: runConfigSchema,
    specSnapshot: specContentSchema,
    status: runStatusSchema,
    createdAt: timestampSchema,
    startedAt: nullableTimestampSchema,
    completedAt: nullableTimestampSchema,
    durationMs: z.number().nonnegative().nullable(),
    candidateCount: z.number().int().nonnegative(),
    scenarioCount: z.number().int().nonnegative(),
    evaluationCount: z.number().int().nonnegative(),
    metrics: runMetricsSchema,
    error: z.string().nullable(),
    /** What the user calls the run; empty until they name it (history then shows its short id). */
    name: runNameSchema,
    /** The user's labels for grouping runs; the history filters by them (multiEntry index). */
    tags: runTagsSchema,
    /** Free text the user keeps with the run. */
    notes: runNotesSchema,
  }),
);
export type Run = z.infer<typeof runSchema>;
