import { EngineError, isHard, type CandidateStatus, type ConstraintSatisfaction } from '../domain';
import { isSatisfied } from './model';
import type { CandidateDraft, EvaluationDraft, RankedDraft, Ranker, ScenarioDraft, StageContext } from './types';

/** Status thresholds for candidates without a hard violation (docs/engine.md). */
export const STATUS_THRESHOLDS = {
  /** promising: P ≥ 0.6 and I ≥ 85% of the best non-rejected I. */
  promisingMinP: 0.6,
  promisingMinShareOfBestI: 0.85,
  /** weak: P < 0.4 or I < 50% of the best non-rejected I. */
  weakBelowP: 0.4,
  weakBelowShareOfBestI: 0.5,
} as const;

/** R bands for the cost sentence and factors. */
export const COST_BANDS = { lowBelow: 0.4, highFrom: 0.7 } as const;

const f2 = (x: number) => x.toFixed(2);

function listNames(names: string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

function costSentence(R: number, free: boolean): string {
  if (free) return `No option has a cost, so R=${f2(R)} for every design.`;
  if (R < COST_BANDS.lowBelow) return `Low resource cost (R=${f2(R)}).`;
  if (R < COST_BANDS.highFrom) return `Moderate resource cost (R=${f2(R)}).`;
  return `High resource cost (R=${f2(R)}).`;
}

interface Aggregate {
  index: number;
  P: number;
  R: number;
  I: number;
  meanScores: number[];
  /** Per constraint: scenarios in which it was satisfied. */
  satisfiedIn: number[];
  /** Per constraint: first scenario index where it failed, or -1. */
  firstFailure: number[];
  /** Per constraint: the explanation of its score in the first scenario where it failed ('' when it never failed). */
  failureDetail: string[];
  hardViolations: number[];
}

/** Equal up to float noise from summing in another order: the ranker's ties and its sentences use the same test. */
export function sameNumber(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

export function statusFor(P: number, I: number, bestI: number | null, hardViolation: boolean): CandidateStatus {
  if (hardViolation) return 'rejected';
  const best = bestI ?? I;
  if (P >= STATUS_THRESHOLDS.promisingMinP && I >= STATUS_THRESHOLDS.promisingMinShareOfBestI * best) return 'promising';
  if (P < STATUS_THRESHOLDS.weakBelowP || I < STATUS_THRESHOLDS.weakBelowShareOfBestI * best) return 'weak';
  return 'under_test';
}

/**
 * Built-in I-ranker: P and R are scenario-weight means, I = P / R.
 * Hard violators (a weight-100 constraint unsatisfied in any scenario) are
 * rejected and ranked after all others; ties break on P, then design order.
 */
export class BuiltInRanker implements Ranker {
  async rank(
    context: StageContext,
    candidates: CandidateDraft[],
    scenarios: ScenarioDraft[],
    evaluations: EvaluationDraft[],
  ): Promise<RankedDraft[]> {
    const constraints = context.model.constraints;
    const C = constraints.length;
    const S = scenarios.length;
    const totalScenarioWeight = scenarios.reduce((sum, scenario) => sum + scenario.weight, 0);
    const byCandidate = new Map<number, EvaluationDraft[]>();
    for (const evaluation of evaluations) {
      byCandidate.set(evaluation.candidateIndex, [...(byCandidate.get(evaluation.candidateIndex) ?? []), evaluation]);
    }

    const aggregates: Aggregate[] = candidates.map((candidate, index) => {
      const own = byCandidate.get(index) ?? [];
      if (own.length !== S)
        throw new EngineError('invariant_broken', { what: `candidate '${candidate.label}' has ${own.length} evaluations, expected ${S}` });
      let P = 0;
      let R = 0;
      const meanScores = new Array<number>(C).fill(0);
      const satisfiedIn = new Array<number>(C).fill(0);
      const firstFailure = new Array<number>(C).fill(-1);
      const failureDetail = new Array<string>(C).fill('');
      for (const evaluation of [...own].sort((x, y) => x.scenarioIndex - y.scenarioIndex)) {
        const share = scenarios[evaluation.scenarioIndex]!.weight / totalScenarioWeight;
        P += share * evaluation.P;
        R += share * evaluation.R;
        constraints.forEach((constraint, c) => {
          const satisfaction = evaluation.constraintSatisfaction[constraint.id];
          if (!satisfaction)
            throw new EngineError('invariant_broken', {
              what: `an evaluation of '${candidate.label}' has no score for '${constraint.name}'`,
            });
          meanScores[c]! += share * satisfaction.score;
          if (satisfaction.satisfied) satisfiedIn[c]! += 1;
          else if (firstFailure[c] === -1) {
            firstFailure[c] = evaluation.scenarioIndex;
            failureDetail[c] = satisfaction.explanation.replace(/^\d\.\d\d: /, '');
          }
        });
      }
      for (let c = 0; c < C; c++) meanScores[c] = Math.min(1, Math.max(0, meanScores[c]!));
      P = Math.min(1, Math.max(0, P));
      const hardViolations = constraints.flatMap((constraint, c) => (isHard(constraint) && satisfiedIn[c]! < S ? [c] : []));
      return { index, P, R, I: P / R, meanScores, satisfiedIn, firstFailure, failureDetail, hardViolations };
    });

    const free = context.model.maxCost <= 0;
    const same = sameNumber;
    const ordered = [...aggregates].sort(
      (a, b) =>
        Number(a.hardViolations.length > 0) - Number(b.hardViolations.length > 0) ||
        (sameNumber(a.I, b.I) ? 0 : b.I - a.I) ||
        (sameNumber(a.P, b.P) ? 0 : b.P - a.P) ||
        a.index - b.index,
    );
    const viable = ordered.filter((a) => a.hardViolations.length === 0);
    const bestI = viable[0]?.I ?? null;
    const hardConstraints = constraints.flatMap((constraint, c) => (isHard(constraint) ? [c] : []));

    const ranked = ordered.map((aggregate, position): RankedDraft => {
      const rank = position + 1;
      const violating = aggregate.hardViolations.length > 0;
      const status = statusFor(aggregate.P, aggregate.I, bestI, violating);
      const constraintSatisfaction: Record<string, ConstraintSatisfaction> = {};
      constraints.forEach((constraint, c) => {
        const always = aggregate.satisfiedIn[c] === S;
        constraintSatisfaction[constraint.id] = {
          score: aggregate.meanScores[c]!,
          satisfied: isHard(constraint) ? always : isSatisfied(aggregate.meanScores[c]!),
          explanation: `Satisfied in ${aggregate.satisfiedIn[c]} of ${S} scenario${S === 1 ? '' : 's'}; weighted mean ${f2(aggregate.meanScores[c]!)}.`,
        };
      });
      return {
        candidateIndex: aggregate.index,
        scores: { P: aggregate.P, R: aggregate.R, I: aggregate.I, constraintSatisfaction },
        rank,
        status,
        rankingExplanation: explain(aggregate, rank, ordered, hardConstraints),
        rankingFactors: factors(aggregate, hardConstraints),
        hardViolations: aggregate.hardViolations.map((c) => constraints[c]!.id),
      };
    });

    function explain(a: Aggregate, rank: number, all: Aggregate[], hard: number[]): string {
      const sentences: string[] = [];
      const head = `Ranked #${rank}`;
      const scenarioCount = (n: number) => `${n} of ${S} scenario${S === 1 ? '' : 's'}`;
      if (a.hardViolations.length > 0) {
        const worst = a.hardViolations.map(
          (c) => `'${constraints[c]!.name}' in ${scenarioCount(S - a.satisfiedIn[c]!)} (${a.failureDetail[c]})`,
        );
        sentences.push(`${head} (rejected) with I=${f2(a.I)}: breaks hard constraint ${worst.join(' and ')}.`);
      } else if (rank === 1) {
        const next = all[1];
        if (!next) sentences.push(`${head} with I=${f2(a.I)}, the only candidate.`);
        else if (next.hardViolations.length > 0)
          sentences.push(`${head} with I=${f2(a.I)}; every other candidate breaks a hard constraint.`);
        else if (same(a.I, next.I)) {
          sentences.push(
            same(a.P, next.P)
              ? `${head} with I=${f2(a.I)}, level with #2 on I and P; listed first by design order.`
              : `${head} with I=${f2(a.I)}, level with #2 on I and ahead on P (${f2(a.P)} vs ${f2(next.P)}).`,
          );
        } else if (next.I <= 0) sentences.push(`${head} with I=${f2(a.I)}, ahead of #2 (I=${f2(next.I)}).`);
        else {
          const percent = Math.round((a.I / next.I - 1) * 100);
          sentences.push(
            percent > 0
              ? `${head} with I=${f2(a.I)}, ${percent}% higher than #2.`
              : `${head} with I=${f2(a.I)}, just ahead of #2 (I=${next.I.toPrecision(4)} vs ${a.I.toPrecision(4)}).`,
          );
        }
      } else {
        const first = all[0]!;
        if (same(a.I, first.I)) {
          sentences.push(
            same(a.P, first.P)
              ? `${head} with I=${f2(a.I)}, level with #1 on I and P; listed later by design order.`
              : `${head} with I=${f2(a.I)}, level with #1 on I and behind on P (${f2(a.P)} vs ${f2(first.P)}).`,
          );
        } else {
          const gap = first.I > 0 ? Math.round((1 - a.I / first.I) * 100) : 0;
          sentences.push(
            gap > 0
              ? `${head} with I=${f2(a.I)}, ${gap}% lower than #1.`
              : `${head} with I=${f2(a.I)}, just behind #1 (I=${a.I.toPrecision(4)} vs ${first.I.toPrecision(4)}).`,
          );
        }
      }
      const strongest = a.meanScores.reduce((best, score, c) => (score > a.meanScores[best]! ? c : best), 0);
      const strongText = `'${constraints[strongest]!.name}' (${f2(a.meanScores[strongest]!)})`;
      if (a.hardViolations.length > 0) {
        sentences.push(`Otherwise strongest on ${strongText}.`);
      } else if (hard.length > 0) {
        sentences.push(
          hard.length <= 3
            ? `Satisfies hard constraint${hard.length === 1 ? '' : 's'} ${listNames(hard.map((c) => constraints[c]!.name))} in every scenario.`
            : `Satisfies all ${hard.length} hard constraints in every scenario.`,
        );
      } else {
        const missed = constraints.flatMap((_, c) => (isSatisfied(a.meanScores[c]!) ? [] : [c]));
        sentences.push(
          missed.length > 0
            ? `Strongest on ${strongText}; misses ${listNames(missed.slice(0, 2).map((c) => constraints[c]!.name))}.`
            : `Strongest on ${strongText}.`,
        );
      }
      sentences.push(costSentence(a.R, free));
      return sentences.join(' ');
    }

    function factors(a: Aggregate, hard: number[]): { positive: string[]; negative: string[] } {
      const positive: string[] = [];
      const negative: string[] = [];
      const met = hard.filter((c) => a.satisfiedIn[c] === S);
      if (met.length > 0)
        positive.push(
          `Meets hard constraint${met.length === 1 ? '' : 's'} ${listNames(met.map((c) => constraints[c]!.name))} in every scenario`,
        );
      if (a.satisfiedIn.every((count) => count === S))
        positive.push(`Satisfies every constraint in all ${S} scenario${S === 1 ? '' : 's'}`);
      const byImportance = constraints
        .map((_, c) => c)
        .sort(
          (x, y) => context.model.effectiveWeights[y]! * a.meanScores[y]! - context.model.effectiveWeights[x]! * a.meanScores[x]! || x - y,
        );
      for (const c of byImportance.filter((c) => a.meanScores[c]! >= 0.7).slice(0, 2)) {
        positive.push(`Strong on '${constraints[c]!.name}' (${f2(a.meanScores[c]!)})`);
      }
      if (!free && a.R < COST_BANDS.lowBelow) positive.push(`Low resource cost (R=${f2(a.R)})`);

      for (const c of a.hardViolations)
        negative.push(`Breaks hard constraint '${constraints[c]!.name}' in ${S - a.satisfiedIn[c]!} of ${S} scenario${S === 1 ? '' : 's'}`);
      const byWeight = constraints.map((_, c) => c).sort((x, y) => constraints[y]!.weight - constraints[x]!.weight || x - y);
      const misses = byWeight.filter((c) => !isHard(constraints[c]!) && !isSatisfied(a.meanScores[c]!));
      for (const c of misses.slice(0, 2)) negative.push(`Misses '${constraints[c]!.name}' (${f2(a.meanScores[c]!)})`);
      const fragile = byWeight.find((c) => !isHard(constraints[c]!) && isSatisfied(a.meanScores[c]!) && a.firstFailure[c]! >= 0);
      if (fragile !== undefined) {
        negative.push(`Fails '${constraints[fragile]!.name}' under '${scenarios[a.firstFailure[fragile]!]!.name}'`);
      }
      if (!free && a.R >= COST_BANDS.highFrom) negative.push(`High resource cost (R=${f2(a.R)})`);
      return { positive: positive.slice(0, 4), negative: negative.slice(0, 4) };
    }

    await context.checkpoint();
    return ranked;
  }
}
