// @vitest-environment node
/**
 * Option descriptions in the notation: commas, semicolons, dashes and
 * parentheses inside "( … )" belong to the description, and any description
 * the app can hold survives a trip through formatOptionEntry and the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptySpecContent, type SpecContent } from '../../src/domain';
import { applySpecDelta, emptyWorldModelContent } from '../../src/domain/specDelta';
import { respondOffline, type ArchitectReply } from '../../src/engine/architect';
import { formatOptionEntry } from '../../src/engine/architect/optionList';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);

function conversation(start: SpecContent = emptySpecContent()) {
  let n = 0;
  const newId = () => `id-${++n}`;
  const state = { spec: start, world: emptyWorldModelContent() };
  const say = (text: string): ArchitectReply => {
    const reply = respondOffline({ mode: 'setup', history: [], spec: state.spec, world: state.world, userText: text }, newId);
    if (reply.delta) {
      const applied = applySpecDelta(state.spec, reply.delta, state.world);
      if (!applied.ok) throw new Error(applied.error.message);
      state.spec = applied.spec;
    }
    return reply;
  };
  return { state, say };
}

const options = (state: { spec: SpecContent }) => state.spec.designSpace.dimensions.flatMap((d) => d.options);

/** What the notation can carry: one line, so whitespace runs read as one space (normalizeLine) and ends are trimmed. */
const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

const tricky = fc
  .array(
    fc.constantFrom('(', ')', ',', ';', '\\', ' ', '—', ' - ', ':', '"', "'", 'cost', ' cost 2', '1', '.', '$', '=', 'a', 'Li-ion', '\\('),
    {
      maxLength: 24,
    },
  )
  .map((parts) => parts.join(''));
const description = fc.oneof(tricky, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })).map(normalised);

describe('option descriptions in the notation', () => {
  it('keeps commas and semicolons inside a description (pinned: the report from issue 13)', () => {
    const { state, say } = conversation();
    const reply = say('dimension Battery: Sodium-ion cost 0.8 (cheap, heavy; safe), Li-ion cost 1.2 (dense; pricey)');
    expect(reply.outcome).not.toBe('rejected');
    expect(options(state).map((o) => [o.name, o.cost, o.description])).toEqual([
      ['Sodium-ion', 0.8, 'cheap, heavy; safe'],
      ['Li-ion', 1.2, 'dense; pricey'],
    ]);
    say('constraint: Safety weight 80');
    const rated = say('rate Sodium-ion Safety 0.9');
    expect(rated.text).not.toMatch(/Did you mean/);
    expect(options(state)[0]!.ratings).toEqual({ [state.spec.constraints[0]!.id]: 0.9 });
  });

  it('reads nested parentheses, a cost in parentheses, and a description that starts with "cost"', () => {
    const { state, say } = conversation();
    say('dimension Salt: NaCl cost 1 (table salt (cheap), common), KCl (cost 2), MgCl (cost is low) cost 3');
    expect(options(state).map((o) => [o.name, o.cost, o.description])).toEqual([
      ['NaCl', 1, 'table salt (cheap), common'],
      ['KCl', 2, ''],
      ['MgCl', 3, 'cost is low'],
    ]);
  });

  it('suggests the closed line for an unclosed description, and the suggestion works as sent', () => {
    const { state, say } = conversation();
    const reply = say('dimension Battery: Sodium-ion cost 0.8 (cheap, heavy; safe');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).not.toMatch(/Did you mean/);
    const fix = reply.suggestions.find((s) => s.text.startsWith('dimension'));
    expect(fix?.text).toBe('dimension Battery: Sodium-ion cost 0.8 (cheap, heavy; safe)');
    expect(options(state)).toEqual([]);
    say(fix!.text);
    expect(options(state).map((o) => [o.name, o.description])).toEqual([['Sodium-ion', 'cheap, heavy; safe']]);
  });

  it('suggests the line without a stray ")"', () => {
    const { state, say } = conversation();
    say('dimension Battery: Li-ion cost 1');
    const reply = say('option Battery: Sodium-ion cost 0.8), LFP cost 2');
    expect(reply.outcome).toBe('rejected');
    const fix = reply.suggestions.find((s) => s.text.startsWith('option'));
    expect(fix?.text).toBe('option Battery: Sodium-ion cost 0.8, LFP cost 2');
    say(fix!.text);
    expect(options(state).map((o) => o.name)).toEqual(['Li-ion', 'Sodium-ion', 'LFP']);
  });

  it('round-trips any description, beside another option in the same line', () => {
    fc.assert(
      fc.property(description, description, fc.constantFrom(0, 0.5, 2, 13), (first, second, cost) => {
        const { state, say } = conversation();
        const line = `dimension Battery: ${formatOptionEntry({ name: 'Sodium-ion', cost, description: first })}; ${formatOptionEntry({
          name: 'Li-ion',
          cost: 1,
          description: second,
        })}`;
        const reply = say(line);
        expect(reply.outcome, `${line}\n${reply.text}`).not.toBe('rejected');
        expect(options(state).map((o) => [o.name, o.cost, o.description])).toEqual([
          ['Sodium-ion', cost, first],
          ['Li-ion', 1, second],
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
