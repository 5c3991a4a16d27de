import { buildTables, BASELINE_SCENARIO, scoreInScenario, type ScenarioTables } from './objective';
import { choicesToDesign, designKey, designToChoices, incompatibilityIn, SpecError, type CompiledSpec, type Design } from './model';
import { streamFor, STREAM_SEARCH } from './prng';
import {
  countIncompatibleDesigns,
  EXHAUSTIVE_LIMIT,
  exhaustiveSearch,
  frontierOf,
  heuristicSearch,
  isCompatible,
  minDistanceFor,
  neighbourhoodSearch,
  poolSizeFor,
  scoreForSearch,
  selectDiverse,
  type PoolResult,
  type ScoredDesign,
  type SearchHooks,
} from './search';
import type { CandidateDraft, Designer, DesignOutput, ScenarioDraft, StageContext } from './types';

const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
const formatScore = (score: number) => score.toFixed(2);

/** A cost for a sentence: whole numbers stay whole, others keep up to 2 decimals (0.3 is never "0"). */
export function formatCost(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const rounded = Math.round(x * 100) / 100;
  return rounded === 0 ? String(Number(x.toPrecision(2))) : rounded.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Option names that say nothing without their dimension ("None", "Basic"). */
const GENERIC_NAMES = new Set([
  'none',
  'no',
  'yes',
  'other',
  'default',
  'standard',
  'basic',
  'off',
  'on',
  'n/a',
  'custom',
  'low',
  'medium',
  'high',
  'simple',
  'full',
  'partial',
  'manual',
  'auto',
  'automatic',
]);

/**
 * Label parts per option, from the spec alone: the option's name, as "Dimension: Name"
 * when the name alone is ambiguous (used in another dimension, generic like "None", or
 * repeated in its own dimension — then also numbered "(2)").
 */
function optionLabels(model: CompiledSpec): string[][] {
  const byName = new Map<string, Set<number>>();
  model.dimensions.forEach((dimension, d) =>
    dimension.options.forEach((option) => {
      const key = option.name.trim().toLowerCase();
      byName.set(key, (byName.get(key) ?? new Set()).add(d));
    }),
  );
  return model.dimensions.map((dimension, d) => {
    const seen = new Map<string, number>();
    return dimension.options.map((option) => {
      const key = option.name.trim().toLowerCase();
      const repeats = dimension.options.filter((other) => other.name.trim().toLowerCase() === key).length;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      const ambiguous = (byName.get(key)?.size ?? 0) > 1 || GENERIC_NAMES.has(key) || repeats > 1;
      const base = ambiguous ? `${dimension.name}: ${option.name}` : option.name;
      void d;
      return repeats > 1 ? `${base} (${nth})` : base;
    });
  });
}

/**
 * A design's label, from the design and the spec only (so the same design has the same
 * label in every run): every dimension that has a choice to make, in spec order, joined
 * with " · " ("NMC · 12S2P · Thermal: None · Smart BMS"). Distinct designs get distinct labels.
 */
export function labelDesign(model: CompiledSpec, design: Design, labels: string[][] = optionLabels(model)): string {
  const choosing = model.dimensions.map((_, d) => d).filter((d) => model.optionCounts[d]! > 1);
  const shown = choosing.length > 0 ? choosing : model.dimensions.map((_, d) => d);
  return shown.map((d) => labels[d]![design[d]!]!).join(' · ');
}

export function labelDesigns(model: CompiledSpec, designs: readonly Design[]): string[] {
  const labels = optionLabels(model);
  return designs.map((design) => labelDesign(model, design, labels));
}

/** Makes labels unique within a run by numbering repeats ("My pick (2)"); unique labels stay as they are. */
export function uniqueLabels(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const used = new Set(labels.filter((label) => counts.get(label) === 1));
  const seen = new Map<string, number>();
  return labels.map((label) => {
    if (counts.get(label) === 1) return label;
    let n = seen.get(label) ?? 0;
    let candidate: string;
    do {
      n++;
      candidate = n === 1 ? label : `${label} (${n})`;
    } while (used.has(candidate));
    seen.set(label, n);
    used.add(candidate);
    return candidate;
  });
}

/** Dimensions ordered by how much their choice moves baseline P and R (for long mechanisms). */
function dimensionsByImpact(model: CompiledSpec, tables: ScenarioTables): number[] {
  const C = model.constraints.length;
  const impact = model.dimensions.map((_, d) => {
    let low = Infinity;
    let high = -Infinity;
    let shareLow = Infinity;
    let shareHigh = -Infinity;
    for (let o = 0; o < model.optionCounts[d]!; o++) {
      const g = model.offsets[d]! + o;
      let value = 0;
      for (let c = 0; c < C; c++) if (model.relevant[d * C + c]) value += tables.coefficients[c]! * tables.ratings[g * C + c]!;
      low = Math.min(low, value);
      high = Math.max(high, value);
      shareLow = Math.min(shareLow, model.costShares[g]!);
      shareHigh = Math.max(shareHigh, model.costShares[g]!);
    }
    return high - low + shareHigh - shareLow;
  });
  return model.dimensions.map((_, d) => d).sort((a, b) => impact[b]! - impact[a]! || a - b);
}

/** Above this many dimensions the mechanism names only the most impactful choices; the rest are in the choices table. */
const MECHANISM_MAX_PICKS = 5;

/** Baseline (no scenario) scores per constraint: the candidate's predicted effects. */
export function baselineConstraintScores(
  model: CompiledSpec,
  design: Design,
  tables: ScenarioTables = buildTables(model, [BASELINE_SCENARIO]),
): number[] {
  return scoreInScenario(model, tables, 0, design).scores;
}

export function describeMechanism(
  model: CompiledSpec,
  design: Design,
  tables: ScenarioTables = buildTables(model, [BASELINE_SCENARIO]),
): string {
  const order =
    model.dimensions.length > MECHANISM_MAX_PICKS
      ? dimensionsByImpact(model, tables).slice(0, MECHANISM_MAX_PICKS)
      : model.dimensions.map((_, d) => d);
  const picks = order.map((d) => `${model.dimensions[d]!.options[design[d]!]!.name} for ${model.dimensions[d]!.name}`);
  const others = model.dimensions.length - order.length;
  if (others > 0) picks.push(`${others} other choice${others === 1 ? '' : 's'}`);
  const list = picks.length > 1 ? `${picks.slice(0, -1).join(', ')} and ${picks.at(-1)}` : picks[0]!;
  const scores = baselineConstraintScores(model, design, tables);
  const ranked = model.constraints.map((constraint, c) => ({ name: constraint.name, score: scores[c]! })).sort((a, b) => b.score - a.score);
  const strongest = ranked.slice(0, Math.min(2, ranked.length));
  const weakest = ranked.length > 2 ? ranked.at(-1) : undefined;
  let cost = 0;
  design.forEach((o, d) => (cost += model.costs[model.offsets[d]! + o]!));
  const sentences = [`Uses ${list}.`];
  sentences.push(
    `Strongest on ${strongest.map((s) => `'${s.name}' (${formatScore(s.score)})`).join(' and ')}` +
      (weakest ? `; weakest on '${weakest.name}' (${formatScore(weakest.score)}).` : '.'),
  );
  const costAttribute = model.costAttributeIndex >= 0 ? model.attributes[model.costAttributeIndex]! : null;
  const unit = costAttribute?.unit ? ` ${costAttribute.unit}` : '';
  const what = costAttribute ? `Total ${costAttribute.name.toLowerCase()}` : 'Total cost';
  sentences.push(
    model.maxCost > 0
      ? `${what} ${formatCost(cost)}${unit} of at most ${formatCost(model.maxCost)}${unit} (${Math.round((cost / model.maxCost) * 100)}%).`
      : 'No option in the design space has a cost.',
  );
  return sentences.join(' ');
}

function predictedEffects(model: CompiledSpec, design: Design, tables: ScenarioTables): Record<string, number> {
  const scores = baselineConstraintScores(model, design, tables);
  return Object.fromEntries(model.constraints.map((constraint, c) => [constraint.id, Math.round(scores[c]! * 1000) / 1000]));
}

/** "Storage: IndexedDB → OPFS" for every dimension where `to` differs from `from`. */
export function describeChanges(model: CompiledSpec, from: Design, to: Design): string[] {
  return model.dimensions.flatMap((dimension, d) =>
    from[d] === to[d] ? [] : [`${dimension.name}: ${dimension.options[from[d]!]!.name} → ${dimension.options[to[d]!]!.name}`],
  );
}

function hooksFor(context: StageContext): SearchHooks {
  return { checkpoint: () => context.checkpoint(), progress: (fraction, message) => context.progress(fraction, message) };
}

/** The deterministic built-in designer for all three run modes. */
export class BuiltInDesigner implements Designer {
  async design(context: StageContext, scenarios: ScenarioDraft[] = []): Promise<DesignOutput> {
    const tables = buildTables(context.model, scenarios.length > 0 ? scenarios : [BASELINE_SCENARIO]);
    const baseline = buildTables(context.model, [BASELINE_SCENARIO]);
    switch (context.input.mode) {
      case 'full_search':
        return this.fullSearch(context, tables, baseline);
      case 'seeded':
        return this.seeded(context, tables, baseline);
      case 'eval_only':
        return this.evalOnly(context, tables, baseline);
    }
  }

  private draft(
    model: CompiledSpec,
    baseline: ScenarioTables,
    design: Design,
    label: string,
    extra: Pick<CandidateDraft, 'origin' | 'parentIds' | 'provenance'>,
  ): CandidateDraft {
    return {
      ...extra,
      label,
      mechanism: describeMechanism(model, design, baseline),
      choices: designToChoices(model, design),
      predictedEffects: predictedEffects(model, design, baseline),
    };
  }

  private output(result: PoolResult, candidates: CandidateDraft[], searchStrategy: string): DesignOutput {
    return {
      candidates,
      combinationsConsidered: result.considered,
      searchStrategy,
      frontier: result.frontier.map((entry) => ({ P: entry.P, R: entry.R, I: entry.I })),
      excludedByIncompatibility: result.excludedByIncompatibility,
    };
  }

  private async fullSearch(context: StageContext, tables: ScenarioTables, baseline: ScenarioTables): Promise<DesignOutput> {
    const { model, input } = context;
    const n = input.config.numCandidates;
    const exhaustive = model.combinations <= EXHAUSTIVE_LIMIT;
    const result = exhaustive
      ? await exhaustiveSearch(model, tables, poolSizeFor(n), hooksFor(context))
      : await heuristicSearch(model, tables, n, streamFor(input.config.seed, STREAM_SEARCH), hooksFor(context));
    if (exhaustive && model.incompatiblePairs.length > 0 && result.excludedByIncompatibility === null)
      result.excludedByIncompatibility = countIncompatibleDesigns(model);
    if (result.pool.length === 0)
      throw new SpecError('Every design picks two options marked incompatible, so there is nothing to propose: remove an incompatibility.');
    const picks = selectDiverse(result.pool, n, minDistanceFor(model.dimensions.length), result.frontier);
    const labels = labelDesigns(
      model,
      picks.map((pick) => pick.design),
    );
    const how = exhaustive
      ? `Found by exhaustive search over ${formatCount(result.considered)} compatible combinations`
      : `Found by pruning, beam search and local search (${formatCount(result.considered)} designs evaluated of about ${model.combinations.toExponential(1)})`;
    const candidates = picks.map((pick, i) =>
      this.draft(model, baseline, pick.design, labels[i]!, {
        origin: 'system',
        parentIds: [],
        provenance: [
          {
            at: context.now,
            actor: 'system',
            summary: `${how}; search rank ${i + 1} of ${picks.length} picks (Pareto-frontier designs first).`,
          },
        ],
      }),
    );
    return this.output(result, candidates, exhaustive ? 'exhaustive' : 'beam+local-search');
  }

  private async seeded(context: StageContext, tables: ScenarioTables, baseline: ScenarioTables): Promise<DesignOutput> {
    const { model, input } = context;
    const seed = input.seedCandidate;
    if (!seed) throw new SpecError('A seeded run needs a seed candidate from an earlier run.');
    const seedDesign = choicesToDesign(model, seed.choices, `Seed candidate '${seed.label}'`);
    const result = await neighbourhoodSearch(model, tables, seedDesign, input.config.numCandidates, hooksFor(context));
    if (result.pool.length === 0)
      throw new SpecError(`Every design near seed candidate '${seed.label}' picks two options marked incompatible.`);
    const picks = selectDiverse(result.pool, input.config.numCandidates, 2, result.frontier);
    const labels = labelDesigns(
      model,
      picks.map((pick) => pick.design),
    );
    const candidates = picks.map((pick, i) =>
      this.draft(model, baseline, pick.design, labels[i]!, {
        origin: 'system',
        parentIds: [seed.id],
        provenance: [
          {
            at: context.now,
            actor: 'system',
            summary:
              describeChanges(model, seedDesign, pick.design).join('; ') ||
              'The seed itself: the design space has no other compatible design near it.',
          },
        ],
      }),
    );
    return this.output(result, candidates, 'neighbourhood');
  }

  private async evalOnly(context: StageContext, tables: ScenarioTables, baseline: ScenarioTables): Promise<DesignOutput> {
    const { model, input } = context;
    const requested = input.config.evalCandidates ?? [];
    if (requested.length === 0) throw new SpecError('An eval_only run needs at least one candidate to evaluate.');
    const seen = new Set<string>();
    const picked: { design: Design; label?: string; source: string | null }[] = [];
    requested.forEach((entry, i) => {
      const name = entry.label ? `Candidate '${entry.label}'` : `Candidate ${i + 1}`;
      const design = choicesToDesign(model, entry.choices, name);
      if (!isCompatible(model, design))
        throw new SpecError(
          `${name} cannot be evaluated: ${incompatibilityIn(model, entry.choices) ?? 'it picks two incompatible options'}.`,
        );
      const key = designKey(design);
      if (seen.has(key)) return;
      seen.add(key);
      picked.push({ design, label: entry.label, source: entry.sourceCandidateId ?? null });
    });
    const generated = labelDesigns(
      model,
      picked.map((p) => p.design),
    );
    const labels = uniqueLabels(picked.map((p, i) => p.label?.trim() || generated[i]!));
    const candidates = picked.map((p, i) =>
      this.draft(model, baseline, p.design, labels[i]!, {
        origin: 'user',
        parentIds: p.source ? [p.source] : [],
        provenance: [
          {
            at: context.now,
            actor: 'user',
            summary: p.source ? 'Picked from an earlier run for re-evaluation.' : 'Composed by hand: one option for each dimension.',
          },
        ],
      }),
    );
    const scored: ScoredDesign[] = picked.map((p) => scoreForSearch(model, tables, p.design));
    await context.checkpoint();
    return this.output(
      { pool: scored, considered: candidates.length, frontier: frontierOf(scored), excludedByIncompatibility: null },
      candidates,
      'eval_only',
    );
  }
}
