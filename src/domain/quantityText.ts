/**
 * Text-level helpers for quantity constraints that the spec editing paths
 * (SpecDelta, the Architect notation, the Spec tab) share: validating a
 * quantity with a sentence, describing it, and finding or renaming an
 * attribute key inside a formula. Parsing and evaluation live in quantity.ts
 * (validateQuantity uses its parser, so every path reports the same sentence).
 */
import { parseQuantityExpression } from './quantity';
import type { Attribute, ConstraintQuantity } from './spec';

/** Function names of the formula language; an attribute key may not take one of them. */
export const RESERVED_FORMULA_NAMES: readonly string[] = ['sum', 'min', 'max', 'mean', 'count', 'abs', 'sqrt'];

const COMPARATOR_SYMBOL: Record<ConstraintQuantity['comparator'], string> = { atLeast: '≥', atMost: '≤' };

export function comparatorSymbol(comparator: ConstraintQuantity['comparator']): string {
  return COMPARATOR_SYMBOL[comparator];
}

/** "energy_wh / mass ≥ 30 km (margin 5)". */
export function describeQuantity(quantity: ConstraintQuantity): string {
  const unit = quantity.unit ? ` ${quantity.unit}` : '';
  return `${quantity.expression} ${COMPARATOR_SYMBOL[quantity.comparator]} ${quantity.threshold}${unit} (margin ${quantity.margin}${unit})`;
}

function keyPattern(key: string): RegExp {
  const escaped = key.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');
  // A whole identifier that is not a function name (not followed by "(").
  return new RegExp(`(?<![A-Za-z0-9_.])${escaped}(?![A-Za-z0-9_])(?!\\s*\\()`, 'g');
}

export function formulaMentionsKey(expression: string, key: string): boolean {
  return keyPattern(key).test(expression);
}

export function renameKeyInFormula(expression: string, from: string, to: string): string {
  return expression.replace(keyPattern(from), to);
}

/** Identifiers that are not function calls, in order of first appearance. */
export function formulaIdentifiers(expression: string): string[] {
  const names: string[] = [];
  for (const match of expression.matchAll(/(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])(?!\s*\()/g)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The first problem with a quantity's threshold or margin, as the end of a sentence, or null. */
export function validateQuantityFields(quantity: ConstraintQuantity): string | null {
  if (!quantity.expression.trim()) return 'the formula is empty; write one over attribute keys, e.g. energy_wh / mass.';
  if (!Number.isFinite(quantity.threshold)) return `the threshold ${quantity.threshold} is not a finite number.`;
  if (!Number.isFinite(quantity.margin) || quantity.margin <= 0) {
    return `the margin ${quantity.margin} is not allowed: it is the distance from the threshold at which satisfaction reaches 1, so it must be more than 0.`;
  }
  return null;
}

/** The first problem with a quantity (its fields, then its formula) as a sentence, or null when it is usable. */
export function validateQuantity(quantity: ConstraintQuantity, attributes: readonly Attribute[]): string | null {
  const fields = validateQuantityFields(quantity);
  if (fields) return fields;
  const parsed = parseQuantityExpression(quantity.expression, attributes);
  return parsed.ok ? null : parsed.message;
}
