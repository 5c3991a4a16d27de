// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine';
import { counterIds, handExampleSpec, inputFor } from './engine.fixtures';

/**
 * A constraint is scored over the dimensions that rate it. Here only Storage
 * speaks to Offline-first; the UI dimension rates Speed alone, so it must not
 * pull a 0.1 offline rating up to a passing mean.
 */
describe('constraint scores count only the dimensions that rate the constraint', () => {
  function spec() {
    const base = handExampleSpec();
    for (const option of base.designSpace.dimensions[1]!.options) delete option.ratings.offline;
    return base;
  }

  it('a bad option on the only relevant dimension breaks a hard constraint', async () => {
    const result = await runPipeline(inputFor(spec(), { numCandidates: 4, numScenarios: 1 }), { newId: counterIds(), now: () => 1000 });
    const remote = result.candidates.filter((candidate) => candidate.choices.storage === 'remote');
    expect(remote).toHaveLength(2);
    for (const candidate of remote) {
      expect(candidate.scores.constraintSatisfaction.offline!.score).toBeCloseTo(0.1, 12);
      expect(candidate.hardViolations).toEqual(['offline']);
      expect(candidate.status).toBe('rejected');
    }
    const idbLight = result.candidates.find((candidate) => candidate.choices.storage === 'idb' && candidate.choices.ui === 'light')!;
    // Offline from Storage alone (0.9); Speed from both dimensions ((0.4 + 0.9) / 2).
    expect(idbLight.scores.constraintSatisfaction.offline!.score).toBeCloseTo(0.9, 12);
    expect(idbLight.scores.constraintSatisfaction.speed!.score).toBeCloseTo(0.65, 12);
    expect(idbLight.scores.P).toBeCloseTo((100 * 0.9 + 50 * 0.65) / 150, 12);
    expect(idbLight.predictedEffects.offline).toBe(0.9);
    expect(result.candidates[0]!.choices.storage).toBe('idb');
  });

  it('a constraint no dimension rates counts as neutral 0.5', async () => {
    const unrated = spec();
    unrated.constraints.push({ id: 'privacy', name: 'Privacy', description: '', weight: 30, combine: 'mean', quantity: null });
    const result = await runPipeline(inputFor(unrated, { numCandidates: 4, numScenarios: 1 }), { newId: counterIds(), now: () => 1000 });
    for (const candidate of result.candidates) expect(candidate.scores.constraintSatisfaction.privacy!.score).toBeCloseTo(0.5, 12);
  });
});
