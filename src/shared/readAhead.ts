/**
 * Reads started before the view that shows them mounts, so its first render already has the data.
 *
 * A live query cannot answer a view's first render: it subscribes after the commit and Dexie starts the query in a
 * timer after that, so a view that mounts shows "Loading…" for a frame or more and renders again when the data
 * arrives. Where the app knows earlier what a view will read (the chat a user presses in the switcher; the first
 * screen of a page, from its URL), it reads it here, and the view takes the result as its live query's first value.
 * The live query still runs and takes over, so this only fills the first frames; a read older than READ_AHEAD_FRESH_MS
 * is not trusted even for that.
 */

/** A read older than this is not used for a first frame: the live query alone decides. */
export const READ_AHEAD_FRESH_MS = 3000;

interface Entry {
  startedAt: number;
  arrived: boolean;
  value: unknown;
  settled: Promise<void>;
}

/** Names one read and the type of its result, so a view can only take what that read returns. */
export interface ReadAheadKey<T> {
  readonly id: string;
  /** Never set: carries T. */
  readonly _value?: T;
}

export function readAheadKey<T>(id: string): ReadAheadKey<T> {
  return { id };
}

const entries = new Map<string, Entry>();

function dropStale(now: number) {
  for (const [key, entry] of entries) if (now - entry.startedAt >= READ_AHEAD_FRESH_MS) entries.delete(key);
}

/**
 * Starts `read` under `key`, unless a fresh read of that key is under way or waiting to be taken. The promise
 * settles when the read has; it never rejects (a failed read-ahead only means no head start: the view's own read
 * reports the failure).
 */
export function readAhead<T>({ id: key }: ReadAheadKey<T>, read: () => Promise<T>): Promise<void> {
  const now = performance.now();
  dropStale(now);
  const existing = entries.get(key);
  if (existing) return existing.settled;
  const entry: Entry = { startedAt: now, arrived: false, value: undefined, settled: Promise.resolve() };
  entries.set(key, entry);
  entry.settled = read().then(
    (value) => {
      entry.value = value;
      entry.arrived = true;
    },
    () => {
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  return entry.settled;
}

/**
 * The value read ahead under `key`, if it has arrived and is fresh; undefined otherwise. Each read is handed out
 * once, so a view mounted again later waits for its own read instead of showing an old one.
 */
export function takeReadAhead<T>({ id: key }: ReadAheadKey<T>): T | undefined {
  const entry = entries.get(key);
  // Reads no view took (a drawer that never opened) are let go here too, not kept until the next read ahead.
  dropStale(performance.now());
  if (!entry?.arrived) return undefined;
  entries.delete(key);
  return performance.now() - entry.startedAt < READ_AHEAD_FRESH_MS ? (entry.value as T) : undefined;
}
