// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { runMetricsSchema } from '../../src/domain';
import { runPipeline, type ScenarioDraft } from '../../src/engine';
import { counterIds, handExampleSpec, inputFor } from './engine.fixtures';

const provided: ScenarioDraft[] = [
  {
    index: 7,
    name: 'Cold morning',
    description: 'Batteries lose capacity.',
    type: 'stress_test',
    focus: ['Speed'],
    weight: 2,
    weightMultipliers: { speed: 2 },
    ratingShifts: {},
    attributeScales: {},
  },
  {
    index: 3,
    name: 'Long haul',
    description: 'Offline for days.',
    type: 'edge_case',
    focus: ['Offline-first'],
    weight: 1,
    weightMultipliers: {},
    ratingShifts: { idb: { offline: -0.1 } },
    attributeScales: {},
  },
];

describe('pipeline stage bookkeeping', () => {
  it('records every stage as built-in by default', async () => {
    const result = await runPipeline(inputFor(handExampleSpec(), { numCandidates: 2, numScenarios: 2 }), {
      newId: counterIds(),
      now: () => 1,
    });
    expect(result.metrics.stages).toEqual({
      designer: { kind: 'built-in' },
      scenarioGenerator: { kind: 'built-in' },
      evaluator: { kind: 'built-in' },
      ranker: { kind: 'built-in' },
    });
    expect(runMetricsSchema.safeParse(result.metrics).success).toBe(true);
  });

  it('uses provided scenarios instead of generating, re-indexed by position, and records the stage as told', async () => {
    const result = await runPipeline(
      inputFor(
        handExampleSpec(),
        { numCandidates: 2, numScenarios: 5 },
        {
          providedScenarios: provided,
          stageImplementations: { scenarioGenerator: { kind: 'model', provider: 'openai', model: 'gpt-x' } },
        },
      ),
      { newId: counterIds(), now: () => 1 },
    );
    expect(result.scenarios.map((s) => [s.index, s.name, s.weight])).toEqual([
      [0, 'Cold morning', 2],
      [1, 'Long haul', 1],
    ]);
    expect(result.evaluations).toHaveLength(2 * result.candidates.length);
    expect(result.metrics.stages?.scenarioGenerator).toEqual({ kind: 'model', provider: 'openai', model: 'gpt-x' });
    expect(result.metrics.stages?.designer).toEqual({ kind: 'built-in' });
  });

  it('refuses a provided scenario that does not fit the schema, with a sentence', async () => {
    await expect(
      runPipeline(inputFor(handExampleSpec(), {}, { providedScenarios: [{ ...provided[0]!, weight: -1 }] }), {
        newId: counterIds(),
        now: () => 1,
      }),
    ).rejects.toThrow(/Provided scenario 1 \('Cold morning'\) is not usable: weight/);
  });
});
