/**
 * The run summary posted to a run's origin chat when the run ends, and used
 * to seed the run's analysis chats. Pure and in the domain layer (not the
 * engine) because the db layer must build it inside the same transaction as
 * the run's terminal status write, and db may not import the engine.
 */
import type { Candidate, CandidateStatus } from './candidate';
import { metaOfKind, type RunSummaryMeta } from './messageMeta';
import { shortId } from './ids';
import type { Run, RunStatus } from './run';
import { isHard, type RunMode, type SpecContent } from './spec';

export const RUN_MODE_LABELS: Record<RunMode, string> = {
  full_search: 'full search',
  seeded: 'seeded',
  eval_only: 'evaluate only',
};

export interface RunSummaryCandidate {
  id: string;
  label: string;
  rank: number;
  status: CandidateStatus;
  P: number;
  R: number;
  I: number;
  /** Names of the hard constraints it breaks. */
  hardViolations: string[];
}

export interface HardViolationFinding {
  constraintId: string;
  name: string;
  /** How many of the run's candidates break it. */
  candidateCount: number;
}

export interface DecidingConstraint {
  constraintId: string;
  name: string;
  weight: number;
  scoreFirst: number;
  scoreSecond: number;
  /** Share of P by which this constraint puts #1 ahead of #2 (negative: it favours #2). */
  contribution: number;
}

export interface RunSummary {
  runId: string;
  mode: RunMode;
  status: RunStatus;
  counts: { candidates: number; scenarios: number; evaluations: number };
  durationMs: number | null;
  error: string | null;
  bestI: number | null;
  top: RunSummaryCandidate[];
  findings: {
    hardViolations: HardViolationFinding[];
    rejectedCount: number;
    /** #1 against #2 on I; null with fewer than two candidates. */
    margin: {
      firstLabel: string;
      secondLabel: string;
      firstI: number;
      secondI: number;
      percent: number | null;
      secondRejected: boolean;
    } | null;
    /** Constraints that separate #1 from #2 most, strongest first (at most 3). */
    decidingConstraints: DecidingConstraint[];
    /** R of #1 and #2 when cost, rather than P, explains most of the gap. */
    costDecided: { firstR: number; secondR: number } | null;
    /** Per weighted soft constraint: the whole weights over which #1 stays #1 (from run metrics; missing in older summaries). */
    sensitivity?: SensitivityFinding[];
    /** Designs left out as incompatible (null: not counted exactly; 0: none). */
    excludedDesigns?: number | null;
    /** False when #1 is dominated on (P, R) by another design the run scored. */
    firstOnFrontier?: boolean | null;
    /** The findings as sentences, in display order. */
    lines: string[];
  };
}

export type { RunSummaryMeta };

/** The meta's run summary when it is one that renders (its schema is in messageMeta.ts). */
export function readRunSummaryMeta(meta: unknown): RunSummaryMeta | null {
  return metaOfKind(meta, 'runSummary');
}

const f2 = (x: number) => x.toFixed(2);

export interface SensitivityFinding {
  constraintId: string;
  name: string;
  weight: number;
  low: number;
  high: number;
}

/** The weight range the sensitivity scans for a soft constraint (100 would make it hard). */
export const SENSITIVITY_MAX_WEIGHT = 99;

/** "#1 holds while 'Low cost' stays between 35 and 72 (now 50)." */
export function describeSensitivity(entry: Pick<SensitivityFinding, 'name' | 'weight' | 'low' | 'high'>): string {
  if (entry.low === 0 && entry.high === SENSITIVITY_MAX_WEIGHT)
    return `#1 holds for any weight of '${entry.name}' from 0 to ${SENSITIVITY_MAX_WEIGHT} (now ${entry.weight}).`;
  return `#1 holds while '${entry.name}' stays between ${entry.low} and ${entry.high} (now ${entry.weight}).`;
}

/** Equal up to float noise (the engine's ranker uses the same test for ties). */
function same(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

/** P weights as the engine uses them: a constraint's weight, or 1 each when every weight is 0 (docs/engine.md). */
function pWeights(spec: SpecContent): Map<string, number> {
  const anyWeight = spec.constraints.some((constraint) => constraint.weight > 0);
  return new Map(spec.constraints.map((constraint) => [constraint.id, anyWeight ? constraint.weight : 1]));
}

function decidingConstraints(spec: SpecContent, first: Candidate, second: Candidate): DecidingConstraint[] {
  const weights = pWeights(spec);
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0) || 1;
  return spec.constraints
    .map((constraint) => {
      const scoreFirst = first.scores.constraintSatisfaction[constraint.id]?.score ?? 0;
      const scoreSecond = second.scores.constraintSatisfaction[constraint.id]?.score ?? 0;
      return {
        constraintId: constraint.id,
        name: constraint.name,
        weight: constraint.weight,
        scoreFirst,
        scoreSecond,
        contribution: ((weights.get(constraint.id) ?? 0) / total) * (scoreFirst - scoreSecond),
      };
    })
    .filter((entry) => Math.abs(entry.contribution) >= 0.005)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, 3);
}

function percentAhead(first: number, second: number): number | null {
  if (!(second > 0)) return null;
  return Math.round((first / second - 1) * 100);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Mode, status, counts, duration, the top 3 and the key findings: hard
 * violations, the margin between #1 and #2, and which constraints decided it.
 * `candidates` may be in any order; an unfinished run may have none.
 */
export function buildRunSummary(run: Run, candidates: readonly Candidate[]): RunSummary {
  const spec = run.specSnapshot;
  const ranked = [...candidates].sort((a, b) => a.rank - b.rank);
  const names = new Map(spec.constraints.map((constraint) => [constraint.id, constraint.name]));
  const top = ranked.slice(0, 3).map(
    (candidate): RunSummaryCandidate => ({
      id: candidate.id,
      label: candidate.label,
      rank: candidate.rank,
      status: candidate.status,
      P: candidate.scores.P,
      R: candidate.scores.R,
      I: candidate.scores.I,
      hardViolations: candidate.hardViolations.map((id) => names.get(id) ?? id),
    }),
  );

  const violationCounts = new Map<string, number>();
  for (const candidate of ranked) for (const id of candidate.hardViolations) violationCounts.set(id, (violationCounts.get(id) ?? 0) + 1);
  const hardViolations = [...violationCounts]
    .map(([constraintId, candidateCount]) => ({ constraintId, name: names.get(constraintId) ?? constraintId, candidateCount }))
    .sort((a, b) => b.candidateCount - a.candidateCount || a.name.localeCompare(b.name));
  const rejectedCount = ranked.filter((candidate) => candidate.status === 'rejected').length;

  const lines: string[] = [];
  const [first, second] = ranked;
  let margin: RunSummary['findings']['margin'] = null;
  let deciding: DecidingConstraint[] = [];
  let costDecided: RunSummary['findings']['costDecided'] = null;

  if (ranked.length > 0) {
    const hardConstraints = spec.constraints.filter(isHard);
    if (hardViolations.length === 0) {
      lines.push(
        hardConstraints.length
          ? `No hard-constraint violations: every candidate meets ${hardConstraints.map((c) => `'${c.name}'`).join(', ')} in every scenario.`
          : 'No hard constraints in this spec (a weight of 100 makes one hard).',
      );
    } else {
      const parts = hardViolations.map((v) => `${plural(v.candidateCount, 'candidate')} break '${v.name}'`);
      lines.push(`Hard violations: ${parts.join('; ')}; ${plural(rejectedCount, 'candidate')} rejected.`);
    }
  }
  if (first && second) {
    const secondRejected = second.status === 'rejected' && first.status !== 'rejected';
    const percent = percentAhead(first.scores.I, second.scores.I);
    margin = {
      firstLabel: first.label,
      secondLabel: second.label,
      firstI: first.scores.I,
      secondI: second.scores.I,
      percent,
      secondRejected,
    };
    if (secondRejected) {
      lines.push(`#1 '${first.label}' (I=${f2(first.scores.I)}) is the only candidate without a hard violation.`);
    } else if (same(first.scores.I, second.scores.I)) {
      lines.push(
        same(first.scores.P, second.scores.P)
          ? `Margin: #1 '${first.label}' and #2 '${second.label}' are level on I (${f2(first.scores.I)}) and P (${f2(first.scores.P)}); design order decides.`
          : `Margin: #1 '${first.label}' and #2 '${second.label}' are level on I (${f2(first.scores.I)}); P breaks the tie (${f2(first.scores.P)} vs ${f2(second.scores.P)}).`,
      );
    } else if (percent === null) {
      lines.push(`Margin: #1 '${first.label}' (I=${f2(first.scores.I)}) leads #2 '${second.label}' (I=${f2(second.scores.I)}).`);
    } else if (percent === 0) {
      lines.push(
        `Margin: #1 '${first.label}' leads #2 '${second.label}' by less than 1% on I (${first.scores.I.toPrecision(4)} vs ${second.scores.I.toPrecision(4)}).`,
      );
    } else {
      lines.push(
        `Margin: #1 '${first.label}' leads #2 '${second.label}' by ${Math.abs(percent)}% on I (${f2(first.scores.I)} vs ${f2(second.scores.I)}).`,
      );
    }
    deciding = decidingConstraints(spec, first, second);
    // I1/I2 = (P1/P2)·(R2/R1): cost decided when the R factor outweighs the P factor.
    const pFactor = first.scores.P > 0 && second.scores.P > 0 ? Math.log(first.scores.P / second.scores.P) : 0;
    const rFactor = Math.log(second.scores.R / first.scores.R);
    if (rFactor > 0 && rFactor > pFactor) {
      costDecided = { firstR: first.scores.R, secondR: second.scores.R };
    }
    if (secondRejected) {
      const broken = second.hardViolations.map((id) => `'${names.get(id) ?? id}'`).join(', ');
      lines.push(`Decided by hard constraint ${broken}: #2 '${second.label}' breaks it.`);
    } else {
      const favour = deciding.filter((entry) => entry.contribution > 0);
      const against = deciding.filter((entry) => entry.contribution < 0);
      const parts: string[] = [];
      if (favour.length) parts.push(favour.map((e) => `'${e.name}' (${f2(e.scoreFirst)} vs ${f2(e.scoreSecond)})`).join(', '));
      if (costDecided) parts.push(`lower cost (R ${f2(costDecided.firstR)} vs ${f2(costDecided.secondR)})`);
      if (parts.length) lines.push(`Decided by: ${parts.join('; ')}.`);
      else {
        const alike = spec.constraints.every(
          (c) =>
            Math.abs((first.scores.constraintSatisfaction[c.id]?.score ?? 0) - (second.scores.constraintSatisfaction[c.id]?.score ?? 0)) <
            0.005,
        );
        lines.push(
          alike
            ? '#1 and #2 score alike on every constraint; the order comes from cost and tie-breaks.'
            : 'No weighted constraint separates #1 and #2 by 0.005 of P or more; the order comes from cost and tie-breaks.',
        );
      }
      if (against.length)
        lines.push(`#2 is stronger on ${against.map((e) => `'${e.name}' (${f2(e.scoreSecond)} vs ${f2(e.scoreFirst)})`).join(', ')}.`);
    }
  } else if (first) {
    lines.push(`Only one candidate: '${first.label}' (I=${f2(first.scores.I)}).`);
  }
  const firstOnFrontier = typeof run.metrics.firstOnFrontier === 'boolean' ? run.metrics.firstOnFrontier : null;
  if (first && firstOnFrontier === false) {
    lines.push(
      `#1 '${first.label}' is not on the Pareto frontier: another design the run scored has P at least as high and R at least as low.`,
    );
  }
  const sensitivity: SensitivityFinding[] = (run.metrics.sensitivity ?? []).map(({ constraintId, name, weight, low, high }) => ({
    constraintId,
    name,
    weight,
    low,
    high,
  }));
  if (first && second) {
    // The tightest intervals first: they say which weights the verdict hangs on.
    const tight = [...sensitivity].sort((a, b) => a.high - a.low - (b.high - b.low) || a.name.localeCompare(b.name)).slice(0, 3);
    for (const entry of tight) lines.push(describeSensitivity(entry));
  }
  const excludedDesigns =
    typeof run.metrics.excludedDesigns === 'number' ? run.metrics.excludedDesigns : run.metrics.excludedDesigns === null ? null : 0;
  if (excludedDesigns !== null && excludedDesigns > 0) {
    lines.push(
      `${excludedDesigns.toLocaleString('en-US')} design${excludedDesigns === 1 ? ' was' : 's were'} left out because ${excludedDesigns === 1 ? 'it picks' : 'they pick'} two incompatible options.`,
    );
  }

  return {
    runId: run.id,
    mode: run.mode,
    status: run.status,
    counts: { candidates: run.candidateCount, scenarios: run.scenarioCount, evaluations: run.evaluationCount },
    durationMs: run.durationMs,
    error: run.error,
    bestI: run.metrics.bestI,
    top,
    findings: {
      hardViolations,
      rejectedCount,
      margin,
      decidingConstraints: deciding,
      costDecided,
      sensitivity,
      excludedDesigns,
      firstOnFrontier,
      lines,
    },
  };
}

function formatDurationShort(ms: number | null): string {
  if (ms === null) return 'no duration';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

const STATUS_HEADLINES: Record<RunStatus, string> = {
  created: 'was created',
  running: 'is running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'was cancelled',
  interrupted: 'was interrupted',
};

/** The summary as message text (the card shows the same facts from the meta). */
export function formatRunSummary(summary: RunSummary): string {
  const head = `**Run ${shortId(summary.runId)} ${STATUS_HEADLINES[summary.status]}** (${RUN_MODE_LABELS[summary.mode]}): ${plural(summary.counts.candidates, 'candidate')}, ${plural(summary.counts.scenarios, 'scenario')}, ${plural(summary.counts.evaluations, 'evaluation')} in ${formatDurationShort(summary.durationMs)}.`;
  const parts = [head];
  if (summary.error) parts.push(`Error: ${summary.error}`);
  if (summary.top.length) {
    parts.push(
      [
        'Top candidates:',
        ...summary.top.map(
          (c) => `- #${c.rank} ${c.label}: I=${f2(c.I)} (P=${f2(c.P)}, R=${f2(c.R)})${c.status === 'rejected' ? ' — rejected' : ''}`,
        ),
      ].join('\n'),
    );
  }
  if (summary.findings.lines.length) parts.push(['Key findings:', ...summary.findings.lines.map((line) => `- ${line}`)].join('\n'));
  if (summary.status !== 'completed' && summary.top.length === 0) parts.push('No results were kept from this run.');
  return parts.join('\n\n');
}

/**
 * The message text next to the Run Summary card: one paragraph that still
 * reads on its own (exports, a client without the card), while the card
 * shows the top 3 and the findings from the meta.
 */
export function formatRunSummaryHeadline(summary: RunSummary): string {
  const head = `**Run ${shortId(summary.runId)} ${STATUS_HEADLINES[summary.status]}** (${RUN_MODE_LABELS[summary.mode]}): ${plural(summary.counts.candidates, 'candidate')}, ${plural(summary.counts.scenarios, 'scenario')}, ${plural(summary.counts.evaluations, 'evaluation')} in ${formatDurationShort(summary.durationMs)}.`;
  const best = summary.top[0];
  if (best && best.status !== 'rejected') return `${head} Best: ${best.label} (I=${f2(best.I)}).`;
  if (summary.error) return `${head} ${summary.error}`;
  return head;
}

export function runSummaryMeta(run: Run, candidates: readonly Candidate[]): { content: string; meta: RunSummaryMeta } {
  const summary = buildRunSummary(run, candidates);
  return { content: formatRunSummaryHeadline(summary), meta: { kind: 'runSummary', runId: run.id, projectId: run.projectId, summary } };
}
