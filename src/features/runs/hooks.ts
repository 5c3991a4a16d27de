import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import {
  getRun,
  runLockName,
  listCandidates,
  listEvaluations,
  listRuns,
  listScenarios,
  getCandidates,
  listCandidatesOfRuns,
  listChatRuns,
  getUsableProvider,
  loadChatSpecContext,
} from '../../db';
import type { Candidate, Evaluation, Run, Scenario } from '../../domain';
import type { ProgressEvent } from '../../engine';
import { runExecutor, type RunEnd } from './runExecutor';

export function useRun(runId: string | undefined): Run | null | undefined {
  return useLiveQuery(async () => (runId ? ((await getRun(runId)) ?? null) : null), [runId]);
}

export function useChatRuns(chatId: string, limit = 20): Run[] | undefined {
  return useLiveQuery(() => listChatRuns(chatId, limit), [chatId, limit]);
}

export interface RunResultsData {
  candidates: Candidate[];
  scenarios: Scenario[];
  evaluations: Evaluation[];
}

/** All of a run's results in three indexed queries; re-read when the run's status changes. */
export function useRunResults(run: Run | null | undefined): RunResultsData | undefined {
  const key = run ? `${run.id}:${run.status}` : '';
  return useLiveQuery(async () => {
    if (!run || run.status !== 'completed') return { candidates: [], scenarios: [], evaluations: [] };
    const [candidates, scenarios, evaluations] = await Promise.all([
      listCandidates(run.id),
      listScenarios(run.id),
      listEvaluations(run.id),
    ]);
    return { candidates, scenarios, evaluations };
  }, [key]);
}

export function useCandidatesById(ids: readonly string[]): Map<string, Candidate> | undefined {
  const key = ids.join(',');
  return useLiveQuery(async () => new Map((await getCandidates(ids)).map((candidate) => [candidate.id, candidate])), [key]);
}

export function useEffectiveSpec(chatId: string) {
  return useLiveQuery(async () => (await loadChatSpecContext(chatId)).effective, [chatId]);
}

export interface PickableCandidate {
  candidate: Candidate;
  run: Run;
}

/** Candidates of the project's latest completed runs, for the seed and eval-only pickers. */
export function usePickableCandidates(projectId: string): PickableCandidate[] | undefined {
  return useLiveQuery(async () => {
    const { runs } = await listRuns({ projectId, status: 'completed', limit: 12 });
    const candidates = await listCandidatesOfRuns(runs.map((run) => run.id));
    const byId = new Map(runs.map((run) => [run.id, run]));
    return candidates.map((candidate) => ({ candidate, run: byId.get(candidate.runId)! }));
  }, [projectId]);
}

export interface LiveRunState {
  active: boolean;
  cancelling: boolean;
  progress: ProgressEvent | null;
  /** How the run ended in this tab when storage refused to record it (it still reads `running` there). */
  unsavedEnd: RunEnd | null;
}

/** Progress of a run executing in this tab, pushed by the worker. */
export function useLiveRunState(runId: string | undefined): LiveRunState {
  const executor = runExecutor();
  const subscribe = useCallback((listener: () => void) => executor.subscribe(listener), [executor]);
  const active = useSyncExternalStore(subscribe, () => (runId ? executor.isActive(runId) : false));
  const cancelling = useSyncExternalStore(subscribe, () => (runId ? executor.isCancelling(runId) : false));
  const progress = useSyncExternalStore(subscribe, () => (runId ? executor.progressOf(runId) : null));
  const unsavedEnd = useSyncExternalStore(subscribe, () => (runId ? executor.unsavedEndOf(runId) : null));
  return { active, cancelling, progress, unsavedEnd };
}

/** The model a run could ask for scenarios (`undefined` while loading); follows Settings → Models live. */
export function useScenarioModel() {
  return useLiveQuery(async () => {
    try {
      return await getUsableProvider();
    } catch {
      return { status: 'none' as const };
    }
  }, []);
}

/**
 * Whether some tab holds the run's Web Lock, i.e. is executing it (a tab takes the lock before it writes the run), for a
 * run that reads `running` but is not executing here; null while asking, or where the browser has no Web Locks.
 */
export function useRunLockHeld(runId: string, ask: boolean): boolean | null {
  const [held, setHeld] = useState<boolean | null>(null);
  useEffect(() => {
    if (!ask || typeof navigator === 'undefined' || !navigator.locks) return;
    let cancelled = false;
    void navigator.locks.query().then((snapshot) => {
      if (!cancelled) setHeld((snapshot.held ?? []).some((lock) => lock.name === runLockName(runId)));
    });
    return () => {
      cancelled = true;
    };
  }, [runId, ask]);
  return held;
}
