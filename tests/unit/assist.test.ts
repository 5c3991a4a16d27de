import { describe, expect, it } from 'vitest';
import { emptySpecContent, type SpecContent } from '../../src/domain';
import { missingCells, opFor, stillMissing } from '../../src/features/assist/missingCells';
import { checkSuggestions, toSuggestions } from '../../src/features/assist/ratingPrompt';

function spec(): SpecContent {
  const base = emptySpecContent();
  return {
    ...base,
    constraints: [
      { id: 'c1', name: 'Range', description: '', weight: 100, combine: 'mean', quantity: null },
      { id: 'c2', name: 'Cost', description: '', weight: 40, combine: 'mean', quantity: null },
      {
        id: 'c3',
        name: 'Flight',
        description: '',
        weight: 50,
        combine: 'mean',
        quantity: { expression: 'energy', comparator: 'atLeast', threshold: 1, unit: '', margin: 1 },
      },
    ],
    designSpace: {
      ...base.designSpace,
      attributes: [{ id: 'at1', key: 'mass', name: 'Mass', unit: 'kg' }],
      dimensions: [
        {
          id: 'd1',
          name: 'Battery',
          description: '',
          options: [
            { id: 'o1', name: 'LiPo', description: '', cost: 1, ratings: { c1: 0.9 }, attributes: { at1: 0.8 } },
            { id: 'o2', name: 'NiMH', description: '', cost: 1, ratings: {}, attributes: {} },
          ],
        },
        {
          id: 'd2',
          name: 'Frame',
          description: '',
          options: [{ id: 'o3', name: 'Carbon', description: '', cost: 1, ratings: {}, attributes: {} }],
        },
      ],
    },
  };
}

describe('missingCells', () => {
  it('asks only dimensions that rate a constraint, every option for an unrated one, never formula constraints, and missing attribute values', () => {
    const cells = missingCells(spec());
    expect(cells.map((cell) => `${cell.label} ${cell.optionLabel} × ${cell.targetName}`)).toEqual([
      'r1 Battery / NiMH × Range',
      'r2 Battery / LiPo × Cost',
      'r3 Battery / NiMH × Cost',
      'r4 Frame / Carbon × Cost',
      'a5 Battery / NiMH × Mass',
      'a6 Frame / Carbon × Mass',
    ]);
    expect(opFor(cells[4]!, 1.2)).toEqual({ op: 'setAttributeValue', optionId: 'o2', attributeId: 'at1', value: 1.2 });
    expect(stillMissing(spec(), cells[0]!)).toBe(true);
    const filled = spec();
    filled.designSpace.dimensions[0]!.options[1]!.ratings.c1 = 0.4;
    expect(stillMissing(filled, cells[0]!)).toBe(false);
  });

  it('turns bad answers into sentences for the repair round', () => {
    const cells = missingCells(spec());
    const problems = checkSuggestions(
      {
        suggestions: [
          { cell: 'r1', value: 1.4, rationale: 'x' },
          { cell: 'r9', value: 0.5, rationale: 'x' },
          { cell: 'a5', value: 3, rationale: ' ' },
          { cell: 'r1', value: 0.4, rationale: 'again' },
        ],
      },
      cells,
    );
    expect(problems).toEqual([
      'Cell r1 is a rating, so it must be between 0 and 1 (got 1.4).',
      '"r9" is not one of the listed cells.',
      'Cell a5 needs a one-line rationale.',
      'Cell r1 is answered twice.',
    ]);
    expect(toSuggestions({ suggestions: [{ cell: ' a6 ', value: 2, rationale: 'Carbon frames are light.\nMore text.' }] }, cells)).toEqual([
      { cell: cells[5], value: 2, rationale: 'Carbon frames are light.' },
    ]);
  });
});
