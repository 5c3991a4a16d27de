/**
 * The chats feature's reads that can start before their views mount (see src/shared/readAhead.ts):
 *
 * - a chat's newest page, from the moment the user presses the chat in the switcher. Switching re-renders the
 *   whole workspace for the new chat (about 50 ms of React work for a large project, profiled) before the chat view
 *   mounts and starts its own read; read at the press, the page is usually in by then.
 * - the switcher's chat list and the newest page, for the first screen of a page opened at a chat, read while the
 *   app starts (src/app/firstScreen.ts).
 *
 * Kept apart from the views so the app's entry chunk can start these reads without loading them.
 */
import { listChats, recentMessages } from '../../db';
import type { ChatSession, Message } from '../../domain';
import { readAhead, readAheadKey, takeReadAhead } from '../../shared/readAhead';

/** Messages read per step, when a chat opens and each time the user scrolls to an end of the window. */
export const MESSAGE_PAGE = 50;

/** How many messages the first window reads: the newest page and the one above it. */
export const FIRST_READ = MESSAGE_PAGE + 1;

const newestMessagesKey = (chatId: string) => readAheadKey<Message[]>(`chats:newest:${chatId}:${FIRST_READ}`);
const chatListKey = (projectId: string, includeArchived: boolean) =>
  readAheadKey<ChatSession[]>(`chats:list:${projectId}:${includeArchived ? 'all' : 'active'}`);

/** Starts reading the chat's newest FIRST_READ messages, oldest first; settles when they are in and never rejects. */
export function readAheadNewestMessages(chatId: string): Promise<void> {
  return readAhead(newestMessagesKey(chatId), () => recentMessages(chatId, FIRST_READ));
}

/** The newest FIRST_READ messages read ahead for this chat, once, if they are in. */
export function takeNewestMessages(chatId: string): Message[] | undefined {
  return takeReadAhead(newestMessagesKey(chatId));
}

/** Starts reading the switcher's chat list; settles when it is in and never rejects. */
export function readAheadChatList(projectId: string, includeArchived: boolean): Promise<void> {
  return readAhead(chatListKey(projectId, includeArchived), () => listChats(projectId, { includeArchived }));
}

/** The chat list read ahead for the switcher, once, if it is in. */
export function takeChatList(projectId: string, includeArchived: boolean): ChatSession[] | undefined {
  return takeReadAhead(chatListKey(projectId, includeArchived));
}
