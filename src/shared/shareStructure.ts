/**
 * Structural sharing between two reads of the same data: returns `next`, except that every
 * part of it deep-equal to the matching part of `previous` is `previous`'s object. A live query
 * re-reads a record whole (IndexedDB hands back a fresh copy each time), so without this every
 * object is new after any edit and memoised components re-render anyway; with it, only the
 * objects on the path to what changed are new.
 *
 * For plain data (what IndexedDB stores: plain objects, arrays, primitives); other objects
 * (Date, Map, class instances) are compared by identity and taken from `next`.
 */
export function shareStructure<T>(previous: unknown, next: T): T {
  return share(previous, next) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function share(previous: unknown, next: unknown): unknown {
  if (previous === next || typeof next !== 'object' || next === null || typeof previous !== 'object' || previous === null) {
    return Object.is(previous, next) ? previous : next;
  }
  if (Array.isArray(next)) return Array.isArray(previous) ? shareArray(previous, next) : next;
  if (Array.isArray(previous) || !isPlainObject(previous) || !isPlainObject(next)) return next;
  return shareObject(previous, next);
}

// Copies only once a difference is found: an unchanged array or object costs a walk, not an allocation.
function shareArray(previous: unknown[], next: unknown[]): unknown[] {
  let out: unknown[] | null = previous.length === next.length ? null : new Array<unknown>(next.length);
  for (let i = 0; i < next.length; i++) {
    const value = i < previous.length ? share(previous[i], next[i]) : next[i];
    if (out) out[i] = value;
    else if (value !== previous[i]) {
      out = previous.slice(0, i);
      out.push(value);
    }
  }
  return out ?? previous;
}

function shareObject(previous: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  let count = 0;
  for (const key in next) {
    count++;
    const had = Object.prototype.hasOwnProperty.call(previous, key);
    const value = had ? share(previous[key], next[key]) : next[key];
    if (out) out[key] = value;
    else if (!had || value !== previous[key]) {
      out = Object.getPrototypeOf(next) === null ? (Object.create(null) as Record<string, unknown>) : {};
      for (const earlier in next) {
        if (earlier === key) break;
        out[earlier] = previous[earlier];
      }
      out[key] = value;
    }
  }
  if (out) return out;
  let previousCount = 0;
  for (const key in previous) if (Object.prototype.hasOwnProperty.call(previous, key)) previousCount++;
  if (previousCount === count) return previous;
  // Keys went away: the same values, without them.
  out = Object.getPrototypeOf(next) === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key in next) out[key] = previous[key];
  return out;
}
