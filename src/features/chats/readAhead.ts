/**
 * A chat's newest page, read from the moment the user picks the chat in the
 * switcher. Switching re-renders the whole workspace for the new chat (about
 * 50 ms of React work for a large project, profiled) before the chat view
 * mounts and starts its own read; read at the click, the page is usually in
 * by then and the view's first render already shows the newest messages. The
 * view's live query still runs and takes over; this only fills the first frames.
 */
import { recentMessages } from '../../db';
import type { Message } from '../../domain';

/** A read older than this is not trusted for a first frame: the live query alone decides. */
const FRESH_MS = 3000;

interface ReadAhead {
  chatId: string;
  limit: number;
  startedAt: number;
  messages: Message[] | null;
  settled: Promise<void>;
}

let pending: ReadAhead | null = null;

/**
 * Starts reading the chat's newest `limit` messages, unless that read is already under way. The promise settles
 * when the read has (callers need not wait: the view takes the page only if it is in); it never rejects.
 */
export function readAheadNewest(chatId: string, limit: number): Promise<void> {
  const now = performance.now();
  if (pending && pending.chatId === chatId && pending.limit === limit && now - pending.startedAt < FRESH_MS) return pending.settled;
  const entry: ReadAhead = { chatId, limit, startedAt: now, messages: null, settled: Promise.resolve() };
  pending = entry;
  entry.settled = recentMessages(chatId, limit).then(
    (messages) => {
      entry.messages = messages;
    },
    () => {
      // The view's own read reports any failure; a failed read-ahead only means no head start.
      if (pending === entry) pending = null;
    },
  );
  return entry.settled;
}

/** The read-ahead page for this chat if it has arrived and is fresh; it is handed out once. */
export function takeReadAhead(chatId: string, limit: number): Message[] | null {
  const entry = pending;
  if (!entry || entry.chatId !== chatId || entry.limit !== limit || !entry.messages) return null;
  pending = null;
  return performance.now() - entry.startedAt < FRESH_MS ? entry.messages : null;
}
