// @vitest-environment node
/**
 * parseSpecUpdate validates only what a write changed; fast-check properties
 * that it accepts exactly what `problemSpecSchema.parse` accepts, with the same
 * value, and rejects with the same error. PROPERTY_RUNS sets the cases per
 * property (default 300).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSpecUpdate, problemSpecSchema, type ProblemSpec } from '../../src/domain';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** Text that is sometimes padded (zod trims it), sometimes blank (rejected). */
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(' padded ', '', '   ', 'Fly 30 km'));
const id = fc.oneof(fc.constantFrom('g0', 'c0', 'd0', 'o0-0', 'p0', ''), fc.string({ minLength: 1, maxLength: 4 }));
const number = fc.oneof(fc.double(), fc.integer({ min: -3, max: 120 }), fc.constantFrom(0, 0.5, 1, 100, Number.NaN, Infinity));
/** Sometimes an extra field, which zod strips. */
const extra = fc.option(fc.constant({ stray: true }), { nil: undefined });

const goalLike = fc.record({ id, text, more: extra }).map(({ more, ...goal }) => ({ ...goal, ...more }));
const constraintLike = fc
  .record({
    id,
    name: text,
    description: fc.string({ maxLength: 3 }),
    weight: number,
    combine: fc.constantFrom('mean', 'weakest', 'both', undefined),
    quantity: fc.constantFrom(null, undefined, { expression: 'mass', comparator: 'atMost', threshold: 2, unit: 'kg', margin: 1 }),
  })
  .map((constraint) => Object.fromEntries(Object.entries(constraint).filter(([, value]) => value !== undefined)));
const optionLike = (constraintIds: readonly string[]) =>
  fc.record({
    id,
    name: text,
    description: fc.string({ maxLength: 3 }),
    cost: number,
    ratings: fc.dictionary(fc.constantFrom(...constraintIds, 'x'), number, { maxKeys: 3 }),
    attributes: fc.constantFrom({}, undefined, { a: 1 }, { a: 'heavy' }),
  });
const provenanceLike = fc.record({
  id,
  at: number,
  actor: fc.constantFrom('user', 'agent', 'robot'),
  chatSessionId: fc.constantFrom(null, 'chat-1', ''),
  summary: fc.string({ maxLength: 4 }),
  changes: fc.constantFrom([], ['weight 90 → 40'], [3]),
  touchedIds: fc.constantFrom([], ['g0']),
  scope: fc.constantFrom('project', 'whatif', undefined, 'elsewhere'),
});

/** A stored spec: what the full parse returned for a valid one (as every stored spec is). */
const storedSpec: fc.Arbitrary<ProblemSpec> = fc
  .record({
    goals: fc.integer({ min: 0, max: 6 }),
    constraints: fc.integer({ min: 0, max: 3 }),
    dimensions: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ goals, constraints, dimensions }) => {
    const constraintIds = Array.from({ length: constraints }, (_, c) => `c${c}`);
    return problemSpecSchema.parse({
      projectId: 'project-1',
      goals: Array.from({ length: goals }, (_, g) => ({ id: `g${g}`, text: ` Goal ${g} ` })),
      constraints: constraintIds.map((cid, c) => ({ id: cid, name: `Constraint ${c}`, description: '', weight: 10 * c })),
      resolution: 'medium',
      mode: 'full_search',
      designSpace: {
        dimensions: Array.from({ length: dimensions }, (_, d) => ({
          id: `d${d}`,
          name: `Dimension ${d}`,
          description: '',
          options: Array.from({ length: 2 }, (_, o) => ({
            id: `o${d}-${o}`,
            name: `Option ${o}`,
            description: '',
            cost: o,
            ratings: Object.fromEntries(constraintIds.map((cid, c) => [cid, ((d + o + c) % 5) / 4])),
          })),
        })),
      },
      provenance: [{ id: 'p0', at: 1, actor: 'user', chatSessionId: null, summary: 'created', changes: [], touchedIds: [] }],
      updatedAt: 1,
    });
  });

type Spec = Record<string, unknown> & ProblemSpec;

/** One edit, made as the edit paths make them: a new object on the way to what changed, everything else shared. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replaceGoal' as const), at: fc.nat(), goal: goalLike }),
  fc.record({ kind: fc.constant('insertGoal' as const), at: fc.nat(), goal: goalLike }),
  fc.record({ kind: fc.constant('removeGoal' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('moveGoal' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('replaceConstraint' as const), at: fc.nat(), constraint: constraintLike }),
  fc.record({
    kind: fc.constant('setRating' as const),
    dimension: fc.nat(),
    option: fc.nat(),
    key: fc.constantFrom('c0', 'c1', 'x'),
    value: number,
  }),
  fc.record({ kind: fc.constant('replaceOption' as const), dimension: fc.nat(), option: fc.nat(), seed: fc.nat() }),
  fc.record({ kind: fc.constant('renameDimension' as const), dimension: fc.nat(), name: text }),
  fc.record({ kind: fc.constant('addDimension' as const), name: text, id }),
  fc.record({ kind: fc.constant('appendProvenance' as const), entry: provenanceLike }),
  fc.record({
    kind: fc.constant('setTop' as const),
    key: fc.constantFrom('resolution', 'mode', 'updatedAt', 'projectId', 'stray'),
    value: fc.oneof(number, text, fc.constantFrom('fine', 'seeded', undefined)),
  }),
  fc.record({
    kind: fc.constant('setDesignSpace' as const),
    key: fc.constantFrom('attributes', 'incompatibilities', 'costAttributeId'),
    value: fc.constantFrom(
      undefined,
      [],
      null,
      'a',
      [{ id: 'a', key: 'mass', name: ' Mass ', unit: 'kg' }],
      [{ id: 'a', key: '1bad', name: 'Mass', unit: '' }],
      [{ id: 'i', optionIds: ['o0-0', 'o1-0'], reason: '' }],
    ),
  }),
  fc.record({ kind: fc.constant('notAnObject' as const), value: fc.constantFrom(null, 3, [], 'spec') }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function withRating(option: Record<string, unknown>, key: string, value: number): Record<string, unknown> {
  return { ...option, ratings: { ...(option.ratings as Record<string, number>), [key]: value } };
}

function mutate(spec: unknown, change: Mutation, optionSeeds: readonly unknown[]): unknown {
  if (change.kind === 'notAnObject') return change.value;
  const next = { ...(spec as Spec) };
  const goals = [...next.goals] as unknown[];
  const pick = (length: number, at: number) => (length ? at % length : -1);
  const dimensions = [...next.designSpace.dimensions] as Record<string, unknown>[];
  const editOption = (d: number, o: number, edit: (option: Record<string, unknown>) => unknown) => {
    const di = pick(dimensions.length, d);
    if (di < 0) return;
    const options = [...(dimensions[di]!.options as Record<string, unknown>[])];
    const oi = pick(options.length, o);
    if (oi < 0) return;
    options[oi] = edit(options[oi]!) as Record<string, unknown>;
    dimensions[di] = { ...dimensions[di], options };
    next.designSpace = { ...next.designSpace, dimensions } as Spec['designSpace'];
  };
  switch (change.kind) {
    case 'replaceGoal': {
      const at = pick(goals.length, change.at);
      if (at >= 0) goals[at] = change.goal;
      next.goals = goals as Spec['goals'];
      break;
    }
    case 'insertGoal':
      goals.splice(change.at % (goals.length + 1), 0, change.goal);
      next.goals = goals as Spec['goals'];
      break;
    case 'removeGoal':
      goals.splice(pick(goals.length, change.at), goals.length ? 1 : 0);
      next.goals = goals as Spec['goals'];
      break;
    case 'moveGoal': {
      const from = pick(goals.length, change.from);
      if (from >= 0) goals.splice(change.to % goals.length, 0, ...goals.splice(from, 1));
      next.goals = goals as Spec['goals'];
      break;
    }
    case 'replaceConstraint': {
      const constraints = [...next.constraints] as unknown[];
      const at = pick(constraints.length, change.at);
      if (at >= 0) constraints[at] = change.constraint;
      else constraints.push(change.constraint);
      next.constraints = constraints as Spec['constraints'];
      break;
    }
    case 'setRating':
      editOption(change.dimension, change.option, (option) => withRating(option, change.key, change.value));
      break;
    case 'replaceOption':
      editOption(change.dimension, change.option, () => optionSeeds[change.seed % optionSeeds.length]);
      break;
    case 'renameDimension': {
      const at = pick(dimensions.length, change.dimension);
      if (at < 0) break;
      dimensions[at] = { ...dimensions[at], name: change.name };
      next.designSpace = { ...next.designSpace, dimensions } as Spec['designSpace'];
      break;
    }
    case 'addDimension':
      dimensions.push({ id: change.id, name: change.name, description: '', options: optionSeeds.slice(0, 1) });
      next.designSpace = { ...next.designSpace, dimensions } as Spec['designSpace'];
      break;
    case 'appendProvenance':
      next.provenance = [...next.provenance, change.entry] as Spec['provenance'];
      break;
    case 'setTop': {
      const top: Record<string, unknown> = next;
      if (change.value === undefined) delete top[change.key];
      else top[change.key] = change.value;
      break;
    }
    case 'setDesignSpace': {
      const designSpace: Record<string, unknown> = { ...next.designSpace };
      if (change.value === undefined) delete designSpace[change.key];
      else designSpace[change.key] = change.value;
      next.designSpace = designSpace as Spec['designSpace'];
      break;
    }
  }
  return next;
}

type Outcome = { accepted: true; value: unknown } | { accepted: false; issues: unknown };

function outcomeOf(parse: () => unknown): Outcome {
  try {
    return { accepted: true, value: parse() };
  } catch (error) {
    if (error instanceof z.ZodError) return { accepted: false, issues: error.issues };
    throw error;
  }
}

describe('parseSpecUpdate', () => {
  it('accepts exactly what the full parse accepts, with the same value, and rejects with the same error', () => {
    const seen = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(
        storedSpec,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(optionLike(['c0', 'c1']), { minLength: 1, maxLength: 3 }),
        (previous, changes, optionSeeds) => {
          const next = changes.reduce<unknown>(
            (spec, change) => (spec && typeof spec === 'object' && !Array.isArray(spec) ? mutate(spec, change, optionSeeds) : spec),
            previous,
          );
          const full = outcomeOf(() => problemSpecSchema.parse(next));
          const incremental = outcomeOf(() => parseSpecUpdate(previous, next));
          seen[full.accepted ? 'accepted' : 'rejected']++;
          expect(incremental).toStrictEqual(full);
        },
      ),
      { numRuns: RUNS },
    );
    // Both sides of "exactly" were exercised.
    expect(seen.accepted).toBeGreaterThan(RUNS / 10);
    expect(seen.rejected).toBeGreaterThan(RUNS / 10);
  });

  it('keeps what the edit did not touch as the stored objects, so nothing else is parsed or copied', () => {
    fc.assert(
      fc.property(storedSpec, (previous) => {
        fc.pre(previous.goals.length >= 2 && previous.designSpace.dimensions.length >= 2);
        const goals = previous.goals.map((goal, index) => (index === 1 ? { ...goal, text: '  Edited  ' } : goal));
        const [first, ...rest] = previous.designSpace.dimensions;
        const options = first!.options.map((option, index) => (index === 0 ? { ...option, cost: 7 } : option));
        const next = { ...previous, goals, designSpace: { ...previous.designSpace, dimensions: [{ ...first!, options }, ...rest] } };
        const parsed = parseSpecUpdate(previous, next);
        expect(parsed.goals[1]).toEqual({ id: previous.goals[1]!.id, text: 'Edited' });
        expect(parsed.goals[0]).toBe(previous.goals[0]);
        expect(parsed.constraints).toBe(previous.constraints);
        expect(parsed.provenance).toBe(previous.provenance);
        expect(parsed.designSpace.dimensions[0]!.options[0]!.cost).toBe(7);
        expect(parsed.designSpace.dimensions[0]!.options[1]).toBe(previous.designSpace.dimensions[0]!.options[1]);
        expect(parsed.designSpace.dimensions[1]).toBe(previous.designSpace.dimensions[1]);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a new item that repeats a stored one only in shape, not identity, by its own schema', () => {
    const previous = problemSpecSchema.parse({
      projectId: 'p',
      goals: [{ id: 'g1', text: 'Fly' }],
      constraints: [],
      resolution: 'medium',
      mode: 'full_search',
      designSpace: { dimensions: [] },
      provenance: [],
      updatedAt: 1,
    });
    expect(() => parseSpecUpdate(previous, { ...previous, goals: [{ id: 'g1', text: '  ' }] })).toThrow(z.ZodError);
    expect(() => parseSpecUpdate(previous, { ...previous, goals: [{ id: 'g1', text: '  ' }] })).toThrow('goal must not be empty');
  });
});
