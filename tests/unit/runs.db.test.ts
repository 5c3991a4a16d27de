import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createProject, db, getRun, listCandidates, listEvaluations, listScenarios, markInterruptedRuns } from '../../src/db';
import { completeRun } from '../../src/db/runResults';
import type { RunConfig, SpecContent } from '../../src/domain';
import { runPipeline, type Designer } from '../../src/engine';
import { RunExecutor, type EngineWorker } from '../../src/features/runs/runExecutor';
import { inProcessWorker } from './inProcessWorker';
import { counterIds, handExampleSpec, inputFor, randomSpec } from './engine.fixtures';

async function freshProject() {
  await db.delete();
  await db.open();
  return createProject({ title: 'Runs test' });
}

const config = (overrides: Partial<RunConfig> = {}): RunConfig => ({ numCandidates: 4, numScenarios: 3, seed: 9, ...overrides });

async function resultCounts(runId: string) {
  const [candidates, scenarios, evaluations] = await Promise.all([listCandidates(runId), listScenarios(runId), listEvaluations(runId)]);
  return { candidates: candidates.length, scenarios: scenarios.length, evaluations: evaluations.length };
}

describe('run execution and storage', () => {
  beforeEach(async () => {
    await db.delete();
  });

  it('records a run as running, then completed with all results, counts and metrics in one go', async () => {
    const { project, chat } = await freshProject();
    const executor = new RunExecutor(() => inProcessWorker());
    const spec: SpecContent = handExampleSpec();
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: spec,
    });
    expect(run).toMatchObject({ status: 'running', chatSessionId: chat.id, candidateId: null, specSnapshot: spec });
    expect((await getRun(run.id))!.status).toBe('running');
    expect(executor.isActive(run.id)).toBe(true);

    await executor.whenFinished(run.id);
    const stored = (await getRun(run.id))!;
    expect(stored).toMatchObject({ status: 'completed', candidateCount: 4, scenarioCount: 3, evaluationCount: 12, error: null });
    expect(stored.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(stored.metrics.phaseTimingsMs)).toEqual(['scenarios', 'design', 'evaluate', 'rank']);
    expect(await resultCounts(run.id)).toEqual({ candidates: 4, scenarios: 3, evaluations: 12 });
    const candidates = await listCandidates(run.id);
    expect(candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4]);
    expect(stored.metrics.bestI).toBe(candidates[0]!.scores.I);
    expect((await db.projects.get(project.id))!.runCount).toBe(1);
    expect(executor.isActive(run.id)).toBe(false);
    // The origin chat hears about it.
    const messages = await db.messages.where('chatSessionId').equals(chat.id).toArray();
    expect(messages.some((message) => message.meta?.kind === 'runSummary')).toBe(true);
  });

  it('records the seed candidate of a seeded run', async () => {
    const { project, chat } = await freshProject();
    const executor = new RunExecutor(() => inProcessWorker());
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'seeded',
      config: config({ seedCandidateId: 'seed-1' }),
      specSnapshot: handExampleSpec(),
      seedCandidate: { id: 'seed-1', label: 'IndexedDB · Light UI', choices: { storage: 'idb', ui: 'light' } },
    });
    await executor.whenFinished(run.id);
    const stored = (await getRun(run.id))!;
    expect(stored).toMatchObject({ status: 'completed', candidateId: 'seed-1', mode: 'seeded' });
    expect((await listCandidates(run.id)).every((c) => c.parentIds[0] === 'seed-1')).toBe(true);
  });

  it('cancel ends the run cancelled, with no results stored', async () => {
    const { project, chat } = await freshProject();
    const executor = new RunExecutor(() => inProcessWorker({ yieldEveryMs: 0 }));
    const spec = randomSpec({ dimensions: 9, options: 4, constraints: 4, seed: 1 });
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: spec,
    });
    // Cancel once the worker reports it is searching.
    await new Promise<void>((resolve) => {
      const stop = executor.subscribe(() => {
        if (executor.progressOf(run.id)?.stage === 'design') {
          stop();
          resolve();
        }
      });
    });
    expect(executor.cancel(run.id)).toBe(true);
    expect(executor.isCancelling(run.id)).toBe(true);
    await executor.whenFinished(run.id);
    expect(await getRun(run.id)).toMatchObject({
      status: 'cancelled',
      candidateCount: 0,
      evaluationCount: 0,
      error: 'Cancelled by the user. No results were kept.',
    });
    expect(await resultCounts(run.id)).toEqual({ candidates: 0, scenarios: 0, evaluations: 0 });
  });

  it('a failing stage ends the run failed with its message', async () => {
    const { project, chat } = await freshProject();
    const broken: Designer = { design: () => Promise.reject(new Error('language model unavailable')) };
    const executor = new RunExecutor(() => inProcessWorker({ stages: { designer: broken } }));
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: handExampleSpec(),
    });
    await executor.whenFinished(run.id);
    expect(await getRun(run.id)).toMatchObject({
      status: 'failed',
      error: 'The run stopped on an unexpected error: language model unavailable.',
    });
    expect(await resultCounts(run.id)).toEqual({ candidates: 0, scenarios: 0, evaluations: 0 });
  });

  it('a crashed worker fails its runs instead of leaving them running', async () => {
    const { project, chat } = await freshProject();
    const crashing: EngineWorker = {
      onmessage: null,
      onerror: null,
      terminate() {},
      postMessage() {
        setTimeout(() => crashing.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent), 0);
      },
    };
    const executor = new RunExecutor(() => crashing);
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: handExampleSpec(),
    });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await executor.whenFinished(run.id);
    // The user reads what happened and what to do; the worker's own text goes to the console.
    expect(await getRun(run.id)).toMatchObject({
      status: 'failed',
      error: 'The engine worker stopped unexpectedly. Start the run again; if it keeps happening, reload the app.',
    });
    expect(consoleError).toHaveBeenCalledWith('The engine worker stopped unexpectedly', 'out of memory');
    consoleError.mockRestore();
  });

  it('saving results is all or nothing, and never revives a run another tab marked interrupted', async () => {
    const { project, chat } = await freshProject();
    const executor = new RunExecutor(() => inProcessWorker());
    const first = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: handExampleSpec(),
    });
    await executor.whenFinished(first.id);

    // A run whose results collide with stored rows: the transaction aborts, nothing is half-written.
    const { beginRun } = await import('../../src/db/runResults');
    const second = await beginRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: config(),
      specSnapshot: handExampleSpec(),
    });
    const results = await runPipeline(
      { ...inputFor(handExampleSpec(), config()), runId: second.id, projectId: project.id },
      { newId: counterIds('dup') },
    );
    const existing = (await listEvaluations(first.id))[0]!;
    results.evaluations[results.evaluations.length - 1]!.id = existing.id;
    await expect(completeRun(second.id, results)).rejects.toThrow();
    expect(await getRun(second.id)).toMatchObject({ status: 'running', candidateCount: 0 });
    expect(await resultCounts(second.id)).toEqual({ candidates: 0, scenarios: 0, evaluations: 0 });

    // Another tab's start-up marks it interrupted; late results are refused.
    await markInterruptedRuns();
    const fresh = await runPipeline({ ...inputFor(handExampleSpec(), config()), runId: second.id, projectId: project.id });
    await expect(completeRun(second.id, fresh)).rejects.toMatchObject({ code: 'run_not_running', details: { status: 'interrupted' } });
    expect(await getRun(second.id)).toMatchObject({ status: 'interrupted' });
    expect(await resultCounts(second.id)).toEqual({ candidates: 0, scenarios: 0, evaluations: 0 });
  });
});
