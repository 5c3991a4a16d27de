import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, type BrowserSession } from './harness';
import { chatRecord, putRecords } from './transferUtil';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser();
});
afterEach(async () => {
  await session.close();
});

const MESSAGES = 300;
const CHATS = 40;

/** A chat of 300 messages among 40 chats, written with the raw IndexedDB API into the schema the app created. */
async function seed(page: Page, projectId: string) {
  const now = Date.now();
  const chatSessions = Array.from({ length: CHATS }, (_, c) =>
    chatRecord({
      id: c === 0 ? 'chat-open' : `chat-${c}`,
      projectId,
      title: c === 0 ? 'The chat opened' : `Other chat ${c}`,
      createdAt: now - 10_000_000,
      // The chat opened is the project's most recent, ahead of the Setup chat the project was created with (the app's
      // clock for writes runs a little ahead of Date.now()), so /project/:id opens it too.
      lastMessageAt: c === 0 ? now + 2000 : now - 100_000 - c * 1000,
      messageCount: c === 0 ? MESSAGES : 0,
    }),
  );
  const messages = Array.from({ length: MESSAGES }, (_, m) => ({
    id: `open-msg-${String(m).padStart(4, '0')}`,
    chatSessionId: 'chat-open',
    projectId,
    role: m % 2 ? 'agent' : 'user',
    content: `Opened ${m}`,
    meta: null,
    createdAt: now - 5_000_000 + m * 10,
  }));
  await putRecords(page, { chatSessions, messages });
}

interface Snapshot {
  composer: boolean;
  chatRows: number;
  newestMessage: boolean;
  loading: string[];
}

/**
 * Installed before the page's scripts: after every batch of DOM changes (each commit React makes), notes what the
 * workspace shows, until the newest message is on screen.
 */
const RECORD_SNAPSHOTS = (newestId: string) => {
  const snapshots: Snapshot[] = [];
  (window as unknown as { __snapshots: Snapshot[] }).__snapshots = snapshots;
  const observer = new MutationObserver(() => {
    const root = document.getElementById('root');
    if (!root || !root.firstElementChild) return;
    const loading = [...root.querySelectorAll('p, div')]
      .filter((element) => element.childElementCount === 0 && /^Loading (workspace|chats|messages)/.test(element.textContent ?? ''))
      .map((element) => element.textContent ?? '');
    const snapshot = {
      composer: !!document.querySelector('textarea[aria-label="Message"]'),
      chatRows: document.querySelectorAll('.chat-list-item').length,
      newestMessage: !!document.querySelector(`.message[data-message-id="${newestId}"]`),
      loading,
    };
    snapshots.push(snapshot);
    if (snapshot.newestMessage) observer.disconnect();
  });
  new MutationObserver(() => {
    if (document.documentElement) observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }).observe(document, { childList: true });
};

/** Opens a new page at `url`; `thenOpen` moves on from there inside the app. Resolves with every commit recorded. */
async function openFresh(width: number, colorScheme: 'light' | 'dark', url: string, thenOpen?: (page: Page) => Promise<void>) {
  const page = await session.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme });
  await page.addInitScript(RECORD_SNAPSHOTS, `open-msg-${String(MESSAGES - 1).padStart(4, '0')}`);
  await page.goto(url);
  await thenOpen?.(page);
  await page
    .getByRole('log', { name: 'Messages' })
    .getByText(`Opened ${MESSAGES - 1}`, { exact: true })
    .waitFor();
  const snapshots = await page.evaluate(() => (window as unknown as { __snapshots: Snapshot[] }).__snapshots);
  return { page, snapshots };
}

/** The first commit that shows the workspace already holds the chat list's rows and the newest message, and no commit showed a loading state. */
function expectDrawnWhole(snapshots: Snapshot[], what: string, chatList = true) {
  const first = snapshots.find((snapshot) => snapshot.composer);
  expect(first, `${what}: the workspace was never recorded`).toBeDefined();
  if (chatList) expect(first!.chatRows, `${what}: chat rows in the first frame of the workspace`).toBeGreaterThan(5);
  expect(first!.newestMessage, `${what}: newest message in the first frame of the workspace`).toBe(true);
  expect(snapshots.flatMap((snapshot) => snapshot.loading)).toEqual([]);
}

test('a page opened at a chat draws the workspace, its chat list and its newest messages at once, with no loading state', async () => {
  const { projectId } = await createProjectViaUi(session.page, 'First screen');
  await seed(session.page, projectId);
  const url = `${baseUrl()}/project/${projectId}/chat/chat-open`;

  for (const [width, colorScheme] of [
    [1440, 'light'],
    [1024, 'dark'],
  ] as const) {
    const { page, snapshots } = await openFresh(width, colorScheme, url);
    expectDrawnWhole(snapshots, `${width} px`);
    await screenshot(page, `first-screen-${width}-${colorScheme}`);
    await page.close();
  }

  // On a phone the chat list is a closed drawer: the chat and its newest message come first, just as whole.
  const { page, snapshots } = await openFresh(390, 'dark', url);
  expectDrawnWhole(snapshots, '390 px', false);
  await screenshot(page, 'first-screen-390-dark');
  await page.close();
});

test('a project opened from the home page draws its workspace at once too', async () => {
  const { projectId } = await createProjectViaUi(session.page, 'From home');
  await seed(session.page, projectId);
  const { page, snapshots } = await openFresh(1440, 'light', `${baseUrl()}/`, async (home) => {
    await home.getByTestId('project-card').getByRole('link', { name: 'From home' }).click();
  });
  expect(page.url()).toContain(`/project/${projectId}/chat/chat-open`);
  expectDrawnWhole(snapshots, 'from the home page');
  await page.close();
});
