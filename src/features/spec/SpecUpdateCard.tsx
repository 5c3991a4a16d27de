import { metaOfKind, type Message } from '../../domain';
import { UnreadablePart } from '../../shared/UnreadablePart';
import './spec.css';

/**
 * The "Spec update" card under an Architect reply that changed the spec. It
 * shows the summary; the list of changes opens on demand, so a 78-line
 * notation message does not fill the chat with its echo.
 */
export function SpecUpdateCard({ message }: { message: Message }) {
  const meta = metaOfKind(message.meta, 'specDelta');
  if (!meta) return message.meta?.kind === 'specDelta' ? <UnreadablePart kind="specDelta" /> : null;
  const count = meta.details.length;
  return (
    <div className={`spec-update-card${meta.target === 'whatif' ? ' whatif' : ''}`} aria-label="Spec update">
      <details>
        <summary>
          <span className="spec-update-title">Spec update</span>
          {meta.target === 'whatif' && <span className="badge mode-badge mode-whatif">what-if only</span>}
          <span className="spec-update-summary">{meta.summary}</span>
          {count > 0 && <span className="spec-update-toggle">{count === 1 ? 'show the change' : `show all ${count} changes`}</span>}
        </summary>
        <ul className="spec-update-details">
          {meta.details.map((detail, index) => (
            <li key={index}>{detail}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
