/**
 * How many designs the incompatibilities exclude. Shared by the Spec tab
 * (the "excludes N designs" line under the cross-consistency list), the
 * readiness check (a space where every design is excluded cannot run) and
 * the Architect's replies.
 */
import type { DesignSpace } from './spec';

/** Up to this many combinations of the dimensions that take part in an incompatibility, the count is exact. */
export const EXACT_COUNT_LIMIT = 1_000_000;

export interface ExclusionCount {
  total: number;
  excluded: number;
  /** False when the count is an estimate (the involved part of the space is above EXACT_COUNT_LIMIT). */
  exact: boolean;
}

export function countExcludedDesigns(space: Pick<DesignSpace, 'dimensions' | 'incompatibilities'>): ExclusionCount {
  const dimensions = space.dimensions;
  const total = dimensions.reduce((product, d) => product * d.options.length, dimensions.length ? 1 : 0);
  const dimensionOf = new Map<string, number>();
  dimensions.forEach((d, index) => d.options.forEach((o) => dimensionOf.set(o.id, index)));
  // Only pairs between two existing options of different dimensions can exclude anything.
  const pairs = space.incompatibilities.filter((i) => {
    const a = dimensionOf.get(i.optionIds[0]);
    const b = dimensionOf.get(i.optionIds[1]);
    return a !== undefined && b !== undefined && a !== b;
  });
  if (!pairs.length || total === 0) return { total, excluded: 0, exact: true };

  const conflicts = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    const set = conflicts.get(a) ?? new Set<string>();
    set.add(b);
    conflicts.set(a, set);
  };
  for (const pair of pairs) {
    link(pair.optionIds[0], pair.optionIds[1]);
    link(pair.optionIds[1], pair.optionIds[0]);
  }
  const involved = [...new Set(pairs.flatMap((p) => [dimensionOf.get(p.optionIds[0])!, dimensionOf.get(p.optionIds[1])!]))].sort(
    (a, b) => a - b,
  );
  const free = total / involved.reduce((product, d) => product * dimensions[d]!.options.length, 1);
  const involvedSize = total / free;

  if (involvedSize <= EXACT_COUNT_LIMIT) {
    const chosen: string[] = [];
    const countAllowed = (depth: number): number => {
      if (depth === involved.length) return 1;
      let count = 0;
      for (const option of dimensions[involved[depth]!]!.options) {
        const clashes = conflicts.get(option.id);
        if (clashes && chosen.some((id) => clashes.has(id))) continue;
        chosen.push(option.id);
        count += countAllowed(depth + 1);
        chosen.pop();
      }
      return count;
    };
    const allowed = countAllowed(0) * free;
    return { total, excluded: total - allowed, exact: true };
  }
  // Beyond the limit: treat the pairs as independent (each removes 1 / (n_a · n_b) of the designs).
  const keepShare = pairs.reduce((share, p) => {
    const na = dimensions[dimensionOf.get(p.optionIds[0])!]!.options.length;
    const nb = dimensions[dimensionOf.get(p.optionIds[1])!]!.options.length;
    return share * (1 - 1 / (na * nb));
  }, 1);
  return { total, excluded: Math.round(total * (1 - keepShare)), exact: false };
}

/** "excludes 6 of 36 designs" / "excludes about 120,000 of 1,048,576 designs". */
export function describeExclusion(count: ExclusionCount): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const designs = count.total === 1 ? 'design' : 'designs';
  return `excludes ${count.exact ? '' : 'about '}${n(count.excluded)} of ${n(count.total)} ${designs}`;
}
