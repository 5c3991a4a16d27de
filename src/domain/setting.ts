import { z } from 'zod';

/** Local preferences and secrets. Never exported. */
export const settingSchema = z.object({
  key: z.string().min(1),
  value: z.unknown(),
});
export type Setting = z.infer<typeof settingSchema>;
