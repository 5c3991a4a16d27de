import {
  EngineError,
  newId as defaultNewId,
  runConfigSchema,
  type Candidate,
  type Evaluation,
  type RunMetrics,
  type Scenario,
  type StageImplementations,
} from '../domain';
import { BuiltInDesigner } from './designer';
import { BuiltInEvaluator } from './evaluator';
import { compileSpec, SpecError } from './model';
import { clamp01 } from './objective';
import { dominatedMarks } from './pareto';
import { BuiltInRanker } from './ranker';
import { frontierOf, thinFrontier } from './search';
import { weightSensitivity } from './sensitivity';
import { BuiltInScenarioGenerator, ProvidedScenarioGenerator } from './scenarios';
import {
  CancelledError,
  type PipelineInput,
  type PipelineStage,
  type PipelineStages,
  type ProgressEvent,
  type StageContext,
} from './types';

export interface PipelineOptions {
  onProgress?: (event: ProgressEvent) => void;
  isCancelled?: () => boolean;
  /** Replace any built-in stage (e.g. with a language-model one). */
  stages?: Partial<PipelineStages>;
  /** Id factory; tests inject a counter so two runs compare equal. */
  newId?: () => string;
  /** Clock for provenance timestamps. */
  now?: () => number;
  /** Yield to the event loop after this much uninterrupted work; 0 yields at every checkpoint. */
  yieldEveryMs?: number;
}

export interface PipelineResult {
  candidates: Candidate[];
  scenarios: Scenario[];
  evaluations: Evaluation[];
  metrics: RunMetrics;
  durationMs: number;
}

export const DEFAULT_YIELD_EVERY_MS = 20;

function frontierFromCandidates(candidates: readonly Candidate[]): { P: number; R: number; I: number }[] {
  return frontierOf(
    candidates.map((c) => ({
      design: [],
      key: c.scores.I,
      P: c.scores.P,
      R: c.scores.R,
      I: c.scores.I,
      hardViolation: c.hardViolations.length > 0,
    })),
  ).map((entry) => ({ P: entry.P, R: entry.R, I: entry.I }));
}

/** Share of the overall progress bar each stage occupies; the search dominates. */
const STAGE_SPANS: Record<PipelineStage, [number, number]> = {
  scenarios: [0, 0.05],
  design: [0.05, 0.75],
  evaluate: [0.75, 0.95],
  rank: [0.95, 1],
};

export function builtInStages(): PipelineStages {
  return {
    designer: new BuiltInDesigner(),
    scenarioGenerator: new BuiltInScenarioGenerator(),
    evaluator: new BuiltInEvaluator(),
    ranker: new BuiltInRanker(),
  };
}

/**
 * A macrotask yield. In browsers and workers MessageChannel avoids the 4 ms
 * clamp nested setTimeout gets (~20% extra on a run that yields every 20 ms).
 * Node drains a port's queue before its timers, so there setImmediate is used:
 * it lets timers and I/O (the host's cancel) run between slices.
 */
function createYielder(): { yieldNow: () => Promise<void>; close: () => void } {
  const setImmediateFn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof setImmediateFn === 'function') {
    return { yieldNow: () => new Promise<void>((resolve) => setImmediateFn(resolve)), close: () => {} };
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return {
      yieldNow: () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(null);
        }),
      close: () => {
        channel.port1.onmessage = null;
        channel.port1.close();
        channel.port2.close();
        for (const resolve of waiting.splice(0)) resolve();
      },
    };
  }
  return { yieldNow: () => new Promise<void>((resolve) => setTimeout(resolve, 0)), close: () => {} };
}

/**
 * Designers → ScenarioGenerator → Evaluators → I-Ranker over the given spec.
 * Async and cooperative: it yields every ~20 ms so the host (a worker) can
 * process a cancel message, and rejects with CancelledError once isCancelled() is true.
 * Deterministic for a given spec, mode, config (incl. seed), id factory and clock.
 */
export async function runPipeline(input: PipelineInput, options: PipelineOptions = {}): Promise<PipelineResult> {
  const started = performance.now();
  const makeId = options.newId ?? defaultNewId;
  const defaults = builtInStages();
  if (input.providedScenarios) defaults.scenarioGenerator = new ProvidedScenarioGenerator();
  const stages = { ...defaults, ...options.stages };
  const builtIn = { kind: 'built-in' } as const;
  const stageImplementations: StageImplementations = {
    designer: input.stageImplementations?.designer ?? builtIn,
    scenarioGenerator: input.stageImplementations?.scenarioGenerator ?? builtIn,
    evaluator: input.stageImplementations?.evaluator ?? builtIn,
    ranker: input.stageImplementations?.ranker ?? builtIn,
  };
  const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
  const isCancelled = options.isCancelled ?? (() => false);
  const now = (options.now ?? Date.now)();

  const parsedConfig = runConfigSchema.safeParse(input.config);
  if (!parsedConfig.success) {
    const issue = parsedConfig.error.issues[0];
    throw new SpecError(`Run settings are invalid: ${issue?.path.join('.') || 'config'} ${issue?.message ?? ''}`.trim());
  }
  const model = compileSpec(input.spec);

  const { yieldNow, close } = createYielder();
  let lastYield = performance.now();
  let lastReported: ProgressEvent | null = null;
  const report = (stage: PipelineStage, withinStage: number, message: string) => {
    const [from, to] = STAGE_SPANS[stage];
    const fraction = Math.min(1, Math.max(0, from + (to - from) * Math.min(1, Math.max(0, withinStage))));
    // At most ~100 events per run: a new stage, or another percent.
    if (lastReported && lastReported.stage === stage && fraction < lastReported.fraction + 0.01 && fraction < 1) return;
    lastReported = { stage, fraction, message };
    options.onProgress?.(lastReported);
  };
  const checkpoint = async () => {
    if (isCancelled()) throw new CancelledError();
    if (performance.now() - lastYield >= yieldEveryMs) {
      await yieldNow();
      lastYield = performance.now();
      if (isCancelled()) throw new CancelledError();
    }
  };
  const contextFor = (stage: PipelineStage): StageContext => ({
    input: { ...input, config: parsedConfig.data },
    model,
    now,
    progress: (fraction, message) => report(stage, fraction, message),
    checkpoint,
  });
  const timings: Record<PipelineStage, number> = { scenarios: 0, design: 0, evaluate: 0, rank: 0 };
  const timed = async <T>(stage: PipelineStage, message: string, work: (context: StageContext) => Promise<T>): Promise<T> => {
    const context = contextFor(stage);
    report(stage, 0, message);
    await checkpoint();
    const begin = performance.now();
    const result = await work(context);
    timings[stage] = Math.round((performance.now() - begin) * 10) / 10;
    return result;
  };

  try {
    const scenarioDrafts = await timed('scenarios', 'Generating scenarios', (context) => stages.scenarioGenerator.generate(context));
    if (scenarioDrafts.length === 0) throw new SpecError('The scenario generator produced no scenarios.');
    const design = await timed('design', 'Designing candidates', (context) => stages.designer.design(context, scenarioDrafts));
    if (design.candidates.length === 0) throw new SpecError('The designer produced no candidates.');
    const evaluationDrafts = await timed('evaluate', 'Evaluating candidates', (context) =>
      stages.evaluator.evaluate(context, design.candidates, scenarioDrafts),
    );
    const ranked = await timed('rank', 'Ranking candidates', (context) =>
      stages.ranker.rank(context, design.candidates, scenarioDrafts, evaluationDrafts),
    );

    const scenarios: Scenario[] = scenarioDrafts.map((draft) => ({
      id: makeId(),
      runId: input.runId,
      projectId: input.projectId,
      ...draft,
    }));
    const candidateIds = design.candidates.map(() => makeId());
    const rankedByCandidate = new Map(ranked.map((entry) => [entry.candidateIndex, entry]));
    const candidates: Candidate[] = design.candidates.map((draft, i) => {
      const ranking = rankedByCandidate.get(i);
      if (!ranking) throw new EngineError('invariant_broken', { what: `the ranker left out candidate '${draft.label}'` });
      return {
        id: candidateIds[i]!,
        runId: input.runId,
        projectId: input.projectId,
        origin: draft.origin,
        label: draft.label,
        mechanism: draft.mechanism,
        choices: draft.choices,
        predictedEffects: draft.predictedEffects,
        scores: ranking.scores,
        rank: ranking.rank,
        status: ranking.status,
        rankingExplanation: ranking.rankingExplanation,
        rankingFactors: ranking.rankingFactors,
        hardViolations: ranking.hardViolations,
        parentIds: draft.parentIds,
        provenance: draft.provenance,
      };
    });
    candidates.sort((a, b) => a.rank - b.rank);

    // Pareto marks against every design the search scored (feasible ones first), and the other candidates.
    const viableCandidates = candidates.filter((candidate) => candidate.status !== 'rejected');
    const candidatePoints = candidates.map((candidate) => ({ P: candidate.scores.P, R: candidate.scores.R }));
    const frontier = design.frontier ?? frontierFromCandidates(candidates);
    const against = [
      ...frontier,
      ...(viableCandidates.length > 0 ? viableCandidates : candidates).map((c) => ({ P: c.scores.P, R: c.scores.R })),
    ];
    const marks = dominatedMarks(candidatePoints, against).map((mark, i) =>
      candidates[i]!.status === 'rejected' && viableCandidates.length > 0 ? true : mark,
    );
    candidates.forEach((candidate, i) => (candidate.dominated = marks[i]!));

    const sensitivity = weightSensitivity(
      model.constraints,
      scenarioDrafts,
      design.candidates.map((draft, i) => {
        const own = evaluationDrafts.filter((e) => e.candidateIndex === i).sort((x, y) => x.scenarioIndex - y.scenarioIndex);
        return {
          label: draft.label,
          index: i,
          hardViolation: (rankedByCandidate.get(i)?.hardViolations.length ?? 0) > 0,
          perScenario: own.map((e) => ({ scores: model.constraints.map((c) => e.constraintSatisfaction[c.id]?.score ?? 0), R: e.R })),
        };
      }),
    );
    const evaluations: Evaluation[] = evaluationDrafts.map((draft) => ({
      id: makeId(),
      runId: input.runId,
      projectId: input.projectId,
      candidateId: candidateIds[draft.candidateIndex]!,
      scenarioId: scenarios[draft.scenarioIndex]!.id,
      P: draft.P,
      R: draft.R,
      constraintSatisfaction: draft.constraintSatisfaction,
      explanation: draft.explanation,
    }));
    const viable = candidates.filter((candidate) => candidate.status !== 'rejected');
    const metrics: RunMetrics = {
      phaseTimingsMs: { ...timings },
      bestI: viable.length > 0 ? Math.max(...viable.map((candidate) => candidate.scores.I)) : null,
      combinationsConsidered: design.combinationsConsidered,
      searchStrategy: design.searchStrategy,
      stages: stageImplementations,
      frontier: thinFrontier([...frontier].sort((a, b) => a.R - b.R)).map((point) => ({
        P: clamp01(point.P),
        R: point.R,
        I: point.P / point.R,
      })),
      excludedDesigns: design.excludedByIncompatibility ?? (model.incompatiblePairs.length === 0 ? 0 : null),
      firstOnFrontier: candidates[0] ? !candidates[0].dominated : null,
      sensitivity,
    };
    report('rank', 1, 'Done');
    return { candidates, scenarios, evaluations, metrics, durationMs: Math.round(performance.now() - started) };
  } finally {
    close();
  }
}
