// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/domain';
import {
  BASELINE_SCENARIO,
  buildTables,
  choicesToDesign,
  compileSpec,
  evaluateDesign,
  scoreForSearch,
  EXHAUSTIVE_LIMIT,
  hamming,
  minDistanceFor,
  runPipeline,
  searchKey,
  type PipelineResult,
} from '../../src/engine';
import { counterIds, handExampleSpec, inputFor, randomSpec } from './engine.fixtures';

const baselineScore = (model: ReturnType<typeof compileSpec>, design: readonly number[]) =>
  scoreForSearch(model, buildTables(model, [BASELINE_SCENARIO]), design);
const withoutTimings = (result: PipelineResult) => ({ ...result, durationMs: 0, metrics: { ...result.metrics, phaseTimingsMs: {} } });

function allDesigns(optionCounts: number[]): number[][] {
  let designs: number[][] = [[]];
  for (const count of optionCounts) designs = designs.flatMap((prefix) => Array.from({ length: count }, (_, o) => [...prefix, o]));
  return designs;
}

describe('engine determinism', () => {
  const spec = randomSpec({ dimensions: 6, options: 4, constraints: 5, hard: 1, seed: 3 });

  it('gives identical results for the same spec, config and seed', async () => {
    const a = await runPipeline(inputFor(spec, { numCandidates: 8, numScenarios: 6, seed: 99 }), { newId: counterIds(), now: () => 5 });
    const b = await runPipeline(inputFor(spec, { numCandidates: 8, numScenarios: 6, seed: 99 }), { newId: counterIds(), now: () => 5 });
    expect(withoutTimings(b)).toEqual(withoutTimings(a));
    expect(a.candidates).toHaveLength(8);
    expect(a.evaluations).toHaveLength(48);
  });

  it('shakes ratings differently for a different seed', async () => {
    const a = await runPipeline(inputFor(spec, { numScenarios: 4, seed: 1 }), { newId: counterIds() });
    const b = await runPipeline(inputFor(spec, { numScenarios: 4, seed: 2 }), { newId: counterIds() });
    expect(a.scenarios[1]!.ratingShifts).not.toEqual(b.scenarios[1]!.ratingShifts);
    expect(a.scenarios[0]!.ratingShifts).toEqual({});
  });
});

describe('scenario generator', () => {
  it('starts with the baseline and stresses the highest-weight constraints by raising their weights', async () => {
    const spec = randomSpec({ dimensions: 3, options: 3, constraints: 8, seed: 11 });
    const result = await runPipeline(inputFor(spec, { numScenarios: 9, seed: 5 }), { newId: counterIds() });
    const [baseline, ...others] = result.scenarios;
    expect(baseline).toMatchObject({ index: 0, name: 'Baseline', weightMultipliers: {}, ratingShifts: {} });
    const topFour = [...spec.constraints]
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 4)
      .map((c) => c.id);
    expect(new Set(others.map((s) => s.type))).toEqual(new Set(['stress_test', 'edge_case', 'failure_mode', 'normal_operation']));
    for (const scenario of others) {
      const raised = Object.keys(scenario.weightMultipliers);
      expect(raised.length).toBeGreaterThan(0);
      for (const id of raised) {
        expect(topFour).toContain(id);
        expect(scenario.weightMultipliers[id]).toBeGreaterThan(1);
      }
      expect(scenario.focus).toEqual(raised.map((id) => spec.constraints.find((c) => c.id === id)!.name));
      const shifts = Object.values(scenario.ratingShifts).flatMap((byConstraint) => Object.values(byConstraint));
      expect(shifts.length).toBeGreaterThan(0);
      expect(Math.max(...shifts.map(Math.abs))).toBeLessThanOrEqual(0.25);
    }
    // The weight-sorted first target is the heaviest constraint.
    expect(Object.keys(others[0]!.weightMultipliers)).toEqual([topFour[0]]);
  });

  it('evaluations follow the documented formula under each scenario', async () => {
    const spec = randomSpec({ dimensions: 4, options: 3, constraints: 4, hard: 1, seed: 21 });
    const result = await runPipeline(inputFor(spec, { numCandidates: 3, numScenarios: 5 }), { newId: counterIds() });
    const dimensions = spec.designSpace.dimensions;
    const maxCost = dimensions.reduce((sum, d) => sum + Math.max(...d.options.map((o) => o.cost)), 0);
    for (const evaluation of result.evaluations) {
      const candidate = result.candidates.find((c) => c.id === evaluation.candidateId)!;
      const scenario = result.scenarios.find((s) => s.id === evaluation.scenarioId)!;
      const options = dimensions.map((d) => d.options.find((o) => o.id === candidate.choices[d.id])!);
      let weighted = 0;
      let weights = 0;
      for (const constraint of spec.constraints) {
        // Hard constraints are the weakest link (min); soft ones the mean (issue #10).
        const shifted = options.map((o) =>
          Math.min(1, Math.max(0, o.ratings[constraint.id]! + (scenario.ratingShifts[o.id]?.[constraint.id] ?? 0))),
        );
        const score = constraint.weight === 100 ? Math.min(...shifted) : shifted.reduce((a, b) => a + b, 0) / options.length;
        expect(evaluation.constraintSatisfaction[constraint.id]!.score).toBeCloseTo(score, 12);
        expect(evaluation.constraintSatisfaction[constraint.id]!.satisfied).toBe(score >= 0.5);
        const weight = constraint.weight * (scenario.weightMultipliers[constraint.id] ?? 1);
        weighted += weight * score;
        weights += weight;
      }
      expect(evaluation.P).toBeCloseTo(weighted / weights, 12);
      expect(evaluation.R).toBeCloseTo(Math.max(0.05, options.reduce((s, o) => s + o.cost, 0) / maxCost), 12);
    }
    for (const candidate of result.candidates) {
      const own = result.evaluations.filter((e) => e.candidateId === candidate.id);
      const totalWeight = result.scenarios.reduce((s, sc) => s + sc.weight, 0);
      const P = own.reduce((s, e) => s + (result.scenarios.find((sc) => sc.id === e.scenarioId)!.weight / totalWeight) * e.P, 0);
      expect(candidate.scores.P).toBeCloseTo(P, 12);
      expect(candidate.scores.I).toBeCloseTo(candidate.scores.P / candidate.scores.R, 12);
      const hard = spec.constraints.filter((c) => c.weight === 100);
      const violated = hard.filter((c) => own.some((e) => !e.constraintSatisfaction[c.id]!.satisfied)).map((c) => c.id);
      expect(candidate.hardViolations).toEqual(violated);
      expect(candidate.status === 'rejected').toBe(violated.length > 0);
    }
  });

  it('never lets R reach 0, even for free designs', async () => {
    const spec = handExampleSpec();
    for (const dimension of spec.designSpace.dimensions) for (const option of dimension.options) option.cost = 0;
    const result = await runPipeline(inputFor(spec, { numCandidates: 4, numScenarios: 2 }), { newId: counterIds() });
    for (const candidate of result.candidates) expect(candidate.scores.R).toBe(1);
    const model = compileSpec(handExampleSpec());
    expect(evaluateDesign(model, [1, 0], { weightMultipliers: {}, ratingShifts: {} }).R).toBeGreaterThan(0);
  });
});

describe('full_search', () => {
  it('finds the true best design and ranks rejected candidates last', async () => {
    const spec = randomSpec({ dimensions: 6, options: 3, constraints: 4, hard: 1, seed: 8 });
    const model = compileSpec(spec);
    const best = allDesigns(model.optionCounts)
      .map((design) => ({ design, score: baselineScore(model, design) }))
      .sort((a, b) => searchKey(b.score.I, b.score.hardViolation) - searchKey(a.score.I, a.score.hardViolation))[0]!;
    const result = await runPipeline(inputFor(spec, { numCandidates: 6, numScenarios: 1 }), { newId: counterIds() });
    expect(choicesToDesign(model, result.candidates[0]!.choices, 'top')).toEqual(best.design);
    expect(result.metrics).toMatchObject({ searchStrategy: 'exhaustive', combinationsConsidered: 729 });
    const firstRejected = result.candidates.findIndex((c) => c.status === 'rejected');
    if (firstRejected >= 0) expect(result.candidates.slice(firstRejected).every((c) => c.status === 'rejected')).toBe(true);
  });

  it('returns diverse candidates: no duplicates, and each pair differs in several dimensions', async () => {
    const spec = randomSpec({ dimensions: 8, options: 4, constraints: 5, seed: 13 });
    const model = compileSpec(spec);
    const result = await runPipeline(inputFor(spec, { numCandidates: 10, numScenarios: 2 }), { newId: counterIds() });
    const designs = result.candidates.map((c) => choicesToDesign(model, c.choices, c.label));
    expect(new Set(designs.map((d) => d.join())).size).toBe(10);
    const required = minDistanceFor(8);
    expect(required).toBe(2);
    for (let i = 0; i < designs.length; i++) {
      for (let j = i + 1; j < designs.length; j++) expect(hamming(designs[i]!, designs[j]!)).toBeGreaterThanOrEqual(required);
    }
    // Without the diversity rule the ten best would include near-copies of the winner.
    const topTen = allDesigns(model.optionCounts)
      .map((design) => ({ design, I: baselineScore(model, design).I }))
      .sort((a, b) => b.I - a.I)
      .slice(0, 10);
    const nearCopies = topTen.slice(1).filter((entry) => hamming(entry.design, topTen[0]!.design) === 1);
    expect(nearCopies.length).toBeGreaterThan(0);
    expect(new Set(result.candidates.map((c) => c.label)).size).toBe(10);
  });

  it('uses the documented heuristic above the exhaustive limit and still respects hard constraints', async () => {
    const spec = randomSpec({ dimensions: 12, options: 4, constraints: 6, hard: 1, seed: 17 });
    const model = compileSpec(spec);
    expect(model.combinations).toBeGreaterThan(EXHAUSTIVE_LIMIT);
    const result = await runPipeline(inputFor(spec, { numCandidates: 5, numScenarios: 1 }), { newId: counterIds() });
    expect(result.metrics.searchStrategy).toBe('beam+local-search');
    expect(result.candidates).toHaveLength(5);
    const top = choicesToDesign(model, result.candidates[0]!.choices, 'top');
    const topScore = baselineScore(model, top);
    expect(topScore.hardViolation).toBe(false);
    const designs = result.candidates.map((c) => choicesToDesign(model, c.choices, c.label).join());
    expect(new Set(designs).size).toBe(5);
  });
});

describe('seeded mode', () => {
  it('explores the seed neighbourhood, records parentIds and names each change', async () => {
    const spec = randomSpec({ dimensions: 5, options: 3, constraints: 4, seed: 31 });
    const model = compileSpec(spec);
    const seedChoices = Object.fromEntries(spec.designSpace.dimensions.map((d) => [d.id, d.options[0]!.id]));
    const result = await runPipeline(
      inputFor(
        spec,
        { numCandidates: 6, numScenarios: 2, seedCandidateId: 'seed-cand' },
        {
          mode: 'seeded',
          seedCandidate: { id: 'seed-cand', label: 'Seed', choices: seedChoices },
        },
      ),
      { newId: counterIds() },
    );
    expect(result.metrics.searchStrategy).toBe('neighbourhood');
    expect(result.candidates).toHaveLength(6);
    const seedDesign = choicesToDesign(model, seedChoices, 'seed');
    for (const candidate of result.candidates) {
      expect(candidate.parentIds).toEqual(['seed-cand']);
      const design = choicesToDesign(model, candidate.choices, candidate.label);
      const distance = hamming(design, seedDesign);
      expect(distance).toBeGreaterThanOrEqual(1);
      expect(distance).toBeLessThanOrEqual(2);
      const changes = spec.designSpace.dimensions
        .filter((_, i) => design[i] !== seedDesign[i])
        .map((d) => `${d.name}: ${d.options[0]!.name} → ${d.options.find((o) => o.id === candidate.choices[d.id])!.name}`);
      expect(candidate.provenance).toHaveLength(1);
      expect(candidate.provenance[0]!.summary).toBe(changes.join('; '));
    }
  });

  it('writes provenance in the "Storage: IndexedDB → OPFS" form', async () => {
    const spec = handExampleSpec();
    const result = await runPipeline(
      inputFor(
        spec,
        { numCandidates: 3, numScenarios: 1 },
        { mode: 'seeded', seedCandidate: { id: 's', label: 'IndexedDB · Light UI', choices: { storage: 'idb', ui: 'light' } } },
      ),
      { newId: counterIds() },
    );
    const summaries = result.candidates.map((c) => c.provenance[0]!.summary).sort();
    expect(summaries).toEqual([
      'Storage: IndexedDB → Remote API',
      'Storage: IndexedDB → Remote API; UI: Light UI → Heavy UI',
      'UI: Light UI → Heavy UI',
    ]);
  });

  it('fails clearly without a seed candidate', async () => {
    await expect(runPipeline(inputFor(handExampleSpec(), {}, { mode: 'seeded' }))).rejects.toThrow('A seeded run needs a seed candidate');
  });
});

describe('eval_only mode', () => {
  it('evaluates exactly the given candidates and generates none', async () => {
    const spec = handExampleSpec();
    const result = await runPipeline(
      inputFor(
        spec,
        {
          numCandidates: 10,
          numScenarios: 2,
          evalCandidates: [
            { choices: { storage: 'remote', ui: 'heavy' }, sourceCandidateId: 'old-1', label: 'From run 1' },
            { choices: { storage: 'idb', ui: 'heavy' } },
            { choices: { storage: 'remote', ui: 'heavy' } },
          ],
        },
        { mode: 'eval_only' },
      ),
      { newId: counterIds() },
    );
    expect(result.metrics.searchStrategy).toBe('eval_only');
    expect(result.candidates).toHaveLength(2);
    const byLabel = Object.fromEntries(result.candidates.map((c: Candidate) => [c.label, c]));
    expect(byLabel['From run 1']).toMatchObject({
      origin: 'user',
      parentIds: ['old-1'],
      choices: { storage: 'remote', ui: 'heavy' },
      status: 'rejected',
    });
    const handMade = result.candidates.find((c) => c.label !== 'From run 1')!;
    expect(handMade).toMatchObject({ parentIds: [], choices: { storage: 'idb', ui: 'heavy' }, rank: 1 });
    expect(handMade.provenance[0]!.summary).toContain('Composed by hand');
  });

  it('refuses choices that do not fit the spec, naming the dimension', async () => {
    await expect(
      runPipeline(inputFor(handExampleSpec(), { evalCandidates: [{ choices: { storage: 'idb' } }] }, { mode: 'eval_only' })),
    ).rejects.toThrow("Candidate 1 has no choice for dimension 'UI'");
    await expect(runPipeline(inputFor(handExampleSpec(), { evalCandidates: [] }, { mode: 'eval_only' }))).rejects.toThrow(
      'at least one candidate',
    );
  });
});

describe('bad input', () => {
  it('says what is missing instead of running', async () => {
    const noConstraints = { ...handExampleSpec(), constraints: [] };
    await expect(runPipeline(inputFor(noConstraints))).rejects.toThrow('no constraints');
    const noSpace = { ...handExampleSpec(), designSpace: { dimensions: [], attributes: [], incompatibilities: [], costAttributeId: null } };
    await expect(runPipeline(inputFor(noSpace))).rejects.toThrow('no design space');
    await expect(runPipeline(inputFor(handExampleSpec(), { numCandidates: 0 }))).rejects.toThrow('numCandidates must be from 1 to 50');
  });
});
