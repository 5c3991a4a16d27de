import type { Run, SpecContent } from '../../src/domain';
import { runPipeline } from '../../src/engine';
import type { RunData } from '../../src/engine/analysis';
import { counterIds, inputFor } from './engine.fixtures';

/** A completed run of `spec`, as the app would have stored it. */
export async function completedRunData(
  spec: SpecContent,
  config: { numCandidates: number; numScenarios: number; seed?: number },
  runId = 'run-1',
): Promise<RunData> {
  const input = inputFor(spec, { seed: 42, ...config }, { runId });
  const result = await runPipeline(input, { newId: counterIds(runId), now: () => 1000 });
  const run: Run = {
    id: runId,
    projectId: 'project-1',
    chatSessionId: 'chat-1',
    candidateId: null,
    mode: input.mode,
    config: input.config,
    specSnapshot: spec,
    status: 'completed',
    createdAt: 1000,
    startedAt: 1000,
    completedAt: 1000 + result.durationMs,
    durationMs: result.durationMs,
    candidateCount: result.candidates.length,
    scenarioCount: result.scenarios.length,
    evaluationCount: result.evaluations.length,
    metrics: result.metrics,
    error: null,
    name: '',
    tags: [],
    notes: '',
  };
  return { run, candidates: result.candidates, scenarios: result.scenarios, evaluations: result.evaluations };
}
