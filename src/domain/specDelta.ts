/**
 * A structured, id-based change to a problem spec (and the world model).
 *
 * The offline Architect, a future language-model Architect and the Spec tab
 * all express edits as a SpecDelta, so there is exactly one place that
 * validates a change and one place that describes it. Ops refer to items by id
 * (names are resolved before a delta is built) so a delta stored in a message
 * still means the same thing after a later rename.
 */
import { z } from 'zod';
import { idSchema, type NamedItem } from './common';
import {
  ATTRIBUTE_KEY_PATTERN,
  constraintCombineSchema,
  constraintWeightSchema,
  costSchema,
  quantityComparatorSchema,
  HARD_WEIGHT,
  ratingSchema,
  resolutionSchema,
  runModeSchema,
  type Attribute,
  type Constraint,
  type ConstraintQuantity,
  type DesignOption,
  type DesignSpace,
  type Dimension,
  type SpecContent,
} from './spec';
import { formulaMentionsKey, renameKeyInFormula, validateQuantity, describeQuantity, RESERVED_FORMULA_NAMES } from './quantityText';
import { WORLD_MODEL_SECTIONS, type WorldModel, type WorldModelSection } from './worldModel';
import { DomainError } from './errors';
import { deferredSchema } from './deferredSchema';

const worldSectionSchema = z.enum(WORLD_MODEL_SECTIONS);

/** Op shapes only; value ranges are checked by applySpecDelta so its messages can name the item. */
export const specOpSchema = deferredSchema(() =>
  z.discriminatedUnion('op', [
    z.object({ op: z.literal('addGoal'), id: idSchema, text: z.string(), index: z.number().int().optional() }),
    z.object({ op: z.literal('updateGoal'), goalId: idSchema, text: z.string() }),
    z.object({ op: z.literal('removeGoal'), goalId: idSchema }),
    z.object({ op: z.literal('moveGoal'), goalId: idSchema, toIndex: z.number().int() }),
    z.object({ op: z.literal('addConstraint'), id: idSchema, name: z.string(), description: z.string(), weight: z.number() }),
    z.object({
      op: z.literal('updateConstraint'),
      constraintId: idSchema,
      name: z.string().optional(),
      description: z.string().optional(),
      weight: z.number().optional(),
      combine: constraintCombineSchema.optional(),
    }),
    z.object({ op: z.literal('removeConstraint'), constraintId: idSchema }),
    /** quantity null turns the constraint back into a rated one. */
    z.object({
      op: z.literal('setConstraintQuantity'),
      constraintId: idSchema,
      quantity: z
        .object({
          expression: z.string(),
          comparator: quantityComparatorSchema,
          threshold: z.number(),
          unit: z.string(),
          margin: z.number(),
        })
        .nullable(),
    }),
    z.object({ op: z.literal('moveConstraint'), constraintId: idSchema, toIndex: z.number().int() }),
    z.object({ op: z.literal('addDimension'), id: idSchema, name: z.string(), description: z.string() }),
    z.object({ op: z.literal('updateDimension'), dimensionId: idSchema, name: z.string().optional(), description: z.string().optional() }),
    z.object({ op: z.literal('removeDimension'), dimensionId: idSchema }),
    z.object({
      op: z.literal('addOption'),
      dimensionId: idSchema,
      id: idSchema,
      name: z.string(),
      description: z.string(),
      cost: z.number(),
    }),
    z.object({
      op: z.literal('updateOption'),
      optionId: idSchema,
      name: z.string().optional(),
      description: z.string().optional(),
      cost: z.number().optional(),
    }),
    z.object({ op: z.literal('removeOption'), optionId: idSchema }),
    /** rating null clears the cell back to "not rated". */
    z.object({ op: z.literal('setRating'), optionId: idSchema, constraintId: idSchema, rating: z.number().nullable() }),
    z.object({ op: z.literal('addAttribute'), id: idSchema, key: z.string(), name: z.string(), unit: z.string() }),
    z.object({
      op: z.literal('updateAttribute'),
      attributeId: idSchema,
      key: z.string().optional(),
      name: z.string().optional(),
      unit: z.string().optional(),
    }),
    z.object({ op: z.literal('removeAttribute'), attributeId: idSchema }),
    /** value null clears the option's value ("no value"). */
    z.object({ op: z.literal('setAttributeValue'), optionId: idSchema, attributeId: idSchema, value: z.number().nullable() }),
    z.object({ op: z.literal('setCostAttribute'), attributeId: idSchema.nullable() }),
    z.object({ op: z.literal('addIncompatibility'), id: idSchema, optionIds: z.tuple([idSchema, idSchema]), reason: z.string() }),
    z.object({ op: z.literal('removeIncompatibility'), incompatibilityId: idSchema }),
    z.object({ op: z.literal('setResolution'), resolution: resolutionSchema }),
    z.object({ op: z.literal('setMode'), mode: runModeSchema }),
    z.object({ op: z.literal('addWorldItem'), section: worldSectionSchema, id: idSchema, name: z.string(), description: z.string() }),
    z.object({
      op: z.literal('updateWorldItem'),
      section: worldSectionSchema,
      itemId: idSchema,
      name: z.string().optional(),
      description: z.string().optional(),
    }),
    z.object({ op: z.literal('removeWorldItem'), section: worldSectionSchema, itemId: idSchema }),
  ]),
);
export type SpecOp = z.infer<typeof specOpSchema>;

export const specDeltaSchema = deferredSchema(() => z.object({ ops: z.array(specOpSchema) }));
export type SpecDelta = z.infer<typeof specDeltaSchema>;

export type WorldModelContent = Pick<WorldModel, WorldModelSection>;

export function emptyWorldModelContent(): WorldModelContent {
  return { actors: [], mechanisms: [], resources: [], assumptions: [], simplifications: [] };
}

export function toWorldModelContent(world: WorldModelContent): WorldModelContent {
  return {
    actors: world.actors,
    mechanisms: world.mechanisms,
    resources: world.resources,
    assumptions: world.assumptions,
    simplifications: world.simplifications,
  };
}

export function isWorldOp(op: SpecOp): boolean {
  return op.op === 'addWorldItem' || op.op === 'updateWorldItem' || op.op === 'removeWorldItem';
}

export const WORLD_SECTION_SINGULAR: Record<WorldModelSection, string> = {
  actors: 'actor',
  mechanisms: 'mechanism',
  resources: 'resource',
  assumptions: 'assumption',
  simplifications: 'simplification',
};

export type ChangeKind =
  | 'goal'
  | 'constraint'
  | 'dimension'
  | 'option'
  | 'rating'
  | 'attribute'
  | 'value'
  | 'incompatibility'
  | 'costSource'
  | 'resolution'
  | 'mode'
  | 'world';
export type ChangeAction = 'added' | 'removed' | 'changed' | 'renamed' | 'moved' | 'cleared';

/** One human-readable change, counted by kind/action/field for the "+2 constraints" summary. */
export interface SpecChange {
  kind: ChangeKind;
  action: ChangeAction;
  field?: 'weight' | 'cost' | 'description' | 'text' | 'name' | 'combine' | 'quantity' | 'key' | 'unit';
  text: string;
  ids: string[];
}

export interface DeltaError {
  /** Index of the failing op in delta.ops. */
  opIndex: number;
  message: string;
}

export type SpecSection = keyof SpecContent;

export type DeltaResult =
  | {
      ok: true;
      spec: SpecContent;
      world: WorldModelContent | null;
      changes: SpecChange[];
      touchedIds: string[];
      /** Spec sections whose content changed; a what-if override stores exactly these. */
      touchedSections: SpecSection[];
      worldChanged: boolean;
      summary: string;
    }
  | { ok: false; error: DeltaError };

/** Control flow inside applySpecDelta: the op index is filled in where the throw is caught. */
class DeltaValidationError extends DomainError<'delta_invalid'> {
  constructor(reason: string) {
    super('delta_invalid', { reason, opIndex: -1 });
  }
}

function fail(message: string): never {
  throw new DeltaValidationError(message);
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

export const COMBINE_LABEL: Record<Constraint['combine'], string> = { mean: 'weighted mean', weakest: 'weakest link' };

export function formatWeight(weight: number): string {
  return weight >= HARD_WEIGHT ? '100 (hard)' : String(weight);
}

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string {
  return result.error?.issues[0]?.message ?? 'is invalid';
}

function checkWeight(weight: number, constraintName: string): number {
  const parsed = constraintWeightSchema.safeParse(weight);
  if (!parsed.success)
    fail(`Weight ${weight} for "${constraintName}" is not allowed: weights are whole numbers from 0 to 100 (100 = hard).`);
  return parsed.data;
}

function checkRating(rating: number, optionName: string, constraintName: string): number {
  const parsed = ratingSchema.safeParse(rating);
  if (!parsed.success)
    fail(`Rating ${rating} for "${optionName}" on "${constraintName}" is not allowed: ratings are numbers from 0 to 1 (e.g. 0.7).`);
  return parsed.data;
}

function checkCost(cost: number, optionName: string): number {
  const parsed = costSchema.safeParse(cost);
  if (!parsed.success) fail(`Cost ${cost} for "${optionName}" is not allowed: cost must be a number of 0 or more (${firstIssue(parsed)}).`);
  return parsed.data;
}

function checkName(name: string, what: string): string {
  const trimmed = name.trim();
  if (!trimmed) fail(`The ${what} name must not be empty.`);
  return trimmed;
}

interface Draft {
  spec: SpecContent;
  world: WorldModelContent | null;
  touched: Set<SpecSection>;
  worldChanged: boolean;
  changes: SpecChange[];
}

function findConstraint(draft: Draft, id: string): Constraint {
  return draft.spec.constraints.find((c) => c.id === id) ?? fail(`There is no constraint with id ${id} (it may have been removed).`);
}

function findDimension(draft: Draft, id: string): Dimension {
  return (
    draft.spec.designSpace.dimensions.find((d) => d.id === id) ?? fail(`There is no dimension with id ${id} (it may have been removed).`)
  );
}

function findOption(draft: Draft, id: string): { dimension: Dimension; option: DesignOption } {
  for (const dimension of draft.spec.designSpace.dimensions) {
    const option = dimension.options.find((o) => o.id === id);
    if (option) return { dimension, option };
  }
  return fail(`There is no option with id ${id} (it may have been removed).`);
}

function findAttribute(draft: Draft, id: string): Attribute {
  return (
    draft.spec.designSpace.attributes.find((a) => a.id === id) ?? fail(`There is no attribute with id ${id} (it may have been removed).`)
  );
}

function checkAttributeKey(key: string, attributeName: string): string {
  const trimmed = key.trim();
  if (!ATTRIBUTE_KEY_PATTERN.test(trimmed)) {
    fail(
      `The key "${trimmed}" for attribute "${attributeName}" is not allowed: a key starts with a letter or _ and holds only letters, digits and _ (e.g. energy_wh).`,
    );
  }
  if (RESERVED_FORMULA_NAMES.includes(trimmed.toLowerCase())) {
    fail(
      `The key "${trimmed}" for attribute "${attributeName}" is a formula function name (${RESERVED_FORMULA_NAMES.join(', ')}); pick another key.`,
    );
  }
  return trimmed;
}

function checkAttributeValue(value: number, optionName: string, attributeName: string): number {
  if (!Number.isFinite(value))
    fail(`The value ${value} of "${attributeName}" for "${optionName}" is not allowed: values are finite numbers (e.g. 0.8).`);
  return value;
}

function checkQuantity(quantity: ConstraintQuantity, constraintName: string, attributes: readonly Attribute[]): ConstraintQuantity {
  const problem = validateQuantity(quantity, attributes);
  if (problem) fail(`The formula of "${constraintName}" is not usable: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
  return { ...quantity, expression: quantity.expression.trim(), unit: quantity.unit.trim() };
}

/** Constraints whose formula uses the attribute key. */
function formulasUsing(spec: SpecContent, key: string): Constraint[] {
  return spec.constraints.filter((c) => c.quantity !== null && formulaMentionsKey(c.quantity.expression, key));
}

function optionLabel(spec: SpecContent, optionId: string): string {
  for (const dimension of spec.designSpace.dimensions) {
    const option = dimension.options.find((o) => o.id === optionId);
    if (option) return `${dimension.name}/${option.name}`;
  }
  return optionId;
}

function setDesignSpace(draft: Draft, next: Partial<DesignSpace>): void {
  draft.spec.designSpace = { ...draft.spec.designSpace, ...next };
  draft.touched.add('designSpace');
}

/** Drops incompatibilities that name any of the options (they no longer exist). */
function dropIncompatibilitiesOf(draft: Draft, optionIds: ReadonlySet<string>): void {
  const { incompatibilities } = draft.spec.designSpace;
  const kept = incompatibilities.filter((i) => !optionIds.has(i.optionIds[0]) && !optionIds.has(i.optionIds[1]));
  if (kept.length === incompatibilities.length) return;
  for (const dropped of incompatibilities.filter((i) => !kept.includes(i))) {
    draft.changes.push({
      kind: 'incompatibility',
      action: 'removed',
      text: `incompatibility removed with the option: ${optionLabel(draft.spec, dropped.optionIds[0])} × ${optionLabel(draft.spec, dropped.optionIds[1])}`,
      ids: [dropped.id],
    });
  }
  setDesignSpace(draft, { incompatibilities: kept });
}

function ensureUniqueId(draft: Draft, id: string): void {
  const spec = draft.spec;
  const taken =
    spec.goals.some((g) => g.id === id) ||
    spec.constraints.some((c) => c.id === id) ||
    spec.designSpace.dimensions.some((d) => d.id === id || d.options.some((o) => o.id === id)) ||
    spec.designSpace.attributes.some((a) => a.id === id) ||
    spec.designSpace.incompatibilities.some((i) => i.id === id);
  if (taken) fail(`The id ${id} is already used.`);
}

function moveItem<T>(items: T[], from: number, toIndex: number): T[] {
  const next = items.slice();
  const [item] = next.splice(from, 1);
  const target = Math.max(0, Math.min(next.length, toIndex));
  next.splice(target, 0, item as T);
  return next;
}

function worldOf(draft: Draft): WorldModelContent {
  return draft.world ?? fail('The world model is not available here; change it from a setup chat or the Spec tab.');
}

function applyOp(draft: Draft, op: SpecOp): void {
  const spec = draft.spec;
  const record = (change: SpecChange) => draft.changes.push(change);
  switch (op.op) {
    case 'addGoal': {
      const text = op.text.trim();
      if (!text) fail('A goal must not be empty.');
      ensureUniqueId(draft, op.id);
      const goals = spec.goals.slice();
      goals.splice(op.index ?? goals.length, 0, { id: op.id, text });
      spec.goals = goals;
      draft.touched.add('goals');
      record({ kind: 'goal', action: 'added', text: `goal added: "${text}"`, ids: [op.id] });
      return;
    }
    case 'updateGoal': {
      const goal = spec.goals.find((g) => g.id === op.goalId) ?? fail(`There is no goal with id ${op.goalId}.`);
      const text = op.text.trim();
      if (!text) fail('A goal must not be empty; remove it instead.');
      if (text === goal.text) return;
      spec.goals = spec.goals.map((g) => (g.id === goal.id ? { ...g, text } : g));
      draft.touched.add('goals');
      record({ kind: 'goal', action: 'changed', field: 'text', text: `goal "${goal.text}" → "${text}"`, ids: [goal.id] });
      return;
    }
    case 'removeGoal': {
      const goal = spec.goals.find((g) => g.id === op.goalId) ?? fail(`There is no goal with id ${op.goalId}.`);
      spec.goals = spec.goals.filter((g) => g.id !== goal.id);
      draft.touched.add('goals');
      record({ kind: 'goal', action: 'removed', text: `goal removed: "${goal.text}"`, ids: [goal.id] });
      return;
    }
    case 'moveGoal': {
      const from = spec.goals.findIndex((g) => g.id === op.goalId);
      if (from < 0) fail(`There is no goal with id ${op.goalId}.`);
      if (op.toIndex < 0 || op.toIndex >= spec.goals.length)
        fail(`Goal position ${op.toIndex + 1} is out of range: use 1 to ${spec.goals.length}.`);
      if (from === op.toIndex) return;
      const goal = spec.goals[from]!;
      spec.goals = moveItem(spec.goals, from, op.toIndex);
      draft.touched.add('goals');
      record({ kind: 'goal', action: 'moved', text: `goal "${goal.text}" moved to position ${op.toIndex + 1}`, ids: [goal.id] });
      return;
    }
    case 'addConstraint': {
      const name = checkName(op.name, 'constraint');
      if (spec.constraints.some((c) => sameName(c.name, name))) {
        fail(
          `A constraint named "${name}" already exists; constraint names must be unique. Change its weight with "weight ${name} <0-100>" or pick another name.`,
        );
      }
      ensureUniqueId(draft, op.id);
      const weight = checkWeight(op.weight, name);
      spec.constraints = [
        ...spec.constraints,
        { id: op.id, name, description: op.description.trim(), weight, combine: 'mean', quantity: null },
      ];
      draft.touched.add('constraints');
      record({ kind: 'constraint', action: 'added', text: `constraint added: ${name}, weight ${formatWeight(weight)}`, ids: [op.id] });
      return;
    }
    case 'updateConstraint': {
      const current = findConstraint(draft, op.constraintId);
      const next: Constraint = { ...current };
      if (op.name !== undefined) {
        const name = checkName(op.name, 'constraint');
        if (spec.constraints.some((c) => c.id !== current.id && sameName(c.name, name))) {
          fail(`A constraint named "${name}" already exists; constraint names must be unique.`);
        }
        if (name !== current.name) {
          next.name = name;
          record({
            kind: 'constraint',
            action: 'renamed',
            field: 'name',
            text: `constraint "${current.name}" renamed to "${name}"`,
            ids: [current.id],
          });
        }
      }
      if (op.weight !== undefined) {
        const weight = checkWeight(op.weight, next.name);
        if (weight !== current.weight) {
          next.weight = weight;
          record({
            kind: 'constraint',
            action: 'changed',
            field: 'weight',
            text: `weight ${next.name} ${formatWeight(current.weight)} → ${formatWeight(weight)}`,
            ids: [current.id],
          });
        }
      }
      if (op.description !== undefined && op.description.trim() !== current.description) {
        next.description = op.description.trim();
        record({
          kind: 'constraint',
          action: 'changed',
          field: 'description',
          text: `description of ${next.name} changed`,
          ids: [current.id],
        });
      }
      if (op.combine !== undefined && op.combine !== current.combine) {
        next.combine = op.combine;
        const hardNote = next.weight >= HARD_WEIGHT ? ' (it is hard, so it stays weakest link while its weight is 100)' : '';
        record({
          kind: 'constraint',
          action: 'changed',
          field: 'combine',
          text: `${next.name} combines by ${COMBINE_LABEL[current.combine]} → ${COMBINE_LABEL[op.combine]}${hardNote}`,
          ids: [current.id],
        });
      }
      if (
        next.name === current.name &&
        next.weight === current.weight &&
        next.description === current.description &&
        next.combine === current.combine
      )
        return;
      spec.constraints = spec.constraints.map((c) => (c.id === current.id ? next : c));
      draft.touched.add('constraints');
      return;
    }
    case 'removeConstraint': {
      const current = findConstraint(draft, op.constraintId);
      spec.constraints = spec.constraints.filter((c) => c.id !== current.id);
      draft.touched.add('constraints');
      // A rating for a constraint that no longer exists would silently skew scores later.
      const hasRatings = spec.designSpace.dimensions.some((d) => d.options.some((o) => current.id in o.ratings));
      if (hasRatings) {
        spec.designSpace = {
          ...spec.designSpace,
          dimensions: spec.designSpace.dimensions.map((d) => ({
            ...d,
            options: d.options.map((o) => {
              if (!(current.id in o.ratings)) return o;
              const ratings = { ...o.ratings };
              delete ratings[current.id];
              return { ...o, ratings };
            }),
          })),
        };
        draft.touched.add('designSpace');
      }
      record({ kind: 'constraint', action: 'removed', text: `constraint removed: ${current.name}`, ids: [current.id] });
      return;
    }
    case 'setConstraintQuantity': {
      const current = findConstraint(draft, op.constraintId);
      if (op.quantity === null) {
        if (current.quantity === null) return;
        spec.constraints = spec.constraints.map((c) => (c.id === current.id ? { ...c, quantity: null } : c));
        draft.touched.add('constraints');
        record({
          kind: 'constraint',
          action: 'changed',
          field: 'quantity',
          text: `${current.name} is scored from ratings again (formula removed)`,
          ids: [current.id],
        });
        return;
      }
      const quantity = checkQuantity(op.quantity, current.name, spec.designSpace.attributes);
      const before = current.quantity;
      if (
        before &&
        before.expression === quantity.expression &&
        before.comparator === quantity.comparator &&
        before.threshold === quantity.threshold &&
        before.unit === quantity.unit &&
        before.margin === quantity.margin
      ) {
        return;
      }
      spec.constraints = spec.constraints.map((c) => (c.id === current.id ? { ...c, quantity } : c));
      draft.touched.add('constraints');
      record({
        kind: 'constraint',
        action: 'changed',
        field: 'quantity',
        text: before
          ? `formula of ${current.name}: ${describeQuantity(before)} → ${describeQuantity(quantity)}`
          : `${current.name} is computed: ${describeQuantity(quantity)}`,
        ids: [current.id],
      });
      return;
    }
    case 'moveConstraint': {
      const from = spec.constraints.findIndex((c) => c.id === op.constraintId);
      if (from < 0) fail(`There is no constraint with id ${op.constraintId}.`);
      if (op.toIndex < 0 || op.toIndex >= spec.constraints.length) fail(`Constraint position ${op.toIndex + 1} is out of range.`);
      if (from === op.toIndex) return;
      const constraint = spec.constraints[from]!;
      spec.constraints = moveItem(spec.constraints, from, op.toIndex);
      draft.touched.add('constraints');
      record({
        kind: 'constraint',
        action: 'moved',
        text: `constraint ${constraint.name} moved to position ${op.toIndex + 1}`,
        ids: [constraint.id],
      });
      return;
    }
    case 'addDimension': {
      const name = checkName(op.name, 'dimension');
      if (spec.designSpace.dimensions.some((d) => sameName(d.name, name)))
        fail(`A dimension named "${name}" already exists; dimension names must be unique.`);
      ensureUniqueId(draft, op.id);
      spec.designSpace = {
        ...spec.designSpace,
        dimensions: [...spec.designSpace.dimensions, { id: op.id, name, description: op.description.trim(), options: [] }],
      };
      draft.touched.add('designSpace');
      record({ kind: 'dimension', action: 'added', text: `dimension added: ${name}`, ids: [op.id] });
      return;
    }
    case 'updateDimension': {
      const current = findDimension(draft, op.dimensionId);
      const next: Dimension = { ...current };
      if (op.name !== undefined) {
        const name = checkName(op.name, 'dimension');
        if (spec.designSpace.dimensions.some((d) => d.id !== current.id && sameName(d.name, name))) {
          fail(`A dimension named "${name}" already exists; dimension names must be unique.`);
        }
        if (name !== current.name) {
          next.name = name;
          record({
            kind: 'dimension',
            action: 'renamed',
            field: 'name',
            text: `dimension "${current.name}" renamed to "${name}"`,
            ids: [current.id],
          });
        }
      }
      if (op.description !== undefined && op.description.trim() !== current.description) {
        next.description = op.description.trim();
        record({
          kind: 'dimension',
          action: 'changed',
          field: 'description',
          text: `description of dimension ${next.name} changed`,
          ids: [current.id],
        });
      }
      if (next.name === current.name && next.description === current.description) return;
      spec.designSpace = { ...spec.designSpace, dimensions: spec.designSpace.dimensions.map((d) => (d.id === current.id ? next : d)) };
      draft.touched.add('designSpace');
      return;
    }
    case 'removeDimension': {
      const current = findDimension(draft, op.dimensionId);
      dropIncompatibilitiesOf(draft, new Set(current.options.map((o) => o.id)));
      spec.designSpace = { ...spec.designSpace, dimensions: spec.designSpace.dimensions.filter((d) => d.id !== current.id) };
      draft.touched.add('designSpace');
      const optionNote = current.options.length ? ` (with ${current.options.length} option${current.options.length === 1 ? '' : 's'})` : '';
      record({ kind: 'dimension', action: 'removed', text: `dimension removed: ${current.name}${optionNote}`, ids: [current.id] });
      return;
    }
    case 'addOption': {
      const dimension = findDimension(draft, op.dimensionId);
      const name = checkName(op.name, 'option');
      if (dimension.options.some((o) => sameName(o.name, name))) fail(`Dimension ${dimension.name} already has an option named "${name}".`);
      ensureUniqueId(draft, op.id);
      const cost = checkCost(op.cost, name);
      const option: DesignOption = { id: op.id, name, description: op.description.trim(), cost, ratings: {}, attributes: {} };
      spec.designSpace = {
        ...spec.designSpace,
        dimensions: spec.designSpace.dimensions.map((d) => (d.id === dimension.id ? { ...d, options: [...d.options, option] } : d)),
      };
      draft.touched.add('designSpace');
      record({
        kind: 'option',
        action: 'added',
        text: `option added: ${dimension.name} → ${name} (cost ${cost})`,
        ids: [op.id, dimension.id],
      });
      return;
    }
    case 'updateOption': {
      const { dimension, option } = findOption(draft, op.optionId);
      const next: DesignOption = { ...option };
      if (op.name !== undefined) {
        const name = checkName(op.name, 'option');
        if (dimension.options.some((o) => o.id !== option.id && sameName(o.name, name))) {
          fail(`Dimension ${dimension.name} already has an option named "${name}".`);
        }
        if (name !== option.name) {
          next.name = name;
          record({
            kind: 'option',
            action: 'renamed',
            field: 'name',
            text: `option "${option.name}" renamed to "${name}"`,
            ids: [option.id],
          });
        }
      }
      if (op.cost !== undefined) {
        const cost = checkCost(op.cost, next.name);
        if (cost !== option.cost) {
          next.cost = cost;
          record({
            kind: 'option',
            action: 'changed',
            field: 'cost',
            text: `cost ${next.name} ${option.cost} → ${cost}`,
            ids: [option.id],
          });
        }
      }
      if (op.description !== undefined && op.description.trim() !== option.description) {
        next.description = op.description.trim();
        record({
          kind: 'option',
          action: 'changed',
          field: 'description',
          text: `description of option ${next.name} changed`,
          ids: [option.id],
        });
      }
      if (next.name === option.name && next.cost === option.cost && next.description === option.description) return;
      replaceOption(draft, dimension.id, next);
      return;
    }
    case 'removeOption': {
      const { dimension, option } = findOption(draft, op.optionId);
      dropIncompatibilitiesOf(draft, new Set([option.id]));
      spec.designSpace = {
        ...spec.designSpace,
        dimensions: spec.designSpace.dimensions.map((d) =>
          d.id === dimension.id ? { ...d, options: d.options.filter((o) => o.id !== option.id) } : d,
        ),
      };
      draft.touched.add('designSpace');
      record({ kind: 'option', action: 'removed', text: `option removed: ${dimension.name} → ${option.name}`, ids: [option.id] });
      return;
    }
    case 'setRating': {
      const { dimension, option } = findOption(draft, op.optionId);
      const constraint = findConstraint(draft, op.constraintId);
      const before = option.ratings[constraint.id];
      if (op.rating === null) {
        if (before === undefined) return;
        const ratings = { ...option.ratings };
        delete ratings[constraint.id];
        replaceOption(draft, dimension.id, { ...option, ratings });
        record({
          kind: 'rating',
          action: 'cleared',
          text: `rating ${option.name} × ${constraint.name} cleared (was ${before})`,
          ids: [option.id, constraint.id],
        });
        return;
      }
      const rating = checkRating(op.rating, option.name, constraint.name);
      if (before === rating) return;
      replaceOption(draft, dimension.id, { ...option, ratings: { ...option.ratings, [constraint.id]: rating } });
      record({
        kind: 'rating',
        action: before === undefined ? 'added' : 'changed',
        text:
          before === undefined
            ? `rating ${option.name} × ${constraint.name} = ${rating}`
            : `rating ${option.name} × ${constraint.name} ${before} → ${rating}`,
        ids: [option.id, constraint.id],
      });
      return;
    }
    case 'addAttribute': {
      const name = checkName(op.name, 'attribute');
      const key = checkAttributeKey(op.key, name);
      const { attributes } = spec.designSpace;
      if (attributes.some((a) => sameName(a.name, name)))
        fail(`An attribute named "${name}" already exists; attribute names must be unique.`);
      const clash = attributes.find((a) => sameName(a.key, key));
      if (clash) fail(`The key "${key}" is already used by attribute "${clash.name}"; formulas need each key to be unique.`);
      ensureUniqueId(draft, op.id);
      const unit = op.unit.trim();
      setDesignSpace(draft, { attributes: [...attributes, { id: op.id, key, name, unit }] });
      record({ kind: 'attribute', action: 'added', text: `attribute added: ${name} (${key}${unit ? `, ${unit}` : ''})`, ids: [op.id] });
      return;
    }
    case 'updateAttribute': {
      const current = findAttribute(draft, op.attributeId);
      const next: Attribute = { ...current };
      if (op.name !== undefined) {
        const name = checkName(op.name, 'attribute');
        if (spec.designSpace.attributes.some((a) => a.id !== current.id && sameName(a.name, name)))
          fail(`An attribute named "${name}" already exists; attribute names must be unique.`);
        if (name !== current.name) {
          next.name = name;
          record({
            kind: 'attribute',
            action: 'renamed',
            field: 'name',
            text: `attribute "${current.name}" renamed to "${name}"`,
            ids: [current.id],
          });
        }
      }
      if (op.unit !== undefined && op.unit.trim() !== current.unit) {
        next.unit = op.unit.trim();
        record({
          kind: 'attribute',
          action: 'changed',
          field: 'unit',
          text: `unit of ${next.name} ${current.unit || '(none)'} → ${next.unit || '(none)'}`,
          ids: [current.id],
        });
      }
      if (op.key !== undefined) {
        const key = checkAttributeKey(op.key, next.name);
        const clash = spec.designSpace.attributes.find((a) => a.id !== current.id && sameName(a.key, key));
        if (clash) fail(`The key "${key}" is already used by attribute "${clash.name}"; formulas need each key to be unique.`);
        if (key !== current.key) {
          next.key = key;
          // Formulas refer to keys, so a key change rewrites them instead of breaking them.
          const users = formulasUsing(spec, current.key);
          spec.constraints = spec.constraints.map((c) =>
            users.includes(c) && c.quantity
              ? { ...c, quantity: { ...c.quantity, expression: renameKeyInFormula(c.quantity.expression, current.key, key) } }
              : c,
          );
          if (users.length) draft.touched.add('constraints');
          const rewritten = users.length
            ? ` (formula${users.length === 1 ? '' : 's'} of ${users.map((c) => c.name).join(', ')} updated)`
            : '';
          record({
            kind: 'attribute',
            action: 'changed',
            field: 'key',
            text: `key of ${next.name} ${current.key} → ${key}${rewritten}`,
            ids: [current.id, ...users.map((c) => c.id)],
          });
        }
      }
      if (next.name === current.name && next.key === current.key && next.unit === current.unit) return;
      setDesignSpace(draft, { attributes: spec.designSpace.attributes.map((a) => (a.id === current.id ? next : a)) });
      return;
    }
    case 'removeAttribute': {
      const current = findAttribute(draft, op.attributeId);
      const users = formulasUsing(spec, current.key);
      if (users.length) {
        fail(
          `Attribute "${current.name}" is used by the formula of ${users.map((c) => `"${c.name}"`).join(', ')}; change or remove ${users.length === 1 ? 'that formula' : 'those formulas'} first.`,
        );
      }
      const hadValues = spec.designSpace.dimensions.some((d) => d.options.some((o) => current.id in o.attributes));
      const dimensions = hadValues
        ? spec.designSpace.dimensions.map((d) => ({
            ...d,
            options: d.options.map((o) => {
              if (!(current.id in o.attributes)) return o;
              const attributes = { ...o.attributes };
              delete attributes[current.id];
              return { ...o, attributes };
            }),
          }))
        : spec.designSpace.dimensions;
      const wasCost = spec.designSpace.costAttributeId === current.id;
      setDesignSpace(draft, {
        dimensions,
        attributes: spec.designSpace.attributes.filter((a) => a.id !== current.id),
        costAttributeId: wasCost ? null : spec.designSpace.costAttributeId,
      });
      const notes = [hadValues ? 'with its option values' : '', wasCost ? 'cost comes from option costs again' : ''].filter(Boolean);
      record({
        kind: 'attribute',
        action: 'removed',
        text: `attribute removed: ${current.name}${notes.length ? ` (${notes.join('; ')})` : ''}`,
        ids: [current.id],
      });
      return;
    }
    case 'setAttributeValue': {
      const { dimension, option } = findOption(draft, op.optionId);
      const attribute = findAttribute(draft, op.attributeId);
      const before = option.attributes[attribute.id];
      const unit = attribute.unit ? ` ${attribute.unit}` : '';
      if (op.value === null) {
        if (before === undefined) return;
        const attributes = { ...option.attributes };
        delete attributes[attribute.id];
        replaceOption(draft, dimension.id, { ...option, attributes });
        record({
          kind: 'value',
          action: 'cleared',
          text: `${attribute.name} of ${option.name} cleared (was ${before}${unit})`,
          ids: [option.id, attribute.id],
        });
        return;
      }
      const value = checkAttributeValue(op.value, option.name, attribute.name);
      if (before === value) return;
      replaceOption(draft, dimension.id, { ...option, attributes: { ...option.attributes, [attribute.id]: value } });
      record({
        kind: 'value',
        action: before === undefined ? 'added' : 'changed',
        text:
          before === undefined
            ? `${attribute.name} of ${option.name} = ${value}${unit}`
            : `${attribute.name} of ${option.name} ${before} → ${value}${unit}`,
        ids: [option.id, attribute.id],
      });
      return;
    }
    case 'setCostAttribute': {
      const before = spec.designSpace.costAttributeId;
      if (before === op.attributeId) return;
      const attribute = op.attributeId === null ? null : findAttribute(draft, op.attributeId);
      const previous = before === null ? null : spec.designSpace.attributes.find((a) => a.id === before);
      setDesignSpace(draft, { costAttributeId: attribute?.id ?? null });
      const describe = (a: Attribute | null | undefined) => (a ? `attribute ${a.name}` : 'option costs');
      record({
        kind: 'costSource',
        action: 'changed',
        text: `cost (R) from ${describe(previous)} → ${describe(attribute)}`,
        ids: attribute ? [attribute.id] : ['costSource'],
      });
      return;
    }
    case 'addIncompatibility': {
      const [firstId, secondId] = op.optionIds;
      const first = findOption(draft, firstId);
      const second = findOption(draft, secondId);
      const firstLabel = `${first.dimension.name}/${first.option.name}`;
      const secondLabel = `${second.dimension.name}/${second.option.name}`;
      if (first.dimension.id === second.dimension.id) {
        fail(
          `${firstLabel} and ${secondLabel} are in the same dimension, so a design never holds both; only options of different dimensions can be incompatible.`,
        );
      }
      const pair = new Set([firstId, secondId]);
      if (spec.designSpace.incompatibilities.some((i) => pair.has(i.optionIds[0]) && pair.has(i.optionIds[1]))) {
        fail(`${firstLabel} and ${secondLabel} are already marked incompatible.`);
      }
      ensureUniqueId(draft, op.id);
      const reason = op.reason.trim();
      setDesignSpace(draft, {
        incompatibilities: [...spec.designSpace.incompatibilities, { id: op.id, optionIds: [firstId, secondId], reason }],
      });
      record({
        kind: 'incompatibility',
        action: 'added',
        text: `incompatible: ${firstLabel} × ${secondLabel}${reason ? ` — ${reason}` : ''}`,
        ids: [op.id, firstId, secondId],
      });
      return;
    }
    case 'removeIncompatibility': {
      const current =
        spec.designSpace.incompatibilities.find((i) => i.id === op.incompatibilityId) ??
        fail(`There is no incompatibility with id ${op.incompatibilityId} (it may have been removed).`);
      setDesignSpace(draft, { incompatibilities: spec.designSpace.incompatibilities.filter((i) => i.id !== current.id) });
      record({
        kind: 'incompatibility',
        action: 'removed',
        text: `compatible again: ${optionLabel(spec, current.optionIds[0])} × ${optionLabel(spec, current.optionIds[1])}`,
        ids: [current.id, ...current.optionIds],
      });
      return;
    }
    case 'setResolution': {
      if (spec.resolution === op.resolution) return;
      record({ kind: 'resolution', action: 'changed', text: `resolution ${spec.resolution} → ${op.resolution}`, ids: ['resolution'] });
      spec.resolution = op.resolution;
      draft.touched.add('resolution');
      return;
    }
    case 'setMode': {
      if (spec.mode === op.mode) return;
      record({ kind: 'mode', action: 'changed', text: `default run mode ${spec.mode} → ${op.mode}`, ids: ['mode'] });
      spec.mode = op.mode;
      draft.touched.add('mode');
      return;
    }
    case 'addWorldItem': {
      const world = worldOf(draft);
      const label = WORLD_SECTION_SINGULAR[op.section];
      const name = checkName(op.name, label);
      if (world[op.section].some((item) => sameName(item.name, name)))
        fail(`The ${label} "${name}" already exists; names must be unique within ${op.section}.`);
      if (world[op.section].some((item) => item.id === op.id)) fail(`The id ${op.id} is already used.`);
      const item: NamedItem = { id: op.id, name, description: op.description.trim() };
      draft.world = { ...world, [op.section]: [...world[op.section], item] };
      draft.worldChanged = true;
      record({ kind: 'world', action: 'added', text: `${label} added: ${name}`, ids: [op.id] });
      return;
    }
    case 'updateWorldItem': {
      const world = worldOf(draft);
      const label = WORLD_SECTION_SINGULAR[op.section];
      const current = world[op.section].find((item) => item.id === op.itemId) ?? fail(`There is no ${label} with id ${op.itemId}.`);
      const next: NamedItem = { ...current };
      if (op.name !== undefined) {
        const name = checkName(op.name, label);
        if (world[op.section].some((item) => item.id !== current.id && sameName(item.name, name)))
          fail(`The name "${name}" is already used by another ${label}.`);
        if (name !== current.name) {
          next.name = name;
          record({
            kind: 'world',
            action: 'renamed',
            field: 'name',
            text: `${label} "${current.name}" renamed to "${name}"`,
            ids: [current.id],
          });
        }
      }
      if (op.description !== undefined && op.description.trim() !== current.description) {
        next.description = op.description.trim();
        record({
          kind: 'world',
          action: 'changed',
          field: 'description',
          text: `description of ${label} ${next.name} changed`,
          ids: [current.id],
        });
      }
      if (next.name === current.name && next.description === current.description) return;
      draft.world = { ...world, [op.section]: world[op.section].map((item) => (item.id === current.id ? next : item)) };
      draft.worldChanged = true;
      return;
    }
    case 'removeWorldItem': {
      const world = worldOf(draft);
      const label = WORLD_SECTION_SINGULAR[op.section];
      const current = world[op.section].find((item) => item.id === op.itemId) ?? fail(`There is no ${label} with id ${op.itemId}.`);
      draft.world = { ...world, [op.section]: world[op.section].filter((item) => item.id !== current.id) };
      draft.worldChanged = true;
      record({ kind: 'world', action: 'removed', text: `${label} removed: ${current.name}`, ids: [current.id] });
      return;
    }
  }
}

function replaceOption(draft: Draft, dimensionId: string, next: DesignOption): void {
  draft.spec.designSpace = {
    ...draft.spec.designSpace,
    dimensions: draft.spec.designSpace.dimensions.map((d) =>
      d.id === dimensionId ? { ...d, options: d.options.map((o) => (o.id === next.id ? next : o)) } : d,
    ),
  };
  draft.touched.add('designSpace');
}

/**
 * Applies every op in order, or none: the first invalid op aborts the whole
 * delta and the inputs are never modified. Unchanged sections keep their
 * object identity, so callers can tell what actually changed.
 */
export function applySpecDelta(spec: SpecContent, delta: SpecDelta, world: WorldModelContent | null = null): DeltaResult {
  const draft: Draft = { spec: { ...spec }, world, touched: new Set(), worldChanged: false, changes: [] };
  for (const [opIndex, op] of delta.ops.entries()) {
    try {
      applyOp(draft, op);
    } catch (error) {
      if (error instanceof DeltaValidationError) return { ok: false, error: { opIndex, message: error.details.reason } };
      throw error;
    }
  }
  const touchedIds = [...new Set(draft.changes.flatMap((change) => change.ids))];
  return {
    ok: true,
    spec: draft.spec,
    world: draft.world,
    changes: draft.changes,
    touchedIds,
    touchedSections: SPEC_SECTIONS.filter((section) => draft.touched.has(section)),
    worldChanged: draft.worldChanged,
    summary: summarizeChanges(draft.changes),
  };
}

export const SPEC_SECTIONS: readonly SpecSection[] = ['goals', 'constraints', 'resolution', 'mode', 'designSpace'];

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

const KIND_NOUN: Record<ChangeKind, [string, string]> = {
  goal: ['goal', 'goals'],
  constraint: ['constraint', 'constraints'],
  dimension: ['dimension', 'dimensions'],
  option: ['option', 'options'],
  rating: ['rating', 'ratings'],
  attribute: ['attribute', 'attributes'],
  value: ['value', 'values'],
  incompatibility: ['incompatibility', 'incompatibilities'],
  costSource: ['cost source', 'cost source'],
  resolution: ['resolution', 'resolution'],
  mode: ['run mode', 'run mode'],
  world: ['world-model item', 'world-model items'],
};

/** "+2 constraints, 1 weight changed, 3 ratings set": counts, most structural first. */
export function summarizeChanges(changes: readonly SpecChange[]): string {
  if (!changes.length) return 'no changes';
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const change of changes) bump(`${change.kind}|${change.action}|${change.field ?? ''}`);
  const parts: string[] = [];
  const take = (kind: ChangeKind, action: ChangeAction, field = '') => {
    const key = `${kind}|${action}|${field}`;
    const count = counts.get(key) ?? 0;
    counts.delete(key);
    return count;
  };
  const kinds: ChangeKind[] = ['goal', 'constraint', 'dimension', 'option', 'attribute', 'incompatibility', 'world'];
  for (const kind of kinds) {
    const [one, many] = KIND_NOUN[kind];
    const added = take(kind, 'added');
    if (added) parts.push(`+${plural(added, one, many)}`);
    const removed = take(kind, 'removed');
    if (removed) parts.push(`−${plural(removed, one, many)}`);
  }
  const weights = take('constraint', 'changed', 'weight');
  if (weights) parts.push(`${plural(weights, 'weight')} changed`);
  const costs = take('option', 'changed', 'cost');
  if (costs) parts.push(`${plural(costs, 'cost')} changed`);
  const ratingsSet = take('rating', 'added') + take('rating', 'changed');
  if (ratingsSet) parts.push(`${plural(ratingsSet, 'rating')} set`);
  const ratingsCleared = take('rating', 'cleared');
  if (ratingsCleared) parts.push(`${plural(ratingsCleared, 'rating')} cleared`);
  const valuesSet = take('value', 'added') + take('value', 'changed');
  if (valuesSet) parts.push(`${plural(valuesSet, 'attribute value')} set`);
  const valuesCleared = take('value', 'cleared');
  if (valuesCleared) parts.push(`${plural(valuesCleared, 'attribute value')} cleared`);
  const formulas = take('constraint', 'changed', 'quantity');
  if (formulas) parts.push(`${plural(formulas, 'formula')} changed`);
  const combines = take('constraint', 'changed', 'combine');
  if (combines) parts.push(`${plural(combines, 'combine mode')} changed`);
  if (take('costSource', 'changed')) parts.push('cost source changed');
  if (take('resolution', 'changed')) parts.push('resolution changed');
  if (take('mode', 'changed')) parts.push('run mode changed');
  let renamed = 0;
  let edited = 0;
  let moved = 0;
  for (const [key, count] of counts) {
    if (key.includes('|renamed|')) renamed += count;
    else if (key.includes('|moved|')) moved += count;
    else edited += count;
  }
  if (renamed) parts.push(`${renamed} renamed`);
  if (edited) parts.push(`${plural(edited, 'text')} edited`);
  if (moved) parts.push(`${moved} reordered`);
  return parts.join(', ');
}

export interface DeltaDescription {
  summary: string;
  details: string[];
}

/** What a delta would do to `spec`; an invalid delta is described by its error. */
export function describeDelta(spec: SpecContent, delta: SpecDelta, world: WorldModelContent | null = null): DeltaDescription {
  const result = applySpecDelta(spec, delta, world ?? emptyWorldModelContent());
  if (!result.ok) return { summary: 'invalid change', details: [result.error.message] };
  return { summary: result.summary, details: result.changes.map((change) => change.text) };
}
