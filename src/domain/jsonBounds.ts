/**
 * Size and nesting bounds for JSON, checked before anything walks the data
 * recursively (JSON.parse's reviver, zod, structured clone, id remapping).
 * Both checks are iterative, so a hostile file of a million "[" gets a typed
 * answer instead of "Maximum call stack size exceeded".
 */

export interface JsonLimits {
  /** Deepest nesting of objects and arrays; the app's own records stay well under 20. */
  maxDepth: number;
  /** Longest single string, in UTF-16 code units (a message is at most 100,000). */
  maxStringLength: number;
}

export const JSON_LIMITS: JsonLimits = { maxDepth: 64, maxStringLength: 2_000_000 };

export type JsonBoundsProblem =
  | { code: 'too-deep'; depth: number; limit: number }
  | { code: 'too-large'; what: 'string'; length: number; limit: number };

/**
 * Scans JSON text once, tracking nesting outside strings and the length of
 * every string, and stops at the first bound crossed. It does not validate
 * the JSON: JSON.parse does that afterwards, on text now known to be shallow.
 */
export function checkJsonTextBounds(text: string, limits: JsonLimits = JSON_LIMITS): JsonBoundsProblem | null {
  let depth = 0;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const start = index + 1;
      index = start;
      while (index < length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) index += 2;
        else if (inner === 0x22) break;
        else index += 1;
      }
      // Escapes count as written, so a string's length here is at most its source length.
      if (index - start > limits.maxStringLength) {
        return { code: 'too-large', what: 'string', length: index - start, limit: limits.maxStringLength };
      }
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > limits.maxDepth) return { code: 'too-deep', depth, limit: limits.maxDepth };
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth -= 1;
    }
    index += 1;
  }
  return null;
}

/**
 * The same bounds over a value already in memory (a record about to be
 * written, or one read back from a file), walked with an explicit stack.
 * Cycles cannot occur in JSON; a visited set guards against them anyway.
 */
export function checkValueBounds(value: unknown, limits: JsonLimits = JSON_LIMITS): JsonBoundsProblem | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  const seen = new Set<object>();
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) {
        return { code: 'too-large', what: 'string', length: current.length, limit: limits.maxStringLength };
      }
      continue;
    }
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const childDepth = depth + 1;
    if (childDepth > limits.maxDepth) return { code: 'too-deep', depth: childDepth, limit: limits.maxDepth };
    if (Array.isArray(current)) {
      for (const item of current as unknown[]) stack.push({ value: item, depth: childDepth });
    } else {
      for (const [key, item] of Object.entries(current)) {
        if (key.length > limits.maxStringLength)
          return { code: 'too-large', what: 'string', length: key.length, limit: limits.maxStringLength };
        stack.push({ value: item, depth: childDepth });
      }
    }
  }
  return null;
}
