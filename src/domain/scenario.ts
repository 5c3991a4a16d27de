import { z } from 'zod';
import { idSchema } from './common';
import { deferredSchema } from './deferredSchema';

export const scenarioTypeSchema = z.enum(['stress_test', 'edge_case', 'normal_operation', 'failure_mode']);
export type ScenarioType = z.infer<typeof scenarioTypeSchema>;

export const scenarioSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    runId: idSchema,
    projectId: idSchema,
    /** 0 is the baseline. */
    index: z.number().int().nonnegative(),
    name: z.string(),
    description: z.string(),
    type: scenarioTypeSchema,
    /** Names of the constraints or assumptions the scenario stresses. */
    focus: z.array(z.string()),
    weight: z.number().positive(),
    /** constraintId → multiplier applied to that constraint's weight in this scenario. */
    weightMultipliers: z.record(z.string(), z.number().positive()),
    /** optionId → constraintId → rating shift applied in this scenario (the uncertainty shake). */
    ratingShifts: z.record(z.string(), z.record(z.string(), z.number())),
    /** attributeId → multiplier applied to every option's value of that attribute in this scenario (cold morning: energy ×0.8). */
    attributeScales: z.record(z.string(), z.number().positive()).default({}),
  }),
);
export type Scenario = z.infer<typeof scenarioSchema>;
