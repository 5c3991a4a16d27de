/**
 * Resolving the names a user types to spec items. Forgiving on purpose:
 * case, spacing, quotes and punctuation ("offline first" finds
 * "Offline-first") do not matter, but an ambiguous name is never guessed.
 */
import { EngineError } from '../../domain';
import type {
  Attribute,
  Constraint,
  DesignOption,
  Dimension,
  Goal,
  NamedItem,
  SpecContent,
  WorldModelContent,
  WorldModelSection,
} from '../../domain';

/** A line the Architect cannot apply: the reason in words, the usage to try, and a close known name if there is one. */
export class NotationError extends EngineError<'notation_invalid'> {
  constructor(reason: string, fix?: string, suggestion?: string) {
    super('notation_invalid', { reason, fix: fix ?? null, suggestion: suggestion ?? null });
  }
  get fix(): string | undefined {
    return this.details.fix ?? undefined;
  }
}

export function unquote(text: string): string {
  const trimmed = text.trim();
  const match = /^["'“”‘’`](.*)["'“”‘’`]$/.exec(trimmed);
  return (match ? match[1]! : trimmed).trim();
}

function exactKey(name: string): string {
  return unquote(name).replace(/\s+/g, ' ').toLocaleLowerCase();
}

function looseKey(name: string): string {
  return unquote(name)
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Exact (case/space-insensitive) match first, then a unique punctuation-insensitive one. */
export function findByName<T>(items: readonly T[], name: string, nameOf: (item: T) => string): T[] {
  const key = exactKey(name);
  if (!key) return [];
  const exact = items.filter((item) => exactKey(nameOf(item)) === key);
  if (exact.length) return exact;
  const loose = looseKey(name);
  if (!loose) return [];
  return items.filter((item) => looseKey(nameOf(item)) === loose);
}

export function closestNames(names: readonly string[], name: string, maxDistance?: number): string[] {
  const key = looseKey(name);
  if (!key) return [];
  return names
    .map((candidate) => ({
      candidate,
      distance: editDistance(looseKey(candidate), key),
      prefix: looseKey(candidate).startsWith(key) || key.startsWith(looseKey(candidate)),
    }))
    .filter(
      ({ distance, prefix, candidate }) => prefix || distance <= (maxDistance ?? Math.max(1, Math.floor(looseKey(candidate).length / 4))),
    )
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 2)
    .map(({ candidate }) => candidate);
}

function notFound(kind: string, name: string, known: readonly string[]): NotationError {
  const close = closestNames(known, name);
  if (close.length)
    return new NotationError(`There is no ${kind} named "${unquote(name)}". Did you mean "${close[0]}"?`, undefined, close[0]);
  if (!known.length) return new NotationError(`There is no ${kind} named "${unquote(name)}" — there are no ${kind}s yet.`);
  const listed = known
    .slice(0, 8)
    .map((n) => `"${n}"`)
    .join(', ');
  return new NotationError(`There is no ${kind} named "${unquote(name)}". Known ${kind}s: ${listed}${known.length > 8 ? ', …' : ''}.`);
}

export function resolveConstraint(spec: SpecContent, name: string): Constraint {
  const found = findByName(spec.constraints, name, (c) => c.name);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new NotationError(
      `"${unquote(name)}" matches several constraints (${found.map((c) => `"${c.name}"`).join(', ')}); type the exact name.`,
    );
  throw notFound(
    'constraint',
    name,
    spec.constraints.map((c) => c.name),
  );
}

export function resolveDimension(spec: SpecContent, name: string): Dimension {
  const dimensions = spec.designSpace.dimensions;
  const found = findByName(dimensions, name, (d) => d.name);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new NotationError(`"${unquote(name)}" matches several dimensions; type the exact name.`);
  throw notFound(
    'dimension',
    name,
    dimensions.map((d) => d.name),
  );
}

export interface OptionRef {
  dimension: Dimension;
  option: DesignOption;
}

/** "OPFS" or, when two dimensions share an option name, "Storage/OPFS". */
export function resolveOption(spec: SpecContent, name: string): OptionRef {
  const all: OptionRef[] = spec.designSpace.dimensions.flatMap((dimension) => dimension.options.map((option) => ({ dimension, option })));
  const slash = unquote(name).indexOf('/');
  if (slash > 0) {
    const dimensionName = unquote(name).slice(0, slash);
    const optionName = unquote(name).slice(slash + 1);
    const dimensions = findByName(spec.designSpace.dimensions, dimensionName, (d) => d.name);
    if (dimensions.length === 1) {
      const dimension = dimensions[0]!;
      const options = findByName(dimension.options, optionName, (o) => o.name);
      if (options.length === 1) return { dimension, option: options[0]! };
      throw notFound(
        `option in ${dimension.name}`,
        optionName,
        dimension.options.map((o) => o.name),
      );
    }
  }
  const found = findByName(all, name, (ref) => ref.option.name);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const qualified = found.map((ref) => `"${ref.dimension.name}/${ref.option.name}"`).join(' or ');
    throw new NotationError(`Several dimensions have an option named "${unquote(name)}"; write ${qualified}.`);
  }
  throw notFound(
    'option',
    name,
    all.map((ref) => ref.option.name),
  );
}

export function tryResolve<T>(resolve: () => T): T | null {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof NotationError) return null;
    throw error;
  }
}

/** "2", "#2" (1-based position) or the goal's text. */
export function resolveGoal(spec: SpecContent, reference: string): Goal {
  const position = /^#?(\d+)$/.exec(reference.trim());
  if (position) {
    const goal = spec.goals[Number(position[1]) - 1];
    if (goal) return goal;
    throw new NotationError(
      spec.goals.length
        ? `There is no goal number ${position[1]}; goals are numbered 1 to ${spec.goals.length}.`
        : 'There are no goals yet.',
      'show spec',
    );
  }
  const found = findByName(spec.goals, reference, (g) => g.text);
  if (found.length === 1) return found[0]!;
  throw new NotationError(
    `There is no goal "${unquote(reference)}". Refer to a goal by its number (see \`show spec\`), e.g. "remove goal 2".`,
    'show spec',
  );
}

export function resolveWorldItem(world: WorldModelContent, section: WorldModelSection, name: string, label: string): NamedItem {
  const found = findByName(world[section], name, (item) => item.name);
  if (found.length === 1) return found[0]!;
  throw notFound(
    label,
    name,
    world[section].map((item) => item.name),
  );
}

/** By key ("energy_wh") or display name ("Pack energy"). */
export function resolveAttribute(spec: SpecContent, name: string): Attribute {
  const attributes = spec.designSpace.attributes;
  const byKey = attributes.filter((a) => a.key === unquote(name));
  if (byKey.length === 1) return byKey[0]!;
  const found = findByName(attributes, name, (a) => a.name);
  if (found.length === 1) return found[0]!;
  const foundByKey = findByName(attributes, name, (a) => a.key);
  if (foundByKey.length === 1) return foundByKey[0]!;
  throw notFound(
    'attribute',
    name,
    attributes.flatMap((a) => [a.key, a.name]),
  );
}
