import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Candidate } from '../../domain';
import { f2, STATUS_LABELS } from './format';
import { useAppNavigate } from '../../shared/navigation';

const WIDTH = 560;
const HEIGHT = 340;
const MARGIN = { top: 16, right: 56, bottom: 42, left: 48 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Candidates no other non-rejected candidate beats on both P (higher) and R (lower). */
export function paretoFrontier(candidates: readonly Candidate[]): Candidate[] {
  const viable = candidates.filter((candidate) => candidate.status !== 'rejected');
  return viable
    .filter(
      (a) =>
        !viable.some(
          (b) => b !== a && b.scores.P >= a.scores.P && b.scores.R <= a.scores.R && (b.scores.P > a.scores.P || b.scores.R < a.scores.R),
        ),
    )
    .sort((a, b) => a.scores.R - b.scores.R);
}

function niceStep(span: number): number {
  const raw = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((step) => step >= raw) ?? raw;
}

/** A zoomed axis around the values (so close candidates do not overlap), on round ticks. */
function axis(values: number[], floor: number, ceiling: number): { min: number; max: number; ticks: number[]; decimals: number } {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = Math.max(high - low, 0.02);
  const pad = span * 0.2;
  const step = niceStep(span + 2 * pad);
  const min = Math.max(floor, Math.floor((low - pad) / step) * step);
  const max = Math.min(ceiling, Math.ceil((high + pad) / step) * step);
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 1000; v += step) ticks.push(Number(v.toFixed(6)));
  const decimals = Math.max(1, Math.min(3, Math.ceil(-Math.log10(step) + 1e-9)));
  return { min, max, ticks, decimals };
}

/** Up to four round I values across the candidates' range, for the lines of equal I. */
function isoValues(candidates: readonly Candidate[]): number[] {
  const values = candidates.map((candidate) => candidate.scores.I).filter((I) => Number.isFinite(I) && I > 0);
  if (values.length === 0) return [];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = Math.max(high - low, high * 0.2);
  const rawStep = span / 3;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? rawStep;
  const result: number[] = [];
  for (let I = Math.max(step, Math.floor(low / step) * step); I <= high + step && result.length < 5; I += step)
    result.push(Number(I.toPrecision(6)));
  return result;
}

/** P against R for the run's candidates: lines of equal I, Pareto frontier, hover details, click to open. */
export function ScatterPlot({
  candidates,
  hrefFor,
  designFrontier,
}: {
  candidates: Candidate[];
  hrefFor: (candidate: Candidate) => string;
  /** The run's frontier over every design it scored (run.metrics.frontier); older runs: the candidates' own. */
  designFrontier?: readonly { P: number; R: number }[];
}) {
  const navigate = useAppNavigate();
  const [hovered, setHovered] = useState<string | null>(null);
  // Roving focus: the points are one Tab stop, entered at #1 (or the last one visited); arrow keys walk them by rank.
  const [activeId, setActiveId] = useState<string | null>(null);
  const pointRefs = useRef(new Map<string, Element & { focus: () => void }>());
  const byRank = useMemo(() => [...candidates].sort((a, b) => a.rank - b.rank), [candidates]);
  const tabStopId = byRank.some((candidate) => candidate.id === activeId) ? activeId : (byRank[0]?.id ?? null);

  function onPointKeyDown(event: KeyboardEvent<SVGSVGElement>) {
    const at = byRank.findIndex((candidate) => candidate.id === tabStopId);
    if (at < 0) return;
    const last = byRank.length - 1;
    const target =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? Math.min(last, at + 1)
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? Math.max(0, at - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const next = byRank[target]!;
    setActiveId(next.id);
    pointRefs.current.get(next.id)?.focus();
  }
  const candidateFrontier = useMemo(() => paretoFrontier(candidates), [candidates]);
  // A candidate is "on the frontier" when the engine did not mark it dominated (older runs: among the candidates).
  const frontierIds = new Set(
    candidates.some((c) => c.dominated !== undefined)
      ? candidates.filter((c) => c.dominated === false).map((c) => c.id)
      : candidateFrontier.map((c) => c.id),
  );
  const frontierPoints =
    designFrontier && designFrontier.length > 0 ? designFrontier : candidateFrontier.map((c) => ({ P: c.scores.P, R: c.scores.R }));
  const rAxis = axis([...candidates.map((c) => c.scores.R), ...frontierPoints.map((p) => p.R)], 0, 10);
  const pAxis = axis([...candidates.map((c) => c.scores.P), ...frontierPoints.map((p) => p.P)], 0, 1);
  const [rMin, rMax, pMin, pMax] = [rAxis.min, rAxis.max, pAxis.min, pAxis.max];
  const x = (R: number) => MARGIN.left + ((R - rMin) / (rMax - rMin || 1)) * PLOT_W;
  const y = (P: number) => MARGIN.top + PLOT_H - ((P - pMin) / (pMax - pMin || 1)) * PLOT_H;

  // P = I·R clipped to the plot rectangle.
  const isoLines = isoValues(candidates).flatMap((I) => {
    const points: [number, number][] = [];
    const add = (R: number, P: number) => {
      if (R >= rMin - 1e-9 && R <= rMax + 1e-9 && P >= pMin - 1e-9 && P <= pMax + 1e-9) points.push([R, P]);
    };
    add(rMin, I * rMin);
    add(rMax, I * rMax);
    add(pMin / I, pMin);
    add(pMax / I, pMax);
    const unique = points.filter((p, i) => points.findIndex((q) => Math.abs(q[0] - p[0]) < 1e-9 && Math.abs(q[1] - p[1]) < 1e-9) === i);
    if (unique.length < 2) return [];
    unique.sort((a, b) => a[0] - b[0]);
    const [start, end] = [unique[0]!, unique.at(-1)!];
    return [{ I, start, end }];
  });

  const hoveredCandidate = candidates.find((candidate) => candidate.id === hovered) ?? null;

  return (
    <figure className="scatter" aria-label="P against R">
      {/* A group, not an image: an image's children are hidden from screen readers, and its points are links to reach by Tab. */}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="group"
        aria-labelledby="scatter-title"
        aria-describedby="scatter-desc"
        className="scatter-svg"
        onKeyDown={onPointKeyDown}
      >
        <title id="scatter-title">Performance P against resource cost R</title>
        <desc id="scatter-desc">
          {candidates.length} candidates. Dashed lines join designs of equal I = P / R; the solid line marks the Pareto frontier over every
          design the run scored (no other design has both P at least as high and R at least as low). Arrow keys move between the candidates
          by rank; Enter opens one.
        </desc>
        <rect x={MARGIN.left} y={MARGIN.top} width={PLOT_W} height={PLOT_H} className="scatter-area" />
        {pAxis.ticks.map((P) => (
          <g key={`p${P}`}>
            <line x1={MARGIN.left} x2={MARGIN.left + PLOT_W} y1={y(P)} y2={y(P)} className="scatter-grid" />
            <text x={MARGIN.left - 6} y={y(P) + 4} textAnchor="end" className="scatter-tick">
              {P.toFixed(pAxis.decimals)}
            </text>
          </g>
        ))}
        {rAxis.ticks.map((R) => (
          <g key={`r${R}`}>
            <line y1={MARGIN.top} y2={MARGIN.top + PLOT_H} x1={x(R)} x2={x(R)} className="scatter-grid" />
            <text x={x(R)} y={MARGIN.top + PLOT_H + 16} textAnchor="middle" className="scatter-tick">
              {R.toFixed(rAxis.decimals)}
            </text>
          </g>
        ))}
        <text x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle" className="scatter-axis">
          R (resource cost, lower is better)
        </text>
        <text transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle" className="scatter-axis">
          P (performance)
        </text>
        {isoLines.map(({ I, start, end }) => (
          <g key={`iso${I}`} className="scatter-iso">
            <line x1={x(start[0])} y1={y(start[1])} x2={x(end[0])} y2={y(end[1])} />
            <text x={Math.min(x(end[0]) + 4, WIDTH - 2)} y={y(end[1]) + (end[1] >= pMax - 1e-9 ? 10 : 4)} className="scatter-iso-label">
              I={I}
            </text>
          </g>
        ))}
        {frontierPoints.length > 1 && (
          <polyline
            className="scatter-frontier"
            points={[...frontierPoints]
              .sort((a, b) => a.R - b.R)
              .map((p) => `${x(p.R)},${y(p.P)}`)
              .join(' ')}
          />
        )}
        {/* Worst rank first, so where designs land on the same (P, R) the better-ranked one is on top and can be hovered and clicked. */}
        {[...candidates]
          .sort((a, b) => b.rank - a.rank)
          .map((candidate) => {
            const cx = x(candidate.scores.R);
            const cy = y(candidate.scores.P);
            const open = () => {
              navigate(hrefFor(candidate));
            };
            return (
              <a
                key={candidate.id}
                ref={(element) => {
                  if (element) pointRefs.current.set(candidate.id, element);
                  else pointRefs.current.delete(candidate.id);
                }}
                tabIndex={candidate.id === tabStopId ? 0 : -1}
                href={hrefFor(candidate)}
                className={`scatter-point status-${candidate.status}${frontierIds.has(candidate.id) ? ' on-frontier' : ''}`}
                aria-label={`#${candidate.rank} ${candidate.label}: P ${f2(candidate.scores.P)}, R ${f2(candidate.scores.R)}, I ${f2(candidate.scores.I)}, ${STATUS_LABELS[candidate.status]}${frontierIds.has(candidate.id) ? ', on the Pareto frontier' : ''}`}
                onClick={(event) => {
                  event.preventDefault();
                  open();
                }}
                onMouseEnter={() => setHovered(candidate.id)}
                onMouseLeave={() => setHovered((current) => (current === candidate.id ? null : current))}
                onFocus={() => {
                  setHovered(candidate.id);
                  setActiveId(candidate.id);
                }}
                onBlur={() => setHovered((current) => (current === candidate.id ? null : current))}
              >
                {frontierIds.has(candidate.id) && <circle cx={cx} cy={cy} r={10} className="frontier-ring" />}
                {candidate.status === 'rejected' ? (
                  <path d={`M${cx - 5} ${cy - 5}L${cx + 5} ${cy + 5}M${cx + 5} ${cy - 5}L${cx - 5} ${cy + 5}`} className="point-mark" />
                ) : (
                  <circle cx={cx} cy={cy} r={6} className="point-mark" />
                )}
                <circle cx={cx} cy={cy} r={12} className="point-hit" />
                <text x={cx + 9} y={cy - 8} className="point-rank">
                  {candidate.rank}
                </text>
              </a>
            );
          })}
      </svg>
      {hoveredCandidate && (
        <div
          className={`scatter-tooltip${x(hoveredCandidate.scores.R) > WIDTH * 0.55 ? ' tooltip-left' : ''}`}
          role="tooltip"
          style={{
            left: `${(x(hoveredCandidate.scores.R) / WIDTH) * 100}%`,
            top: `${(y(hoveredCandidate.scores.P) / HEIGHT) * 100}%`,
          }}
        >
          <strong>
            #{hoveredCandidate.rank} {hoveredCandidate.label}
          </strong>
          <span>
            P {f2(hoveredCandidate.scores.P)} · R {f2(hoveredCandidate.scores.R)} · I {f2(hoveredCandidate.scores.I)}
          </span>
          <span>
            {STATUS_LABELS[hoveredCandidate.status]}
            {frontierIds.has(hoveredCandidate.id) ? ' · Pareto frontier' : ''}
          </span>
          <span className="muted">Click to open</span>
        </div>
      )}
      <figcaption className="scatter-legend">
        <span className="legend-item">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" className="legend-promising" />
          </svg>{' '}
          Promising
        </span>
        <span className="legend-item">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" className="legend-under_test" />
          </svg>{' '}
          Under test
        </span>
        <span className="legend-item">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" className="legend-weak" />
          </svg>{' '}
          Weak
        </span>
        <span className="legend-item">
          <svg width="14" height="14" aria-hidden="true">
            <path d="M2 2L12 12M12 2L2 12" className="legend-rejected" />
          </svg>{' '}
          Rejected
        </span>
        <span className="legend-item">
          <svg width="22" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="22" y2="5" className="legend-frontier" />
          </svg>{' '}
          Pareto frontier
        </span>
        <span className="legend-item">
          <svg width="22" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="22" y2="5" className="legend-iso" />
          </svg>{' '}
          Equal I
        </span>
      </figcaption>
    </figure>
  );
}
