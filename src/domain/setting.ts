import { z } from 'zod';
import { deferredSchema } from './deferredSchema';

/** Local preferences and secrets. Never exported. */
export const settingSchema = deferredSchema(() =>
  z.object({
    key: z.string().min(1),
    value: z.unknown(),
  }),
);
export type Setting = z.infer<typeof settingSchema>;
