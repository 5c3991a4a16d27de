import { useState } from 'react';
import { deleteProvider, setActiveProvider, type StoredProviderSummary } from '../../db';
import { presetFor } from '../../llm/presets';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { KeyProtection } from './KeyProtection';
import { ProviderForm } from './ProviderForm';
import { useProviders } from './hooks';
import { errorSentence } from '../../shared/errorSentence';

const KEY_LABEL = { none: 'no key', plain: 'key stored plainly', encrypted: 'key encrypted' } as const;

/** Settings → Models: the model servers this browser may use, which one is active, and how keys are kept. */
export function ModelsPanel() {
  const providers = useProviders();
  const [editing, setEditing] = useState<StoredProviderSummary | 'new' | null>(null);
  const [deleting, setDeleting] = useState<StoredProviderSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const active = providers?.find((provider) => provider.isActive) ?? null;

  async function act(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorSentence(caught));
    }
  }

  return (
    <div className="models-panel">
      <section className="card" aria-labelledby="models-heading">
        <h2 id="models-heading">Models</h2>
        <p className="muted">
          Connect any OpenAI-compatible server — a local one (Ollama, LM Studio, llama.cpp) or a hosted one — to let chats answer free text.
          Without one, everything works as before, offline.
        </p>
        {providers === undefined ? (
          <p className="muted">Loading…</p>
        ) : providers.length === 0 ? (
          <p data-testid="no-providers">No model provider yet.</p>
        ) : (
          <ul className="provider-list" aria-label="Model providers">
            {providers.map((provider) => (
              <li key={provider.id} className={provider.isActive ? 'provider-row active' : 'provider-row'} data-testid="provider-row">
                <div className="provider-summary">
                  <span className="provider-name">
                    {provider.name}
                    {provider.isActive && <span className="badge">Active</span>}
                  </span>
                  <span className="provider-meta">
                    {presetFor(provider.preset).label} · <code>{provider.baseUrl}</code> ·{' '}
                    {provider.defaultModel ? <code>{provider.defaultModel}</code> : 'no default model'} · {KEY_LABEL[provider.keyState]}
                  </span>
                </div>
                <div className="row-actions">
                  {!provider.isActive && (
                    <button type="button" onClick={() => void act(() => setActiveProvider(provider.id))}>
                      Use for chats
                    </button>
                  )}
                  <button type="button" onClick={() => setEditing(provider)} aria-label={`Edit ${provider.name}`}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="danger-quiet"
                    onClick={() => setDeleting(provider)}
                    aria-label={`Delete ${provider.name}`}
                  >
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {active && (
          <div className="row-actions">
            <button type="button" onClick={() => void act(() => setActiveProvider(null))}>
              Use no model (offline notation only)
            </button>
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {editing === null && (
          <div className="row-actions">
            <button type="button" className="primary" onClick={() => setEditing('new')}>
              Add a provider
            </button>
          </div>
        )}
      </section>
      {editing !== null && (
        <ProviderForm
          key={editing === 'new' ? 'new' : editing.id}
          existing={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <KeyProtection />
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete provider"
          danger
          onConfirm={() => {
            const target = deleting;
            setDeleting(null);
            void act(() => deleteProvider(target.id));
          }}
          onCancel={() => setDeleting(null)}
        >
          <p>Its settings and stored key are removed from this browser. Chats keep their past replies.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
