import { act, renderHook, waitFor } from '@testing-library/react';
import fc from 'fast-check';
import { beforeEach, expect, test } from 'vitest';
import { createProject, db } from '../../src/db';
import { MESSAGE_PAGE, useMessageWindow } from '../../src/features/chats/messageWindow';
import { readAheadNewestMessages } from '../../src/features/chats/readAhead';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

/** 80 messages; 20 of them share one timestamp and straddle the edge of the newest page (pinned: review of 500439e). */
async function chatWithTiesAtThePageEdge() {
  const { project, chat } = await createProject({ title: 'Ties' });
  const base = 1_700_000_000_000;
  const rows = Array.from({ length: 80 }, (_, i) => {
    // Oldest first: 0–19 distinct, 20–39 tied, 40–79 distinct; the newest page of 50 starts at index 30, inside the tie.
    const createdAt = i < 20 ? base + i : i < 40 ? base + 100 : base + 200 + i;
    return {
      id: `m-${String((i * 37) % 80).padStart(2, '0')}`,
      chatSessionId: chat.id,
      projectId: project.id,
      role: 'user' as const,
      content: `m${i}`,
      meta: null,
      createdAt,
    };
  });
  await db.messages.bulkAdd(rows);
  return { chatId: chat.id, rows };
}

test('messages that share a timestamp across the newest page edge are all shown, once, and older pages follow', async () => {
  expect(MESSAGE_PAGE).toBe(50);
  const { chatId, rows } = await chatWithTiesAtThePageEdge();
  const { result } = renderHook(() => useMessageWindow(chatId));
  await waitFor(() => expect(result.current.messages).toBeDefined());
  const firstIds = result.current.messages!.map((m) => m.id);
  // The whole tie group is in the first window, not just the part the newest 50 reached.
  for (const row of rows.slice(20, 40)) expect(firstIds).toContain(row.id);
  expect(result.current.hasOlder).toBe(true);
  await act(() => result.current.loadOlder());
  await waitFor(() => expect(result.current.messages).toHaveLength(80));
  const ids = result.current.messages!.map((m) => m.id);
  expect(new Set(ids).size).toBe(80);
  expect(result.current.hasOlder).toBe(false);
});

/** A user message of `chat` numbered `n` (its id and text), created `offset` ms after a fixed time. */
function userMessage(chat: { id: string; projectId: string }, prefix: string, n: number, offset: number) {
  return {
    id: `${prefix}-${String(n).padStart(3, '0')}`,
    chatSessionId: chat.id,
    projectId: chat.projectId,
    role: 'user' as const,
    content: `${prefix}${n}`,
    meta: null,
    createdAt: 1_700_000_000_000 + offset,
  };
}

/** The first window, by definition: every message at or after the newest page's oldest timestamp. */
function expectedFirstWindow(rows: { id: string; createdAt: number }[]) {
  const newestFirst = [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  if (newestFirst.length <= MESSAGE_PAGE) return { ids: new Set(rows.map((r) => r.id)), hasOlder: false };
  const lowest = newestFirst[MESSAGE_PAGE - 1]!.createdAt;
  const inWindow = rows.filter((r) => r.createdAt >= lowest);
  return { ids: new Set(inWindow.map((r) => r.id)), hasOlder: inWindow.length < rows.length };
}

test('the first window of any chat holds its newest page and every message tied with the page edge, and knows if older ones exist', async () => {
  await fc.assert(
    fc.asyncProperty(
      // Few distinct timestamps for many messages, so ties at the page edge are common; lengths around one page.
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 0, maxLength: 130, size: 'max' }),
      async (offsets) => {
        await db.delete();
        await db.open();
        const { chat } = await createProject({ title: 'Window property' });
        const rows = offsets.map((offset, i) => userMessage(chat, 'p', i, offset));
        await db.messages.bulkAdd(rows);
        const { result, unmount } = renderHook(() => useMessageWindow(chat.id));
        try {
          await waitFor(() => expect(result.current.messages).toBeDefined());
          const expected = expectedFirstWindow(rows);
          expect(new Set(result.current.messages!.map((m) => m.id))).toEqual(expected.ids);
          expect(result.current.messages).toHaveLength(expected.ids.size);
          expect(result.current.hasOlder).toBe(expected.hasOlder);
          expect(result.current.hasNewer).toBe(false);
        } finally {
          unmount();
        }
      },
    ),
    { numRuns: 40 },
  );
});

test('a chat of exactly one page has nothing older; one message more and it has', async () => {
  const { chat } = await createProject({ title: 'Page edge' });
  const row = (i: number) => userMessage(chat, 'e', i, i);
  await db.messages.bulkAdd(Array.from({ length: MESSAGE_PAGE }, (_, i) => row(i + 1)));
  const first = renderHook(() => useMessageWindow(chat.id));
  await waitFor(() => expect(first.result.current.messages).toHaveLength(MESSAGE_PAGE));
  expect(first.result.current.hasOlder).toBe(false);
  first.unmount();

  await db.messages.add(row(0));
  const second = renderHook(() => useMessageWindow(chat.id));
  await waitFor(() => expect(second.result.current.messages).toHaveLength(MESSAGE_PAGE));
  expect(second.result.current.messages![0]!.content).toBe('e1');
  expect(second.result.current.hasOlder).toBe(true);
  await act(() => second.result.current.loadOlder());
  await waitFor(() => expect(second.result.current.messages).toHaveLength(MESSAGE_PAGE + 1));
  expect(second.result.current.hasOlder).toBe(false);
});

/** Resolves once the switcher's read-ahead for the chat has arrived. */
const readAheadArrived = (chatId: string) => readAheadNewestMessages(chatId);

test('a chat picked in the switcher shows its newest page in its first render, then the live window takes over', async () => {
  const { chat } = await createProject({ title: 'Read ahead' });
  await db.messages.bulkAdd(Array.from({ length: 70 }, (_, i) => userMessage(chat, 'r', i, i)));
  await readAheadArrived(chat.id);
  const { result, unmount } = renderHook(() => useMessageWindow(chat.id));
  // The first render, before any live query could answer.
  expect(result.current.messages?.map((m) => m.content)).toEqual(Array.from({ length: MESSAGE_PAGE }, (_, i) => `r${i + 20}`));
  expect(result.current.hasOlder).toBe(true);
  // The live window takes over and follows new messages.
  await db.messages.add(userMessage(chat, 'r', 70, 70));
  await waitFor(() => expect(result.current.messages?.at(-1)?.content).toBe('r70'));
  unmount();
  // Handed out once: a second mount waits for its own read.
  const again = renderHook(() => useMessageWindow(chat.id));
  expect(again.result.current.messages).toBeUndefined();
  again.unmount();
});

test('a read-ahead for another chat, or when the view opens at a message, is not used', async () => {
  const { project, chat } = await createProject({ title: 'Two chats' });
  await db.messages.bulkAdd(Array.from({ length: 5 }, (_, i) => userMessage(chat, 'a', i, i)));
  const other = { id: 'other-chat', projectId: project.id };
  await readAheadArrived(other.id);
  const wrongChat = renderHook(() => useMessageWindow(chat.id));
  expect(wrongChat.result.current.messages).toBeUndefined();
  wrongChat.unmount();

  await readAheadArrived(chat.id);
  const atMessage = renderHook(() => useMessageWindow(chat.id, 'a-002'));
  expect(atMessage.result.current.messages).toBeUndefined();
  await waitFor(() => expect(atMessage.result.current.targetId).toBe('a-002'));
  atMessage.unmount();
});
