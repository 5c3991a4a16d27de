/**
 * Pareto dominance on (P ↑, R ↓) (docs/engine.md, "Pareto"): A dominates B when
 * P_A ≥ P_B and R_A ≤ R_B with at least one strict, up to a tolerance of 1e-9 so
 * the same design scored by the search and by the ranker compares equal.
 */
export interface ParetoPoint {
  P: number;
  R: number;
}

export const PARETO_TOLERANCE = 1e-9;

export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const t = PARETO_TOLERANCE;
  return a.P >= b.P - t && a.R <= b.R + t && (a.P > b.P + t || a.R < b.R - t);
}

/** For each point: does some point of `against` dominate it? (Callers pass feasible designs only, when any exist.) */
export function dominatedMarks(points: readonly ParetoPoint[], against: readonly ParetoPoint[]): boolean[] {
  return points.map((point) => against.some((other) => dominates(other, point)));
}

/**
 * Drops the points another point of the same list dominates within the tolerance.
 * The search's staircases compare exactly (so a P lower by 1e-17 keeps a costlier twin);
 * filtering them with the tolerant rule is enough, because every design a staircase
 * dropped is exactly dominated by one it kept, and whatever that design dominated
 * within the tolerance, its keeper dominates too.
 */
export function withoutDominated<T extends ParetoPoint>(points: readonly T[]): T[] {
  return points.filter((point) => !points.some((other) => other !== point && dominates(other, point)));
}
