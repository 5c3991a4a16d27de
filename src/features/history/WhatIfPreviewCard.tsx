import { useState } from 'react';
import { getRun, openWhatIfFromAnalysis } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { FeatureError, metaOfKind, shortId, type Message } from '../../domain';
import { withWeights } from '../../engine/analysis';
import { useLinks } from '../../shared/links';
import { UnreadablePart } from '../../shared/UnreadablePart';
import './history.css';
import { useAppNavigate } from '../../shared/navigation';

/** Under an analysis reply to "what if … weight": offers to continue the change as a what-if chat. */
export function WhatIfPreviewCard({ message }: { message: Message }) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const meta = metaOfKind(message.meta, 'whatIfPreview');
  if (!meta) return message.meta?.kind === 'whatIfPreview' ? <UnreadablePart kind="whatIfPreview" /> : null;
  const changeText = meta.changes.map((change) => `${change.name} ${change.from} → ${change.to}`).join(', ');
  const moved = meta.rows.filter((row) => row.newRank !== row.oldRank).length;

  async function open() {
    if (!meta) return;
    setBusy(true);
    setError(null);
    try {
      const run = await getRun(meta.runId);
      if (!run) throw new FeatureError('record_gone', { what: 'run' });
      const { spec } = withWeights(
        run.specSnapshot,
        meta.changes.map((change) => ({ constraintId: change.constraintId, weight: change.to })),
      );
      const newTop = meta.rows[0];
      const chat = await openWhatIfFromAnalysis({
        analysisChatId: message.chatSessionId,
        runId: run.id,
        title: `What-if: ${meta.changes.map((change) => `${change.name} ${change.to}`).join(', ')}`,
        startFromSpec: spec,
        intro: `This what-if starts from the spec of Run ${shortId(run.id)} with ${changeText}. Re-ranking its stored results put ${newTop ? `${newTop.label} at #1` : 'the candidates in a new order'}; start a run from the Runs tab to search again under these weights.`,
      });
      navigate(links.chat(chat.projectId, chat.id));
    } catch (failure) {
      setError(`Could not open the what-if chat: ${errorSentence(failure)}`);
      setBusy(false);
    }
  }

  return (
    <section className="card whatif-preview-card" aria-label="What-if preview">
      <span>
        Preview: <strong>{changeText}</strong> on Run {shortId(meta.runId)} — {moved} candidate{moved === 1 ? '' : 's'} change rank. Nothing
        was saved.
      </span>
      <div className="row-actions">
        <button type="button" className="primary" onClick={() => void open()} disabled={busy}>
          Open as what-if chat
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
