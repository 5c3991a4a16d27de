/**
 * The order records are written in an export file. It does not depend on ids
 * (which change on import), so export → import → export yields the same
 * sequence of records. Each table is ordered on its own, as soon as it and the
 * tables its order depends on are read: chats and messages by time, runs by
 * time, a run's candidates by rank and its scenarios by index, and evaluations
 * by their candidate's and scenario's places.
 */
import type { Candidate, ChatSession, Evaluation, Message, Run, Scenario } from '../domain';

function byCreatedThenId<T extends { createdAt: number; id: string }>(a: T, b: T): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function inTimeOrder<T extends ChatSession | Message | Run>(records: readonly T[]): T[] {
  return [...records].sort(byCreatedThenId);
}

export interface RunResultsInOrder {
  runs: Run[];
  candidates: Candidate[];
  scenarios: Scenario[];
}

export function runResultsInOrder(
  runs: readonly Run[],
  candidates: readonly Candidate[],
  scenarios: readonly Scenario[],
): RunResultsInOrder {
  const sortedRuns = inTimeOrder(runs);
  const runOrder = new Map(sortedRuns.map((run, index) => [run.id, index]));
  const rank = (runId: string) => runOrder.get(runId) ?? Number.MAX_SAFE_INTEGER;
  return {
    runs: sortedRuns,
    candidates: [...candidates].sort((a, b) => rank(a.runId) - rank(b.runId) || a.rank - b.rank || (a.id < b.id ? -1 : 1)),
    scenarios: [...scenarios].sort((a, b) => rank(a.runId) - rank(b.runId) || a.index - b.index || (a.id < b.id ? -1 : 1)),
  };
}

/** Evaluations follow their candidates, then their scenarios, both already in export order. */
export function evaluationsInOrder(
  evaluations: readonly Evaluation[],
  candidates: readonly Candidate[],
  scenarios: readonly Scenario[],
): Evaluation[] {
  const candidateOrder = new Map(candidates.map((c, index) => [c.id, index]));
  const scenarioOrder = new Map(scenarios.map((s, index) => [s.id, index]));
  return [...evaluations].sort(
    (a, b) =>
      (candidateOrder.get(a.candidateId) ?? 0) - (candidateOrder.get(b.candidateId) ?? 0) ||
      (scenarioOrder.get(a.scenarioId) ?? 0) - (scenarioOrder.get(b.scenarioId) ?? 0) ||
      (a.id < b.id ? -1 : 1),
  );
}
