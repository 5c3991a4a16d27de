import { beforeEach, describe, expect, test } from 'vitest';
import {
  appendMessages,
  createProject,
  db,
  listMessages,
  messagesAfter,
  messagesAround,
  messagesBefore,
  messagesBetween,
  recentMessages,
} from '../../src/db';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

async function chatWith(count: number) {
  const { chat } = await createProject({ title: 'Window', description: '' });
  await appendMessages(
    chat.id,
    Array.from({ length: count }, (_, i) => ({ role: 'user' as const, content: `m${i}` })),
  );
  const all = await listMessages(chat.id);
  return { chatId: chat.id, all };
}

const contents = (messages: { content: string }[]) => messages.map((m) => m.content);

describe('message windows read through the [chatSessionId+createdAt] index', () => {
  test('the newest page, then the pages above and below it, oldest first and without overlap', async () => {
    const { chatId, all } = await chatWith(25);
    const newest = await recentMessages(chatId, 10);
    expect(contents(newest)).toEqual(contents(all.slice(15)));
    const above = await messagesBefore(chatId, newest[0]!.createdAt, 10);
    expect(contents(above)).toEqual(contents(all.slice(5, 15)));
    const below = await messagesAfter(chatId, above[0]!.createdAt, 3);
    expect(contents(below)).toEqual(contents(all.slice(6, 9)));
    expect(await messagesBefore(chatId, all[0]!.createdAt, 10)).toEqual([]);
    expect(await messagesAfter(chatId, all.at(-1)!.createdAt, 10)).toEqual([]);
  });

  test('a window by creation time includes both ends and leaves other chats out', async () => {
    const { chatId, all } = await chatWith(12);
    const other = await chatWith(5);
    expect(contents(await messagesBetween(chatId, all[3]!.createdAt, all[6]!.createdAt))).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(await messagesBetween(chatId, null, null)).toHaveLength(12);
    expect(contents(await messagesBetween(chatId, all[10]!.createdAt, null))).toEqual(['m10', 'm11']);
    expect((await messagesBetween(other.chatId, null, null)).every((m) => m.chatSessionId === other.chatId)).toBe(true);
  });

  test('a chat opens at any message with its neighbours, and not at a message of another chat', async () => {
    const { chatId, all } = await chatWith(40);
    const around = await messagesAround(chatId, all[20]!.id, 5, 3);
    expect(around?.target.id).toBe(all[20]!.id);
    expect(contents(around!.messages)).toEqual(contents(all.slice(15, 24)));
    const atStart = await messagesAround(chatId, all[1]!.id, 5, 2);
    expect(contents(atStart!.messages)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const other = await chatWith(3);
    expect(await messagesAround(chatId, other.all[0]!.id, 5, 5)).toBeUndefined();
    expect(await messagesAround(chatId, 'no-such-message', 5, 5)).toBeUndefined();
  });
});
