// Run history at scale: the built app (dist/) in Chromium with a project of
// 10,000 runs over 25 chats. Reports how long the Runs tab takes to show a
// page (all chats, one chat, a sparse status filter, paging) and the
// main-thread long tasks meanwhile. Run after `vite build`:
//   node bench/run-history.mjs
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.BENCH_HISTORY_PORT ?? 4393);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 10_000;
const CHATS = 25;

if (!existsSync(path.join(root, 'dist/index.html'))) {
  console.error('dist/ is missing: build the app first (`vite build`).');
  process.exit(1);
}

const server = await preview({ root, preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
const base = `http://127.0.0.1:${port}`;
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'crucible-history-bench-'));
let exitCode = 0;

/** Writes chats and runs with the raw IndexedDB API into the schema the app created. */
async function seed(page) {
  return page.evaluate(
    async ({ runs, chats }) => {
      const database = await new Promise((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const project = await new Promise((resolve) => {
        const request = database.transaction('projects').objectStore('projects').getAll();
        request.onsuccess = () => resolve(request.result[0]);
      });
      const tx = database.transaction(['chatSessions', 'runs', 'projects'], 'readwrite');
      const start = Date.now() - runs * 60_000;
      const chatIds = [];
      const modes = ['setup', 'analysis', 'whatif'];
      for (let c = 0; c < chats; c++) {
        const id = `bench-chat-${String(c).padStart(2, '0')}`;
        chatIds.push(id);
        tx.objectStore('chatSessions').put({
          id,
          projectId: project.id,
          title: `Branch ${c}`,
          mode: modes[c % 3],
          runId: null,
          candidateId: null,
          parentChatId: null,
          specChanges: [],
          createdAt: start,
          updatedAt: start,
          lastMessageAt: start + c,
          messageCount: 0,
          archivedAt: null,
        });
      }
      const spec = {
        goals: [],
        constraints: [{ id: 'c1', name: 'Offline', description: '', weight: 100 }],
        resolution: 'medium',
        mode: 'full_search',
        designSpace: { dimensions: [] },
      };
      const statuses = ['completed', 'completed', 'completed', 'cancelled', 'interrupted'];
      for (let r = 0; r < runs; r++) {
        const createdAt = start + r * 60_000;
        tx.objectStore('runs').put({
          id: `bench-run-${String(r).padStart(5, '0')}-0000-0000-000000000000`,
          projectId: project.id,
          chatSessionId: r % 50 === 7 ? null : chatIds[r % chats],
          candidateId: null,
          mode: ['full_search', 'seeded', 'eval_only'][r % 3],
          config: { numCandidates: 10, numScenarios: 8, seed: r },
          specSnapshot: spec,
          status: r % 97 === 0 ? 'failed' : statuses[r % statuses.length],
          createdAt,
          startedAt: createdAt,
          completedAt: createdAt + 1200,
          durationMs: 1200,
          candidateCount: 10,
          scenarioCount: 8,
          evaluationCount: 80,
          metrics: { phaseTimingsMs: { design: 900, scenarios: 10, evaluate: 250, rank: 40 }, bestI: 1 + (r % 100) / 100 },
          error: r % 97 === 0 ? 'Boom' : null,
          name: '',
          tags: [],
          notes: '',
        });
      }
      tx.objectStore('projects').put({ ...project, chatCount: project.chatCount + chats, runCount: runs });
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      database.close();
      return { projectId: project.id, chatId: chatIds[0] };
    },
    { runs: RUNS, chats: CHATS },
  );
}

async function startLongTaskWatch(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => window.__longTasks.push(entry.duration))).observe({
      type: 'longtask',
      buffered: false,
    });
  });
}

const firstRowText = (page) => page.locator('table.history-table tbody tr td:first-child a').first().textContent({ timeout: 30_000 });

/** Time from an action until the first row of the table changes to something new. */
async function timeUntilRowsChange(page, action) {
  const before = await page
    .locator('table.history-table tbody tr td:first-child a')
    .first()
    .getAttribute('href')
    .catch(() => null);
  const started = Date.now();
  await action();
  await page.waitForFunction(
    (previous) => {
      const first = document.querySelector('table.history-table tbody tr td:first-child a');
      const empty = document.querySelector('.run-history .empty-state');
      return (first && first.getAttribute('href') !== previous) || Boolean(empty);
    },
    before,
    { timeout: 30_000, polling: 'raf' },
  );
  return Date.now() - started;
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
    viewport: { width: 1500, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${base}/`);
  await page.getByLabel('Title').first().fill('History bench');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/chat\//);
  const { projectId, chatId } = await seed(page);

  const results = {};
  let started = Date.now();
  await page.goto(`${base}/project/${projectId}/chat/${chatId}?tab=runs&runsChat=all`);
  await firstRowText(page);
  results.openAllChatsMs = Date.now() - started;
  results.rowsShown = await page.locator('table.history-table tbody tr').count();
  await startLongTaskWatch(page);

  const older = page.getByRole('button', { name: 'Older →' });
  results.pageOlderMs = [];
  for (let i = 0; i < 3; i++) results.pageOlderMs.push(await timeUntilRowsChange(page, () => older.click()));
  results.sparseStatusFilterMs = await timeUntilRowsChange(page, () => page.getByLabel('Status').selectOption('failed'));
  results.failedRowsOnPage = await page.locator('table.history-table tbody tr').count();
  results.backToAnyStatusMs = await timeUntilRowsChange(page, () => page.getByLabel('Status').selectOption(''));
  results.oneChatMs = await timeUntilRowsChange(page, () =>
    page.getByLabel('Chat', { exact: true }).selectOption({ label: 'Branch 5 (What-if)' }),
  );
  results.modeFilterInChatMs = await timeUntilRowsChange(page, () => page.getByLabel('Mode').selectOption('seeded'));
  started = Date.now();
  await page.reload();
  await firstRowText(page);
  results.reloadFilteredMs = Date.now() - started;
  const longTasks = await page.evaluate(() => window.__longTasks ?? []);
  results.longTasksDuringInteraction = longTasks.length;
  results.longestTaskMs = Math.round(Math.max(0, ...longTasks));
  await context.close();

  console.log(`Run history with ${RUNS.toLocaleString()} runs over ${CHATS} chats (Chromium, built app):`);
  console.log(JSON.stringify(results, null, 2));
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
