// Model providers as the app keeps them (settings table, never exported). The key is stored in one of
// three shapes; plaintext keys exist in memory only once read (and decrypted).
import { z } from 'zod';
import { deferredSchema } from './deferredSchema';

export const providerPresetSchema = z.enum(['ollama', 'lmstudio', 'llamacpp', 'openai', 'openrouter', 'custom']);
export type ProviderPreset = z.infer<typeof providerPresetSchema>;

export interface ProviderConfig {
  id: string;
  name: string;
  preset: ProviderPreset;
  /** Always the OpenAI-compatible `/v1` root, e.g. http://localhost:11434/v1. */
  baseUrl: string;
  /** Plaintext in memory only; at rest it may be encrypted (see db/providers.ts). */
  apiKey: string | null;
  defaultModel: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const sealedValueSchema = deferredSchema(() => z.object({ iv: base64, ciphertext: base64 }));
export type SealedValue = z.infer<typeof sealedValueSchema>;

export const storedKeySchema = deferredSchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('plain'), value: z.string().min(1) }),
    z.object({ kind: z.literal('encrypted'), sealed: sealedValueSchema }),
  ]),
);
export type StoredKey = z.infer<typeof storedKeySchema>;

export const storedProviderSchema = deferredSchema(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1).max(80),
    preset: providerPresetSchema,
    baseUrl: z.string().min(1),
    defaultModel: z.string(),
    key: storedKeySchema,
    createdAt: z.number(),
    updatedAt: z.number(),
  }),
);
export type StoredProvider = z.infer<typeof storedProviderSchema>;

/** PBKDF2 parameters plus a sealed known value that proves a passphrase right before any key is touched. */
export const keyVaultSchema = deferredSchema(() =>
  z.object({
    kdf: z.literal('PBKDF2-SHA256'),
    iterations: z.number().int().min(100_000),
    salt: base64,
    check: sealedValueSchema,
  }),
);
export type KeyVault = z.infer<typeof keyVaultSchema>;

export const providerSettingsSchema = deferredSchema(() =>
  z.object({
    providers: z.array(storedProviderSchema),
    activeId: z.string().nullable(),
    vault: keyVaultSchema.nullable(),
  }),
);
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export function emptyProviderSettings(): ProviderSettings {
  return { providers: [], activeId: null, vault: null };
}
