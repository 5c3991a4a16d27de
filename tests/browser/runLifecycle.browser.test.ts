import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { bigSpec, storedRuns } from './bigRun';
import { baseUrl, createProjectViaUi, openBrowser, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

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
