import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, brokenTableWords, openBrowser, screenshot, type BrowserSession } from './harness';
import { readStore } from './transferUtil';

let session: BrowserSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

interface StoredRun {
  id: string;
  createdAt: number;
  chatSessionId: string | null;
  status: string;
  config: { seedCandidateId?: string | null };
}
interface StoredCandidate {
  id: string;
  runId: string;
  rank: number;
  scores: { P: number; R: number; I: number };
}

const short = (id: string) => id.replace(/-/g, '').slice(0, 8);

async function openSample(page: Page): Promise<{ projectId: string; chatId: string }> {
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/chat\//);
  const match = /\/project\/([^/]+)\/chat\/([^/?]+)/.exec(page.url())!;
  return { projectId: decodeURIComponent(match[1]!), chatId: decodeURIComponent(match[2]!) };
}

/** Starts a full-search run from the Runs tab with its own seed; returns its id. */
async function startRun(page: Page, projectId: string, chatId: string, seed: number, candidates: number): Promise<string> {
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}?tab=runs`);
  const launcher = page.getByRole('region', { name: 'Start a run' });
  await launcher.getByLabel('Full search').check();
  await launcher.getByLabel('Candidates').fill(String(candidates));
  await launcher.getByLabel('Scenarios').fill('4');
  await launcher.getByRole('spinbutton', { name: /^Seed/ }).fill(String(seed));
  const before = page.url();
  await launcher.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL((url) => url.href !== before && /\/run\/[^/]+$/.test(url.pathname));
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  return /\/run\/([^/?]+)/.exec(page.url())![1]!;
}

test('pin a baseline and compare three runs: ΔP, ΔR and ΔI of #1 match the stored numbers, coloured better or worse; the URL reopens it', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
  const { page } = session;
  const { projectId, chatId } = await openSample(page);
  const started = [
    await startRun(page, projectId, chatId, 11, 8),
    await startRun(page, projectId, chatId, 22, 5),
    await startRun(page, projectId, chatId, 33, 12),
  ];
  const runs = await readStore<StoredRun>(page, 'runs');
  const baseline = runs
    .filter((run) => run.status === 'completed' && !started.includes(run.id))
    .sort((a, b) => a.createdAt - b.createdAt)[0]!;

  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${baseline.id}/details`);
  await page.getByRole('button', { name: 'Pin as baseline' }).click();
  await page.getByText('Pinned baseline').waitFor();

  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${started[0]}/details`);
  await page.getByRole('link', { name: 'Compare with baseline' }).click();
  await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
  await page.getByLabel('Add a run to compare').selectOption(started[1]!);
  await page.waitForURL((url) => (url.searchParams.get('runs') ?? '').split(',').length === 2);
  await page.getByLabel('Add a run to compare').selectOption(started[2]!);
  await page.waitForURL((url) => (url.searchParams.get('runs') ?? '').split(',').length === 3);
  const url = new URL(page.url());
  expect(url.searchParams.get('baseline')).toBe(baseline.id);
  expect(url.searchParams.get('runs')).toBe(started.join(','));

  const candidates = await readStore<StoredCandidate>(page, 'candidates');
  const firstOf = (runId: string) => candidates.filter((c) => c.runId === runId).sort((a, b) => a.rank - b.rank)[0]!;
  const base = firstOf(baseline.id);
  const table = page.getByRole('table', { name: 'Runs against the baseline' });
  await table.locator(`tr[data-run-id="${started[2]}"]`).waitFor();
  expect(await table.locator('tbody tr').count()).toBe(4);
  for (const runId of started) {
    const row = table.locator(`tr[data-run-id="${runId}"]`);
    const first = firstOf(runId);
    const cells = row.locator('td[data-delta]');
    expect(await cells.count()).toBe(3);
    const expected = [first.scores.P - base.scores.P, first.scores.R - base.scores.R, first.scores.I - base.scores.I];
    const better = [expected[0]! > 0, expected[1]! < 0, expected[2]! > 0];
    for (let i = 0; i < 3; i++) {
      const cell = cells.nth(i);
      expect(Number(await cell.getAttribute('data-delta'))).toBeCloseTo(expected[i]!, 5);
      const className = (await cell.getAttribute('class')) ?? '';
      if (Math.abs(expected[i]!) < 0.005) expect(className).toContain('delta-same');
      else expect(className).toContain(better[i] ? 'delta-better' : 'delta-worse');
    }
  }
  // The baseline's #1 under each run's spec: one row per compared run, each with a rank.
  const winner = page.getByRole('table', { name: "The baseline's #1 under each run's spec" });
  await winner.locator('tbody tr').first().waitFor();
  expect(await winner.locator('tbody tr').count()).toBe(3);
  expect(await winner.locator('tbody tr').first().textContent()).toMatch(/#\d+ of \d+/);
  // The overlaid plot: a point per stored candidate of the four runs.
  const ids = new Set([baseline.id, ...started]);
  const plotted = candidates.filter((c) => ids.has(c.runId)).length;
  expect(
    await page
      .getByRole('img', { name: /P against R for \d+ candidates of 4 runs/ })
      .locator('circle')
      .count(),
  ).toBe(plotted);
  // Differences only hides the rows that are the same everywhere: the seeds differ, so there is at least that.
  const facts = page.getByRole('table', { name: 'Spec and config' });
  const onlyDifferences = await facts.locator('tbody tr').count();
  expect(await facts.getByText('Seed').count()).toBe(1);
  await page.getByRole('switch', { name: 'Differences only' }).uncheck();
  await expect.poll(() => facts.locator('tbody tr').count()).toBeGreaterThan(onlyDifferences);
  await page.getByRole('switch', { name: 'Differences only' }).check();

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
      await page.getByRole('heading', { name: 'Compare runs' }).scrollIntoViewIfNeeded();
      await screenshot(page, `compare-${width}-${colorScheme}`);
      // Every number, name and link in the four compare tables stays whole (on a phone they are cards).
      expect(await brokenTableWords(page), `compare at ${width}`).toEqual([]);
      if (width === 390)
        for (const [name, section] of [
          ['winner', winner],
          ['facts', facts],
          ['candidates', page.getByRole('table', { name: 'Candidates against the baseline' })],
        ] as const) {
          await section.scrollIntoViewIfNeeded();
          await screenshot(page, `compare-${name}-${width}-${colorScheme}`);
        }
    }
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });

  // The URL alone reopens the comparison.
  await page.goto(url.href);
  await table.locator(`tr[data-run-id="${started[1]}"]`).waitFor();
});

test('the map: a seeded run has an edge to the run it was seeded from; zoom, fit and full titles on hover; screenshots', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
  const { page } = session;
  const { projectId, chatId } = await openSample(page);
  const runs = await readStore<StoredRun>(page, 'runs');
  const parent = runs.filter((run) => run.status === 'completed').sort((a, b) => a.createdAt - b.createdAt)[0]!;
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${parent.id}/details`);
  await page.getByRole('button', { name: 'Seeded run from top candidate' }).click();
  await page.waitForURL((url) => /\/run\/[^/]+$/.test(url.pathname) && !url.pathname.includes(parent.id));
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  const seeded = /\/run\/([^/?]+)/.exec(page.url())![1]!;
  const stored = (await readStore<StoredRun>(page, 'runs')).find((run) => run.id === seeded)!;
  expect(stored.config.seedCandidateId).toBeTruthy();

  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/map`);
  await page.getByRole('heading', { name: 'Project map' }).waitFor();
  const edge = page.locator(`path.map-edge[data-kind="seeded"][data-from="${parent.id}"][data-to="${seeded}"]`);
  await edge.waitFor({ state: 'attached' });
  expect(await edge.getAttribute('d')).toMatch(/^M[\d.-]+,[\d.-]+/);
  const node = page.locator(`[data-node-id="${seeded}"]`);
  expect(await node.getAttribute('aria-label')).toContain(`seeded from Run ${short(parent.id)}`);
  // The map fills the panel's width, without a scrollbar.
  const overflow = await page.locator('.map-frame').evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const zoom = page.locator('.map-zoom');
  const fitted = await zoom.textContent();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => zoom.textContent()).not.toBe(fitted);
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect.poll(() => zoom.textContent()).toBe(fitted);

  // Full titles on hover: every chat node carries its whole title.
  const chats = await readStore<{ id: string; title: string }>(page, 'chatSessions');
  for (const chat of chats) expect(await page.locator(`[data-node-id="${chat.id}"] title`).textContent()).toContain(chat.title);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.getByRole('button', { name: 'Fit' }).click();
      await screenshot(page, `map-${width}-${colorScheme}`);
    }
  }
});

test('the map stays usable with 300 nodes: drawn within seconds, fitted, nodes reachable', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
  const { page } = session;
  const { projectId, chatId } = await openSample(page);
  // 30 what-if chats branched from the setup chat, 9 runs each (copies of a stored run): 300 chats and runs.
  await page.evaluate(
    ({ projectId, chatId }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onsuccess = () => {
          const database = request.result;
          const tx = database.transaction(['runs', 'chatSessions'], 'readwrite');
          const runsStore = tx.objectStore('runs');
          const chatsStore = tx.objectStore('chatSessions');
          const getRun = runsStore.getAll();
          getRun.onsuccess = () => {
            const template = getRun.result[0];
            const now = Date.now();
            for (let c = 0; c < 30; c++) {
              const id = crypto.randomUUID();
              chatsStore.put({
                id,
                projectId,
                title: `What-if branch ${c + 1}: a longer title that the map shows in full on hover`,
                mode: 'whatif',
                runId: null,
                candidateId: null,
                parentChatId: chatId,
                specChanges: [],
                createdAt: now - 100000 + c,
                updatedAt: now,
                lastMessageAt: now,
                messageCount: 0,
                archivedAt: null,
              });
              for (let r = 0; r < 9; r++)
                runsStore.put({
                  ...template,
                  id: crypto.randomUUID(),
                  chatSessionId: id,
                  createdAt: now - 50000 + c * 10 + r,
                  config: { ...template.config, seedCandidateId: null },
                });
            }
          };
          tx.oncomplete = () => {
            database.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
        };
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
      }),
    { projectId, chatId },
  );
  const started = Date.now();
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/map`);
  await page.locator('[data-node-id]').nth(299).waitFor({ state: 'attached', timeout: 20_000 });
  const drawnMs = Date.now() - started;
  expect(await page.locator('[data-node-id]').count()).toBeGreaterThanOrEqual(300);
  expect(drawnMs).toBeLessThan(15_000);
  // Fitted: the whole layout's bounding box lies inside the frame.
  const [frame, content] = await Promise.all([page.locator('.map-frame').boundingBox(), page.locator('.map-svg > g').boundingBox()]);
  expect(content!.x).toBeGreaterThanOrEqual(frame!.x - 1);
  expect(content!.x + content!.width).toBeLessThanOrEqual(frame!.x + frame!.width + 1);
  await screenshot(page, 'map-300-nodes-1440-light');
  // Zoomed in, a node opens its chat.
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await screenshot(page, 'map-300-nodes-zoomed-1440-light');
});
