import { isHard, type ConstraintSatisfaction } from '../domain';
import { choicesToDesign, isSatisfied, resourceFromShares, type CompiledSpec, type Design } from './model';
import type { CandidateDraft, EvaluationDraft, Evaluator, ScenarioDraft, StageContext } from './types';

const f2 = (x: number) => x.toFixed(2);

export interface DesignEvaluation {
  P: number;
  R: number;
  /** Per constraint, in spec order. */
  scores: number[];
  constraintSatisfaction: Record<string, ConstraintSatisfaction>;
  explanation: string;
}

/**
 * One design under one scenario (docs/engine.md):
 *   r'(o, c)  = clamp₀¹(r(o, c) + shift_s(o, c))      unrated r = 0.5, never shifted
 *   score_c   = mean over the dimensions that rate c of r'(chosen option, c);  satisfied ⇔ score_c ≥ 0.5
 *   P         = Σ_c w_c·m_s(c)·score_c / Σ_c w_c·m_s(c)
 *   R         = max(0.05, Σ_d cost(chosen) / Σ_d max cost in d)   (1 when every cost is 0)
 */
export function evaluateDesign(model: CompiledSpec, design: Design, scenario: Pick<ScenarioDraft, 'weightMultipliers' | 'ratingShifts'>): DesignEvaluation {
  const C = model.constraints.length;
  const D = design.length;
  const sums = new Array<number>(C).fill(0);
  const best = new Array<{ rating: number; d: number }>(C);
  const worst = new Array<{ rating: number; d: number }>(C);
  let share = 0;
  for (let d = 0; d < D; d++) {
    const g = model.offsets[d]! + design[d]!;
    share += model.costShares[g]!;
    const option = model.dimensions[d]!.options[design[d]!]!;
    const shifts = scenario.ratingShifts[option.id];
    for (let c = 0; c < C; c++) {
      let rating = model.ratings[g * C + c]!;
      if (model.rated[g * C + c] && shifts) rating += shifts[model.constraints[c]!.id] ?? 0;
      rating = Math.min(1, Math.max(0, rating));
      const relevance = model.relevance[d * C + c]!;
      if (relevance === 0) continue;
      sums[c]! += rating * relevance;
      if (!best[c] || rating > best[c]!.rating) best[c] = { rating, d };
      if (!worst[c] || rating < worst[c]!.rating) worst[c] = { rating, d };
    }
  }
  const scores = sums.map((sum) => sum / D);
  let weighted = 0;
  let weightSum = 0;
  const constraintSatisfaction: Record<string, ConstraintSatisfaction> = {};
  model.constraints.forEach((constraint, c) => {
    const weight = model.effectiveWeights[c]! * (scenario.weightMultipliers[constraint.id] ?? 1);
    weighted += weight * scores[c]!;
    weightSum += weight;
    const optionName = (pick: { d: number }) => model.dimensions[pick.d]!.options[design[pick.d]!]!.name;
    const counted = model.dimensions.filter((_, d) => model.relevance[d * C + c]! > 0).length;
    const detail =
      counted > 1
        ? `mean of ${counted} choices; best '${optionName(best[c]!)}' (${f2(best[c]!.rating)}), worst '${optionName(worst[c]!)}' (${f2(worst[c]!.rating)})`
        : `'${optionName(best[c]!)}' rated ${f2(best[c]!.rating)}`;
    constraintSatisfaction[constraint.id] = { score: scores[c]!, satisfied: isSatisfied(scores[c]!), explanation: `${f2(scores[c]!)}: ${detail}` };
  });
  const P = weightSum > 0 ? weighted / weightSum : 0;
  const R = resourceFromShares(model, share);

  const missed = model.constraints.map((constraint, c) => ({ constraint, score: scores[c]! })).filter((x) => !isSatisfied(x.score));
  const hardMissed = missed.filter((x) => isHard(x.constraint));
  const satisfiedCount = C - missed.length;
  let explanation = `Satisfies ${satisfiedCount === C ? `all ${C}` : `${satisfiedCount} of ${C}`} constraint${C === 1 ? '' : 's'} (P=${f2(P)}, R=${f2(R)})`;
  if (hardMissed.length > 0) {
    explanation += `; breaks hard constraint ${hardMissed.map((x) => `'${x.constraint.name}' (${f2(x.score)})`).join(', ')}.`;
  } else if (missed.length > 0) {
    const worstMiss = missed.reduce((a, b) => (b.score < a.score ? b : a));
    explanation += `; misses '${worstMiss.constraint.name}' (${f2(worstMiss.score)})${missed.length > 1 ? ` and ${missed.length - 1} more` : ''}.`;
  } else {
    const weakest = scores.reduce((low, score, c) => (score < scores[low]! ? c : low), 0);
    explanation += `; weakest is '${model.constraints[weakest]!.name}' (${f2(scores[weakest]!)}).`;
  }
  return { P, R, scores, constraintSatisfaction, explanation };
}

/** Deterministic evaluator: every candidate under every scenario. */
export class BuiltInEvaluator implements Evaluator {
  async evaluate(context: StageContext, candidates: CandidateDraft[], scenarios: ScenarioDraft[]): Promise<EvaluationDraft[]> {
    const { model } = context;
    const evaluations: EvaluationDraft[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const design = choicesToDesign(model, candidates[i]!.choices, `Candidate '${candidates[i]!.label}'`);
      for (let s = 0; s < scenarios.length; s++) {
        const result = evaluateDesign(model, design, scenarios[s]!);
        evaluations.push({
          candidateIndex: i,
          scenarioIndex: s,
          P: result.P,
          R: result.R,
          constraintSatisfaction: result.constraintSatisfaction,
          explanation: result.explanation,
        });
      }
      context.progress((i + 1) / candidates.length, `Evaluated ${i + 1} of ${candidates.length} candidates under ${scenarios.length} scenarios`);
      await context.checkpoint();
    }
    return evaluations;
  }
}
