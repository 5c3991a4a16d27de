/**
 * "What if <constraint> weight 40": the run's ranking recomputed from its
 * stored evaluations with changed weights, without a new run.
 *
 * Per-constraint scores do not depend on weights, so each stored evaluation
 * keeps its scores and R and only its P is re-weighted, exactly as the
 * evaluator weights them (docs/engine.md):
 *   P_s = Σ_c w_c·m_s(c)·score_c / Σ_c w_c·m_s(c)
 * with w the compiled spec's effective weights. The ranking itself — means
 * over scenarios, I = P / R, hard violations, statuses, explanations — is the
 * engine's own BuiltInRanker, so a what-if preview and a real run with the
 * same weights agree.
 */
import { constraintWeightSchema, type CandidateStatus, type SpecContent } from '../../domain';
import { compileSpec } from '../model';
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

export class RerankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RerankError';
  }
}

export function withWeights(spec: SpecContent, changes: readonly WeightChange[]): { spec: SpecContent; applied: AppliedWeightChange[] } {
  const applied: AppliedWeightChange[] = [];
  for (const change of changes) {
    const parsed = constraintWeightSchema.safeParse(change.weight);
    if (!parsed.success) throw new RerankError(`Weight ${change.weight} is not allowed: ${parsed.error.issues[0]?.message ?? 'use a whole number from 0 to 100'}.`);
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
  const candidateIndex = new Map(candidates.map((candidate, index) => [candidate.id, index]));
  const scenarioIndex = new Map(scenarios.map((scenario, index) => [scenario.id, index]));

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

  const evaluationDrafts: EvaluationDraft[] = data.evaluations.map((evaluation) => {
    const c = candidateIndex.get(evaluation.candidateId);
    const s = scenarioIndex.get(evaluation.scenarioId);
    if (c === undefined || s === undefined) throw new RerankError('A stored evaluation refers to a candidate or scenario that is not in the run.');
    const scenario = scenarios[s]!;
    let weighted = 0;
    let weightSum = 0;
    model.constraints.forEach((constraint, index) => {
      const satisfaction = evaluation.constraintSatisfaction[constraint.id];
      if (!satisfaction) throw new RerankError(`A stored evaluation has no score for '${constraint.name}'.`);
      const weight = model.effectiveWeights[index]! * (scenario.weightMultipliers[constraint.id] ?? 1);
      weighted += weight * satisfaction.score;
      weightSum += weight;
    });
    return {
      candidateIndex: c,
      scenarioIndex: s,
      P: weightSum > 0 ? weighted / weightSum : 0,
      R: evaluation.R,
      constraintSatisfaction: evaluation.constraintSatisfaction,
      explanation: evaluation.explanation,
    };
  });

  const context: StageContext = {
    input: { runId: run.id, projectId: run.projectId, spec, mode: run.mode, config: run.config },
    model,
    now: 0,
    progress: () => {},
    checkpoint: async () => {},
  };
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
