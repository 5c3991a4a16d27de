/**
 * The reads of a page's first screen, started as soon as the start-up sweep is done, from the URL alone.
 *
 * Left to the views, each read waits for the render before it: the route's records, then the switcher's list and
 * the newest messages, each a live query that starts after its view commits (profiled: three renders and two
 * IndexedDB round trips, about 100 ms of a 300 ms start on a warm page). Read together here and taken by the views'
 * first render (src/shared/readAhead.ts), the first screen is drawn once, complete.
 */
import { matchPath } from 'react-router';
import { readAheadChatList, readAheadNewestMessages } from '../features/chats/readAhead';
import { NARROW_QUERY } from './layoutQuery';
import { ROUTES } from './routes';
import { readAheadWorkspaceRecords } from './workspaceReads';

/** The longest the first render waits for these reads; after that it shows its loading states and the reads land later. */
export const FIRST_SCREEN_WAIT_MS = 250;

/** Whether the workspace would show its chat list now: not on a phone, where the list is a closed drawer. */
export function chatListShownNow(): boolean {
  return typeof window.matchMedia !== 'function' || !window.matchMedia(NARROW_QUERY).matches;
}

export interface FirstScreenOptions {
  /** False on a phone, where the chat list is a closed drawer: its list is then left to the switcher, if it opens. */
  chatListShown: boolean;
  waitMs?: number;
}

/** Settles when the first screen's reads are in, or after `waitMs`; never rejects. Pages other than a chat read nothing. */
export function readAheadFirstScreen(
  location: { pathname: string; search: string },
  { chatListShown, waitMs = FIRST_SCREEN_WAIT_MS }: FirstScreenOptions,
): Promise<void> {
  const match = matchPath({ path: ROUTES.chat, end: false }, location.pathname);
  const projectId = match?.params.projectId;
  const chatId = match?.params.chatId;
  if (!projectId || !chatId) return Promise.resolve();
  const reads = [readAheadWorkspaceRecords(projectId, chatId)];
  if (chatListShown) reads.push(readAheadChatList(projectId, false));
  // A search result opens the chat at its message, which the window reads itself.
  if (!new URLSearchParams(location.search).has('message')) reads.push(readAheadNewestMessages(chatId));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  return Promise.race([Promise.all(reads).then(() => undefined), waited]).finally(() => clearTimeout(timer));
}
