/**
 * The app's handle on the search worker: starts it once, forwards every record
 * change to it (so the index follows adds, edits, deletes and imports), and
 * turns queries into promises.
 */
import { onRecordsChanged, type RecordChange } from '../../db';
import type { FromSearchWorker, PlacedResponse, ToSearchWorker } from './protocol';
import type { SearchFilters } from './searchIndex';
import type { SearchStatus } from './searchService';

export interface SearchAnswer {
  response: PlacedResponse;
  status: SearchStatus;
}

type StatusListener = (status: SearchStatus) => void;

let worker: Worker | null = null;
let nextRequest = 1;
const pending = new Map<number, (answer: SearchAnswer) => void>();
const statusListeners = new Set<StatusListener>();
let lastStatus: SearchStatus | null = null;
let outbox: RecordChange[] = [];

function post(message: ToSearchWorker): void {
  worker!.postMessage(message);
}

/** Starts the worker and the change feed; safe to call many times. */
export function startSearch(): void {
  if (worker || typeof Worker === 'undefined') return;
  worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'search' });
  worker.onmessage = (event: MessageEvent<FromSearchWorker>) => {
    const message = event.data;
    lastStatus = message.status;
    for (const listener of statusListeners) listener(message.status);
    if (message.type === 'result') {
      pending.get(message.requestId)?.({ response: message.response, status: message.status });
      pending.delete(message.requestId);
    }
  };
  onRecordsChanged((changes) => {
    // Writes often come in bursts (a transaction's tables, an import's batches): send them together.
    if (outbox.length === 0)
      queueMicrotask(() => {
        const batch = outbox;
        outbox = [];
        post({ type: 'changes', changes: batch });
      });
    outbox.push(...changes);
  });
}

export function searchStatus(): SearchStatus | null {
  return lastStatus;
}

export function onSearchStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function querySearch(query: string, filters: SearchFilters): Promise<SearchAnswer> {
  startSearch();
  const requestId = nextRequest++;
  return new Promise((resolve) => {
    pending.set(requestId, resolve);
    post({ type: 'query', requestId, query, filters });
  });
}
