// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine';
import { droneSpec } from './engine.drone.fixtures';
import { counterIds, inputFor } from './engine.fixtures';

const run = (spec = droneSpec(), numScenarios = 1) =>
  runPipeline(inputFor(spec, { numCandidates: 6, numScenarios }), { newId: counterIds(), now: () => 1 });

/*
 * Hand check of the winner, NMC · 6S4P · Passive · Basic BMS (one scenario, the baseline):
 *   mass  = 3.2 + 0.4 + 0.5 + 0.1 = 4.2 kg;  range = 2800 / ((4.2 + 5) · 10) = 30.43 km
 *   Flight range (hard, quantity): 0.5 + 0.5 · 0.4348 / 5   = 0.54348
 *   Thermal safety (hard → weakest link): min(0.6, 0.65, 0.5) = 0.5
 *   Pack mass (≤ 6 kg, margin 2): 0.5 + 0.5 · 1.8 / 2        = 0.95
 *   Cycle life (mean of chemistry, BMS): (0.6 + 0.5) / 2     = 0.55
 *   Cold weather (weakest of chemistry, thermal): min(0.6, 0.5) = 0.5
 *   Supply risk (chemistry only): 0.9;  Integration (mean of layout, BMS): (0.8 + 0.9) / 2 = 0.85
 *   W = 370;  P = (54.348 + 50 + 47.5 + 22 + 15 + 27 + 17) / 370 = 232.848 / 370 = 0.62932
 *   R = price 490 / max price 1170 = 0.41880;  I = 1.50266
 */
describe('the drone trade study (issue #10 worked example)', () => {
  it('finds the hand-checked winner with the exact P, R and I', async () => {
    const result = await run();
    const top = result.candidates[0]!;
    expect(top.choices).toEqual({ chem: 'nmc', layout: '6s4p', cooling: 'passive', bms: 'basic' });
    expect(top.label).toBe('NMC · 6S4P · Passive · BMS: Basic');
    const P = (100 * (0.5 + (0.5 * (2800 / 92 - 30)) / 5) + 50 + 47.5 + 22 + 15 + 27 + 17) / 370;
    expect(top.scores.P).toBeCloseTo(P, 12);
    expect(top.scores.R).toBeCloseTo(490 / 1170, 12);
    expect(top.scores.I).toBeCloseTo(P / (490 / 1170), 12);
    expect(top.scores.constraintSatisfaction.thermal!.score).toBe(0.5);
    expect(top.mechanism).toContain('Total price 490 EUR of at most 1,170 EUR (42%).');
    const evaluation = result.evaluations.find((e) => e.candidateId === top.id)!;
    expect(evaluation.constraintSatisfaction.range!.explanation).toBe('0.54: Flight range 30.4 km, needs ≥ 30 km');
  });

  it('rejects Sodium-ion on hard Flight range and LiPo / no thermal management on hard Thermal safety, whatever else is chosen', async () => {
    const result = await runPipeline(
      inputFor(
        droneSpec(),
        {
          numCandidates: 3,
          numScenarios: 3,
          evalCandidates: [
            { label: 'Sodium pick', choices: { chem: 'sodium', layout: '6s4p', cooling: 'active', bms: 'smart' } },
            { label: 'LiPo pick', choices: { chem: 'lipo', layout: '12s2p', cooling: 'active', bms: 'smart' } },
            { label: 'Bare NMC', choices: { chem: 'nmc', layout: '12s2p', cooling: 'none', bms: 'smart' } },
          ],
        },
        { mode: 'eval_only' },
      ),
      { newId: counterIds(), now: () => 1 },
    );
    const by = (label: string) => result.candidates.find((c) => c.label === label)!;
    // 1500 Wh / ((4 + 0.4 + 1.2 + 0.2 + 5) · 10) = 13.9 km: far below 30 km, score 0.
    expect(by('Sodium pick').hardViolations).toEqual(['range']);
    expect(by('Sodium pick').rankingExplanation).toContain(
      "breaks hard constraint 'Flight range' in 3 of 3 scenarios (Flight range 13.9 km, needs ≥ 30 km)",
    );
    // LiPo (0.3) fails Thermal safety; with 1.2 kg of active cooling it also falls short on range (2700 / 97 = 27.8 km).
    expect(by('LiPo pick').hardViolations).toEqual(['range', 'thermal']);
    expect(by('Bare NMC').hardViolations).toEqual(['thermal']);
    expect(result.candidates.every((c) => c.status === 'rejected')).toBe(true);
  });

  it('never proposes Thermal = None or a hard failure, in any of 8 scenarios', async () => {
    const result = await run(droneSpec(), 8);
    expect(result.scenarios.map((s) => s.name)).toHaveLength(8);
    expect(new Set(result.scenarios.map((s) => s.name)).size).toBe(8);
    for (const candidate of result.candidates) {
      expect(candidate.choices.cooling).not.toBe('none');
      expect(candidate.choices.chem).not.toBe('sodium');
      expect(candidate.choices.chem).not.toBe('lipo');
    }
    expect(result.candidates[0]!.status).not.toBe('rejected');
  });

  it('changes the ranking when a thermal option is incompatible with a chemistry, and counts the designs left out', async () => {
    const before = await run();
    const after = await run(droneSpec({ incompatible: [['nmc', 'passive']] }));
    expect(before.candidates[0]!.choices).toMatchObject({ chem: 'nmc', cooling: 'passive' });
    expect(after.candidates[0]!.choices).toEqual({ chem: 'nca', layout: '6s4p', cooling: 'passive', bms: 'basic' });
    for (const candidate of after.candidates)
      expect(candidate.choices.chem === 'nmc' && candidate.choices.cooling === 'passive').toBe(false);
    // NMC × Passive × 3 layouts × 2 BMS = 6 designs excluded; 102 of 108 scored.
    expect(after.metrics.excludedDesigns).toBe(6);
    expect(after.metrics.combinationsConsidered).toBe(102);
    expect(before.metrics.excludedDesigns).toBe(0);
  });
});
