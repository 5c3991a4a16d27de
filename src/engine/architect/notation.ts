/**
 * The Architect's line notation. One line is one command; the parser turns it
 * into id-based SpecOps, resolving names against the spec *as it will be after
 * the previous lines*, so a message can add a constraint and rate it at once.
 *
 * Value checks happen here (not only in applySpecDelta) because here we still
 * know what the user typed and can suggest the corrected line.
 */
import {
  EngineError,
  type ChatMode,
  type Resolution,
  type RunMode,
  type SpecContent,
  HARD_WEIGHT,
  WORLD_SECTION_SINGULAR,
  type SpecOp,
  type WorldModelContent,
  WORLD_MODEL_SECTIONS,
  type WorldModelSection,
} from '../../domain';
import {
  NotationError,
  resolveConstraint,
  resolveDimension,
  resolveGoal,
  resolveOption,
  resolveWorldItem,
  tryResolve,
  unquote,
  resolveAttribute,
} from './names';
import {
  hasComparator,
  parseAttribute,
  parseCombine,
  parseCompatible,
  parseCostFrom,
  parseIncompatible,
  parseQuantityCommand,
  parseQuantityText,
  parseSetValues,
  type NotationScope,
} from './tradeStudyNotation';
import { extractParenthesised, splitOptionList } from './optionList';

export const DEFAULT_WEIGHT = 50;
const COSTED = /^(.*?)\s*(?:\bcost\b|\$)\s*[:=]?\s*(\S+)$/i;
export const DEFAULT_COST = 1;

export interface ParseContext {
  spec: SpecContent;
  world: WorldModelContent;
  mode: ChatMode;
  newId: () => string;
}

export type LineCommand =
  | { kind: 'ops'; ops: SpecOp[]; notes: string[] }
  | { kind: 'help'; topic: string | null }
  | { kind: 'show' }
  | { kind: 'readiness' };

/** Thrown for a line that starts with no known command word. */
export class UnknownCommandError extends EngineError<'unknown_command'> {
  constructor(readonly head: string) {
    super('unknown_command', { head });
  }
}

/** Removes list bullets, numbering, extra spaces and a sentence-ending full stop. */
export function normalizeLine(raw: string): string {
  let line = raw.replace(/\s+/g, ' ').trim();
  line = line.replace(/^(?:[-*•+]|\d+[.)])\s+/, '');
  line = line.replace(/[;]+$/, '');
  if (/[^\d.]\.$/.test(line)) line = line.slice(0, -1);
  return line.trim();
}

const DASH_SEPARATOR = /\s+(?:—|–|--|-)\s+|\s*[—–]\s*/;

/** "Name — description" → [name, description]. */
function splitDescription(text: string): [string, string] {
  const match = DASH_SEPARATOR.exec(text);
  if (!match || match.index === 0) return [text.trim(), ''];
  return [text.slice(0, match.index).trim(), text.slice(match.index + match[0].length).trim()];
}

function parseNumber(token: string): number {
  const cleaned = token.trim().replace(/^[=:]\s*/, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

function parseWeight(token: string, constraintName: string): number {
  const word = token.trim().toLowerCase();
  if (word === 'hard' || word === 'must') return HARD_WEIGHT;
  const value = parseNumber(word.replace(/%$/, ''));
  const fix = `weight ${constraintName} ${Number.isFinite(value) ? Math.max(0, Math.min(HARD_WEIGHT, Math.round(value))) : DEFAULT_WEIGHT}`;
  if (!Number.isFinite(value))
    throw new NotationError(`"${token}" is not a weight. A weight is a whole number from 0 to 100, or "hard" (= 100).`, fix);
  if (!Number.isInteger(value))
    throw new NotationError(`Weight ${token} is not a whole number. Weights are whole numbers from 0 to 100.`, fix);
  if (value < 0 || value > HARD_WEIGHT)
    throw new NotationError(`Weight ${token} is out of range. Weights go from 0 to 100, where 100 means hard (must hold).`, fix);
  return value;
}

function parseRating(token: string, optionName: string, constraintName: string): number {
  const trimmed = token.trim();
  const percent = /%$/.test(trimmed);
  const raw = parseNumber(trimmed.replace(/%$/, ''));
  const value = percent ? raw / 100 : raw;
  const likelyTenths = value > 1 && value <= 10;
  const clamped = likelyTenths ? value / 10 : Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0.5;
  const fix = `rate ${optionName} ${constraintName} ${clamped}`;
  if (!Number.isFinite(value))
    throw new NotationError(
      `"${token}" is not a rating. A rating is a number from 0 (does not serve the constraint) to 1 (fully serves it), e.g. 0.7.`,
      fix,
    );
  if (value < 0 || value > 1)
    throw new NotationError(
      `Rating ${token} is out of range. Ratings go from 0 to 1, e.g. 0.7${likelyTenths ? ` (did you mean ${clamped}?)` : ''}.`,
      fix,
    );
  return value;
}

function parseCost(token: string, optionName: string): number {
  const value = parseNumber(token);
  const fix = `cost ${optionName} ${Number.isFinite(value) ? Math.max(0, value) : DEFAULT_COST}`;
  if (!Number.isFinite(value))
    throw new NotationError(`"${token}" is not a cost. Cost is a relative number of 0 or more (e.g. 1, 2.5).`, fix);
  if (value < 0) throw new NotationError(`Cost ${token} is negative. Cost is a relative number of 0 or more.`, fix);
  return value;
}

const KIND_WORDS: Record<string, 'goal' | 'constraint' | 'dimension' | 'option' | 'attribute' | WorldModelSection> = {
  attribute: 'attribute',
  attributes: 'attribute',
  goal: 'goal',
  goals: 'goal',
  constraint: 'constraint',
  constraints: 'constraint',
  dimension: 'dimension',
  dimensions: 'dimension',
  dim: 'dimension',
  option: 'option',
  options: 'option',
};
for (const section of WORLD_MODEL_SECTIONS) {
  KIND_WORDS[section] = section;
  KIND_WORDS[WORLD_SECTION_SINGULAR[section]] = section;
}

function splitKind(rest: string): { kind: (typeof KIND_WORDS)[string] | null; body: string } {
  const match = /^([a-z]+)\b\s*:?\s*(.*)$/i.exec(rest);
  const kind = match ? KIND_WORDS[match[1]!.toLowerCase()] : undefined;
  if (match && kind) return { kind, body: match[2]!.trim() };
  return { kind: null, body: rest.trim() };
}

const RESOLUTIONS: Record<string, Resolution> = {
  coarse: 'coarse',
  low: 'coarse',
  medium: 'medium',
  normal: 'medium',
  fine: 'fine',
  high: 'fine',
};
const MODES: Record<string, RunMode> = {
  fullsearch: 'full_search',
  full: 'full_search',
  search: 'full_search',
  evalonly: 'eval_only',
  eval: 'eval_only',
  evaluate: 'eval_only',
  evaluation: 'eval_only',
  seeded: 'seeded',
  seed: 'seeded',
};

function requireText(text: string, usage: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new NotationError(`This command needs more. Usage: ${usage}`, usage);
  return trimmed;
}

/** The value is the last word; everything before it is the name ("weight Offline first = 60"). */
function splitTrailingValue(body: string, usage: string): { name: string; value: string } {
  const match = /^(.*?)\s*(?:[:=]|\bto\b|\bis\b|\bat\b)?\s*(\S+)$/i.exec(body.trim());
  if (!match || !match[1]) throw new NotationError(`I need a name and a value. Usage: ${usage}`, usage);
  const name = match[1].replace(/^(?:of|for)\s+/i, '').trim();
  if (!name) throw new NotationError(`I need a name and a value. Usage: ${usage}`, usage);
  return { name, value: match[2]! };
}

export class NotationParser {
  constructor(private readonly ctx: ParseContext) {}

  parse(line: string): LineCommand {
    const headMatch = /^([a-z?][a-z_-]*)\b\s*:?\s*(.*)$/i.exec(line) ?? /^(\?)\s*(.*)$/.exec(line);
    if (!headMatch) throw new UnknownCommandError(line.split(' ')[0] ?? line);
    const head = headMatch[1]!.toLowerCase();
    const rest = headMatch[2]!.trim();
    switch (head) {
      case 'help':
      case '?':
      case 'commands':
        return { kind: 'help', topic: rest || null };
      case 'show':
      case 'list':
        if (!rest || /^(?:the\s+)?spec(?:ification)?$/i.test(rest) || /^all$/i.test(rest)) return { kind: 'show' };
        if (/^(?:readiness|status)$/i.test(rest)) return { kind: 'readiness' };
        throw new NotationError(`I can show the whole spec: type "show spec".`, 'show spec');
      case 'spec':
        if (!rest) return { kind: 'show' };
        break;
      case 'status':
      case 'readiness':
        if (!rest) return { kind: 'readiness' };
        break;
      case 'add':
      case 'new':
        return this.parse(
          requireText(rest, 'add goal <text> | add constraint <name> weight <0-100> | add option <dimension>: <name> cost <n>'),
        );
      case 'goal':
        return this.ops(this.addGoal(rest));
      case 'constraint':
        return this.ops(...this.addConstraint(rest));
      case 'weight':
        return this.ops(this.setWeight(rest));
      case 'dimension':
      case 'dim':
        return this.ops(...this.addDimension(rest));
      case 'option':
      case 'options':
        return this.ops(...this.addOptions(rest));
      case 'cost':
        return this.ops(this.setCost(rest));
      case 'rate':
      case 'rating':
        return this.ops(...this.rate(rest));
      case 'unrate':
        return this.ops(this.unrate(rest));
      case 'remove':
      case 'delete':
      case 'drop':
        return this.ops(this.remove(rest));
      case 'rename':
        return this.ops(this.rename(rest));
      case 'describe':
      case 'description':
        return this.ops(this.describe(rest));
      case 'edit':
        return this.ops(this.editGoal(rest));
      case 'move':
        return this.ops(this.moveGoal(rest));
      case 'resolution':
        return this.ops(this.setResolution(rest));
      case 'mode':
        return this.ops(this.setMode(rest));
      case 'run':
        if (/^mode\b/i.test(rest)) return this.ops(this.setMode(rest.replace(/^mode\s*:?\s*/i, '')));
        break;
      case 'set': {
        const body = requireText(rest, 'set <option> <attribute> <value> | set weight <constraint> <0-100>');
        // "set weight …", "set mode …" are the older commands behind a "set"; anything else sets attribute values.
        if (
          /^(?:weight|cost|rate|rating|resolution|mode|run)\b/i.test(body) &&
          !/^(?:weight|cost|rate|rating|resolution|mode|run)\s*:/i.test(body)
        )
          return this.parse(body);
        return this.ops(...parseSetValues(this.scope, body));
      }
      case 'attribute':
        return this.ops(...parseAttribute(this.scope, rest));
      case 'quantity':
      case 'formula':
        return this.ops(...parseQuantityCommand(this.scope, rest));
      case 'combine':
        return this.ops(parseCombine(this.scope, rest));
      case 'incompatible':
        return this.ops(parseIncompatible(this.scope, requireText(rest, 'incompatible <option> with <Dimension>/<option> — <reason>')));
      case 'compatible':
        return this.ops(parseCompatible(this.scope, requireText(rest, 'compatible <option> with <Dimension>/<option>')));
    }
    const section = KIND_WORDS[head];
    if (
      section &&
      section !== 'goal' &&
      section !== 'constraint' &&
      section !== 'dimension' &&
      section !== 'option' &&
      section !== 'attribute'
    ) {
      return this.ops(this.addWorldItem(section, rest));
    }
    throw new UnknownCommandError(head);
  }

  private ops(...ops: SpecOp[]): LineCommand {
    return { kind: 'ops', ops, notes: this.notes.splice(0) };
  }

  private readonly notes: string[] = [];

  private get spec(): SpecContent {
    return this.ctx.spec;
  }

  private get scope(): NotationScope {
    return { spec: this.ctx.spec, newId: this.ctx.newId, note: (text) => this.notes.push(text) };
  }

  private addGoal(rest: string): SpecOp {
    const text = unquote(requireText(rest, 'goal: <what the design must achieve>'));
    return { op: 'addGoal', id: this.ctx.newId(), text };
  }

  /** "constraint Flight range: energy_wh / mass >= 30 km margin 5 weight 100 — description". */
  private addQuantityConstraint(rest: string): SpecOp[] {
    const colon = rest.indexOf(':');
    const name = unquote(rest.slice(0, colon));
    const usage = 'constraint <name>: <formula> >= <threshold> [<unit>] [margin <n>] [weight <0-100>]';
    if (!name) throw new NotationError(`The constraint needs a name before the colon. Usage: ${usage}`, usage);
    const existing = tryResolve(() => resolveConstraint(this.spec, name));
    if (existing) {
      const fix = `quantity ${existing.name}: ${rest.slice(colon + 1).trim()}`;
      throw new NotationError(`A constraint named "${existing.name}" already exists; to give it a formula, use "${fix}".`, fix);
    }
    const parsed = parseQuantityText(this.scope, rest.slice(colon + 1), name, null, 'constraint');
    let weight = DEFAULT_WEIGHT;
    if (parsed.weightToken === null)
      this.notes.push(`"${name}" got the default weight ${DEFAULT_WEIGHT}; change it with "weight ${name} <0-100>".`);
    else weight = parseWeight(parsed.weightToken, name);
    const id = this.ctx.newId();
    return [
      { op: 'addConstraint', id, name, description: parsed.description, weight },
      { op: 'setConstraintQuantity', constraintId: id, quantity: parsed.quantity },
    ];
  }

  private addConstraint(rest: string): SpecOp[] {
    const usage = 'constraint: <name> weight <0-100 or hard> — <description>';
    const colon = rest.indexOf(':');
    if (colon > 0 && hasComparator(rest.slice(colon + 1))) return this.addQuantityConstraint(rest);
    const [head, description] = splitDescription(requireText(rest, usage));
    let name = head;
    let weightToken: string | null = null;
    const weighted = /^(.*?)\s*(?:,\s*)?(?:\bweight\b|\bw\b)\s*[:=]?\s*(\S+)$/i.exec(head);
    const parenthesised = /^(.*?)\s*\(\s*(?:weight\s*)?(\S+?)\s*\)$/i.exec(head);
    const hard = /^(.*?)\s*[,(]?\s*\b(hard)\)?$/i.exec(head);
    if (weighted) [name, weightToken] = [weighted[1]!, weighted[2]!];
    else if (parenthesised) [name, weightToken] = [parenthesised[1]!, parenthesised[2]!];
    else if (hard && hard[1]) [name, weightToken] = [hard[1], 'hard'];
    name = unquote(name);
    if (!name) throw new NotationError(`The constraint needs a name. Usage: ${usage}`, usage);
    const existing = tryResolve(() => resolveConstraint(this.spec, name));
    if (existing) {
      const fix = weightToken
        ? `weight ${existing.name} ${weightToken}`
        : `describe constraint ${existing.name}: ${description || '<text>'}`;
      throw new NotationError(
        `A constraint named "${existing.name}" already exists; names must be unique. To change it, use "${fix}".`,
        fix,
      );
    }
    let weight = DEFAULT_WEIGHT;
    if (weightToken === null)
      this.notes.push(`"${name}" got the default weight ${DEFAULT_WEIGHT}; change it with "weight ${name} <0-100>".`);
    else weight = parseWeight(weightToken, name);
    return [{ op: 'addConstraint', id: this.ctx.newId(), name, description, weight }];
  }

  private setWeight(rest: string): SpecOp {
    const usage = 'weight <constraint> <0-100 or hard>';
    const { name, value } = splitTrailingValue(requireText(rest, usage), usage);
    const constraint = resolveConstraint(this.spec, name);
    return { op: 'updateConstraint', constraintId: constraint.id, weight: parseWeight(value, constraint.name) };
  }

  /** "Storage: IndexedDB cost 1, OPFS cost 2 (browser file system)"; adds to an existing dimension of that name. */
  private addDimension(rest: string): SpecOp[] {
    const usage = 'dimension <name>: <option> cost <n>, <option> cost <n>, …';
    const body = requireText(rest, usage);
    const colon = body.indexOf(':');
    const [name, description] = splitDescription(unquote(colon >= 0 ? body.slice(0, colon) : body));
    if (!name) throw new NotationError(`The dimension needs a name. Usage: ${usage}`, usage);
    const optionList = colon >= 0 ? body.slice(colon + 1) : '';
    const ops: SpecOp[] = [];
    let dimensionId: string;
    let existingNames: string[] = [];
    const existing = tryResolve(() => resolveDimension(this.spec, name));
    if (existing) {
      dimensionId = existing.id;
      existingNames = existing.options.map((o) => o.name);
      if (!optionList.trim())
        throw new NotationError(
          `Dimension "${existing.name}" already exists. To add options: "option ${existing.name}: <name> cost <n>".`,
          `option ${existing.name}: <name> cost 1`,
        );
      if (description) ops.push({ op: 'updateDimension', dimensionId, description });
    } else {
      dimensionId = this.ctx.newId();
      ops.push({ op: 'addDimension', id: dimensionId, name, description });
    }
    const head = body.slice(0, colon).trim();
    ops.push(
      ...this.optionOps(dimensionId, optionList, existingNames, existing?.name ?? name, (list) => `dimension ${head}: ${list.trim()}`),
    );
    return ops;
  }

  /** "option Storage: LocalStorage cost 0" or "option Storage/LocalStorage cost 0". */
  private addOptions(rest: string): SpecOp[] {
    const usage = 'option <dimension>: <name> cost <n>[, <name> cost <n>…]';
    const body = requireText(rest, usage);
    const match = /^([^:/]+?)\s*[:/]\s*(.+)$/.exec(body);
    if (!match) throw new NotationError(`Say which dimension the option belongs to. Usage: ${usage}`, usage);
    const dimension = resolveDimension(this.spec, match[1]!);
    return this.optionOps(
      dimension.id,
      match[2]!,
      dimension.options.map((o) => o.name),
      dimension.name,
      (list) => `option ${dimension.name}: ${list.trim()}`,
    );
  }

  private optionOps(
    dimensionId: string,
    list: string,
    existingNames: string[],
    dimensionName: string,
    lineFor: (list: string) => string,
  ): SpecOp[] {
    const ops: SpecOp[] = [];
    const existing = existingNames.map((n) => n.toLowerCase());
    const seen: string[] = [];
    for (const part of splitOptionList(list)) {
      const entry = part.text.trim();
      if (!entry) continue;
      let description = '';
      let text = entry;
      const fixFor = (fixed: string) =>
        lineFor(`${list.slice(0, part.start)} ${fixed}${list.slice(part.start + part.text.length)}`.replace(/\s+/g, ' '));
      const paren = extractParenthesised(entry, fixFor);
      if (paren) {
        const outside = `${paren.before.trim()} ${paren.after.trim()}`.trim();
        // "OPFS (cost 2)" gives the cost in parentheses; once the cost is outside them, "( … )" is always the description.
        if (!COSTED.test(outside) && /^\s*cost\s*[:=]?\s*\S+\s*$/i.test(paren.inner)) text = `${outside} ${paren.inner.trim()}`;
        else {
          description = paren.inner.trim();
          text = outside;
        }
      }
      const [beforeDash, afterDash] = splitDescription(text);
      if (afterDash) {
        description = description || afterDash;
        text = beforeDash;
      }
      const costed = COSTED.exec(text) ?? /^(.*?)\s*=\s*(\S+)$/.exec(text);
      const name = unquote(costed ? costed[1]! : text);
      if (!name)
        throw new NotationError(`An option in "${list.trim()}" has no name. Write options as "<name> cost <n>", separated by commas.`);
      if (existing.includes(name.toLowerCase()))
        throw new NotationError(
          `Dimension ${dimensionName} already has an option named "${name}"; option names must be unique within a dimension.`,
        );
      if (seen.includes(name.toLowerCase()))
        throw new NotationError(`The option "${name}" is listed twice for this dimension; option names must be unique within a dimension.`);
      seen.push(name.toLowerCase());
      let cost = DEFAULT_COST;
      if (costed) cost = parseCost(costed[2]!, name);
      else this.notes.push(`"${name}" got the default cost ${DEFAULT_COST}; change it with "cost ${name} <n>".`);
      ops.push({ op: 'addOption', dimensionId, id: this.ctx.newId(), name, description, cost });
    }
    return ops;
  }

  private setCost(rest: string): SpecOp {
    const from = /^from\s+(.+)$/i.exec(rest.trim());
    if (from) return parseCostFrom(this.scope, from[1]!);
    const usage = 'cost <option> <number ≥ 0> | cost from <attribute> | cost from options';
    const { name, value } = splitTrailingValue(requireText(rest, usage), usage);
    const { option } = resolveOption(this.spec, name);
    return { op: 'updateOption', optionId: option.id, cost: parseCost(value, option.name) };
  }

  /**
   * "rate OPFS Offline-first 0.9", "rate OPFS on Offline first = 0.9",
   * "rate OPFS: Offline-first 0.9, Cost 0.4". Names may contain spaces, so
   * every split point is tried and exactly one must name an option and a constraint.
   */
  private rate(rest: string): SpecOp[] {
    const usage = 'rate <option> <constraint> <0-1>';
    const body = requireText(rest, usage);
    const listForm = /^([^:]+?)\s*:\s*(.+)$/.exec(body);
    if (listForm && !/^\s*\d/.test(listForm[2]!)) {
      const { option } = resolveOption(this.spec, listForm[1]!);
      return listForm[2]!
        .split(/[,;]/)
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const { name, value } = splitTrailingValue(part, usage);
          const constraint = resolveConstraint(this.spec, name);
          return {
            op: 'setRating',
            optionId: option.id,
            constraintId: constraint.id,
            rating: parseRating(value, option.name, constraint.name),
          } satisfies SpecOp;
        });
    }
    const { name: pair, value } = splitTrailingValue(body, usage);
    const { optionId, constraintId, optionName, constraintName } = this.resolvePair(pair, usage);
    return [{ op: 'setRating', optionId, constraintId, rating: parseRating(value, optionName, constraintName) }];
  }

  private unrate(rest: string): SpecOp {
    const usage = 'unrate <option> <constraint>';
    const pair = this.resolvePair(requireText(rest, usage), usage);
    return { op: 'setRating', optionId: pair.optionId, constraintId: pair.constraintId, rating: null };
  }

  private resolvePair(text: string, usage: string): { optionId: string; constraintId: string; optionName: string; constraintName: string } {
    const explicit = /^(.+?)\s+(?:on|for|×|x|\/|\|)\s+(.+)$/i.exec(text);
    const splits: [string, string][] = [];
    if (explicit) splits.push([explicit[1]!, explicit[2]!]);
    const words = text.split(' ');
    for (let i = 1; i < words.length; i++) splits.push([words.slice(0, i).join(' '), words.slice(i).join(' ')]);
    const matches = new Map<string, { optionId: string; constraintId: string; optionName: string; constraintName: string }>();
    for (const [left, right] of splits) {
      const option = tryResolve(() => resolveOption(this.spec, left));
      const constraint = option && tryResolve(() => resolveConstraint(this.spec, right));
      if (option && constraint) {
        matches.set(`${option.option.id}:${constraint.id}`, {
          optionId: option.option.id,
          constraintId: constraint.id,
          optionName: option.option.name,
          constraintName: constraint.name,
        });
      }
      if (explicit && matches.size) break;
    }
    if (matches.size === 1) return [...matches.values()][0]!;
    if (matches.size > 1)
      throw new NotationError(
        `"${text}" can be read more than one way; separate the names with "on": "rate <option> on <constraint> <0-1>".`,
        usage,
      );
    // Explain which half failed, so the reply names the unknown thing rather than "could not parse".
    const halves: [string, string][] = explicit ? [[explicit[1]!, explicit[2]!]] : [];
    for (let i = words.length - 1; i >= 1; i--) halves.push([words.slice(0, i).join(' '), words.slice(i).join(' ')]);
    for (const [left, right] of halves) {
      if (tryResolve(() => resolveOption(this.spec, left))) resolveConstraint(this.spec, right);
    }
    for (const [left, right] of halves.slice().reverse()) {
      if (tryResolve(() => resolveConstraint(this.spec, right))) resolveOption(this.spec, left);
    }
    if (words.length < 2) throw new NotationError(`Name both an option and a constraint. Usage: ${usage}`, usage);
    throw new NotationError(`I could not find an option followed by a constraint in "${text}". Usage: ${usage}`, 'show spec');
  }

  private remove(rest: string): SpecOp {
    const usage = 'remove goal <number> | remove constraint <name> | remove dimension <name> | remove option <name> | remove actor <name>';
    const { kind, body } = splitKind(requireText(rest, usage));
    const name = requireText(body, usage);
    switch (kind) {
      case 'goal':
        return { op: 'removeGoal', goalId: resolveGoal(this.spec, name).id };
      case 'constraint':
        return { op: 'removeConstraint', constraintId: resolveConstraint(this.spec, name).id };
      case 'dimension':
        return { op: 'removeDimension', dimensionId: resolveDimension(this.spec, name).id };
      case 'option':
        return { op: 'removeOption', optionId: resolveOption(this.spec, name).option.id };
      case 'attribute':
        return { op: 'removeAttribute', attributeId: resolveAttribute(this.spec, name).id };
      case null:
        return this.removeByNameOnly(name, usage);
      default:
        return { op: 'removeWorldItem', section: kind, itemId: this.worldItem(kind, name).id };
    }
  }

  private removeByNameOnly(name: string, usage: string): SpecOp {
    const candidates: SpecOp[] = [];
    const constraint = tryResolve(() => resolveConstraint(this.spec, name));
    if (constraint) candidates.push({ op: 'removeConstraint', constraintId: constraint.id });
    const dimension = tryResolve(() => resolveDimension(this.spec, name));
    if (dimension) candidates.push({ op: 'removeDimension', dimensionId: dimension.id });
    const option = tryResolve(() => resolveOption(this.spec, name));
    if (option) candidates.push({ op: 'removeOption', optionId: option.option.id });
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1)
      throw new NotationError(`"${unquote(name)}" names more than one thing; say which, e.g. "remove constraint ${unquote(name)}".`, usage);
    throw new NotationError(`Nothing is named "${unquote(name)}". Say what to remove: ${usage}.`, 'show spec');
  }

  private rename(rest: string): SpecOp {
    const usage = 'rename constraint <old name> to <new name>';
    const { kind, body } = splitKind(requireText(rest, usage));
    const match = /^(.+?)\s*(?:\bto\b|->|→|=>|:)\s*(.+)$/i.exec(body);
    if (!match) throw new NotationError(`Tell me the new name with "to". Usage: ${usage}`, usage);
    const [oldName, newName] = [match[1]!, unquote(match[2]!)];
    switch (kind) {
      case 'goal':
        return { op: 'updateGoal', goalId: resolveGoal(this.spec, oldName).id, text: newName };
      case 'constraint':
        return { op: 'updateConstraint', constraintId: resolveConstraint(this.spec, oldName).id, name: newName };
      case 'dimension':
        return { op: 'updateDimension', dimensionId: resolveDimension(this.spec, oldName).id, name: newName };
      case 'option':
        return { op: 'updateOption', optionId: resolveOption(this.spec, oldName).option.id, name: newName };
      case 'attribute':
        return { op: 'updateAttribute', attributeId: resolveAttribute(this.spec, oldName).id, name: newName };
      case null: {
        const candidates: SpecOp[] = [];
        const constraint = tryResolve(() => resolveConstraint(this.spec, oldName));
        if (constraint) candidates.push({ op: 'updateConstraint', constraintId: constraint.id, name: newName });
        const dimension = tryResolve(() => resolveDimension(this.spec, oldName));
        if (dimension) candidates.push({ op: 'updateDimension', dimensionId: dimension.id, name: newName });
        const option = tryResolve(() => resolveOption(this.spec, oldName));
        if (option) candidates.push({ op: 'updateOption', optionId: option.option.id, name: newName });
        if (candidates.length === 1) return candidates[0]!;
        if (candidates.length > 1)
          throw new NotationError(
            `"${unquote(oldName)}" names more than one thing; say which: "rename constraint ${unquote(oldName)} to ${newName}".`,
            usage,
          );
        throw new NotationError(`Nothing is named "${unquote(oldName)}". ${this.didYouMean(oldName)}Usage: ${usage}`, 'show spec');
      }
      default:
        return { op: 'updateWorldItem', section: kind, itemId: this.worldItem(kind, oldName).id, name: newName };
    }
  }

  private didYouMean(name: string): string {
    for (const resolve of [
      () => resolveConstraint(this.spec, name),
      () => resolveDimension(this.spec, name),
      () => resolveOption(this.spec, name),
    ]) {
      try {
        resolve();
      } catch (error) {
        if (error instanceof NotationError && error.details.suggestion) return `Did you mean "${error.details.suggestion}"? `;
      }
    }
    return '';
  }

  private describe(rest: string): SpecOp {
    const usage = 'describe constraint <name>: <description>';
    const { kind, body } = splitKind(requireText(rest, usage));
    const match = /^(.+?)\s*(?::|\s—\s|\s–\s|\s-\s)\s*(.*)$/.exec(body);
    if (!match) throw new NotationError(`Put the description after a colon. Usage: ${usage}`, usage);
    const [name, description] = [match[1]!, match[2]!.trim()];
    switch (kind) {
      case 'constraint':
      case null: {
        if (kind === null) {
          const option = tryResolve(() => resolveOption(this.spec, name));
          const dimension = tryResolve(() => resolveDimension(this.spec, name));
          const constraint = tryResolve(() => resolveConstraint(this.spec, name));
          if ([option, dimension, constraint].filter(Boolean).length > 1) {
            throw new NotationError(
              `"${unquote(name)}" names more than one thing; say which, e.g. "describe constraint ${unquote(name)}: …".`,
              usage,
            );
          }
          if (option) return { op: 'updateOption', optionId: option.option.id, description };
          if (dimension) return { op: 'updateDimension', dimensionId: dimension.id, description };
        }
        return { op: 'updateConstraint', constraintId: resolveConstraint(this.spec, name).id, description };
      }
      case 'dimension':
        return { op: 'updateDimension', dimensionId: resolveDimension(this.spec, name).id, description };
      case 'option':
        return { op: 'updateOption', optionId: resolveOption(this.spec, name).option.id, description };
      case 'goal':
        throw new NotationError('Goals have only a text; change it with "edit goal <number>: <new text>".', 'edit goal 1: <new text>');
      case 'attribute':
        throw new NotationError(
          'Attributes have a name, a key and a unit but no description; change the unit with "attribute <name> unit <unit>".',
          'attribute <name> unit <unit>',
        );
      default:
        return { op: 'updateWorldItem', section: kind, itemId: this.worldItem(kind, name).id, description };
    }
  }

  private editGoal(rest: string): SpecOp {
    const usage = 'edit goal <number>: <new text>';
    const { kind, body } = splitKind(requireText(rest, usage));
    if (kind !== 'goal')
      throw new NotationError(`"edit" works on goals. Usage: ${usage}. For other items use rename, weight, cost or describe.`, usage);
    const match = /^(#?\d+)\s*[:=]?\s*(.+)$/.exec(body);
    if (!match) throw new NotationError(`Usage: ${usage}`, usage);
    return { op: 'updateGoal', goalId: resolveGoal(this.spec, match[1]!).id, text: unquote(match[2]!) };
  }

  private moveGoal(rest: string): SpecOp {
    const usage = 'move goal <number> to <position>';
    const { kind, body } = splitKind(requireText(rest, usage));
    const match = /^(#?\d+)\s+(?:to\s+)?#?(\d+)$/i.exec(body);
    if (kind !== 'goal' || !match) throw new NotationError(`Usage: ${usage}`, usage);
    const goal = resolveGoal(this.spec, match[1]!);
    const toIndex = Number(match[2]) - 1;
    if (toIndex < 0 || toIndex >= this.spec.goals.length) {
      throw new NotationError(`Position ${match[2]} is out of range; goals are numbered 1 to ${this.spec.goals.length}.`, usage);
    }
    return { op: 'moveGoal', goalId: goal.id, toIndex };
  }

  private setResolution(rest: string): SpecOp {
    const resolution = RESOLUTIONS[rest.trim().toLowerCase()];
    if (!resolution) throw new NotationError(`"${rest}" is not a resolution. Choose coarse, medium or fine.`, 'resolution medium');
    return { op: 'setResolution', resolution };
  }

  private setMode(rest: string): SpecOp {
    const mode =
      MODES[
        rest
          .trim()
          .toLowerCase()
          .replace(/[\s_-]+/g, '')
      ];
    if (!mode) throw new NotationError(`"${rest}" is not a run mode. Choose full search, eval only or seeded.`, 'mode full search');
    return { op: 'setMode', mode };
  }

  private worldItem(section: WorldModelSection, name: string) {
    this.requireWorldAccess();
    return resolveWorldItem(this.ctx.world, section, name, WORLD_SECTION_SINGULAR[section]);
  }

  private requireWorldAccess(): void {
    if (this.ctx.mode === 'whatif') {
      throw new NotationError(
        'The world model is shared by all chats, so a what-if chat cannot change it. Change it in a setup chat or in the Spec tab.',
      );
    }
  }

  private addWorldItem(section: WorldModelSection, rest: string): SpecOp {
    this.requireWorldAccess();
    const label = WORLD_SECTION_SINGULAR[section];
    const usage = `${label}: <name> — <description>`;
    const [name, description] = splitDescription(requireText(rest, usage));
    return { op: 'addWorldItem', section, id: this.ctx.newId(), name: unquote(name), description };
  }
}
