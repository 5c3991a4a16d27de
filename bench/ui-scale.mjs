// UI scale benchmark: the real built app (dist/) in Chromium with a project of
// 1,000 chats and a chat of 10,000 messages. Reports how long the workspace
// takes to show them and the main-thread long tasks while scrolling.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.BENCH_UI_PORT ?? 4392);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHATS = 1000;
const MESSAGES = 10_000;

if (!existsSync(path.join(root, 'dist/index.html'))) {
  console.error('dist/ is missing: run `npm run bench` (it builds the app first).');
  process.exit(1);
}

const server = await preview({ root, preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
const base = `http://127.0.0.1:${port}`;
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'crucible-ui-bench-'));
let exitCode = 0;

/** Writes the data set with the raw IndexedDB API into the schema the app created. */
async function seed(page) {
  return page.evaluate(
    async ({ chats, messages }) => {
      const database = await new Promise((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const project = (
        await new Promise((resolve) => {
          const request = database.transaction('projects').objectStore('projects').getAll();
          request.onsuccess = () => resolve(request.result);
        })
      )[0];
      const tx = database.transaction(['chatSessions', 'messages', 'projects'], 'readwrite');
      const start = Date.now() - chats * 60_000;
      let bigChatId = '';
      for (let i = 0; i < chats; i++) {
        const id = `bench-chat-${String(i).padStart(4, '0')}`;
        const isBig = i === chats - 1;
        if (isBig) bigChatId = id;
        const modes = ['setup', 'analysis', 'whatif'];
        tx.objectStore('chatSessions').put({
          id,
          projectId: project.id,
          title: isBig ? 'Ten thousand messages' : `Chat number ${i}`,
          mode: modes[i % 3],
          runId: null,
          candidateId: null,
          parentChatId: null,
          specChanges: [],
          createdAt: start + i * 60_000,
          updatedAt: start + i * 60_000,
          lastMessageAt: start + i * 60_000 + (isBig ? messages : 0),
          messageCount: isBig ? messages : 0,
          archivedAt: null,
        });
      }
      for (let m = 0; m < messages; m++) {
        tx.objectStore('messages').put({
          id: `bench-msg-${String(m).padStart(5, '0')}`,
          chatSessionId: bigChatId,
          projectId: project.id,
          role: m % 2 ? 'agent' : 'user',
          content:
            m % 7 === 0
              ? `Message ${m}\n\n- a list item\n- another with **bold** text\n\nand a longer paragraph that wraps across lines to vary row heights in the virtualised list.`
              : `Message ${m}: ${'word '.repeat(m % 40)}`,
          meta: null,
          createdAt: start + chats * 60_000 + m,
        });
      }
      tx.objectStore('projects').put({ ...project, chatCount: project.chatCount + chats });
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      database.close();
      return { projectId: project.id, bigChatId };
    },
    { chats: CHATS, messages: MESSAGES },
  );
}

/** Scrolls an element to the bottom in steps and collects long tasks and frame gaps meanwhile. */
async function scrollAndMeasure(page, selector, direction) {
  return page.evaluate(
    async ({ selector, direction }) => {
      const element = document.querySelector(selector);
      const longTasks = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)));
      observer.observe({ type: 'longtask' });
      let last = performance.now();
      let worstGap = 0;
      const steps = 60;
      const distance = element.scrollHeight;
      for (let i = 0; i < steps; i++) {
        element.scrollTop = direction === 'down' ? (distance * (i + 1)) / steps : distance - (distance * (i + 1)) / steps;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      observer.disconnect();
      return { longTasks: longTasks.length, longestTaskMs: Math.round(Math.max(0, ...longTasks)), worstFrameGapMs: Math.round(worstGap) };
    },
    { selector, direction },
  );
}

try {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(base + '/');
  await page.getByLabel('Title').first().fill('UI scale benchmark');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/chat\//);
  const { projectId, bigChatId } = await seed(page);

  const results = [];
  for (let round = 1; round <= 3; round++) {
    const t0 = Date.now();
    await page.goto(`${base}/project/${projectId}/chat/${bigChatId}`);
    await page.locator('.chat-row-title', { hasText: 'Ten thousand messages' }).first().waitFor();
    const switcherMs = Date.now() - t0;
    await page.locator('.message', { hasText: `Message ${MESSAGES - 1}:` }).waitFor();
    const newestMessageMs = Date.now() - t0;
    const renderedRows = await page.locator('.chat-list-item').count();
    const renderedMessages = await page.locator('.message').count();
    const switcherScroll = await scrollAndMeasure(page, '.chat-list-scroll', 'down');
    const messageScroll = await scrollAndMeasure(page, '.message-scroll', 'up');
    results.push({ round, switcherMs, newestMessageMs, renderedRows, renderedMessages, switcherScroll, messageScroll });
  }
  await context.close();

  console.log(
    `\nInt Crucible UI scale benchmark — ${CHATS.toLocaleString('en-US')} chats in the switcher, ${MESSAGES.toLocaleString('en-US')} messages in one chat (built app, Chromium)\n`,
  );
  console.table(
    results.map((r) => ({
      round: r.round,
      'switcher visible ms': r.switcherMs,
      'newest message visible ms': r.newestMessageMs,
      'rows in DOM': r.renderedRows,
      'messages in DOM': r.renderedMessages,
      'switcher scroll: long tasks': r.switcherScroll.longTasks,
      'switcher scroll: longest ms': r.switcherScroll.longestTaskMs,
      'switcher scroll: worst frame gap ms': r.switcherScroll.worstFrameGapMs,
      'messages scroll: long tasks': r.messageScroll.longTasks,
      'messages scroll: longest ms': r.messageScroll.longestTaskMs,
      'messages scroll: worst frame gap ms': r.messageScroll.worstFrameGapMs,
    })),
  );
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await new Promise((resolve) => server.httpServer.close(resolve));
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
