import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, expect, test } from 'vitest';
import { createProject, db } from '../../src/db';
import { MESSAGE_PAGE, useMessageWindow } from '../../src/features/chats/messageWindow';

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
