/**
 * The order of a spec's goals and of its constraints, as what-if items.
 *
 * An order change stores the what-if's relative order of the ids it ordered,
 * not positions: the project spec may gain, lose or reorder items after the
 * branch, so positions taken at branch time would put items in the wrong
 * place. Applied over the current spec, the ordered ids take the what-if's
 * relative order in the slots they occupy there; ids the what-if never saw
 * (the project added them later) keep their own slots.
 */
import type { SpecOp } from './specDelta';
import type { SpecContent } from './spec';

export type OrderKind = 'goalOrder' | 'constraintOrder';

export const ORDER_KINDS: readonly OrderKind[] = ['goalOrder', 'constraintOrder'];

export function isOrderKind(kind: string): kind is OrderKind {
  return kind === 'goalOrder' || kind === 'constraintOrder';
}

export function orderIdsOf(kind: OrderKind, spec: SpecContent): string[] {
  return kind === 'goalOrder' ? spec.goals.map((goal) => goal.id) : spec.constraints.map((constraint) => constraint.id);
}

function moveOp(kind: OrderKind, id: string, toIndex: number): SpecOp {
  return kind === 'goalOrder' ? { op: 'moveGoal', goalId: id, toIndex } : { op: 'moveConstraint', constraintId: id, toIndex };
}

function movedId(op: SpecOp): string | null {
  if (op.op === 'moveGoal') return op.goalId;
  if (op.op === 'moveConstraint') return op.constraintId;
  return null;
}

/**
 * `current`, with the ids that `desired` also holds put in `desired`'s
 * relative order, each in one of the slots those ids occupy in `current`.
 * Ids only in `current` stay where they are; ids only in `desired` are ignored.
 */
export function reorderTo(current: readonly string[], desired: readonly string[]): string[] {
  const inCurrent = new Set(current);
  const ordered = desired.filter((id) => inCurrent.has(id));
  const orderedSet = new Set(ordered);
  let next = 0;
  return current.map((id) => (orderedSet.has(id) ? ordered[next++]! : id));
}

/** Whether two lists put the ids they share in the same relative order. */
export function sameRelativeOrder(a: readonly string[], b: readonly string[]): boolean {
  const inB = new Set(b);
  const inA = new Set(a);
  const sharedA = a.filter((id) => inB.has(id));
  const sharedB = b.filter((id) => inA.has(id));
  return sharedA.every((id, index) => sharedB[index] === id);
}

/**
 * The change's stored ops: one move per id in the what-if's order, `toIndex`
 * being its rank among the ordered ids. Read back with `desiredOrder`; the
 * moves that a spec actually receives come from `movesBetween`.
 */
export function encodeOrder(kind: OrderKind, desired: readonly string[]): SpecOp[] {
  return desired.map((id, index) => moveOp(kind, id, index));
}

export function desiredOrder(ops: readonly SpecOp[]): string[] {
  return ops.flatMap((op) => {
    const id = movedId(op);
    return id === null ? [] : [id];
  });
}

/** Moves (real positions, applied in sequence) that turn `from` into `to`, which hold the same ids. */
export function movesBetween(kind: OrderKind, from: readonly string[], to: readonly string[]): SpecOp[] {
  const list = from.slice();
  const ops: SpecOp[] = [];
  for (let index = 0; index < to.length; index += 1) {
    const id = to[index]!;
    if (list[index] === id) continue;
    const at = list.indexOf(id);
    if (at < 0) continue;
    list.splice(at, 1);
    list.splice(index, 0, id);
    ops.push(moveOp(kind, id, index));
  }
  return ops;
}

/**
 * The stored ops of an order change from `before` to `after`: every id of
 * `after` in its order (the what-if's own additions included, since an added
 * constraint has no position of its own), or none when the lists are equal.
 */
export function orderChangeOps(kind: OrderKind, before: readonly string[] | null, after: readonly string[] | null): SpecOp[] {
  if (!after || !after.length) return [];
  if (before && before.length === after.length && before.every((id, index) => after[index] === id)) return [];
  return encodeOrder(kind, after);
}

/** Whether `actual` puts the ids it shares with `wanted` in `wanted`'s order. */
export function ordersAgree(actual: readonly string[], wanted: readonly string[]): boolean {
  return sameRelativeOrder(actual, wanted);
}
