// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluateQuantity, parseQuantityExpression, referencedAttributeKeys } from '../../src/domain/quantity';

const attributes = [
  { id: 'm', key: 'mass' },
  { id: 'e', key: 'energy_wh' },
  { id: 'p', key: 'price' },
];
const options: Record<string, number>[] = [{ m: 0.8, e: 250 }, { m: 1.2 }, { e: 50, p: 40 }];

function value(text: string, scales: Record<string, number> = {}): number {
  const parsed = parseQuantityExpression(text, attributes);
  if (!parsed.ok) throw new Error(parsed.message);
  return evaluateQuantity(parsed.compiled, options, scales);
}

describe('quantity formulas', () => {
  it('sums a bare key over the chosen options and aggregates over those with a value', () => {
    expect(value('mass')).toBeCloseTo(2, 12);
    expect(value('sum(energy_wh)')).toBe(300);
    expect(value('mean(mass)')).toBeCloseTo(1, 12);
    expect(value('min(energy_wh)')).toBe(50);
    expect(value('max(mass)')).toBe(1.2);
    expect(value('count(price)')).toBe(1);
    expect(value('min(mass, 1.5, price)')).toBe(1.5);
    expect(value('max(mass, 3)')).toBe(3);
  });

  it('has power above * and / and right-associative, abs and sqrt, unary minus', () => {
    expect(value('2 * 3 ^ 2')).toBe(18);
    expect(value('2 ^ 3 ^ 2')).toBe(512);
    expect(value('abs(-mass) + sqrt(16)')).toBeCloseTo(6, 12);
    expect(value('energy_wh / ((mass + 5) * 0.025)')).toBeCloseTo(300 / (7 * 0.025), 9);
  });

  it('applies scenario scales per attribute', () => {
    expect(value('energy_wh', { e: 0.8 })).toBeCloseTo(240, 9);
    expect(value('min(energy_wh)', { e: 0.5 })).toBe(25);
    expect(value('count(energy_wh)', { e: 0.5 })).toBe(2);
  });

  it('gives a non-number when min/max/mean have no values, and for division by zero', () => {
    const parsed = parseQuantityExpression('min(mass) + 1 / (price - price)', attributes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Number.isFinite(evaluateQuantity(parsed.compiled, [{ p: 1 }]))).toBe(false);
    expect(referencedAttributeKeys(parsed.compiled)).toEqual(['mass', 'price']);
  });

  it.each([
    ['mass +', 'syntax'],
    ['volume * 2', 'unknown_attribute'],
    ['log(mass)', 'unknown_function'],
    ['sum(mass, price)', 'bad_arguments'],
    ['sqrt(mass, 2)', 'bad_arguments'],
    ['mass == 2', 'syntax'],
    ['mass % 2', 'syntax'],
    ["'text'", 'syntax'],
    ['mass.x', 'syntax'],
    ['x'.repeat(501), 'too_long'],
    ['', 'syntax'],
  ])('refuses %s with code %s and a sentence', (text, code) => {
    const parsed = parseQuantityExpression(text, attributes);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe(code);
    expect(parsed.message).toMatch(/^[A-Za-z'].*\.$/);
  });
});
