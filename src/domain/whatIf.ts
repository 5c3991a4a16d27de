/**
 * A what-if chat's changes to the project spec, one per item.
 *
 * A what-if stores, for every item it changed (a goal, a constraint, one
 * rating cell, the resolution…), the SpecDelta ops that turn the project
 * spec's item into the what-if's, plus the item as the project spec had it
 * when the what-if last agreed with it ("base"). The what-if's spec is always
 * the CURRENT project spec with these ops applied on top, so:
 * - a project change to an item the what-if did not touch shows through;
 * - a project change to an item it did touch (current ≠ base snapshot) is a
 *   conflict the user resolves with keep mine / take base;
 * - Apply promotes exactly these ops, never a whole section.
 */
import { z } from 'zod';
import { idSchema } from './common';
import {
  attributeSchema,
  constraintSchema,
  incompatibilitySchema,
  resolutionSchema,
  runModeSchema,
  toSpecContent,
  type Attribute,
  type Constraint,
  type Incompatibility,
  type SpecContent,
} from './spec';
import { applySpecDelta, formatWeight, COMBINE_LABEL, specOpSchema, type SpecOp } from './specDelta';
import { describeQuantity } from './quantityText';
import {
  ORDER_KINDS,
  desiredOrder,
  encodeOrder,
  isOrderKind,
  movesBetween,
  orderChangeOps,
  orderIdsOf,
  ordersAgree,
  reorderTo,
  sameRelativeOrder,
  type OrderKind,
} from './whatIfOrder';
import { deferredSchema } from './deferredSchema';

// ---------------------------------------------------------------------------
// Item states: what one item of a spec is, without its children.
// ---------------------------------------------------------------------------

const goalStateSchema = deferredSchema(() => z.object({ id: idSchema, text: z.string() }));
const dimensionStateSchema = deferredSchema(() => z.object({ id: idSchema, name: z.string(), description: z.string() }));
const optionStateSchema = deferredSchema(() =>
  z.object({ id: idSchema, dimensionId: idSchema, name: z.string(), description: z.string(), cost: z.number() }),
);
const cellStateSchema = z.number();
const costSourceStateSchema = deferredSchema(() => z.object({ attributeId: idSchema.nullable() }));

export type GoalState = z.infer<typeof goalStateSchema>;
export type DimensionState = z.infer<typeof dimensionStateSchema>;
export type OptionState = z.infer<typeof optionStateSchema>;
export type CostSourceState = z.infer<typeof costSourceStateSchema>;

const opsSchema = deferredSchema(() => z.array(specOpSchema).min(1).max(20));
/** An order change lists every id it ordered (one move each), so it is bounded by the list length, not by 20. */
const orderOpsSchema = deferredSchema(() => z.array(specOpSchema).min(1).max(10_000));
const idOrderSchema = deferredSchema(() => z.array(idSchema).max(10_000));
const keySchema = z.string().min(1).max(400);

/**
 * One changed item. `base` is the project spec's item when the what-if last
 * agreed with it; null means the project spec had no such item (or, for a
 * rating or value cell, the cell was empty).
 */
export const whatIfChangeSchema = deferredSchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('goal'), key: keySchema, ops: opsSchema, base: goalStateSchema.nullable() }),
    z.object({ kind: z.literal('constraint'), key: keySchema, ops: opsSchema, base: constraintSchema.nullable() }),
    z.object({ kind: z.literal('dimension'), key: keySchema, ops: opsSchema, base: dimensionStateSchema.nullable() }),
    z.object({ kind: z.literal('option'), key: keySchema, ops: opsSchema, base: optionStateSchema.nullable() }),
    z.object({ kind: z.literal('rating'), key: keySchema, ops: opsSchema, base: cellStateSchema.nullable() }),
    z.object({ kind: z.literal('value'), key: keySchema, ops: opsSchema, base: cellStateSchema.nullable() }),
    z.object({ kind: z.literal('attribute'), key: keySchema, ops: opsSchema, base: attributeSchema.nullable() }),
    z.object({ kind: z.literal('incompatibility'), key: keySchema, ops: opsSchema, base: incompatibilitySchema.nullable() }),
    z.object({ kind: z.literal('costSource'), key: keySchema, ops: opsSchema, base: costSourceStateSchema.nullable() }),
    z.object({ kind: z.literal('resolution'), key: keySchema, ops: opsSchema, base: resolutionSchema.nullable() }),
    z.object({ kind: z.literal('mode'), key: keySchema, ops: opsSchema, base: runModeSchema.nullable() }),
    // The order of the goals / of the constraints: `base` is the id list when the what-if last agreed with the project.
    z.object({ kind: z.literal('goalOrder'), key: keySchema, ops: orderOpsSchema, base: idOrderSchema.nullable() }),
    z.object({ kind: z.literal('constraintOrder'), key: keySchema, ops: orderOpsSchema, base: idOrderSchema.nullable() }),
  ]),
);
export type WhatIfChange = z.infer<typeof whatIfChangeSchema>;
export type WhatIfItemKind = WhatIfChange['kind'];

/** At most one change per item: the key is the item. */
export const whatIfChangesSchema = deferredSchema(() =>
  z
    .array(whatIfChangeSchema)
    .refine(
      (changes) => new Set(changes.map((change) => change.key)).size === changes.length,
      'a what-if holds at most one change per item',
    ),
);

type ItemState = WhatIfChange['base'];
interface Item {
  key: string;
  kind: WhatIfItemKind;
  state: NonNullable<ItemState>;
}

export const itemKey = {
  goal: (id: string) => `goal:${id}`,
  constraint: (id: string) => `constraint:${id}`,
  dimension: (id: string) => `dimension:${id}`,
  option: (id: string) => `option:${id}`,
  attribute: (id: string) => `attribute:${id}`,
  incompatibility: (id: string) => `incompatibility:${id}`,
  rating: (optionId: string, constraintId: string) => `rating:${optionId}:${constraintId}`,
  value: (optionId: string, attributeId: string) => `value:${optionId}:${attributeId}`,
  costSource: () => 'costSource',
  resolution: () => 'resolution',
  mode: () => 'mode',
  goalOrder: () => 'goalOrder',
  constraintOrder: () => 'constraintOrder',
};

/** Every item of a spec, keyed, in display order (so derived changes read in the spec's order). */
export function specItems(spec: SpecContent): Map<string, Item> {
  const items = new Map<string, Item>();
  const add = (kind: WhatIfItemKind, key: string, state: NonNullable<ItemState>) => items.set(key, { key, kind, state });
  for (const goal of spec.goals) add('goal', itemKey.goal(goal.id), { id: goal.id, text: goal.text });
  for (const attribute of spec.designSpace.attributes) add('attribute', itemKey.attribute(attribute.id), { ...attribute });
  for (const constraint of spec.constraints) add('constraint', itemKey.constraint(constraint.id), { ...constraint });
  const constraintIds = spec.constraints.map((c) => c.id);
  const attributeIds = spec.designSpace.attributes.map((a) => a.id);
  for (const dimension of spec.designSpace.dimensions) {
    add('dimension', itemKey.dimension(dimension.id), { id: dimension.id, name: dimension.name, description: dimension.description });
    for (const option of dimension.options) {
      add('option', itemKey.option(option.id), {
        id: option.id,
        dimensionId: dimension.id,
        name: option.name,
        description: option.description,
        cost: option.cost,
      });
      // Only cells of existing constraints/attributes are items; a stray key means nothing to the engine.
      for (const constraintId of constraintIds) {
        const rating = option.ratings[constraintId];
        if (rating !== undefined) add('rating', itemKey.rating(option.id, constraintId), rating);
      }
      for (const attributeId of attributeIds) {
        const value = option.attributes[attributeId];
        if (value !== undefined) add('value', itemKey.value(option.id, attributeId), value);
      }
    }
  }
  for (const incompatibility of spec.designSpace.incompatibilities)
    add('incompatibility', itemKey.incompatibility(incompatibility.id), { ...incompatibility });
  add('costSource', itemKey.costSource(), { attributeId: spec.designSpace.costAttributeId });
  add('resolution', itemKey.resolution(), spec.resolution);
  add('mode', itemKey.mode(), spec.mode);
  add('goalOrder', itemKey.goalOrder(), orderIdsOf('goalOrder', spec));
  add('constraintOrder', itemKey.constraintOrder(), orderIdsOf('constraintOrder', spec));
  return items;
}

/** Stable JSON (sorted keys) so two states compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${stableJson(child)}`).join(',')}}`;
}

function sameState(a: unknown, b: unknown): boolean {
  return stableJson(a ?? null) === stableJson(b ?? null);
}

/** One item's state, found directly (the rebase asks per change, so this must not walk the whole spec). */
function stateIn(spec: SpecContent, key: string): ItemState {
  const [prefix = '', first = '', second = ''] = key.split(':');
  const options = () => spec.designSpace.dimensions.flatMap((d) => d.options.map((o) => ({ dimensionId: d.id, option: o })));
  switch (prefix) {
    case 'goal': {
      const goal = spec.goals.find((g) => g.id === first);
      return goal ? { id: goal.id, text: goal.text } : null;
    }
    case 'constraint': {
      const constraint = spec.constraints.find((c) => c.id === first);
      return constraint ? { ...constraint } : null;
    }
    case 'attribute': {
      const attribute = spec.designSpace.attributes.find((a) => a.id === first);
      return attribute ? { ...attribute } : null;
    }
    case 'dimension': {
      const dimension = spec.designSpace.dimensions.find((d) => d.id === first);
      return dimension ? { id: dimension.id, name: dimension.name, description: dimension.description } : null;
    }
    case 'option': {
      const found = options().find(({ option }) => option.id === first);
      if (!found) return null;
      const { option, dimensionId } = found;
      return { id: option.id, dimensionId, name: option.name, description: option.description, cost: option.cost };
    }
    case 'rating': {
      if (!spec.constraints.some((c) => c.id === second)) return null;
      return options().find(({ option }) => option.id === first)?.option.ratings[second] ?? null;
    }
    case 'value': {
      if (!spec.designSpace.attributes.some((a) => a.id === second)) return null;
      return options().find(({ option }) => option.id === first)?.option.attributes[second] ?? null;
    }
    case 'incompatibility': {
      const incompatibility = spec.designSpace.incompatibilities.find((i) => i.id === first);
      return incompatibility ? { ...incompatibility } : null;
    }
    case 'costSource':
      return { attributeId: spec.designSpace.costAttributeId };
    case 'resolution':
      return spec.resolution;
    case 'mode':
      return spec.mode;
    case 'goalOrder':
    case 'constraintOrder':
      return orderIdsOf(prefix, spec);
    default:
      return null;
  }
}

function parseCellKey(key: string): [string, string] {
  const [, first = '', second = ''] = key.split(':');
  return [first, second];
}

// ---------------------------------------------------------------------------
// Ops that turn one item state into another.
// ---------------------------------------------------------------------------

function constraintOps(before: Constraint | null, after: Constraint | null): SpecOp[] {
  if (!after) return before ? [{ op: 'removeConstraint', constraintId: before.id }] : [];
  const ops: SpecOp[] = [];
  if (!before) {
    ops.push({ op: 'addConstraint', id: after.id, name: after.name, description: after.description, weight: after.weight });
    if (after.combine !== 'mean') ops.push({ op: 'updateConstraint', constraintId: after.id, combine: after.combine });
  } else {
    const update: Extract<SpecOp, { op: 'updateConstraint' }> = { op: 'updateConstraint', constraintId: after.id };
    if (before.name !== after.name) update.name = after.name;
    if (before.description !== after.description) update.description = after.description;
    if (before.weight !== after.weight) update.weight = after.weight;
    if (before.combine !== after.combine) update.combine = after.combine;
    if (Object.keys(update).length > 2) ops.push(update);
  }
  if (!sameState(before?.quantity ?? null, after.quantity))
    ops.push({ op: 'setConstraintQuantity', constraintId: after.id, quantity: after.quantity });
  return ops;
}

/** The ops that make `before` (the project spec's item, null = absent) into `after` (the what-if's). */
export function opsBetween(kind: WhatIfItemKind, key: string, before: ItemState, after: ItemState, target?: SpecContent): SpecOp[] {
  if (sameState(before, after)) return [];
  switch (kind) {
    case 'goal': {
      const b = before as GoalState | null;
      const a = after as GoalState | null;
      if (!a) return b ? [{ op: 'removeGoal', goalId: b.id }] : [];
      if (!b) {
        const index = target ? target.goals.findIndex((goal) => goal.id === a.id) : -1;
        return [{ op: 'addGoal', id: a.id, text: a.text, ...(index >= 0 ? { index } : {}) }];
      }
      return [{ op: 'updateGoal', goalId: a.id, text: a.text }];
    }
    case 'constraint':
      return constraintOps(before as Constraint | null, after as Constraint | null);
    case 'dimension': {
      const b = before as DimensionState | null;
      const a = after as DimensionState | null;
      if (!a) return b ? [{ op: 'removeDimension', dimensionId: b.id }] : [];
      if (!b) return [{ op: 'addDimension', id: a.id, name: a.name, description: a.description }];
      return [
        {
          op: 'updateDimension',
          dimensionId: a.id,
          ...(a.name !== b.name ? { name: a.name } : {}),
          ...(a.description !== b.description ? { description: a.description } : {}),
        },
      ];
    }
    case 'option': {
      const b = before as OptionState | null;
      const a = after as OptionState | null;
      if (!a) return b ? [{ op: 'removeOption', optionId: b.id }] : [];
      if (!b) return [{ op: 'addOption', dimensionId: a.dimensionId, id: a.id, name: a.name, description: a.description, cost: a.cost }];
      return [
        {
          op: 'updateOption',
          optionId: a.id,
          ...(a.name !== b.name ? { name: a.name } : {}),
          ...(a.description !== b.description ? { description: a.description } : {}),
          ...(a.cost !== b.cost ? { cost: a.cost } : {}),
        },
      ];
    }
    case 'rating': {
      const [optionId, constraintId] = parseCellKey(key);
      return [{ op: 'setRating', optionId, constraintId, rating: after as number | null }];
    }
    case 'value': {
      const [optionId, attributeId] = parseCellKey(key);
      return [{ op: 'setAttributeValue', optionId, attributeId, value: after as number | null }];
    }
    case 'attribute': {
      const b = before as Attribute | null;
      const a = after as Attribute | null;
      if (!a) return b ? [{ op: 'removeAttribute', attributeId: b.id }] : [];
      if (!b) return [{ op: 'addAttribute', id: a.id, key: a.key, name: a.name, unit: a.unit }];
      return [
        {
          op: 'updateAttribute',
          attributeId: a.id,
          ...(a.key !== b.key ? { key: a.key } : {}),
          ...(a.name !== b.name ? { name: a.name } : {}),
          ...(a.unit !== b.unit ? { unit: a.unit } : {}),
        },
      ];
    }
    case 'incompatibility': {
      const b = before as Incompatibility | null;
      const a = after as Incompatibility | null;
      const ops: SpecOp[] = [];
      if (b) ops.push({ op: 'removeIncompatibility', incompatibilityId: b.id });
      if (a) ops.push({ op: 'addIncompatibility', id: a.id, optionIds: a.optionIds, reason: a.reason });
      return ops;
    }
    case 'costSource':
      return [{ op: 'setCostAttribute', attributeId: (after as CostSourceState | null)?.attributeId ?? null }];
    case 'resolution':
      return after ? [{ op: 'setResolution', resolution: after as SpecContent['resolution'] }] : [];
    case 'mode':
      return after ? [{ op: 'setMode', mode: after as SpecContent['mode'] }] : [];
    case 'goalOrder':
    case 'constraintOrder':
      return orderChangeOps(kind, before as string[] | null, after as string[] | null);
  }
}

function makeChange(kind: WhatIfItemKind, key: string, ops: SpecOp[], base: ItemState): WhatIfChange {
  // The discriminated union needs the kind and base to agree; they come from the same item.
  return { kind, key, ops, base } as WhatIfChange;
}

function isRemoval(change: WhatIfChange): boolean {
  return change.ops.length === 1 && change.ops[0]!.op.startsWith('remove');
}

/**
 * The order changes apply in, so every op finds what it refers to:
 * attributes before the formulas that use them, options before their ratings,
 * removals last (incompatibilities before their options, options before their
 * dimensions, constraints before the attributes their formulas use).
 */
function phaseOf(change: WhatIfChange): number {
  if (isRemoval(change)) {
    const removalPhase: Partial<Record<WhatIfItemKind, number>> = {
      incompatibility: 10,
      option: 11,
      dimension: 12,
      constraint: 13,
      goal: 13,
    };
    return removalPhase[change.kind] ?? 14;
  }
  const phase: Record<WhatIfItemKind, number> = {
    attribute: 0,
    goal: 1,
    constraint: 2,
    dimension: 3,
    option: 4,
    rating: 5,
    value: 5,
    incompatibility: 6,
    costSource: 7,
    resolution: 7,
    mode: 7,
    // After every addition (an added goal takes part in the order), before the removals.
    goalOrder: 8,
    constraintOrder: 8,
  };
  return phase[change.kind];
}

export function inApplyOrder(changes: readonly WhatIfChange[]): WhatIfChange[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => phaseOf(a.change) - phaseOf(b.change) || a.index - b.index)
    .map(({ change }) => change);
}

// ---------------------------------------------------------------------------
// Rebase: the what-if's spec over the current project spec.
// ---------------------------------------------------------------------------

export interface WhatIfConflict {
  key: string;
  kind: WhatIfItemKind;
  /** "constraint Thermal safety". */
  label: string;
  /** The item when the what-if changed it. */
  was: ItemState;
  /** The project spec's item now. */
  baseNow: ItemState;
  /** The what-if's item (null = the what-if removes it; undefined = cannot be applied any more). */
  mine: ItemState | undefined;
  /** When the change cannot apply to the project spec as it is now, why (keep mine is then not possible). */
  blockedBy: string | null;
  /** One line each: "weight: project 100 (hard), this what-if 40". */
  details: string[];
}

export interface RebasedWhatIf {
  /** The what-if's effective spec: the project spec with the what-if's changes. */
  spec: SpecContent;
  /** The changes that applied (in apply order): what Apply promotes. */
  applied: WhatIfChange[];
  conflicts: WhatIfConflict[];
}

function itemLabel(kind: WhatIfItemKind, key: string, specs: SpecContent[], state: ItemState): string {
  const find = <T>(pick: (spec: SpecContent) => T | undefined): T | undefined => {
    for (const spec of specs) {
      const found = pick(spec);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const optionName = (id: string) =>
    find((spec) => spec.designSpace.dimensions.flatMap((d) => d.options.map((o) => ({ d, o }))).find(({ o }) => o.id === id)) ?? null;
  switch (kind) {
    case 'goal':
      return `goal "${(state as GoalState | null)?.text ?? find((s) => s.goals.find((g) => `goal:${g.id}` === key)?.text) ?? key}"`;
    case 'constraint':
      return `constraint ${(state as Constraint | null)?.name ?? find((s) => s.constraints.find((c) => itemKey.constraint(c.id) === key)?.name) ?? key}`;
    case 'dimension':
      return `dimension ${(state as DimensionState | null)?.name ?? find((s) => s.designSpace.dimensions.find((d) => itemKey.dimension(d.id) === key)?.name) ?? key}`;
    case 'option': {
      const id = key.slice('option:'.length);
      const found = optionName(id);
      return `option ${found ? `${found.d.name}/${found.o.name}` : ((state as OptionState | null)?.name ?? id)}`;
    }
    case 'attribute':
      return `attribute ${(state as Attribute | null)?.name ?? find((s) => s.designSpace.attributes.find((a) => itemKey.attribute(a.id) === key)?.name) ?? key}`;
    case 'incompatibility': {
      const pair = (state as Incompatibility | null)?.optionIds;
      const name = (id: string) => {
        const found = optionName(id);
        return found ? `${found.d.name}/${found.o.name}` : id;
      };
      return pair ? `incompatibility ${name(pair[0])} × ${name(pair[1])}` : 'incompatibility';
    }
    case 'rating':
    case 'value': {
      const [optionId, otherId] = parseCellKey(key);
      const option = optionName(optionId)?.o.name ?? optionId;
      const other =
        kind === 'rating'
          ? (find((s) => s.constraints.find((c) => c.id === otherId)?.name) ?? otherId)
          : (find((s) => s.designSpace.attributes.find((a) => a.id === otherId)?.name) ?? otherId);
      return kind === 'rating' ? `rating ${option} × ${other}` : `${other} of ${option}`;
    }
    case 'costSource':
      return 'cost source (R)';
    case 'resolution':
      return 'resolution';
    case 'mode':
      return 'default run mode';
    case 'goalOrder':
      return 'order of the goals';
    case 'constraintOrder':
      return 'order of the constraints';
  }
}

function orderNames(kind: OrderKind, ids: readonly string[], specs: SpecContent[]): string {
  const nameOf = (id: string) => {
    for (const spec of specs) {
      const name = kind === 'goalOrder' ? spec.goals.find((g) => g.id === id)?.text : spec.constraints.find((c) => c.id === id)?.name;
      if (name !== undefined) return kind === 'goalOrder' ? `"${name}"` : name;
    }
    return id;
  };
  return ids.map(nameOf).join(', ');
}

/**
 * Applies an order change over the spec so far: the ids it ordered take its
 * relative order; a conflict when the project reordered the same ids since.
 */
function rebaseOrder(
  change: WhatIfChange & { kind: OrderKind },
  spec: SpecContent,
  base: SpecContent,
): { spec: SpecContent; applied: WhatIfChange | null; conflict: WhatIfConflict | null; error: string | null } {
  const current = orderIdsOf(change.kind, spec);
  const merged = reorderTo(current, desiredOrder(change.ops));
  const moves = movesBetween(change.kind, current, merged);
  let next = spec;
  let applied: WhatIfChange | null = null;
  if (moves.length) {
    const result = applySpecDelta(spec, { ops: moves });
    if (!result.ok) return { spec, applied: null, conflict: null, error: result.error.message };
    next = result.spec;
    applied = makeChange(change.kind, change.key, moves, change.base);
  }
  const baseNow = orderIdsOf(change.kind, base);
  const projectReordered = change.base !== null && !sameRelativeOrder(change.base, baseNow);
  if (!projectReordered || sameRelativeOrder(merged, baseNow)) return { spec: next, applied, conflict: null, error: null };
  const specs = [next, base];
  return {
    spec: next,
    applied,
    error: null,
    conflict: {
      key: change.key,
      kind: change.kind,
      label: itemLabel(change.kind, change.key, specs, null),
      was: change.base,
      baseNow,
      mine: merged,
      blockedBy: null,
      details: [`project ${orderNames(change.kind, baseNow, specs)}; this what-if ${orderNames(change.kind, merged, specs)}`],
    },
  };
}

function formatField(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === 'quantity' ? 'ratings' : 'none';
  if (field === 'weight' && typeof value === 'number') return formatWeight(value);
  if (field === 'combine' && (value === 'mean' || value === 'weakest')) return COMBINE_LABEL[value];
  if (field === 'quantity' && typeof value === 'object') return describeQuantity(value as Constraint['quantity'] & object);
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return stableJson(value);
}

function describeState(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return stableJson(value);
}

/** "weight: project 100 (hard), this what-if 40" — the fields where the two sides differ. */
export function describeConflictDetails(kind: WhatIfItemKind, baseNow: ItemState, mine: ItemState | undefined): string[] {
  if (mine === undefined) return [];
  if (baseNow === null && mine !== null) return ['the project spec removed it; this what-if still has it'];
  if (mine === null && baseNow !== null) return ['this what-if removes it; the project spec changed it'];
  if (typeof baseNow !== 'object' || typeof mine !== 'object' || baseNow === null || mine === null) {
    return [`project ${describeState(baseNow)}, this what-if ${describeState(mine)}`];
  }
  const b = baseNow as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(m)])].filter((field) => field !== 'id' && !sameState(b[field], m[field]));
  void kind;
  return fields.map(
    (field) =>
      `${field === 'quantity' ? 'formula' : field}: project ${formatField(field, b[field])}, this what-if ${formatField(field, m[field])}`,
  );
}

/**
 * Applies the what-if's changes over the current project spec. A change whose
 * item the project spec changed since (current ≠ the change's base) is a
 * conflict; the what-if keeps its own version until the user decides. A
 * change that no longer applies (its item or parent is gone) is a conflict
 * that only "take base" resolves; it is left out of the spec.
 */
export function rebaseWhatIf(base: SpecContent, changes: readonly WhatIfChange[]): RebasedWhatIf {
  let spec = toSpecContent(base);
  const applied: WhatIfChange[] = [];
  const conflicts: WhatIfConflict[] = [];
  for (const change of inApplyOrder(changes)) {
    if (isOrderKind(change.kind)) {
      const outcome = rebaseOrder(change as WhatIfChange & { kind: OrderKind }, spec, base);
      spec = outcome.spec;
      if (outcome.applied) applied.push(outcome.applied);
      if (outcome.conflict) conflicts.push(outcome.conflict);
      if (outcome.error !== null) {
        const label = itemLabel(change.kind, change.key, [spec, base], null);
        const baseNow = stateIn(base, change.key);
        conflicts.push({
          key: change.key,
          kind: change.kind,
          label,
          was: change.base,
          baseNow,
          mine: undefined,
          blockedBy: outcome.error,
          details: [outcome.error],
        });
      }
      continue;
    }
    const baseNow = stateIn(base, change.key);
    const label = itemLabel(change.kind, change.key, [spec, base], baseNow ?? change.base);
    // Both sides removed it: they agree, nothing to apply.
    if (isRemoval(change) && stateIn(spec, change.key) === null) continue;
    let ops = change.ops;
    let result = applySpecDelta(spec, { ops });
    if (!result.ok && baseNow === null && change.base !== null) {
      // The project spec removed an item this what-if changed: the what-if keeps its version (restored) until the user decides.
      const restored = [...opsBetween(change.kind, change.key, null, change.base, spec), ...change.ops];
      const retry = applySpecDelta(spec, { ops: restored });
      if (retry.ok) {
        ops = restored;
        result = retry;
      }
    }
    if (!result.ok) {
      conflicts.push({
        key: change.key,
        kind: change.kind,
        label,
        was: change.base,
        baseNow,
        mine: undefined,
        blockedBy: result.error.message,
        details: [result.error.message],
      });
      continue;
    }
    spec = result.spec;
    applied.push(ops === change.ops ? change : makeChange(change.kind, change.key, ops, change.base));
    if (!sameState(baseNow, change.base)) {
      const mine = stateIn(spec, change.key);
      if (!sameState(mine, baseNow)) {
        conflicts.push({
          key: change.key,
          kind: change.kind,
          label,
          was: change.base,
          baseNow,
          mine,
          blockedBy: null,
          details: describeConflictDetails(change.kind, baseNow, mine),
        });
      }
    }
  }
  return { spec, applied, conflicts };
}

/** The what-if's effective spec (what its Spec tab shows and its runs use). */
export function whatIfSpec(base: SpecContent, changes: readonly WhatIfChange[] | null | undefined): SpecContent {
  if (!changes?.length) return toSpecContent(base);
  return rebaseWhatIf(base, changes).spec;
}

/**
 * The item-level changes that make `base` into `target`. A change for an item
 * `previous` already held keeps its base snapshot (so an open conflict stays
 * open), and previous changes that cannot apply to `base` any more are kept
 * as they are (they are conflicts waiting for "take base", not data to lose).
 */
export function deriveWhatIfChanges(base: SpecContent, target: SpecContent, previous: readonly WhatIfChange[] = []): WhatIfChange[] {
  const baseItems = specItems(base);
  const targetItems = specItems(target);
  const previousByKey = new Map(previous.map((change) => [change.key, change]));
  const keys = [...targetItems.keys(), ...[...baseItems.keys()].filter((key) => !targetItems.has(key))];
  const out: WhatIfChange[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const before = baseItems.get(key);
    const after = targetItems.get(key);
    const kind = (after ?? before)!.kind;
    if (isOrderKind(kind)) continue;
    if ((kind === 'rating' || kind === 'value') && !after) {
      // A cell is only an item while its option and its constraint/attribute both exist in the what-if.
      const [optionId, otherId] = parseCellKey(key);
      const otherKey = kind === 'rating' ? itemKey.constraint(otherId) : itemKey.attribute(otherId);
      if (!targetItems.has(itemKey.option(optionId)) || !targetItems.has(otherKey)) continue;
    }
    const ops = opsBetween(kind, key, before?.state ?? null, after?.state ?? null, target);
    if (!ops.length) continue;
    const kept = previousByKey.get(key);
    out.push(makeChange(kind, key, ops, kept ? kept.base : (before?.state ?? null)));
    seen.add(key);
  }
  if (previous.length) {
    const blocked = rebaseWhatIf(base, previous).conflicts.filter((conflict) => conflict.blockedBy !== null);
    for (const conflict of blocked) {
      if (seen.has(conflict.key) || isOrderKind(conflict.kind)) continue;
      const change = previousByKey.get(conflict.key);
      if (change) out.push(change);
    }
  }
  // Order last: the other changes already place additions (goals at their index, constraints at the end) and drop removals;
  // an order change is needed only where that natural result is not the what-if's order.
  const natural = rebaseWhatIf(base, out).spec;
  for (const kind of ORDER_KINDS) {
    const wanted = orderIdsOf(kind, target);
    if (ordersAgree(orderIdsOf(kind, natural), wanted)) continue;
    const key = itemKey[kind]();
    const kept = previousByKey.get(key);
    out.push(makeChange(kind, key, encodeOrder(kind, wanted), kept ? kept.base : orderIdsOf(kind, base)));
  }
  return out;
}

export type ConflictResolution = 'mine' | 'base';

/**
 * Settles one conflict. "base" drops the what-if's change: the item follows
 * the project spec again. "mine" keeps the what-if's version and records the
 * project's current item as the new base, so the conflict is gone until the
 * project changes the item again. A blocked change cannot be kept.
 */
export function resolveConflict(
  base: SpecContent,
  changes: readonly WhatIfChange[],
  key: string,
  resolution: ConflictResolution,
): { ok: true; changes: WhatIfChange[] } | { ok: false; message: string } {
  const change = changes.find((c) => c.key === key);
  if (!change) return { ok: false, message: 'This change is no longer in the what-if.' };
  if (resolution === 'base') return { ok: true, changes: changes.filter((c) => c.key !== key) };
  const conflict = rebaseWhatIf(base, changes).conflicts.find((c) => c.key === key);
  if (!conflict) return { ok: true, changes: [...changes] };
  if (conflict.mine === undefined) {
    return {
      ok: false,
      message: `Your change to ${conflict.label} no longer applies to the project spec (${conflict.blockedBy ?? 'its item is gone'}); use "Take base".`,
    };
  }
  const baseNow = conflict.baseNow;
  const ops = opsBetween(change.kind, key, baseNow, conflict.mine, whatIfSpec(base, changes));
  const next = ops.length ? makeChange(change.kind, key, ops, baseNow) : null;
  return { ok: true, changes: changes.flatMap((c) => (c.key !== key ? [c] : next ? [next] : [])) };
}

/** The ops Apply writes to the project spec: the what-if's own changes, in apply order. */
export function promotionOps(base: SpecContent, changes: readonly WhatIfChange[]): SpecOp[] {
  return rebaseWhatIf(base, changes).applied.flatMap((change) => change.ops);
}

/** Item ids a change refers to, for highlighting. */
export function changeItemIds(change: WhatIfChange): string[] {
  const [, ...rest] = change.key.split(':');
  return rest.filter(Boolean);
}
