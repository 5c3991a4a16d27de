// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine';
import { generateModelScenarios, LlmError, type ProviderConfig } from '../../src/llm';
import { always, lastUserText, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';
import { counterIds, handExampleSpec, inputFor } from './engine.fixtures';

let fake: FakeOpenAI;
let provider: ProviderConfig;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p', name: 'Fake local', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());

const good = {
  scenarios: [
    {
      name: 'Flight with no signal for a week',
      description: 'Offline matters more, the remote API is nearly useless.',
      type: 'stress_test',
      likelihood: 1.5,
      weightChanges: [{ constraint: 'offline-first', multiplier: 1.5 }],
      ratingShifts: [
        { option: 'Storage/Remote API', constraint: 'Offline-first', shift: -0.1 },
        { option: 'Heavy UI', constraint: 'Speed', shift: -0.2 },
      ],
      attributeScales: [],
    },
  ],
};

describe('model scenario stage', () => {
  it('validates names into ids and bounds, repairs once, and the run uses the drafts and records the model', async () => {
    fake.reset();
    fake.script(always, { kind: 'json', value: good });
    fake.script(
      always,
      { kind: 'json', value: { scenarios: [{ ...good.scenarios[0], weightChanges: [{ constraint: 'Latency', multiplier: 9 }] }] } },
      { times: 1 },
    );
    const spec = handExampleSpec();
    const result = await generateModelScenarios({ provider, spec, count: 3 });
    expect(lastUserText(fake.chatRequests()[1]!)).toContain('there is no constraint named "Latency"');
    expect(lastUserText(fake.chatRequests()[1]!)).toContain('the weight multiplier for "Latency" must be between 0.2 and 5 (got 9)');
    expect(result.implementation).toEqual({ kind: 'model', provider: 'Fake local', model: 'fake-small' });
    expect(result.scenarios[0]!.name).toBe('Baseline');
    expect(result.scenarios[1]).toEqual({
      index: 1,
      name: 'Flight with no signal for a week',
      description: 'Offline matters more, the remote API is nearly useless.',
      type: 'stress_test',
      focus: ['Offline-first', 'Speed'],
      weight: 1.5,
      weightMultipliers: { offline: 1.5 },
      ratingShifts: { remote: { offline: -0.1 }, heavy: { speed: -0.2 } },
      attributeScales: {},
    });
    const run = await runPipeline(
      inputFor(
        spec,
        { numCandidates: 2 },
        { providedScenarios: result.scenarios, stageImplementations: { scenarioGenerator: result.implementation } },
      ),
      { newId: counterIds(), now: () => 1 },
    );
    expect(run.scenarios.map((scenario) => scenario.name)).toEqual(['Baseline', 'Flight with no signal for a week']);
    expect(run.metrics.stages?.scenarioGenerator).toEqual({ kind: 'model', provider: 'Fake local', model: 'fake-small' });
  });

  it('fails with invalid_output (sentences in the detail) when the repair round fails too', async () => {
    fake.reset();
    fake.script(always, {
      kind: 'json',
      value: { scenarios: [{ ...good.scenarios[0], ratingShifts: [{ option: 'Teleporter', constraint: 'Speed', shift: 0.9 }] }] },
    });
    const error = await generateModelScenarios({ provider, spec: handExampleSpec() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).code).toBe('invalid_output');
    expect((error as LlmError).detail).toMatch(/no option "Teleporter".*between -0\.5 and 0\.5 \(got 0\.9\)/);
  });
});
