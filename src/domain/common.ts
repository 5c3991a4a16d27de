import { z } from 'zod';

export const idSchema = z.string().min(1, 'must be a non-empty id');
/** Epoch milliseconds; numbers sort and index well in IndexedDB. */
export const timestampSchema = z.number().int().nonnegative();
export const nullableTimestampSchema = timestampSchema.nullable();

export const namedItemSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1, 'name must not be empty'),
  description: z.string(),
});
export type NamedItem = z.infer<typeof namedItemSchema>;
