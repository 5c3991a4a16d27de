/**
 * Two runs side by side. A candidate is identified by its choices (one option
 * per dimension), not its id: the same design found by two runs is the same
 * candidate.
 */
import type { Candidate, Choices, Run, SpecContent } from '../../domain';

export function choicesKey(choices: Choices): string {
  return Object.keys(choices)
    .sort()
    .map((dimensionId) => `${dimensionId}=${choices[dimensionId]}`)
    .join('|');
}

export interface CompareSide {
  run: Run;
  candidates: readonly Candidate[];
}

export interface ComparedCandidate {
  key: string;
  label: string;
  a: Candidate | null;
  b: Candidate | null;
  /** Places gained from run A to run B (positive = moved up); null unless in both. */
  rankChange: number | null;
  /** I in B minus I in A; null unless in both. */
  deltaI: number | null;
}

export type SpecChangeKind = 'goal' | 'constraint' | 'weight' | 'dimension' | 'option' | 'cost' | 'rating' | 'setting';

export interface SpecDifference {
  kind: SpecChangeKind;
  text: string;
}

export interface RunComparison {
  /** Candidates in both runs, in run B's order. */
  both: ComparedCandidate[];
  onlyA: ComparedCandidate[];
  onlyB: ComparedCandidate[];
  specDifferences: SpecDifference[];
}

function byRank(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => a.rank - b.rank);
}

function entry(key: string, a: Candidate | null, b: Candidate | null): ComparedCandidate {
  return {
    key,
    label: (b ?? a)!.label,
    a,
    b,
    rankChange: a && b ? a.rank - b.rank : null,
    deltaI: a && b ? b.scores.I - a.scores.I : null,
  };
}

export function compareRuns(a: CompareSide, b: CompareSide): RunComparison {
  const inA = new Map<string, Candidate>();
  for (const candidate of byRank(a.candidates))
    if (!inA.has(choicesKey(candidate.choices))) inA.set(choicesKey(candidate.choices), candidate);
  const inB = new Map<string, Candidate>();
  for (const candidate of byRank(b.candidates))
    if (!inB.has(choicesKey(candidate.choices))) inB.set(choicesKey(candidate.choices), candidate);
  const both: ComparedCandidate[] = [];
  const onlyB: ComparedCandidate[] = [];
  for (const [key, candidate] of inB) {
    const other = inA.get(key);
    (other ? both : onlyB).push(entry(key, other ?? null, candidate));
  }
  const onlyA = [...inA].filter(([key]) => !inB.has(key)).map(([key, candidate]) => entry(key, candidate, null));
  return { both, onlyA, onlyB, specDifferences: diffSpecSnapshots(a.run.specSnapshot, b.run.specSnapshot) };
}

const ratingText = (value: number | undefined) => (value === undefined ? 'unrated' : String(value));

/** What changed from spec A to spec B: weights, constraints, options, costs, ratings, goals, settings. */
export function diffSpecSnapshots(a: SpecContent, b: SpecContent): SpecDifference[] {
  const out: SpecDifference[] = [];
  const constraintsA = new Map(a.constraints.map((c) => [c.id, c]));
  const constraintsB = new Map(b.constraints.map((c) => [c.id, c]));
  for (const constraint of b.constraints) {
    const before = constraintsA.get(constraint.id);
    if (!before) out.push({ kind: 'constraint', text: `+ constraint '${constraint.name}' (weight ${constraint.weight})` });
    else {
      if (before.name !== constraint.name)
        out.push({ kind: 'constraint', text: `~ constraint '${before.name}' renamed to '${constraint.name}'` });
      if (before.weight !== constraint.weight)
        out.push({ kind: 'weight', text: `~ weight '${constraint.name}': ${before.weight} → ${constraint.weight}` });
    }
  }
  for (const constraint of a.constraints) {
    if (!constraintsB.has(constraint.id))
      out.push({ kind: 'constraint', text: `− constraint '${constraint.name}' (weight ${constraint.weight})` });
  }

  const goalsA = new Set(a.goals.map((g) => g.text));
  const goalsB = new Set(b.goals.map((g) => g.text));
  for (const goal of b.goals) if (!goalsA.has(goal.text)) out.push({ kind: 'goal', text: `+ goal "${goal.text}"` });
  for (const goal of a.goals) if (!goalsB.has(goal.text)) out.push({ kind: 'goal', text: `− goal "${goal.text}"` });

  const dimensionsA = new Map(a.designSpace.dimensions.map((d) => [d.id, d]));
  const dimensionsB = new Map(b.designSpace.dimensions.map((d) => [d.id, d]));
  const constraintName = (id: string) => constraintsB.get(id)?.name ?? constraintsA.get(id)?.name ?? id;
  for (const dimension of b.designSpace.dimensions) {
    const before = dimensionsA.get(dimension.id);
    if (!before) {
      out.push({ kind: 'dimension', text: `+ dimension '${dimension.name}' (${dimension.options.map((o) => o.name).join(', ')})` });
      continue;
    }
    if (before.name !== dimension.name)
      out.push({ kind: 'dimension', text: `~ dimension '${before.name}' renamed to '${dimension.name}'` });
    const optionsA = new Map(before.options.map((o) => [o.id, o]));
    const optionIdsB = new Set(dimension.options.map((o) => o.id));
    for (const option of dimension.options) {
      const was = optionsA.get(option.id);
      if (!was) {
        out.push({ kind: 'option', text: `+ option '${option.name}' in ${dimension.name}` });
        continue;
      }
      if (was.name !== option.name) out.push({ kind: 'option', text: `~ option '${was.name}' renamed to '${option.name}'` });
      if (was.cost !== option.cost) out.push({ kind: 'cost', text: `~ cost '${option.name}': ${was.cost} → ${option.cost}` });
      for (const constraintId of new Set([...Object.keys(was.ratings), ...Object.keys(option.ratings)])) {
        if (was.ratings[constraintId] !== option.ratings[constraintId]) {
          out.push({
            kind: 'rating',
            text: `~ rating '${option.name}' × '${constraintName(constraintId)}': ${ratingText(was.ratings[constraintId])} → ${ratingText(option.ratings[constraintId])}`,
          });
        }
      }
    }
    for (const option of before.options)
      if (!optionIdsB.has(option.id)) out.push({ kind: 'option', text: `− option '${option.name}' in ${dimension.name}` });
  }
  for (const dimension of a.designSpace.dimensions) {
    if (!dimensionsB.has(dimension.id)) out.push({ kind: 'dimension', text: `− dimension '${dimension.name}'` });
  }
  if (a.resolution !== b.resolution) out.push({ kind: 'setting', text: `~ resolution: ${a.resolution} → ${b.resolution}` });
  if (a.mode !== b.mode) out.push({ kind: 'setting', text: `~ default run mode: ${a.mode} → ${b.mode}` });
  return out;
}
