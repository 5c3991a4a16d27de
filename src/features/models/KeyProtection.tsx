import { useState, type FormEvent } from 'react';
import { lockKeys, removePassphrase, setPassphrase, unlockKeys } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { useKeyVaultStatus } from './hooks';

/** How keys are kept, what each choice protects against, and the passphrase lock. */
export function KeyProtection() {
  const status = useKeyVaultStatus();
  const [passphrase, setPassphraseText] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setError(null);
    setBusy(true);
    try {
      await action();
      setPassphraseText('');
      setConfirm('');
    } catch (caught) {
      setError(errorSentence(caught));
    } finally {
      setBusy(false);
    }
  }

  if (!status) return null;

  function submitNew(event: FormEvent) {
    event.preventDefault();
    if (passphrase !== confirm) {
      setError('The two passphrases differ.');
      return;
    }
    void run(() => setPassphrase(passphrase));
  }

  function submitUnlock(event: FormEvent) {
    event.preventDefault();
    void run(() => unlockKeys(passphrase));
  }

  return (
    <section className="card key-protection" aria-labelledby="keys-heading">
      <h2 id="keys-heading">How API keys are kept</h2>
      <p className="muted">
        Keys stay in this browser: they are never sent anywhere except to their own server, and never go into an export or a backup file.
      </p>
      {!status.hasPassphrase ? (
        <>
          <p data-testid="key-mode">
            <strong>Stored plainly in this browser.</strong> Anyone who can use this browser profile, or copies its files, can read them.
          </p>
          <form className="passphrase-form" onSubmit={submitNew}>
            <p className="hint">
              A passphrase encrypts them (AES-GCM, key derived with PBKDF2): a copied profile or disk then doesn't reveal them. You enter it
              once per tab; while unlocked, a script running in this page could still read them. If you forget it, the keys are lost (the
              providers stay).
            </p>
            <label>
              New passphrase
              <input
                type="password"
                value={passphrase}
                onChange={(event) => setPassphraseText(event.target.value)}
                autoComplete="new-password"
                minLength={8}
                required
              />
            </label>
            <label>
              Repeat it
              <input
                type="password"
                value={confirm}
                onChange={(event) => setConfirm(event.target.value)}
                autoComplete="new-password"
                minLength={8}
                required
              />
            </label>
            <button type="submit" disabled={busy}>
              {busy ? 'Encrypting…' : 'Encrypt keys with this passphrase'}
            </button>
          </form>
        </>
      ) : !status.unlocked ? (
        <>
          <p data-testid="key-mode">
            <strong>Encrypted with your passphrase — locked.</strong> A copied profile or disk doesn't reveal them. Enter the passphrase to
            use the models in this tab.
          </p>
          <form className="passphrase-form" onSubmit={submitUnlock}>
            <label>
              Passphrase
              <input
                type="password"
                value={passphrase}
                onChange={(event) => setPassphraseText(event.target.value)}
                autoComplete="current-password"
                required
              />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Unlocking…' : 'Unlock for this tab'}
            </button>
          </form>
        </>
      ) : (
        <>
          <p data-testid="key-mode">
            <strong>Encrypted with your passphrase — unlocked in this tab.</strong> A copied profile or disk doesn't reveal them; while
            unlocked, a script running in this page could.
          </p>
          <div className="row-actions">
            <button type="button" onClick={() => void run(lockKeys)} disabled={busy}>
              Lock now
            </button>
            <button type="button" className="danger-quiet" onClick={() => void run(removePassphrase)} disabled={busy}>
              Remove the passphrase (store keys plainly)
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
