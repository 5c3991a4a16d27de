import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState } from 'react';
import { getCandidate, getChat, getPinnedBaseline, listCandidates, listRuns, pinBaseline } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import {
  isHard,
  PIPELINE_STAGE_ROLES,
  shortId,
  type Candidate,
  type ChatSession,
  type PipelineStageRole,
  type Run,
  type SpecContent,
} from '../../domain';
import { diffSpecSnapshots, type SpecDifference } from '../../engine/analysis';
import { PIPELINE_STAGES, STAGE_LABELS } from '../../engine/types';
import { useLinks } from '../../shared/links';
import { formatDuration, RelativeTime } from '../../shared/RelativeTime';
import { DiscussRunButton } from './DiscussRunButton';
import { formatI, modeLabel, runDisplayName, StatusBadge } from './format';
import { chatIndex, useCurrentSpecFor, useProjectChats, useRun } from './hooks';
import { RunLabelsEditor } from './RunLabelsEditor';
import { OriginChat } from './RunHistory';
import './history.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

/** How the app lets this feature start runs (the run executor belongs to the runs feature). */
export interface RunStarter {
  /** Same config, same spec snapshot, same seed, from the same chat. */
  rerun(run: Run): Promise<Run>;
  /** A seeded run around `candidate`, started from the chat the user is in. */
  seededRun(args: { projectId: string; chatId: string; run: Run; candidate: Candidate }): Promise<Run>;
}

export function RunDetail({
  projectId,
  chat,
  runId,
  starter,
}: {
  projectId: string;
  chat: ChatSession;
  runId: string;
  starter?: RunStarter;
}) {
  const run = useRun(runId);
  if (run === undefined) return <p className="muted pad">Loading run…</p>;
  if (run === null || run.projectId !== projectId)
    return <p className="empty-state">Run {shortId(runId)} does not exist in this project (it may have been deleted).</p>;
  return <RunDetailView run={run} chat={chat} starter={starter} />;
}

function RunDetailView({ run, chat, starter }: { run: Run; chat: ChatSession; starter?: RunStarter }) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const chats = useProjectChats(run.projectId);
  const byId = chatIndex(chats);
  const current = useCurrentSpecFor(run);
  const candidates = useLiveQuery(() => listCandidates(run.id), [run.id]);
  const seedCandidate = useLiveQuery(
    async () => (run.config.seedCandidateId ? ((await getCandidate(run.config.seedCandidateId)) ?? null) : null),
    [run.config.seedCandidateId],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const top = candidates?.[0];

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

  const timings = PIPELINE_STAGES.map((stage) => ({ stage, ms: run.metrics.phaseTimingsMs[stage] ?? 0 }));
  const longest = Math.max(1, ...timings.map((timing) => timing.ms));
  const differences = current ? diffSpecSnapshots(run.specSnapshot, current.spec) : null;

  return (
    <section className="run-detail" aria-labelledby="run-detail-title">
      <p className="muted">
        <AppLink to={links.chat(run.projectId, chat.id, 'runs')}>← Run history</AppLink>
      </p>
      <header className="detail-head">
        <h3 id="run-detail-title">{runDisplayName(run)}</h3>
        {run.name && <span className="mono muted run-short-id">Run {shortId(run.id)}</span>}
        <StatusBadge status={run.status} />
        <span className="badge">{modeLabel(run.mode)}</span>
      </header>
      <div className="detail-meta">
        <span>
          From <OriginChat run={run} projectId={run.projectId} origin={run.chatSessionId ? byId.get(run.chatSessionId) : undefined} />
        </span>
        <span>
          Created <RelativeTime timestamp={run.createdAt} />
        </span>
        <span>Duration {formatDuration(run.durationMs)}</span>
        <span>
          {run.candidateCount} candidates · {run.scenarioCount} scenarios · {run.evaluationCount} evaluations
        </span>
        <span>Best I {formatI(run.metrics.bestI)}</span>
      </div>
      <RunLabelsEditor run={run} />

      <div className="row-actions" aria-label="Run actions">
        <AppLink className="button-link primary" to={links.run(run.projectId, chat.id, run.id)}>
          Open results
        </AppLink>
        <DiscussRunButton projectId={run.projectId} runId={run.id} />
        <button
          type="button"
          disabled={!starter || busy !== null || run.status === 'running'}
          title={starter ? 'Same settings, seed and spec snapshot, from the same chat' : 'Runs cannot be started here'}
          onClick={() => starter && void start('Re-run', () => starter.rerun(run))}
        >
          {busy === 'Re-run' ? 'Starting…' : 'Re-run'}
        </button>
        <button
          type="button"
          disabled={!starter || !top || busy !== null}
          title={top ? `Explore around ${top.label}, from this chat` : 'This run has no candidates'}
          onClick={() =>
            starter &&
            top &&
            void start('Seeded run', () => starter.seededRun({ projectId: run.projectId, chatId: chat.id, run, candidate: top }))
          }
        >
          {busy === 'Seeded run' ? 'Starting…' : 'Seeded run from top candidate'}
        </button>
        <ComparePicker run={run} chat={chat} chats={byId} />
        <BaselineActions run={run} chat={chat} />
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}

      {run.error && (
        <div className="detail-section">
          <h4>Error</h4>
          <p className="run-error" role="status">
            {run.error}
          </p>
        </div>
      )}

      <div className="detail-section">
        <h4>Config</h4>
        <dl className="config-grid">
          <dt>Mode</dt>
          <dd>{modeLabel(run.mode)}</dd>
          <dt>Candidates</dt>
          <dd>{run.config.numCandidates}</dd>
          <dt>Scenarios</dt>
          <dd>{run.config.numScenarios}</dd>
          <dt>Stages</dt>
          <dd data-testid="run-stages">{describeStages(run)}</dd>
          <dt>Seed</dt>
          <dd className="mono">{run.config.seed}</dd>
          {run.config.seedCandidateId && (
            <>
              <dt>Seed candidate</dt>
              <dd>
                {seedCandidate
                  ? `${seedCandidate.label} (#${seedCandidate.rank} of Run ${shortId(seedCandidate.runId)})`
                  : shortId(run.config.seedCandidateId)}
              </dd>
            </>
          )}
          {run.config.evalCandidates && (
            <>
              <dt>Evaluated</dt>
              <dd>{run.config.evalCandidates.length} picked candidates</dd>
            </>
          )}
          {typeof run.metrics.searchStrategy === 'string' && (
            <>
              <dt>Search</dt>
              <dd>{run.metrics.searchStrategy}</dd>
            </>
          )}
          {typeof run.metrics.combinationsConsidered === 'number' && (
            <>
              <dt>Combinations</dt>
              <dd>{run.metrics.combinationsConsidered.toLocaleString()}</dd>
            </>
          )}
        </dl>
      </div>

      <div className="detail-section">
        <h4>Phase timings</h4>
        <div className="timings" aria-label="Phase timings">
          {timings.map(({ stage, ms }) => (
            <div key={stage} className="timing-row">
              <span>{STAGE_LABELS[stage].replace(/ candidates$/, '')}</span>
              <span className="timing-bar" aria-hidden="true">
                <span style={{ width: `${(ms / longest) * 100}%` }} />
              </span>
              <span className="cell-num">{ms < 10 ? `${ms.toFixed(1)} ms` : formatDuration(ms)}</span>
            </div>
          ))}
        </div>
      </div>

      <div className="detail-section">
        <h4>Spec snapshot</h4>
        <SpecSnapshot spec={run.specSnapshot} />
      </div>

      <div className="detail-section">
        <h4>Changes since this run</h4>
        {current === undefined ? (
          <p className="muted">Comparing with the current spec…</p>
        ) : !differences ? (
          <p className="muted">The project spec could not be read.</p>
        ) : (
          <>
            <p className="hint">
              Compared with the current spec of {current?.chat ? `“${current.chat.title}”` : 'the project'}
              {current?.chat?.mode === 'whatif' ? ' (its what-if override applied)' : ''}.
            </p>
            <DiffList differences={differences} emptyText="None: a run from there now would use the same spec." />
          </>
        )}
      </div>
    </section>
  );
}

/** Pin this run as the project's baseline, or compare it with the pinned one. */
function BaselineActions({ run, chat }: { run: Run; chat: ChatSession }) {
  const links = useLinks();
  const pinned = useLiveQuery(() => getPinnedBaseline(run.projectId), [run.projectId]);
  if (pinned === undefined) return null;
  if (pinned === run.id)
    return (
      <span className="baseline-actions">
        <span className="badge baseline-badge">Pinned baseline</span>
        <button type="button" onClick={() => void pinBaseline(run.projectId, null)}>
          Unpin baseline
        </button>
      </span>
    );
  return (
    <span className="baseline-actions">
      <button type="button" onClick={() => void pinBaseline(run.projectId, run.id)} title="Comparisons in this project start from this run">
        Pin as baseline
      </button>
      {pinned && (
        <AppLink className="button-link" to={links.compareRuns(run.projectId, chat.id, pinned, [run.id])}>
          Compare with baseline
        </AppLink>
      )}
    </span>
  );
}

export function ComparePicker({ run, chat, chats }: { run: Run; chat: ChatSession; chats: Map<string, ChatSession> }) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const recent = useLiveQuery(() => listRuns({ projectId: run.projectId, limit: 100 }), [run.projectId]);
  const [other, setOther] = useState('');
  const options = (recent?.runs ?? []).filter((candidate) => candidate.id !== run.id);
  return (
    <span className="compare-picker">
      <select aria-label="Compare with" value={other} onChange={(event) => setOther(event.target.value)}>
        <option value="">Compare with…</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name ? `${option.name} (${shortId(option.id)})` : shortId(option.id)} · {option.status} ·{' '}
            {option.chatSessionId ? (chats.get(option.chatSessionId)?.title ?? 'deleted chat') : 'no chat'} · best I{' '}
            {formatI(option.metrics.bestI)}
          </option>
        ))}
      </select>
      <button type="button" disabled={!other} onClick={() => navigate(links.compare(run.projectId, chat.id, run.id, other))}>
        Compare
      </button>
    </span>
  );
}

export function SpecSnapshot({ spec }: { spec: SpecContent }) {
  return (
    <div className="spec-snapshot">
      {spec.goals.length > 0 && <p className="hint">Goals: {spec.goals.map((goal) => goal.text).join(' · ')}</p>}
      <div className="history-scroll">
        <table className="detail-table">
          <caption className="visually-hidden">Constraints</caption>
          <thead>
            <tr>
              <th scope="col">Constraint</th>
              <th scope="col" className="cell-num">
                Weight
              </th>
            </tr>
          </thead>
          <tbody>
            {spec.constraints.map((constraint) => (
              <tr key={constraint.id}>
                <td>{constraint.name}</td>
                <td className="cell-num">{isHard(constraint) ? '100 (hard)' : constraint.weight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="snapshot-dimensions">
        {spec.designSpace.dimensions.map((dimension) => (
          <li key={dimension.id}>
            <strong>{dimension.name}:</strong> {dimension.options.map((option) => `${option.name} (cost ${option.cost})`).join(', ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DiffList({ differences, emptyText }: { differences: SpecDifference[]; emptyText: string }) {
  if (!differences.length) return <p className="muted">{emptyText}</p>;
  return (
    <ul className="diff-list" aria-label="Spec differences">
      {differences.map((difference) => (
        <li
          key={difference.text}
          className={difference.text.startsWith('+') ? 'diff-add' : difference.text.startsWith('−') ? 'diff-remove' : 'diff-change'}
        >
          {difference.text}
        </li>
      ))}
    </ul>
  );
}

const STAGE_ROLE_LABELS: Record<PipelineStageRole, string> = {
  designer: 'designer',
  scenarioGenerator: 'scenarios',
  evaluator: 'evaluator',
  ranker: 'ranker',
};

/** "All built-in" or "scenarios from Ollama (llama3.1:8b); the rest built-in". Runs from before stages were recorded were all built-in. */
function describeStages(run: Run): string {
  const stages = run.metrics.stages;
  const fromModel = stages
    ? PIPELINE_STAGE_ROLES.flatMap((role) => {
        const stage = stages[role];
        return stage.kind === 'model' ? [`${STAGE_ROLE_LABELS[role]} from ${stage.provider} (${stage.model})`] : [];
      })
    : [];
  if (fromModel.length === 0) return 'All built-in';
  return fromModel.length === PIPELINE_STAGE_ROLES.length ? fromModel.join('; ') : `${fromModel.join('; ')}; the rest built-in`;
}
