/**
 * Validating a spec write by what it changed. A spec edit touches one goal or
 * one rating, yet `problemSpecSchema.parse` walks the whole record: with
 * 5,000 goals and 500 rated options (P9) that is the largest piece of
 * main-thread work an edit does, more so as zod runs jitless under the
 * Content-Security-Policy. The edit paths build the next spec from the stored
 * one by structural sharing (applySpecDelta keeps the identity of everything it
 * did not change), so an object the stored spec already holds is known valid
 * and only the new objects need their schema.
 */
import type { z } from 'zod';
import {
  attributeSchema,
  constraintSchema,
  designOptionSchema,
  designSpaceSchema,
  dimensionSchema,
  goalSchema,
  incompatibilitySchema,
  problemSpecSchema,
  provenanceEntrySchema,
  type ProblemSpec,
} from './spec';

type Checked = { ok: true; value: unknown } | { ok: false };

/** Checks `next` given the value at the same place in the stored spec (undefined when there is none). */
type Checker = (next: unknown, previous: unknown) => Checked;

const REJECTED: Checked = { ok: false };

/** Reused when it is the stored value itself (or an equal primitive), otherwise parsed with its schema. */
function leaf(schema: z.ZodType): Checker {
  return (next, previous) => {
    if (previous !== undefined && next === previous) return { ok: true, value: previous };
    const parsed = schema.safeParse(next);
    return parsed.success ? { ok: true, value: parsed.data } : REJECTED;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object checked field by field, in the schema's own field order (so a field added to the schema
 * is never skipped): a field listed in `nested` is checked by what changed inside it, any other
 * field by its schema. The result holds only the schema's fields, as zod strips the rest.
 */
function objectOf(schema: z.ZodObject, nested: Record<string, Checker> = {}): Checker {
  const shape: Record<string, z.ZodType> = schema.shape;
  const fields = Object.entries(shape).map(([key, fieldSchema]) => [key, nested[key] ?? leaf(fieldSchema)] as const);
  return (next, previous) => {
    if (previous !== undefined && next === previous) return { ok: true, value: previous };
    if (!isRecord(next)) return REJECTED;
    const before = isRecord(previous) ? previous : {};
    const value: Record<string, unknown> = {};
    for (const [key, check] of fields) {
      const field = check(next[key], before[key]);
      if (!field.ok) return REJECTED;
      value[key] = field.value;
    }
    return { ok: true, value };
  };
}

function idOf(value: unknown): unknown {
  return isRecord(value) ? value.id : undefined;
}

/**
 * An array whose items are checked against the stored item with the same id: at the same index
 * (the usual case, found without a lookup), or anywhere after an insert, removal or move. The very
 * same object is reused; a new one is parsed. The array itself is kept when no item had to change.
 */
function arrayOf(item: Checker): Checker {
  return (next, previous) => {
    if (previous !== undefined && next === previous) return { ok: true, value: previous };
    if (!Array.isArray(next)) return REJECTED;
    const before: readonly unknown[] = Array.isArray(previous) ? previous : [];
    let byId: Map<unknown, unknown> | null = null;
    let value: unknown[] | null = null;
    for (let index = 0; index < next.length; index++) {
      const candidate: unknown = next[index];
      const id = idOf(candidate);
      let stored = before[index];
      if (stored !== candidate && (id === undefined || idOf(stored) !== id)) {
        byId ??= new Map(before.map((one) => [idOf(one), one]));
        stored = id === undefined ? undefined : byId.get(id);
      }
      const checked = item(candidate, stored);
      if (!checked.ok) return REJECTED;
      // Copied only from the first item zod would return differently (trimmed, defaulted, stripped).
      if (checked.value !== candidate && !value) value = next.slice(0, index);
      value?.push(checked.value);
    }
    return { ok: true, value: value ?? next };
  };
}

let specChecker: Checker | undefined;
/** Built on the first spec write rather than on import: reading the schemas' shapes builds them (deferredSchema.ts). */
function checkSpec(next: unknown, previous: unknown): Checked {
  specChecker ??= objectOf(problemSpecSchema, {
    goals: arrayOf(leaf(goalSchema)),
    constraints: arrayOf(leaf(constraintSchema)),
    designSpace: objectOf(designSpaceSchema, {
      dimensions: arrayOf(objectOf(dimensionSchema, { options: arrayOf(leaf(designOptionSchema)) })),
      attributes: arrayOf(leaf(attributeSchema)),
      incompatibilities: arrayOf(leaf(incompatibilitySchema)),
    }),
    provenance: arrayOf(leaf(provenanceEntrySchema)),
  });
  return specChecker(next, previous);
}

/**
 * `problemSpecSchema.parse(next)`, paying only for what differs from `previous`: the same value on
 * success, the same ZodError on failure (anything the quick check cannot accept goes to the full
 * parse, so every error, and every value zod fills in by default, comes from zod itself).
 *
 * `previous` must be a spec as stored, i.e. a value `problemSpecSchema.parse` returned: every spec
 * write goes through it, so one read back from the database is.
 */
export function parseSpecUpdate(previous: ProblemSpec, next: unknown): ProblemSpec {
  const checked = checkSpec(next, previous);
  return checked.ok ? (checked.value as ProblemSpec) : problemSpecSchema.parse(next);
}
