import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNumbers, extractNumbers } from '../../src/llm/numberCheck';

describe('extractNumbers', () => {
  it('reads decimals, percents, thousands separators and a Unicode minus, not digits glued to words', () => {
    const tokens = extractNumbers('I=0.52 beats 83% and 1,024 rows; −0.2 for v2 of 3f2a91c0 (#2)');
    expect(tokens.map((t) => t.raw)).toEqual(['0.52', '83%', '1,024', '−0.2', '2']);
    expect(tokens.find((t) => t.raw === '83%')!.value).toBeCloseTo(0.83);
    expect(tokens.find((t) => t.raw === '1,024')!.value).toBe(1024);
    expect(tokens.find((t) => t.raw === '−0.2')!.value).toBe(-0.2);
  });

  it('skips list numbering at the start of a line', () => {
    expect(extractNumbers('1. IndexedDB leads\n2) OPFS').map((t) => t.raw)).toEqual([]);
  });
});

describe('checkNumbers', () => {
  const tool = '#1 **OPFS + CRDT** (feasible): I=0.83, P=0.91, R=1.10\n#2 **IndexedDB** (feasible): I=0.52, P=0.64, R=1.23';

  it('accepts numbers the tool results contain, rounded or as percent', () => {
    const result = checkNumbers('#1 OPFS + CRDT has I 0.83 (about 0.8), P at 91%, R 1.1; #2 has I=0.52.', [tool]);
    expect(result).toEqual({ ok: true, unsupported: [], checked: 7 });
  });

  it('accepts numbers from the question', () => {
    expect(checkNumbers('With weight 40 the order stays.', [tool, 'what if Offline-first had weight 40?']).ok).toBe(true);
  });

  it('flags an invented number and arithmetic the tools did not do', () => {
    const result = checkNumbers('#1 has I=0.83, which is 0.31 more than #2 and 0.95 overall.', [tool]);
    expect(result.ok).toBe(false);
    expect(result.unsupported).toEqual(['0.31', '0.95']);
  });

  it('does not accept a rounding that goes the wrong way', () => {
    // 0.64 rounds to 0.6 and 0.83 to 0.8; nothing here rounds to 0.7.
    expect(checkNumbers('I is about 0.7', [tool]).unsupported).toEqual(['0.7']);
  });

  it('property: any source number, rounded to fewer decimals or written as a percent, is supported', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (hundredths, decimals, asPercent) => {
        const value = hundredths / 10_000;
        const source = `score ${value.toFixed(4)}`;
        const written = asPercent ? `${(value * 100).toFixed(Math.max(0, decimals - 2))}%` : value.toFixed(decimals);
        expect(checkNumbers(`It scores ${written}.`, [source]).ok).toBe(true);
      }),
    );
  });

  it('property: a number off by more than its rounding is flagged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 500 }), (hundredths, offset) => {
        const value = hundredths / 100;
        const wrong = (value + offset / 100).toFixed(2);
        expect(checkNumbers(`It scores ${wrong}.`, [`score ${value.toFixed(2)}`]).ok).toBe(false);
      }),
    );
  });
});
