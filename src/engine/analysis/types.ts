import type { Candidate, Evaluation, Run, Scenario } from '../../domain';

/** Everything stored for one run: what the analysis functions read. */
export interface RunData {
  run: Run;
  /** Any order; functions sort by rank themselves. */
  candidates: readonly Candidate[];
  scenarios: readonly Scenario[];
  evaluations: readonly Evaluation[];
}
