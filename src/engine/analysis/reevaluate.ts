/**
 * "How does the old winner fare here?": a candidate from one run scored under
 * another run's spec and scenarios, ranked among that run's own candidates —
 * an eval_only evaluation computed on the fly, with the engine's own built-in
 * evaluator and ranker, that creates no run.
 */
import type { CandidateStatus, Choices } from '../../domain';
import { BuiltInEvaluator } from '../evaluator';
import { compileSpec } from '../model';
import { BuiltInRanker } from '../ranker';
import type { CandidateDraft, EvaluationDraft, ScenarioDraft, StageContext } from '../types';
import { choicesKey } from './compare';
import type { RunData } from './types';

export type Reevaluation =
  | {
      ok: true;
      P: number;
      R: number;
      I: number;
      /** Where it would rank among the run's candidates (1 = best). */
      rank: number;
      /** How many candidates it was ranked among, itself included. */
      of: number;
      status: CandidateStatus;
      hardViolations: string[];
      /** True when the run found this very design itself (the scores are then the run's own). */
      alreadyInRun: boolean;
    }
  | { ok: false; reason: string };

export async function reevaluateUnder(data: RunData, design: { label: string; choices: Choices }): Promise<Reevaluation> {
  const { run } = data;
  const spec = run.specSnapshot;
  if (data.scenarios.length === 0) return { ok: false, reason: 'The run has no stored scenarios to evaluate on.' };
  // The design must pick an option of this spec in every dimension of this spec.
  for (const dimension of spec.designSpace.dimensions) {
    const picked = design.choices[dimension.id];
    if (picked === undefined)
      return { ok: false, reason: `This run's spec has a dimension the design does not choose: ${dimension.name}.` };
    if (!dimension.options.some((option) => option.id === picked))
      return { ok: false, reason: `The option it picks for ${dimension.name} is not in this run's spec.` };
  }
  const known = new Set(spec.designSpace.dimensions.map((dimension) => dimension.id));
  const choices: Choices = Object.fromEntries(Object.entries(design.choices).filter(([dimensionId]) => known.has(dimensionId)));
  const key = choicesKey(choices);
  const candidates = [...data.candidates].sort((a, b) => a.rank - b.rank);
  const existing = candidates.find((candidate) => choicesKey(candidate.choices) === key);

  const drafts: CandidateDraft[] = candidates.map((candidate) => ({
    origin: candidate.origin,
    label: candidate.label,
    mechanism: candidate.mechanism,
    choices: candidate.choices,
    predictedEffects: candidate.predictedEffects,
    parentIds: candidate.parentIds,
    provenance: candidate.provenance,
  }));
  const index = existing ? candidates.indexOf(existing) : drafts.length;
  if (!existing)
    drafts.push({ origin: 'user', label: design.label, mechanism: '', choices, predictedEffects: {}, parentIds: [], provenance: [] });
  const scenarios: ScenarioDraft[] = [...data.scenarios]
    .sort((a, b) => a.index - b.index)
    .map(({ id: _id, runId: _runId, projectId: _projectId, ...draft }) => draft);
  const context: StageContext = {
    input: { runId: run.id, projectId: run.projectId, spec, mode: 'eval_only', config: run.config },
    model: compileSpec(spec),
    now: 0,
    progress: () => {},
    checkpoint: async () => {},
  };
  const evaluations: EvaluationDraft[] = await new BuiltInEvaluator().evaluate(context, drafts, scenarios);
  const ranked = await new BuiltInRanker().rank(context, drafts, scenarios, evaluations);
  const mine = ranked.find((entry) => entry.candidateIndex === index)!;
  return {
    ok: true,
    P: mine.scores.P,
    R: mine.scores.R,
    I: mine.scores.I,
    rank: mine.rank,
    of: drafts.length,
    status: mine.status,
    hardViolations: mine.hardViolations,
    alreadyInRun: existing !== undefined,
  };
}
