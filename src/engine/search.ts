/**
 * Design-space search on the baseline objective (see docs/engine.md):
 *   P₀(design) = Σ_d values[g_d]            (linear in the choices)
 *   R(design)  = max(R_FLOOR, Σ_d costShares[g_d])   (1 when nothing costs anything)
 *   key        = P₀ / R, minus a large penalty when a hard constraint's baseline score is < 0.5
 * Exhaustive enumeration up to EXHAUSTIVE_LIMIT combinations, beam search +
 * hill climbing above that; both feed a pool that selectDiverse() picks from.
 */
import { baselineScore, R_FLOOR, type CompiledSpec, type Design } from './model';
import type { Random } from './prng';

/** "About a million": 10 dimensions × 4 options (1,048,576) is still searched exhaustively. */
export const EXHAUSTIVE_LIMIT = 1_200_000;
/** Subtracted from the key of designs that break a hard constraint, so they sort after every valid one. */
export const VIOLATION_PENALTY = 1e6;

export interface ScoredDesign {
  design: number[];
  key: number;
  P: number;
  R: number;
  I: number;
  hardViolation: boolean;
}

export interface SearchHooks {
  /** Yields / throws on cancel; see StageContext.checkpoint. */
  checkpoint(): Promise<void>;
  progress(fraction: number, message: string): void;
}

export interface PoolResult {
  pool: ScoredDesign[];
  considered: number;
}

export function searchKey(I: number, hardViolation: boolean): number {
  return hardViolation ? I - VIOLATION_PENALTY : I;
}

function scored(model: CompiledSpec, design: number[]): ScoredDesign {
  const score = baselineScore(model, design);
  return { design, key: searchKey(score.I, score.hardViolation), ...score };
}

export function compareScored(a: ScoredDesign, b: ScoredDesign): number {
  if (a.key !== b.key) return b.key - a.key;
  for (let d = 0; d < a.design.length; d++) {
    if (a.design[d] !== b.design[d]) return a.design[d]! - b.design[d]!;
  }
  return 0;
}

/** How many dimensions two chosen candidates should differ in: ⌈D/4⌉, between 1 and 3. */
export function minDistanceFor(dimensionCount: number): number {
  return Math.min(3, Math.max(1, Math.ceil(dimensionCount / 4)));
}

export function hamming(a: Design, b: Design): number {
  let distance = 0;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) distance++;
  return distance;
}

/**
 * Greedy diverse pick from a best-first pool: take designs in order that
 * differ from every pick so far in ≥ minDistance dimensions; if that leaves
 * fewer than n, relax the distance one step at a time down to 1 (no duplicates).
 */
export function selectDiverse(pool: readonly ScoredDesign[], n: number, minDistance: number): ScoredDesign[] {
  const selected: ScoredDesign[] = [];
  const used = new Uint8Array(pool.length);
  for (let distance = minDistance; distance >= 1 && selected.length < n; distance--) {
    for (let i = 0; i < pool.length && selected.length < n; i++) {
      if (used[i]) continue;
      const entry = pool[i]!;
      if (selected.every((pick) => hamming(pick.design, entry.design) >= distance)) {
        selected.push(entry);
        used[i] = 1;
      }
    }
  }
  return selected.sort(compareScored);
}

/** Pool size: generous enough that the diverse pick has far-apart designs to choose from. */
export function poolSizeFor(numCandidates: number): number {
  return Math.min(10_000, Math.max(2_000, numCandidates * 200));
}

/**
 * Every combination, enumerated as an odometer (last dimension fastest) with
 * prefix sums per depth, so each leaf costs O(hard constraints). The best
 * `poolSize` designs are kept in a min-heap keyed by search key.
 */
export async function exhaustiveSearch(model: CompiledSpec, poolSize: number, hooks: SearchHooks): Promise<PoolResult> {
  const D = model.dimensions.length;
  const H = model.hardIndexes.length;
  const { offsets, optionCounts, values, costShares, hardRatings } = model;
  const total = model.combinations;
  const freeDesigns = model.maxCost <= 0;
  const hardThresholdSum = 0.5 * D - 1e-9 * D;

  const heapKeys = new Float64Array(poolSize);
  const heapIds = new Float64Array(poolSize);
  let heapSize = 0;
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      // Worst first: lower key, or on equal keys the later combination.
      if (left < heapSize && (heapKeys[left]! < heapKeys[smallest]! || (heapKeys[left] === heapKeys[smallest] && heapIds[left]! > heapIds[smallest]!))) smallest = left;
      if (right < heapSize && (heapKeys[right]! < heapKeys[smallest]! || (heapKeys[right] === heapKeys[smallest] && heapIds[right]! > heapIds[smallest]!))) smallest = right;
      if (smallest === i) return;
      const k = heapKeys[i]!;
      const id = heapIds[i]!;
      heapKeys[i] = heapKeys[smallest]!;
      heapIds[i] = heapIds[smallest]!;
      heapKeys[smallest] = k;
      heapIds[smallest] = id;
      i = smallest;
    }
  };
  const siftUp = (start: number) => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const worse = heapKeys[i]! < heapKeys[parent]! || (heapKeys[i] === heapKeys[parent] && heapIds[i]! > heapIds[parent]!);
      if (!worse) return;
      const k = heapKeys[i]!;
      const id = heapIds[i]!;
      heapKeys[i] = heapKeys[parent]!;
      heapIds[i] = heapIds[parent]!;
      heapKeys[parent] = k;
      heapIds[parent] = id;
      i = parent;
    }
  };

  const index = new Int32Array(D);
  const prefixValue = new Float64Array(D + 1);
  const prefixShare = new Float64Array(D + 1);
  const prefixHard = new Float64Array((D + 1) * H);
  const fillPrefixes = (from: number) => {
    for (let k = from; k < D - 1; k++) {
      const g = offsets[k]! + index[k]!;
      prefixValue[k + 1] = prefixValue[k]! + values[g]!;
      prefixShare[k + 1] = prefixShare[k]! + costShares[g]!;
      for (let h = 0; h < H; h++) prefixHard[(k + 1) * H + h] = prefixHard[k * H + h]! + hardRatings[g * H + h]!;
    }
  };
  fillPrefixes(0);

  const last = D - 1;
  const lastOffset = offsets[last]!;
  const lastCount = optionCounts[last]!;
  let combo = 0;
  let batches = 0;
  for (;;) {
    const baseValue = prefixValue[last]!;
    const baseShare = prefixShare[last]!;
    const hardBase = last * H;
    for (let o = 0; o < lastCount; o++, combo++) {
      const g = lastOffset + o;
      const P = baseValue + values[g]!;
      const share = baseShare + costShares[g]!;
      const R = freeDesigns ? 1 : share > R_FLOOR ? share : R_FLOOR;
      let key = P / R;
      for (let h = 0; h < H; h++) {
        if (prefixHard[hardBase + h]! + hardRatings[g * H + h]! < hardThresholdSum) {
          key -= VIOLATION_PENALTY;
          break;
        }
      }
      if (heapSize < poolSize) {
        heapKeys[heapSize] = key;
        heapIds[heapSize] = combo;
        siftUp(heapSize++);
      } else if (key > heapKeys[0]!) {
        heapKeys[0] = key;
        heapIds[0] = combo;
        siftDown(0);
      }
    }
    // Odometer carry over dimensions 0..D-2.
    let k = last - 1;
    while (k >= 0) {
      index[k]! += 1;
      if (index[k]! < optionCounts[k]!) break;
      index[k] = 0;
      k--;
    }
    if (k < 0) break;
    fillPrefixes(k);
    if (++batches % 1024 === 0) {
      hooks.progress(combo / total, `Searched ${combo.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} combinations`);
      await hooks.checkpoint();
    }
  }

  const pool: ScoredDesign[] = [];
  for (let i = 0; i < heapSize; i++) {
    let rest = heapIds[i]!;
    const design = new Array<number>(D);
    for (let d = D - 1; d >= 0; d--) {
      design[d] = rest % optionCounts[d]!;
      rest = Math.floor(rest / optionCounts[d]!);
    }
    pool.push(scored(model, design));
  }
  pool.sort(compareScored);
  return { pool, considered: total };
}

/** Per-dimension best option for the Dinkelbach objective value − λ·costShare. */
function bestOptionsFor(model: CompiledSpec, lambda: number): number[] {
  return model.dimensions.map((_, d) => {
    let best = 0;
    let bestScore = -Infinity;
    for (let o = 0; o < model.optionCounts[d]!; o++) {
      const g = model.offsets[d]! + o;
      const score = model.values[g]! - lambda * model.costShares[g]!;
      if (score > bestScore) {
        bestScore = score;
        best = o;
      }
    }
    return best;
  });
}

/**
 * Dinkelbach iteration for max P₀/R: with λ = the current ratio, the best
 * design for P₀ − λ·R is separable per dimension; repeat until it stops changing.
 * Exact when no hard constraint or R floor binds; a strong start otherwise.
 */
export function dinkelbach(model: CompiledSpec): { design: number[]; lambda: number } {
  let design = bestOptionsFor(model, 0);
  let lambda = baselineScore(model, design).I;
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = bestOptionsFor(model, lambda);
    const nextLambda = baselineScore(model, next).I;
    if (next.every((o, d) => o === design[d]) || nextLambda <= lambda + 1e-12) {
      if (nextLambda > lambda) design = next;
      break;
    }
    design = next;
    lambda = nextLambda;
  }
  return { design, lambda: baselineScore(model, design).I };
}

interface BeamEntry {
  design: number[];
  value: number;
  share: number;
  hard: Float64Array;
  estimate: number;
}

/**
 * For spaces above EXHAUSTIVE_LIMIT:
 *  1. Dinkelbach gives λ* and the unconstrained optimum.
 *  2. Beam search over dimensions in order of impact (spread of value − λ*·costShare),
 *     width W = clamp(50·n, 500, 2000); a partial design is scored by completing
 *     the remaining dimensions with their λ*-best options.
 *  3. Hill climbing (best single-dimension change) from the top 2n beam designs
 *     and from n seeded random designs; every design evaluated joins the pool.
 */
export async function heuristicSearch(
  model: CompiledSpec,
  numCandidates: number,
  random: Random,
  hooks: SearchHooks,
): Promise<PoolResult> {
  const D = model.dimensions.length;
  const H = model.hardIndexes.length;
  const { offsets, optionCounts, values, costShares, hardRatings } = model;
  let considered = 0;
  const pool = new Map<string, ScoredDesign>();
  const remember = (design: number[]): ScoredDesign => {
    const key = design.join(',');
    let entry = pool.get(key);
    if (!entry) {
      entry = scored(model, design);
      considered++;
      pool.set(key, entry);
    }
    return entry;
  };

  const { design: start, lambda } = dinkelbach(model);
  remember(start);
  const objective = (g: number) => values[g]! - lambda * costShares[g]!;
  const impact = model.dimensions.map((_, d) => {
    let low = Infinity;
    let high = -Infinity;
    for (let o = 0; o < optionCounts[d]!; o++) {
      const score = objective(offsets[d]! + o);
      low = Math.min(low, score);
      high = Math.max(high, score);
    }
    return high - low;
  });
  const order = model.dimensions.map((_, d) => d).sort((a, b) => impact[b]! - impact[a]! || a - b);

  // Suffix sums of the λ*-best completion, in beam order.
  const suffixValue = new Float64Array(D + 1);
  const suffixShare = new Float64Array(D + 1);
  const suffixHard = new Float64Array((D + 1) * H);
  for (let k = D - 1; k >= 0; k--) {
    const d = order[k]!;
    const g = offsets[d]! + start[d]!;
    suffixValue[k] = suffixValue[k + 1]! + values[g]!;
    suffixShare[k] = suffixShare[k + 1]! + costShares[g]!;
    for (let h = 0; h < H; h++) suffixHard[k * H + h] = suffixHard[(k + 1) * H + h]! + hardRatings[g * H + h]!;
  }
  const hardThresholdSum = 0.5 * D - 1e-9 * D;
  const estimate = (value: number, share: number, hard: Float64Array, k: number) => {
    const R = model.maxCost <= 0 ? 1 : Math.max(R_FLOOR, share + suffixShare[k]!);
    let key = (value + suffixValue[k]!) / R;
    for (let h = 0; h < H; h++) {
      if (hard[h]! + suffixHard[k * H + h]! < hardThresholdSum) {
        key -= VIOLATION_PENALTY;
        break;
      }
    }
    return key;
  };

  const width = Math.min(2000, Math.max(500, 50 * numCandidates));
  let beam: BeamEntry[] = [{ design: new Array<number>(D).fill(-1), value: 0, share: 0, hard: new Float64Array(H), estimate: 0 }];
  for (let k = 0; k < D; k++) {
    const d = order[k]!;
    const expanded: BeamEntry[] = [];
    for (const entry of beam) {
      for (let o = 0; o < optionCounts[d]!; o++) {
        const g = offsets[d]! + o;
        const hard = new Float64Array(H);
        for (let h = 0; h < H; h++) hard[h] = entry.hard[h]! + hardRatings[g * H + h]!;
        const value = entry.value + values[g]!;
        const share = entry.share + costShares[g]!;
        const design = entry.design.slice();
        design[d] = o;
        expanded.push({ design, value, share, hard, estimate: estimate(value, share, hard, k + 1) });
      }
    }
    considered += expanded.length;
    // Stable sort keeps generation order on ties, so the beam is deterministic.
    expanded.sort((a, b) => b.estimate - a.estimate);
    beam = expanded.slice(0, width);
    hooks.progress(((k + 1) / D) * 0.6, `Beam search: ${k + 1} of ${D} dimensions placed`);
    await hooks.checkpoint();
  }
  for (const entry of beam) remember(entry.design);

  const climb = async (from: number[]) => {
    let current = remember(from);
    for (let step = 0; step < 50; step++) {
      let best = current;
      for (let d = 0; d < D; d++) {
        for (let o = 0; o < optionCounts[d]!; o++) {
          if (o === current.design[d]) continue;
          const neighbour = current.design.slice();
          neighbour[d] = o;
          const entry = remember(neighbour);
          if (compareScored(entry, best) < 0) best = entry;
        }
      }
      if (best === current) return;
      current = best;
      await hooks.checkpoint();
    }
  };
  const starts = beam.slice(0, 2 * numCandidates).map((entry) => entry.design);
  for (let r = 0; r < numCandidates; r++) {
    starts.push(model.dimensions.map((_, d) => Math.floor(random() * optionCounts[d]!)));
  }
  for (let s = 0; s < starts.length; s++) {
    await climb(starts[s]!);
    hooks.progress(0.6 + (0.4 * (s + 1)) / starts.length, `Local search: ${s + 1} of ${starts.length} starts`);
  }

  return { pool: [...pool.values()].sort(compareScored), considered };
}

/**
 * Every design within `maxDistance` changes of the seed (the seed itself
 * excluded), widening to distance 3 when distance ≤ 2 yields fewer than
 * 4·n designs; capped at NEIGHBOURHOOD_CAP evaluations.
 */
export const NEIGHBOURHOOD_CAP = 200_000;

export async function neighbourhoodSearch(model: CompiledSpec, seed: Design, numCandidates: number, hooks: SearchHooks): Promise<PoolResult> {
  const D = model.dimensions.length;
  const pool: ScoredDesign[] = [];
  const visit = async (depth: number, fromDimension: number, design: number[], maxDepth: number) => {
    for (let d = fromDimension; d < D && pool.length < NEIGHBOURHOOD_CAP; d++) {
      for (let o = 0; o < model.optionCounts[d]!; o++) {
        if (o === seed[d]) continue;
        const next = design.slice();
        next[d] = o;
        if (depth + 1 === maxDepth) pool.push(scored(model, next));
        else await visit(depth + 1, d + 1, next, maxDepth);
      }
      if (depth === 0) await hooks.checkpoint();
    }
  };
  const base = [...seed];
  for (const distance of [1, 2, 3]) {
    if (distance === 3 && pool.length >= 4 * numCandidates) break;
    if (distance > D) break;
    await visit(0, 0, base, distance);
    hooks.progress(distance / 3, `Explored designs up to ${distance} change${distance === 1 ? '' : 's'} from the seed`);
  }
  pool.sort(compareScored);
  return { pool, considered: pool.length };
}
