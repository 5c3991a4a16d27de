import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createProject,
  db,
  getRun,
  listCandidates,
  listEvaluations,
  listScenarios,
  StorageFullError,
  sweepInterruptedRuns,
} from '../../src/db';
import { RESULTS_STORAGE_FULL_REASON } from '../../src/db/runResults';
import type { RunConfig } from '../../src/domain';
import { RunExecutor } from '../../src/features/runs/runExecutor';
import { currentStorageFullNotice, dismissStorageFull } from '../../src/shared/storageFullNotice';
import { FakeLocks } from '../support/fakeLocks';
import { handExampleSpec } from './engine.fixtures';
import { inProcessWorker } from './inProcessWorker';

const config: RunConfig = { numCandidates: 4, numScenarios: 3, seed: 9 };
const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

async function resultCounts(runId: string) {
  const [candidates, scenarios, evaluations] = await Promise.all([listCandidates(runId), listScenarios(runId), listEvaluations(runId)]);
  return candidates.length + scenarios.length + evaluations.length;
}

async function startRun(executor: RunExecutor) {
  const { project, chat } = await createProject({ title: 'Full disk' });
  return executor.start({ projectId: project.id, chatSessionId: chat.id, mode: 'full_search', config, specSnapshot: handExampleSpec() });
}

/** Run-summary messages posted to any chat (the full end of a run posts one; the smallest write does not). */
async function runSummaries() {
  return (await db.messages.toArray()).filter((message) => message.meta?.kind === 'runSummary').length;
}

describe('a run on a full disk', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dismissStorageFull();
  });

  it('whose results are refused ends failed with the storage-full reason, by a status-only write, and says so', async () => {
    const executor = new RunExecutor(() => inProcessWorker());
    // The results are the big write: the disk takes the run's row but not its evaluations.
    vi.spyOn(db.evaluations, 'bulkAdd').mockRejectedValue(quotaExceeded());
    const run = await startRun(executor);
    await executor.whenFinished(run.id);
    expect(await getRun(run.id)).toMatchObject({ status: 'failed', error: RESULTS_STORAGE_FULL_REASON, candidateCount: 0 });
    expect(await resultCounts(run.id)).toBe(0);
    expect(await runSummaries()).toBe(0);
    expect(currentStorageFullNotice()).toBe(RESULTS_STORAGE_FULL_REASON);
    expect(executor.isActive(run.id)).toBe(false);
    expect(executor.unsavedEndOf(run.id)).toBeNull();
  });

  it('that cannot even store its status is shown ended in this tab, and the start-up sweep ends it once there is space', async () => {
    const executor = new RunExecutor(() => inProcessWorker());
    const run = await startRun(executor);
    // From here on every write of a run's row is refused, as on a disk that filled up while the run was working.
    vi.spyOn(db.evaluations, 'bulkAdd').mockRejectedValue(quotaExceeded());
    const putRun = vi.spyOn(db.runs, 'put').mockRejectedValue(quotaExceeded());
    await executor.whenFinished(run.id);
    expect((await getRun(run.id))!.status).toBe('running');
    expect(executor.isActive(run.id)).toBe(false);
    expect(executor.unsavedEndOf(run.id)).toEqual({ status: 'failed', error: RESULTS_STORAGE_FULL_REASON });
    expect(currentStorageFullNotice()).toBe(RESULTS_STORAGE_FULL_REASON);
    expect(await resultCounts(run.id)).toBe(0);

    // Reopened with the disk still full: the sweep cannot write either, and says so by rejecting with StorageFullError.
    await expect(sweepInterruptedRuns(new FakeLocks())).rejects.toBeInstanceOf(StorageFullError);
    putRun.mockRestore();
    const sweep = await sweepInterruptedRuns(new FakeLocks());
    expect(sweep.interrupted.map((ended) => ended.id)).toEqual([run.id]);
    expect((await getRun(run.id))!.status).toBe('interrupted');
  });

  it('that is cancelled while the disk is full still ends cancelled, without its chat summary', async () => {
    const executor = new RunExecutor(() => inProcessWorker({ yieldEveryMs: 0 }));
    const run = await startRun(executor);
    vi.spyOn(db.messages, 'bulkAdd').mockRejectedValue(quotaExceeded());
    executor.cancel(run.id);
    await executor.whenFinished(run.id);
    expect(await getRun(run.id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by the user. No results were kept.' });
    expect(await runSummaries()).toBe(0);
    expect(executor.unsavedEndOf(run.id)).toBeNull();
  });
});
