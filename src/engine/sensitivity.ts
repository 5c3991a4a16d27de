/**
 * Weight sensitivity from a run's own evaluations (docs/engine.md, "Sensitivity"):
 * for each soft constraint with a weight (1–99), the whole-number weights
 * 0..99 over which the run's #1 stays #1 while every other weight stays put.
 * Scores and R do not depend on weights, so each candidate's P is re-weighted
 * from the stored per-scenario scores exactly as the evaluator weights them;
 * no second run is needed.
 */
import { isHard, type Constraint, describeSensitivity, SENSITIVITY_MAX_WEIGHT } from '../domain';
import { weightedP } from './objective';
import { sameNumber } from './ranker';

export interface SensitivityEntry {
  constraintId: string;
  name: string;
  weight: number;
  /** #1 stays #1 for every whole weight from low to high (inclusive). */
  low: number;
  high: number;
  /** Who becomes #1 just below `low` / just above `high` (null at 0 / 99). */
  belowLabel: string | null;
  aboveLabel: string | null;
}

export interface SensitivityCandidate {
  label: string;
  /** Design order: the ranker's last tie-break. */
  index: number;
  hardViolation: boolean;
  /** Per scenario: the stored constraint scores in constraint order, and R. */
  perScenario: { scores: number[]; R: number }[];
}

export interface SensitivityScenario {
  weight: number;
  weightMultipliers: Record<string, number>;
}

function effectiveWeights(weights: readonly number[]): number[] {
  return weights.some((w) => w > 0) ? [...weights] : weights.map(() => 1);
}

/** The index (into `candidates`) of #1 under the given raw weights, with the ranker's order. */
export function leaderUnder(
  constraints: readonly Constraint[],
  weights: readonly number[],
  scenarios: readonly SensitivityScenario[],
  candidates: readonly SensitivityCandidate[],
): number {
  const ids = constraints.map((c) => c.id);
  const effective = effectiveWeights(weights);
  const total = scenarios.reduce((sum, s) => sum + s.weight, 0);
  let best = -1;
  let bestP = 0;
  let bestI = 0;
  candidates.forEach((candidate, i) => {
    let P = 0;
    let R = 0;
    candidate.perScenario.forEach((entry, s) => {
      const share = scenarios[s]!.weight / total;
      P += share * weightedP(effective, ids, scenarios[s]!.weightMultipliers, entry.scores);
      R += share * entry.R;
    });
    P = Math.min(1, Math.max(0, P));
    const I = P / R;
    if (best < 0) {
      best = i;
      bestP = P;
      bestI = I;
      return;
    }
    const current = candidates[best]!;
    const better =
      candidate.hardViolation !== current.hardViolation
        ? !candidate.hardViolation
        : !sameNumber(I, bestI)
          ? I > bestI
          : !sameNumber(P, bestP)
            ? P > bestP
            : candidate.index < current.index;
    if (better) {
      best = i;
      bestP = P;
      bestI = I;
    }
  });
  return best;
}

export function weightSensitivity(
  constraints: readonly Constraint[],
  scenarios: readonly SensitivityScenario[],
  candidates: readonly SensitivityCandidate[],
): SensitivityEntry[] {
  if (candidates.length < 2) return [];
  const weights = constraints.map((c) => c.weight);
  const leader = leaderUnder(constraints, weights, scenarios, candidates);
  const entries: SensitivityEntry[] = [];
  constraints.forEach((constraint, c) => {
    if (isHard(constraint) || constraint.weight <= 0) return;
    const at = (w: number) => {
      const changed = [...weights];
      changed[c] = w;
      return leaderUnder(constraints, changed, scenarios, candidates);
    };
    let low = constraint.weight;
    let below: number | null = null;
    while (low > 0) {
      const who = at(low - 1);
      if (who !== leader) {
        below = who;
        break;
      }
      low--;
    }
    let high = constraint.weight;
    let above: number | null = null;
    while (high < SENSITIVITY_MAX_WEIGHT) {
      const who = at(high + 1);
      if (who !== leader) {
        above = who;
        break;
      }
      high++;
    }
    entries.push({
      constraintId: constraint.id,
      name: constraint.name,
      weight: constraint.weight,
      low,
      high,
      belowLabel: below === null ? null : candidates[below]!.label,
      aboveLabel: above === null ? null : candidates[above]!.label,
    });
  });
  return entries;
}

export { describeSensitivity, SENSITIVITY_MAX_WEIGHT };
