import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { getPinnedBaseline, listRuns, pinBaseline, loadRunData } from '../../db';
import { shortId, type Candidate, type ChatSession, type Run } from '../../domain';
import { choicesKey, diffSpecSnapshots, reevaluateUnder, type Reevaluation, type RunData } from '../../engine/analysis';
import { useLinks } from '../../shared/links';
import { specAndConfigFacts } from './compareFacts';
import { formatDelta, formatI, runDisplayName, StatusBadge } from './format';
import { DiffList } from './RunDetail';
import './history.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

/** At most this many runs next to the baseline (the view stays readable in the panel). */
export const MAX_COMPARED_RUNS = 6;
/** One colour per run, the same in the table, the plot and the legend; the baseline is the first. */
export const RUN_COLOURS = ['#6b7280', '#3659d6', '#d9480f', '#2b8a3e', '#ae3ec9', '#0c8599', '#c2255c'] as const;
/** Deltas smaller than this show as no change (they round to 0.00). */
const SAME = 0.005;

export interface RunCompareProps {
  projectId: string;
  chat: ChatSession;
  /** The old two-run route (compare/:runA/:runB): A is the baseline, B the compared run. */
  runA?: string;
  runB?: string;
}

interface Compared {
  data: RunData;
  first: Candidate | null;
  improved: number;
  regressed: number;
  shared: number;
}

function firstOf(data: RunData): Candidate | null {
  return [...data.candidates].sort((a, b) => a.rank - b.rank)[0] ?? null;
}

/** Counts candidates (same choices) found by both runs whose I went up or down. */
function improvedAndRegressed(baseline: RunData, other: RunData): { improved: number; regressed: number; shared: number } {
  const inBaseline = new Map<string, Candidate>();
  for (const candidate of baseline.candidates) inBaseline.set(choicesKey(candidate.choices), candidate);
  let improved = 0;
  let regressed = 0;
  let shared = 0;
  const seen = new Set<string>();
  for (const candidate of other.candidates) {
    const key = choicesKey(candidate.choices);
    const before = inBaseline.get(key);
    if (!before || seen.has(key)) continue;
    seen.add(key);
    shared += 1;
    const delta = candidate.scores.I - before.scores.I;
    if (delta > SAME) improved += 1;
    else if (delta < -SAME) regressed += 1;
  }
  return { improved, regressed, shared };
}

function deltaClass(delta: number | null, higherIsBetter: boolean): string {
  if (delta === null || Math.abs(delta) < SAME) return 'delta-same';
  return delta > 0 === higherIsBetter ? 'delta-better' : 'delta-worse';
}

function DeltaCell({ value, higherIsBetter, label }: { value: number | null; higherIsBetter: boolean; label: string }) {
  const kind = deltaClass(value, higherIsBetter);
  const word = kind === 'delta-better' ? 'better' : kind === 'delta-worse' ? 'worse' : 'no change';
  return (
    <td
      className={`cell-num ${kind}`}
      title={`${label}: ${word}`}
      data-label={label.replace(/ against the baseline$/, '')}
      data-delta={value === null ? '' : value.toFixed(6)}
    >
      {formatDelta(value)}
      <span className="visually-hidden"> ({word})</span>
    </td>
  );
}

/**
 * A pinned baseline run against up to six others: #1's ΔP, ΔR and ΔI coloured
 * by better or worse, candidates improved and regressed, one P–R plot with a
 * colour per run, the baseline's #1 re-scored under each run's spec, and the
 * spec and config side by side (differences only, if wanted). The URL holds
 * the selection (?baseline=…&runs=…).
 */
export function RunCompare({ projectId, chat, runA, runB }: RunCompareProps) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [search] = useSearchParams();
  const pinned = useLiveQuery(() => getPinnedBaseline(projectId), [projectId]);
  const baselineId = runA ?? search.get('baseline') ?? pinned ?? null;
  const runIds = useMemo(() => {
    const listed = runB ? [runB] : (search.get('runs') ?? '').split(',').filter(Boolean);
    return [...new Set(listed)].filter((id) => id !== baselineId).slice(0, MAX_COMPARED_RUNS);
  }, [runB, search, baselineId]);
  const recent = useLiveQuery(() => listRuns({ projectId, limit: 200 }), [projectId]);

  const loaded = useLiveQuery(async () => {
    const ids = baselineId ? [baselineId, ...runIds] : runIds;
    const datas = await Promise.all(ids.map((id) => loadRunData(id).catch(() => null)));
    return { ids, datas: datas.map((data) => (data && data.run.projectId === projectId ? data : null)) };
  }, [projectId, baselineId, runIds.join(',')]);

  const go = (baseline: string | null, runs: readonly string[]) =>
    navigate(links.compareRuns(projectId, chat.id, baseline, runs), { replace: true });

  if (pinned === undefined || !recent || !loaded) return <p className="muted pad">Loading the runs…</p>;
  const baseline: RunData | null = baselineId ? (loaded.datas[0] ?? null) : null;
  const others = (baselineId ? loaded.datas.slice(1) : loaded.datas).filter((data) => data !== null);
  const missing = loaded.ids.filter((_, at) => loaded.datas[at] === null);
  const runLabel = (run: Run) => runDisplayName(run);

  const compared: Compared[] = others.map((data) => ({
    data,
    first: firstOf(data),
    ...(baseline ? improvedAndRegressed(baseline, data) : { improved: 0, regressed: 0, shared: 0 }),
  }));
  const baselineFirst = baseline ? firstOf(baseline) : null;
  const pickable = recent.runs.filter((run) => run.id !== baselineId && !runIds.includes(run.id));

  return (
    <section className="run-compare" aria-labelledby="compare-title">
      <p className="muted">
        <AppLink to={links.chat(projectId, chat.id, 'runs')}>← Run history</AppLink>
      </p>
      <h3 id="compare-title">Compare runs</h3>

      <div className="compare-controls">
        <label className="compare-baseline">
          <span>Baseline</span>
          <select aria-label="Baseline run" value={baselineId ?? ''} onChange={(event) => go(event.target.value || null, runIds)}>
            <option value="">Choose a baseline…</option>
            {recent.runs.map((run) => (
              <option key={run.id} value={run.id}>
                {runLabel(run)} · {run.status} · best I {formatI(run.metrics.bestI)}
                {run.id === pinned ? ' · pinned' : ''}
              </option>
            ))}
          </select>
        </label>
        {baselineId && baselineId !== pinned && (
          <button type="button" onClick={() => void pinBaseline(projectId, baselineId)}>
            Pin as baseline
          </button>
        )}
        {baselineId && baselineId === pinned && (
          <span className="badge baseline-badge" title="Comparisons in this project start from this run">
            Pinned baseline
          </span>
        )}
        {baselineId && baselineId === pinned && (
          <button type="button" className="link-button" onClick={() => void pinBaseline(projectId, null)}>
            Unpin
          </button>
        )}
      </div>

      <div className="compare-chips" role="group" aria-label="Compared runs">
        {compared.map(({ data }, at) => (
          <span key={data.run.id} className="compare-chip" style={{ borderColor: RUN_COLOURS[at + 1] }}>
            <span className="swatch" style={{ background: RUN_COLOURS[at + 1] }} aria-hidden="true" />
            {runLabel(data.run)}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${runLabel(data.run)} from the comparison`}
              onClick={() =>
                go(
                  baselineId,
                  runIds.filter((id) => id !== data.run.id),
                )
              }
            >
              ×
            </button>
          </span>
        ))}
        {runIds.length < MAX_COMPARED_RUNS && (
          <select
            aria-label="Add a run to compare"
            value=""
            onChange={(event) => event.target.value && go(baselineId, [...runIds, event.target.value])}
          >
            <option value="">+ Add a run…</option>
            {pickable.map((run) => (
              <option key={run.id} value={run.id}>
                {runLabel(run)} · {run.status} · best I {formatI(run.metrics.bestI)}
              </option>
            ))}
          </select>
        )}
      </div>
      {missing.length > 0 && (
        <p className="form-error" role="alert">
          {missing.length === 1 ? 'A run' : `${missing.length} runs`} in this link no longer exist in this project (
          {missing.map(shortId).join(', ')}).
        </p>
      )}
      {!baseline && <p className="empty-state">Choose a baseline run: every other run is compared against it.</p>}
      {baseline && compared.length === 0 && <p className="empty-state">Add one or more runs to compare with the baseline.</p>}

      {baseline && compared.length > 0 && (
        <>
          <div className="detail-section">
            <h4>Best candidate (#1) against the baseline</h4>
            <div className="history-scroll">
              <table className="compare-table compare-summary card-table" aria-label="Runs against the baseline">
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col" className="cell-num">
                      P
                    </th>
                    <th scope="col" className="cell-num">
                      ΔP
                    </th>
                    <th scope="col" className="cell-num">
                      R
                    </th>
                    <th scope="col" className="cell-num">
                      ΔR
                    </th>
                    <th scope="col" className="cell-num">
                      I
                    </th>
                    <th scope="col" className="cell-num">
                      ΔI
                    </th>
                    <th scope="col" className="cell-num" title="Candidates found by both runs whose I went up">
                      Improved
                    </th>
                    <th scope="col" className="cell-num" title="Candidates found by both runs whose I went down">
                      Regressed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <tr className="baseline-row" data-run-id={baseline.run.id}>
                    <th scope="row">
                      <RunCell run={baseline.run} colour={RUN_COLOURS[0]} chat={chat} first={baselineFirst} baseline />
                    </th>
                    <td className="cell-num" data-label="P">
                      {formatI(baselineFirst?.scores.P)}
                    </td>
                    <td className="cell-num muted" data-label="ΔP">
                      —
                    </td>
                    <td className="cell-num" data-label="R">
                      {formatI(baselineFirst?.scores.R)}
                    </td>
                    <td className="cell-num muted" data-label="ΔR">
                      —
                    </td>
                    <td className="cell-num" data-label="I">
                      {formatI(baselineFirst?.scores.I)}
                    </td>
                    <td className="cell-num muted" data-label="ΔI">
                      —
                    </td>
                    <td className="cell-num muted" data-label="Improved">
                      —
                    </td>
                    <td className="cell-num muted" data-label="Regressed">
                      —
                    </td>
                  </tr>
                  {compared.map(({ data, first, improved, regressed, shared }, at) => {
                    const delta = (pick: (candidate: Candidate) => number) =>
                      first && baselineFirst ? pick(first) - pick(baselineFirst) : null;
                    return (
                      <tr key={data.run.id} data-run-id={data.run.id}>
                        <th scope="row">
                          <RunCell run={data.run} colour={RUN_COLOURS[at + 1]!} chat={chat} first={first} />
                        </th>
                        <td className="cell-num" data-label="P">
                          {formatI(first?.scores.P)}
                        </td>
                        <DeltaCell value={delta((c) => c.scores.P)} higherIsBetter label="ΔP" />
                        <td className="cell-num" data-label="R">
                          {formatI(first?.scores.R)}
                        </td>
                        <DeltaCell value={delta((c) => c.scores.R)} higherIsBetter={false} label="ΔR" />
                        <td className="cell-num" data-label="I">
                          {formatI(first?.scores.I)}
                        </td>
                        <DeltaCell value={delta((c) => c.scores.I)} higherIsBetter label="ΔI" />
                        <td
                          className={`cell-num${improved > 0 ? ' delta-better' : ''}`}
                          data-label="Improved"
                          title={`of ${shared} candidates in both runs`}
                        >
                          {improved}
                        </td>
                        <td
                          className={`cell-num${regressed > 0 ? ' delta-worse' : ''}`}
                          data-label="Regressed"
                          title={`of ${shared} candidates in both runs`}
                        >
                          {regressed}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p className="hint">Higher P and I are better, lower R is better. Improved and regressed count the designs both runs found.</p>
          </div>

          <OverlaidPlot baseline={baseline} others={others} />

          <BaselineWinnerElsewhere baseline={baseline} first={baselineFirst} others={others} />

          <CandidatesAgainstBaseline baseline={baseline} others={others} />

          <SpecAndConfig runs={[baseline, ...others]} />

          <div className="detail-section">
            <h4>Spec changes from the baseline</h4>
            {others.map((data, at) => (
              <details key={data.run.id} open={others.length === 1}>
                <summary>
                  <span className="compare-run-cell">
                    <span className="swatch" style={{ background: RUN_COLOURS[at + 1] }} aria-hidden="true" />
                    {runDisplayName(data.run)}
                  </span>
                </summary>
                <DiffList
                  differences={diffSpecSnapshots(baseline.run.specSnapshot, data.run.specSnapshot)}
                  emptyText="Same spec as the baseline."
                />
              </details>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function RunCell({
  run,
  colour,
  chat,
  first,
  baseline = false,
}: {
  run: Run;
  colour: string;
  chat: ChatSession;
  first: Candidate | null;
  baseline?: boolean;
}) {
  const links = useLinks();
  return (
    <span className="compare-run-cell">
      <span className="swatch" style={{ background: colour }} aria-hidden="true" />
      <span>
        <AppLink to={links.runDetail(run.projectId, chat.id, run.id)}>{runDisplayName(run)}</AppLink>
        {baseline && <span className="badge baseline-badge">baseline</span>} <StatusBadge status={run.status} />
        <span className="compare-first muted" title={first?.label}>
          #1 {first ? first.label : 'none'}
        </span>
      </span>
    </span>
  );
}

/** The baseline's #1 scored under every other run's spec and scenarios, on the fly (no run is created). */
function BaselineWinnerElsewhere({ baseline, first, others }: { baseline: RunData; first: Candidate | null; others: RunData[] }) {
  const key = `${baseline.run.id}:${first?.id}:${others.map((data) => `${data.run.id}/${data.candidates.length}`).join(',')}`;
  // Results remember which inputs they answer, so a change of runs shows "Evaluating…" rather than stale scores.
  const [evaluated, setEvaluated] = useState<{ key: string; results: Map<string, Reevaluation> } | null>(null);
  const results = evaluated?.key === key ? evaluated.results : null;
  useEffect(() => {
    let live = true;
    if (!first) return;
    void (async () => {
      const map = new Map<string, Reevaluation>();
      for (const data of others) {
        try {
          map.set(data.run.id, await reevaluateUnder(data, { label: first.label, choices: first.choices }));
        } catch {
          map.set(data.run.id, { ok: false, reason: 'The engine could not score it under this spec.' });
        }
      }
      if (live) setEvaluated({ key, results: map });
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names everything the evaluation reads
  }, [key]);

  return (
    <div className="detail-section">
      <h4>The baseline’s #1 under each run’s spec</h4>
      {!first ? (
        <p className="muted">The baseline has no candidates.</p>
      ) : (
        <>
          <p className="hint">
            “{first.label}” (I {formatI(first.scores.I)} in the baseline) evaluated on each run’s spec and scenarios, ranked among that
            run’s candidates. Nothing is saved.
          </p>
          {!results ? (
            <p className="muted">Evaluating…</p>
          ) : (
            <div className="history-scroll">
              <table className="compare-table card-table" aria-label="The baseline's #1 under each run's spec">
                <thead>
                  <tr>
                    <th scope="col">Under run</th>
                    <th scope="col" className="cell-num">
                      P
                    </th>
                    <th scope="col" className="cell-num">
                      R
                    </th>
                    <th scope="col" className="cell-num">
                      I
                    </th>
                    <th scope="col" className="cell-num">
                      ΔI
                    </th>
                    <th scope="col">Would rank</th>
                  </tr>
                </thead>
                <tbody>
                  {others.map((data, at) => {
                    const result = results.get(data.run.id);
                    if (!result) return null;
                    return (
                      <tr key={data.run.id} data-run-id={data.run.id}>
                        <th scope="row">
                          <span className="compare-run-cell">
                            <span className="swatch" style={{ background: RUN_COLOURS[at + 1] }} aria-hidden="true" />
                            {runDisplayName(data.run)}
                          </span>
                        </th>
                        {result.ok ? (
                          <>
                            <td className="cell-num" data-label="P">
                              {formatI(result.P)}
                            </td>
                            <td className="cell-num" data-label="R">
                              {formatI(result.R)}
                            </td>
                            <td className="cell-num" data-label="I">
                              {formatI(result.I)}
                            </td>
                            <DeltaCell value={result.I - first.scores.I} higherIsBetter label="ΔI against the baseline" />
                            <td className="card-wide" data-label="Would rank">
                              #{result.rank} of {result.of}
                              {result.status === 'rejected' ? ' · rejected' : ''}
                              {result.hardViolations.length > 0 ? ` · breaks ${result.hardViolations.length} hard` : ''}
                              {result.alreadyInRun ? ' · found by the run too' : ''}
                            </td>
                          </>
                        ) : (
                          <td colSpan={5} className="muted card-wide">
                            {result.reason}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** Spec and config facts side by side; "Differences only" hides the rows that are the same in every run. */
function SpecAndConfig({ runs }: { runs: RunData[] }) {
  const [differencesOnly, setDifferencesOnly] = useState(true);
  const facts = useMemo(() => specAndConfigFacts(runs.map((data) => data.run)), [runs]);
  const rows = differencesOnly ? facts.filter((fact) => fact.differs) : facts;
  return (
    <div className="detail-section">
      <div className="compare-section-head">
        <h4>Spec and config</h4>
        <label className="switch">
          <input type="checkbox" role="switch" checked={differencesOnly} onChange={(event) => setDifferencesOnly(event.target.checked)} />
          Differences only
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="muted">All runs used the same spec and config.</p>
      ) : (
        <div className="history-scroll">
          <table className="compare-table compare-facts card-table" aria-label="Spec and config">
            <thead>
              <tr>
                <th scope="col">Item</th>
                {runs.map((data, at) => (
                  <th key={data.run.id} scope="col">
                    <span className="compare-run-cell">
                      <span className="swatch" style={{ background: RUN_COLOURS[at] }} aria-hidden="true" />
                      {runDisplayName(data.run)}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((fact) => (
                <tr key={fact.key} className={fact.differs ? 'fact-differs' : undefined}>
                  <th scope="row">
                    <span className="muted">{fact.group} · </span>
                    {fact.label}
                  </th>
                  {fact.values.map((value, at) => (
                    <td
                      key={at}
                      className={at > 0 && value !== fact.values[0] ? 'fact-changed' : undefined}
                      data-label={runs[at] ? runDisplayName(runs[at].run) : undefined}
                    >
                      {value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const PLOT = { width: 560, height: 300, left: 48, right: 16, top: 12, bottom: 40 };

/** Every candidate of every run on one P–R plane, a colour per run; each run's #1 is drawn larger. */
function OverlaidPlot({ baseline, others }: { baseline: RunData; others: RunData[] }) {
  const runs = [baseline, ...others];
  const points = runs.flatMap((data, at) =>
    data.candidates
      .filter((candidate) => Number.isFinite(candidate.scores.P) && Number.isFinite(candidate.scores.R))
      .map((candidate) => ({ candidate, colour: RUN_COLOURS[at]!, run: data.run, at })),
  );
  if (points.length === 0) return null;
  const Rs = points.map((point) => point.candidate.scores.R);
  const Ps = points.map((point) => point.candidate.scores.P);
  const rMin = Math.min(...Rs);
  const rMax = Math.max(...Rs);
  const pMin = Math.min(...Ps);
  const pMax = Math.max(...Ps);
  const rPad = Math.max((rMax - rMin) * 0.08, 0.01);
  const pPad = Math.max((pMax - pMin) * 0.08, 0.01);
  const x = (R: number) => PLOT.left + ((R - (rMin - rPad)) / (rMax - rMin + 2 * rPad)) * (PLOT.width - PLOT.left - PLOT.right);
  const y = (P: number) => PLOT.top + (1 - (P - (pMin - pPad)) / (pMax - pMin + 2 * pPad)) * (PLOT.height - PLOT.top - PLOT.bottom);
  const ticks = (low: number, high: number) => [0, 0.25, 0.5, 0.75, 1].map((f) => low + f * (high - low));
  // Later runs on top; within a run, #1 last so it is never hidden.
  const ordered = [...points].sort((a, b) => a.at - b.at || b.candidate.rank - a.candidate.rank);
  return (
    <div className="detail-section">
      <h4>P against R, every run</h4>
      <div className="compare-legend">
        {runs.map((data, at) => (
          <span key={data.run.id}>
            <span className="swatch" style={{ background: RUN_COLOURS[at] }} aria-hidden="true" />
            {runDisplayName(data.run)}
            {at === 0 ? ' (baseline)' : ''}
          </span>
        ))}
      </div>
      <svg
        className="compare-plot"
        viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
        role="img"
        aria-label={`P against R for ${points.length} candidates of ${runs.length} runs`}
      >
        {ticks(rMin, rMax).map((R) => (
          <g key={`r${R}`}>
            <line className="plot-grid" x1={x(R)} x2={x(R)} y1={PLOT.top} y2={PLOT.height - PLOT.bottom} />
            <text className="plot-tick" x={x(R)} y={PLOT.height - PLOT.bottom + 14} textAnchor="middle">
              {R.toFixed(2)}
            </text>
          </g>
        ))}
        {ticks(pMin, pMax).map((P) => (
          <g key={`p${P}`}>
            <line className="plot-grid" x1={PLOT.left} x2={PLOT.width - PLOT.right} y1={y(P)} y2={y(P)} />
            <text className="plot-tick" x={PLOT.left - 6} y={y(P) + 4} textAnchor="end">
              {P.toFixed(2)}
            </text>
          </g>
        ))}
        <text className="plot-axis-label" x={(PLOT.left + PLOT.width - PLOT.right) / 2} y={PLOT.height - 6} textAnchor="middle">
          R (cost, lower is better)
        </text>
        <text
          className="plot-axis-label"
          transform={`translate(12 ${(PLOT.top + PLOT.height - PLOT.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          P (higher is better)
        </text>
        {ordered.map(({ candidate, colour, run }) => (
          <circle
            key={`${run.id}:${candidate.id}`}
            cx={x(candidate.scores.R)}
            cy={y(candidate.scores.P)}
            r={candidate.rank === 1 ? 7 : 4}
            fill={colour}
            fillOpacity={candidate.rank === 1 ? 1 : 0.7}
            stroke={candidate.rank === 1 ? 'var(--text)' : 'none'}
            strokeWidth={1.5}
          >
            <title>
              {runDisplayName(run)} #{candidate.rank} {candidate.label}: P {formatI(candidate.scores.P)}, R {formatI(candidate.scores.R)}, I{' '}
              {formatI(candidate.scores.I)}
            </title>
          </circle>
        ))}
      </svg>
    </div>
  );
}

/** Rows shown in the candidates table: the baseline's best, then the best of each run not already listed. */
const CANDIDATE_ROWS = 12;

/** The same designs across runs: the baseline's I and rank, then each run's rank change and ΔI. */
function CandidatesAgainstBaseline({ baseline, others }: { baseline: RunData; others: RunData[] }) {
  const rows = useMemo(() => {
    const byKey = (data: RunData) => {
      const map = new Map<string, Candidate>();
      for (const candidate of [...data.candidates].sort((a, b) => a.rank - b.rank)) {
        const key = choicesKey(candidate.choices);
        if (!map.has(key)) map.set(key, candidate);
      }
      return map;
    };
    const base = byKey(baseline);
    const maps = others.map(byKey);
    const keys: string[] = [];
    const add = (key: string) => !keys.includes(key) && keys.push(key);
    [...base.keys()].slice(0, CANDIDATE_ROWS - others.length * 2).forEach(add);
    for (const map of maps) [...map.keys()].slice(0, 2).forEach(add);
    for (const map of maps) [...map.keys()].filter((key) => base.has(key)).forEach((key) => keys.length < CANDIDATE_ROWS && add(key));
    return keys.map((key) => ({ key, base: base.get(key) ?? null, runs: maps.map((map) => map.get(key) ?? null) }));
  }, [baseline, others]);
  return (
    <div className="detail-section">
      <h4>Candidates against the baseline</h4>
      <div className="history-scroll">
        <table className="compare-table compare-summary card-table" aria-label="Candidates against the baseline">
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col" className="cell-num">
                <span className="compare-run-cell">
                  <span className="swatch" style={{ background: RUN_COLOURS[0] }} aria-hidden="true" />I
                </span>
              </th>
              {others.map((data, at) => (
                <th key={data.run.id} scope="col" className="cell-num" title={runDisplayName(data.run)}>
                  <span className="compare-run-cell">
                    <span className="swatch" style={{ background: RUN_COLOURS[at + 1] }} aria-hidden="true" />
                    ΔI
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className="candidate-cell" title={(row.base ?? row.runs.find(Boolean))?.label}>
                  {(row.base ?? row.runs.find(Boolean))!.label}
                </th>
                <td className="cell-num" data-label={`I · ${runDisplayName(baseline.run)}`}>
                  {row.base ? `#${row.base.rank} · ${formatI(row.base.scores.I)}` : <span className="muted">not found</span>}
                </td>
                {row.runs.map((candidate, at) => {
                  const label = `ΔI · ${runDisplayName(others[at]!.run)}`;
                  if (!candidate)
                    return (
                      <td key={at} className="cell-num muted" data-label={label}>
                        not found
                      </td>
                    );
                  if (!row.base)
                    return (
                      <td key={at} className="cell-num" data-label={label}>
                        #{candidate.rank} · {formatI(candidate.scores.I)} <span className="muted">new</span>
                      </td>
                    );
                  const delta = candidate.scores.I - row.base.scores.I;
                  const change = row.base.rank - candidate.rank;
                  return (
                    <td key={at} className={`cell-num ${deltaClass(delta, true)}`} data-label={label}>
                      {change > 0 ? (
                        <span className="rank-up">↑{change}</span>
                      ) : change < 0 ? (
                        <span className="rank-down">↓{-change}</span>
                      ) : null}{' '}
                      {formatDelta(delta)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
