import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState } from 'react';
import { getChat, listCandidates } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { shortId, type ChatSession, type Run } from '../../domain';
import { useLinks } from '../../shared/links';
import { formatI, modeLabel, StatusBadge } from './format';
import { chatIndex, useProjectChats, useRun } from './hooks';
import { ComparePicker, type RunStarter } from './RunDetail';
import './history.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

/**
 * The Runs tab of an analysis chat: it is about one run, so it offers what to
 * do with that run (re-run it, a seeded run from one of its candidates,
 * compare it) instead of an empty launcher.
 */
export function AnalysisRunActions({ chat, runId, starter }: { chat: ChatSession; runId: string; starter?: RunStarter }) {
  const run = useRun(runId);
  if (run === undefined) return <p className="muted pad">Loading the run…</p>;
  if (run === null || run.projectId !== chat.projectId)
    return <p className="empty-state">Run {shortId(runId)}, which this chat discusses, no longer exists.</p>;
  return <AnalysisRunActionsView run={run} chat={chat} starter={starter} />;
}

function AnalysisRunActionsView({ run, chat, starter }: { run: Run; chat: ChatSession; starter?: RunStarter }) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const chats = chatIndex(useProjectChats(run.projectId));
  const candidates = useLiveQuery(() => listCandidates(run.id), [run.id]);
  const [picked, setPicked] = useState<string>('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seedId =
    picked || (chat.candidateId && candidates?.some((c) => c.id === chat.candidateId) ? chat.candidateId : candidates?.[0]?.id);
  const seed = candidates?.find((candidate) => candidate.id === seedId);

  // A ref, not `busy`: two clicks in one task both see the state from before either ran.
  const busyRef = useRef(false);

  async function start(what: string, work: () => Promise<Run>) {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(what);
    setError(null);
    try {
      const started = await work();
      const targetChat = started.chatSessionId && (await getChat(started.chatSessionId)) ? started.chatSessionId : chat.id;
      navigate(links.run(run.projectId, targetChat, started.id));
    } catch (failure) {
      setError(`${what} did not start: ${errorSentence(failure)}`);
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  }

  return (
    <section className="analysis-run-actions card" aria-labelledby="analysis-run-title">
      <header className="detail-head">
        <h3 id="analysis-run-title">Run {shortId(run.id)}</h3>
        <StatusBadge status={run.status} />
        <span className="badge">{modeLabel(run.mode)}</span>
        <span className="muted">best I {formatI(run.metrics.bestI)}</span>
      </header>
      <p className="hint">This chat discusses this run. Start from it:</p>
      <div className="row-actions" aria-label="Actions on the discussed run">
        <AppLink className="button-link" to={links.run(run.projectId, chat.id, run.id)}>
          Open results
        </AppLink>
        <button
          type="button"
          disabled={!starter || busy !== null || run.status === 'running'}
          title="Same settings, seed and spec snapshot"
          onClick={() => starter && void start('Re-run', () => starter.rerun(run))}
        >
          {busy === 'Re-run' ? 'Starting…' : 'Re-run'}
        </button>
        <AppLink className="button-link" to={links.runDetail(run.projectId, chat.id, run.id)}>
          Run details
        </AppLink>
      </div>
      <div className="row-actions">
        <label className="inline-field">
          <span>Seed candidate</span>
          <select value={seedId ?? ''} onChange={(event) => setPicked(event.target.value)} disabled={!candidates?.length}>
            {(candidates ?? []).map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                #{candidate.rank} {candidate.label} · I {formatI(candidate.scores.I)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!starter || !seed || busy !== null}
          onClick={() =>
            starter &&
            seed &&
            void start('Seeded run', () => starter.seededRun({ projectId: run.projectId, chatId: chat.id, run, candidate: seed }))
          }
        >
          {busy === 'Seeded run' ? 'Starting…' : 'Seeded run'}
        </button>
      </div>
      <div className="row-actions">
        <ComparePicker run={run} chat={chat} chats={chats} />
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
