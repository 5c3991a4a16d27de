import { baselineConstraintScores, choicesToDesign, designKey, designToChoices, SpecError, type CompiledSpec, type Design } from './model';
import { streamFor, STREAM_SEARCH } from './prng';
import {
  EXHAUSTIVE_LIMIT,
  exhaustiveSearch,
  heuristicSearch,
  minDistanceFor,
  neighbourhoodSearch,
  poolSizeFor,
  selectDiverse,
  type SearchHooks,
} from './search';
import type { CandidateDraft, Designer, DesignOutput, StageContext } from './types';

const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
const formatScore = (score: number) => score.toFixed(2);

/** Dimensions ordered by how much their choice moves P₀ and R: the label names the ones that matter most. */
function dimensionsByImpact(model: CompiledSpec): number[] {
  const impact = model.dimensions.map((_, d) => {
    let valueLow = Infinity;
    let valueHigh = -Infinity;
    let shareLow = Infinity;
    let shareHigh = -Infinity;
    for (let o = 0; o < model.optionCounts[d]!; o++) {
      const g = model.offsets[d]! + o;
      valueLow = Math.min(valueLow, model.values[g]!);
      valueHigh = Math.max(valueHigh, model.values[g]!);
      shareLow = Math.min(shareLow, model.costShares[g]!);
      shareHigh = Math.max(shareHigh, model.costShares[g]!);
    }
    return valueHigh - valueLow + shareHigh - shareLow;
  });
  return model.dimensions.map((_, d) => d).sort((a, b) => impact[b]! - impact[a]! || a - b);
}

/**
 * Short labels from the options of the most impactful dimensions ("OPFS · React").
 * Where two designs would share a label, both get the next dimension they differ in,
 * until every label is unique.
 */
export function labelDesigns(model: CompiledSpec, designs: readonly Design[]): string[] {
  const order = dimensionsByImpact(model);
  const base = Math.min(2, order.length);
  const parts: number[][] = designs.map(() => order.slice(0, base));
  const render = (i: number) =>
    parts[i]!.map((d) => model.dimensions[d]!.options[designs[i]![d]!]!.name).join(' · ');
  for (let guard = 0; guard < model.dimensions.length; guard++) {
    const groups = new Map<string, number[]>();
    designs.forEach((_, i) => {
      const label = render(i);
      groups.set(label, [...(groups.get(label) ?? []), i]);
    });
    let collided = false;
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      collided = true;
      const first = members[0]!;
      const next = order.find(
        (d) => !parts[first]!.includes(d) && members.some((i) => designs[i]![d] !== designs[first]![d]),
      );
      if (next === undefined) continue;
      for (const i of members) parts[i]!.push(next);
    }
    if (!collided) break;
  }
  return designs.map((_, i) => render(i));
}

/** Above this many dimensions the mechanism names only the most impactful choices; the rest are in the choices table. */
const MECHANISM_MAX_PICKS = 5;

export function describeMechanism(model: CompiledSpec, design: Design): string {
  const order = model.dimensions.length > MECHANISM_MAX_PICKS ? dimensionsByImpact(model).slice(0, MECHANISM_MAX_PICKS) : model.dimensions.map((_, d) => d);
  const picks = order.map((d) => `${model.dimensions[d]!.options[design[d]!]!.name} for ${model.dimensions[d]!.name}`);
  const others = model.dimensions.length - order.length;
  if (others > 0) picks.push(`${others} other choice${others === 1 ? '' : 's'}`);
  const list = picks.length > 1 ? `${picks.slice(0, -1).join(', ')} and ${picks.at(-1)}` : picks[0]!;
  const scores = baselineConstraintScores(model, design);
  const ranked = model.constraints
    .map((constraint, c) => ({ name: constraint.name, score: scores[c]! }))
    .sort((a, b) => b.score - a.score);
  const strongest = ranked.slice(0, Math.min(2, ranked.length));
  const weakest = ranked.length > 2 ? ranked.at(-1) : undefined;
  let cost = 0;
  design.forEach((o, d) => (cost += model.costs[model.offsets[d]! + o]!));
  const sentences = [`Uses ${list}.`];
  sentences.push(
    `Strongest on ${strongest.map((s) => `'${s.name}' (${formatScore(s.score)})`).join(' and ')}` +
      (weakest ? `; weakest on '${weakest.name}' (${formatScore(weakest.score)}).` : '.'),
  );
  sentences.push(
    model.maxCost > 0
      ? `Total cost ${formatCount(cost)} of at most ${formatCount(model.maxCost)} (${Math.round((cost / model.maxCost) * 100)}%).`
      : 'No option in the design space has a cost.',
  );
  return sentences.join(' ');
}

function predictedEffects(model: CompiledSpec, design: Design): Record<string, number> {
  const scores = baselineConstraintScores(model, design);
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
  async design(context: StageContext): Promise<DesignOutput> {
    switch (context.input.mode) {
      case 'full_search':
        return this.fullSearch(context);
      case 'seeded':
        return this.seeded(context);
      case 'eval_only':
        return this.evalOnly(context);
    }
  }

  private draft(model: CompiledSpec, design: Design, label: string, extra: Pick<CandidateDraft, 'origin' | 'parentIds' | 'provenance'>): CandidateDraft {
    return {
      ...extra,
      label,
      mechanism: describeMechanism(model, design),
      choices: designToChoices(model, design),
      predictedEffects: predictedEffects(model, design),
    };
  }

  private async fullSearch(context: StageContext): Promise<DesignOutput> {
    const { model, input } = context;
    const n = input.config.numCandidates;
    const exhaustive = model.combinations <= EXHAUSTIVE_LIMIT;
    const result = exhaustive
      ? await exhaustiveSearch(model, poolSizeFor(n), hooksFor(context))
      : await heuristicSearch(model, n, streamFor(input.config.seed, STREAM_SEARCH), hooksFor(context));
    const picks = selectDiverse(result.pool, n, minDistanceFor(model.dimensions.length));
    const labels = labelDesigns(model, picks.map((pick) => pick.design));
    const how = exhaustive
      ? `Found by exhaustive search over ${formatCount(result.considered)} combinations`
      : `Found by beam search and local search (${formatCount(result.considered)} designs evaluated of about ${model.combinations.toExponential(1)})`;
    const candidates = picks.map((pick, i) =>
      this.draft(model, pick.design, labels[i]!, {
        origin: 'system',
        parentIds: [],
        provenance: [{ at: context.now, actor: 'system', summary: `${how}; search rank ${i + 1} of ${picks.length} diverse picks.` }],
      }),
    );
    return { candidates, combinationsConsidered: result.considered, searchStrategy: exhaustive ? 'exhaustive' : 'beam+local-search' };
  }

  private async seeded(context: StageContext): Promise<DesignOutput> {
    const { model, input } = context;
    const seed = input.seedCandidate;
    if (!seed) throw new SpecError('A seeded run needs a seed candidate from an earlier run.');
    const seedDesign = choicesToDesign(model, seed.choices, `Seed candidate '${seed.label}'`);
    const result = await neighbourhoodSearch(model, seedDesign, input.config.numCandidates, hooksFor(context));
    const picks = selectDiverse(result.pool, input.config.numCandidates, 2);
    const labels = labelDesigns(model, picks.map((pick) => pick.design));
    const candidates = picks.map((pick, i) =>
      this.draft(model, pick.design, labels[i]!, {
        origin: 'system',
        parentIds: [seed.id],
        provenance: [{ at: context.now, actor: 'system', summary: describeChanges(model, seedDesign, pick.design).join('; ') }],
      }),
    );
    return { candidates, combinationsConsidered: result.considered, searchStrategy: 'neighbourhood' };
  }

  private async evalOnly(context: StageContext): Promise<DesignOutput> {
    const { model, input } = context;
    const requested = input.config.evalCandidates ?? [];
    if (requested.length === 0) throw new SpecError('An eval_only run needs at least one candidate to evaluate.');
    const seen = new Set<string>();
    const picked: { design: Design; label?: string; source: string | null }[] = [];
    requested.forEach((entry, i) => {
      const name = entry.label ? `Candidate '${entry.label}'` : `Candidate ${i + 1}`;
      const design = choicesToDesign(model, entry.choices, name);
      const key = designKey(design);
      if (seen.has(key)) return;
      seen.add(key);
      picked.push({ design, label: entry.label, source: entry.sourceCandidateId ?? null });
    });
    const generated = labelDesigns(model, picked.map((p) => p.design));
    const candidates = picked.map((p, i) =>
      this.draft(model, p.design, p.label?.trim() || generated[i]!, {
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
    await context.checkpoint();
    return { candidates, combinationsConsidered: candidates.length, searchStrategy: 'eval_only' };
  }
}
