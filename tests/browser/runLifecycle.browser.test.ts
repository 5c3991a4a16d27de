import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, createProjectViaUi, openBrowser, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** A spec large enough (6 constraints, 20 dimensions × 6 options, all rated) that a 50 × 50 run takes seconds. */
function bigSpec(): string {
  let state = 4242;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const constraints = ['Offline-first', 'Speed', 'Cost', 'Privacy', 'Simplicity', 'Battery'];
  const areas = Array.from({ length: 20 }, (_, i) => `Area${i + 1}`);
  const lines = ['goal: A field notes app'];
  constraints.forEach((name, i) => lines.push(`constraint: ${name} weight ${30 + i * 10}`));
  for (const area of areas)
    lines.push(
      `dimension ${area}: ${['A', 'B', 'C', 'D', 'E', 'F'].map((l) => `${area} ${l} cost ${1 + Math.floor(next() * 9)}`).join(', ')}`,
    );
  for (const area of areas)
    for (const l of ['A', 'B', 'C', 'D', 'E', 'F'])
      lines.push(`rate ${area} ${l}: ${constraints.map((name) => `${name} ${(0.3 + next() * 0.7).toFixed(2)}`).join(', ')}`);
  return lines.join('\n');
}

/** Every run in the page's IndexedDB, as id and status. */
function storedRuns(page: Page): Promise<Array<{ id: string; status: string }>> {
  return page.evaluate(
    () =>
      new Promise<Array<{ id: string; status: string }>>((resolve, reject) => {
        const open = indexedDB.open('int-crucible');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll();
          request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
          request.onsuccess = () => {
            resolve((request.result as Array<{ id: string; status: string }>).map(({ id, status }) => ({ id, status })));
            open.result.close();
          };
        };
      }),
  );
}

async function openRunsTab(page: Page) {
  await page.getByRole('tab', { name: 'Runs' }).click();
  const launcher = page.getByRole('region', { name: 'Start a run' });
  await launcher.waitFor();
  return launcher;
}

test('two clicks on Start in the same task start one run', async () => {
  session = await openBrowser();
  const { page } = session;
  await createProjectViaUi(page, 'Double start');
  await sendChatMessage(page, bigSpec());
  const launcher = await openRunsTab(page);
  await launcher.getByLabel('Candidates').fill('5');
  await launcher.getByLabel('Scenarios').fill('3');
  const start = launcher.getByRole('button', { name: 'Start run' });
  await expect.poll(() => start.isEnabled(), { timeout: 15_000 }).toBe(true);
  await start.evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await page.waitForURL(/\/run\/[^/]+$/);
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  const runs = await storedRuns(page);
  expect(runs).toHaveLength(1);
  expect(runs[0]!.status).toBe('completed');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('heading', { name: 'Start a run' }).waitFor();
});

test('a tab closed right after Start leaves no run in running once the app is open again', async () => {
  session = await openBrowser();
  const first = session.page;
  const { projectId, chatId } = await createProjectViaUi(first, 'Closed tab');
  await sendChatMessage(first, bigSpec());
  const workspace = `${baseUrl()}/project/${projectId}/chat/${chatId}?tab=runs`;
  let page = first;
  const outcomes: string[] = [];
  // Closing at several moments around the write of the run and its lock; each reopening must settle every run.
  for (const delayMs of [0, 100, 250, 500, 800]) {
    const launcher = await openRunsTab(page);
    await launcher.getByLabel('Candidates').fill('50');
    await launcher.getByLabel('Scenarios').fill('50');
    const start = launcher.getByRole('button', { name: 'Start run' });
    await expect.poll(() => start.isEnabled(), { timeout: 15_000 }).toBe(true);
    await start.click();
    await page.waitForTimeout(delayMs);
    await page.close();
    page = await session.newPage();
    await page.goto(workspace);
    await page.getByRole('heading', { name: 'Start a run' }).waitFor();
    await expect
      .poll(async () => (await storedRuns(page)).filter((run) => run.status === 'running' || run.status === 'created').length, {
        timeout: 15_000,
      })
      .toBe(0);
    outcomes.push((await storedRuns(page)).map((run) => run.status).join(','));
  }
  const statuses = (await storedRuns(page)).map((run) => run.status);
  // At least the later closes happened after the run was written; each of those ended interrupted.
  expect(statuses.length).toBeGreaterThan(0);
  expect(
    statuses.every((status) => status === 'interrupted'),
    outcomes.join(' | '),
  ).toBe(true);
}, 180_000);
