// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { emptySpecContent, type SpecContent } from '../../src/domain';
import { applySpecDelta, emptyWorldModelContent, type WorldModelContent } from '../../src/domain/specDelta';
import { respondOffline, type ArchitectReply } from '../../src/engine/architect';
import { deriveAttributeKey } from '../../src/engine/architect/tradeStudyNotation';

function conversation(start: SpecContent = emptySpecContent()) {
  let n = 0;
  const newId = () => `id-${++n}`;
  const state: { spec: SpecContent; world: WorldModelContent } = { spec: start, world: emptyWorldModelContent() };
  const say = (text: string): ArchitectReply => {
    const reply = respondOffline({ mode: 'setup', history: [], spec: state.spec, world: state.world, userText: text }, newId);
    if (reply.delta) {
      const applied = applySpecDelta(state.spec, reply.delta, state.world);
      if (!applied.ok) throw new Error(`delta from the Architect did not apply: ${applied.error.message}`);
      state.spec = applied.spec;
    }
    return reply;
  };
  return { state, say };
}

const DRONE = [
  'constraint: Low cost weight 40',
  'dimension Chemistry: LiPo cost 1, NMC 21700 cost 2, Sodium-ion cost 1',
  'dimension Thermal: None cost 0, Active cooling cost 3',
  'attribute Mass kg',
  'attribute Energy (energy_wh) Wh',
  'attribute Price EUR',
].join('\n');

function drone() {
  const chat = conversation();
  const reply = chat.say(DRONE);
  expect(reply.outcome).toBe('changes');
  return chat;
}

const attr = (spec: SpecContent, key: string) => spec.designSpace.attributes.find((a) => a.key === key)!;
const opt = (spec: SpecContent, name: string) => spec.designSpace.dimensions.flatMap((d) => d.options).find((o) => o.name === name)!;

describe('attributes and values', () => {
  it('defines attributes with units, deriving keys, and says how formulas name them', () => {
    const { state, say } = conversation();
    const reply = say('attribute Pack mass kg\nattribute Energy (energy_wh) Wh\nattribute Cycle count');
    expect(state.spec.designSpace.attributes.map((a) => [a.name, a.key, a.unit])).toEqual([
      ['Pack mass', 'pack_mass', 'kg'],
      ['Energy', 'energy_wh', 'Wh'],
      ['Cycle count', 'cycle_count', ''],
    ]);
    expect(reply.summary).toBe('+3 attributes');
    expect(reply.text).toContain('"Pack mass" is written "pack_mass" in formulas');
  });

  it.each([
    ['Count', [], 'count_value'],
    ['2nd stage', [], '_2nd_stage'],
    ['Mass', ['mass'], 'mass_2'],
    ['Température', [], 'temperature'],
  ])('derives the key of %j', (name, taken, key) => {
    expect(deriveAttributeKey(name, taken)).toBe(key);
  });

  it('sets values one at a time or as a list, with or without the unit, and clears with none', () => {
    const { state, say } = drone();
    say('set LiPo mass 0.8');
    say('set NMC 21700: mass 1.1 kg, energy_wh 260, Price 40');
    expect(opt(state.spec, 'LiPo').attributes).toEqual({ [attr(state.spec, 'mass').id]: 0.8 });
    expect(opt(state.spec, 'NMC 21700').attributes).toEqual({
      [attr(state.spec, 'mass').id]: 1.1,
      [attr(state.spec, 'energy_wh').id]: 260,
      [attr(state.spec, 'price').id]: 40,
    });
    const cleared = say('set NMC 21700 price none');
    expect(cleared.text).toContain('Price of NMC 21700 cleared (was 40 EUR)');
    expect(opt(state.spec, 'NMC 21700').attributes[attr(state.spec, 'price').id]).toBeUndefined();
  });

  it('suggests the attribute when a value names one that does not exist', () => {
    const { say } = drone();
    const reply = say('set LiPo weight 0.8');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('There is no attribute named "weight"');
    const typo = say('set LiPo mas 0.8');
    expect(typo.text).toContain('Did you mean "mass"?');
  });

  it('still reads "set weight <constraint> <n>" as the weight command', () => {
    const { state, say } = drone();
    say('set weight Low cost 70');
    expect(state.spec.constraints[0]!.weight).toBe(70);
  });

  it('takes cost from an attribute and back', () => {
    const { state, say } = drone();
    const reply = say('cost from price');
    expect(state.spec.designSpace.costAttributeId).toBe(attr(state.spec, 'price').id);
    expect(reply.text).toContain('cost (R) from option costs → attribute Price');
    say('cost from options');
    expect(state.spec.designSpace.costAttributeId).toBeNull();
    const wrong = say('cost from prise');
    expect(wrong.text).toContain('Did you mean "price"?');
    expect(wrong.suggestions.map((s) => s.text)).toContain('cost from price');
  });

  it('removes an attribute with its values, unless a formula uses it', () => {
    const { state, say } = drone();
    say('set LiPo mass 0.8\nconstraint Light: mass <= 2 kg margin 0.5');
    const refused = say('remove attribute Mass');
    expect(refused.text).toContain('Attribute "Mass" is used by the formula of "Light"');
    say('remove constraint Light\nremove attribute mass');
    expect(state.spec.designSpace.attributes.map((a) => a.key)).toEqual(['energy_wh', 'price']);
    expect(opt(state.spec, 'LiPo').attributes).toEqual({});
  });
});

describe('quantity constraints', () => {
  it('adds a computed constraint with threshold, unit, margin and weight', () => {
    const { state, say } = drone();
    const reply = say(
      'constraint Flight range: energy_wh / ((mass + 5) * 0.025) >= 30 km margin 5 weight 100 — round trip with 20% reserve',
    );
    expect(reply.outcome).toBe('changes');
    const range = state.spec.constraints.find((c) => c.name === 'Flight range')!;
    expect(range).toMatchObject({
      weight: 100,
      description: 'round trip with 20% reserve',
      quantity: { expression: 'energy_wh / ((mass + 5) * 0.025)', comparator: 'atLeast', threshold: 30, unit: 'km', margin: 5 },
    });
    expect(reply.text).toContain('Flight range is computed: energy_wh / ((mass + 5) * 0.025) ≥ 30 km (margin 5 km)');
  });

  it('gives a default margin and says so; reads at most and a subtraction without taking it for a description', () => {
    const { state, say } = drone();
    const reply = say('constraint Budget: price - 10 at most 200 EUR');
    const budget = state.spec.constraints.find((c) => c.name === 'Budget')!;
    expect(budget.quantity).toEqual({ expression: 'price - 10', comparator: 'atMost', threshold: 200, unit: 'EUR', margin: 20 });
    expect(budget.weight).toBe(50);
    expect(reply.text).toContain('"Budget" got margin 20 EUR (10 % of the threshold)');
  });

  it('sets, changes and removes the formula of an existing constraint', () => {
    const { state, say } = drone();
    say('quantity Low cost: sum(price) <= 500 EUR margin 100');
    expect(state.spec.constraints[0]!.quantity).toMatchObject({
      expression: 'sum(price)',
      comparator: 'atMost',
      threshold: 500,
      margin: 100,
    });
    say('quantity Low cost: sum(price) <= 400 EUR');
    expect(state.spec.constraints[0]!.quantity).toMatchObject({ threshold: 400, margin: 100 });
    const back = say('quantity Low cost: none');
    expect(state.spec.constraints[0]!.quantity).toBeNull();
    expect(back.text).toContain('Low cost is scored from ratings again');
  });

  it('names the unknown attribute in a formula and offers the corrected line', () => {
    const { say } = drone();
    const reply = say('constraint Flight range: energy / mass >= 30 km');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('The formula uses "energy", which is not an attribute key. Did you mean "energy_wh"?');
    expect(reply.suggestions.map((s) => s.text)).toContain('constraint Flight range: energy_wh / mass >= 30 km');
  });

  it('reports a formula the parser cannot read, and a bad threshold or margin, by line', () => {
    const { say } = drone();
    const reply = say('goal: fly far\nconstraint Flight range: energy_wh / (mass >= 30 km');
    expect(reply.text).toContain(
      'Line 2 ("constraint Flight range: energy_wh / (mass >= 30 km"): The formula of "Flight range" is not usable',
    );
    expect(reply.text).toContain('Nothing was changed');
    expect(say('constraint Range: energy_wh >= far').text).toContain('"far" is not a threshold');
    expect(say('constraint Range: energy_wh >= 30 km margin 0').text).toContain('"0" is not a margin');
    expect(say('constraint Range: energy_wh >= 30 km banana 3').text).toContain('Allowed there: a unit, "margin <n>", "weight <0-100>"');
  });
});

describe('combine modes', () => {
  it('switches a soft constraint between mean and weakest link', () => {
    const { state, say } = drone();
    const reply = say('combine Low cost weakest link');
    expect(state.spec.constraints[0]!.combine).toBe('weakest');
    expect(reply.text).toContain('Low cost combines by weighted mean → weakest link');
    say('combine Low cost mean');
    expect(state.spec.constraints[0]!.combine).toBe('mean');
  });

  it('notes that a hard constraint stays weakest link, and refuses an unknown mode with the allowed ones', () => {
    const { say } = drone();
    say('constraint: Safety weight 100\ncombine Safety weakest');
    expect(say('combine Safety mean').text).toContain('"Safety" is hard (weight 100), so it combines by weakest link');
    const bad = say('combine Low cost median');
    expect(bad.text).toContain('"median" is not a combine mode. Allowed: "weakest"');
    expect(say('combine Low kost weakest').text).toContain('Did you mean "Low cost"?');
  });
});

describe('incompatibilities', () => {
  it('marks and unmarks a pair, with a reason, naming options by Dimension/option', () => {
    const { state, say } = drone();
    const reply = say('incompatible LiPo with Thermal/None — needs active cooling');
    expect(state.spec.designSpace.incompatibilities).toEqual([
      { id: expect.any(String), optionIds: [opt(state.spec, 'LiPo').id, opt(state.spec, 'None').id], reason: 'needs active cooling' },
    ]);
    expect(reply.text).toContain('incompatible: Chemistry/LiPo × Thermal/None — needs active cooling');
    expect(say('show spec').text).toContain('Incompatible (excludes 1 of 6 designs):');
    const removed = say('compatible Thermal/None with LiPo');
    expect(state.spec.designSpace.incompatibilities).toEqual([]);
    expect(removed.text).toContain('compatible again: Chemistry/LiPo × Thermal/None');
  });

  it('refuses a same-dimension pair, an unknown option (with a suggestion) and removing a pair that is not marked', () => {
    const { say } = drone();
    expect(say('incompatible LiPo with Sodium-ion').text).toContain('are in the same dimension');
    expect(say('incompatible LiPoo with None').text).toContain('Did you mean "LiPo"?');
    expect(say('compatible LiPo with None').text).toContain('are not marked incompatible');
  });
});

describe('help and show', () => {
  it('lists the new commands in help', () => {
    const { say } = conversation();
    const help = say('help').text;
    for (const example of [
      'attribute Energy (energy_wh) Wh',
      'set LiPo: mass 0.8, energy_wh 250',
      'cost from price',
      'incompatible LiPo with Thermal/None — needs active cooling',
      'combine Cold mornings weakest',
    ]) {
      expect(help).toContain(example);
    }
    expect(say('help incompatible').text).toContain('no run proposes a design with both');
  });

  it('shows attributes, values, formulas, combine modes and the cost source', () => {
    const { say } = drone();
    say(
      'set LiPo: mass 0.8, energy_wh 250\ncost from price\nconstraint Range: energy_wh / mass >= 30 km margin 5\ncombine Low cost weakest',
    );
    const text = say('show spec').text;
    expect(text).toContain('Attributes: Mass (mass, kg), Energy (energy_wh, Wh), Price (price, EUR)');
    expect(text).toContain('Cost (R): summed Price (price, EUR)');
    expect(text).toContain('Range — weight 50 — computed: energy_wh / mass ≥ 30 km (margin 5 km)');
    expect(text).toContain('Low cost — weight 40 — combines by weakest link');
    expect(text).toContain('LiPo (cost 1) — mass 0.8 kg, energy_wh 250 Wh — ratings: Low cost –');
  });
});
