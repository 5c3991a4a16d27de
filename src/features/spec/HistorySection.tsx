import { useState } from 'react';
import type { ProvenanceEntry } from '../../domain';
import { RelativeTime } from '../../shared/RelativeTime';
import { Section } from './editor';

const PAGE = 20;

/** The spec's provenance log, newest first: what changed, who changed it, from which chat. */
export function HistorySection({
  provenance,
  chatTitles,
  currentChatId,
}: {
  provenance: ProvenanceEntry[];
  chatTitles: ReadonlyMap<string, string>;
  currentChatId: string;
}) {
  const [shown, setShown] = useState(PAGE);
  const newestFirst = provenance.slice().reverse();
  return (
    <Section title="History" count={provenance.length}>
      {provenance.length === 0 ? (
        <p className="spec-empty">No changes yet. Every change, from the chat or this tab, is listed here.</p>
      ) : (
        <ol className="history-list" aria-label="Spec history">
          {newestFirst.slice(0, shown).map((entry) => {
            const chatTitle = entry.chatSessionId ? (chatTitles.get(entry.chatSessionId) ?? 'a deleted chat') : 'outside any chat';
            return (
              <li key={entry.id} className={`history-entry${entry.chatSessionId === currentChatId ? ' this-chat' : ''}`}>
                <details>
                  <summary>
                    <span className="history-summary">{entry.summary}</span>
                    <span className="history-meta">
                      <span className={`badge actor-${entry.actor}`}>{entry.actor === 'agent' ? 'Architect' : 'you'}</span>
                      {entry.scope === 'whatif' && <span className="badge mode-badge mode-whatif">what-if only</span>}
                      <span className="muted">in {entry.chatSessionId === currentChatId ? 'this chat' : `“${chatTitle}”`}</span>
                      <RelativeTime timestamp={entry.at} />
                    </span>
                  </summary>
                  <ul className="history-changes">
                    {entry.changes.map((change, index) => (
                      <li key={index}>{change}</li>
                    ))}
                  </ul>
                </details>
              </li>
            );
          })}
        </ol>
      )}
      {newestFirst.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, newestFirst.length - shown)} older
        </button>
      )}
    </Section>
  );
}
