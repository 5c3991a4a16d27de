import { z } from 'zod';
import { deferredSchema } from './deferredSchema';

// zod's faster object parser compiles code with `new Function`; the app's Content-Security-Policy forbids eval
// (docs/security.md), and even zod's probe for it would be reported as a violation. domain/index.ts loads this module
// first, so the setting holds before any schema parses.
z.config({ jitless: true });

export const idSchema = z.string().min(1, 'must be a non-empty id');
/**
 * The largest |time| in ms a Date can hold (ECMA-262 TimeClip); beyond it
 * `new Date(t)` is an Invalid Date and formatting it throws.
 */
export const MAX_DATE_MS = 8.64e15;

/** Epoch milliseconds; numbers sort and index well in IndexedDB. Bounded so every stored time renders. */
export const timestampSchema = z
  .number()
  .int('must be a whole number of milliseconds')
  .nonnegative('must not be before 1970')
  .max(MAX_DATE_MS, 'must be a date a browser can show (at most the year 275760)');
export const nullableTimestampSchema = timestampSchema.nullable();

export const namedItemSchema = deferredSchema(() =>
  z.object({
    id: idSchema,
    name: z.string().trim().min(1, 'name must not be empty'),
    description: z.string(),
  }),
);
export type NamedItem = z.infer<typeof namedItemSchema>;
