/**
 * What a design scores, per scenario and over all scenarios (docs/engine.md).
 *
 *   r'_s(o, c) = clamp01(r(o, c) + shift_s(o, c))           (unrated: 0.5, never shifted)
 *   mean c     : score = mean over D_c of r'_s(chosen, c)
 *   weakest c  : score = min  over D_c of r'_s(chosen, c)    (every hard rated constraint)
 *   quantity c : v = formula over attribute values × attributeScales_s;
 *                score = clamp01(0.5 + 0.5 · signed / margin), not finite → 0
 *   P_s = Σ_c w_c m_s(c) score / Σ_c w_c m_s(c);   R_s = max(0.05, scale_s(cost) · Σ cost / maxCost)  (1 when maxCost = 0)
 *   P = Σ_s v_s P_s / V,  R = Σ_s v_s R_s / V,  I = P / R;  violation ⇔ some hard constraint < 0.5 in some scenario
 *
 * `ScenarioTables` precompute everything per scenario × option, so the search
 * evaluates a design by summing and taking minima over plain arrays.
 */
import { isHard, type Scenario } from '../domain';
import { KIND_QUANTITY, KIND_WEAKEST, R_FLOOR, SATISFIED_AT, type CompiledSpec, type Design } from './model';

const EPSILON = 1e-9;

/** The parts of a scenario the scoring reads. */
export type ScenarioShape = Pick<Scenario, 'weightMultipliers' | 'ratingShifts'> & {
  attributeScales?: Record<string, number>;
  weight?: number;
};

export const BASELINE_SCENARIO: ScenarioShape = { weightMultipliers: {}, ratingShifts: {}, attributeScales: {}, weight: 1 };

export const clamp01 = (x: number) => (x > 1 ? 1 : x < 0 ? 0 : x);

/** Score of a quantity constraint from its computed value (not finite → 0). */
export function quantityScore(value: number, comparator: 'atLeast' | 'atMost', threshold: number, margin: number): number {
  if (!Number.isFinite(value)) return 0;
  const signed = comparator === 'atLeast' ? value - threshold : threshold - value;
  return clamp01(0.5 + (0.5 * signed) / margin);
}

export function isSatisfiedScore(score: number): boolean {
  return score >= SATISFIED_AT - EPSILON;
}

/** P of one scenario from its constraint scores: Σ w·m·score / Σ w·m (0 when every weight is 0), clamped to [0, 1]. */
export function weightedP(
  weights: readonly number[],
  constraintIds: readonly string[],
  multipliers: Readonly<Record<string, number>>,
  scores: readonly number[],
): number {
  let weighted = 0;
  let total = 0;
  for (let c = 0; c < weights.length; c++) {
    const w = weights[c]! * (multipliers[constraintIds[c]!] ?? 1);
    weighted += w * scores[c]!;
    total += w;
  }
  return total > 0 ? clamp01(weighted / total) : 0;
}

export interface ScenarioTables {
  S: number;
  /** v_s / V. */
  shares: Float64Array;
  /** r'_s(g, c) at (s * totalOptions + g) * C + c. */
  ratings: Float64Array;
  /** w_c m_s(c) / Σ_c w_c m_s(c) at s * C + c. */
  coefficients: Float64Array;
  /** attributeScales_s(a) at s * A + a. */
  attributeScales: Float64Array;
  /** Scale of the cost attribute per scenario (1 when R uses option.cost). */
  costScales: Float64Array;
}

export function buildTables(model: CompiledSpec, scenarios: readonly ScenarioShape[]): ScenarioTables {
  const S = scenarios.length;
  const C = model.constraints.length;
  const A = model.attributes.length;
  const G = model.totalOptions;
  const totalWeight = scenarios.reduce((sum, s) => sum + (s.weight ?? 1), 0);
  const shares = new Float64Array(S);
  const ratings = new Float64Array(S * G * C);
  const coefficients = new Float64Array(S * C);
  const attributeScales = new Float64Array(S * A).fill(1);
  const costScales = new Float64Array(S).fill(1);
  scenarios.forEach((scenario, s) => {
    shares[s] = (scenario.weight ?? 1) / totalWeight;
    let sum = 0;
    model.constraints.forEach((constraint, c) => {
      const w = model.effectiveWeights[c]! * (scenario.weightMultipliers[constraint.id] ?? 1);
      coefficients[s * C + c] = w;
      sum += w;
    });
    for (let c = 0; c < C; c++) coefficients[s * C + c] = sum > 0 ? coefficients[s * C + c]! / sum : 0;
    model.attributes.forEach((attribute, a) => {
      attributeScales[s * A + a] = scenario.attributeScales?.[attribute.id] ?? 1;
    });
    if (model.costAttributeIndex >= 0) costScales[s] = attributeScales[s * A + model.costAttributeIndex]!;
    model.dimensions.forEach((dimension, d) => {
      dimension.options.forEach((option, o) => {
        const g = model.offsets[d]! + o;
        const shifts = scenario.ratingShifts[option.id];
        for (let c = 0; c < C; c++) {
          let rating = model.ratings[g * C + c]!;
          if (shifts && model.rated[g * C + c]) rating = clamp01(rating + (shifts[model.constraints[c]!.id] ?? 0));
          ratings[(s * G + g) * C + c] = rating;
        }
      });
    });
  });
  return { S, shares, ratings, coefficients, attributeScales, costScales };
}

/** R of one scenario from the design's summed cost shares. */
export function resourceOf(model: CompiledSpec, shareSum: number, costScale: number): number {
  if (model.maxCost <= 0) return 1;
  const r = shareSum * costScale;
  return r > R_FLOOR ? r : R_FLOOR;
}

export interface ConstraintDetail {
  score: number;
  /** Rated constraints: the dimension whose chosen option rated lowest / highest (−1 when no dimension rates it). */
  worstDimension: number;
  worstRating: number;
  bestDimension: number;
  bestRating: number;
  /** Quantity constraints: the computed value (maybe not finite). */
  value: number | null;
}

export interface ScenarioScore {
  P: number;
  R: number;
  scores: number[];
  details: ConstraintDetail[];
}

/** One design in one scenario, with the detail explanations quote. */
export function scoreInScenario(model: CompiledSpec, tables: ScenarioTables, s: number, design: Design): ScenarioScore {
  const C = model.constraints.length;
  const A = model.attributes.length;
  const G = model.totalOptions;
  const D = design.length;
  const sum = new Float64Array(A);
  const min = new Float64Array(A).fill(Infinity);
  const max = new Float64Array(A).fill(-Infinity);
  const count = new Float64Array(A);
  let share = 0;
  for (let d = 0; d < D; d++) {
    const g = model.offsets[d]! + design[d]!;
    share += model.costShares[g]!;
    for (let a = 0; a < A; a++) {
      const value = model.attributeValues[g * A + a]!;
      if (Number.isNaN(value)) continue;
      sum[a]! += value;
      if (value < min[a]!) min[a] = value;
      if (value > max[a]!) max[a] = value;
      count[a]! += 1;
    }
  }
  const scale = tables.attributeScales.subarray(s * A, s * A + A);
  const scores: number[] = [];
  const details: ConstraintDetail[] = [];
  for (let c = 0; c < C; c++) {
    const kind = model.kinds[c]!;
    if (kind === KIND_QUANTITY) {
      const quantity = model.constraints[c]!.quantity!;
      const value = model.quantities[c]!.evaluate({ sum, min, max, count }, scale);
      const score = quantityScore(value, quantity.comparator, quantity.threshold, quantity.margin);
      scores.push(score);
      details.push({ score, worstDimension: -1, worstRating: 0, bestDimension: -1, bestRating: 0, value });
      continue;
    }
    const dims = model.relevantDimensions[c]!;
    if (dims.length === 0) {
      scores.push(0.5);
      details.push({ score: 0.5, worstDimension: -1, worstRating: 0.5, bestDimension: -1, bestRating: 0.5, value: null });
      continue;
    }
    let total = 0;
    let worst = Infinity;
    let best = -Infinity;
    let worstDimension = -1;
    let bestDimension = -1;
    for (const d of dims) {
      const g = model.offsets[d]! + design[d]!;
      const rating = tables.ratings[(s * G + g) * C + c]!;
      total += rating;
      if (rating < worst) {
        worst = rating;
        worstDimension = d;
      }
      if (rating > best) {
        best = rating;
        bestDimension = d;
      }
    }
    const score = clamp01(kind === KIND_WEAKEST ? worst : total / dims.length);
    scores.push(score);
    details.push({ score, worstDimension, worstRating: worst, bestDimension, bestRating: best, value: null });
  }
  return { P: pFromTables(tables, s, scores, C), R: resourceOf(model, share, tables.costScales[s]!), scores, details };
}

function pFromTables(tables: ScenarioTables, s: number, scores: readonly number[], C: number): number {
  let P = 0;
  for (let c = 0; c < C; c++) P += tables.coefficients[s * C + c]! * scores[c]!;
  return clamp01(P);
}

export interface DesignTotals {
  P: number;
  R: number;
  I: number;
  hardViolation: boolean;
}

/** A design over all scenarios: the ranker's numbers (used by the search for designs it keeps). */
export function scoreDesign(model: CompiledSpec, tables: ScenarioTables, design: Design): DesignTotals {
  let P = 0;
  let R = 0;
  let hardViolation = false;
  for (let s = 0; s < tables.S; s++) {
    const result = scoreInScenario(model, tables, s, design);
    P += tables.shares[s]! * result.P;
    R += tables.shares[s]! * result.R;
    for (const c of model.hardIndexes) if (!isSatisfiedScore(result.scores[c]!)) hardViolation = true;
  }
  return { P, R, I: P / R, hardViolation };
}

/** Options that fail a hard rated (weakest-link) constraint in some scenario: no design with one of them can pass. */
export function hardFailingOptions(model: CompiledSpec, tables: ScenarioTables): Uint8Array {
  const C = model.constraints.length;
  const G = model.totalOptions;
  const failing = new Uint8Array(G);
  for (const c of model.hardIndexes) {
    if (model.kinds[c] !== KIND_WEAKEST) continue;
    for (const d of model.relevantDimensions[c]!) {
      for (let o = 0; o < model.optionCounts[d]!; o++) {
        const g = model.offsets[d]! + o;
        for (let s = 0; s < tables.S; s++) {
          if (!isSatisfiedScore(tables.ratings[(s * G + g) * C + c]!)) {
            failing[g] = 1;
            break;
          }
        }
      }
    }
  }
  return failing;
}

export function isHardConstraint(model: CompiledSpec, c: number): boolean {
  return isHard(model.constraints[c]!);
}
