/**
 * The formula language of quantity constraints (docs/engine.md, "Quantities").
 * Parsed by jsep (a maintained expression parser); evaluated by our own walker
 * over the parsed tree — never eval or new Function.
 *
 *   numbers, ( ), unary −, binary + − * / ^ (power, right-associative, binds tighter than * and /)
 *   key                      the attribute's SUM over the design's chosen options (no value counts 0)
 *   sum(k) min(k) max(k) mean(k) count(k)
 *                            aggregate over the chosen options that HAVE a value for k
 *                            (min/max/mean of no values is not a number, so the constraint scores 0)
 *   min(a, b, …) max(a, b, …) numeric min / max of two or more expressions
 *   abs(x) sqrt(x)
 *
 * A formula is compiled once per run into closures over attribute indexes
 * (positions in the attribute list given to the parser), so evaluating it per
 * design touches only numbers.
 */
import jsep from 'jsep';
import type { Attribute } from './spec';
import { DomainError } from './errors';

export const MAX_FORMULA_LENGTH = 500;

export type QuantityParseErrorCode = 'syntax' | 'unknown_attribute' | 'unknown_function' | 'bad_arguments' | 'too_long';

/** Per attribute (by index in the compiled attribute list): aggregates over a design's chosen options. */
export interface QuantityAggregates {
  sum: ArrayLike<number>;
  min: ArrayLike<number>;
  max: ArrayLike<number>;
  /** How many chosen options have a value. */
  count: ArrayLike<number>;
}

type Node = (aggregates: QuantityAggregates, scale: ArrayLike<number> | null) => number;

export interface CompiledQuantity {
  expression: string;
  /** The attributes the parser knew, in order: aggregate arrays are indexed by position here. */
  attributeIds: readonly string[];
  /** Indexes (into attributeIds) of the attributes the formula uses, in order of first use. */
  referenced: readonly number[];
  keys: readonly string[];
  /** Evaluate over aggregates; `scale[a]` multiplies attribute a's values (a scenario's attributeScales). */
  evaluate: Node;
}

export type QuantityParseResult = { ok: true; compiled: CompiledQuantity } | { ok: false; code: QuantityParseErrorCode; message: string };

let configured = false;
function parser(): typeof jsep {
  if (!configured) {
    // jsep's '^' is bitwise XOR below '+'; here it is power, above '*' and '/'.
    jsep.removeBinaryOp('^');
    jsep.addBinaryOp('^', 11, true);
    configured = true;
  }
  return jsep;
}

const AGGREGATES = new Set(['sum', 'min', 'max', 'mean', 'count']);
const FUNCTIONS = new Set([...AGGREGATES, 'abs', 'sqrt']);

class FormulaError extends DomainError<'formula_invalid'> {
  constructor(problem: QuantityParseErrorCode, reason: string) {
    super('formula_invalid', { problem, reason });
  }
}

interface JsepNode {
  type: string;
  [key: string]: unknown;
}

export function parseQuantityExpression(text: string, attributes: readonly Pick<Attribute, 'id' | 'key'>[]): QuantityParseResult {
  const expression = text.trim();
  if (expression.length === 0)
    return { ok: false, code: 'syntax', message: 'The formula is empty; write one over attribute keys, e.g. energy_wh / mass.' };
  if (expression.length > MAX_FORMULA_LENGTH) {
    return {
      ok: false,
      code: 'too_long',
      message: `The formula is ${expression.length} characters long; keep it under ${MAX_FORMULA_LENGTH}.`,
    };
  }
  let tree: JsepNode;
  try {
    tree = parser()(expression);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/ at character \d+$/, '') : 'it cannot be read';
    return {
      ok: false,
      code: 'syntax',
      message: `The formula '${expression}' cannot be read: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}.`,
    };
  }
  const indexByKey = new Map(attributes.map((attribute, index) => [attribute.key, index]));
  const referenced: number[] = [];
  const noteUse = (index: number) => {
    if (!referenced.includes(index)) referenced.push(index);
  };
  const known = () => (attributes.length ? `known keys: ${attributes.map((a) => a.key).join(', ')}` : 'the spec has no attributes yet');
  const attributeIndex = (name: string): number => {
    const index = indexByKey.get(name);
    if (index === undefined)
      throw new FormulaError('unknown_attribute', `The formula uses '${name}', which is not an attribute key (${known()}).`);
    noteUse(index);
    return index;
  };

  const build = (node: JsepNode): Node => {
    switch (node.type) {
      case 'Literal': {
        const value = node.value;
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw new FormulaError(
            'syntax',
            `The formula may only hold numbers, attribute keys and functions; '${String(node.raw)}' is not one.`,
          );
        return () => value;
      }
      case 'Identifier': {
        const name = node.name as string;
        if (FUNCTIONS.has(name)) throw new FormulaError('bad_arguments', `'${name}' is a function: write ${name}(…).`);
        const a = attributeIndex(name);
        return (agg, scale) => agg.sum[a]! * (scale ? scale[a]! : 1);
      }
      case 'UnaryExpression': {
        const argument = build(node.argument as JsepNode);
        if (node.operator === '-') return (agg, scale) => -argument(agg, scale);
        if (node.operator === '+') return argument;
        throw new FormulaError('syntax', `The formula uses '${String(node.operator)}', which it does not know (use + − * / ^).`);
      }
      case 'BinaryExpression': {
        const left = build(node.left as JsepNode);
        const right = build(node.right as JsepNode);
        switch (node.operator) {
          case '+':
            return (agg, scale) => left(agg, scale) + right(agg, scale);
          case '-':
            return (agg, scale) => left(agg, scale) - right(agg, scale);
          case '*':
            return (agg, scale) => left(agg, scale) * right(agg, scale);
          case '/':
            return (agg, scale) => left(agg, scale) / right(agg, scale);
          case '^':
            return (agg, scale) => left(agg, scale) ** right(agg, scale);
          default:
            throw new FormulaError('syntax', `The formula uses '${String(node.operator)}', which it does not know (use + − * / ^).`);
        }
      }
      case 'CallExpression': {
        const callee = node.callee as JsepNode;
        if (callee.type !== 'Identifier')
          throw new FormulaError('syntax', 'Only the functions sum, min, max, mean, count, abs and sqrt can be called.');
        const name = callee.name as string;
        const args = node.arguments as JsepNode[];
        if (!FUNCTIONS.has(name))
          throw new FormulaError(
            'unknown_function',
            `The formula calls '${name}', which is not a function it knows (sum, min, max, mean, count, abs, sqrt).`,
          );
        if (name === 'abs' || name === 'sqrt') {
          if (args.length !== 1) throw new FormulaError('bad_arguments', `${name}(…) takes exactly one argument.`);
          const inner = build(args[0]!);
          return name === 'abs' ? (agg, scale) => Math.abs(inner(agg, scale)) : (agg, scale) => Math.sqrt(inner(agg, scale));
        }
        if ((name === 'min' || name === 'max') && args.length >= 2) {
          const parts = args.map(build);
          const pick = name === 'min' ? Math.min : Math.max;
          return (agg, scale) => {
            let result = parts[0]!(agg, scale);
            for (let i = 1; i < parts.length; i++) result = pick(result, parts[i]!(agg, scale));
            return result;
          };
        }
        if (args.length !== 1 || args[0]!.type !== 'Identifier') {
          throw new FormulaError(
            'bad_arguments',
            `${name}(…) takes one attribute key${name === 'min' || name === 'max' ? ', or two or more expressions' : ''}, e.g. ${name}(mass).`,
          );
        }
        const a = attributeIndex(args[0]!.name as string);
        const factor = (scale: ArrayLike<number> | null) => (scale ? scale[a]! : 1);
        switch (name) {
          case 'sum':
            return (agg, scale) => agg.sum[a]! * factor(scale);
          case 'count':
            return (agg) => agg.count[a]!;
          case 'mean':
            return (agg, scale) => (agg.count[a]! > 0 ? (agg.sum[a]! / agg.count[a]!) * factor(scale) : NaN);
          case 'min':
            return (agg, scale) => (agg.count[a]! > 0 ? agg.min[a]! * factor(scale) : NaN);
          default:
            return (agg, scale) => (agg.count[a]! > 0 ? agg.max[a]! * factor(scale) : NaN);
        }
      }
      default:
        throw new FormulaError(
          'syntax',
          `The formula '${expression}' holds something other than numbers, attribute keys, + − * / ^ and function calls.`,
        );
    }
  };

  try {
    const evaluate = build(tree);
    return {
      ok: true,
      compiled: {
        expression,
        attributeIds: attributes.map((attribute) => attribute.id),
        referenced,
        keys: referenced.map((index) => attributes[index]!.key),
        evaluate,
      },
    };
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, code: error.details.problem, message: error.details.reason };
    throw error;
  }
}

export function referencedAttributeKeys(compiled: CompiledQuantity): string[] {
  return [...compiled.keys];
}

/** Aggregates of the compiled attributes over some chosen options' values (attributeId → value). */
export function aggregateAttributes(
  attributeIds: readonly string[],
  perOptionValues: readonly Readonly<Record<string, number>>[],
): QuantityAggregates {
  const A = attributeIds.length;
  const sum = new Float64Array(A);
  const min = new Float64Array(A).fill(Infinity);
  const max = new Float64Array(A).fill(-Infinity);
  const count = new Float64Array(A);
  for (const values of perOptionValues) {
    attributeIds.forEach((id, a) => {
      const value = values[id];
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      sum[a]! += value;
      if (value < min[a]!) min[a] = value;
      if (value > max[a]!) max[a] = value;
      count[a]! += 1;
    });
  }
  return { sum, min, max, count };
}

/**
 * The formula's value for a design: `perOptionValues` are the chosen options'
 * attribute values (attributeId → value), `scales` a scenario's attributeScales.
 */
export function evaluateQuantity(
  compiled: CompiledQuantity,
  perOptionValues: readonly Readonly<Record<string, number>>[],
  scales: Readonly<Record<string, number>> = {},
): number {
  const aggregates = aggregateAttributes(compiled.attributeIds, perOptionValues);
  const scale = compiled.attributeIds.map((id) => scales[id] ?? 1);
  return compiled.evaluate(aggregates, scale);
}
