import { type Message, parseModelReplyMeta, type ModelReplyMeta } from '../../domain';
import { Markdown } from '../../shared/Markdown';
import { UnreadablePart } from '../../shared/UnreadablePart';
import { stopReply, useIsStreamingHere } from './activeReplies';
import './modelChat.css';

function formatTokens(usage: NonNullable<ModelReplyMeta['usage']>): string {
  return `${usage.totalTokens.toLocaleString('en')} tokens (${usage.promptTokens.toLocaleString('en')} in, ${usage.completionTokens.toLocaleString('en')} out)`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}

/** Where a reply from a language model stands: streaming (with Stop), done (tokens), stopped, interrupted or failed. */
export function ModelReplyCard({ message }: { message: Message }) {
  const meta = parseModelReplyMeta(message.meta);
  const here = useIsStreamingHere(message.id);
  if (!meta) {
    return <UnreadablePart kind="modelReply" />;
  }
  const who = `${meta.providerName} · ${meta.model}`;
  const arrived = message.content.trim() ? 'the text above is what arrived' : 'no text had arrived yet';
  return (
    <div className="model-reply-card" data-state={meta.state} aria-label="Model reply status">
      <div className="model-reply-status">
        {meta.state === 'streaming' && (
          <>
            <span className="streaming-dot" aria-hidden="true" />
            <span>
              {here ? (meta.phase ?? (message.content ? 'Writing…' : 'Waiting for the first words…')) : 'Streaming in another tab…'}
            </span>
            <span className="muted">{who}</span>
            {here && (
              <button type="button" className="stop-button" onClick={() => stopReply(message.id)}>
                Stop
              </button>
            )}
          </>
        )}
        {meta.state === 'done' && <span className="muted">{who}</span>}
        {meta.state === 'stopped' && (
          <span>
            <strong>Stopped</strong> — you stopped this reply; {arrived}. <span className="muted">{who}</span>
          </span>
        )}
        {meta.state === 'interrupted' && (
          <span>
            <strong>Interrupted</strong> — the tab was closed or reloaded while this reply was streaming; {arrived}.{' '}
            <span className="muted">{who}</span>
          </span>
        )}
        {meta.usage && <span className="muted model-reply-tokens">{formatTokens(meta.usage)}</span>}
      </div>
      {meta.retries && meta.retries.length > 0 && (
        <ul className="model-reply-retries" aria-label="Retries">
          {meta.retries.map((retry) => (
            <li key={retry.attempt}>
              Retry {retry.attempt}: {retry.reason}, tried again after {seconds(retry.delayMs)}.
            </li>
          ))}
        </ul>
      )}
      {meta.state === 'failed' && meta.error && (
        <div className="model-reply-error" role="alert">
          <p>
            <strong>{meta.error.sentence}</strong>
          </p>
          {meta.error.fix && <p>{meta.error.fix}</p>}
          {meta.error.detail && <p className="muted model-reply-detail">{meta.error.detail}</p>}
          <p className="muted">{who}</p>
        </div>
      )}
      {meta.unsupportedNumbers && meta.unsupportedNumbers.length > 0 && (
        <p className="model-reply-unsupported" role="alert">
          <strong>Check these numbers:</strong> {meta.unsupportedNumbers.join(', ')} — they appear in no tool result below, so the model may
          have made them up.
        </p>
      )}
      {meta.unsupportedNumbers &&
        meta.unsupportedNumbers.length === 0 &&
        meta.state === 'done' &&
        meta.toolResults &&
        meta.toolResults.length > 0 && (
          <p className="model-reply-checked muted">Every number in this answer appears in the tool results.</p>
        )}
      {meta.toolResults && meta.toolResults.length > 0 && (
        <details className="model-reply-tools">
          <summary>Tool results used ({meta.toolResults.length})</summary>
          <ol>
            {meta.toolResults.map((record, index) => (
              <li key={index}>
                <div className="tool-call-line">
                  <code>{record.tool.replace(/_/g, ' ')}</code>{' '}
                  <span className="muted">{record.args && record.args !== '{}' ? record.args : ''}</span>
                </div>
                <div className="tool-result">
                  <Markdown source={record.result} />
                </div>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
