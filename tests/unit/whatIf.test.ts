// @vitest-environment node
/**
 * What-if chats as item-level changes over the current project spec: the
 * rebase, conflicts (keep mine / take base), Apply, and fast-check properties
 * of the spec deltas. PROPERTY_RUNS sets the cases per property (default 300).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveWhatIfChanges,
  emptySpecContent,
  promotionOps,
  rebaseWhatIf,
  resolveConflict,
  specItems,
  stableJson,
  whatIfChangesSchema,
  whatIfSpec,
  type SpecContent,
  type WhatIfChange,
} from '../../src/domain';
import { applySpecDelta, type SpecOp } from '../../src/domain/specDelta';
import { sameRelativeOrder } from '../../src/domain/whatIfOrder';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

function baseSpec(): SpecContent {
  return {
    ...emptySpecContent(),
    goals: [{ id: 'g1', text: 'Fly 30 km' }],
    constraints: [
      { id: 'c-thermal', name: 'Thermal safety', description: '', weight: 100, combine: 'weakest', quantity: null },
      { id: 'c-range', name: 'Flight range', description: '', weight: 80, combine: 'mean', quantity: null },
    ],
    designSpace: {
      attributes: [{ id: 'a-mass', key: 'mass', name: 'Mass', unit: 'kg' }],
      incompatibilities: [],
      costAttributeId: null,
      dimensions: [
        {
          id: 'd1',
          name: 'Chemistry',
          description: '',
          options: [
            {
              id: 'o1',
              name: 'LiPo',
              description: '',
              cost: 1,
              ratings: { 'c-thermal': 0.4, 'c-range': 0.9 },
              attributes: { 'a-mass': 2 },
            },
            { id: 'o2', name: 'LFP', description: '', cost: 2, ratings: { 'c-thermal': 0.9 }, attributes: {} },
          ],
        },
        {
          id: 'd2',
          name: 'Cooling',
          description: '',
          options: [{ id: 'o3', name: 'Passive', description: '', cost: 0, ratings: {}, attributes: {} }],
        },
      ],
    },
  };
}

function applied(spec: SpecContent, ...ops: SpecOp[]): SpecContent {
  const result = applySpecDelta(spec, { ops });
  if (!result.ok) throw new Error(result.error.message);
  return result.spec;
}

/** A what-if chat's changes after the user made these edits in it. */
function branch(base: SpecContent, ...ops: SpecOp[]): WhatIfChange[] {
  return deriveWhatIfChanges(base, applied(base, ...ops));
}

const constraintOf = (spec: SpecContent, id: string) => spec.constraints.find((c) => c.id === id);

describe('deriving item-level changes', () => {
  it('stores one change per touched item, with the ops and the base item', () => {
    const base = baseSpec();
    const changes = branch(
      base,
      { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 },
      { op: 'setRating', optionId: 'o2', constraintId: 'c-range', rating: 0.5 },
      { op: 'setResolution', resolution: 'fine' },
    );
    expect(changes.map((c) => [c.key, c.ops])).toEqual([
      ['constraint:c-thermal', [{ op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 }]],
      ['rating:o2:c-range', [{ op: 'setRating', optionId: 'o2', constraintId: 'c-range', rating: 0.5 }]],
      ['resolution', [{ op: 'setResolution', resolution: 'fine' }]],
    ]);
    expect(changes[0]!.base).toEqual(base.constraints[0]);
    expect(changes[1]!.base).toBeNull();
    expect(whatIfChangesSchema.parse(changes)).toEqual(changes);
  });

  it('a removed constraint is one change (its ratings go with it), an added option carries its ratings as cells', () => {
    const base = baseSpec();
    const changes = branch(
      base,
      { op: 'removeConstraint', constraintId: 'c-range' },
      { op: 'addOption', dimensionId: 'd2', id: 'o4', name: 'Liquid', description: '', cost: 3 },
      { op: 'setRating', optionId: 'o4', constraintId: 'c-thermal', rating: 1 },
    );
    expect(changes.map((c) => c.key)).toEqual(['option:o4', 'rating:o4:c-thermal', 'constraint:c-range']);
  });

  it('a whole-spec copy equal to the base is no change at all', () => {
    expect(deriveWhatIfChanges(baseSpec(), structuredClone(baseSpec()))).toEqual([]);
  });
});

describe('the rebase over the current project spec', () => {
  it('the issue scenario: a constraint the base gains after the branch shows through, and the what-if keeps its weight', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 });
    const base = applied(branchedFrom, { op: 'addConstraint', id: 'c-mass', name: 'Pack mass', description: '', weight: 60 });
    const rebased = rebaseWhatIf(base, changes);
    expect(rebased.spec.constraints.map((c) => [c.name, c.weight])).toEqual([
      ['Thermal safety', 40],
      ['Flight range', 80],
      ['Pack mass', 60],
    ]);
    expect(rebased.conflicts).toEqual([]);
    // Apply promotes only the weight: Pack mass stays in the project spec.
    const promoted = applied(base, ...promotionOps(base, changes));
    expect(promoted.constraints.map((c) => [c.name, c.weight])).toEqual(rebased.spec.constraints.map((c) => [c.name, c.weight]));
  });

  it('a what-if reorder is an item of its own: it survives derive and rebase, and Apply promotes it', () => {
    const branchedFrom = applied(baseSpec(), { op: 'addGoal', id: 'g2', text: 'Weigh under 2 kg' });
    const changes = branch(
      branchedFrom,
      { op: 'moveGoal', goalId: 'g2', toIndex: 0 },
      { op: 'moveConstraint', constraintId: 'c-range', toIndex: 0 },
    );
    expect(changes.map((c) => c.key)).toEqual(['goalOrder', 'constraintOrder']);
    expect(whatIfChangesSchema.safeParse(changes).success).toBe(true);
    const rebased = rebaseWhatIf(branchedFrom, changes);
    expect(rebased.spec.goals.map((g) => g.id)).toEqual(['g2', 'g1']);
    expect(rebased.spec.constraints.map((c) => c.id)).toEqual(['c-range', 'c-thermal']);
    expect(applied(branchedFrom, ...promotionOps(branchedFrom, changes)).constraints.map((c) => c.id)).toEqual(['c-range', 'c-thermal']);
  });

  it('the base gains a constraint after a what-if reorder: it keeps its slot, the reorder holds, no conflict, Apply keeps it', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'moveConstraint', constraintId: 'c-range', toIndex: 0 });
    const base = applied(branchedFrom, { op: 'addConstraint', id: 'c-mass', name: 'Pack mass', description: '', weight: 60 });
    const rebased = rebaseWhatIf(base, changes);
    expect(rebased.conflicts).toEqual([]);
    expect(rebased.spec.constraints.map((c) => c.name)).toEqual(['Flight range', 'Thermal safety', 'Pack mass']);
    const promoted = applied(base, ...promotionOps(base, changes));
    expect(promoted.constraints.map((c) => c.name)).toEqual(['Flight range', 'Thermal safety', 'Pack mass']);
  });

  it('the project reordering the same items is a conflict; keep mine keeps the what-if order, take base follows the project', () => {
    const branchedFrom = applied(baseSpec(), { op: 'addConstraint', id: 'c-mass', name: 'Pack mass', description: '', weight: 60 });
    // What-if: Pack mass first. Project later: Flight range first.
    const changes = branch(branchedFrom, { op: 'moveConstraint', constraintId: 'c-mass', toIndex: 0 });
    const base = applied(branchedFrom, { op: 'moveConstraint', constraintId: 'c-range', toIndex: 0 });
    const rebased = rebaseWhatIf(base, changes);
    expect(rebased.conflicts).toHaveLength(1);
    expect(rebased.conflicts[0]).toMatchObject({ key: 'constraintOrder', label: 'order of the constraints', blockedBy: null });
    expect(rebased.conflicts[0]!.details).toEqual([
      'project Flight range, Thermal safety, Pack mass; this what-if Pack mass, Thermal safety, Flight range',
    ]);
    expect(rebased.spec.constraints.map((c) => c.name)).toEqual(['Pack mass', 'Thermal safety', 'Flight range']);

    const mine = resolveConflict(base, changes, 'constraintOrder', 'mine');
    if (!mine.ok) throw new Error(mine.message);
    expect(rebaseWhatIf(base, mine.changes).conflicts).toEqual([]);
    expect(whatIfSpec(base, mine.changes).constraints.map((c) => c.name)).toEqual(['Pack mass', 'Thermal safety', 'Flight range']);

    const taken = resolveConflict(base, changes, 'constraintOrder', 'base');
    if (!taken.ok) throw new Error(taken.message);
    expect(whatIfSpec(base, taken.changes).constraints.map((c) => c.name)).toEqual(['Flight range', 'Thermal safety', 'Pack mass']);
  });

  it('pinned (fast-check): a constraint the what-if added and moved into the middle keeps its place', () => {
    const base = baseSpec();
    const target = applied(
      base,
      { op: 'addConstraint', id: 'w0', name: 'w constraint 0', description: '', weight: 0 },
      { op: 'moveConstraint', constraintId: 'c-thermal', toIndex: 2 },
    );
    const rebased = rebaseWhatIf(base, deriveWhatIfChanges(base, target));
    expect(rebased.spec.constraints.map((c) => c.id)).toEqual(['c-range', 'w0', 'c-thermal']);
  });

  it('pinned (fast-check): removing the item an order conflict was about settles it', () => {
    const branchedFrom = baseSpec();
    const changes = branch(
      branchedFrom,
      { op: 'addConstraint', id: 'w0', name: 'w0', description: '', weight: 0 },
      { op: 'moveConstraint', constraintId: 'c-thermal', toIndex: 2 },
    );
    const base = applied(
      branchedFrom,
      { op: 'moveConstraint', constraintId: 'c-thermal', toIndex: 1 },
      { op: 'addConstraint', id: 'b1', name: 'b1', description: '', weight: 0 },
    );
    const before = rebaseWhatIf(base, changes);
    expect(before.conflicts.map((c) => c.key)).toEqual(['constraintOrder']);
    const next = deriveWhatIfChanges(base, applied(before.spec, { op: 'removeConstraint', constraintId: 'c-thermal' }), changes);
    const after = rebaseWhatIf(base, next);
    expect(after.conflicts).toEqual([]);
    expect(after.spec.constraints.map((c) => c.id)).toEqual(['c-range', 'w0', 'b1']);
  });

  it('a base change to an item the what-if changed is a conflict; the what-if shows its own version until decided', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 });
    const base = applied(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 95, description: 'certified' });
    const rebased = rebaseWhatIf(base, changes);
    expect(constraintOf(rebased.spec, 'c-thermal')).toMatchObject({ weight: 40, description: 'certified' });
    expect(rebased.conflicts).toHaveLength(1);
    expect(rebased.conflicts[0]).toMatchObject({ key: 'constraint:c-thermal', label: 'constraint Thermal safety', blockedBy: null });
    expect(rebased.conflicts[0]!.details).toEqual(['weight: project 95, this what-if 40']);
  });

  it('keep mine records the current base so the conflict is gone; take base drops the change', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 });
    const base = applied(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 95 });

    const mine = resolveConflict(base, changes, 'constraint:c-thermal', 'mine');
    if (!mine.ok) throw new Error(mine.message);
    const keptMine = rebaseWhatIf(base, mine.changes);
    expect(keptMine.conflicts).toEqual([]);
    expect(constraintOf(keptMine.spec, 'c-thermal')!.weight).toBe(40);

    const taken = resolveConflict(base, changes, 'constraint:c-thermal', 'base');
    if (!taken.ok) throw new Error(taken.message);
    expect(taken.changes).toEqual([]);
    expect(constraintOf(whatIfSpec(base, taken.changes), 'c-thermal')!.weight).toBe(95);
  });

  it('the base removing an item the what-if changed: the what-if keeps it (restored) until decided; keep mine re-adds it', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'updateConstraint', constraintId: 'c-range', weight: 10 });
    const base = applied(branchedFrom, { op: 'removeConstraint', constraintId: 'c-range' });
    const rebased = rebaseWhatIf(base, changes);
    expect(constraintOf(rebased.spec, 'c-range')).toMatchObject({ weight: 10 });
    expect(rebased.conflicts[0]!.details).toEqual(['the project spec removed it; this what-if still has it']);
    const mine = resolveConflict(base, changes, 'constraint:c-range', 'mine');
    if (!mine.ok) throw new Error(mine.message);
    expect(mine.changes[0]!.ops[0]).toMatchObject({ op: 'addConstraint', id: 'c-range', weight: 10 });
    expect(rebaseWhatIf(base, mine.changes).conflicts).toEqual([]);
  });

  it('a change whose parent the base removed no longer applies: only "take base" resolves it, and it is kept until then', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'setRating', optionId: 'o3', constraintId: 'c-range', rating: 0.2 });
    const base = applied(branchedFrom, { op: 'removeDimension', dimensionId: 'd2' });
    const rebased = rebaseWhatIf(base, changes);
    expect(rebased.conflicts[0]).toMatchObject({ key: 'rating:o3:c-range', mine: undefined });
    expect(rebased.conflicts[0]!.blockedBy).toContain('no option with id o3');
    expect(resolveConflict(base, changes, 'rating:o3:c-range', 'mine')).toMatchObject({ ok: false });
    // A later edit in the what-if does not lose the blocked change.
    const later = deriveWhatIfChanges(base, applied(rebased.spec, { op: 'setResolution', resolution: 'coarse' }), changes);
    expect(later.map((c) => c.key).sort()).toEqual(['rating:o3:c-range', 'resolution']);
  });

  it('both removing the same item agree: no conflict, nothing to apply', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'removeConstraint', constraintId: 'c-range' });
    const base = applied(branchedFrom, { op: 'removeConstraint', constraintId: 'c-range' });
    expect(rebaseWhatIf(base, changes)).toMatchObject({ conflicts: [], applied: [] });
  });

  it('the same value on both sides is no conflict', () => {
    const branchedFrom = baseSpec();
    const changes = branch(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 });
    const base = applied(branchedFrom, { op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 });
    expect(rebaseWhatIf(base, changes).conflicts).toEqual([]);
    expect(deriveWhatIfChanges(base, whatIfSpec(base, changes), changes)).toEqual([]);
  });

  it('attributes, values, formulas and the cost source apply in an order where every op finds its item', () => {
    const base = baseSpec();
    const target = applied(
      base,
      { op: 'addAttribute', id: 'a-energy', key: 'energy', name: 'Energy', unit: 'Wh' },
      { op: 'setAttributeValue', optionId: 'o1', attributeId: 'a-energy', value: 500 },
      {
        op: 'setConstraintQuantity',
        constraintId: 'c-range',
        quantity: { expression: 'energy / mass', comparator: 'atLeast', threshold: 30, unit: 'km', margin: 5 },
      },
      { op: 'setCostAttribute', attributeId: 'a-energy' },
      { op: 'addIncompatibility', id: 'i1', optionIds: ['o1', 'o3'], reason: 'too hot' },
    );
    const changes = deriveWhatIfChanges(base, target);
    // Stored in spec order, applied in dependency order.
    const rebased = rebaseWhatIf(base, [...changes].reverse());
    expect(rebased.conflicts).toEqual([]);
    expect(stableJson([...specItems(rebased.spec)])).toBe(stableJson([...specItems(target)]));
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

interface Intent {
  kind: number;
  a: number;
  b: number;
  v: number;
}

const intentArb = fc.record({ kind: fc.integer({ min: 0, max: 13 }), a: fc.nat(50), b: fc.nat(50), v: fc.integer({ min: 0, max: 100 }) });

/** Turns random intents into valid ops against the spec as it evolves; invalid ones are skipped. */
function edit(spec: SpecContent, intents: readonly Intent[], prefix: string): SpecContent {
  let current = spec;
  intents.forEach((intent, index) => {
    const { constraints, goals } = current;
    const options = current.designSpace.dimensions.flatMap((d) => d.options);
    const dims = current.designSpace.dimensions;
    const pick = <T>(list: readonly T[], n: number) => (list.length ? list[n % list.length] : undefined);
    const c = pick(constraints, intent.a);
    const o = pick(options, intent.a);
    const g = pick(goals, intent.a);
    const d = pick(dims, intent.a);
    const id = `${prefix}${index}`;
    const ops: (SpecOp | null)[] = [
      c ? { op: 'updateConstraint', constraintId: c.id, weight: intent.v } : null,
      { op: 'addConstraint', id, name: `${prefix} constraint ${index}`, description: '', weight: intent.v },
      c ? { op: 'removeConstraint', constraintId: c.id } : null,
      o && pick(constraints, intent.b)
        ? { op: 'setRating', optionId: o.id, constraintId: pick(constraints, intent.b)!.id, rating: intent.v > 90 ? null : intent.v / 100 }
        : null,
      o ? { op: 'updateOption', optionId: o.id, cost: intent.v } : null,
      { op: 'addGoal', id, text: `${prefix} goal ${index}` },
      g ? { op: 'removeGoal', goalId: g.id } : null,
      g ? { op: 'updateGoal', goalId: g.id, text: `${prefix} goal text ${intent.v}` } : null,
      { op: 'setResolution', resolution: (['coarse', 'medium', 'fine'] as const)[intent.v % 3]! },
      d ? { op: 'addOption', dimensionId: d.id, id, name: `${prefix} option ${index}`, description: '', cost: intent.v } : null,
      o ? { op: 'removeOption', optionId: o.id } : null,
      c ? { op: 'updateConstraint', constraintId: c.id, description: `${prefix} ${intent.v}` } : null,
      g ? { op: 'moveGoal', goalId: g.id, toIndex: intent.b % goals.length } : null,
      c ? { op: 'moveConstraint', constraintId: c.id, toIndex: intent.b % constraints.length } : null,
    ];
    const op = ops[intent.kind];
    if (!op) return;
    const result = applySpecDelta(current, { ops: [op] });
    if (result.ok) current = result.spec;
  });
  return current;
}

/** Keys an untouched item can lose because the what-if removed its parent (a removed constraint takes its ratings). */
function dependsOnRemoved(key: string, changes: readonly WhatIfChange[], spec: SpecContent): boolean {
  const removed = new Set(changes.filter((c) => c.ops.length === 1 && c.ops[0]!.op.startsWith('remove')).map((c) => c.key.split(':')[1]!));
  const [prefix, first = '', second = ''] = key.split(':');
  if (prefix === 'rating' || prefix === 'value')
    return removed.has(first) || removed.has(second) || dependsOnRemoved(`option:${first}`, changes, spec);
  if (prefix === 'option') {
    const dimension = spec.designSpace.dimensions.find((d) => d.options.some((o) => o.id === first));
    return removed.has(first) || (dimension ? removed.has(dimension.id) : false);
  }
  return removed.has(first);
}

function resolveAll(base: SpecContent, changes: WhatIfChange[], chooseMine: (index: number) => boolean): WhatIfChange[] {
  let current = changes;
  for (let round = 0; round < 100; round += 1) {
    const conflict = rebaseWhatIf(base, current).conflicts[0];
    if (!conflict) return current;
    const wantMine = chooseMine(round) && conflict.mine !== undefined;
    const outcome = resolveConflict(base, current, conflict.key, wantMine ? 'mine' : 'base');
    if (!outcome.ok) throw new Error(outcome.message);
    current = outcome.changes;
  }
  throw new Error('conflicts did not settle in 100 rounds');
}

/**
 * Whether the what-if's item agrees with the project's. For an order that is the relative order of the items both hold:
 * additions and removals are changes of their own.
 */
function agreesWithBase(key: string, base: SpecContent, mine: SpecContent): boolean {
  const baseState = specItems(base).get(key)?.state ?? null;
  const mineState = specItems(mine).get(key)?.state ?? null;
  if ((key === 'goalOrder' || key === 'constraintOrder') && Array.isArray(baseState) && Array.isArray(mineState))
    return sameRelativeOrder(baseState, mineState);
  return stableJson(baseState) === stableJson(mineState);
}

const itemsOf = (spec: SpecContent) => new Map([...specItems(spec)].map(([key, item]) => [key, stableJson(item.state)]));

describe('properties of what-if changes', () => {
  const scenario = fc.record({
    whatIf: fc.array(intentArb, { maxLength: 8 }),
    baseLater: fc.array(intentArb, { maxLength: 8 }),
    choices: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
  });

  it('with no base change, the rebase gives exactly the what-if (derive and rebase round-trip)', () => {
    fc.assert(
      fc.property(fc.array(intentArb, { maxLength: 10 }), (intents) => {
        const base = baseSpec();
        const target = edit(base, intents, 'w');
        const rebased = rebaseWhatIf(base, deriveWhatIfChanges(base, target));
        expect(rebased.conflicts).toEqual([]);
        expect(itemsOf(rebased.spec)).toEqual(itemsOf(target));
      }),
      { numRuns: RUNS },
    );
  });

  it('over a base that changed elsewhere, the rebase keeps every base item the what-if did not touch', () => {
    fc.assert(
      fc.property(scenario, ({ whatIf, baseLater }) => {
        const branchedFrom = baseSpec();
        const changes = deriveWhatIfChanges(branchedFrom, edit(branchedFrom, whatIf, 'w'));
        const base = edit(branchedFrom, baseLater, 'b');
        const rebased = itemsOf(rebaseWhatIf(base, changes).spec);
        const touched = new Set(changes.map((c) => c.key));
        for (const [key, state] of itemsOf(base)) {
          if (touched.has(key) || dependsOnRemoved(key, changes, base)) continue;
          if (key === 'goalOrder' || key === 'constraintOrder') {
            // The what-if's own additions and removals change the list; the base items keep their relative order.
            expect(sameRelativeOrder(JSON.parse(rebased.get(key)!) as string[], JSON.parse(state) as string[]), key).toBe(true);
            continue;
          }
          expect(rebased.get(key), key).toBe(state);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keep mine / take base resolve every conflict, and Apply then rebase yields no changes and deletes no untouched base item', () => {
    fc.assert(
      fc.property(scenario, ({ whatIf, baseLater, choices }) => {
        const branchedFrom = baseSpec();
        const changes = deriveWhatIfChanges(branchedFrom, edit(branchedFrom, whatIf, 'w'));
        const base = edit(branchedFrom, baseLater, 'b');
        const settled = resolveAll(base, changes, (round) => choices[round % choices.length]!);
        const rebased = rebaseWhatIf(base, settled);
        expect(rebased.conflicts).toEqual([]);

        const promoted = applySpecDelta(base, { ops: promotionOps(base, settled) });
        expect(promoted.ok).toBe(true);
        if (!promoted.ok) return;
        expect(deriveWhatIfChanges(promoted.spec, rebased.spec)).toEqual([]);
        const after = itemsOf(promoted.spec);
        const touched = new Set(settled.map((c) => c.key));
        for (const key of itemsOf(base).keys()) {
          if (touched.has(key) || dependsOnRemoved(key, settled, base)) continue;
          expect(after.has(key), key).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('re-deriving after an edit keeps open conflicts open (the base snapshot is kept)', () => {
    fc.assert(
      fc.property(scenario, fc.array(intentArb, { maxLength: 3 }), ({ whatIf, baseLater }, more) => {
        const branchedFrom = baseSpec();
        const changes = deriveWhatIfChanges(branchedFrom, edit(branchedFrom, whatIf, 'w'));
        const base = edit(branchedFrom, baseLater, 'b');
        const before = rebaseWhatIf(base, changes);
        const next = deriveWhatIfChanges(base, edit(before.spec, more, 'm'), changes);
        const stillTouched = new Set(next.map((c) => c.key));
        const reopened = new Set(rebaseWhatIf(base, next).conflicts.map((c) => c.key));
        for (const conflict of before.conflicts) {
          if (stillTouched.has(conflict.key) && conflict.blockedBy === null) {
            // Unless the new edit made the what-if agree with the base, the conflict is still there.
            expect(reopened.has(conflict.key) || agreesWithBase(conflict.key, base, rebaseWhatIf(base, next).spec), conflict.key).toBe(
              true,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
