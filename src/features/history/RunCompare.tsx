import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useNavigate } from 'react-router';
import { getRun, listCandidates, listRuns } from '../../db';
import { shortId, type ChatSession, type Run } from '../../domain';
import { compareRuns, type ComparedCandidate } from '../../engine/analysis';
import { useLinks } from '../../shared/links';
import { RelativeTime } from '../../shared/RelativeTime';
import { formatDelta, formatI, modeLabel, StatusBadge } from './format';
import { chatIndex, useProjectChats } from './hooks';
import { DiffList } from './RunDetail';
import { OriginChat } from './RunHistory';
import './history.css';

/** Two runs side by side: shared candidates (same choices), rank changes, I deltas and spec differences. */
export function RunCompare({ projectId, chat, runA, runB }: { projectId: string; chat: ChatSession; runA: string; runB: string }) {
  const loaded = useLiveQuery(async () => {
    const [a, b] = await Promise.all([getRun(runA), getRun(runB)]);
    if (!a || !b || a.projectId !== projectId || b.projectId !== projectId) return { a: a ?? null, b: b ?? null, comparison: null };
    const [candidatesA, candidatesB] = await Promise.all([listCandidates(a.id), listCandidates(b.id)]);
    return { a, b, comparison: compareRuns({ run: a, candidates: candidatesA }, { run: b, candidates: candidatesB }) };
  }, [projectId, runA, runB]);
  const chats = useProjectChats(projectId);
  const byId = chatIndex(chats);
  const links = useLinks();

  if (!loaded) return <p className="muted pad">Loading the two runs…</p>;
  const { a, b, comparison } = loaded;
  if (!a || !b || !comparison) {
    const missing = [!a && runA, !b && runB].filter(Boolean).map((id) => shortId(String(id)));
    return (
      <p className="empty-state">Cannot compare: run {missing.join(' and ') || 'from another project'} does not exist in this project.</p>
    );
  }
  return (
    <section className="run-compare" aria-labelledby="compare-title">
      <p className="muted">
        <Link to={links.runDetail(projectId, chat.id, a.id)}>← Run {shortId(a.id)}</Link>
      </p>
      <h3 id="compare-title">
        Compare Run {shortId(a.id)} with Run {shortId(b.id)}
      </h3>
      <div className="compare-runs">
        <RunCard side="A" run={a} other={b} chat={chat} origin={a.chatSessionId ? byId.get(a.chatSessionId) : undefined} />
        <RunCard side="B" run={b} other={a} chat={chat} origin={b.chatSessionId ? byId.get(b.chatSessionId) : undefined} />
      </div>

      <div className="detail-section">
        <h4>Spec differences (A → B)</h4>
        <DiffList differences={comparison.specDifferences} emptyText="Both runs used the same spec." />
      </div>

      <div className="detail-section">
        <h4>In both runs ({comparison.both.length})</h4>
        {comparison.both.length === 0 ? (
          <p className="muted">No candidate appears in both runs.</p>
        ) : (
          <div className="history-scroll">
            <table className="compare-table" aria-label="Candidates in both runs">
              <thead>
                <tr>
                  <th scope="col">Candidate</th>
                  <th scope="col" className="cell-num">
                    Rank A
                  </th>
                  <th scope="col" className="cell-num">
                    Rank B
                  </th>
                  <th scope="col">Change</th>
                  <th scope="col" className="cell-num">
                    I in A
                  </th>
                  <th scope="col" className="cell-num">
                    I in B
                  </th>
                  <th scope="col" className="cell-num">
                    ΔI
                  </th>
                </tr>
              </thead>
              <tbody>
                {comparison.both.map((entry) => (
                  <tr key={entry.key}>
                    <td>{entry.label}</td>
                    <td className="cell-num">#{entry.a!.rank}</td>
                    <td className="cell-num">#{entry.b!.rank}</td>
                    <td>
                      <RankChange entry={entry} />
                    </td>
                    <td className="cell-num">{formatI(entry.a!.scores.I)}</td>
                    <td className="cell-num">{formatI(entry.b!.scores.I)}</td>
                    <td className={`cell-num ${entry.deltaI! > 0.005 ? 'delta-pos' : entry.deltaI! < -0.005 ? 'delta-neg' : ''}`}>
                      {formatDelta(entry.deltaI)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <OnlyIn title={`Only in A (Run ${shortId(a.id)})`} entries={comparison.onlyA} side="a" />
      <OnlyIn title={`Only in B (Run ${shortId(b.id)})`} entries={comparison.onlyB} side="b" />
    </section>
  );
}

function RankChange({ entry }: { entry: ComparedCandidate }) {
  const change = entry.rankChange ?? 0;
  if (change > 0) return <span className="rank-up">↑ {change}</span>;
  if (change < 0) return <span className="rank-down">↓ {-change}</span>;
  return <span className="muted">=</span>;
}

function OnlyIn({ title, entries, side }: { title: string; entries: ComparedCandidate[]; side: 'a' | 'b' }) {
  return (
    <div className="detail-section">
      <h4>
        {title}: {entries.length}
      </h4>
      {entries.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <div className="history-scroll">
          <table className="compare-table" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">Candidate</th>
                <th scope="col" className="cell-num">
                  Rank
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="cell-num">
                  I
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const candidate = side === 'a' ? entry.a! : entry.b!;
                return (
                  <tr key={entry.key}>
                    <td>{entry.label}</td>
                    <td className="cell-num">#{candidate.rank}</td>
                    <td>{candidate.status.replace('_', ' ')}</td>
                    <td className="cell-num">{formatI(candidate.scores.I)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function RunCard({
  side,
  run,
  other,
  chat,
  origin,
}: {
  side: 'A' | 'B';
  run: Run;
  other: Run;
  chat: ChatSession;
  origin: ChatSession | undefined;
}) {
  const links = useLinks();
  const navigate = useNavigate();
  const recent = useLiveQuery(() => listRuns({ projectId: run.projectId, limit: 100 }), [run.projectId]);
  const options = (recent?.runs ?? []).filter((candidate) => candidate.id !== other.id);
  if (!options.some((option) => option.id === run.id)) options.unshift(run);
  return (
    <div className="compare-run">
      <span className="side">Run {side}</span>
      <select
        aria-label={`Run ${side}`}
        value={run.id}
        onChange={(event) =>
          void navigate(
            side === 'A'
              ? links.compare(run.projectId, chat.id, event.target.value, other.id)
              : links.compare(run.projectId, chat.id, other.id, event.target.value),
          )
        }
      >
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            Run {shortId(option.id)} · {option.status}
          </option>
        ))}
      </select>
      <span>
        <Link to={links.runDetail(run.projectId, chat.id, run.id)}>Run {shortId(run.id)}</Link> <StatusBadge status={run.status} />{' '}
        {modeLabel(run.mode)}
      </span>
      <span className="muted">
        From <OriginChat run={run} projectId={run.projectId} origin={origin} /> · <RelativeTime timestamp={run.createdAt} /> · best I{' '}
        {formatI(run.metrics.bestI)}
      </span>
    </div>
  );
}
