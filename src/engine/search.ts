/**
 * Design-space search on exactly the ranker's key, over all scenarios (docs/engine.md, "Designer"):
 *   key = I − 10⁶ when some hard constraint fails in some scenario, else I;  ties: higher P, then design order.
 * Designs that pick an incompatible pair are never scored or returned; they are counted as excluded.
 *
 * P splits into parts the search can keep per prefix of a design:
 *   mean-combined constraints   → one linear number per option (summed over scenarios)
 *   weakest-link constraints    → per (scenario, constraint) a running minimum, times its coefficient
 *   quantity constraints        → running attribute sums / minima / maxima / counts, then the formula per scenario
 */
import { clamp01, hardFailingOptions, isSatisfiedScore, quantityScore, scoreDesign, type ScenarioTables } from './objective';
import { KIND_MEAN, KIND_QUANTITY, KIND_WEAKEST, R_FLOOR, type CompiledSpec, type Design } from './model';
import { withoutDominated } from './pareto';
import type { Random } from './prng';

/** "About a million": 10 dimensions × 4 options (1,048,576) is still searched exhaustively. */
export const EXHAUSTIVE_LIMIT = 1_200_000;
/** Subtracted from the key of designs that break a hard constraint, so they sort after every valid one. */
export const VIOLATION_PENALTY = 1e6;
/** Designs the heuristic path scores at most (beam + feasibility probe + hill climbing), which bounds its time. */
export const LOCAL_SEARCH_BUDGET = 400_000;
/** …and at most this many design × dimension steps (scoring a design costs O(D)), so wide spaces stop sooner. */
export const LOCAL_SEARCH_STEP_BUDGET = 6_000_000;
/** At most this many frontier points are stored in run metrics (evenly thinned). */
export const FRONTIER_STORED_MAX = 200;

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
  /** Every non-dominated design on (P, R) among the designs scored (the feasible ones when any is feasible). */
  frontier: ScoredDesign[];
  /** How many designs were left out because they pick an incompatible pair (exact for an exhaustive search). */
  excludedByIncompatibility: number | null;
}

export function searchKey(I: number, hardViolation: boolean): number {
  return hardViolation ? I - VIOLATION_PENALTY : I;
}

export function compareScored(a: ScoredDesign, b: ScoredDesign): number {
  if (a.key !== b.key) return b.key - a.key;
  if (a.P !== b.P) return b.P - a.P;
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

/** Pool size: generous enough that the diverse pick has far-apart designs to choose from. */
export function poolSizeFor(numCandidates: number): number {
  return Math.min(10_000, Math.max(2_000, numCandidates * 200));
}

/**
 * Greedy diverse pick over frontier designs (best key first) followed by the rest of
 * the best-first pool: take designs that differ from every pick so far in ≥ minDistance
 * dimensions, relaxing one step at a time down to 1 (no duplicates). So at each distance
 * the frontier is drawn from first.
 */
export function selectDiverse(
  pool: readonly ScoredDesign[],
  n: number,
  minDistance: number,
  frontier: readonly ScoredDesign[] = [],
): ScoredDesign[] {
  const selected: ScoredDesign[] = [];
  const taken = new Set<string>();
  const frontKeys = new Set(frontier.map((entry) => entry.design.join(',')));
  const orderedFrontier = [...frontier].sort(compareScored);
  const rest = pool.filter((entry) => !frontKeys.has(entry.design.join(',')));
  const source = [...orderedFrontier, ...rest];
  for (let distance = minDistance; distance >= 1 && selected.length < n; distance--) {
    for (let i = 0; i < source.length && selected.length < n; i++) {
      const entry = source[i]!;
      const key = entry.design.join(',');
      if (taken.has(key)) continue;
      if (selected.every((pick) => hamming(pick.design, entry.design) >= distance)) {
        selected.push(entry);
        taken.add(key);
      }
    }
  }
  return selected.sort(compareScored);
}

/** Exact count of designs that pick at least one incompatible pair (inclusion–exclusion), or null above 16 pairs. */
export function countIncompatibleDesigns(model: CompiledSpec): number | null {
  const pairs = model.incompatiblePairs;
  const m = pairs.length;
  if (m === 0) return 0;
  if (m > 16) return null;
  const D = model.dimensions.length;
  let excluded = 0;
  const fixed = new Int32Array(D);
  for (let mask = 1; mask < 1 << m; mask++) {
    fixed.fill(-1);
    let possible = true;
    let bits = 0;
    for (let i = 0; i < m && possible; i++) {
      if (!(mask & (1 << i))) continue;
      bits++;
      for (const g of pairs[i]!) {
        const d = model.dimensionOf[g]!;
        if (fixed[d] === -1) fixed[d] = g;
        else if (fixed[d] !== g) possible = false;
      }
    }
    if (!possible) continue;
    let count = 1;
    for (let d = 0; d < D; d++) if (fixed[d] === -1) count *= model.optionCounts[d]!;
    excluded += bits % 2 === 1 ? count : -count;
  }
  return excluded;
}

/** The precomputed parts of P and R (see the file comment). */
interface FastObjective {
  base: number;
  linear: Float64Array;
  /** Weakest-link terms: K = (scenario, constraint) pairs. */
  K: number;
  kappa: Float64Array;
  /** Rating of option g in term k at g * K + k; 1 (no effect on a minimum) where g's dimension does not rate it. */
  weakest: Float64Array;
  /** Quantity terms. */
  quantityTerms: { c: number; s: number; kappa: number; hard: boolean }[];
  /** Hard weakest-link failure per option (in some scenario). */
  failing: Uint8Array;
  rScales: number[];
  rShares: number[];
}

function buildObjective(model: CompiledSpec, tables: ScenarioTables): FastObjective {
  const C = model.constraints.length;
  const G = model.totalOptions;
  const S = tables.S;
  const linear = new Float64Array(G);
  let base = 0;
  const terms: { s: number; c: number; kappa: number }[] = [];
  const quantityTerms: FastObjective['quantityTerms'] = [];
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < C; c++) {
      const coefficient = tables.shares[s]! * tables.coefficients[s * C + c]!;
      const kind = model.kinds[c]!;
      if (kind === KIND_QUANTITY) {
        quantityTerms.push({ c, s, kappa: coefficient, hard: model.hardIndexes.includes(c) });
        continue;
      }
      const dims = model.relevantDimensions[c]!;
      if (dims.length === 0) {
        base += coefficient * 0.5;
        continue;
      }
      if (kind === KIND_MEAN) {
        for (const d of dims) {
          for (let o = 0; o < model.optionCounts[d]!; o++) {
            const g = model.offsets[d]! + o;
            linear[g]! += (coefficient * tables.ratings[(s * G + g) * C + c]!) / dims.length;
          }
        }
      } else if (kind === KIND_WEAKEST) {
        terms.push({ s, c, kappa: coefficient });
      }
    }
  }
  const K = terms.length;
  const kappa = Float64Array.from(terms.map((t) => t.kappa));
  const weakest = new Float64Array(G * K).fill(1);
  terms.forEach(({ s, c }, k) => {
    for (const d of model.relevantDimensions[c]!) {
      for (let o = 0; o < model.optionCounts[d]!; o++) {
        const g = model.offsets[d]! + o;
        weakest[g * K + k] = tables.ratings[(s * G + g) * C + c]!;
      }
    }
  });
  const byScale = new Map<number, number>();
  for (let s = 0; s < S; s++) byScale.set(tables.costScales[s]!, (byScale.get(tables.costScales[s]!) ?? 0) + tables.shares[s]!);
  return {
    base,
    linear,
    K,
    kappa,
    weakest,
    quantityTerms,
    failing: hardFailingOptions(model, tables),
    rScales: [...byScale.keys()],
    rShares: [...byScale.values()],
  };
}

/** Mutable per-prefix state of a design being built dimension by dimension. */
interface PrefixState {
  linear: Float64Array;
  share: Float64Array;
  ok: Uint8Array;
  mins: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  count: Float64Array;
}

function prefixState(depths: number, K: number, A: number): PrefixState {
  return {
    linear: new Float64Array(depths),
    share: new Float64Array(depths),
    ok: new Uint8Array(depths),
    mins: new Float64Array(depths * K).fill(1),
    sum: new Float64Array(depths * A),
    min: new Float64Array(depths * A).fill(Infinity),
    max: new Float64Array(depths * A).fill(-Infinity),
    count: new Float64Array(depths * A),
  };
}

/** Scores designs on the fast objective; used by every search. */
class DesignScorer {
  readonly objective: FastObjective;
  private readonly A: number;
  private readonly useAttributes: boolean;
  private readonly state: PrefixState;
  private readonly scaleViews: Float64Array[];

  constructor(
    readonly model: CompiledSpec,
    readonly tables: ScenarioTables,
  ) {
    this.objective = buildObjective(model, tables);
    this.A = model.attributes.length;
    this.useAttributes = this.objective.quantityTerms.length > 0;
    this.state = prefixState(model.dimensions.length + 1, this.objective.K, this.A);
    this.state.ok[0] = 1;
    this.scaleViews = Array.from({ length: tables.S }, (_, s) => tables.attributeScales.subarray(s * this.A, s * this.A + this.A));
  }

  /** Fills prefix depth k + 1 from depth k with global option g. */
  extend(state: PrefixState, k: number, g: number): void {
    const { K, kappa: _kappa, weakest, linear, failing } = this.objective;
    void _kappa;
    state.linear[k + 1] = state.linear[k]! + linear[g]!;
    state.share[k + 1] = state.share[k]! + this.model.costShares[g]!;
    state.ok[k + 1] = state.ok[k]! & (failing[g]! ^ 1);
    const from = k * K;
    const to = (k + 1) * K;
    const gk = g * K;
    for (let i = 0; i < K; i++) {
      const a = state.mins[from + i]!;
      const b = weakest[gk + i]!;
      state.mins[to + i] = a < b ? a : b;
    }
    if (this.useAttributes) {
      const A = this.A;
      for (let a = 0; a < A; a++) {
        const value = this.model.attributeValues[g * A + a]!;
        const f = k * A + a;
        const t = (k + 1) * A + a;
        if (Number.isNaN(value)) {
          state.sum[t] = state.sum[f]!;
          state.min[t] = state.min[f]!;
          state.max[t] = state.max[f]!;
          state.count[t] = state.count[f]!;
        } else {
          state.sum[t] = state.sum[f]! + value;
          state.min[t] = state.min[f]! < value ? state.min[f]! : value;
          state.max[t] = state.max[f]! > value ? state.max[f]! : value;
          state.count[t] = state.count[f]! + 1;
        }
      }
    }
  }

  /** P, R and the violation flag of a complete design at prefix depth D; returns [key, P, R, violation]. */
  finish(state: PrefixState, depth: number, out: Float64Array): void {
    const { base, K, kappa, quantityTerms, rScales, rShares } = this.objective;
    let P = base + state.linear[depth]!;
    const m = depth * K;
    for (let i = 0; i < K; i++) P += kappa[i]! * state.mins[m + i]!;
    let violation = state.ok[depth] === 0;
    if (quantityTerms.length > 0) {
      const A = this.A;
      const aggregates = {
        sum: state.sum.subarray(depth * A, depth * A + A),
        min: state.min.subarray(depth * A, depth * A + A),
        max: state.max.subarray(depth * A, depth * A + A),
        count: state.count.subarray(depth * A, depth * A + A),
      };
      for (const term of quantityTerms) {
        const quantity = this.model.constraints[term.c]!.quantity!;
        const value = this.model.quantities[term.c]!.evaluate(aggregates, this.scaleViews[term.s]!);
        const score = quantityScore(value, quantity.comparator, quantity.threshold, quantity.margin);
        P += term.kappa * score;
        if (term.hard && !isSatisfiedScore(score)) violation = true;
      }
    }
    P = clamp01(P);
    let R = 1;
    if (this.model.maxCost > 0) {
      R = 0;
      const share = state.share[depth]!;
      for (let j = 0; j < rScales.length; j++) {
        const r = share * rScales[j]!;
        R += rShares[j]! * (r > R_FLOOR ? r : R_FLOOR);
      }
    }
    const I = P / R;
    out[0] = violation ? I - VIOLATION_PENALTY : I;
    out[1] = P;
    out[2] = R;
    out[3] = violation ? 1 : 0;
  }

  private readonly scratch = new Float64Array(4);

  /** A complete design from scratch. */
  score(design: Design): ScoredDesign {
    const state = this.state;
    for (let d = 0; d < design.length; d++) this.extend(state, d, this.model.offsets[d]! + design[d]!);
    this.finish(state, design.length, this.scratch);
    return {
      design: [...design],
      key: this.scratch[0]!,
      P: this.scratch[1]!,
      R: this.scratch[2]!,
      I: this.scratch[2]! > 0 ? this.scratch[1]! / this.scratch[2]! : 0,
      hardViolation: this.scratch[3] === 1,
    };
  }
}

export function isCompatible(model: CompiledSpec, design: Design): boolean {
  for (let d = 0; d < design.length; d++) {
    for (const partner of model.partners[model.offsets[d]! + design[d]!]!) {
      const pd = model.dimensionOf[partner]!;
      if (model.offsets[pd]! + design[pd]! === partner) return false;
    }
  }
  return true;
}

/** Streaming Pareto staircase on (P ↑, R ↓): sorted by R ascending with P strictly increasing. */
class Staircase {
  readonly R: number[] = [];
  readonly P: number[] = [];
  readonly ids: number[] = [];

  /** Adds (P, R) unless a point with R ≤ r and P ≥ p is already there. */
  offer(P: number, R: number, id: number): void {
    const Rs = this.R;
    let lo = 0;
    let hi = Rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Rs[mid]! <= R) lo = mid + 1;
      else hi = mid;
    }
    // lo = first index with R > r; lo − 1 = last with R ≤ r.
    if (lo > 0 && this.P[lo - 1]! >= P) return;
    let end = lo;
    while (end < Rs.length && this.P[end]! <= P) end++;
    let start = lo;
    if (start > 0 && Rs[start - 1] === R) start--; // same R, lower P: replaced
    this.R.splice(start, end - start, R);
    this.P.splice(start, end - start, P);
    this.ids.splice(start, end - start, id);
  }
}

/** Non-dominated designs among `designs` (the feasible ones when any is feasible). */
export function frontierOf(designs: readonly ScoredDesign[]): ScoredDesign[] {
  const feasible = designs.filter((d) => !d.hardViolation);
  const source = feasible.length > 0 ? feasible : [...designs];
  const sorted = [...source].sort((a, b) => a.R - b.R || b.P - a.P || compareScored(a, b));
  const front: ScoredDesign[] = [];
  let bestP = -Infinity;
  for (const entry of sorted) {
    if (entry.P > bestP) {
      front.push(entry);
      bestP = entry.P;
    }
  }
  return withoutDominated(front);
}

function decode(model: CompiledSpec, id: number): number[] {
  const D = model.dimensions.length;
  const design = new Array<number>(D);
  let rest = id;
  for (let d = D - 1; d >= 0; d--) {
    design[d] = rest % model.optionCounts[d]!;
    rest = Math.floor(rest / model.optionCounts[d]!);
  }
  return design;
}

/**
 * Every compatible combination within `domains` (option lists per dimension;
 * default: all), depth first with prefix state, so a leaf costs O(weakest-link
 * terms). An incompatible prefix skips its whole subtree. The best `poolSize`
 * designs are kept in a min-heap; the Pareto staircase sees every feasible design.
 */
export async function exhaustiveSearch(
  model: CompiledSpec,
  tables: ScenarioTables,
  poolSize: number,
  hooks: SearchHooks,
  domains: number[][] = model.optionCounts.map((count) => Array.from({ length: count }, (_, o) => o)),
): Promise<PoolResult> {
  const scorer = new DesignScorer(model, tables);
  const D = model.dimensions.length;
  const { offsets, partners, dimensionOf } = model;
  const strides = new Float64Array(D);
  let stride = 1;
  for (let d = D - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= model.optionCounts[d]!;
  }
  const total = domains.reduce((product, options) => product * options.length, 1);
  const remaining = new Float64Array(D + 1);
  remaining[D] = 1;
  for (let d = D - 1; d >= 0; d--) remaining[d] = remaining[d + 1]! * domains[d]!.length;

  const heapKeys = new Float64Array(poolSize);
  const heapIds = new Float64Array(poolSize);
  let heapSize = 0;
  const worse = (i: number, j: number) => heapKeys[i]! < heapKeys[j]! || (heapKeys[i] === heapKeys[j] && heapIds[i]! > heapIds[j]!);
  const swap = (i: number, j: number) => {
    const k = heapKeys[i]!;
    const id = heapIds[i]!;
    heapKeys[i] = heapKeys[j]!;
    heapIds[i] = heapIds[j]!;
    heapKeys[j] = k;
    heapIds[j] = id;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heapSize && worse(left, smallest)) smallest = left;
      if (right < heapSize && worse(right, smallest)) smallest = right;
      if (smallest === i) return;
      swap(i, smallest);
      i = smallest;
    }
  };
  const siftUp = (start: number) => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };

  const state = prefixState(D + 1, scorer.objective.K, model.attributes.length);
  state.ok[0] = 1;
  const chosen = new Int32Array(D).fill(-1);
  const out = new Float64Array(4);
  const feasibleFront = new Staircase();
  let scoredCount = 0;
  let excluded = 0;
  let visitedLeaves = 0;
  let lastCheck = 0;

  const compatibleAt = (k: number, g: number) => {
    for (const partner of partners[g]!) {
      const pd = dimensionOf[partner]!;
      if (pd < k && offsets[pd]! + chosen[pd]! === partner) return false;
    }
    return true;
  };

  const visit = async (k: number, idPrefix: number): Promise<void> => {
    const options = domains[k]!;
    if (k === D - 1) {
      for (let i = 0; i < options.length; i++) {
        const o = options[i]!;
        const g = offsets[k]! + o;
        if (!compatibleAt(k, g)) {
          excluded++;
          continue;
        }
        scorer.extend(state, k, g);
        scorer.finish(state, D, out);
        const id = idPrefix + o;
        const key = out[0]!;
        scoredCount++;
        if (out[3] === 0) feasibleFront.offer(out[1]!, out[2]!, id);
        if (heapSize < poolSize) {
          heapKeys[heapSize] = key;
          heapIds[heapSize] = id;
          siftUp(heapSize++);
        } else if (key > heapKeys[0]!) {
          heapKeys[0] = key;
          heapIds[0] = id;
          siftDown(0);
        }
      }
      visitedLeaves += options.length;
      if (visitedLeaves - lastCheck >= 4096) {
        lastCheck = visitedLeaves;
        hooks.progress(
          visitedLeaves / total,
          `Searched ${visitedLeaves.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} combinations`,
        );
        await hooks.checkpoint();
      }
      return;
    }
    for (let i = 0; i < options.length; i++) {
      const o = options[i]!;
      const g = offsets[k]! + o;
      if (!compatibleAt(k, g)) {
        excluded += remaining[k + 1]!;
        visitedLeaves += remaining[k + 1]!;
        continue;
      }
      chosen[k] = o;
      scorer.extend(state, k, g);
      await visit(k + 1, idPrefix + o * strides[k]!);
    }
    chosen[k] = -1;
  };
  await visit(0, 0);

  const pool: ScoredDesign[] = [];
  for (let i = 0; i < heapSize; i++) pool.push(scorer.score(decode(model, heapIds[i]!)));
  pool.sort(compareScored);
  const frontier =
    feasibleFront.ids.length > 0 ? withoutDominated(feasibleFront.ids.map((id) => scorer.score(decode(model, id)))) : frontierOf(pool);
  return { pool, considered: scoredCount, frontier, excludedByIncompatibility: excluded };
}

/** Options per dimension that can be part of a design meeting every hard weakest-link constraint (null: no such design). */
export function feasibleDomains(model: CompiledSpec, tables: ScenarioTables): number[][] | null {
  const failing = hardFailingOptions(model, tables);
  const domains = model.optionCounts.map((count, d) =>
    Array.from({ length: count }, (_, o) => o).filter((o) => !failing[model.offsets[d]! + o]),
  );
  return domains.some((options) => options.length === 0) ? null : domains;
}

/**
 * For spaces above EXHAUSTIVE_LIMIT:
 *  0. Options that fail a hard weakest-link constraint are pruned up front. If the
 *     pruned space fits the limit, it is searched exhaustively (exact for feasible designs).
 *  1. Otherwise: beam search over dimensions by impact, width clamp(50·n, 500, 2000),
 *     a partial design scored by completing it with each remaining dimension's best
 *     option on the linear part; incompatible partial designs are dropped.
 *  2. A depth-first feasibility probe (forward-checking incompatibilities, best options
 *     first, ≤ 200,000 leaves) when the beam found no feasible design.
 *  3. Hill climbing (best single change) from the top 2n designs and n seeded random ones.
 *  Beam and climbing together score at most LOCAL_SEARCH_BUDGET designs (the beam narrows on wide spaces).
 */
export async function heuristicSearch(
  model: CompiledSpec,
  tables: ScenarioTables,
  numCandidates: number,
  random: Random,
  hooks: SearchHooks,
): Promise<PoolResult> {
  const domains = feasibleDomains(model, tables);
  const excludedByIncompatibility = countIncompatibleDesigns(model);
  if (domains) {
    const pruned = domains.reduce((product, options) => product * options.length, 1);
    if (pruned <= EXHAUSTIVE_LIMIT) {
      const exact = await exhaustiveSearch(model, tables, poolSizeFor(numCandidates), hooks, domains);
      if (exact.pool.length >= numCandidates) return { ...exact, excludedByIncompatibility };
      const more = await localSearch(
        model,
        tables,
        model.optionCounts.map((count) => Array.from({ length: count }, (_, o) => o)),
        numCandidates,
        random,
        hooks,
      );
      const merged = new Map<string, ScoredDesign>();
      for (const entry of [...exact.pool, ...more.pool]) merged.set(entry.design.join(','), entry);
      return {
        pool: [...merged.values()].sort(compareScored),
        considered: exact.considered + more.considered,
        frontier: exact.frontier,
        excludedByIncompatibility,
      };
    }
  }
  // domains === null: some dimension has no option meeting every hard weakest-link constraint, so no design is feasible.
  const result = await localSearch(
    model,
    tables,
    domains ?? model.optionCounts.map((count) => Array.from({ length: count }, (_, o) => o)),
    numCandidates,
    random,
    hooks,
    domains !== null,
  );
  return { ...result, excludedByIncompatibility };
}

async function localSearch(
  model: CompiledSpec,
  tables: ScenarioTables,
  domains: number[][],
  numCandidates: number,
  random: Random,
  hooks: SearchHooks,
  feasiblePossible = true,
): Promise<PoolResult> {
  const scorer = new DesignScorer(model, tables);
  const D = model.dimensions.length;
  const { offsets } = model;
  const linear = scorer.objective.linear;
  let considered = 0;
  const pool = new Map<string, ScoredDesign>();
  const budget = Math.min(LOCAL_SEARCH_BUDGET, Math.floor(LOCAL_SEARCH_STEP_BUDGET / Math.max(1, D)));
  const exhausted = () => considered >= budget;
  const remember = (design: number[]): ScoredDesign | null => {
    const key = design.join(',');
    let entry = pool.get(key);
    if (!entry) {
      if (!isCompatible(model, design)) return null;
      entry = scorer.score(design);
      considered++;
      pool.set(key, entry);
    }
    return entry;
  };
  // Per dimension: the domain's best option on value per cost (linear part − λ·cost share).
  const bestFor = (lambda: number) =>
    domains.map((options, d) => {
      let best = options[0]!;
      let bestScore = -Infinity;
      for (const o of options) {
        const g = offsets[d]! + o;
        const score = linear[g]! - lambda * model.costShares[g]!;
        if (score > bestScore) {
          bestScore = score;
          best = o;
        }
      }
      return best;
    });
  let completion = bestFor(0);
  const lambda = scorer.score(completion).I;
  completion = bestFor(Number.isFinite(lambda) ? lambda : 0);
  remember(completion);
  const impact = domains.map((options, d) => {
    let low = Infinity;
    let high = -Infinity;
    for (const o of options) {
      const g = offsets[d]! + o;
      const score = linear[g]! - lambda * model.costShares[g]!;
      low = Math.min(low, score);
      high = Math.max(high, score);
    }
    return high - low;
  });
  const order = domains.map((_, d) => d).sort((a, b) => impact[b]! - impact[a]! || a - b);

  // The beam scores whole designs (weakest links need every choice), so its width shrinks on wide spaces.
  const optionTotal = domains.reduce((sum, options) => sum + options.length, 0);
  const width = Math.max(
    20,
    Math.min(Math.min(2000, Math.max(500, 50 * numCandidates)), Math.floor(budget / 2 / Math.max(1, optionTotal))),
  );
  let beam: { design: number[]; estimate: number }[] = [{ design: completion.slice(), estimate: 0 }];
  const placed = new Uint8Array(D);
  for (let k = 0; k < D; k++) {
    const d = order[k]!;
    placed[d] = 1;
    const expanded: { design: number[]; estimate: number }[] = [];
    for (const entry of beam) {
      for (const o of domains[d]!) {
        const design = entry.design.slice();
        design[d] = o;
        // Only the placed dimensions must be compatible; the rest are a provisional completion.
        let compatible = true;
        for (const partner of model.partners[offsets[d]! + o]!) {
          const pd = model.dimensionOf[partner]!;
          if (placed[pd] && offsets[pd]! + design[pd]! === partner) compatible = false;
        }
        if (!compatible) continue;
        const scored = scorer.score(design);
        const penalty = isCompatible(model, design) ? 0 : VIOLATION_PENALTY;
        expanded.push({ design, estimate: scored.key - penalty });
      }
    }
    considered += expanded.length;
    expanded.sort((a, b) => b.estimate - a.estimate);
    beam = expanded.slice(0, width);
    hooks.progress(((k + 1) / D) * 0.5, `Beam search: ${k + 1} of ${D} dimensions placed`);
    await hooks.checkpoint();
  }
  for (const entry of beam) remember(entry.design);

  if (feasiblePossible && ![...pool.values()].some((entry) => !entry.hardViolation)) {
    await feasibilityProbe(model, scorer, domains, remember, hooks);
  }

  const climb = async (from: number[]) => {
    let current = remember(from);
    if (!current) return;
    for (let step = 0; step < 50 && !exhausted(); step++) {
      let best: ScoredDesign = current;
      for (let d = 0; d < D; d++) {
        for (const o of domains[d]!) {
          if (o === current.design[d]) continue;
          const neighbour = current.design.slice();
          neighbour[d] = o;
          const entry = remember(neighbour);
          if (entry && compareScored(entry, best) < 0) best = entry;
        }
      }
      if (best === current) return;
      current = best;
      await hooks.checkpoint();
    }
  };
  const starts = [...pool.values()]
    .sort(compareScored)
    .slice(0, 2 * numCandidates)
    .map((entry) => entry.design);
  for (let r = 0; r < numCandidates; r++) starts.push(domains.map((options) => options[Math.floor(random() * options.length)]!));
  for (let s = 0; s < starts.length && !exhausted(); s++) {
    await climb(starts[s]!);
    hooks.progress(0.5 + (0.5 * (s + 1)) / starts.length, `Local search: ${s + 1} of ${starts.length} starts`);
  }
  const all = [...pool.values()].sort(compareScored);
  return { pool: all, considered, frontier: frontierOf(all), excludedByIncompatibility: null };
}

/** Depth-first search for a compatible design without hard violations, best linear options first, bounded. */
async function feasibilityProbe(
  model: CompiledSpec,
  scorer: DesignScorer,
  domains: number[][],
  remember: (design: number[]) => ScoredDesign | null,
  hooks: SearchHooks,
): Promise<void> {
  const D = model.dimensions.length;
  const linear = scorer.objective.linear;
  const sorted = domains.map((options, d) => [...options].sort((a, b) => linear[model.offsets[d]! + b]! - linear[model.offsets[d]! + a]!));
  const design = new Array<number>(D).fill(0);
  let leaves = 0;
  let found = false;
  const visit = async (k: number): Promise<void> => {
    if (found || leaves >= 200_000) return;
    if (k === D) {
      leaves++;
      const entry = remember(design.slice());
      if (entry && !entry.hardViolation) found = true;
      if (leaves % 4096 === 0) await hooks.checkpoint();
      return;
    }
    for (const o of sorted[k]!) {
      const g = model.offsets[k]! + o;
      let compatible = true;
      for (const partner of model.partners[g]!) {
        const pd = model.dimensionOf[partner]!;
        if (pd < k && model.offsets[pd]! + design[pd]! === partner) compatible = false;
      }
      if (!compatible) continue;
      design[k] = o;
      await visit(k + 1);
      if (found) return;
    }
  };
  await visit(0);
}

/**
 * Every compatible design within `maxDistance` changes of the seed (the seed itself
 * excluded), widening to distance 3 when distance ≤ 2 yields fewer than 4·n designs;
 * capped at NEIGHBOURHOOD_CAP evaluations. With no neighbour at all (a one-design
 * space), the seed itself is the only design.
 */
export const NEIGHBOURHOOD_CAP = 200_000;

export async function neighbourhoodSearch(
  model: CompiledSpec,
  tables: ScenarioTables,
  seed: Design,
  numCandidates: number,
  hooks: SearchHooks,
): Promise<PoolResult> {
  const scorer = new DesignScorer(model, tables);
  const D = model.dimensions.length;
  const pool: ScoredDesign[] = [];
  let excluded = 0;
  const visit = async (depth: number, fromDimension: number, design: number[], maxDepth: number) => {
    for (let d = fromDimension; d < D && pool.length < NEIGHBOURHOOD_CAP; d++) {
      for (let o = 0; o < model.optionCounts[d]!; o++) {
        if (o === seed[d]) continue;
        const next = design.slice();
        next[d] = o;
        if (depth + 1 === maxDepth) {
          if (isCompatible(model, next)) pool.push(scorer.score(next));
          else excluded++;
        } else await visit(depth + 1, d + 1, next, maxDepth);
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
  if (pool.length === 0 && isCompatible(model, seed)) pool.push(scorer.score(seed));
  pool.sort(compareScored);
  return { pool, considered: pool.length, frontier: frontierOf(pool), excludedByIncompatibility: excluded };
}

/** The ranker's numbers for one design, for callers outside the search (tests, eval-only runs). */
export function scoreForSearch(model: CompiledSpec, tables: ScenarioTables, design: Design): ScoredDesign {
  const totals = scoreDesign(model, tables, design);
  return { design: [...design], key: searchKey(totals.I, totals.hardViolation), ...totals };
}

/** Up to FRONTIER_STORED_MAX points, evenly thinned, always keeping both ends. */
export function thinFrontier<T>(points: readonly T[], max = FRONTIER_STORED_MAX): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}
