import { RUN_MODE_LABELS, shortId, type Run, type RunMode, type RunStatus } from '../../domain';

export const RUN_STATUSES: readonly RunStatus[] = ['completed', 'running', 'failed', 'cancelled', 'interrupted', 'created'];
export const RUN_MODES: readonly RunMode[] = ['full_search', 'seeded', 'eval_only'];

export function modeLabel(mode: RunMode): string {
  return RUN_MODE_LABELS[mode];
}

export function formatI(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(2);
}

export function formatDelta(value: number | null, digits = 2): string {
  if (value === null) return '—';
  const rounded = value.toFixed(digits);
  if (Number(rounded) === 0) return (0).toFixed(digits);
  return value > 0 ? `+${rounded}` : `−${rounded.slice(1)}`;
}

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge history-status history-status-${status}`}>{status}</span>;
}

/** The name a run is shown by: its own name when it has one, else "Run" and its short id. */
export function runDisplayName(run: Pick<Run, 'id' | 'name'>): string {
  return run.name.trim() || `Run ${shortId(run.id)}`;
}
