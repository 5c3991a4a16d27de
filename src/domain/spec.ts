import { z } from 'zod';
import { idSchema, timestampSchema } from './common';
import { deferredSchema } from './deferredSchema';

export const HARD_WEIGHT = 100;

export const constraintWeightSchema = z
  .number({ error: 'weight must be a number' })
  .int('weight must be a whole number from 0 to 100')
  .min(0, 'weight must be from 0 to 100')
  .max(100, 'weight must be from 0 to 100 (100 means hard)');

export const ratingSchema = z
  .number({ error: 'rating must be a number' })
  .min(0, 'rating must be between 0 and 1')
  .max(1, 'rating must be between 0 and 1');

export const costSchema = z
  .number({ error: 'cost must be a number' })
  .finite('cost must be a finite number')
  .min(0, 'cost must be 0 or more');

export const goalSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    text: z.string().trim().min(1, 'goal must not be empty'),
  }),
);
export type Goal = z.infer<typeof goalSchema>;

/** Identifier an attribute is referred to by in quantity formulas ("mass", "energy_wh"). */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const attributeKeySchema = z
  .string()
  .regex(ATTRIBUTE_KEY_PATTERN, 'attribute key must start with a letter or _ and hold only letters, digits and _');

/** A numeric quantity options can carry (mass, energy, price). */
export const attributeSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    key: attributeKeySchema,
    name: z.string().trim().min(1, 'attribute name must not be empty'),
    /** "kg", "Wh", "EUR"; "" for a unitless quantity. */
    unit: z.string(),
  }),
);
export type Attribute = z.infer<typeof attributeSchema>;

/**
 * How the dimensions that rate a constraint combine: compensatory weighted mean,
 * or weakest link (the minimum). Hard constraints are always weakest link.
 */
export const constraintCombineSchema = z.enum(['mean', 'weakest']);
export type ConstraintCombine = z.infer<typeof constraintCombineSchema>;

export const quantityComparatorSchema = z.enum(['atLeast', 'atMost']);
export type QuantityComparator = z.infer<typeof quantityComparatorSchema>;

/**
 * A constraint scored from a value computed over the design's attributes:
 * score = clamp01(0.5 + 0.5 · signed / margin), signed = v − threshold (atLeast) or threshold − v (atMost).
 */
export const constraintQuantitySchema = deferredSchema(() =>
  z.object({
    expression: z.string().trim().min(1, 'the formula must not be empty'),
    comparator: quantityComparatorSchema,
    threshold: z.number({ error: 'threshold must be a number' }).finite('threshold must be a finite number'),
    /** Unit of the computed value, quoted in explanations ("km"). */
    unit: z.string(),
    /** Distance from the threshold at which satisfaction reaches 1 (or 0). */
    margin: z.number({ error: 'margin must be a number' }).finite('margin must be a finite number').positive('margin must be more than 0'),
  }),
);
export type ConstraintQuantity = z.infer<typeof constraintQuantitySchema>;

export const constraintSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    name: z.string().trim().min(1, 'constraint name must not be empty'),
    description: z.string(),
    weight: constraintWeightSchema,
    combine: constraintCombineSchema.default('mean'),
    quantity: constraintQuantitySchema.nullable().default(null),
  }),
);
export type Constraint = z.infer<typeof constraintSchema>;

export const designOptionSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    name: z.string().trim().min(1, 'option name must not be empty'),
    description: z.string(),
    cost: costSchema,
    /** constraintId → how well this option serves that constraint (0..1). A missing key means "not rated". */
    ratings: z.record(z.string(), ratingSchema),
    /** attributeId → this option's value. A missing key means the option has no value for that attribute. */
    attributes: z
      .record(z.string(), z.number({ error: 'attribute value must be a number' }).finite('attribute value must be a finite number'))
      .default({}),
  }),
);
export type DesignOption = z.infer<typeof designOptionSchema>;

export const dimensionSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    name: z.string().trim().min(1, 'dimension name must not be empty'),
    description: z.string(),
    options: z.array(designOptionSchema),
  }),
);
export type Dimension = z.infer<typeof dimensionSchema>;

/** Two options of different dimensions that cannot go together (a cell of the cross-consistency matrix). */
export const incompatibilitySchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    optionIds: z.tuple([idSchema, idSchema]),
    reason: z.string(),
  }),
);
export type Incompatibility = z.infer<typeof incompatibilitySchema>;

export const designSpaceSchema = deferredSchema(() =>
  z.object({
    dimensions: z.array(dimensionSchema),
    attributes: z.array(attributeSchema).default([]),
    incompatibilities: z.array(incompatibilitySchema).default([]),
    /** When set, R uses this attribute's per-option value (missing = 0) instead of option.cost. */
    costAttributeId: idSchema.nullable().default(null),
  }),
);
export type DesignSpace = z.infer<typeof designSpaceSchema>;

export const resolutionSchema = z.enum(['coarse', 'medium', 'fine']);
export type Resolution = z.infer<typeof resolutionSchema>;

export const runModeSchema = z.enum(['full_search', 'eval_only', 'seeded']);
export type RunMode = z.infer<typeof runModeSchema>;

export const actorSchema = z.enum(['user', 'agent']);
export type Actor = z.infer<typeof actorSchema>;

export const provenanceEntrySchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    at: timestampSchema,
    actor: actorSchema,
    /** The chat the change came from; null for edits made outside any chat (imports, migrations). */
    chatSessionId: idSchema.nullable(),
    summary: z.string(),
    /** Human-readable list of individual changes ("weight Offline-first 90 → 40"). */
    changes: z.array(z.string()),
    /** Ids of the goals / constraints / dimensions / options touched, for highlighting. */
    touchedIds: z.array(z.string()),
    /** Where the change landed: the project spec, or only a what-if chat's override. Missing on older entries = project. */
    scope: z.enum(['project', 'whatif']).optional(),
  }),
);
export type ProvenanceEntry = z.infer<typeof provenanceEntrySchema>;

/** The part of a spec that runs consume and what-if chats override. */
export const specContentSchema = deferredSchema(() =>
  z.object({
    goals: z.array(goalSchema),
    constraints: z.array(constraintSchema),
    resolution: resolutionSchema,
    mode: runModeSchema,
    designSpace: designSpaceSchema,
  }),
);
export type SpecContent = z.infer<typeof specContentSchema>;

export const problemSpecSchema = deferredSchema(() =>
  specContentSchema.extend({
    projectId: idSchema,
    provenance: z.array(provenanceEntrySchema),
    updatedAt: timestampSchema,
  }),
);
export type ProblemSpec = z.infer<typeof problemSpecSchema>;

export function emptySpecContent(): SpecContent {
  return { goals: [], constraints: [], resolution: 'medium', mode: 'full_search', designSpace: emptyDesignSpace() };
}

export function emptyDesignSpace(): DesignSpace {
  return { dimensions: [], attributes: [], incompatibilities: [], costAttributeId: null };
}

export function toSpecContent(spec: SpecContent): SpecContent {
  return {
    goals: spec.goals,
    constraints: spec.constraints,
    resolution: spec.resolution,
    mode: spec.mode,
    designSpace: spec.designSpace,
  };
}

export function isHard(constraint: Pick<Constraint, 'weight'>): boolean {
  return constraint.weight >= HARD_WEIGHT;
}
