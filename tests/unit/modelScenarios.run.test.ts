import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProject, db, getRun, listScenarios } from '../../src/db';
import { FeatureError } from '../../src/domain';
import { modelScenarioMaker } from '../../src/features/runs/modelScenarios';
import { errorSentence } from '../../src/shared/errorSentence';
import { startRunFromChat } from '../../src/features/runs/runActions';
import { RunExecutor } from '../../src/features/runs/runExecutor';
import { inProcessWorker } from './inProcessWorker';
import type { ProviderConfig } from '../../src/llm';
import { always, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';
import { handExampleSpec } from './engine.fixtures';

const cold = {
  scenarios: [
    {
      name: 'A week without signal',
      description: 'Offline matters most; the remote API is nearly useless.',
      type: 'stress_test',
      likelihood: 1.5,
      weightChanges: [{ constraint: 'Offline-first', multiplier: 1.5 }],
      ratingShifts: [{ option: 'Storage/Remote API', constraint: 'Offline-first', shift: -0.1 }],
      attributeScales: [],
    },
  ],
};

let fake: FakeOpenAI;
let provider: ProviderConfig;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p', name: 'Fake local', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  await db.delete();
  await db.open();
});

describe('runs with scenarios from a model', () => {
  it('asks the model before the run, runs on its scenarios and records the model as the scenario stage', async () => {
    fake.script(always, { kind: 'json', value: cold });
    const { project, chat } = await createProject({ title: 'Model scenarios' });
    let asked = 0;
    const make = modelScenarioMaker(provider, 5, () => asked++);
    const spec = handExampleSpec();
    const made = await make(spec);
    expect(asked).toBe(1);
    expect(made.implementation).toEqual({ kind: 'model', provider: 'Fake local', model: 'fake-small' });
    // The run's count includes the baseline: 5 scenarios → the model is asked for 4.
    expect(JSON.stringify(fake.chatRequests()[0]!.body)).toContain('Propose 4 scenarios.');

    const executor = new RunExecutor(() => inProcessWorker());
    const run = await executor.start({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 3, numScenarios: 5, seed: 1 },
      specSnapshot: spec,
      providedScenarios: made.scenarios,
      stageImplementations: { scenarioGenerator: made.implementation },
    });
    await executor.whenFinished(run.id);
    const stored = (await getRun(run.id))!;
    expect(stored.status).toBe('completed');
    expect(stored.metrics.stages).toEqual({
      designer: { kind: 'built-in' },
      scenarioGenerator: { kind: 'model', provider: 'Fake local', model: 'fake-small' },
      evaluator: { kind: 'built-in' },
      ranker: { kind: 'built-in' },
    });
    const scenarios = (await listScenarios(run.id)).sort((a, b) => a.index - b.index);
    expect(scenarios.map((scenario) => scenario.name)).toEqual(['Baseline', 'A week without signal']);
    expect(scenarios[1]!.weightMultipliers).toEqual({ offline: 1.5 });
  });

  it('a model failure is one sentence with its fix, and no run is written', async () => {
    fake.script(always, { kind: 'error', status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' });
    const { project, chat } = await createProject({ title: 'Model scenarios fail' });
    const error = await startRunFromChat({
      projectId: project.id,
      chatId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 3, numScenarios: 4, seed: 1 },
      seedCandidate: null,
      makeScenarios: modelScenarioMaker(provider, 4, () => {}),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeatureError);
    expect(error).toMatchObject({
      layer: 'feature',
      code: 'model_scenarios_failed',
      details: { cause: { layer: 'llm', code: 'unauthorized' } },
    });
    expect(errorSentence(error)).toMatch(/^Fake local could not make scenarios, so no run was started: .*key/i);
    expect(errorSentence(error)).not.toMatch(/\{|\[/);
    expect(await db.runs.count()).toBe(0);
  });
});
