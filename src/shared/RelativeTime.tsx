import { useEffect, useState } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

// Made at first use, not at module load: a page's first Intl object initialises ICU (about 30 ms in Chromium here),
// which belongs in a render that shows a date, not in the start-up script's evaluation.
let relativeFormat: Intl.RelativeTimeFormat | undefined;
let absoluteFormat: Intl.DateTimeFormat | undefined;
const relativeFormatter = () => (relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }));
const absoluteFormatter = () => (absoluteFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }));

/**
 * Makes the date formats now. The start-up calls it while it waits for IndexedDB, when the main thread is idle, so
 * the first render that shows a date does not pay for ICU's initialisation.
 */
export function prepareDateFormats(): void {
  relativeFormatter();
  absoluteFormatter();
}

export function formatRelative(timestamp: number, now: number = Date.now()): string {
  const delta = timestamp - now;
  if (Math.abs(delta) < 45_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'minute') return relativeFormatter().format(Math.round(delta / ms), unit);
  }
  return 'just now';
}

export function formatAbsolute(timestamp: number): string {
  return absoluteFormatter().format(new Date(timestamp));
}

/** A relative time that stays current and tells screen readers the exact time. */
export function RelativeTime({ timestamp, prefix = '' }: { timestamp: number; prefix?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const absolute = formatAbsolute(timestamp);
  return (
    <time dateTime={new Date(timestamp).toISOString()} title={absolute} aria-label={`${prefix}${absolute}`}>
      {formatRelative(timestamp, now)}
    </time>
  );
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
