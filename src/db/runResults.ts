/**
 * Run lifecycle writes. Each step is one transaction, so a run's status and
 * its stored results always agree: results exist only for `completed` runs,
 * and a run never stays `running` once its worker has answered.
 */
import Dexie from 'dexie';
import { DbError, type Candidate, type Evaluation, type Run, type RunMetrics, type Scenario } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';
import { createRun, type NewRunInput } from './runs';
import { postRunSummaryInTransaction, runSummaryTables } from './workflow';

export type BeginRunInput = NewRunInput;

/** Creates the run already `running` (project runCount +1), in one transaction. */
export function beginRun(input: BeginRunInput): Promise<Run> {
  return createRun(input, 'running');
}

export interface RunResultsInput {
  candidates: Candidate[];
  scenarios: Scenario[];
  evaluations: Evaluation[];
  metrics: RunMetrics;
}

export class RunNotRunningError extends DbError<'run_not_running'> {
  constructor(run: Run) {
    super('run_not_running', { runId: run.id, status: run.status });
  }
}

async function deleteResultsOf(runId: string): Promise<void> {
  await Promise.all([
    db.candidates.where('runId').equals(runId).delete(),
    db.scenarios.where('runId').equals(runId).delete(),
    db.evaluations.where('runId').equals(runId).delete(),
  ]);
}

/**
 * Saves every candidate, scenario and evaluation, and the status, counts,
 * duration and metrics, in ONE transaction: either the run is `completed`
 * with all its results, or nothing changed. Refuses a run that is no longer
 * `running` (another tab marked it interrupted), so a late result cannot
 * resurrect it.
 */
export async function completeRun(runId: string, results: RunResultsInput): Promise<Run> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.scenarios, db.evaluations, ...runSummaryTables()], async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new NotFoundError('Run', runId);
      if (run.status !== 'running') throw new RunNotRunningError(run);
      const foreign = [...results.candidates, ...results.scenarios, ...results.evaluations].find((row) => row.runId !== runId);
      if (foreign) throw new DbError('integrity_broken', { what: `a result row belongs to run ${foreign.runId}, not ${runId}` });
      const now = monotonicNow();
      await deleteResultsOf(runId);
      await db.scenarios.bulkAdd(results.scenarios);
      await db.candidates.bulkAdd(results.candidates);
      await db.evaluations.bulkAdd(results.evaluations);
      const completed: Run = {
        ...run,
        status: 'completed',
        completedAt: now,
        durationMs: Math.max(0, now - (run.startedAt ?? run.createdAt)),
        candidateCount: results.candidates.length,
        scenarioCount: results.scenarios.length,
        evaluationCount: results.evaluations.length,
        metrics: results.metrics,
        error: null,
      };
      await db.runs.put(completed);
      await touchProject(run.projectId, now);
      // The origin chat hears the result in the same transaction (src/db/workflow.ts).
      await postRunSummaryInTransaction(
        completed,
        [...results.candidates].sort((a, b) => a.rank - b.rank),
      );
      return completed;
    }),
  );
}

/** The run's row once it ended with no results: its status, when and why, and no counts. */
function endedWithoutResults(run: Run, status: 'cancelled' | 'failed', error: string): Run {
  const now = monotonicNow();
  return {
    ...run,
    status,
    completedAt: now,
    durationMs: Math.max(0, now - (run.startedAt ?? run.createdAt)),
    candidateCount: 0,
    scenarioCount: 0,
    evaluationCount: 0,
    error,
  };
}

/**
 * Ends a run as `cancelled` or `failed`: no results remain, counts are 0, and
 * the error (if any) is kept for display. A run that already ended is left as it is.
 */
export async function endRunWithoutResults(runId: string, status: 'cancelled' | 'failed', error: string | null): Promise<Run> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.scenarios, db.evaluations, ...runSummaryTables()], async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new NotFoundError('Run', runId);
      if (run.status !== 'running' && run.status !== 'created') return run;
      await deleteResultsOf(runId);
      const ended = endedWithoutResults(
        run,
        status,
        status === 'cancelled' ? (error ?? 'Cancelled by the user. No results were kept.') : (error ?? 'The run failed.'),
      );
      await db.runs.put(ended);
      await postRunSummaryInTransaction(ended, []);
      return ended;
    }),
  );
}

/** What a run says when its results did not fit: what happened, that nothing partial was kept, and what to do. */
export const RESULTS_STORAGE_FULL_REASON =
  'Storage is full, so this run’s results could not be saved and nothing partial was kept. Free space by exporting and deleting old runs or projects, then re-run it.';

/**
 * Ends a run with the smallest write there is, for when the disk is full: the run's own row, with its status and
 * reason. Nothing else is touched: there are no results to delete (completeRun writes them in one transaction, so a
 * refused write kept none), and no summary is posted to its chat (a new message is more data the disk would refuse).
 * A run that already ended is left as it is.
 */
export async function endRunStatusOnly(runId: string, status: 'cancelled' | 'failed', error: string): Promise<Run> {
  return guardedWrite(() =>
    db.transaction('rw', db.runs, async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new NotFoundError('Run', runId);
      if (run.status !== 'running' && run.status !== 'created') return run;
      const ended = endedWithoutResults(run, status, error);
      await db.runs.put(ended);
      return ended;
    }),
  );
}

/** Candidates of several runs in one query, best first per run (for the seed and eval pickers). */
export async function listCandidatesOfRuns(runIds: readonly string[]): Promise<Candidate[]> {
  if (runIds.length === 0) return [];
  const rows = await db.candidates
    .where('runId')
    .anyOf([...runIds])
    .toArray();
  return rows.sort((a, b) => (a.runId === b.runId ? a.rank - b.rank : runIds.indexOf(a.runId) - runIds.indexOf(b.runId)));
}

/** Candidates by id, in one query (lineage links). */
export async function getCandidates(ids: readonly string[]): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  const rows = await db.candidates.bulkGet([...ids]);
  return rows.filter((row): row is Candidate => row !== undefined);
}

/** The chat's runs, newest first. */
export async function listChatRuns(chatSessionId: string, limit = 20): Promise<Run[]> {
  return db.runs
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, Dexie.minKey], [chatSessionId, Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
}
