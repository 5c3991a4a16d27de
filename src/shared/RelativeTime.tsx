import { useSyncExternalStore } from 'react';

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

// Lists re-render the same timestamps (a history page renders twice on a filter change); formatting is the costly part.
const absoluteTexts = new Map<number, string>();
const ABSOLUTE_TEXTS_KEPT = 2000;

export function formatAbsolute(timestamp: number): string {
  let text = absoluteTexts.get(timestamp);
  if (text === undefined) {
    if (absoluteTexts.size >= ABSOLUTE_TEXTS_KEPT) absoluteTexts.clear();
    text = absoluteFormatter().format(new Date(timestamp));
    absoluteTexts.set(timestamp, text);
  }
  return text;
}

/** How often relative times move on. */
export const RELATIVE_TIME_TICK_MS = 30_000;

// One clock for every relative time on screen: a 50-run history mounted 50 intervals, and unmounting them on each
// filter change was a measurable part of the switch. The time is read to the tick, so every reading within one tick
// is the same snapshot, as useSyncExternalStore requires.
const clockListeners = new Set<() => void>();
let clockTimer: number | undefined;
const readClock = () => Math.floor(Date.now() / RELATIVE_TIME_TICK_MS) * RELATIVE_TIME_TICK_MS;
function subscribeClock(listener: () => void): () => void {
  clockListeners.add(listener);
  clockTimer ??= window.setInterval(() => {
    for (const notify of clockListeners) notify();
  }, RELATIVE_TIME_TICK_MS);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clockTimer !== undefined) {
      window.clearInterval(clockTimer);
      clockTimer = undefined;
    }
  };
}

/** A relative time that stays current and tells screen readers the exact time. */
export function RelativeTime({ timestamp, prefix = '' }: { timestamp: number; prefix?: string }) {
  const now = useSyncExternalStore(subscribeClock, readClock);
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
