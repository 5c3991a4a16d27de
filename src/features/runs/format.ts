import type { CandidateStatus, RunMode, RunStatus } from '../../domain';

export const f2 = (x: number) => x.toFixed(2);

export const MODE_LABELS: Record<RunMode, string> = {
  full_search: 'Full search',
  seeded: 'Seeded',
  eval_only: 'Evaluate only',
};

export const STATUS_LABELS: Record<CandidateStatus, string> = {
  promising: 'Promising',
  under_test: 'Under test',
  weak: 'Weak',
  rejected: 'Rejected',
};

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  created: 'Starting',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The first sentence of an explanation, for one-line rows. */
export function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/.exec(text);
  return match ? match[0] : text;
}
