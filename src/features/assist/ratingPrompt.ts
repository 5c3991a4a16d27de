// The structured request for "Suggest ratings": what the model sees and the shape it must answer in.
import { z } from 'zod';
import type { SpecContent } from '../../domain';
import type { MissingCell } from './missingCells';

export const suggestionSchema = z.object({
  suggestions: z.array(
    z.object({
      cell: z.string().describe('the label of the cell, e.g. r3 or a12'),
      value: z.number().describe('ratings: 0 (serves the constraint not at all) to 1 (fully); attributes: the value in the unit given'),
      rationale: z.string().describe('one short sentence: why this value'),
    }),
  ),
});
export type SuggestionAnswer = z.infer<typeof suggestionSchema>;

export function buildMessages(spec: SpecContent, cells: readonly MissingCell[]) {
  const goals = spec.goals.map((goal) => `- ${goal.text}`).join('\n') || '- (none written)';
  const constraints = spec.constraints
    .map(
      (constraint) =>
        `- ${constraint.name} (weight ${constraint.weight}${constraint.weight === 100 ? ', hard' : ''})${constraint.description ? `: ${constraint.description}` : ''}`,
    )
    .join('\n');
  const options = spec.designSpace.dimensions
    .map(
      (dimension) =>
        `${dimension.name}: ${dimension.options.map((option) => `${option.name}${option.description ? ` (${option.description})` : ''}`).join('; ')}`,
    )
    .join('\n');
  const list = cells
    .map((cell) =>
      cell.kind === 'rating'
        ? `${cell.label}: how well does "${cell.optionLabel}" serve "${cell.targetName}"?`
        : `${cell.label}: "${cell.targetName}"${cell.unit ? ` in ${cell.unit}` : ''} of "${cell.optionLabel}"?`,
    )
    .join('\n');
  return [
    {
      role: 'system' as const,
      content:
        'You help an engineer fill a trade-study matrix. Answer only with JSON matching the schema. Ratings are numbers from 0 to 1. Attribute values are plain numbers in the unit given. ' +
        'Give each value a one-sentence rationale. Leave out a cell when the option has no bearing on it or you cannot estimate it; never invent cells.',
    },
    {
      role: 'user' as const,
      content: `Goals:\n${goals}\n\nConstraints:\n${constraints || '- (none)'}\n\nDesign space:\n${options}\n\nCells to fill:\n${list}`,
    },
  ];
}

export interface Suggestion {
  cell: MissingCell;
  value: number;
  rationale: string;
}

/** Semantic checks the schema cannot express; each problem is a sentence fed back to the model once. */
export function checkSuggestions(answer: SuggestionAnswer, cells: readonly MissingCell[]): string[] {
  const byLabel = new Map(cells.map((cell) => [cell.label, cell]));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const suggestion of answer.suggestions) {
    const cell = byLabel.get(suggestion.cell.trim());
    if (!cell) {
      problems.push(`"${suggestion.cell}" is not one of the listed cells.`);
      continue;
    }
    if (seen.has(cell.label)) problems.push(`Cell ${cell.label} is answered twice.`);
    seen.add(cell.label);
    if (!Number.isFinite(suggestion.value)) problems.push(`Cell ${cell.label} needs a finite number.`);
    if (cell.kind === 'rating' && (suggestion.value < 0 || suggestion.value > 1))
      problems.push(`Cell ${cell.label} is a rating, so it must be between 0 and 1 (got ${suggestion.value}).`);
    if (!suggestion.rationale.trim()) problems.push(`Cell ${cell.label} needs a one-line rationale.`);
  }
  return problems;
}

export function toSuggestions(answer: SuggestionAnswer, cells: readonly MissingCell[]): Suggestion[] {
  const byLabel = new Map(cells.map((cell) => [cell.label, cell]));
  return answer.suggestions.flatMap((suggestion) => {
    const cell = byLabel.get(suggestion.cell.trim());
    const rationale = suggestion.rationale.trim().split('\n')[0]!.slice(0, 240);
    return cell ? [{ cell, value: suggestion.value, rationale }] : [];
  });
}
