import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { readAheadFirstScreen } from '../../src/app/firstScreen';
import { takeWorkspaceRecords } from '../../src/app/workspaceReads';
import { appendMessages, createChat, createProject, db } from '../../src/db';
import { FIRST_READ, takeChatList, takeNewestMessages } from '../../src/features/chats/readAhead';
import { READ_AHEAD_FRESH_MS, readAhead, readAheadKey, takeReadAhead } from '../../src/shared/readAhead';

beforeEach(async () => {
  await db.delete();
  await db.open();
});
afterEach(() => {
  vi.useRealTimers();
});

let keys = 0;
/** A key no other test used, so entries left by one test never answer another. */
const freshKey = <T>() => readAheadKey<T>(`test:${++keys}`);

test('a read is handed out once, and only after it has arrived', async () => {
  const key = freshKey<string>();
  let finish!: (value: string) => void;
  const settled = readAhead(key, () => new Promise<string>((resolve) => (finish = resolve)));
  expect(takeReadAhead(key)).toBeUndefined();
  finish('page');
  await settled;
  expect(takeReadAhead(key)).toBe('page');
  expect(takeReadAhead(key)).toBeUndefined();
});

test('a second read of the same key while the first is fresh reuses it; another key reads on its own', async () => {
  const key = freshKey<number>();
  const read = vi.fn(async () => 1);
  await Promise.all([readAhead(key, read), readAhead(key, read)]);
  expect(read).toHaveBeenCalledTimes(1);
  const other = freshKey<number>();
  await readAhead(other, async () => 2);
  expect(takeReadAhead(other)).toBe(2);
  expect(takeReadAhead(key)).toBe(1);
});

test('a read older than the freshness limit is not used, and a failed read gives no head start', async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const stale = freshKey<string>();
  await readAhead(stale, async () => 'old');
  vi.advanceTimersByTime(READ_AHEAD_FRESH_MS + 1);
  expect(takeReadAhead(stale)).toBeUndefined();

  const failed = freshKey<string>();
  await expect(readAhead(failed, () => Promise.reject(new Error('disk')))).resolves.toBeUndefined();
  expect(takeReadAhead(failed)).toBeUndefined();
  // The failure is forgotten: the next read of that key runs.
  await readAhead(failed, async () => 'again');
  expect(takeReadAhead(failed)).toBe('again');
});

test("a chat URL reads the workspace's records, the chat list and the newest page, exactly what the views read", async () => {
  const { project, chat } = await createProject({ title: 'First screen' });
  const other = await createChat({ projectId: project.id, title: 'Second chat', mode: 'setup' });
  await appendMessages(
    chat.id,
    Array.from({ length: FIRST_READ + 5 }, (_, i) => ({ role: 'user' as const, content: `m${i}` })),
  );

  await readAheadFirstScreen({ pathname: `/project/${project.id}/chat/${chat.id}/run/r1`, search: '?tab=runs' }, { chatListShown: true });
  const records = takeWorkspaceRecords(project.id, chat.id);
  expect(records?.project?.id).toBe(project.id);
  expect(records?.chat?.id).toBe(chat.id);
  expect(
    takeChatList(project.id, false)
      ?.map((c) => c.id)
      .sort(),
  ).toEqual([chat.id, other.id].sort());
  const newest = takeNewestMessages(chat.id);
  expect(newest).toHaveLength(FIRST_READ);
  expect(newest?.at(-1)?.content).toBe(`m${FIRST_READ + 4}`);
});

test('a chat of another project reads as missing; a URL at a message leaves the messages to the window; other pages read nothing', async () => {
  const first = await createProject({ title: 'One' });
  const second = await createProject({ title: 'Two' });
  await readAheadFirstScreen(
    { pathname: `/project/${first.project.id}/chat/${second.chat.id}`, search: '?message=m-1' },
    { chatListShown: true },
  );
  expect(takeWorkspaceRecords(first.project.id, second.chat.id)).toEqual({
    project: expect.objectContaining({ id: first.project.id }),
    chat: null,
  });
  expect(takeNewestMessages(second.chat.id)).toBeUndefined();

  await readAheadFirstScreen({ pathname: `/project/${first.project.id}`, search: '' }, { chatListShown: true });
  await readAheadFirstScreen({ pathname: '/settings', search: '' }, { chatListShown: true });
  expect(takeChatList(first.project.id, false)).toBeDefined(); // from the first call, which named the project
  expect(takeWorkspaceRecords(first.project.id, first.chat.id)).toBeUndefined();
  expect(takeNewestMessages(first.chat.id)).toBeUndefined();
});

test('on a phone, where the chat list is a closed drawer, the list is not read ahead', async () => {
  const { project, chat } = await createProject({ title: 'Phone' });
  await readAheadFirstScreen({ pathname: `/project/${project.id}/chat/${chat.id}`, search: '' }, { chatListShown: false });
  expect(takeWorkspaceRecords(project.id, chat.id)?.chat?.id).toBe(chat.id);
  expect(takeNewestMessages(chat.id)).toEqual([]);
  expect(takeChatList(project.id, false)).toBeUndefined();
});
