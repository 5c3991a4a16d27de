import { describe, expect, it } from 'vitest';
import { shareStructure } from '../../src/shared/shareStructure';

interface Doc {
  goals: { id: string; text: string }[];
  dimensions: { id: string; options: { id: string; ratings: Record<string, number> }[] }[];
  note?: string | null;
}

const spec = (): Doc => ({
  goals: [
    { id: 'g1', text: 'One' },
    { id: 'g2', text: 'Two' },
  ],
  dimensions: [
    { id: 'd1', options: [{ id: 'o1', ratings: { c1: 0.5, c2: 1 } }] },
    { id: 'd2', options: [{ id: 'o2', ratings: { c1: 0.2 } }] },
  ],
  note: null,
});

describe('shareStructure', () => {
  it('returns the previous object when the next read is deep-equal', () => {
    const previous = spec();
    expect(shareStructure(previous, spec())).toBe(previous);
  });

  it('keeps every untouched part and makes new only the path to a change', () => {
    const previous = spec();
    const next = spec();
    next.dimensions[0]!.options[0]!.ratings.c2 = 0.7;
    const shared = shareStructure(previous, next);
    expect(shared).toEqual(next);
    expect(shared).not.toBe(previous);
    expect(shared.goals).toBe(previous.goals);
    expect(shared.dimensions[1]).toBe(previous.dimensions[1]);
    expect(shared.dimensions[0]).not.toBe(previous.dimensions[0]);
    expect(shared.dimensions[0]!.options[0]!.ratings).toEqual({ c1: 0.5, c2: 0.7 });
  });

  it('sees added, removed and reordered items, and keys that appear or go', () => {
    const previous = spec();
    const added = spec();
    added.goals.push({ id: 'g3', text: 'Three' });
    const withAdded = shareStructure(previous, added);
    expect(withAdded.goals).toHaveLength(3);
    expect(withAdded.goals[0]).toBe(previous.goals[0]);

    const removed = spec();
    removed.goals.pop();
    expect(shareStructure(previous, removed).goals).toEqual([{ id: 'g1', text: 'One' }]);

    const reordered = spec();
    reordered.goals.reverse();
    expect(shareStructure(previous, reordered).goals.map((g) => g.id)).toEqual(['g2', 'g1']);

    const lessKeys = spec();
    delete lessKeys.note;
    expect('note' in shareStructure(previous, lessKeys)).toBe(false);

    const otherKey = { a: 1, b: undefined } as Record<string, unknown>;
    const swapped = shareStructure({ a: 1, c: undefined }, otherKey);
    expect(Object.keys(swapped)).toEqual(['a', 'b']);
  });

  it('compares other objects by identity and takes them from the next read', () => {
    const date = new Date(0);
    const next = { at: new Date(0) };
    expect(shareStructure({ at: date }, next).at).toBe(next.at);
    expect(shareStructure(undefined, next)).toBe(next);
    expect(shareStructure([1, 2], { 0: 1, 1: 2 })).toEqual({ 0: 1, 1: 2 });
  });
});
