import { useRef, useState } from 'react';
import { errorSentence } from '../../shared/errorSentence';
import { shortId, type ChatSession, type Run } from '../../domain';
import { STAGE_LABELS } from '../../engine';
import { RelativeTime } from '../../shared/RelativeTime';
import { useLinks } from '../../shared/links';
import { CandidateDetail } from './CandidateDetail';
import { f2, formatDuration, MODE_LABELS, RUN_STATUS_LABELS } from './format';
import { useChatRuns, useLiveRunState, useRun, useRunLockHeld, useRunResults } from './hooks';
import { RankedList } from './RankedList';
import { rerun } from './runActions';
import { runExecutor } from './runExecutor';
import { ScatterPlot } from './ScatterPlot';
import { TradeStudyFacts } from './TradeStudyFacts';
import { ScenarioList } from './ScenarioList';
import './runs.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

/**
 * The Results tab. With a runId (the run route) it shows that run; without one,
 * the chat's newest run. A candidateId opens that candidate's detail.
 */
export function RunResults({
  projectId,
  chat,
  runId,
  candidateId,
}: {
  projectId: string;
  chat: ChatSession;
  runId?: string;
  candidateId?: string;
}) {
  const runs = useChatRuns(chat.id);
  const shownRunId = runId ?? runs?.[0]?.id;
  const run = useRun(shownRunId);
  const links = useLinks();
  const navigate = useAppNavigate();

  if (runs === undefined || run === undefined) return <p className="muted pad">Loading results…</p>;
  if (!shownRunId) {
    return (
      <div className="pad">
        <p className="empty-state">
          No runs from this chat yet. <AppLink to={links.chat(projectId, chat.id, 'runs')}>Start one in the Runs tab.</AppLink>
        </p>
      </div>
    );
  }
  if (!run || run.projectId !== projectId)
    return <p className="pad field-error">Run {shortId(shownRunId)} was not found in this project.</p>;

  const listed = runs.some((r) => r.id === run.id) ? runs : [run, ...runs];
  return (
    <div className="run-results">
      {listed.length > 1 && (
        <label className="run-picker">
          Run
          <select
            value={run.id}
            onChange={(event) => {
              navigate(links.run(projectId, chat.id, event.target.value));
            }}
          >
            {listed.map((r) => (
              <option key={r.id} value={r.id}>
                {shortId(r.id)} · {MODE_LABELS[r.mode]} · {RUN_STATUS_LABELS[r.status]}
                {r.metrics.bestI !== null ? ` · best I ${f2(r.metrics.bestI)}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <RunView run={run} chat={chat} candidateId={candidateId} />
    </div>
  );
}

function RunView({ run, chat, candidateId }: { run: Run; chat: ChatSession; candidateId?: string }) {
  const results = useRunResults(run);
  const links = useLinks();
  const hrefFor = (candidate: { id: string }) => links.candidate(run.projectId, chat.id, run.id, candidate.id);
  const candidate = candidateId ? results?.candidates.find((c) => c.id === candidateId) : undefined;

  return (
    <>
      <RunHeader run={run} chat={chat} />
      {run.status === 'completed' && results && (
        <>
          {candidateId ? (
            candidate ? (
              <CandidateDetail
                run={run}
                candidate={candidate}
                scenarios={results.scenarios}
                evaluations={results.evaluations}
                chatId={chat.id}
              />
            ) : (
              <p className="field-error">
                Candidate {shortId(candidateId)} is not part of this run.{' '}
                <AppLink to={links.run(run.projectId, chat.id, run.id)}>Show the run’s candidates</AppLink>
              </p>
            )
          ) : (
            <>
              <ScatterPlot candidates={results.candidates} hrefFor={hrefFor} designFrontier={run.metrics.frontier} />
              <TradeStudyFacts run={run} firstDominated={results.candidates[0]?.dominated === true} />
              <h4 className="section-title">Ranked candidates</h4>
              <RankedList candidates={results.candidates} constraints={run.specSnapshot.constraints} hrefFor={hrefFor} />
              <ScenarioList scenarios={results.scenarios} />
            </>
          )}
        </>
      )}
    </>
  );
}

function RunHeader({ run: stored, chat }: { run: Run; chat: ChatSession }) {
  const live = useLiveRunState(stored.id);
  // A run whose end storage refused still reads `running`; this tab knows it ended and shows that instead.
  const run = live.unsavedEnd && (stored.status === 'running' || stored.status === 'created') ? { ...stored, ...live.unsavedEnd } : stored;
  const links = useLinks();
  const navigate = useAppNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ended = run.status === 'interrupted' || run.status === 'failed' || run.status === 'cancelled';
  const executing = run.status === 'running' || run.status === 'created';
  // Not executing here: another tab holds its lock, or nobody does (its tab closed, and the sweep could not save that yet).
  const lockHeld = useRunLockHeld(run.id, executing && !live.active);

  // A ref, not `busy`: two clicks in one task both see the state from before either ran.
  const busyRef = useRef(false);

  async function again() {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      const next = await rerun(run);
      navigate(links.run(next.projectId, next.chatSessionId ?? chat.id, next.id));
    } catch (failure) {
      setError(errorSentence(failure));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  const percent = live.progress ? Math.round(live.progress.fraction * 100) : 0;
  return (
    <section className={`run-header run-${run.status}`} aria-label={`Run ${shortId(run.id)}`}>
      <div className="run-title-row">
        <h3>Run {shortId(run.id)}</h3>
        <span className={`badge run-status run-status-${run.status}`}>{RUN_STATUS_LABELS[run.status]}</span>
        <span className="muted">{MODE_LABELS[run.mode]}</span>
        <span className="muted">
          <RelativeTime timestamp={run.createdAt} />
        </span>
      </div>
      <p className="run-facts">
        {run.mode === 'eval_only'
          ? `${run.config.evalCandidates?.length ?? 0} picked candidates`
          : `${run.config.numCandidates} candidates`}{' '}
        × {run.config.numScenarios} scenarios · seed {run.config.seed}
        {run.status === 'completed' && (
          <>
            {' '}
            · {run.evaluationCount} evaluations in {formatDuration(run.durationMs)}
            {run.metrics.bestI !== null && <> · best I {f2(run.metrics.bestI)}</>}
            {run.metrics.searchStrategy && (
              <>
                {' '}
                · {run.metrics.searchStrategy}
                {run.metrics.combinationsConsidered !== undefined && ` over ${run.metrics.combinationsConsidered.toLocaleString()} designs`}
              </>
            )}
          </>
        )}
      </p>
      {run.status === 'completed' && Object.keys(run.metrics.phaseTimingsMs).length > 0 && (
        <p className="hint">
          Phases:{' '}
          {Object.entries(run.metrics.phaseTimingsMs)
            .map(([phase, ms]) => `${phase} ${formatDuration(ms)}`)
            .join(' · ')}
        </p>
      )}

      {executing && (
        <div className="run-progress">
          {live.active ? (
            <>
              <div className="progress-label">
                <span>{live.progress ? (STAGE_LABELS[live.progress.stage] ?? live.progress.stage) : 'Starting the engine'}</span>
                <span>{percent}%</span>
              </div>
              <div
                className="progress-track"
                role="progressbar"
                aria-label="Run progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
                aria-valuetext={`${live.progress ? STAGE_LABELS[live.progress.stage] : 'Starting'}: ${percent}%`}
              >
                <div className="progress-fill" style={{ width: `${percent}%` }} />
              </div>
              {live.progress && <p className="hint">{live.progress.message}</p>}
              <button type="button" className="danger-quiet" disabled={live.cancelling} onClick={() => runExecutor().cancel(run.id)}>
                {live.cancelling ? 'Cancelling…' : 'Cancel run'}
              </button>
            </>
          ) : (
            <p className="muted">
              {lockHeld === false
                ? 'This run was left unfinished when its tab closed. It is marked interrupted, with nothing partial kept, the next time Int Crucible opens with space to save that.'
                : 'This run is executing in another tab.'}
            </p>
          )}
        </div>
      )}

      {ended && (
        <div className={`run-ended run-ended-${run.status}`} role={run.status === 'failed' ? 'alert' : undefined}>
          <p>
            {run.status === 'interrupted' &&
              'Interrupted: the tab was closed or reloaded while this run was running. No partial results were kept.'}
            {run.status === 'cancelled' && 'Cancelled. No results were kept.'}
            {run.status === 'failed' && <>Failed: {run.error ?? 'unknown error'}</>}
          </p>
          <button type="button" className="primary" disabled={busy} onClick={() => void again()}>
            {busy ? 'Starting…' : 'Re-run'}
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
