import type { RunConfig, RunMode, SpecContent } from '../domain';
import { choicesToDesign, compileSpec, SpecError } from './model';
import { EXHAUSTIVE_LIMIT } from './search';
import type { SeedCandidate } from './types';

export interface PreflightInput {
  spec: SpecContent;
  mode: RunMode;
  config: Pick<RunConfig, 'numCandidates' | 'numScenarios'> & Partial<Pick<RunConfig, 'evalCandidates'>>;
  seedCandidate?: SeedCandidate | null;
}

export interface PreflightResult {
  /** Each one disables Start and says why. */
  blockers: string[];
  /** Shown, but the run may start. */
  warnings: string[];
}

/** Above this many candidate × scenario evaluations the results get long to read. */
export const LARGE_EVALUATION_COUNT = 400;

const names = (items: string[], max = 3) =>
  items
    .slice(0, max)
    .map((item) => `'${item}'`)
    .join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');

export function preflight(input: PreflightInput): PreflightResult {
  const { spec, mode, config } = input;
  const blockers: string[] = [];
  const warnings: string[] = [];
  const dimensions = spec.designSpace.dimensions;

  if (spec.constraints.length === 0)
    blockers.push('Add at least one constraint: without constraints there is nothing to score designs against.');
  if (dimensions.length === 0) blockers.push('Add a design space: at least one dimension with options.');
  const emptyDimensions = dimensions.filter((dimension) => dimension.options.length === 0).map((dimension) => dimension.name);
  if (emptyDimensions.length > 0)
    blockers.push(`Dimension ${names(emptyDimensions)} ${emptyDimensions.length === 1 ? 'has' : 'have'} no options.`);

  if (spec.constraints.length > 0) {
    const unrated: string[] = [];
    let missing = 0;
    for (const dimension of dimensions) {
      for (const option of dimension.options) {
        const ratedCount = spec.constraints.filter((constraint) => typeof option.ratings[constraint.id] === 'number').length;
        if (ratedCount === 0) unrated.push(`${dimension.name}: ${option.name}`);
        else missing += spec.constraints.length - ratedCount;
      }
    }
    if (unrated.length > 0) blockers.push(`Rate these options against the constraints first: ${names(unrated)}.`);
    if (missing > 0) warnings.push(`${missing} option rating${missing === 1 ? ' is' : 's are'} missing; they count as neutral (0.5).`);
    if (spec.constraints.every((constraint) => constraint.weight === 0))
      warnings.push('Every constraint has weight 0, so all count equally.');
  }

  const inRange = (value: number) => Number.isInteger(value) && value >= 1 && value <= 50;
  if (!inRange(config.numCandidates)) blockers.push('Number of candidates must be a whole number from 1 to 50.');
  if (!inRange(config.numScenarios)) blockers.push('Number of scenarios must be a whole number from 1 to 50.');

  if (mode === 'seeded' && !input.seedCandidate) blockers.push('Seeded mode needs a seed candidate: pick one from an earlier run.');
  if (mode === 'eval_only' && (config.evalCandidates ?? []).length === 0)
    blockers.push('Eval-only mode needs at least one candidate to evaluate.');

  if (blockers.length === 0) {
    try {
      const model = compileSpec(spec);
      if (mode === 'seeded' && input.seedCandidate)
        choicesToDesign(model, input.seedCandidate.choices, `Seed candidate '${input.seedCandidate.label}'`);
      if (mode === 'eval_only') {
        (config.evalCandidates ?? []).forEach((entry, i) =>
          choicesToDesign(model, entry.choices, entry.label ? `Candidate '${entry.label}'` : `Candidate ${i + 1}`),
        );
      }
      if (mode === 'full_search') {
        if (model.combinations > EXHAUSTIVE_LIMIT) {
          warnings.push(
            `The design space has about ${model.combinations.toExponential(1)} combinations; above ${EXHAUSTIVE_LIMIT.toLocaleString('en-US')} the search is heuristic (beam + local search) and may miss the very best design.`,
          );
        }
        if (model.combinations < config.numCandidates) {
          warnings.push(`Only ${model.combinations} distinct designs exist, so the run returns at most ${model.combinations} candidates.`);
        }
      }
    } catch (error) {
      if (error instanceof SpecError) blockers.push(error.message);
      else throw error;
    }
  }

  const evaluationCount = (mode === 'eval_only' ? (config.evalCandidates ?? []).length : config.numCandidates) * config.numScenarios;
  if (evaluationCount > LARGE_EVALUATION_COUNT) {
    warnings.push(`${evaluationCount.toLocaleString('en-US')} candidate × scenario evaluations: the run and its results will be large.`);
  }
  return { blockers, warnings };
}
