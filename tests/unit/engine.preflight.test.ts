// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { preflight } from '../../src/engine';
import { handExampleSpec, randomSpec } from './engine.fixtures';

const config = { numCandidates: 5, numScenarios: 4 };

describe('run preflight', () => {
  it('passes a complete spec', () => {
    expect(preflight({ spec: handExampleSpec(), mode: 'full_search', config: { numCandidates: 4, numScenarios: 4 } })).toEqual({
      blockers: [],
      warnings: [],
    });
  });

  it('blocks with a reason: no constraints, no design space, unrated options, no seed', () => {
    expect(preflight({ spec: { ...handExampleSpec(), constraints: [] }, mode: 'full_search', config }).blockers[0]).toContain(
      'Add at least one constraint',
    );
    expect(
      preflight({
        spec: { ...handExampleSpec(), designSpace: { dimensions: [], attributes: [], incompatibilities: [], costAttributeId: null } },
        mode: 'full_search',
        config,
      }).blockers,
    ).toEqual(['Add a design space: at least one dimension with options.']);
    const unrated = handExampleSpec();
    unrated.designSpace.dimensions[1]!.options[0]!.ratings = {};
    expect(preflight({ spec: unrated, mode: 'full_search', config }).blockers).toEqual([
      "Rate these options against the constraints first: 'UI: Light UI'.",
    ]);
    expect(preflight({ spec: handExampleSpec(), mode: 'seeded', config }).blockers).toEqual([
      'Seeded mode needs a seed candidate: pick one from an earlier run.',
    ]);
    expect(
      preflight({
        spec: handExampleSpec(),
        mode: 'seeded',
        config,
        seedCandidate: { id: 's', label: 'Old', choices: { storage: 'gone', ui: 'light' } },
      }).blockers,
    ).toEqual(["Seed candidate 'Old' picks an option for 'Storage' that is no longer in the spec."]);
    expect(
      preflight({ spec: handExampleSpec(), mode: 'full_search', config: { numCandidates: 51, numScenarios: 0 } }).blockers,
    ).toHaveLength(2);
  });

  it('warns without blocking: missing ratings, large counts, heuristic search', () => {
    const partial = handExampleSpec();
    delete partial.designSpace.dimensions[0]!.options[0]!.ratings.speed;
    const result = preflight({ spec: partial, mode: 'full_search', config: { numCandidates: 50, numScenarios: 50 } });
    expect(result.blockers).toEqual([]);
    expect(result.warnings).toEqual([
      '1 option rating is missing; they count as neutral (0.5).',
      'Only 4 distinct designs exist, so the run returns at most 4 candidates.',
      '2,500 candidate × scenario evaluations: the run and its results will be large.',
    ]);
    const huge = preflight({ spec: randomSpec({ dimensions: 12, options: 4, constraints: 2 }), mode: 'full_search', config });
    expect(huge.blockers).toEqual([]);
    expect(huge.warnings[0]).toContain('the search is heuristic');
  });
});
