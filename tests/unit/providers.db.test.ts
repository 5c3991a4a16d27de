import { beforeEach, describe, expect, it } from 'vitest';
import {
  db,
  deleteProvider,
  exportAllProjects,
  exportProject,
  forgetKeySessionForTests,
  getKeyVaultStatus,
  getUsableProvider,
  KeysLockedError,
  listProviders,
  lockKeys,
  PROVIDER_SETTINGS_KEY,
  ProviderInputError,
  removePassphrase,
  saveProvider,
  setActiveProvider,
  setPassphrase,
  unlockKeys,
  WrongPassphraseError,
} from '../../src/db';
import { buildRichProject, clearDatabase } from './transferTestData';

const PLAIN_KEY = 'sk-plain-0123456789-SECRET';
const SEALED_KEY = 'sk-sealed-9876543210-SECRET';
const PASSPHRASE = 'correct horse battery';

beforeEach(async () => {
  await clearDatabase();
  await db.settings.clear();
  forgetKeySessionForTests();
});

const ollama = { name: 'Local Ollama', preset: 'ollama' as const, baseUrl: 'http://localhost:11434/v1/', defaultModel: 'llama3.2' };

describe('providers', () => {
  it('saves, lists without keys, activates the first and deletes', async () => {
    const first = await saveProvider({ ...ollama, apiKey: PLAIN_KEY });
    expect(first).toMatchObject({ baseUrl: 'http://localhost:11434/v1', keyState: 'plain', isActive: true });
    expect(JSON.stringify(await listProviders())).not.toContain(PLAIN_KEY);
    const second = await saveProvider({
      name: 'OpenAI',
      preset: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o-mini',
    });
    expect(second.isActive).toBe(false);
    await setActiveProvider(second.id);
    expect(await getUsableProvider()).toEqual({ status: 'ready', provider: expect.objectContaining({ id: second.id, apiKey: null }) });
    await deleteProvider(second.id);
    expect(await getUsableProvider()).toEqual({ status: 'ready', provider: expect.objectContaining({ id: first.id, apiKey: PLAIN_KEY }) });
    // Editing without a key keeps it; null removes it.
    await saveProvider({ ...ollama, id: first.id, name: 'Renamed' });
    expect(await getUsableProvider()).toMatchObject({ provider: { name: 'Renamed', apiKey: PLAIN_KEY } });
    await saveProvider({ ...ollama, id: first.id, apiKey: null });
    expect(await getUsableProvider()).toMatchObject({ provider: { apiKey: null } });
  });

  it('says what is wrong with bad input', async () => {
    await expect(saveProvider({ ...ollama, name: '  ' })).rejects.toThrow(ProviderInputError);
    await expect(saveProvider({ ...ollama, baseUrl: 'localhost:11434' })).rejects.toThrow(
      /must start with http:\/\/ or https:\/\/, e.g. http:\/\/localhost:11434\/v1/,
    );
    await expect(saveProvider({ ...ollama, baseUrl: 'ftp://x/v1' })).rejects.toThrow(/http:\/\/ or https:\/\//);
  });

  it('encrypts keys with a passphrase; locked until unlocked in this session', async () => {
    const saved = await saveProvider({ ...ollama, apiKey: PLAIN_KEY });
    await setPassphrase(PASSPHRASE);
    const raw = JSON.stringify(await db.settings.get(PROVIDER_SETTINGS_KEY));
    expect(raw).not.toContain(PLAIN_KEY);
    expect(raw).toContain('"kind":"encrypted"');
    expect(await getKeyVaultStatus()).toEqual({ hasPassphrase: true, unlocked: true });
    expect(await getUsableProvider()).toMatchObject({ status: 'ready', provider: { apiKey: PLAIN_KEY } });

    forgetKeySessionForTests(); // as after a reload
    expect(await getUsableProvider()).toEqual({ status: 'locked', providerName: 'Local Ollama' });
    await expect(saveProvider({ ...ollama, id: saved.id, apiKey: SEALED_KEY })).rejects.toThrow(KeysLockedError);
    await expect(unlockKeys('wrong passphrase')).rejects.toThrow(WrongPassphraseError);
    await unlockKeys(PASSPHRASE);
    await saveProvider({ ...ollama, id: saved.id, apiKey: SEALED_KEY });
    expect(JSON.stringify(await db.settings.toArray())).not.toContain(SEALED_KEY);
    expect(await getUsableProvider()).toMatchObject({ provider: { apiKey: SEALED_KEY } });
    await lockKeys();
    expect((await getUsableProvider()).status).toBe('locked');
    await expect(removePassphrase()).rejects.toThrow(KeysLockedError);
    await unlockKeys(PASSPHRASE);
    await removePassphrase();
    expect(await getKeyVaultStatus()).toEqual({ hasPassphrase: false, unlocked: false });
    expect(await getUsableProvider()).toMatchObject({ provider: { apiKey: SEALED_KEY } });
  }, 30_000);

  it('never lets a key, plain or encrypted, reach an export or a backup', async () => {
    const rich = await buildRichProject();
    await saveProvider({ ...ollama, apiKey: PLAIN_KEY });
    await setPassphrase(PASSPHRASE);
    const sealedRecord = JSON.stringify(await db.settings.get(PROVIDER_SETTINGS_KEY));
    const ciphertext = /"ciphertext":"([^"]+)"/.exec(sealedRecord)![1]!;
    await saveProvider({
      name: 'OpenRouter',
      preset: 'openrouter',
      baseUrl: 'https://openrouter.ai/api/v1',
      defaultModel: 'x',
      apiKey: SEALED_KEY,
    });
    forgetKeySessionForTests();
    await saveProvider({ name: 'No key', preset: 'custom', baseUrl: 'http://127.0.0.1:9/v1', defaultModel: '' });
    // A plain key stored before any passphrase, in a second database state: export both ways.
    const files = [await exportProject(rich.projectId), await exportAllProjects()];
    for (const file of files) {
      for (const secret of [PLAIN_KEY, SEALED_KEY, ciphertext, PASSPHRASE, 'llm.providers', 'OpenRouter']) {
        expect(await file.blob.text()).not.toContain(secret);
      }
    }
  }, 30_000);
});
