// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine';
import { counterIds, handExampleSpec, inputFor } from './engine.fixtures';

/*
 * Hand computation (docs/engine.md, "Worked example"). W = 100 + 50 = 150, D = 2, max cost = 2 + 3 = 5.
 * 'Offline-first' is hard, so it is the weakest link (min); 'Speed' is the mean. (Issue #10 changed the hard
 * rule from the mean to the minimum: under the mean, Remote API (0.1) + Heavy UI (0.8) scored 0.45.)
 *   IndexedDB + Light UI : Offline min(0.9, 0.6) = 0.6, Speed (0.4+0.9)/2 = 0.65, P = (60+32.5)/150 = 0.61667, R = 3/5 = 0.6, I = 1.02778
 *   IndexedDB + Heavy UI : Offline 0.8, Speed 0.35, P = (80+17.5)/150 = 0.65, R = 5/5 = 1, I = 0.65
 *   Remote API + Light UI: Offline 0.1 (< 0.5, hard!), Speed 0.85, P = (10+42.5)/150 = 0.35, R = 2/5 = 0.4, I = 0.875
 *   Remote API + Heavy UI: Offline 0.1 (< 0.5, hard!), Speed 0.55, P = (10+27.5)/150 = 0.25, R = 4/5 = 0.8, I = 0.3125
 * Any design with Remote API breaks the hard constraint, whatever the UI, so both rank after the valid designs.
 */
describe('engine on the hand-computed example', () => {
  const run = () =>
    runPipeline(inputFor(handExampleSpec(), { numCandidates: 4, numScenarios: 1 }), { newId: counterIds(), now: () => 1000 });

  it('computes the exact P, R, I, ranks, statuses and hard violations', async () => {
    const result = await run();
    const rows = result.candidates.map((candidate) => ({
      choices: `${candidate.choices.storage}+${candidate.choices.ui}`,
      rank: candidate.rank,
      status: candidate.status,
      hardViolations: candidate.hardViolations,
      P: candidate.scores.P,
      R: candidate.scores.R,
      I: candidate.scores.I,
    }));
    expect(rows.map(({ choices, rank, status, hardViolations }) => ({ choices, rank, status, hardViolations }))).toEqual([
      { choices: 'idb+light', rank: 1, status: 'promising', hardViolations: [] },
      { choices: 'idb+heavy', rank: 2, status: 'under_test', hardViolations: [] },
      { choices: 'remote+light', rank: 3, status: 'rejected', hardViolations: ['offline'] },
      { choices: 'remote+heavy', rank: 4, status: 'rejected', hardViolations: ['offline'] },
    ]);
    const expected = [
      [92.5 / 150, 0.6],
      [97.5 / 150, 1],
      [52.5 / 150, 0.4],
      [37.5 / 150, 0.8],
    ] as const;
    rows.forEach((row, i) => {
      const [P, R] = expected[i]!;
      expect(row.P).toBeCloseTo(P, 12);
      expect(row.R).toBeCloseTo(R, 12);
      expect(row.I).toBeCloseTo(P / R, 12);
    });
    expect(result.metrics.bestI).toBeCloseTo(92.5 / 150 / 0.6, 12);
  });

  it('scores every constraint and marks satisfaction at 0.5', async () => {
    const result = await run();
    const top = result.candidates[0]!;
    expect(top.scores.constraintSatisfaction.offline).toMatchObject({ satisfied: true });
    expect(top.scores.constraintSatisfaction.offline!.score).toBeCloseTo(0.6, 12);
    expect(top.scores.constraintSatisfaction.speed!.score).toBeCloseTo(0.65, 12);
    const rejected = result.candidates[2]!;
    expect(rejected.scores.constraintSatisfaction.offline!.satisfied).toBe(false);
    expect(rejected.scores.constraintSatisfaction.offline!.score).toBeCloseTo(0.1, 12);
    expect(top.predictedEffects).toEqual({ offline: 0.6, speed: 0.65 });
  });

  it('explains the rank in at most three sentences, with factors', async () => {
    const [first, second, third] = (await run()).candidates;
    expect(first!.rankingExplanation).toBe(
      "Ranked #1 with I=1.03, 58% higher than #2. Satisfies hard constraint 'Offline-first' in every scenario. Moderate resource cost (R=0.60).",
    );
    expect(second!.rankingExplanation.startsWith('Ranked #2 with I=0.65, 37% lower than #1.')).toBe(true);
    expect(
      third!.rankingExplanation.startsWith(
        "Ranked #3 (rejected) with I=0.88: breaks hard constraint 'Offline-first' in 1 of 1 scenario (weakest link of 2 choices: 'Remote API' (Storage) rated 0.10).",
      ),
    ).toBe(true);
    for (const candidate of [first!, second!, third!]) {
      expect(candidate.rankingExplanation.split(/(?<=\.)\s/).length).toBeLessThanOrEqual(3);
      expect(candidate.rankingFactors.positive.length).toBeLessThanOrEqual(4);
      expect(candidate.rankingFactors.negative.length).toBeLessThanOrEqual(4);
    }
    expect(first!.rankingFactors.positive).toContain("Meets hard constraint 'Offline-first' in every scenario");
    expect(third!.rankingFactors.negative[0]).toBe("Breaks hard constraint 'Offline-first' in 1 of 1 scenario");
  });

  it('writes one evaluation per candidate × scenario with a one-line explanation', async () => {
    const result = await runPipeline(inputFor(handExampleSpec(), { numCandidates: 4, numScenarios: 3 }), {
      newId: counterIds(),
      now: () => 1,
    });
    expect(result.scenarios).toHaveLength(3);
    expect(result.evaluations).toHaveLength(12);
    for (const evaluation of result.evaluations) {
      expect(evaluation.explanation).not.toContain('\n');
      expect(evaluation.R).toBeGreaterThan(0);
    }
    const baseline = result.scenarios[0]!;
    const baselineOfTop = result.evaluations.find((e) => e.candidateId === result.candidates[0]!.id && e.scenarioId === baseline.id)!;
    expect(baselineOfTop.explanation).toBe("Satisfies all 2 constraints (P=0.62, R=0.60); weakest is 'Offline-first' (0.60).");
  });
});
