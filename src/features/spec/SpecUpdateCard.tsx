import { isSpecDeltaMeta } from '../../db/conversation';
import type { Message } from '../../domain';
import './spec.css';

/** The "Spec update" card under an Architect reply that changed the spec. */
export function SpecUpdateCard({ message }: { message: Message }) {
  const meta = message.meta;
  if (!isSpecDeltaMeta(meta)) return null;
  return (
    <div className={`spec-update-card${meta.target === 'whatif' ? ' whatif' : ''}`} aria-label="Spec update">
      <details>
        <summary>
          <span className="spec-update-title">Spec update</span>
          {meta.target === 'whatif' && <span className="badge mode-badge mode-whatif">what-if only</span>}
          <span className="spec-update-summary">{meta.summary}</span>
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
