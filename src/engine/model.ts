import {
  EngineError,
  isHard,
  parseQuantityExpression,
  type Attribute,
  type Choices,
  type CompiledQuantity,
  type Constraint,
  type Dimension,
  type SpecContent,
} from '../domain';

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

/** How a constraint's score is formed (docs/engine.md, "Constraint semantics"). */
export const KIND_MEAN = 0;
export const KIND_WEAKEST = 1;
export const KIND_QUANTITY = 2;

/**
 * The spec flattened into typed arrays. Every option gets a global index
 * g = offsets[d] + o, so the search's inner loop touches only numbers.
 */
export interface CompiledSpec {
  spec: SpecContent;
  dimensions: Dimension[];
  constraints: Constraint[];
  attributes: Attribute[];
  /** Number of options per dimension. */
  optionCounts: number[];
  /** Global index of each dimension's first option. */
  offsets: number[];
  /** Dimension of global option g. */
  dimensionOf: Int32Array;
  totalOptions: number;
  /** Rating of option g for constraint c at g * C + c; unrated → NEUTRAL_RATING. */
  ratings: Float64Array;
  /** 1 where option g was actually rated for constraint c. */
  rated: Uint8Array;
  /** Per constraint: KIND_MEAN, KIND_WEAKEST (weakest link; every hard rated constraint) or KIND_QUANTITY. */
  kinds: Uint8Array;
  /** Per constraint: the compiled formula of a quantity constraint, else null. */
  quantities: (CompiledQuantity | null)[];
  /** Per constraint: the dimensions that rate it (D_c). Empty → the score is a neutral 0.5. */
  relevantDimensions: number[][];
  /** 1 at d * C + c when dimension d rates constraint c. */
  relevant: Uint8Array;
  /** Attribute a of option g at g * A + a; NaN when the option has no value. */
  attributeValues: Float64Array;
  /** The option costs R uses: option.cost, or the cost attribute's value (missing → 0, never below 0). */
  costs: Float64Array;
  /** Index of the cost attribute in `attributes`, or -1 when R uses option.cost. */
  costAttributeIndex: number;
  /** Σ over dimensions of the most expensive option: the cost R is normalised by. */
  maxCost: number;
  /** cost(g) / maxCost (0 when maxCost is 0). */
  costShares: Float64Array;
  /** Weight each constraint counts with in P; all 1 when every weight is 0. */
  effectiveWeights: number[];
  totalWeight: number;
  hardIndexes: number[];
  /** Global indexes of the options option g cannot go with (incompatibilities). */
  partners: number[][];
  /** The incompatibilities that name two options of different dimensions, as global index pairs. */
  incompatiblePairs: [number, number][];
  /** Product of option counts; may exceed 2^53 for huge spaces, so only compare it against limits. */
  combinations: number;
}

/** The spec lacks what a run needs; the reason says what to add. */
export class SpecError extends EngineError<'spec_incomplete'> {
  constructor(reason: string) {
    super('spec_incomplete', { reason });
  }
}

export function compileSpec(spec: SpecContent): CompiledSpec {
  const dimensions = spec.designSpace.dimensions;
  const constraints = spec.constraints;
  const attributes = spec.designSpace.attributes ?? [];
  if (constraints.length === 0) throw new SpecError('The spec has no constraints, so there is nothing to score designs against.');
  if (dimensions.length === 0) throw new SpecError('The spec has no design space: add at least one dimension with options.');
  const empty = dimensions.find((dimension) => dimension.options.length === 0);
  if (empty) throw new SpecError(`Dimension '${empty.name}' has no options.`);

  const C = constraints.length;
  const D = dimensions.length;
  const A = attributes.length;
  const optionCounts = dimensions.map((dimension) => dimension.options.length);
  const offsets: number[] = [];
  let totalOptions = 0;
  for (const count of optionCounts) {
    offsets.push(totalOptions);
    totalOptions += count;
  }
  const dimensionOf = new Int32Array(totalOptions);
  optionCounts.forEach((count, d) => dimensionOf.fill(d, offsets[d], offsets[d]! + count));
  const anyWeight = constraints.some((constraint) => constraint.weight > 0);
  const effectiveWeights = constraints.map((constraint) => (anyWeight ? constraint.weight : 1));
  const totalWeight = effectiveWeights.reduce((sum, weight) => sum + weight, 0);
  const hardIndexes = constraints.flatMap((constraint, index) => (isHard(constraint) ? [index] : []));

  const quantities = constraints.map((constraint) => {
    if (!constraint.quantity) return null;
    const parsed = parseQuantityExpression(constraint.quantity.expression, attributes);
    if (!parsed.ok) throw new SpecError(`Constraint '${constraint.name}': ${parsed.message}`);
    return parsed.compiled;
  });
  const kinds = new Uint8Array(C);
  constraints.forEach((constraint, c) => {
    kinds[c] = quantities[c] ? KIND_QUANTITY : isHard(constraint) || constraint.combine === 'weakest' ? KIND_WEAKEST : KIND_MEAN;
  });

  const relevant = new Uint8Array(D * C);
  const relevantDimensions: number[][] = constraints.map((constraint, c) => {
    const speaking: number[] = [];
    dimensions.forEach((dimension, d) => {
      const speaks = dimension.options.some(
        (option) => typeof option.ratings[constraint.id] === 'number' && Number.isFinite(option.ratings[constraint.id]),
      );
      if (speaks && kinds[c] !== KIND_QUANTITY) {
        speaking.push(d);
        relevant[d * C + c] = 1;
      }
    });
    return speaking;
  });

  const ratings = new Float64Array(totalOptions * C);
  const rated = new Uint8Array(totalOptions * C);
  const attributeValues = new Float64Array(totalOptions * A).fill(NaN);
  const costs = new Float64Array(totalOptions);
  const costAttributeIndex = spec.designSpace.costAttributeId ? attributes.findIndex((a) => a.id === spec.designSpace.costAttributeId) : -1;
  let maxCost = 0;
  let combinations = 1;
  dimensions.forEach((dimension, d) => {
    let dimensionMax = 0;
    dimension.options.forEach((option, o) => {
      const g = offsets[d]! + o;
      attributes.forEach((attribute, a) => {
        const value = option.attributes?.[attribute.id];
        if (typeof value === 'number' && Number.isFinite(value)) attributeValues[g * A + a] = value;
      });
      const attributeCost = costAttributeIndex >= 0 ? attributeValues[g * A + costAttributeIndex]! : NaN;
      costs[g] = costAttributeIndex >= 0 ? (Number.isFinite(attributeCost) ? Math.max(0, attributeCost) : 0) : option.cost;
      dimensionMax = Math.max(dimensionMax, costs[g]);
      constraints.forEach((constraint, c) => {
        const rating = option.ratings[constraint.id];
        const known = typeof rating === 'number' && Number.isFinite(rating);
        ratings[g * C + c] = known ? Math.min(1, Math.max(0, rating)) : NEUTRAL_RATING;
        rated[g * C + c] = known ? 1 : 0;
      });
    });
    maxCost += dimensionMax;
    combinations *= dimension.options.length;
  });
  const costShares = new Float64Array(totalOptions);
  for (let g = 0; g < totalOptions; g++) costShares[g] = maxCost > 0 ? costs[g]! / maxCost : 0;

  const globalIndex = new Map<string, number>();
  dimensions.forEach((dimension, d) => dimension.options.forEach((option, o) => globalIndex.set(option.id, offsets[d]! + o)));
  const partners: number[][] = Array.from({ length: totalOptions }, () => []);
  const incompatiblePairs: [number, number][] = [];
  const seenPairs = new Set<string>();
  for (const incompatibility of spec.designSpace.incompatibilities ?? []) {
    const [x, y] = incompatibility.optionIds.map((id) => globalIndex.get(id));
    if (x === undefined || y === undefined || dimensionOf[x] === dimensionOf[y]) continue;
    const key = x < y ? `${x},${y}` : `${y},${x}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    partners[x]!.push(y);
    partners[y]!.push(x);
    incompatiblePairs.push([x, y]);
  }

  return {
    spec,
    dimensions,
    constraints,
    attributes,
    optionCounts,
    offsets,
    dimensionOf,
    totalOptions,
    ratings,
    rated,
    kinds,
    quantities,
    relevantDimensions,
    relevant,
    attributeValues,
    costs,
    costAttributeIndex,
    maxCost,
    costShares,
    effectiveWeights,
    totalWeight,
    hardIndexes,
    partners,
    incompatiblePairs,
    combinations,
  };
}

/** True when the design picks two options marked incompatible. */
export function isIncompatible(model: CompiledSpec, design: Design): boolean {
  for (let d = 0; d < design.length; d++) {
    const g = model.offsets[d]! + design[d]!;
    for (const partner of model.partners[g]!) {
      const pd = model.dimensionOf[partner]!;
      if (model.offsets[pd]! + design[pd]! === partner) return true;
    }
  }
  return false;
}

/** The first incompatible pair a design picks, as option names with the reason, or null. */
export function incompatibilityIn(model: CompiledSpec, choices: Choices): string | null {
  for (const incompatibility of model.spec.designSpace.incompatibilities ?? []) {
    const [x, y] = incompatibility.optionIds;
    const picked = Object.values(choices);
    if (picked.includes(x) && picked.includes(y)) {
      const name = (id: string) => {
        for (const dimension of model.dimensions) {
          const option = dimension.options.find((o) => o.id === id);
          if (option) return `${dimension.name}: ${option.name}`;
        }
        return id;
      };
      return `'${name(x)}' cannot go with '${name(y)}'${incompatibility.reason ? ` (${incompatibility.reason})` : ''}`;
    }
  }
  return null;
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
