// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { emptySpecContent, specContentSchema, type SpecContent } from '../../src/domain';
import { countExcludedDesigns, describeExclusion } from '../../src/domain/compatibility';
import { formulaIdentifiers, formulaMentionsKey, renameKeyInFormula } from '../../src/domain/quantityText';
import { analyzeReadiness } from '../../src/domain/readiness';
import { applySpecDelta, type SpecOp } from '../../src/domain/specDelta';
import { describeSpecDiff, diffSpecs, ratingKey } from '../../src/domain/specDiff';

function droneSpec(): SpecContent {
  return specContentSchema.parse({
    ...emptySpecContent(),
    constraints: [
      { id: 'range', name: 'Flight range', description: '', weight: 100 },
      { id: 'cost', name: 'Low cost', description: '', weight: 40 },
    ],
    designSpace: {
      dimensions: [
        {
          id: 'chem',
          name: 'Chemistry',
          description: '',
          options: [
            { id: 'lipo', name: 'LiPo', description: '', cost: 1, ratings: { cost: 0.8 } },
            { id: 'liion', name: 'Li-ion', description: '', cost: 2, ratings: { cost: 0.6 } },
          ],
        },
        {
          id: 'thermal',
          name: 'Thermal',
          description: '',
          options: [
            { id: 'none', name: 'None', description: '', cost: 0, ratings: { cost: 1 } },
            { id: 'active', name: 'Active', description: '', cost: 3, ratings: { cost: 0.3 } },
          ],
        },
      ],
    },
  });
}

function applied(spec: SpecContent, ...ops: SpecOp[]) {
  const result = applySpecDelta(spec, { ops });
  if (!result.ok) throw new Error(`expected the delta to apply, got: ${result.error.message}`);
  return result;
}

function refused(spec: SpecContent, ...ops: SpecOp[]): string {
  const result = applySpecDelta(spec, { ops });
  if (result.ok) throw new Error('expected the delta to be refused');
  return result.error.message;
}

const withMass = (): SpecContent =>
  applied(
    droneSpec(),
    { op: 'addAttribute', id: 'a-mass', key: 'mass', name: 'Pack mass', unit: 'kg' },
    { op: 'addAttribute', id: 'a-energy', key: 'energy_wh', name: 'Energy', unit: 'Wh' },
    { op: 'setAttributeValue', optionId: 'lipo', attributeId: 'a-mass', value: 0.8 },
    { op: 'setAttributeValue', optionId: 'lipo', attributeId: 'a-energy', value: 250 },
  ).spec;

const rangeQuantity = {
  expression: 'energy_wh / ((mass + 5) * 0.025)',
  comparator: 'atLeast',
  threshold: 30,
  unit: 'km',
  margin: 5,
} as const;

describe('attributes', () => {
  it('adds attributes and values, and describes them in the summary', () => {
    const result = applied(
      droneSpec(),
      { op: 'addAttribute', id: 'a-mass', key: 'mass', name: 'Pack mass', unit: 'kg' },
      { op: 'setAttributeValue', optionId: 'lipo', attributeId: 'a-mass', value: 0.8 },
      { op: 'setAttributeValue', optionId: 'liion', attributeId: 'a-mass', value: 1.1 },
    );
    expect(result.spec.designSpace.attributes).toEqual([{ id: 'a-mass', key: 'mass', name: 'Pack mass', unit: 'kg' }]);
    expect(result.spec.designSpace.dimensions[0]!.options.map((o) => o.attributes)).toEqual([{ 'a-mass': 0.8 }, { 'a-mass': 1.1 }]);
    expect(result.summary).toBe('+1 attribute, 2 attribute values set');
    expect(result.changes.map((c) => c.text)).toEqual([
      'attribute added: Pack mass (mass, kg)',
      'Pack mass of LiPo = 0.8 kg',
      'Pack mass of Li-ion = 1.1 kg',
    ]);
    expect(result.touchedSections).toEqual(['designSpace']);
  });

  it.each<[string, SpecOp, string]>([
    [
      'a bad key',
      { op: 'addAttribute', id: 'x', key: '2mass', name: 'Mass', unit: 'kg' },
      'The key "2mass" for attribute "Mass" is not allowed',
    ],
    [
      'a function name as key',
      { op: 'addAttribute', id: 'x', key: 'sum', name: 'Total', unit: '' },
      'The key "sum" for attribute "Total" is a formula function name',
    ],
    [
      'a duplicate key',
      { op: 'addAttribute', id: 'x', key: 'MASS', name: 'Other', unit: '' },
      'The key "MASS" is already used by attribute "Pack mass"',
    ],
    [
      'a duplicate name',
      { op: 'addAttribute', id: 'x', key: 'm2', name: 'pack mass', unit: '' },
      'An attribute named "pack mass" already exists',
    ],
    ['a used id', { op: 'addAttribute', id: 'lipo', key: 'm2', name: 'M2', unit: '' }, 'The id lipo is already used.'],
    [
      'a non-finite value',
      { op: 'setAttributeValue', optionId: 'liion', attributeId: 'a-mass', value: Infinity },
      'The value Infinity of "Pack mass" for "Li-ion" is not allowed',
    ],
    [
      'an unknown attribute',
      { op: 'setAttributeValue', optionId: 'liion', attributeId: 'nope', value: 1 },
      'There is no attribute with id nope',
    ],
    ['an unknown cost attribute', { op: 'setCostAttribute', attributeId: 'nope' }, 'There is no attribute with id nope'],
  ])('refuses %s with a sentence naming the item', (_, op, message) => {
    expect(refused(withMass(), op)).toContain(message);
  });

  it('clears a value with null and says what it was', () => {
    const result = applied(withMass(), { op: 'setAttributeValue', optionId: 'lipo', attributeId: 'a-mass', value: null });
    expect(result.spec.designSpace.dimensions[0]!.options[0]!.attributes).toEqual({ 'a-energy': 250 });
    expect(result.changes[0]!.text).toBe('Pack mass of LiPo cleared (was 0.8 kg)');
    expect(result.summary).toBe('1 attribute value cleared');
  });

  it('renaming a key rewrites the formulas that use it', () => {
    const spec = applied(withMass(), { op: 'setConstraintQuantity', constraintId: 'range', quantity: rangeQuantity }).spec;
    const result = applied(spec, { op: 'updateAttribute', attributeId: 'a-mass', key: 'mass_kg' });
    expect(result.spec.constraints[0]!.quantity!.expression).toBe('energy_wh / ((mass_kg + 5) * 0.025)');
    expect(result.changes[0]!.text).toBe('key of Pack mass mass → mass_kg (formula of Flight range updated)');
    expect(result.touchedSections).toEqual(['constraints', 'designSpace']);
  });

  it('removing an attribute a formula uses is refused, naming the constraint; otherwise it takes its values and the cost source along', () => {
    const spec = applied(
      withMass(),
      { op: 'setConstraintQuantity', constraintId: 'range', quantity: rangeQuantity },
      { op: 'setCostAttribute', attributeId: 'a-mass' },
    ).spec;
    expect(refused(spec, { op: 'removeAttribute', attributeId: 'a-mass' })).toBe(
      'Attribute "Pack mass" is used by the formula of "Flight range"; change or remove that formula first.',
    );
    const free = applied(
      spec,
      { op: 'setConstraintQuantity', constraintId: 'range', quantity: null },
      { op: 'removeAttribute', attributeId: 'a-mass' },
    );
    expect(free.spec.designSpace.attributes.map((a) => a.key)).toEqual(['energy_wh']);
    expect(free.spec.designSpace.costAttributeId).toBeNull();
    expect(free.spec.designSpace.dimensions[0]!.options[0]!.attributes).toEqual({ 'a-energy': 250 });
    expect(free.changes.map((c) => c.text)).toEqual([
      'Flight range is scored from ratings again (formula removed)',
      'attribute removed: Pack mass (with its option values; cost comes from option costs again)',
    ]);
  });

  it('sets and clears the cost source', () => {
    const result = applied(withMass(), { op: 'setCostAttribute', attributeId: 'a-mass' });
    expect(result.spec.designSpace.costAttributeId).toBe('a-mass');
    expect(result.summary).toBe('cost source changed');
    expect(result.changes[0]!.text).toBe('cost (R) from option costs → attribute Pack mass');
    expect(applied(result.spec, { op: 'setCostAttribute', attributeId: null }).changes[0]!.text).toBe(
      'cost (R) from attribute Pack mass → option costs',
    );
    expect(applied(result.spec, { op: 'setCostAttribute', attributeId: 'a-mass' }).changes).toEqual([]);
  });
});

describe('quantity constraints and combine modes', () => {
  it('sets a formula and describes it', () => {
    const result = applied(withMass(), { op: 'setConstraintQuantity', constraintId: 'range', quantity: rangeQuantity });
    expect(result.spec.constraints[0]!.quantity).toEqual(rangeQuantity);
    expect(result.changes[0]!.text).toBe('Flight range is computed: energy_wh / ((mass + 5) * 0.025) ≥ 30 km (margin 5 km)');
    expect(result.summary).toBe('1 formula changed');
    const changed = applied(result.spec, {
      op: 'setConstraintQuantity',
      constraintId: 'range',
      quantity: { ...rangeQuantity, threshold: 25 },
    });
    expect(changed.changes[0]!.text).toContain('→ energy_wh / ((mass + 5) * 0.025) ≥ 25 km');
    expect(applied(result.spec, { op: 'setConstraintQuantity', constraintId: 'range', quantity: rangeQuantity }).changes).toEqual([]);
  });

  it.each<[string, Partial<typeof rangeQuantity> | { margin: number } | { expression: string }, string]>([
    [
      'an unknown key',
      { expression: 'energy / mass' },
      'The formula of "Flight range" is not usable: the formula uses \'energy\', which is not an attribute key (known keys: mass, energy_wh).',
    ],
    ['a zero margin', { margin: 0 }, 'The formula of "Flight range" is not usable: the margin 0 is not allowed'],
    ['an empty formula', { expression: '  ' }, 'The formula of "Flight range" is not usable: the formula is empty'],
    [
      'a syntax error',
      { expression: 'energy_wh / (mass' },
      'The formula of "Flight range" is not usable: the formula \'energy_wh / (mass\' cannot be read',
    ],
    ['an unknown function', { expression: 'log(mass)' }, 'The formula of "Flight range" is not usable: '],
  ])('refuses %s', (_, patch, message) => {
    expect(refused(withMass(), { op: 'setConstraintQuantity', constraintId: 'range', quantity: { ...rangeQuantity, ...patch } })).toContain(
      message,
    );
  });

  it('changes the combine mode and notes when the constraint is hard', () => {
    const result = applied(
      withMass(),
      { op: 'updateConstraint', constraintId: 'cost', combine: 'weakest' },
      { op: 'updateConstraint', constraintId: 'range', combine: 'weakest' },
    );
    expect(result.spec.constraints.map((c) => c.combine)).toEqual(['weakest', 'weakest']);
    expect(result.changes.map((c) => c.text)).toEqual([
      'Low cost combines by weighted mean → weakest link',
      'Flight range combines by weighted mean → weakest link (it is hard, so it stays weakest link while its weight is 100)',
    ]);
    expect(result.summary).toBe('2 combine modes changed');
  });
});

describe('incompatibilities', () => {
  it('adds one between options of different dimensions, with its reason', () => {
    const result = applied(droneSpec(), {
      op: 'addIncompatibility',
      id: 'x1',
      optionIds: ['lipo', 'none'],
      reason: 'needs active cooling',
    });
    expect(result.spec.designSpace.incompatibilities).toEqual([{ id: 'x1', optionIds: ['lipo', 'none'], reason: 'needs active cooling' }]);
    expect(result.changes[0]!.text).toBe('incompatible: Chemistry/LiPo × Thermal/None — needs active cooling');
    expect(result.summary).toBe('+1 incompatibility');
  });

  it('refuses same-dimension pairs and duplicates in either order', () => {
    expect(refused(droneSpec(), { op: 'addIncompatibility', id: 'x1', optionIds: ['lipo', 'liion'], reason: '' })).toBe(
      'Chemistry/LiPo and Chemistry/Li-ion are in the same dimension, so a design never holds both; only options of different dimensions can be incompatible.',
    );
    const spec = applied(droneSpec(), { op: 'addIncompatibility', id: 'x1', optionIds: ['lipo', 'none'], reason: '' }).spec;
    expect(refused(spec, { op: 'addIncompatibility', id: 'x2', optionIds: ['none', 'lipo'], reason: '' })).toBe(
      'Thermal/None and Chemistry/LiPo are already marked incompatible.',
    );
  });

  it('removing an option or its dimension removes the incompatibilities that name it', () => {
    const spec = applied(
      droneSpec(),
      { op: 'addIncompatibility', id: 'x1', optionIds: ['lipo', 'none'], reason: '' },
      { op: 'addIncompatibility', id: 'x2', optionIds: ['liion', 'active'], reason: '' },
    ).spec;
    const noLipo = applied(spec, { op: 'removeOption', optionId: 'lipo' });
    expect(noLipo.spec.designSpace.incompatibilities.map((i) => i.id)).toEqual(['x2']);
    expect(noLipo.changes.map((c) => c.text)).toEqual([
      'incompatibility removed with the option: Chemistry/LiPo × Thermal/None',
      'option removed: Chemistry → LiPo',
    ]);
    const noThermal = applied(spec, { op: 'removeDimension', dimensionId: 'thermal' });
    expect(noThermal.spec.designSpace.incompatibilities).toEqual([]);
    const removed = applied(spec, { op: 'removeIncompatibility', incompatibilityId: 'x2' });
    expect(removed.changes[0]!.text).toBe('compatible again: Chemistry/Li-ion × Thermal/Active');
  });
});

describe('diffSpecs on the new fields', () => {
  it('marks attributes, values, formulas, combine modes, incompatibilities and the cost source', () => {
    const base = withMass();
    const effective = applied(
      base,
      { op: 'setAttributeValue', optionId: 'lipo', attributeId: 'a-mass', value: 0.9 },
      { op: 'setConstraintQuantity', constraintId: 'range', quantity: rangeQuantity },
      { op: 'updateConstraint', constraintId: 'cost', combine: 'weakest' },
      { op: 'addIncompatibility', id: 'x1', optionIds: ['lipo', 'none'], reason: 'needs cooling' },
      { op: 'setCostAttribute', attributeId: 'a-energy' },
      { op: 'updateAttribute', attributeId: 'a-energy', unit: 'kWh' },
    ).spec;
    const diff = diffSpecs(base, effective);
    expect(diff.isEmpty).toBe(false);
    expect(describeSpecDiff(diff)).toEqual([
      '~ constraint Flight range: formula ratings → energy_wh / ((mass + 5) * 0.025) ≥ 30 km (margin 5 km)',
      '~ constraint Low cost: combine weighted mean → weakest link',
      '~ attribute Energy: unit Wh → kWh',
      '+ incompatibility Chemistry/LiPo × Thermal/None',
      '~ Pack mass of LiPo: 0.8 → 0.9',
      '~ cost (R) from: option costs → attribute Energy',
    ]);
    expect(diff.values.get(ratingKey('lipo', 'a-mass'))).toMatchObject({ before: 0.8, after: 0.9 });
  });
});

describe('readiness with quantities', () => {
  it('does not ask for ratings on a computed constraint, but says when its attributes have no values', () => {
    const spec = applied(
      droneSpec(),
      { op: 'addAttribute', id: 'a-mass', key: 'mass', name: 'Pack mass', unit: 'kg' },
      { op: 'setConstraintQuantity', constraintId: 'range', quantity: { ...rangeQuantity, expression: 'mass' } },
    ).spec;
    const readiness = analyzeReadiness(spec);
    expect(readiness.issues.map((i) => [i.code, i.message])).toEqual([
      ['noGoals', 'No goals are written down yet.'],
      ['missingAttributeValues', 'The formula of Flight range uses Pack mass, but no option has a value for it yet.'],
    ]);
    expect(readiness.totalCells).toBe(4);
  });

  it('blocks when the incompatibilities exclude every design', () => {
    const spec = applied(
      droneSpec(),
      { op: 'addIncompatibility', id: 'x1', optionIds: ['lipo', 'none'], reason: '' },
      { op: 'addIncompatibility', id: 'x2', optionIds: ['lipo', 'active'], reason: '' },
      { op: 'addIncompatibility', id: 'x3', optionIds: ['liion', 'none'], reason: '' },
      { op: 'addIncompatibility', id: 'x4', optionIds: ['liion', 'active'], reason: '' },
    ).spec;
    const readiness = analyzeReadiness(spec);
    expect(readiness.ready).toBe(false);
    expect(readiness.nextStep).toBe(
      'The incompatibilities exclude every design, so there is nothing left to run. Try: compatible <option> with <Dimension>/<option>',
    );
  });
});

describe('countExcludedDesigns', () => {
  const space = (sizes: number[], pairs: [string, string][]) => ({
    dimensions: sizes.map((n, d) => ({
      id: `d${d}`,
      name: `D${d}`,
      description: '',
      options: Array.from({ length: n }, (_, o) => ({
        id: `d${d}o${o}`,
        name: `O${o}`,
        description: '',
        cost: 0,
        ratings: {},
        attributes: {},
      })),
    })),
    incompatibilities: pairs.map(([a, b], i) => ({ id: `x${i}`, optionIds: [a, b] as [string, string], reason: '' })),
  });
  const brute = (sizes: number[], pairs: [string, string][]) => {
    let excluded = 0;
    const total = sizes.reduce((a, b) => a * b, 1);
    for (let index = 0; index < total; index++) {
      let rest = index;
      const chosen = new Set(
        sizes.map((n, d) => {
          const o = rest % n;
          rest = Math.floor(rest / n);
          return `d${d}o${o}`;
        }),
      );
      if (pairs.some(([a, b]) => chosen.has(a) && chosen.has(b))) excluded++;
    }
    return excluded;
  };

  it.each<[number[], [string, string][]]>([
    [[6, 3, 3, 2], [['d0o0', 'd2o0']]],
    [
      [6, 3, 3, 2],
      [
        ['d0o0', 'd2o0'],
        ['d0o1', 'd2o0'],
        ['d1o2', 'd3o1'],
      ],
    ],
    [
      [3, 3, 3],
      [
        ['d0o0', 'd1o0'],
        ['d1o0', 'd2o0'],
        ['d0o0', 'd2o0'],
      ],
    ],
    [
      [2, 2],
      [
        ['d0o0', 'd1o0'],
        ['d0o0', 'd1o1'],
        ['d0o1', 'd1o0'],
        ['d0o1', 'd1o1'],
      ],
    ],
  ])('counts exactly what brute force counts (%j)', (sizes, pairs) => {
    const count = countExcludedDesigns(space(sizes, pairs));
    expect(count).toEqual({ total: sizes.reduce((a, b) => a * b, 1), excluded: brute(sizes, pairs), exact: true });
  });

  it('ignores pairs naming missing options or one dimension, and estimates above the limit', () => {
    expect(
      countExcludedDesigns(
        space(
          [2, 2],
          [
            ['d0o0', 'zz'],
            ['d0o0', 'd0o1'],
          ],
        ),
      ),
    ).toEqual({ total: 4, excluded: 0, exact: true });
    const big = countExcludedDesigns(
      space(
        [10, 10, 10, 10, 10, 10, 10],
        [
          ['d0o0', 'd1o0'],
          ['d2o0', 'd3o0'],
          ['d4o0', 'd5o0'],
          ['d6o0', 'd0o1'],
        ],
      ),
    );
    expect(big.exact).toBe(false);
    expect(big.excluded).toBe(Math.round(1e7 * (1 - 0.99 ** 4)));
    expect(describeExclusion(big)).toBe('excludes about 394,040 of 10,000,000 designs');
    expect(describeExclusion(countExcludedDesigns(space([6, 3, 3, 2], [['d0o0', 'd2o0']])))).toBe('excludes 6 of 108 designs');
  });
});

describe('formula text helpers', () => {
  it('finds attribute names but not function names (regression: "sum(price)" once gave "su")', () => {
    expect(formulaIdentifiers('sum(price) + max(mass, 2) - energy_wh / sqrt (mass)')).toEqual(['price', 'mass', 'energy_wh']);
    expect(formulaMentionsKey('sum(mass) * 2', 'mass')).toBe(true);
    expect(formulaMentionsKey('mass_kg * 2', 'mass')).toBe(false);
    expect(renameKeyInFormula('mass + sum(mass) + mass_kg', 'mass', 'm')).toBe('m + sum(m) + mass_kg');
  });
});
