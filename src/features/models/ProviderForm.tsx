import { useId, useState, type FormEvent } from 'react';
import { getProviderConfig, saveProvider, type StoredProviderSummary } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { ProviderConfig, ProviderPreset } from '../../llm';
import { PROVIDER_PRESETS, presetFor } from '../../llm/presets';
import { ConnectionStatus, type ConnectionView } from './ConnectionStatus';
import { loadLlm } from './hooks';

interface Props {
  existing: StoredProviderSummary | null;
  onDone: () => void;
}

/** Add or edit one provider: server kind, address, optional key, default model from the server's list. */
export function ProviderForm({ existing, onDone }: Props) {
  const formId = useId();
  const [preset, setPreset] = useState<ProviderPreset>(existing?.preset ?? 'ollama');
  const [name, setName] = useState(existing?.name ?? presetFor('ollama').label);
  const [baseUrl, setBaseUrl] = useState(existing?.baseUrl ?? presetFor('ollama').baseUrl);
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const [model, setModel] = useState(existing?.defaultModel ?? '');
  const [models, setModels] = useState<string[]>([]);
  const [connection, setConnection] = useState<ConnectionView>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const hasStoredKey = existing !== null && existing.keyState !== 'none';

  function choosePreset(next: ProviderPreset) {
    const before = presetFor(preset);
    const info = presetFor(next);
    // Only replace what still holds the previous preset's defaults: never overwrite what the user typed.
    if (!name.trim() || name === before.label) setName(info.label === 'Other OpenAI-compatible server' ? 'My server' : info.label);
    if (!baseUrl.trim() || baseUrl === before.baseUrl) setBaseUrl(info.baseUrl);
    setPreset(next);
    setConnection({ state: 'idle' });
  }

  /** The config as typed, with the stored key when the key field is left empty. */
  async function currentConfig(): Promise<ProviderConfig | string> {
    let key: string | null = apiKey.trim() || null;
    if (!key && hasStoredKey && !removeKey && existing) {
      const stored = await getProviderConfig(existing.id);
      if (stored.status === 'locked') return 'The stored key is locked: unlock the keys below (or type the key again) to test.';
      if (stored.status === 'ready') key = stored.provider.apiKey;
    }
    return {
      id: existing?.id ?? 'unsaved',
      name: name.trim() || 'This server',
      preset,
      baseUrl: baseUrl.trim().replace(/\/+$/, ''),
      apiKey: key,
      defaultModel: model.trim(),
    };
  }

  async function test() {
    setError(null);
    const config = await currentConfig();
    if (typeof config === 'string') {
      setError(config);
      return;
    }
    setConnection({ state: 'testing' });
    try {
      const llm = await loadLlm();
      const result = await llm.testConnection(config);
      if (result.ok) setModels(result.models);
      setConnection({ state: 'done', result, provider: config });
    } catch (failure) {
      // testConnection reports network failures as a result; what lands here is the client failing to load.
      setConnection({ state: 'idle' });
      setError(errorSentence(failure));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaving(true);
    try {
      await saveProvider({
        id: existing?.id,
        name,
        preset,
        baseUrl,
        defaultModel: model,
        apiKey: removeKey ? null : apiKey.trim() ? apiKey : undefined,
      });
      onDone();
    } catch (caught) {
      setError(errorSentence(caught));
    } finally {
      setSaving(false);
    }
  }

  const info = presetFor(preset);
  return (
    <form
      className="provider-form card"
      onSubmit={(event) => void submit(event)}
      aria-label={existing ? `Edit ${existing.name}` : 'Add a model provider'}
    >
      <h3>{existing ? `Edit “${existing.name}”` : 'Add a model provider'}</h3>
      <div className="provider-fields">
        <label>
          Server
          <select value={preset} onChange={(event) => choosePreset(event.target.value as ProviderPreset)}>
            {PROVIDER_PRESETS.map((candidate) => (
              <option key={candidate.preset} value={candidate.preset}>
                {candidate.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required />
        </label>
        <label className="provider-wide">
          Base URL
          <input
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            placeholder="http://localhost:11434/v1"
            inputMode="url"
            spellCheck={false}
            required
          />
          <span className="hint">The OpenAI-compatible root, ending in /v1.</span>
        </label>
        <label className="provider-wide">
          API key {info.needsKey ? '' : '(optional)'}
          <input
            type="password"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder={
              hasStoredKey ? 'A key is stored — leave empty to keep it' : info.needsKey ? 'sk-…' : 'Local servers usually need none'
            }
            disabled={removeKey}
          />
        </label>
        {hasStoredKey && (
          <label className="provider-check provider-wide">
            <input type="checkbox" checked={removeKey} onChange={(event) => setRemoveKey(event.target.checked)} /> Remove the stored key
          </label>
        )}
        <label className="provider-wide">
          Default model
          <input
            value={model}
            onChange={(event) => setModel(event.target.value)}
            list={`${formId}-models`}
            placeholder={models.length ? 'Pick from the list' : 'Test the connection to load the list'}
            spellCheck={false}
          />
          <datalist id={`${formId}-models`}>
            {models.map((candidate) => (
              <option key={candidate} value={candidate} />
            ))}
          </datalist>
        </label>
        {models.length > 0 && (
          <div className="model-chips provider-wide" aria-label="Models on the server">
            {models.slice(0, 24).map((candidate) => (
              <button
                type="button"
                key={candidate}
                className={candidate === model ? 'model-chip chosen' : 'model-chip'}
                aria-pressed={candidate === model}
                onClick={() => setModel(candidate)}
              >
                {candidate}
              </button>
            ))}
          </div>
        )}
      </div>
      <ConnectionStatus view={connection} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="button" onClick={() => void test()} disabled={connection.state === 'testing' || !baseUrl.trim()}>
          Test connection
        </button>
        <span className="spacer" />
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {existing ? 'Save changes' : 'Save provider'}
        </button>
      </div>
    </form>
  );
}
