import { expect, test, vi } from 'vitest';

// Reads that never answer (a disk that hangs): the first screen must render anyway, with its loading states.
const never = () => new Promise<void>(() => {});
vi.mock('../../src/app/workspaceReads', () => ({ readAheadWorkspaceRecords: vi.fn(never) }));
vi.mock('../../src/features/chats/readAhead', () => ({ readAheadChatList: vi.fn(never), readAheadNewestMessages: vi.fn(never) }));

const { FIRST_SCREEN_WAIT_MS, readAheadFirstScreen } = await import('../../src/app/firstScreen');
const { readAheadWorkspaceRecords } = await import('../../src/app/workspaceReads');
const { readAheadChatList, readAheadNewestMessages } = await import('../../src/features/chats/readAhead');

test('the first screen stops waiting for its reads after the given time', async () => {
  expect(FIRST_SCREEN_WAIT_MS).toBeLessThanOrEqual(300);
  const started = performance.now();
  // Without the limit this never settles and the test times out.
  await readAheadFirstScreen({ pathname: '/project/p1/chat/c1', search: '' }, { chatListShown: true, waitMs: 60 });
  expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  expect(readAheadWorkspaceRecords).toHaveBeenCalledWith('p1', 'c1');
  expect(readAheadChatList).toHaveBeenCalledWith('p1', false);
  expect(readAheadNewestMessages).toHaveBeenCalledWith('c1');
});
