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
