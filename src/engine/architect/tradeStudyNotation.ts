/**
 * The trade-study part of the notation: attributes with units, option values,
 * the cost source, quantity constraints, combine modes and incompatibilities.
 *
 *   attribute Mass kg                     attribute Energy (energy_wh) Wh
 *   set LiPo mass 0.8                     set LiPo: mass 0.8, energy_wh 250
 *   cost from price                       cost from options
 *   constraint Flight range: energy_wh / ((mass + 5) * 0.025) >= 30 km margin 5 weight 100
 *   quantity Flight range: energy_wh / mass >= 30 km      quantity Flight range: none
 *   combine Low cost weakest              combine Low cost mean
 *   incompatible LiPo with Thermal/None — needs active cooling
 *   compatible LiPo with Thermal/None
 */
import {
  ATTRIBUTE_KEY_PATTERN,
  HARD_WEIGHT,
  type Attribute,
  type ConstraintQuantity,
  type SpecContent,
  formulaIdentifiers,
  RESERVED_FORMULA_NAMES,
  type SpecOp,
} from '../../domain';
import {
  closestNames,
  NotationError,
  resolveAttribute,
  resolveConstraint,
  resolveOption,
  tryResolve,
  unquote,
  type OptionRef,
} from './names';

export interface NotationScope {
  spec: SpecContent;
  newId: () => string;
  note: (text: string) => void;
}

function parseNumberToken(token: string): number {
  const cleaned = token.trim().replace(/^[=:]\s*/, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

// ---------------------------------------------------------------------------
// attribute
// ---------------------------------------------------------------------------

const COMMON_UNITS = new Set(
  [
    'kg',
    'g',
    't',
    'wh',
    'kwh',
    'mwh',
    'ah',
    'mah',
    'w',
    'kw',
    'v',
    'a',
    'km',
    'm',
    'cm',
    'mm',
    's',
    'min',
    'h',
    'l',
    'eur',
    'usd',
    'gbp',
    'chf',
    '$',
    '€',
    '£',
    '%',
    'c',
    '°c',
    'cycles',
    'years',
    'months',
    'days',
    'hours',
    'kgco2',
    'n',
    'pa',
    'kpa',
    'bar',
  ].map((u) => u.toLowerCase()),
);

/** "kg", "Wh/kg", "°C", "EUR": short, or carrying a unit symbol, or a common unit word. */
function looksLikeUnit(token: string): boolean {
  const lower = token.toLowerCase();
  return COMMON_UNITS.has(lower) || /[/%°$€£·^²³]/.test(token) || (token.length <= 3 && !/^[A-Z][a-z]+$/.test(token));
}

/** "Pack mass" → "pack_mass"; a digit start or a function name gets a suffix; unique among `taken`. */
export function deriveAttributeKey(name: string, taken: readonly string[]): string {
  let key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!key) key = 'value';
  if (/^\d/.test(key)) key = `_${key}`;
  if (RESERVED_FORMULA_NAMES.includes(key)) key = `${key}_value`;
  const lowerTaken = new Set(taken.map((t) => t.toLowerCase()));
  let candidate = key;
  for (let n = 2; lowerTaken.has(candidate); n++) candidate = `${key}_${n}`;
  return candidate;
}

export function parseAttribute(scope: NotationScope, rest: string): SpecOp[] {
  const usage = 'attribute <name> [(<key>)] [<unit>], e.g. attribute Energy (energy_wh) Wh';
  const body = rest.trim();
  if (!body) throw new NotationError(`This command needs a name. Usage: ${usage}`, 'attribute Mass kg');
  let name: string;
  let key: string | null = null;
  let unit = '';
  const withKey = /^(.*?)\s*\(\s*([^)]*?)\s*\)\s*(.*)$/.exec(body);
  const withUnitWord = /^(.*?)\s+unit\s*[:=]?\s*(\S*)$/i.exec(body);
  if (withKey) {
    [name, key, unit] = [withKey[1]!, withKey[2]!, withKey[3]!.trim()];
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw new NotationError(
        `"${key}" cannot be an attribute key: a key starts with a letter or _ and holds only letters, digits and _ (it is what formulas use).`,
        `attribute ${unquote(name)} (${deriveAttributeKey(key || name, [])})${unit ? ` ${unit}` : ''}`,
      );
    }
  } else if (withUnitWord) {
    [name, unit] = [withUnitWord[1]!, withUnitWord[2]!];
    if (/^(?:none|-)$/i.test(unit)) unit = '';
  } else {
    const words = body.split(' ');
    const last = words.at(-1)!;
    if (words.length > 1 && looksLikeUnit(last)) {
      name = words.slice(0, -1).join(' ');
      unit = last;
    } else {
      name = body;
    }
  }
  name = unquote(name);
  if (!name) throw new NotationError(`The attribute needs a name. Usage: ${usage}`, 'attribute Mass kg');
  const existing = tryResolve(() => resolveAttribute(scope.spec, name));
  if (existing && existing.name.toLowerCase() === name.toLowerCase()) {
    const change: SpecOp = { op: 'updateAttribute', attributeId: existing.id, unit };
    if (key !== null) change.key = key;
    return [change];
  }
  const keys = scope.spec.designSpace.attributes.map((a) => a.key);
  const finalKey = key ?? deriveAttributeKey(name, keys);
  if (key === null)
    scope.note(
      `"${name}" is written "${finalKey}" in formulas${unit ? '' : '; it has no unit (add one with "attribute ' + name + ' unit <unit>")'}.`,
    );
  return [{ op: 'addAttribute', id: scope.newId(), key: finalKey, name, unit }];
}

// ---------------------------------------------------------------------------
// set <option> <attribute> <value>
// ---------------------------------------------------------------------------

function parseValue(token: string, optionName: string, attribute: Attribute): number | null {
  if (/^(?:none|clear|-|–|n\/a)$/i.test(token.trim())) return null;
  const value = parseNumberToken(token);
  if (!Number.isFinite(value)) {
    throw new NotationError(
      `"${token}" is not a value for ${attribute.name}. A value is a number${attribute.unit ? ` in ${attribute.unit}` : ''} (e.g. 0.8), or "none" to clear it.`,
      `set ${optionName} ${attribute.key} 1`,
    );
  }
  return value;
}

/** "0.8 kg" / "0.8kg" → "0.8" when the unit is the attribute's own. */
function stripUnit(text: string, attribute: Attribute | null): string {
  const trimmed = text.trim();
  if (!attribute?.unit) return trimmed;
  const escaped = attribute.unit.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');
  return trimmed.replace(new RegExp(`\\s*${escaped}$`, 'i'), '');
}

function valueOp(option: OptionRef, attribute: Attribute, valueText: string): SpecOp {
  return {
    op: 'setAttributeValue',
    optionId: option.option.id,
    attributeId: attribute.id,
    value: parseValue(stripUnit(valueText, attribute), option.option.name, attribute),
  };
}

export function parseSetValues(scope: NotationScope, rest: string): SpecOp[] {
  const usage = 'set <option> <attribute> <value> | set <option>: <attribute> <value>, <attribute> <value>';
  const body = rest.trim();
  if (!scope.spec.designSpace.attributes.length) {
    throw new NotationError(
      'There are no attributes yet, so there is nothing to set. Define one first, e.g. "attribute Mass kg".',
      'attribute Mass kg',
    );
  }
  const listForm = /^([^:]+?)\s*:\s*(.+)$/.exec(body);
  if (listForm) {
    const option = resolveOption(scope.spec, listForm[1]!);
    return listForm[2]!
      .split(/[,;]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const split = splitNameAndValue(part);
        const attribute = resolveAttribute(scope.spec, split.name);
        return valueOp(option, attribute, split.value);
      });
  }
  // Names may contain spaces: try every split into "<option> <attribute>" before the value.
  const { name: pair, value } = splitNameAndValue(body);
  const words = pair.split(' ');
  const matches: { option: OptionRef; attribute: Attribute }[] = [];
  for (let i = 1; i < words.length; i++) {
    const option = tryResolve(() => resolveOption(scope.spec, words.slice(0, i).join(' ')));
    const attribute = option && tryResolve(() => resolveAttribute(scope.spec, words.slice(i).join(' ')));
    if (option && attribute) matches.push({ option, attribute });
  }
  if (matches.length === 1) return [valueOp(matches[0]!.option, matches[0]!.attribute, value)];
  if (matches.length > 1)
    throw new NotationError(`"${pair}" can be read more than one way; use the list form: "set <option>: <attribute> ${value}".`, usage);
  // Name the half that is unknown, with a suggestion.
  for (let i = words.length - 1; i >= 1; i--) {
    if (tryResolve(() => resolveOption(scope.spec, words.slice(0, i).join(' ')))) resolveAttribute(scope.spec, words.slice(i).join(' '));
  }
  if (words.length >= 2) resolveOption(scope.spec, words.slice(0, -1).join(' '));
  throw new NotationError(`Name an option, an attribute and a value. Usage: ${usage}`, usage);
}

/** The value is the last number (with an optional unit after it); the name is everything before. */
function splitNameAndValue(text: string): { name: string; value: string } {
  const match = /^(.*?)\s*[=:]?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*[^\s\d]*|none|clear|-)$/i.exec(text.trim());
  if (!match || !match[1])
    throw new NotationError(`I need an option, an attribute and a value, e.g. "set LiPo mass 0.8".`, 'set <option> <attribute> <value>');
  return { name: match[1].trim(), value: match[2]!.trim() };
}

// ---------------------------------------------------------------------------
// cost from <attribute> | options
// ---------------------------------------------------------------------------

export function parseCostFrom(scope: NotationScope, source: string): SpecOp {
  const text = unquote(source);
  if (/^(?:options?|option costs?|costs?|none)$/i.test(text)) return { op: 'setCostAttribute', attributeId: null };
  const attribute = tryResolve(() => resolveAttribute(scope.spec, text));
  if (!attribute) {
    const known = scope.spec.designSpace.attributes.map((a) => a.key);
    const close = closestNames(known, text);
    throw new NotationError(
      `There is no attribute "${text}" to take the cost from. ${close.length ? `Did you mean "${close[0]}"? ` : ''}Write "cost from <attribute>"${known.length ? ` (${known.join(', ')})` : ''} or "cost from options".`,
      close.length ? `cost from ${close[0]}` : 'cost from options',
    );
  }
  return { op: 'setCostAttribute', attributeId: attribute.id };
}

// ---------------------------------------------------------------------------
// Quantity constraints
// ---------------------------------------------------------------------------

const COMPARATOR = /\s*(>=|<=|≥|≤|=>|=<|>|<|\bat least\b|\bat most\b)\s*/i;

export function hasComparator(text: string): boolean {
  return COMPARATOR.test(text);
}

export interface ParsedQuantity {
  quantity: ConstraintQuantity;
  weightToken: string | null;
  description: string;
}

/** Splits a description off with an em/en dash or " -- " (a single "-" is subtraction in a formula). */
function splitFormulaDescription(text: string): [string, string] {
  const match = /\s+(?:—|–|--)\s+|\s*[—–]\s*/.exec(text);
  if (!match || match.index === 0) return [text.trim(), ''];
  return [text.slice(0, match.index).trim(), text.slice(match.index + match[0].length).trim()];
}

/** Checks the formula's names against the attribute keys, so an unknown one gets a "did you mean". */
function checkFormulaNames(scope: NotationScope, expression: string, fixLine: (expression: string) => string): void {
  const attributes = scope.spec.designSpace.attributes;
  const keys = attributes.map((a) => a.key);
  for (const name of formulaIdentifiers(expression)) {
    if (keys.includes(name)) continue;
    const byName = attributes.find((a) => a.name.toLowerCase() === name.toLowerCase() || a.key.toLowerCase() === name.toLowerCase());
    const suggestion = byName?.key ?? closestNames(keys, name)[0];
    const fixed = suggestion ? expression.replace(new RegExp(`(?<![A-Za-z0-9_.])${name}(?![A-Za-z0-9_])`, 'g'), suggestion) : expression;
    const known = keys.length ? `Attribute keys: ${keys.join(', ')}.` : 'There are no attributes yet; define one with "attribute Mass kg".';
    throw new NotationError(
      `The formula uses "${name}", which is not an attribute key.${suggestion ? ` Did you mean "${suggestion}"?` : ''} ${known}`,
      suggestion ? fixLine(fixed) : keys.length ? undefined : 'attribute Mass kg',
    );
  }
}

/**
 * "<formula> >= 30 km margin 5 weight 100 — description". Missing margin:
 * 10 % of the threshold (1 for a threshold of 0), said in a note.
 */
export function parseQuantityText(
  scope: NotationScope,
  text: string,
  constraintName: string,
  previous: ConstraintQuantity | null,
  command: string,
): ParsedQuantity {
  const usage = `${command} ${constraintName}: <formula> >= <threshold> [<unit>] [margin <n>]`;
  const [main, description] = splitFormulaDescription(text);
  const comparatorMatch = COMPARATOR.exec(main);
  if (!comparatorMatch) {
    throw new NotationError(
      `A quantity needs a comparison: "<formula> >= <threshold>" or "<formula> <= <threshold>". Usage: ${usage}`,
      usage,
    );
  }
  const expression = main.slice(0, comparatorMatch.index).trim();
  const symbol = comparatorMatch[1]!.toLowerCase();
  const comparator: ConstraintQuantity['comparator'] = ['>=', '≥', '=>', '>', 'at least'].includes(symbol) ? 'atLeast' : 'atMost';
  if (symbol === '>' || symbol === '<')
    scope.note(`"${symbol}" is read as "${comparator === 'atLeast' ? '>=' : '<='}": satisfaction is 0.5 exactly at the threshold.`);
  if (!expression) throw new NotationError(`The formula before "${comparatorMatch[1]}" is empty. Usage: ${usage}`, usage);
  const tokens = main
    .slice(comparatorMatch.index + comparatorMatch[0].length)
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const first = tokens.shift() ?? '';
  const attached = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(\D.*)?$/i.exec(first);
  const threshold = attached ? Number(attached[1]) : Number.NaN;
  if (!Number.isFinite(threshold)) {
    throw new NotationError(
      `"${first || '(nothing)'}" is not a threshold: after "${comparatorMatch[1]!.trim()}" comes a number, e.g. 30.`,
      `${command} ${constraintName}: ${expression} ${comparatorMatch[1]!.trim()} 30`,
    );
  }
  const unitParts: string[] = attached?.[2] ? [attached[2]] : [];
  let margin: number | null = null;
  let weightToken: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lower = token.toLowerCase();
    if (lower === 'margin' || lower === '±' || lower === '+-') {
      const value = parseNumberToken(tokens[++i] ?? '');
      if (!Number.isFinite(value) || value <= 0) {
        throw new NotationError(
          `"${tokens[i] ?? '(nothing)'}" is not a margin: the margin is a number above 0, the distance from the threshold at which satisfaction reaches 1 (or 0).`,
          `${command} ${constraintName}: ${expression} ${comparatorMatch[1]!.trim()} ${threshold}${unitParts.length ? ` ${unitParts.join(' ')}` : ''} margin ${Math.abs(threshold) / 10 || 1}`,
        );
      }
      margin = value;
    } else if (lower === 'weight' || lower === 'w') {
      weightToken = tokens[++i] ?? '';
    } else if (lower === 'hard') {
      weightToken = 'hard';
    } else if (margin === null && weightToken === null && unitParts.length === 0) {
      unitParts.push(token);
    } else {
      throw new NotationError(
        `I did not understand "${token}" after the threshold. Allowed there: a unit, "margin <n>", "weight <0-100>". Usage: ${usage}`,
        usage,
      );
    }
  }
  checkFormulaNames(
    scope,
    expression,
    (fixed) =>
      `${command} ${constraintName}: ${fixed} ${comparatorMatch[1]!.trim()} ${threshold}${unitParts.length ? ` ${unitParts.join(' ')}` : ''}`,
  );
  const unit = unitParts.join(' ');
  if (margin === null) {
    margin = previous?.margin ?? (Math.abs(threshold) / 10 || 1);
    if (!previous)
      scope.note(
        `"${constraintName}" got margin ${margin}${unit ? ` ${unit}` : ''} (10 % of the threshold): satisfaction reaches 1 that far past the threshold. Set it with "margin <n>".`,
      );
  }
  return { quantity: { expression, comparator, threshold, unit, margin }, weightToken, description };
}

/** "quantity Flight range: <formula> >= 30 km" on an existing constraint; ": none" makes it rated again. */
export function parseQuantityCommand(scope: NotationScope, rest: string): SpecOp[] {
  const usage = 'quantity <constraint>: <formula> >= <threshold> [<unit>] [margin <n>]';
  const match = /^([^:]+?)\s*:\s*(.+)$/.exec(rest.trim());
  if (!match) throw new NotationError(`Put the formula after a colon. Usage: ${usage}`, usage);
  const constraint = resolveConstraint(scope.spec, match[1]!);
  if (/^(?:none|off|remove|ratings?)$/i.test(match[2]!.trim()))
    return [{ op: 'setConstraintQuantity', constraintId: constraint.id, quantity: null }];
  const parsed = parseQuantityText(scope, match[2]!, constraint.name, constraint.quantity, 'quantity');
  const ops: SpecOp[] = [{ op: 'setConstraintQuantity', constraintId: constraint.id, quantity: parsed.quantity }];
  if (parsed.description) ops.push({ op: 'updateConstraint', constraintId: constraint.id, description: parsed.description });
  if (parsed.weightToken !== null)
    throw new NotationError(
      `Change the weight on its own line: "weight ${constraint.name} ${parsed.weightToken}".`,
      `weight ${constraint.name} ${parsed.weightToken}`,
    );
  return ops;
}

// ---------------------------------------------------------------------------
// combine
// ---------------------------------------------------------------------------

const COMBINE_WORDS: [RegExp, 'mean' | 'weakest'][] = [
  [/\s+(?:weakest(?:[\s-]link)?|min(?:imum)?|worst)$/i, 'weakest'],
  [/\s+(?:(?:weighted\s+)?mean|average|avg|compensatory)$/i, 'mean'],
];

export function parseCombine(scope: NotationScope, rest: string): SpecOp {
  const usage = 'combine <constraint> weakest | combine <constraint> mean';
  const body = rest.trim();
  for (const [pattern, combine] of COMBINE_WORDS) {
    const match = pattern.exec(body);
    if (!match) continue;
    const constraint = resolveConstraint(scope.spec, body.slice(0, match.index).replace(/\s*(?:by|to|=|:)$/i, ''));
    if (constraint.weight >= HARD_WEIGHT && combine === 'mean') {
      scope.note(
        `"${constraint.name}" is hard (weight 100), so it combines by weakest link whatever its mode says, until its weight goes below 100.`,
      );
    }
    return { op: 'updateConstraint', constraintId: constraint.id, combine };
  }
  const last = body.split(' ').at(-1) ?? '';
  throw new NotationError(
    `"${last}" is not a combine mode. Allowed: "weakest" (weakest link: the worst chosen option decides) or "mean" (weighted mean: a good option makes up for a poor one).`,
    body.includes(' ') ? `combine ${body.split(' ').slice(0, -1).join(' ')} weakest` : usage,
  );
}

// ---------------------------------------------------------------------------
// incompatible / compatible
// ---------------------------------------------------------------------------

function resolveOptionPair(scope: NotationScope, text: string, usage: string): [OptionRef, OptionRef] {
  const separators = /\s+(?:with|and|&|×|\+)\s+/gi;
  const splits: [string, string][] = [];
  for (const match of text.matchAll(separators)) splits.push([text.slice(0, match.index), text.slice(match.index + match[0].length)]);
  if (!splits.length) throw new NotationError(`Name two options joined by "with". Usage: ${usage}`, usage);
  const found: [OptionRef, OptionRef][] = [];
  for (const [left, right] of splits) {
    const a = tryResolve(() => resolveOption(scope.spec, left));
    const b = a && tryResolve(() => resolveOption(scope.spec, right));
    if (a && b) found.push([a, b]);
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new NotationError(`"${text}" can be read more than one way; write the options as <Dimension>/<option>.`, usage);
  // Say which side is unknown (this throws the "did you mean" of the resolver).
  const [left, right] = splits[0]!;
  resolveOption(scope.spec, left);
  resolveOption(scope.spec, right);
  throw new NotationError(`I could not find two options in "${text}". Usage: ${usage}`, 'show spec');
}

export function parseIncompatible(scope: NotationScope, rest: string): SpecOp {
  const usage = 'incompatible <option> with <Dimension>/<option> — <reason>';
  const [pairText, reason] = splitFormulaDescription(rest.trim());
  const [a, b] = resolveOptionPair(scope, pairText, usage);
  if (a.dimension.id === b.dimension.id) {
    throw new NotationError(
      `${a.dimension.name}/${a.option.name} and ${b.dimension.name}/${b.option.name} are in the same dimension, so no design holds both; incompatible pairs join options of different dimensions.`,
    );
  }
  return { op: 'addIncompatibility', id: scope.newId(), optionIds: [a.option.id, b.option.id], reason };
}

export function parseCompatible(scope: NotationScope, rest: string): SpecOp {
  const usage = 'compatible <option> with <Dimension>/<option>';
  const [pairText] = splitFormulaDescription(rest.trim());
  const [a, b] = resolveOptionPair(scope, pairText, usage);
  const pair = new Set([a.option.id, b.option.id]);
  const existing = scope.spec.designSpace.incompatibilities.find((i) => pair.has(i.optionIds[0]) && pair.has(i.optionIds[1]));
  if (!existing)
    throw new NotationError(
      `${a.dimension.name}/${a.option.name} and ${b.dimension.name}/${b.option.name} are not marked incompatible, so there is nothing to remove.`,
    );
  return { op: 'removeIncompatibility', incompatibilityId: existing.id };
}
