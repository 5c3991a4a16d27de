import { isHard, type ConstraintSatisfaction } from '../domain';
import { choicesToDesign, KIND_QUANTITY, KIND_WEAKEST, type CompiledSpec, type Design } from './model';
import { buildTables, isSatisfiedScore, scoreInScenario, weightedP, type ScenarioShape, type ScenarioTables } from './objective';
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

/** A number for a sentence: 3 significant digits (more when needed to differ from `other`), no exponent noise. */
export function formatQuantityValue(x: number, other?: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let digits = 3; digits <= 8; digits++) {
    const text = Math.abs(x) >= 10 ** digits ? Math.round(x).toString() : String(Number(x.toPrecision(digits)));
    if (other === undefined || x === other || text !== String(Number(other.toPrecision(digits)))) return text;
  }
  return String(x);
}

const unitSuffix = (unit: string) => (unit ? ` ${unit}` : '');

/** "27.4 km, needs ≥ 30 km" (or why no value could be computed). */
export function describeQuantityResult(model: CompiledSpec, c: number, value: number | null): string {
  const quantity = model.constraints[c]!.quantity!;
  const symbol = quantity.comparator === 'atLeast' ? '≥' : '≤';
  const need = `needs ${symbol} ${formatQuantityValue(quantity.threshold)}${unitSuffix(quantity.unit)}`;
  if (value === null || !Number.isFinite(value)) {
    return `no value: '${quantity.expression}' gives no number for this design (a division by zero, or min/max/mean over options without a value); ${need}`;
  }
  return `${formatQuantityValue(value, quantity.threshold)}${unitSuffix(quantity.unit)}, ${need}`;
}

/**
 * One design under one scenario (docs/engine.md, "Evaluator"): scores per
 * constraint by its kind (mean, weakest link, quantity), P = Σ w·m·score / Σ w·m,
 * R = max(0.05, cost scale · Σ cost / maxCost). Scores and P are clamped to [0, 1] at the source.
 */
export function evaluateWithTables(
  model: CompiledSpec,
  tables: ScenarioTables,
  s: number,
  design: Design,
  multipliers: Readonly<Record<string, number>>,
): DesignEvaluation {
  const C = model.constraints.length;
  const result = scoreInScenario(model, tables, s, design);
  const scores = result.scores;
  const P = weightedP(
    model.effectiveWeights,
    model.constraints.map((constraint) => constraint.id),
    multipliers,
    scores,
  );
  const R = result.R;
  const optionName = (d: number) => `'${model.dimensions[d]!.options[design[d]!]!.name}'`;
  const constraintSatisfaction: Record<string, ConstraintSatisfaction> = {};
  model.constraints.forEach((constraint, c) => {
    const detail = result.details[c]!;
    const kind = model.kinds[c]!;
    let text: string;
    if (kind === KIND_QUANTITY) text = `${constraint.name} ${describeQuantityResult(model, c, detail.value)}`;
    else if (detail.worstDimension < 0) text = 'no chosen option rates it, so it counts as neutral';
    else if (model.relevantDimensions[c]!.length === 1) text = `${optionName(detail.worstDimension)} rated ${f2(detail.worstRating)}`;
    else if (kind === KIND_WEAKEST)
      text = `weakest link of ${model.relevantDimensions[c]!.length} choices: ${optionName(detail.worstDimension)} (${model.dimensions[detail.worstDimension]!.name}) rated ${f2(detail.worstRating)}`;
    else
      text = `mean of ${model.relevantDimensions[c]!.length} choices; best ${optionName(detail.bestDimension)} (${f2(detail.bestRating)}), worst ${optionName(detail.worstDimension)} (${f2(detail.worstRating)})`;
    constraintSatisfaction[constraint.id] = {
      score: scores[c]!,
      satisfied: isSatisfiedScore(scores[c]!),
      explanation: `${f2(scores[c]!)}: ${text}`,
    };
  });

  const missed = model.constraints.map((constraint, c) => ({ constraint, c, score: scores[c]! })).filter((x) => !isSatisfiedScore(x.score));
  const hardMissed = missed.filter((x) => isHard(x.constraint));
  const satisfiedCount = C - missed.length;
  const why = (x: { c: number; score: number }) =>
    model.kinds[x.c] === KIND_QUANTITY ? `(${describeQuantityResult(model, x.c, result.details[x.c]!.value)})` : `(${f2(x.score)})`;
  let explanation = `Satisfies ${satisfiedCount === C ? `all ${C}` : `${satisfiedCount} of ${C}`} constraint${C === 1 ? '' : 's'} (P=${f2(P)}, R=${f2(R)})`;
  if (hardMissed.length > 0) {
    explanation += `; breaks hard constraint ${hardMissed.map((x) => `'${x.constraint.name}' ${why(x)}`).join(', ')}.`;
  } else if (missed.length > 0) {
    const worstMiss = missed.reduce((a, b) => (b.score < a.score ? b : a));
    explanation += `; misses '${worstMiss.constraint.name}' ${why(worstMiss)}${missed.length > 1 ? ` and ${missed.length - 1} more` : ''}.`;
  } else {
    const weakest = scores.reduce((low, score, c) => (score < scores[low]! ? c : low), 0);
    explanation += `; weakest is '${model.constraints[weakest]!.name}' (${f2(scores[weakest]!)}).`;
  }
  return { P, R, scores, constraintSatisfaction, explanation };
}

/** One design under one scenario, building the scenario's tables (for one-off callers). */
export function evaluateDesign(model: CompiledSpec, design: Design, scenario: ScenarioShape): DesignEvaluation {
  return evaluateWithTables(model, buildTables(model, [scenario]), 0, design, scenario.weightMultipliers);
}

/** Deterministic evaluator: every candidate under every scenario. */
export class BuiltInEvaluator implements Evaluator {
  async evaluate(context: StageContext, candidates: CandidateDraft[], scenarios: ScenarioDraft[]): Promise<EvaluationDraft[]> {
    const { model } = context;
    const tables = buildTables(model, scenarios);
    const evaluations: EvaluationDraft[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const design = choicesToDesign(model, candidates[i]!.choices, `Candidate '${candidates[i]!.label}'`);
      for (let s = 0; s < scenarios.length; s++) {
        const result = evaluateWithTables(model, tables, s, design, scenarios[s]!.weightMultipliers);
        evaluations.push({
          candidateIndex: i,
          scenarioIndex: s,
          P: result.P,
          R: result.R,
          constraintSatisfaction: result.constraintSatisfaction,
          explanation: result.explanation,
        });
      }
      context.progress(
        (i + 1) / candidates.length,
        `Evaluated ${i + 1} of ${candidates.length} candidates under ${scenarios.length} scenarios`,
      );
      await context.checkpoint();
    }
    return evaluations;
  }
}
