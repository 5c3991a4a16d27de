import Dexie from 'dexie';
import { newId, runSchema, type Run, type RunConfig, type RunMode, type RunStatus, type SpecContent } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';
import { heldLockNames, type WebLockManager } from './webLocks';
import { postRunSummaryInTransaction, runSummaryTables } from './workflow';

export interface NewRunInput {
  /** Chosen by the caller when it must hold the run's Web Lock before the run exists. */
  id?: string;
  projectId: string;
  chatSessionId: string | null;
  candidateId?: string | null;
  mode: RunMode;
  config: RunConfig;
  specSnapshot: SpecContent;
}

/**
 * Creates a run (project runCount +1) in one transaction: `created` by default,
 * or already `running` when the caller starts executing it at once.
 */
export async function createRun(input: NewRunInput, status: 'created' | 'running' = 'created'): Promise<Run> {
  const now = monotonicNow();
  const run = runSchema.parse({
    id: input.id ?? newId(),
    projectId: input.projectId,
    chatSessionId: input.chatSessionId,
    candidateId: input.candidateId ?? null,
    mode: input.mode,
    config: input.config,
    specSnapshot: input.specSnapshot,
    status,
    createdAt: now,
    startedAt: status === 'running' ? now : null,
    completedAt: null,
    durationMs: null,
    candidateCount: 0,
    scenarioCount: 0,
    evaluationCount: 0,
    metrics: { phaseTimingsMs: {}, bestI: null },
    error: null,
    name: '',
    tags: [],
    notes: '',
  });
  await guardedWrite(() =>
    db.transaction('rw', [db.runs, db.projects], async () => {
      if (!(await db.projects.get(input.projectId))) throw new NotFoundError('Project', input.projectId);
      await db.runs.add(run);
      await touchProject(input.projectId, now, { runs: 1 });
    }),
  );
  return run;
}

export async function getRun(runId: string): Promise<Run | undefined> {
  return db.runs.get(runId);
}

export async function updateRun(runId: string, changes: Partial<Omit<Run, 'id' | 'projectId'>>): Promise<void> {
  await guardedWrite(async () => {
    const updated = await db.runs.update(runId, changes);
    if (!updated && !(await db.runs.get(runId))) throw new NotFoundError('Run', runId);
  });
}

export interface RunQuery {
  projectId: string;
  /** A chat id; `null` selects runs from before chats existed or whose chat was deleted. Omit for all chats. */
  chatSessionId?: string | null;
  status?: RunStatus;
  mode?: RunMode;
  candidateId?: string;
  /** Runs carrying this tag (exactly as stored). */
  tag?: string;
  offset?: number;
  limit?: number;
}

const newestFirst = (a: Run, b: Run) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

export interface RunPage {
  runs: Run[];
  /** True when more runs match past this page. */
  hasMore: boolean;
}

/**
 * Newest first, paged. A chat filter walks the [chatSessionId+createdAt]
 * index, a project-wide status filter [projectId+status+createdAt], and a
 * project listing [projectId+createdAt], so none scans other chats' or other
 * statuses' runs; ties in createdAt break by primary key, which keeps offset
 * paging stable.
 */
export async function listRuns(query: RunQuery): Promise<RunPage> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  let collection: ReturnType<typeof db.runs.toCollection>;
  if (query.candidateId) {
    collection = db.runs
      .where('candidateId')
      .equals(query.candidateId)
      .filter((run) => run.projectId === query.projectId);
  } else if (query.tag !== undefined) {
    // The multiEntry tags index holds only runs carrying the tag; the other filters narrow those.
    const { chatSessionId } = query;
    collection = db.runs
      .where('tags')
      .equals(query.tag)
      .filter((run) => run.projectId === query.projectId && (chatSessionId === undefined || run.chatSessionId === chatSessionId));
  } else if (typeof query.chatSessionId === 'string') {
    collection = db.runs
      .where('[chatSessionId+createdAt]')
      .between([query.chatSessionId, Dexie.minKey], [query.chatSessionId, Dexie.maxKey])
      .reverse();
  } else if (query.status) {
    collection = db.runs
      .where('[projectId+status+createdAt]')
      .between([query.projectId, query.status, Dexie.minKey], [query.projectId, query.status, Dexie.maxKey])
      .reverse();
    if (query.chatSessionId === null) collection = collection.filter((run) => run.chatSessionId === null);
  } else {
    collection = db.runs.where('[projectId+createdAt]').between([query.projectId, Dexie.minKey], [query.projectId, Dexie.maxKey]).reverse();
    if (query.chatSessionId === null) collection = collection.filter((run) => run.chatSessionId === null);
  }
  const { status, mode } = query;
  if (status) collection = collection.filter((run) => run.status === status);
  if (mode) collection = collection.filter((run) => run.mode === mode);
  if (query.tag !== undefined) {
    // The tags index is in tag order, not time order: sort every tagged match, then page.
    const tagged = (await collection.toArray()).sort(newestFirst);
    return { runs: tagged.slice(offset, offset + limit), hasMore: tagged.length > offset + limit };
  }
  const rows = await collection
    .offset(offset)
    .limit(limit + 1)
    .toArray();
  if (query.candidateId) rows.sort(newestFirst);
  return { runs: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The Web Lock a tab holds while it executes a run, so other tabs can tell a live run from an orphan. */
export function runLockName(runId: string): string {
  return `crucible-run:${runId}`;
}

/**
 * A tab closed mid-run leaves the run `running` with no worker behind it.
 * At start-up those become `interrupted`, and any partial results are removed
 * so nothing half-written can look complete. `isAlive` spares runs another
 * open tab is still executing (it holds the run's Web Lock).
 */
export async function markInterruptedRuns(isAlive: (run: Run) => boolean = () => false): Promise<Run[]> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.scenarios, db.evaluations, ...runSummaryTables()], async () => {
      const stale = (await db.runs.where('status').anyOf('running', 'created').toArray()).filter((run) => !isAlive(run));
      const now = monotonicNow();
      for (const run of stale) {
        await Promise.all([
          db.candidates.where('runId').equals(run.id).delete(),
          db.scenarios.where('runId').equals(run.id).delete(),
          db.evaluations.where('runId').equals(run.id).delete(),
        ]);
        const interrupted: Run = {
          ...run,
          status: 'interrupted',
          completedAt: now,
          durationMs: run.startedAt ? now - run.startedAt : null,
          candidateCount: 0,
          scenarioCount: 0,
          evaluationCount: 0,
          error: 'The run was interrupted: the tab was closed or reloaded while it was running.',
        };
        await db.runs.put(interrupted);
        // The chat the run came from hears that it ended, in the same transaction.
        await postRunSummaryInTransaction(interrupted, []);
      }
      return stale.map((run) => ({ ...run, status: 'interrupted' as const }));
    }),
  );
}

export type RunLockManager = WebLockManager;

export interface RunSweep {
  /** Runs marked interrupted now: unfinished, and no tab holds their lock. */
  interrupted: Run[];
  /**
   * Settles when every run another tab was still executing has ended: each is watched by waiting for its lock, and
   * one still unfinished once its lock is free is marked interrupted (its tab closed). Rejects if that write fails.
   */
  watched: Promise<void>;
}

/**
 * The start-up sweep: a run left `running` by a closed tab becomes `interrupted`; one whose lock another tab holds is
 * left alone and watched until that lock is free. Two holes a single snapshot leaves are closed:
 * - the unfinished runs are read BEFORE the locks are listed, and only those are candidates: a tab takes a run's lock
 *   before it writes the run, so a run written after the read (its lock missing from the list) is never mistaken for
 *   an orphan;
 * - a lock still held when the list is taken (a tab that is running the run, or is closing but not yet gone) is waited
 *   for, not trusted forever: once it is released, the run is re-read and marked interrupted if it did not end.
 */
export async function sweepInterruptedRuns(locks: RunLockManager | undefined): Promise<RunSweep> {
  const unfinished = await db.runs.where('status').anyOf('running', 'created').primaryKeys();
  const held = await heldLockNames(locks);
  const orphans = new Set(unfinished.filter((id) => !held.has(runLockName(id))));
  const interrupted = orphans.size > 0 ? await markInterruptedRuns((run) => !orphans.has(run.id)) : [];
  const live = locks ? unfinished.filter((id) => !orphans.has(id)) : [];
  const watched = Promise.all(live.map((id) => locks!.request(runLockName(id), () => markInterruptedRuns((run) => run.id !== id)))).then(
    () => undefined,
  );
  return { interrupted, watched };
}
