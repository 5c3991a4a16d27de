// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { deriveWhatIfChanges, emptySpecContent, whatIfSpec, type SpecContent } from '../../src/domain';
import { analyzeReadiness } from '../../src/domain/readiness';
import { applySpecDelta, describeDelta, emptyWorldModelContent, specDeltaSchema, type SpecOp } from '../../src/domain/specDelta';
import { describeItemDiff, describeSpecDiff, diffSpecs, ratingKey } from '../../src/domain/specDiff';

function baseSpec(): SpecContent {
  return {
    ...emptySpecContent(),
    goals: [{ id: 'g1', text: 'Works offline' }],
    constraints: [
      { id: 'c1', name: 'Offline-first', description: '', weight: 90, combine: 'mean', quantity: null },
      { id: 'c2', name: 'Low cost', description: '', weight: 40, combine: 'mean', quantity: null },
    ],
    designSpace: {
      attributes: [],
      incompatibilities: [],
      costAttributeId: null,
      dimensions: [
        {
          id: 'd1',
          name: 'Storage',
          description: '',
          options: [
            { id: 'o1', name: 'IndexedDB', description: '', cost: 1, ratings: { c1: 0.9, c2: 0.8 }, attributes: {} },
            { id: 'o2', name: 'OPFS', description: '', cost: 2, ratings: { c1: 0.7 }, attributes: {} },
          ],
        },
      ],
    },
  };
}

const apply = (spec: SpecContent, ...ops: SpecOp[]) => applySpecDelta(spec, { ops });

describe('applySpecDelta', () => {
  it('applies all ops in order, returns changes, touched ids and sections, and leaves the input alone', () => {
    const spec = baseSpec();
    const frozen = structuredClone(spec);
    const result = apply(
      spec,
      { op: 'addConstraint', id: 'c3', name: 'Fast', description: 'under 100 ms', weight: 70 },
      { op: 'setRating', optionId: 'o2', constraintId: 'c3', rating: 0.6 },
      { op: 'updateConstraint', constraintId: 'c1', weight: 40 },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.constraints.map((c) => [c.name, c.weight])).toEqual([
      ['Offline-first', 40],
      ['Low cost', 40],
      ['Fast', 70],
    ]);
    expect(result.summary).toBe('+1 constraint, 1 weight changed, 1 rating set');
    expect(result.changes.map((c) => c.text)).toEqual([
      'constraint added: Fast, weight 70',
      'rating OPFS × Fast = 0.6',
      'weight Offline-first 90 → 40',
    ]);
    expect(result.touchedIds.sort()).toEqual(['c1', 'c3', 'o2']);
    expect(result.touchedSections).toEqual(['constraints', 'designSpace']);
    expect(result.spec.goals).toBe(spec.goals);
    expect(spec).toEqual(frozen);
  });

  it('is atomic: one bad op means no result at all and says which op and why', () => {
    const spec = baseSpec();
    const result = apply(spec, { op: 'addGoal', id: 'g2', text: 'Cheap' }, { op: 'updateConstraint', constraintId: 'c1', weight: 150 });
    expect(result).toEqual({
      ok: false,
      error: {
        opIndex: 1,
        message: 'Weight 150 for "Offline-first" is not allowed: weights are whole numbers from 0 to 100 (100 = hard).',
      },
    });
    expect(spec).toEqual(baseSpec());
  });

  it.each<[string, SpecOp, string]>([
    ['a fractional weight', { op: 'updateConstraint', constraintId: 'c1', weight: 2.5 }, 'weights are whole numbers from 0 to 100'],
    ['a rating above 1', { op: 'setRating', optionId: 'o1', constraintId: 'c1', rating: 2 }, 'ratings are numbers from 0 to 1'],
    ['a negative cost', { op: 'updateOption', optionId: 'o1', cost: -1 }, 'cost must be a number of 0 or more'],
    [
      'a duplicate constraint name',
      { op: 'addConstraint', id: 'c9', name: ' low COST ', description: '', weight: 5 },
      'constraint names must be unique',
    ],
    ['a rename onto another name', { op: 'updateConstraint', constraintId: 'c2', name: 'offline-first' }, 'already exists'],
    ['an empty goal', { op: 'addGoal', id: 'g9', text: '   ' }, 'A goal must not be empty'],
    ['an unknown option', { op: 'setRating', optionId: 'nope', constraintId: 'c1', rating: 0.5 }, 'There is no option with id nope'],
    ['a reused id', { op: 'addGoal', id: 'o1', text: 'x' }, 'The id o1 is already used'],
    [
      'a world op without a world model',
      { op: 'addWorldItem', section: 'actors', id: 'a1', name: 'Ops', description: '' },
      'world model is not available',
    ],
  ])('refuses %s', (_label, op, message) => {
    const result = apply(baseSpec(), op);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(message);
  });

  it('removing a constraint removes its ratings too', () => {
    const result = apply(baseSpec(), { op: 'removeConstraint', constraintId: 'c1' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.spec.designSpace.dimensions[0]!.options.map((o) => o.ratings)).toEqual([{ c2: 0.8 }, {}]);
    expect(result.touchedSections).toEqual(['constraints', 'designSpace']);
  });

  it('counts a no-op as no change', () => {
    const result = apply(
      baseSpec(),
      { op: 'updateConstraint', constraintId: 'c1', weight: 90 },
      { op: 'setResolution', resolution: 'medium' },
    );
    expect(result.ok && result.changes).toEqual([]);
    expect(result.ok && result.summary).toBe('no changes');
  });

  it('changes world-model items when a world model is given', () => {
    const result = applySpecDelta(
      baseSpec(),
      { ops: [{ op: 'addWorldItem', section: 'actors', id: 'a1', name: 'Technician', description: 'no signal' }] },
      emptyWorldModelContent(),
    );
    expect(result.ok && result.world?.actors).toEqual([{ id: 'a1', name: 'Technician', description: 'no signal' }]);
    expect(result.ok && result.worldChanged).toBe(true);
    expect(result.ok && result.touchedSections).toEqual([]);
  });

  it('describeDelta summarises and details without applying', () => {
    const spec = baseSpec();
    const description = describeDelta(spec, {
      ops: [
        { op: 'addConstraint', id: 'c3', name: 'A', description: '', weight: 10 },
        { op: 'addConstraint', id: 'c4', name: 'B', description: '', weight: 100 },
        { op: 'updateConstraint', constraintId: 'c2', weight: 45 },
      ],
    });
    expect(description.summary).toBe('+2 constraints, 1 weight changed');
    expect(description.details).toContain('constraint added: B, weight 100 (hard)');
    expect(spec.constraints).toHaveLength(2);
  });

  it('the delta schema accepts what the Architect emits and rejects unknown ops', () => {
    expect(specDeltaSchema.safeParse({ ops: [{ op: 'setMode', mode: 'seeded' }] }).success).toBe(true);
    expect(specDeltaSchema.safeParse({ ops: [{ op: 'explode' }] }).success).toBe(false);
  });
});

describe('diffSpecs', () => {
  it('marks what the what-if changes, per item id', () => {
    const base = baseSpec();
    const changed = apply(
      base,
      { op: 'updateConstraint', constraintId: 'c1', weight: 40 },
      { op: 'addConstraint', id: 'c3', name: 'Fast', description: '', weight: 10 },
      { op: 'removeOption', optionId: 'o2' },
      { op: 'setRating', optionId: 'o1', constraintId: 'c2', rating: 0.5 },
      { op: 'setResolution', resolution: 'fine' },
    );
    if (!changed.ok) throw new Error(changed.error.message);
    const diff = diffSpecs(base, whatIfSpec(base, deriveWhatIfChanges(base, changed.spec)));
    expect(describeItemDiff(diff.byId.get('c1')!)).toBe('weight 90 → 40');
    expect(diff.byId.get('c3')!.status).toBe('added');
    expect(diff.byId.get('o2')!.status).toBe('removed');
    expect(diff.ratings.get(ratingKey('o1', 'c2'))).toMatchObject({ before: 0.8, after: 0.5 });
    expect(describeSpecDiff(diff)).toEqual([
      '~ constraint Offline-first: weight 90 → 40',
      '+ constraint Fast',
      '− option OPFS',
      '~ rating IndexedDB × Low cost: 0.8 → 0.5',
      '~ resolution: medium → fine',
    ]);
    expect(diffSpecs(base, whatIfSpec(base, [])).isEmpty).toBe(true);
  });
});

describe('analyzeReadiness', () => {
  it('lists what is missing for an empty spec, blockers first', () => {
    const readiness = analyzeReadiness(emptySpecContent());
    expect(readiness.ready).toBe(false);
    expect(readiness.issues.map((i) => i.code)).toEqual(['noConstraints', 'noDimensions', 'noGoals']);
    expect(readiness.nextStep).toContain('There are no constraints yet');
  });

  it('finds unrated options, unrated constraints and empty cells', () => {
    const spec = baseSpec();
    expect(analyzeReadiness(spec).issues.map((i) => i.code)).toEqual(['missingRatings']);
    expect(analyzeReadiness(spec).ratedCells).toBe(3);
    const more = apply(
      spec,
      { op: 'addOption', dimensionId: 'd1', id: 'o3', name: 'SQLite', description: '', cost: 3 },
      { op: 'addConstraint', id: 'c3', name: 'Fast', description: '', weight: 20 },
      { op: 'addDimension', id: 'd2', name: 'UI', description: '' },
    );
    if (!more.ok) throw new Error(more.error.message);
    const readiness = analyzeReadiness(more.spec);
    expect(readiness.ready).toBe(false);
    expect(readiness.issues.map((i) => [i.code, i.message])).toEqual([
      ['emptyDimension', 'Dimension UI has no options.'],
      ['unratedOptions', 'Option SQLite has no ratings.'],
      ['unratedConstraints', 'No option is rated on Fast.'],
    ]);
  });
});
