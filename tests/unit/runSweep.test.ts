import { beforeEach, describe, expect, it } from 'vitest';
import { createProject, db, getRun, runLockName, sweepInterruptedRuns } from '../../src/db';
import { beginRun, endRunWithoutResults } from '../../src/db/runResults';
import { emptySpecContent } from '../../src/domain';
import { FakeLocks } from '../support/fakeLocks';

async function startedRun(projectId: string) {
  return beginRun({
    projectId,
    chatSessionId: null,
    mode: 'full_search',
    config: { numCandidates: 2, numScenarios: 2, seed: 1 },
    specSnapshot: emptySpecContent(),
  });
}

const statusOf = async (id: string) => (await getRun(id))?.status;

describe('the start-up sweep of unfinished runs', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('marks a run nobody holds interrupted at once', async () => {
    const { project } = await createProject({ title: 'P' });
    const run = await startedRun(project.id);
    const sweep = await sweepInterruptedRuns(new FakeLocks());
    expect(sweep.interrupted.map((r) => r.id)).toEqual([run.id]);
    expect(await statusOf(run.id)).toBe('interrupted');
  });

  it('spares a run whose lock is held, and marks it interrupted once the holder lets go without ending it (its tab closed)', async () => {
    const { project } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const run = await startedRun(project.id);
    const releaseRun = locks.hold(runLockName(run.id));
    const sweep = await sweepInterruptedRuns(locks);
    expect(sweep.interrupted).toEqual([]);
    expect(await statusOf(run.id)).toBe('running');
    // The closing tab's lock goes away only now, after the sweep looked.
    releaseRun();
    await sweep.watched;
    expect(await statusOf(run.id)).toBe('interrupted');
  });

  it('leaves a run alone that its tab ended before letting go of the lock', async () => {
    const { project } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const run = await startedRun(project.id);
    const releaseRun = locks.hold(runLockName(run.id));
    const sweep = await sweepInterruptedRuns(locks);
    await endRunWithoutResults(run.id, 'cancelled', null);
    releaseRun();
    await sweep.watched;
    expect(await statusOf(run.id)).toBe('cancelled');
  });

  it('does not mistake a run another tab starts while the locks are listed for an orphan', async () => {
    const { project } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    let late: string | null = null;
    locks.afterSnapshot = async () => {
      // Another tab takes the new run's lock and writes it: the snapshot already taken does not list that lock.
      locks.afterSnapshot = null;
      late = (await startedRun(project.id)).id;
      locks.hold(runLockName(late));
    };
    const sweep = await sweepInterruptedRuns(locks);
    expect(late).not.toBeNull();
    expect(sweep.interrupted).toEqual([]);
    expect(await statusOf(late!)).toBe('running');
  });
});
