import { useLiveQuery } from 'dexie-react-hooks';
import { getChat, getRun } from '../../db';
import { metaOfKind, shortId, type Message } from '../../domain';
import { useLinks } from '../../shared/links';
import { formatDuration } from '../../shared/RelativeTime';
import { UnreadablePart } from '../../shared/UnreadablePart';
import { DiscussRunButton } from './DiscussRunButton';
import { formatI, modeLabel, StatusBadge } from './format';
import './history.css';
import { AppLink } from '../../shared/navigation';

/** The card for a message whose meta kind is 'runSummary'. */
export function RunSummaryCard({ message }: { message: Message }) {
  const links = useLinks();
  const meta = metaOfKind(message.meta, 'runSummary');
  const context = useLiveQuery(async () => {
    if (!meta) return null;
    const [run, chat] = await Promise.all([getRun(meta.runId), getChat(message.chatSessionId)]);
    return { runExists: Boolean(run), chat: chat ?? null };
  }, [meta?.runId, message.chatSessionId]);
  if (!meta) return message.meta?.kind === 'runSummary' ? <UnreadablePart kind="runSummary" /> : null;
  const { summary } = meta;
  const inOwnAnalysisChat = context?.chat?.mode === 'analysis' && context.chat.runId === meta.runId;
  return (
    <section className="card run-summary-card" aria-label={`Run summary: Run ${shortId(meta.runId)}`}>
      <header className="run-summary-head">
        <strong>Run {shortId(meta.runId)}</strong>
        <StatusBadge status={summary.status} />
        <span className="muted">
          {modeLabel(summary.mode)} · {summary.counts.candidates} candidates · {summary.counts.scenarios} scenarios ·{' '}
          {summary.counts.evaluations} evaluations · {formatDuration(summary.durationMs)}
        </span>
      </header>
      {summary.error && <p className="run-summary-error">{summary.error}</p>}
      {summary.top.length > 0 && (
        <table className="mini-table">
          <caption className="visually-hidden">Top candidates</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Candidate</th>
              <th scope="col">I</th>
              <th scope="col">P</th>
              <th scope="col">R</th>
            </tr>
          </thead>
          <tbody>
            {summary.top.map((candidate) => (
              <tr key={candidate.id} className={candidate.status === 'rejected' ? 'rejected' : undefined}>
                <td>{candidate.rank}</td>
                <td>
                  {candidate.label}
                  {candidate.hardViolations.map((name) => (
                    <span key={name} className="badge chip-danger" title="Breaks a hard constraint">
                      ✕ {name}
                    </span>
                  ))}
                </td>
                <td className="cell-num">{formatI(candidate.I)}</td>
                <td className="cell-num">{formatI(candidate.P)}</td>
                <td className="cell-num">{formatI(candidate.R)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summary.findings.lines.length > 0 && (
        <ul className="run-summary-findings" aria-label="Key findings">
          {summary.findings.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <div className="row-actions">
        {context?.runExists === false ? (
          <span className="muted">This run has been deleted.</span>
        ) : (
          <>
            <AppLink className="button-link primary" to={links.run(meta.projectId, message.chatSessionId, meta.runId)}>
              View results
            </AppLink>
            <AppLink className="button-link" to={links.runDetail(meta.projectId, message.chatSessionId, meta.runId)}>
              Run details
            </AppLink>
            {context && !inOwnAnalysisChat && <DiscussRunButton projectId={meta.projectId} runId={meta.runId} />}
          </>
        )}
      </div>
    </section>
  );
}
