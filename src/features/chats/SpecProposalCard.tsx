import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { loadChatSpecContext, applyProposal, discardProposal } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { type Message, parseSpecProposalMeta, type SpecProposalMeta, applySpecDelta, isWorldOp, toWorldModelContent } from '../../domain';
import { UnreadablePart } from '../../shared/UnreadablePart';
import './modelChat.css';

/** What the proposal would do to the chat's spec as it is now, or why it no longer can. */
function useCurrentEffect(message: Message, meta: SpecProposalMeta | null) {
  return useLiveQuery(async () => {
    if (!meta || meta.status !== 'proposed') return null;
    const context = await loadChatSpecContext(message.chatSessionId);
    if (context.target === 'whatif' && meta.delta.ops.some(isWorldOp))
      return { ok: false as const, message: 'A what-if chat cannot change the world model.' };
    const result = applySpecDelta(context.effective, meta.delta, toWorldModelContent(context.world));
    if (!result.ok) return { ok: false as const, message: result.error.message };
    return { ok: true as const, summary: result.summary, details: result.changes.map((change) => change.text) };
  }, [message.chatSessionId, message.meta]);
}

const TARGET_TEXT = { project: 'the project spec', whatif: 'this what-if branch only' } as const;

/** A change the model proposed: the diff, and Apply / Discard. Nothing changes before Apply. */
export function SpecProposalCard({ message }: { message: Message }) {
  const meta = parseSpecProposalMeta(message.meta);
  const current = useCurrentEffect(message, meta);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!meta) {
    return <UnreadablePart kind="specProposal" />;
  }
  const open = meta.status === 'proposed';
  const summary = open && current?.ok ? current.summary : meta.summary;
  const details = open && current?.ok ? current.details : meta.details;

  async function decide(action: 'apply' | 'discard') {
    setBusy(true);
    setError(null);
    try {
      if (action === 'apply') await applyProposal(message.id);
      else await discardProposal(message.id);
    } catch (failure) {
      setError(errorSentence(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`proposal-card${meta.target === 'whatif' ? ' whatif' : ''}`} data-status={meta.status} aria-label="Proposed change">
      <div className="proposal-head">
        <span className="proposal-title">Proposed change</span>
        {meta.target === 'whatif' && <span className="badge mode-badge mode-whatif">what-if only</span>}
        <span className="proposal-summary">{summary}</span>
      </div>
      <ul className="proposal-details">
        {details.map((detail, index) => (
          <li key={index}>{detail}</li>
        ))}
      </ul>
      {open && current && !current.ok && (
        <p className="proposal-warning" role="alert">
          The spec has changed and this no longer fits: {current.message} Applying it will mark it stale.
        </p>
      )}
      {open ? (
        <div className="proposal-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void decide('apply')}>
            Apply
          </button>
          <button type="button" disabled={busy} onClick={() => void decide('discard')}>
            Discard
          </button>
          <span className="muted">Applies to {TARGET_TEXT[meta.target]}; nothing changes until you apply it.</span>
        </div>
      ) : (
        <p className={`proposal-status ${meta.status}`}>
          {meta.status === 'applied' && `Applied to ${TARGET_TEXT[meta.target]}.`}
          {meta.status === 'discarded' && 'Discarded: nothing was changed.'}
          {meta.status === 'stale' && `Stale: ${meta.staleReason ?? 'the spec changed and this no longer applies.'} Nothing was changed.`}
        </p>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
