/**
 * Differences between a project's base spec and a what-if chat's effective
 * spec, keyed by item id so the Spec tab can put a marker ("weight 90 → 40")
 * next to exactly the item that differs.
 */
import { COMBINE_LABEL, formatWeight } from './specDelta';
import { describeQuantity } from './quantityText';
import type { SpecContent } from './spec';
import { sameRelativeOrder } from './whatIfOrder';

/** "A, B, C → B, A, C" over the items both lists hold, or null when their relative order is the same. */
function orderDiff(base: { id: string; name: string }[], next: { id: string; name: string }[]): { before: string; after: string } | null {
  const baseIds = base.map((item) => item.id);
  const nextIds = next.map((item) => item.id);
  if (sameRelativeOrder(baseIds, nextIds)) return null;
  const inBase = new Set(baseIds);
  const inNext = new Set(nextIds);
  return {
    before: base
      .filter((item) => inNext.has(item.id))
      .map((item) => item.name)
      .join(', '),
    after: next
      .filter((item) => inBase.has(item.id))
      .map((item) => item.name)
      .join(', '),
  };
}

export type DiffItemKind = 'goal' | 'constraint' | 'dimension' | 'option' | 'attribute' | 'incompatibility';

export interface FieldDiff {
  field: 'name' | 'text' | 'description' | 'weight' | 'cost' | 'combine' | 'formula' | 'key' | 'unit';
  before: string;
  after: string;
}

export interface ItemDiff {
  id: string;
  kind: DiffItemKind;
  status: 'added' | 'removed' | 'changed';
  /** The item's current name (its base name when removed). */
  name: string;
  fields: FieldDiff[];
}

export interface RatingDiff {
  optionId: string;
  constraintId: string;
  optionName: string;
  constraintName: string;
  before: number | null;
  after: number | null;
}

export interface ValueDiff {
  optionId: string;
  attributeId: string;
  optionName: string;
  attributeName: string;
  before: number | null;
  after: number | null;
}

export interface SpecDiff {
  items: ItemDiff[];
  byId: ReadonlyMap<string, ItemDiff>;
  /** Keyed by `${optionId}:${constraintId}`. */
  ratings: ReadonlyMap<string, RatingDiff>;
  /** Attribute values, keyed by `${optionId}:${attributeId}`. */
  values: ReadonlyMap<string, ValueDiff>;
  /** Where R comes from: "option costs" or "attribute <name>". */
  costSource: { before: string; after: string } | null;
  resolution: { before: string; after: string } | null;
  mode: { before: string; after: string } | null;
  /** The goals' / constraints' order, when the items both specs hold are in another relative order. */
  goalOrder: { before: string; after: string } | null;
  constraintOrder: { before: string; after: string } | null;
  isEmpty: boolean;
}

export function ratingKey(optionId: string, constraintId: string): string {
  return `${optionId}:${constraintId}`;
}

interface Comparable {
  id: string;
  name: string;
  fields: Partial<Record<FieldDiff['field'], string>>;
}

function diffLists(kind: DiffItemKind, base: Comparable[], next: Comparable[]): ItemDiff[] {
  const baseById = new Map(base.map((item) => [item.id, item]));
  const nextIds = new Set(next.map((item) => item.id));
  const out: ItemDiff[] = [];
  for (const item of next) {
    const before = baseById.get(item.id);
    if (!before) {
      out.push({ id: item.id, kind, status: 'added', name: item.name, fields: [] });
      continue;
    }
    const fields: FieldDiff[] = [];
    for (const [field, after] of Object.entries(item.fields) as [FieldDiff['field'], string][]) {
      const was = before.fields[field];
      if (was !== undefined && was !== after) fields.push({ field, before: was, after });
    }
    if (fields.length) out.push({ id: item.id, kind, status: 'changed', name: item.name, fields });
  }
  for (const item of base) {
    if (!nextIds.has(item.id)) out.push({ id: item.id, kind, status: 'removed', name: item.name, fields: [] });
  }
  return out;
}

export function diffSpecs(base: SpecContent, effective: SpecContent): SpecDiff {
  const items: ItemDiff[] = [];
  if (base.goals !== effective.goals) {
    const asComparable = (goals: SpecContent['goals']) => goals.map((g) => ({ id: g.id, name: g.text, fields: { text: g.text } }));
    items.push(...diffLists('goal', asComparable(base.goals), asComparable(effective.goals)));
  }
  if (base.constraints !== effective.constraints) {
    const asComparable = (constraints: SpecContent['constraints']) =>
      constraints.map((c) => ({
        id: c.id,
        name: c.name,
        fields: {
          name: c.name,
          weight: formatWeight(c.weight),
          description: c.description,
          combine: COMBINE_LABEL[c.combine],
          formula: c.quantity ? describeQuantity(c.quantity) : 'ratings',
        },
      }));
    items.push(...diffLists('constraint', asComparable(base.constraints), asComparable(effective.constraints)));
  }
  const ratings = new Map<string, RatingDiff>();
  const values = new Map<string, ValueDiff>();
  let costSource: SpecDiff['costSource'] = null;
  if (base.designSpace !== effective.designSpace) {
    const attrs = (spec: SpecContent) =>
      spec.designSpace.attributes.map((a) => ({ id: a.id, name: a.name, fields: { name: a.name, key: a.key, unit: a.unit } }));
    items.push(...diffLists('attribute', attrs(base), attrs(effective)));
    const optionNames = new Map(
      [...base.designSpace.dimensions, ...effective.designSpace.dimensions].flatMap((d) =>
        d.options.map((o) => [o.id, `${d.name}/${o.name}`] as const),
      ),
    );
    const pairs = (spec: SpecContent) =>
      spec.designSpace.incompatibilities.map((i) => ({
        id: i.id,
        name: `${optionNames.get(i.optionIds[0]) ?? i.optionIds[0]} × ${optionNames.get(i.optionIds[1]) ?? i.optionIds[1]}`,
        fields: { description: i.reason },
      }));
    items.push(...diffLists('incompatibility', pairs(base), pairs(effective)));
    const source = (spec: SpecContent) => {
      const attribute = spec.designSpace.attributes.find((a) => a.id === spec.designSpace.costAttributeId);
      return attribute ? `attribute ${attribute.name}` : 'option costs';
    };
    if (source(base) !== source(effective)) costSource = { before: source(base), after: source(effective) };
    const dims = (spec: SpecContent) =>
      spec.designSpace.dimensions.map((d) => ({ id: d.id, name: d.name, fields: { name: d.name, description: d.description } }));
    items.push(...diffLists('dimension', dims(base), dims(effective)));
    const options = (spec: SpecContent) =>
      spec.designSpace.dimensions.flatMap((d) =>
        d.options.map((o) => ({ id: o.id, name: o.name, fields: { name: o.name, description: o.description, cost: String(o.cost) } })),
      );
    items.push(...diffLists('option', options(base), options(effective)));
    const baseOptions = new Map(base.designSpace.dimensions.flatMap((d) => d.options.map((o) => [o.id, o] as const)));
    const constraintNames = new Map([...base.constraints, ...effective.constraints].map((c) => [c.id, c.name]));
    const attributeNames = new Map([...base.designSpace.attributes, ...effective.designSpace.attributes].map((a) => [a.id, a.name]));
    for (const dimension of effective.designSpace.dimensions) {
      for (const option of dimension.options) {
        const before = baseOptions.get(option.id);
        // A brand-new option is already marked as added; its ratings need no per-cell marker.
        if (!before) continue;
        const attributeIds = new Set([...Object.keys(before.attributes), ...Object.keys(option.attributes)]);
        for (const attributeId of attributeIds) {
          const was = before.attributes[attributeId] ?? null;
          const now = option.attributes[attributeId] ?? null;
          if (was === now) continue;
          values.set(ratingKey(option.id, attributeId), {
            optionId: option.id,
            attributeId,
            optionName: option.name,
            attributeName: attributeNames.get(attributeId) ?? attributeId,
            before: was,
            after: now,
          });
        }
        const constraintIds = new Set([...Object.keys(before.ratings), ...Object.keys(option.ratings)]);
        for (const constraintId of constraintIds) {
          const was = before.ratings[constraintId] ?? null;
          const now = option.ratings[constraintId] ?? null;
          if (was === now) continue;
          ratings.set(ratingKey(option.id, constraintId), {
            optionId: option.id,
            constraintId,
            optionName: option.name,
            constraintName: constraintNames.get(constraintId) ?? constraintId,
            before: was,
            after: now,
          });
        }
      }
    }
  }
  const resolution = base.resolution !== effective.resolution ? { before: base.resolution, after: effective.resolution } : null;
  const mode = base.mode !== effective.mode ? { before: base.mode, after: effective.mode } : null;
  const goalNames = (spec: SpecContent) => spec.goals.map((goal) => ({ id: goal.id, name: `"${goal.text}"` }));
  const constraintNames = (spec: SpecContent) => spec.constraints.map((constraint) => ({ id: constraint.id, name: constraint.name }));
  const goalOrder = orderDiff(goalNames(base), goalNames(effective));
  const constraintOrder = orderDiff(constraintNames(base), constraintNames(effective));
  return {
    items,
    byId: new Map(items.map((item) => [item.id, item])),
    ratings,
    values,
    costSource,
    resolution,
    mode,
    goalOrder,
    constraintOrder,
    isEmpty:
      items.length === 0 &&
      ratings.size === 0 &&
      values.size === 0 &&
      !costSource &&
      !resolution &&
      !mode &&
      !goalOrder &&
      !constraintOrder,
  };
}

/** "weight 90 → 40", "new", "removed": the marker shown beside an item. */
export function describeItemDiff(diff: ItemDiff): string {
  if (diff.status === 'added') return 'new in this what-if';
  if (diff.status === 'removed') return 'removed in this what-if';
  return diff.fields
    .map((field) =>
      field.field === 'description'
        ? diff.kind === 'incompatibility'
          ? 'reason changed'
          : 'description changed'
        : field.field === 'text'
          ? `was "${field.before}"`
          : `${field.field} ${field.before} → ${field.after}`,
    )
    .join(', ');
}

/** Every difference as one line, for the "Apply to project spec" confirmation. */
export function describeSpecDiff(diff: SpecDiff): string[] {
  const lines: string[] = [];
  for (const item of diff.items) {
    const label = `${item.kind} ${item.kind === 'goal' ? `"${item.name}"` : item.name}`;
    if (item.status === 'added') lines.push(`+ ${label}`);
    else if (item.status === 'removed') lines.push(`− ${label}`);
    else lines.push(`~ ${label}: ${describeItemDiff(item)}`);
  }
  for (const rating of diff.ratings.values()) {
    lines.push(`~ rating ${rating.optionName} × ${rating.constraintName}: ${rating.before ?? 'unrated'} → ${rating.after ?? 'unrated'}`);
  }
  for (const value of diff.values.values()) {
    lines.push(`~ ${value.attributeName} of ${value.optionName}: ${value.before ?? 'no value'} → ${value.after ?? 'no value'}`);
  }
  if (diff.costSource) lines.push(`~ cost (R) from: ${diff.costSource.before} → ${diff.costSource.after}`);
  if (diff.resolution) lines.push(`~ resolution: ${diff.resolution.before} → ${diff.resolution.after}`);
  if (diff.mode) lines.push(`~ default run mode: ${diff.mode.before} → ${diff.mode.after}`);
  if (diff.goalOrder) lines.push(`~ order of the goals: ${diff.goalOrder.before} → ${diff.goalOrder.after}`);
  if (diff.constraintOrder) lines.push(`~ order of the constraints: ${diff.constraintOrder.before} → ${diff.constraintOrder.after}`);
  return lines;
}
