/**
 * "What if <constraint> weight 40": the run's ranking recomputed for its stored
 * candidates under its stored scenarios with changed weights, without a new
 * search. The built-in evaluator re-scores them (cheap: candidates × scenarios),
 * because a weight that crosses 100 changes the constraint's rule (hard
 * constraints are weakest-link); the ranking — means over scenarios, I = P / R,
 * hard violations, statuses, explanations — is the engine's own BuiltInRanker,
 * so a what-if preview and a real run with the same weights agree on these candidates.
 */
import { EngineError, constraintWeightSchema, type CandidateStatus, type SpecContent } from '../../domain';
import { compileSpec } from '../model';
import { BuiltInEvaluator } from '../evaluator';
import { BuiltInRanker } from '../ranker';
import type { CandidateDraft, EvaluationDraft, ScenarioDraft, StageContext } from '../types';
import type { RunData } from './types';

export interface WeightChange {
  constraintId: string;
  weight: number;
}

export interface AppliedWeightChange {
  constraintId: string;
  name: string;
  from: number;
  to: number;
}

export interface RerankRow {
  candidateId: string;
  label: string;
  oldRank: number;
  newRank: number;
  oldStatus: CandidateStatus;
  status: CandidateStatus;
  oldI: number;
  I: number;
  P: number;
  R: number;
  /** Ids of hard constraints broken under the new weights. */
  hardViolations: string[];
  rankingExplanation: string;
}

export interface RerankResult {
  /** The run's spec snapshot with the changed weights: what an "Open as what-if chat" starts from. */
  spec: SpecContent;
  changes: AppliedWeightChange[];
  /** Best first under the new weights. */
  rows: RerankRow[];
}

export class RerankError extends EngineError<'rerank_invalid'> {
  constructor(reason: string) {
    super('rerank_invalid', { reason });
  }
}

export function withWeights(spec: SpecContent, changes: readonly WeightChange[]): { spec: SpecContent; applied: AppliedWeightChange[] } {
  const applied: AppliedWeightChange[] = [];
  for (const change of changes) {
    const parsed = constraintWeightSchema.safeParse(change.weight);
    if (!parsed.success)
      throw new RerankError(
        `Weight ${change.weight} is not allowed: ${parsed.error.issues[0]?.message ?? 'use a whole number from 0 to 100'}.`,
      );
    const constraint = spec.constraints.find((c) => c.id === change.constraintId);
    if (!constraint) throw new RerankError(`The run's spec has no constraint with id ${change.constraintId}.`);
    applied.push({ constraintId: constraint.id, name: constraint.name, from: constraint.weight, to: parsed.data });
  }
  const byId = new Map(applied.map((change) => [change.constraintId, change.to]));
  return {
    spec: { ...spec, constraints: spec.constraints.map((c) => (byId.has(c.id) ? { ...c, weight: byId.get(c.id)! } : c)) },
    applied,
  };
}

export async function rerankWithWeights(data: RunData, changes: readonly WeightChange[]): Promise<RerankResult> {
  const { run } = data;
  if (data.candidates.length === 0) throw new RerankError(`Run has no stored candidates to re-rank (status: ${run.status}).`);
  const { spec, applied } = withWeights(run.specSnapshot, changes);
  const model = compileSpec(spec);

  // Old rank order as the candidate order, so exact ties keep their old order.
  const candidates = [...data.candidates].sort((a, b) => a.rank - b.rank);
  const scenarios = [...data.scenarios].sort((a, b) => a.index - b.index);

  const candidateDrafts: CandidateDraft[] = candidates.map((candidate) => ({
    origin: candidate.origin,
    label: candidate.label,
    mechanism: candidate.mechanism,
    choices: candidate.choices,
    predictedEffects: candidate.predictedEffects,
    parentIds: candidate.parentIds,
    provenance: candidate.provenance,
  }));
  const scenarioDrafts: ScenarioDraft[] = scenarios.map(({ id: _id, runId: _runId, projectId: _projectId, ...draft }) => draft);

  const context: StageContext = {
    input: { runId: run.id, projectId: run.projectId, spec, mode: run.mode, config: run.config },
    model,
    now: 0,
    progress: () => {},
    checkpoint: async () => {},
  };
  // Re-scored on the stored scenarios with the changed weights: a weight that crosses 100 changes the
  // constraint's rule (hard = weakest link), so its scores are recomputed, not only re-weighted.
  if (data.evaluations.length === 0) throw new RerankError('The run has no stored evaluations to re-rank.');
  const evaluationDrafts: EvaluationDraft[] = await new BuiltInEvaluator().evaluate(context, candidateDrafts, scenarioDrafts);
  const ranked = await new BuiltInRanker().rank(context, candidateDrafts, scenarioDrafts, evaluationDrafts);
  const rows = ranked
    .map((entry): RerankRow => {
      const candidate = candidates[entry.candidateIndex]!;
      return {
        candidateId: candidate.id,
        label: candidate.label,
        oldRank: candidate.rank,
        newRank: entry.rank,
        oldStatus: candidate.status,
        status: entry.status,
        oldI: candidate.scores.I,
        I: entry.scores.I,
        P: entry.scores.P,
        R: entry.scores.R,
        hardViolations: entry.hardViolations,
        rankingExplanation: entry.rankingExplanation,
      };
    })
    .sort((a, b) => a.newRank - b.newRank);
  return { spec, changes: applied, rows };
}
