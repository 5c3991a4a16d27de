/**
 * A feed of which records changed, for derived data kept outside IndexedDB
 * (the search index). A DBCore middleware sees every write this tab makes —
 * add, put, update, delete, clear, import, upgrade — and reports the primary
 * keys; a BroadcastChannel relays them to the other open tabs. Listeners get
 * keys only and re-read the records: a read issued after the write waits for
 * its transaction, so an aborted transaction is read back as "unchanged".
 */
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie';

/** The tables whose records feed derived data. */
export const WATCHED_TABLES = ['messages', 'chatSessions', 'runs', 'candidates', 'specs', 'projects'] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];

export type RecordChange =
  /** These keys were written or deleted: read them back to learn which. */
  | { table: WatchedTable; keys: string[] }
  /** A range delete (clear): every record of the table may be gone. */
  | { table: WatchedTable; reset: true };

type ChangeListener = (changes: RecordChange[]) => void;

const listeners = new Set<ChangeListener>();
const CHANNEL_NAME = 'int-crucible-record-changes';
let channel: BroadcastChannel | null = null;

function ensureChannel(): void {
  if (channel || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent<RecordChange[]>) => deliver(event.data, false);
}

function deliver(changes: RecordChange[], local: boolean): void {
  if (changes.length === 0) return;
  for (const listener of listeners) listener(changes);
  if (local) channel?.postMessage(changes);
}

/** Subscribes to record changes made in this tab and in other tabs. Returns the unsubscribe. */
export function onRecordsChanged(listener: ChangeListener): () => void {
  ensureChannel();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isWatched(name: string): name is WatchedTable {
  return (WATCHED_TABLES as readonly string[]).includes(name);
}

function changeOf(table: WatchedTable, request: DBCoreMutateRequest, response: DBCoreMutateResponse, keyPath: string | null): RecordChange {
  if (request.type === 'deleteRange') return { table, reset: true };
  if (request.type === 'delete') return { table, keys: request.keys.map(String) };
  const keys: unknown[] =
    response.results ?? request.keys ?? (keyPath ? request.values.map((value) => (value as Record<string, unknown>)[keyPath]) : []);
  return { table, keys: keys.filter((key) => key !== undefined).map(String) };
}

/** The middleware; registered once on the app's database. */
export const changeFeedMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'recordChangeFeed',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name);
      if (!isWatched(name)) return table;
      const keyPath = typeof table.schema.primaryKey.keyPath === 'string' ? table.schema.primaryKey.keyPath : null;
      return {
        ...table,
        mutate: async (request) => {
          const response = await table.mutate(request);
          if (listeners.size > 0 || channel) deliver([changeOf(name, request, response, keyPath)], true);
          return response;
        },
      };
    },
  }),
};
