import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { listChats, NotFoundError, loadChatSpecContext, type ChatSpecContext } from '../../db';
import type { ProvenanceEntry } from '../../domain';
import { shareStructure } from '../../shared/shareStructure';

/** The longest delay setTimeout honours (2^31 − 1 ms); a longer one fires immediately. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The spec as this chat sees it, live: base, base + override, or a run's snapshot. Each re-read
 * shares every unchanged object with the previous one (shareStructure), so after an edit only
 * the parts it changed are new and the sections showing the rest are not rendered again.
 *
 * A re-read reaches the panel as a deferred value: the sharing and the render it causes run in a
 * transition, which React splits into short slices, instead of one task that held the main thread
 * for about 100 ms after each edit of a 5,000-goal spec (bench P9). What the user typed stays on
 * screen meanwhile: the field keeps its text until the new spec arrives.
 */
export function useChatSpec(chatId: string): ChatSpecContext | null | undefined {
  const latest = useLiveQuery(async () => {
    try {
      return await loadChatSpecContext(chatId);
    } catch (error) {
      // The chat was deleted (here or in another tab) while the panel was open.
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }, [chatId]);
  const read = useDeferredValue(latest);
  const [shared, setShared] = useState({ read, value: read });
  if (shared.read !== read) {
    const next = { read, value: shareStructure(shared.value, read) };
    setShared(next);
    return next.value;
  }
  return shared.value;
}

export function useChatTitles(projectId: string): ReadonlyMap<string, string> {
  const chats = useLiveQuery(() => listChats(projectId, { includeArchived: true }), [projectId]);
  return useMemo(() => new Map((chats ?? []).map((chat) => [chat.id, chat.title])), [chats]);
}

/** How long an item changed in this chat stays highlighted. */
export const HIGHLIGHT_MS = 8000;

export interface Highlight {
  /** The provenance entry that changed the item; a new entry restarts the highlight. */
  entryId: string;
  /** How long ago the change happened, so a re-render continues the fade instead of restarting it. */
  ageMs: number;
}

/**
 * Items changed recently in this chat → their newest change. Re-renders once
 * the newest highlight has expired so the marker is removed, not just faded.
 */
export function useRecentHighlights(provenance: readonly ProvenanceEntry[] | undefined, chatId: string): ReadonlyMap<string, Highlight> {
  const [clock, setNow] = useState(() => Date.now());
  const newestAt = useMemo(() => {
    let newest = 0;
    for (const entry of provenance ?? []) if (entry.chatSessionId === chatId) newest = Math.max(newest, entry.at);
    return newest;
  }, [provenance, chatId]);
  // A fresh change is stamped with the clock when it was written, so "now" is at least that: the new highlight shows
  // at once, without a second render to take another clock reading.
  const now = Math.max(clock, newestAt);
  const recent = useMemo(() => {
    const map = new Map<string, Highlight>();
    for (const entry of provenance ?? []) {
      if (entry.chatSessionId !== chatId || now - entry.at >= HIGHLIGHT_MS) continue;
      for (const id of entry.touchedIds) map.set(id, { entryId: entry.id, ageMs: Math.max(0, now - entry.at) });
    }
    return map;
  }, [provenance, chatId, now]);

  useEffect(() => {
    if (!recent.size) return;
    const remaining = HIGHLIGHT_MS - (Date.now() - newestAt);
    // Capped: a change stamped in the future (an imported clock skew) would overflow setTimeout, which then fires at once, forever.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(MAX_TIMEOUT_MS, Math.max(50, remaining + 50)));
    return () => clearTimeout(timer);
  }, [recent, newestAt]);

  return recent;
}
