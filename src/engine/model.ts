import { isHard, type Choices, type Constraint, type Dimension, type SpecContent } from '../domain';

/** A rating the user has not given counts as neutral: it neither helps nor hurts. */
export const NEUTRAL_RATING = 0.5;
/** Score at or above which a constraint counts as satisfied. */
export const SATISFIED_AT = 0.5;
/** R never drops below this, so I = P / R stays finite for free designs. */
export const R_FLOOR = 0.05;
/** Tolerance for the satisfied test, so 0.49999999999 from float sums still counts as 0.5. */
const EPSILON = 1e-9;

export function isSatisfied(score: number): boolean {
  return score >= SATISFIED_AT - EPSILON;
}

/**
 * The spec flattened into typed arrays. Every option gets a global index
 * g = offsets[d] + o, so the search's inner loop touches only numbers.
 */
export interface CompiledSpec {
  spec: SpecContent;
  dimensions: Dimension[];
  constraints: Constraint[];
  /** Number of options per dimension. */
  optionCounts: number[];
  /** Global index of each dimension's first option. */
  offsets: number[];
  totalOptions: number;
  /** Rating of option g for constraint c at g * C + c; unrated → NEUTRAL_RATING. */
  ratings: Float64Array;
  /** 1 where option g was actually rated for constraint c. */
  rated: Uint8Array;
  costs: Float64Array;
  /** Σ over dimensions of the most expensive option: the cost R is normalised by. */
  maxCost: number;
  /** Weight each constraint counts with in P; all 1 when every weight is 0. */
  effectiveWeights: number[];
  totalWeight: number;
  hardIndexes: number[];
  /**
   * Option g's contribution to the baseline P: Σ_c w_c · r(g, c) / (D · W).
   * Baseline P of a design is the sum of its options' values, which keeps the search linear.
   */
  values: Float64Array;
  /** Option g's contribution to the baseline R before the floor: cost(g) / maxCost (0 when maxCost is 0). */
  costShares: Float64Array;
  /**
   * How dimension d's rating counts towards constraint c, at d * C + c: D / D_c when
   * some option of d rates c (D_c = number of such dimensions), 0 when d rates
   * nothing for c while other dimensions do, and 1 when no dimension rates c at
   * all. So a constraint's score is the mean over the dimensions that speak to
   * it, and unrelated dimensions never dilute a bad choice into a pass.
   */
  relevance: Float64Array;
  /** Relevance-scaled rating of option g for hard constraint h at g * H + h (sums over a design to D · score). */
  hardRatings: Float64Array;
  /** Product of option counts; may exceed 2^53 for huge spaces, so only compare it against limits. */
  combinations: number;
}

export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

export function compileSpec(spec: SpecContent): CompiledSpec {
  const dimensions = spec.designSpace.dimensions;
  const constraints = spec.constraints;
  if (constraints.length === 0) throw new SpecError('The spec has no constraints, so there is nothing to score designs against.');
  if (dimensions.length === 0) throw new SpecError('The spec has no design space: add at least one dimension with options.');
  const empty = dimensions.find((dimension) => dimension.options.length === 0);
  if (empty) throw new SpecError(`Dimension '${empty.name}' has no options.`);

  const C = constraints.length;
  const D = dimensions.length;
  const optionCounts = dimensions.map((dimension) => dimension.options.length);
  const offsets: number[] = [];
  let totalOptions = 0;
  for (const count of optionCounts) {
    offsets.push(totalOptions);
    totalOptions += count;
  }
  const anyWeight = constraints.some((constraint) => constraint.weight > 0);
  const effectiveWeights = constraints.map((constraint) => (anyWeight ? constraint.weight : 1));
  const totalWeight = effectiveWeights.reduce((sum, weight) => sum + weight, 0);
  const hardIndexes = constraints.flatMap((constraint, index) => (isHard(constraint) ? [index] : []));
  const H = hardIndexes.length;

  const relevance = new Float64Array(D * C);
  constraints.forEach((constraint, c) => {
    const speaking = dimensions.map((dimension) => dimension.options.some((option) => typeof option.ratings[constraint.id] === 'number' && Number.isFinite(option.ratings[constraint.id])));
    const count = speaking.filter(Boolean).length;
    speaking.forEach((speaks, d) => {
      relevance[d * C + c] = count === 0 ? 1 : speaks ? D / count : 0;
    });
  });
  const ratings = new Float64Array(totalOptions * C);
  const rated = new Uint8Array(totalOptions * C);
  const costs = new Float64Array(totalOptions);
  const hardRatings = new Float64Array(totalOptions * H);
  let maxCost = 0;
  let combinations = 1;
  dimensions.forEach((dimension, d) => {
    let dimensionMax = 0;
    dimension.options.forEach((option, o) => {
      const g = offsets[d]! + o;
      costs[g] = option.cost;
      dimensionMax = Math.max(dimensionMax, option.cost);
      constraints.forEach((constraint, c) => {
        const rating = option.ratings[constraint.id];
        const known = typeof rating === 'number' && Number.isFinite(rating);
        ratings[g * C + c] = known ? Math.min(1, Math.max(0, rating)) : NEUTRAL_RATING;
        rated[g * C + c] = known ? 1 : 0;
      });
      hardIndexes.forEach((c, h) => {
        hardRatings[g * H + h] = ratings[g * C + c]! * relevance[d * C + c]!;
      });
    });
    maxCost += dimensionMax;
    combinations *= dimension.options.length;
  });

  const values = new Float64Array(totalOptions);
  const costShares = new Float64Array(totalOptions);
  const dimensionOf = new Int32Array(totalOptions);
  optionCounts.forEach((count, d) => dimensionOf.fill(d, offsets[d]!, offsets[d]! + count));
  for (let g = 0; g < totalOptions; g++) {
    let weighted = 0;
    const d = dimensionOf[g]!;
    for (let c = 0; c < C; c++) weighted += effectiveWeights[c]! * ratings[g * C + c]! * relevance[d * C + c]!;
    values[g] = weighted / (D * totalWeight);
    costShares[g] = maxCost > 0 ? costs[g]! / maxCost : 0;
  }

  return {
    spec,
    dimensions,
    constraints,
    optionCounts,
    offsets,
    totalOptions,
    ratings,
    rated,
    costs,
    maxCost,
    effectiveWeights,
    totalWeight,
    hardIndexes,
    relevance,
    values,
    costShares,
    hardRatings,
    combinations,
  };
}

/** R from the summed cost shares: 1 for every design when no option costs anything, never below R_FLOOR. */
export function resourceFromShares(model: CompiledSpec, costShareSum: number): number {
  if (model.maxCost <= 0) return 1;
  return Math.max(R_FLOOR, costShareSum);
}

/** A design as option indexes per dimension (o, not global g). */
export type Design = readonly number[];

export function designKey(design: Design): string {
  return design.join(',');
}

export function designToChoices(model: CompiledSpec, design: Design): Choices {
  const choices: Choices = {};
  model.dimensions.forEach((dimension, d) => {
    choices[dimension.id] = dimension.options[design[d]!]!.id;
  });
  return choices;
}

/** Maps choices back to a design, or says exactly which dimension does not fit the spec. */
export function choicesToDesign(model: CompiledSpec, choices: Choices, what: string): Design {
  return model.dimensions.map((dimension) => {
    const optionId = choices[dimension.id];
    if (optionId === undefined) {
      throw new SpecError(`${what} has no choice for dimension '${dimension.name}' (the spec changed since it was made).`);
    }
    const index = dimension.options.findIndex((option) => option.id === optionId);
    if (index < 0) {
      throw new SpecError(`${what} picks an option for '${dimension.name}' that is no longer in the spec.`);
    }
    return index;
  });
}

export interface BaselineScore {
  P: number;
  R: number;
  I: number;
  /** True when a hard constraint's baseline score is below SATISFIED_AT. */
  hardViolation: boolean;
}

export function baselineScore(model: CompiledSpec, design: Design): BaselineScore {
  let P = 0;
  let share = 0;
  const H = model.hardIndexes.length;
  const hardSums = new Float64Array(H);
  for (let d = 0; d < design.length; d++) {
    const g = model.offsets[d]! + design[d]!;
    P += model.values[g]!;
    share += model.costShares[g]!;
    for (let h = 0; h < H; h++) hardSums[h]! += model.hardRatings[g * H + h]!;
  }
  const R = resourceFromShares(model, share);
  let hardViolation = false;
  for (let h = 0; h < H; h++) if (!isSatisfied(hardSums[h]! / design.length)) hardViolation = true;
  return { P, R, I: P / R, hardViolation };
}

/** Mean rating of the design's options per constraint, at baseline: the candidate's predicted effects. */
export function baselineConstraintScores(model: CompiledSpec, design: Design): number[] {
  const C = model.constraints.length;
  const sums = new Array<number>(C).fill(0);
  for (let d = 0; d < design.length; d++) {
    const g = model.offsets[d]! + design[d]!;
    for (let c = 0; c < C; c++) sums[c]! += model.ratings[g * C + c]! * model.relevance[d * C + c]!;
  }
  return sums.map((sum) => sum / design.length);
}
