import { afterEach, expect, test } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { bigSpec, storedRuns } from './bigRun';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, sendChatMessage, showPhonePane, type BrowserSession } from './harness';

let session: BrowserSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const RESULTS_REFUSED = 'Storage is full, so this run’s results could not be saved and nothing partial was kept.';
const ROOM_BEFORE_THE_RUN = Number(process.env.DISK_ROOM ?? 3_000_000);
const SWEEP_REFUSED = 'Storage is full, so work left unfinished when a tab was closed could not be marked as interrupted';

/** Sets the origin's quota (bytes), or gives back the real one when `bytes` is omitted. */
async function overrideQuota(cdp: CDPSession, bytes?: number): Promise<void> {
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(baseUrl()).origin,
    ...(bytes === undefined ? {} : { quotaSize: bytes }),
  });
}

/** Candidates, scenarios and evaluations stored for the run, read straight from IndexedDB. */
function storedResultRows(page: Page, runId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('int-crucible');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const tables = ['candidates', 'scenarios', 'evaluations'];
          const tx = open.result.transaction(tables);
          let total = 0;
          let pending = tables.length;
          for (const table of tables) {
            const request = tx.objectStore(table).index('runId').count(id);
            request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
            request.onsuccess = () => {
              total += request.result;
              if (--pending === 0) {
                open.result.close();
                resolve(total);
              }
            };
          }
        };
      }),
    runId,
  );
}

/** The storage-full state at the three widths, light and dark; at phone width the Results pane is the one shown. */
async function screenshotsOf(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      if (width === 390) await showPhonePane(page, 'Results');
      await screenshot(page, `disk-full-${name}-${width}-${colorScheme}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a 50 × 50 run on a disk that fills up ends, says so, keeps nothing partial, and the app opens again', async () => {
  session = await openBrowser();
  const { page } = session;
  const cdp = await session.context.newCDPSession(page);
  // Chromium's IndexedDB counts down a cached allowance and asks the quota again only when a write exceeds it, so the
  // quota is set before the app first writes: room for the project, its spec and the run's row, not for 2,500 results.
  await overrideQuota(cdp, ROOM_BEFORE_THE_RUN);
  const { projectId, chatId } = await createProjectViaUi(page, 'Full disk');
  await sendChatMessage(page, bigSpec());
  await page.getByRole('tab', { name: 'Runs' }).click();
  const launcher = page.getByRole('region', { name: 'Start a run' });
  await launcher.getByLabel('Candidates').fill('50');
  await launcher.getByLabel('Scenarios').fill('50');
  const start = launcher.getByRole('button', { name: 'Start run' });
  await expect.poll(() => start.isEnabled(), { timeout: 15_000 }).toBe(true);
  await start.click();
  await page.waitForURL(/\/run\/[^/]+$/);
  const runId = decodeURIComponent(/\/run\/([^/]+)$/.exec(page.url())![1]!);
  // The run is stored and working; now the disk is full: the results exceed what is left, and asking again finds no
  // room for any write, not even the run's status.
  await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
  await overrideQuota(cdp, 1);

  const header = page.getByRole('region', { name: /^Run / });
  await expect.poll(() => header.getByRole('alert').textContent(), { timeout: 60_000 }).toContain(RESULTS_REFUSED);
  await expect.poll(() => header.locator('.run-status').textContent()).toBe('Failed');
  expect(await page.getByText('This run is executing in another tab.').count()).toBe(0);
  expect(await page.getByRole('progressbar', { name: 'Run progress' }).count()).toBe(0);
  const banner = page.locator('.banner-error');
  await expect.poll(() => banner.textContent()).toContain(RESULTS_REFUSED);
  expect(await storedResultRows(page, runId)).toBe(0);
  // Not even the status fitted: storage still says running, and it is the next start-up that must end it.
  expect((await storedRuns(page)).find((run) => run.id === runId)?.status).toBe('running');
  await screenshotsOf(page, 'run');

  // Reopened with the disk still full: the sweep cannot write, the banner says so, and the app still renders.
  await page.reload();
  await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(SWEEP_REFUSED);
  await header.waitFor();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  // No tab holds the run's lock: the panel says it was left unfinished, not that another tab is executing it.
  await header.getByText('This run was left unfinished when its tab closed.', { exact: false }).waitFor();
  expect(await page.getByText('This run is executing in another tab.').count()).toBe(0);
  expect((await storedRuns(page)).find((run) => run.id === runId)?.status).toBe('running');
  await screenshotsOf(page, 'reopened');

  // Space again: the next start-up ends the run, and a new run completes.
  await overrideQuota(cdp);
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${runId}`);
  await expect.poll(async () => (await storedRuns(page)).find((run) => run.id === runId)?.status, { timeout: 15_000 }).toBe('interrupted');
  expect(await banner.count()).toBe(0);
  expect(await storedResultRows(page, runId)).toBe(0);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await launcher.getByLabel('Candidates').fill('5');
  await launcher.getByLabel('Scenarios').fill('3');
  await expect.poll(() => start.isEnabled(), { timeout: 15_000 }).toBe(true);
  await start.click();
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  expect((await storedRuns(page)).filter((run) => run.status === 'completed')).toHaveLength(1);
}, 240_000);
