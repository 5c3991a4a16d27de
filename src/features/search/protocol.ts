/** The typed messages between the app and the search worker; plain data, cloned by postMessage. */
import type { RecordChange } from '../../db';
import type { SearchFilters, SearchResponse } from './searchIndex';
import type { SearchStatus } from './searchService';

export type ToSearchWorker =
  | { type: 'query'; requestId: number; query: string; filters: SearchFilters }
  | { type: 'changes'; changes: RecordChange[] };

/** A hit's place, resolved in the worker (which knows every chat): the chat a run or spec item opens in. */
export interface PlacedResponse extends SearchResponse {
  /** chatId to open per project, for hits without a chat of their own (spec items, runs of deleted chats). */
  homeChats: Record<string, string | null>;
  projectTitles: Record<string, string>;
  chatTitles: Record<string, string>;
  /** How long the query took inside the worker. */
  tookMs: number;
}

export type FromSearchWorker =
  | { type: 'status'; status: SearchStatus }
  | { type: 'result'; requestId: number; response: PlacedResponse; status: SearchStatus };
