/**
 * fast-check arbitraries that turn a good export file into a damaged one:
 * truncation, type flips, dropped and duplicated fields and records, dangling
 * references, extreme numbers and dates, deep nesting, prototype keys, newer
 * versions, non-JSON, binary and a byte-order mark. Each mutation is plain
 * data, so a failing case prints what was done to which file.
 */
import fc from 'fast-check';

type Json = unknown;
type Path = (string | number)[];

export interface Seed {
  name: string;
  text: string;
}

/** What one fuzzed file is: a seed and the mutations applied to it, in order. */
export interface FuzzCase {
  seed: number;
  mutations: Mutation[];
}

export type Mutation =
  | { kind: 'truncate'; fraction: number }
  | { kind: 'flip-type'; target: number; value: number }
  | { kind: 'drop-field'; target: number }
  | { kind: 'duplicate-record'; target: number }
  | { kind: 'copy-field'; from: number; to: number }
  | { kind: 'dangling-reference'; target: number }
  | { kind: 'extreme-number'; target: number; value: number }
  | { kind: 'extreme-date'; target: number; value: number }
  | { kind: 'deep-nesting'; target: number; depth: number }
  | { kind: 'prototype-key'; target: number; key: number }
  | { kind: 'meta-shape'; target: number; value: number }
  | { kind: 'newer-version'; field: 'formatVersion' | 'schemaVersion'; by: number }
  | { kind: 'non-json'; text: string }
  | { kind: 'binary'; bytes: number[] }
  | { kind: 'bom' };

/** Values a field is flipped to: every JSON type, empty and odd ones. */
const FLIP_VALUES: Json[] = [null, 0, -1, 1.5, '', 'x', 'not-an-id', true, false, [], {}, [null], { kind: 'x' }, [1, 2], 'x'.repeat(300)];
const EXTREME_NUMBERS = [
  0,
  -0,
  -1,
  1e-300,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  0.1 + 0.2,
  1.0000000000000002,
  0.9999999999999999,
  -2147483649,
  123.456,
];
const EXTREME_DATES = [0, -1, 1, 8.64e15, 8.64e15 + 1, -8.64e15, 253402300800000, 1e16, 2 ** 53, 1.5, 1e300];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Paths of a parsed seed, grouped by what a mutation may target. */
interface PathIndex {
  all: Path[];
  fields: Path[];
  numbers: Path[];
  dates: Path[];
  references: Path[];
  containers: Path[];
  records: Path[];
  meta: Path[];
}

function indexPaths(root: Json): PathIndex {
  const index: PathIndex = { all: [], fields: [], numbers: [], dates: [], references: [], containers: [], records: [], meta: [] };
  const stack: { value: Json; path: Path }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    index.all.push(path);
    const key = path.at(-1);
    const parentKey = path.at(-2);
    if (typeof key === 'string') index.fields.push(path);
    if (typeof value === 'number') index.numbers.push(path);
    if (typeof key === 'string' && (/At$/.test(key) || key === 'at')) index.dates.push(path);
    if (
      typeof value === 'string' &&
      ((typeof key === 'string' && /Id$/.test(key)) || (typeof key === 'number' && typeof parentKey === 'string' && /Ids$/.test(parentKey)))
    )
      index.references.push(path);
    if (
      typeof key === 'number' &&
      typeof parentKey === 'string' &&
      ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'].includes(parentKey)
    )
      index.records.push(path);
    if (path.includes('meta') && path.indexOf('meta') < path.length - 1) index.meta.push(path);
    if (typeof value === 'object' && value !== null) {
      index.containers.push(path);
      if (Array.isArray(value)) value.forEach((child, i) => stack.push({ value: child, path: [...path, i] }));
      else for (const [childKey, child] of Object.entries(value)) stack.push({ value: child, path: [...path, childKey] });
    }
  }
  return index;
}

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

function parentOf(root: Json, path: Path): { parent: Record<string | number, Json>; key: string | number } | null {
  if (!path.length) return null;
  let current = root as Record<string | number, Json>;
  for (const part of path.slice(0, -1)) {
    const next = current[part];
    if (typeof next !== 'object' || next === null) return null;
    current = next as Record<string | number, Json>;
  }
  return { parent: current, key: path.at(-1)! };
}

function setAt(root: Json, path: Path | undefined, value: Json): void {
  const at = path && parentOf(root, path);
  if (at) at.parent[at.key] = value;
}

function getAt(root: Json, path: Path): Json {
  let current = root;
  for (const part of path) current = (current as Record<string | number, Json>)?.[part];
  return current;
}

/** `depth` levels of alternating lists and objects around a 1, as JSON text. */
function nestedText(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '{"d":' : '[';
    close = (i % 2 ? '}' : ']') + close;
  }
  return `${open}1${close}`;
}

/** A mutated file: text (most cases) or bytes (binary). */
export type FuzzFile = { text: string } | { bytes: Uint8Array<ArrayBuffer> };

export function applyCase(seeds: readonly Seed[], fuzz: FuzzCase): FuzzFile {
  const seed = seeds[fuzz.seed % seeds.length]!;
  const root = JSON.parse(seed.text) as Json;
  const textEdits: ((text: string) => string)[] = [];
  let replaced: FuzzFile | null = null;
  for (const mutation of fuzz.mutations) {
    const paths = indexPaths(root);
    switch (mutation.kind) {
      case 'truncate':
        textEdits.push((text) => text.slice(0, Math.floor(text.length * mutation.fraction)));
        break;
      case 'flip-type':
        setAt(root, pick(paths.all, mutation.target), FLIP_VALUES[mutation.value % FLIP_VALUES.length]);
        break;
      case 'drop-field': {
        const at = parentOf(root, pick(paths.fields, mutation.target) ?? []);
        if (at) delete at.parent[at.key];
        break;
      }
      case 'duplicate-record': {
        const path = pick(paths.records, mutation.target);
        const at = path && parentOf(root, path);
        if (at && Array.isArray(at.parent)) (at.parent as Json[]).push(structuredClone(at.parent[at.key]));
        break;
      }
      case 'copy-field': {
        const from = pick(paths.fields, mutation.from);
        const to = pick(paths.containers, mutation.to);
        const target = to && getAt(root, to);
        if (from && target && typeof target === 'object' && !Array.isArray(target))
          (target as Record<string, Json>)[String(from.at(-1))] = structuredClone(getAt(root, from));
        break;
      }
      case 'dangling-reference':
        setAt(root, pick(paths.references, mutation.target), `missing-${mutation.target}`);
        break;
      case 'extreme-number':
        setAt(root, pick(paths.numbers, mutation.target), EXTREME_NUMBERS[mutation.value % EXTREME_NUMBERS.length]);
        break;
      case 'extreme-date':
        setAt(root, pick(paths.dates, mutation.target), EXTREME_DATES[mutation.value % EXTREME_DATES.length]);
        break;
      case 'deep-nesting': {
        // Spliced into the text: a deep value in memory would overflow JSON.stringify here, not the importer.
        const marker = `__fuzz_deep_${mutation.target}__`;
        setAt(root, pick(paths.all, mutation.target), marker);
        textEdits.push((text) => text.replace(`"${marker}"`, nestedText(mutation.depth)));
        break;
      }
      case 'prototype-key': {
        // Written into the text: JSON.stringify never emits an own __proto__ key.
        const container = pick(paths.containers, mutation.target);
        const target = container && getAt(root, container);
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          const marker = `__fuzz_proto_${mutation.target}__`;
          (target as Record<string, Json>)[marker] = { polluted: true };
          const key = PROTOTYPE_KEYS[mutation.key % PROTOTYPE_KEYS.length]!;
          textEdits.push((text) => text.replace(`"${marker}"`, `"${key}"`));
        }
        break;
      }
      case 'meta-shape':
        setAt(root, pick(paths.meta, mutation.target), FLIP_VALUES[mutation.value % FLIP_VALUES.length]);
        break;
      case 'newer-version':
        if (typeof root === 'object' && root !== null) {
          const envelope = root as Record<string, Json>;
          envelope[mutation.field] =
            (typeof envelope[mutation.field] === 'number' ? (envelope[mutation.field] as number) : 0) + mutation.by;
        }
        break;
      case 'non-json':
        replaced = { text: mutation.text };
        break;
      case 'binary':
        replaced = { bytes: Uint8Array.from(mutation.bytes) };
        break;
      case 'bom':
        textEdits.push((text) => `\uFEFF${text}`);
        break;
    }
  }
  if (replaced) return replaced;
  let text = JSON.stringify(root);
  for (const edit of textEdits) text = edit(text);
  return { text };
}

const index = fc.nat({ max: 1_000_000 });

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip-type' as const), target: index, value: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop-field' as const), target: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-record' as const), target: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('copy-field' as const), from: index, to: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('dangling-reference' as const), target: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('extreme-number' as const), target: index, value: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('extreme-date' as const), target: index, value: index }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deep-nesting' as const), target: index, depth: fc.integer({ min: 1, max: 5000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('prototype-key' as const), target: index, key: index }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('meta-shape' as const), target: index, value: index }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('newer-version' as const),
      field: fc.constantFrom('formatVersion' as const, 'schemaVersion' as const),
      by: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('non-json' as const), text: fc.string({ maxLength: 200 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('binary' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const) }) },
);

export function fuzzCaseArbitrary(seedCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({ seed: fc.nat({ max: seedCount - 1 }), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }) });
}

/** The mutation kinds, for counting which ones a run exercised. */
export function describeCase(fuzz: FuzzCase): string {
  return fuzz.mutations.map((mutation) => mutation.kind).join('+');
}
