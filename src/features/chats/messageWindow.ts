import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { messagesAfter, messagesAround, messagesBefore, messagesBetween, recentMessages } from '../../db';
import type { Message } from '../../domain';
import { FIRST_READ, MESSAGE_PAGE, takeNewestMessages } from './readAhead';

export { FIRST_READ, MESSAGE_PAGE };
/** The most messages the view holds at once; scrolling further drops the far end, so memory does not grow with the chat. */
export const MAX_WINDOW = 300;

/**
 * The window's ends by creation time, inclusive: every message at either end's timestamp is in the window, so the
 * pages above and below are read strictly before and after it and messages that share a timestamp are never split. `from: null` is the first
 * window, the newest page; `to: null` keeps the window open at the newest end,
 * so new messages join it live.
 */
interface Bounds {
  from: number | null;
  to: number | null;
}

const NEWEST: Bounds = { from: null, to: null };

/**
 * The first window from the newest FIRST_READ messages (oldest first), or null when the page edge cuts through
 * messages that share a timestamp and the window must be read by time instead. The message above the page says
 * whether older ones exist.
 */
export function firstWindowFrom(newest: Message[]): { messages: Message[]; hasOlder: boolean } | null {
  if (newest.length <= MESSAGE_PAGE) return { messages: newest, hasOlder: false };
  if (newest[0]!.createdAt < newest[1]!.createdAt) return { messages: newest.slice(1), hasOlder: true };
  return null;
}

export interface MessageWindow {
  /** Oldest first; undefined while the first window loads. */
  messages: Message[] | undefined;
  /** Messages exist above the window. */
  hasOlder: boolean;
  /** Messages exist below the window (it was opened at a message or scrolled far up). */
  hasNewer: boolean;
  loading: 'older' | 'newer' | null;
  /** Reads the page above the window; resolves once the new bounds are set. */
  loadOlder(): Promise<void>;
  loadNewer(): Promise<void>;
  /** Back to the newest page, live. */
  jumpToNewest(): void;
  /** The message the window was opened at, once found; null when none was asked for or it is not in this chat. */
  targetId: string | null;
  /** True when a message was asked for and it is not in this chat. */
  targetMissing: boolean;
}

/**
 * A chat's messages as a bounded window read through the
 * [chatSessionId+createdAt] index: the newest page first, older and newer
 * pages as the user scrolls, or opened at one message. Mount it once per chat
 * (key the component by chat), so another chat's window is never shown.
 */
export function useMessageWindow(chatId: string, openAtMessageId: string | null = null): MessageWindow {
  const [bounds, setBounds] = useState<Bounds | null>(openAtMessageId ? null : NEWEST);
  const [loading, setLoading] = useState<MessageWindow['loading']>(null);
  const [target, setTarget] = useState<{ id: string | null; missing: boolean }>({ id: null, missing: false });
  // Where the first window started: later re-reads (a new message) keep that start, so the list never shifts under the reader.
  const firstFrom = useRef<number | null>(null);
  // The newest page read ahead (at the switcher's press, or for the page's first screen), if it is in: it fills the
  // first frames until the live query answers.
  const [headStart] = useState(() => {
    if (openAtMessageId) return null;
    const read = takeNewestMessages(chatId);
    return read ? firstWindowFrom(read) : null;
  });

  useEffect(() => {
    if (!openAtMessageId) return;
    let current = true;
    void messagesAround(chatId, openAtMessageId, MESSAGE_PAGE, MESSAGE_PAGE).then((found) => {
      if (!current) return;
      if (!found || found.messages.length === 0) {
        setTarget({ id: null, missing: true });
        setBounds(NEWEST);
        return;
      }
      const below = found.messages.filter((message) => message.createdAt > found.target.createdAt).length;
      setTarget({ id: found.target.id, missing: false });
      setBounds({ from: found.messages[0]!.createdAt, to: below < MESSAGE_PAGE ? null : found.messages.at(-1)!.createdAt });
    });
    return () => {
      current = false;
    };
  }, [chatId, openAtMessageId]);

  const result = useLiveQuery(async () => {
    if (!bounds) return undefined;
    const from = bounds.from ?? firstFrom.current;
    let messages: Message[];
    // Known without another read when the newest page was read with one message more (the usual opening of a chat).
    let olderKnown: boolean | null = null;
    if (from === null) {
      // One read, not three, in the usual case: the newest page and the message above it.
      const newest = await recentMessages(chatId, FIRST_READ);
      const first = firstWindowFrom(newest);
      if (first) {
        messages = first.messages;
        olderKnown = first.hasOlder;
      } else {
        // A window always holds every message at its lower bound, so the page above can be read strictly before it
        // without hiding any.
        messages = await messagesBetween(chatId, newest[1]!.createdAt, null);
      }
      firstFrom.current = messages[0]?.createdAt ?? null;
    } else {
      messages = await messagesBetween(chatId, from, bounds.to);
    }
    const first = messages[0];
    const last = messages.at(-1);
    const [above, below] = await Promise.all([
      olderKnown === null && first ? messagesBefore(chatId, first.createdAt, 1) : Promise.resolve([]),
      bounds.to !== null && last ? messagesAfter(chatId, last.createdAt, 1) : Promise.resolve([]),
    ]);
    return { bounds, messages, hasOlder: olderKnown ?? above.length > 0, hasNewer: below.length > 0 };
  }, [chatId, bounds]);
  // A live query keeps its previous result until the new one arrives; that is what keeps the list on screen while a page loads.
  const messages = result ? result.messages : headStart?.messages;

  const loadOlder = useCallback(async () => {
    const first = messages?.[0];
    if (!messages || !first || !bounds || loading) return;
    setLoading('older');
    try {
      const older = await messagesBefore(chatId, first.createdAt, MESSAGE_PAGE);
      if (older.length === 0) return;
      const combined = [...older, ...messages];
      const to = combined.length > MAX_WINDOW ? combined[MAX_WINDOW - 1]!.createdAt : bounds.to;
      setBounds({ from: older[0]!.createdAt, to });
    } finally {
      setLoading(null);
    }
  }, [bounds, chatId, loading, messages]);

  const loadNewer = useCallback(async () => {
    const last = messages?.at(-1);
    if (!messages || !last || !bounds || bounds.to === null || loading) return;
    setLoading('newer');
    try {
      const newer = await messagesAfter(chatId, last.createdAt, MESSAGE_PAGE);
      const combined = [...messages, ...newer];
      const from = combined.length > MAX_WINDOW ? combined[combined.length - MAX_WINDOW]!.createdAt : bounds.from;
      setBounds({ from, to: newer.length < MESSAGE_PAGE ? null : newer.at(-1)!.createdAt });
    } finally {
      setLoading(null);
    }
  }, [bounds, chatId, loading, messages]);

  const jumpToNewest = useCallback(() => {
    firstFrom.current = null;
    setTarget((previous) => ({ id: null, missing: previous.missing }));
    setBounds({ ...NEWEST });
  }, []);

  return {
    messages,
    hasOlder: result ? result.hasOlder : (headStart?.hasOlder ?? false),
    hasNewer: result?.hasNewer ?? false,
    loading,
    loadOlder,
    loadNewer,
    jumpToNewest,
    targetId: target.id,
    targetMissing: target.missing,
  };
}
