// Model providers and their API keys, in the settings table (which export and backup skip). Keys are stored
// plainly, or — once the user sets a passphrase — sealed with AES-GCM (see keyVault.ts) and readable only after
// unlockKeys() in this tab.
import {
  emptyProviderSettings,
  newId,
  providerPresetSchema,
  providerSettingsSchema,
  type KeyVault,
  type ProviderConfig,
  type ProviderPreset,
  type ProviderSettings,
  type StoredKey,
  type StoredProvider,
  DbError,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite } from './errors';
import { createVault, openVault, seal, unseal } from './keyVault';
import { getSetting, putSetting } from './settings';

export { WrongPassphraseError } from './keyVault';

export const PROVIDER_SETTINGS_KEY = 'llm.providers';
/** Bumped on unlock/lock so live queries over getUsableProvider re-run (the session key itself is in memory). */
export const KEY_SESSION_SETTING = 'llm.keySession';

export type KeyState = 'none' | 'plain' | 'encrypted';

/** What the UI may see of a provider: never the key, plain or sealed. */
export interface StoredProviderSummary {
  id: string;
  name: string;
  preset: ProviderPreset;
  baseUrl: string;
  defaultModel: string;
  keyState: KeyState;
  isActive: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ProviderInput {
  id?: string;
  name: string;
  preset: ProviderPreset;
  baseUrl: string;
  defaultModel: string;
  /** undefined keeps the stored key; null or '' removes it. */
  apiKey?: string | null;
}

export type UsableProvider =
  | { status: 'none' }
  | { status: 'locked'; providerName: string }
  | { status: 'ready'; provider: ProviderConfig };

export interface KeyVaultStatus {
  hasPassphrase: boolean;
  unlocked: boolean;
}

export class ProviderInputError extends DbError<'provider_input_invalid'> {
  constructor(reason: string) {
    super('provider_input_invalid', { reason });
  }
}

export class KeysLockedError extends DbError<'keys_locked'> {
  constructor() {
    super('keys_locked', {});
  }
}

// The derived AES key for this tab, with the salt of the vault it opens (a vault replaced elsewhere relocks).
let session: { key: CryptoKey; salt: string } | null = null;

function sessionKeyFor(vault: KeyVault | null): CryptoKey | null {
  return vault && session?.salt === vault.salt ? session.key : null;
}

async function readSettings(): Promise<ProviderSettings> {
  const stored = await getSetting(PROVIDER_SETTINGS_KEY);
  if (stored === undefined) return emptyProviderSettings();
  const parsed = providerSettingsSchema.safeParse(stored);
  if (!parsed.success) throw new DbError('providers_unreadable', {}, { cause: parsed.error });
  return parsed.data;
}

/** Re-reads inside one transaction and writes the changed copy, so two edits never lose each other. */
async function updateSettings(change: (settings: ProviderSettings) => ProviderSettings): Promise<ProviderSettings> {
  return guardedWrite(() =>
    db.transaction('rw', db.settings, async () => {
      const next = providerSettingsSchema.parse(change(structuredClone(await readSettings())));
      await putSetting(PROVIDER_SETTINGS_KEY, next);
      return next;
    }),
  );
}

async function bumpKeySession(): Promise<void> {
  try {
    await putSetting(KEY_SESSION_SETTING, Date.now());
  } catch {
    // Only a re-render hint; a full disk must not block unlocking.
  }
}

function summarize(provider: StoredProvider, activeId: string | null): StoredProviderSummary {
  return {
    id: provider.id,
    name: provider.name,
    preset: provider.preset,
    baseUrl: provider.baseUrl,
    defaultModel: provider.defaultModel,
    keyState: provider.key.kind,
    isActive: provider.id === activeId,
    createdAt: provider.createdAt,
    updatedAt: provider.updatedAt,
  };
}

export async function listProviders(): Promise<StoredProviderSummary[]> {
  const settings = await readSettings();
  return settings.providers.map((provider) => summarize(provider, settings.activeId));
}

export async function getKeyVaultStatus(): Promise<KeyVaultStatus> {
  await getSetting(KEY_SESSION_SETTING);
  const { vault } = await readSettings();
  return { hasPassphrase: vault !== null, unlocked: sessionKeyFor(vault) !== null };
}

function normaliseInput(input: ProviderInput): ProviderInput {
  const name = input.name.trim();
  if (!name) throw new ProviderInputError('Give the provider a name.');
  if (name.length > 80) throw new ProviderInputError('Keep the provider name under 80 characters.');
  if (!providerPresetSchema.safeParse(input.preset).success)
    throw new ProviderInputError(`"${input.preset}" is not a known kind of server.`);
  const baseUrl = input.baseUrl.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ProviderInputError(`"${input.baseUrl}" is not an address; it should look like http://localhost:11434/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProviderInputError('The address must start with http:// or https://, e.g. http://localhost:11434/v1.');
  return {
    ...input,
    name,
    baseUrl,
    defaultModel: input.defaultModel.trim(),
    apiKey: input.apiKey === undefined ? undefined : input.apiKey?.trim() || null,
  };
}

/** Saves (creates or updates) a provider. The first provider saved becomes the active one. */
export async function saveProvider(input: ProviderInput): Promise<StoredProviderSummary> {
  const clean = normaliseInput(input);
  const { vault } = await readSettings();
  // Crypto runs before the transaction: IndexedDB transactions cannot wait on WebCrypto promises.
  let newKey: StoredKey | undefined;
  if (clean.apiKey === null) newKey = { kind: 'none' };
  else if (clean.apiKey !== undefined) {
    if (vault) {
      const key = sessionKeyFor(vault);
      if (!key) throw new KeysLockedError();
      newKey = { kind: 'encrypted', sealed: await seal(key, clean.apiKey) };
    } else {
      newKey = { kind: 'plain', value: clean.apiKey };
    }
  }
  const id = clean.id ?? newId();
  const now = monotonicNow();
  const saved = await updateSettings((settings) => {
    if ((settings.vault?.salt ?? null) !== (vault?.salt ?? null)) throw new KeysLockedError();
    const existing = settings.providers.find((provider) => provider.id === id);
    if (clean.id && !existing) throw new ProviderInputError('That provider was deleted meanwhile.');
    const provider: StoredProvider = {
      id,
      name: clean.name,
      preset: clean.preset,
      baseUrl: clean.baseUrl,
      defaultModel: clean.defaultModel,
      key: newKey ?? existing?.key ?? { kind: 'none' },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    return {
      ...settings,
      providers: existing
        ? settings.providers.map((candidate) => (candidate.id === id ? provider : candidate))
        : [...settings.providers, provider],
      activeId: settings.activeId ?? id,
    };
  });
  const provider = saved.providers.find((candidate) => candidate.id === id)!;
  return summarize(provider, saved.activeId);
}

export async function deleteProvider(id: string): Promise<void> {
  await updateSettings((settings) => {
    const providers = settings.providers.filter((provider) => provider.id !== id);
    const activeId = settings.activeId === id ? (providers[0]?.id ?? null) : settings.activeId;
    return { ...settings, providers, activeId };
  });
}

export async function setActiveProvider(id: string | null): Promise<void> {
  await updateSettings((settings) => {
    if (id !== null && !settings.providers.some((provider) => provider.id === id))
      throw new ProviderInputError('That provider no longer exists.');
    return { ...settings, activeId: id };
  });
}

// Locked is its own case, not a sentinel string: a plain key that happens to read "locked" is still a key.
type DecryptedKey = { locked: true } | { locked: false; apiKey: string | null };

async function decryptKey(provider: StoredProvider, vault: KeyVault | null): Promise<DecryptedKey> {
  if (provider.key.kind === 'none') return { locked: false, apiKey: null };
  if (provider.key.kind === 'plain') return { locked: false, apiKey: provider.key.value };
  const key = sessionKeyFor(vault);
  if (!key) return { locked: true };
  return { locked: false, apiKey: await unseal(key, provider.key.sealed) };
}

async function usable(provider: StoredProvider, vault: KeyVault | null): Promise<UsableProvider> {
  const decrypted = await decryptKey(provider, vault);
  if (decrypted.locked) return { status: 'locked', providerName: provider.name };
  const { apiKey } = decrypted;
  return {
    status: 'ready',
    provider: {
      id: provider.id,
      name: provider.name,
      preset: provider.preset,
      baseUrl: provider.baseUrl,
      apiKey,
      defaultModel: provider.defaultModel,
    },
  };
}

/** Any saved provider with its key decrypted (for Test connection and the model picker). */
export async function getProviderConfig(id: string): Promise<UsableProvider> {
  const settings = await readSettings();
  const provider = settings.providers.find((candidate) => candidate.id === id);
  return provider ? usable(provider, settings.vault) : { status: 'none' };
}

/** The active provider with its key decrypted; 'locked' when a passphrase is set and not entered in this tab. */
export async function getUsableProvider(): Promise<UsableProvider> {
  await getSetting(KEY_SESSION_SETTING); // a dependency for live queries, see KEY_SESSION_SETTING
  const settings = await readSettings();
  const provider = settings.providers.find((candidate) => candidate.id === settings.activeId);
  return provider ? usable(provider, settings.vault) : { status: 'none' };
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < 8) throw new ProviderInputError('Use a passphrase of at least 8 characters.');
}

/** Turns on the passphrase: every stored key is sealed with it, and this tab stays unlocked. */
export async function setPassphrase(passphrase: string): Promise<void> {
  checkPassphrase(passphrase);
  const before = await readSettings();
  if (before.vault) throw new ProviderInputError('A passphrase is already set; remove it first to choose another.');
  const { vault, key } = await createVault(passphrase);
  const sealed = new Map<string, StoredKey>();
  for (const provider of before.providers) {
    if (provider.key.kind === 'plain') sealed.set(provider.id, { kind: 'encrypted', sealed: await seal(key, provider.key.value) });
  }
  await updateSettings((settings) => {
    if (settings.vault) throw new ProviderInputError('A passphrase was set meanwhile in another tab.');
    return {
      ...settings,
      vault,
      // A key typed in another tab after we read would stay plain; seal only what we read, refuse the rest.
      providers: settings.providers.map((provider) => {
        if (provider.key.kind !== 'plain') return provider;
        const next = sealed.get(provider.id);
        if (!next) throw new ProviderInputError('A key changed meanwhile; try again.');
        return { ...provider, key: next };
      }),
    };
  });
  session = { key, salt: vault.salt };
  await bumpKeySession();
}

/** Opens the keys for this tab until it closes or lockKeys(). Throws WrongPassphraseError. */
export async function unlockKeys(passphrase: string): Promise<void> {
  const { vault } = await readSettings();
  if (!vault) throw new ProviderInputError('No passphrase is set.');
  const key = await openVault(vault, passphrase);
  session = { key, salt: vault.salt };
  await bumpKeySession();
}

export async function lockKeys(): Promise<void> {
  session = null;
  await bumpKeySession();
}

/** Turns the passphrase off: keys go back to being stored plainly. Needs the keys unlocked. */
export async function removePassphrase(): Promise<void> {
  const before = await readSettings();
  if (!before.vault) return;
  const key = sessionKeyFor(before.vault);
  if (!key) throw new KeysLockedError();
  const opened = new Map<string, StoredKey>();
  for (const provider of before.providers) {
    if (provider.key.kind === 'encrypted') opened.set(provider.id, { kind: 'plain', value: await unseal(key, provider.key.sealed) });
  }
  await updateSettings((settings) => {
    if (settings.vault?.salt !== before.vault?.salt) throw new KeysLockedError();
    return {
      ...settings,
      vault: null,
      providers: settings.providers.map((provider) => {
        if (provider.key.kind !== 'encrypted') return provider;
        const next = opened.get(provider.id);
        if (!next) throw new ProviderInputError('A key changed meanwhile; try again.');
        return { ...provider, key: next };
      }),
    };
  });
  session = null;
  await bumpKeySession();
}

/** For tests: forget the session key as a reload would. */
export function forgetKeySessionForTests(): void {
  session = null;
}
