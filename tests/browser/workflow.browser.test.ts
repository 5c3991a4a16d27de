import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1500, height: 1000 } });
});
afterEach(async () => {
  await session.close();
});

const SPEC = [
  'goal: A notes app that works offline',
  'constraint: Offline-first weight 100',
  'constraint: Speed weight 50',
  'constraint: Cost weight 30',
  'dimension Storage: IndexedDB cost 2, Remote API cost 1, OPFS cost 3',
  'dimension UI: Light UI cost 1, Heavy UI cost 3',
  'rate IndexedDB: Offline-first 0.9, Speed 0.4, Cost 0.6',
  'rate Remote API: Offline-first 0.1, Speed 0.8, Cost 0.9',
  'rate OPFS: Offline-first 0.95, Speed 0.7, Cost 0.3',
  'rate Light UI: Offline-first 0.6, Speed 0.9, Cost 0.8',
  'rate Heavy UI: Offline-first 0.8, Speed 0.3, Cost 0.4',
].join('\n');

const chatPath = (page: Page) => /\/chat\/([^/?]+)/.exec(page.url())![1]!;
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 2, name });
const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });
const switcher = (page: Page) => page.getByRole('navigation', { name: 'Chats' });

async function startRunFromRunsTab(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Runs' }).click();
  const launcher = page.getByRole('region', { name: 'Start a run' });
  await launcher.getByLabel('Candidates').fill('6');
  await launcher.getByLabel('Scenarios').fill('3');
  const before = page.url();
  await launcher.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL((url) => url.href !== before && /\/run\/[^/]+$/.test(url.pathname));
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  return /\/run\/([^/?]+)/.exec(page.url())![1]!;
}

const short = (id: string) => id.replace(/-/g, '').slice(0, 8);

async function historyRunIds(page: Page): Promise<string[]> {
  const table = page.locator('table.history-table');
  if (!(await table.count())) return [];
  return table.locator('tbody tr td:first-child a').allTextContents();
}

async function waitForHistory(page: Page, expected: string[]) {
  await expect.poll(() => historyRunIds(page), { timeout: 10_000 }).toEqual(expected);
}

test('setup chat → run → analysis chat → what-if chat → another run, through the UI', async () => {
  const { page } = session;
  const { projectId, chatId: setupId } = await createProjectViaUi(page, 'Notes app', 'Offline notes');
  await sendChatMessage(page, SPEC);
  await messages(page).getByText('Spec update').first().waitFor();

  // Run 1 from the setup chat; its summary lands in the setup chat.
  const run1 = await startRunFromRunsTab(page);
  const summary1 = messages(page).getByRole('region', { name: `Run summary: Run ${short(run1)}` });
  await summary1.waitFor();
  expect(await summary1.getByRole('list', { name: 'Key findings' }).getByRole('listitem').count()).toBeGreaterThan(1);
  expect(await summary1.locator('table tbody tr').count()).toBe(3);

  // Discuss in chat from the summary card: a seeded analysis chat, opened.
  await summary1.getByRole('button', { name: 'Discuss in chat' }).click();
  await heading(page, `Analysis: Run ${short(run1)}`).waitFor();
  const analysisId = chatPath(page);
  expect(analysisId).not.toBe(setupId);
  await messages(page)
    .getByRole('region', { name: `Run summary: Run ${short(run1)}` })
    .waitFor();
  await page.locator('.chat-lineage').getByRole('link', { name: 'Setup' }).waitFor();

  // A reload in the middle keeps everything.
  await page.reload();
  await heading(page, `Analysis: Run ${short(run1)}`).waitFor();
  await messages(page)
    .getByRole('region', { name: `Run summary: Run ${short(run1)}` })
    .waitFor();

  // A second Discuss from the origin chat offers the existing chat instead of duplicating it.
  await switcher(page)
    .locator('a.chat-row-link', { has: page.locator('.chat-row-title', { hasText: /^Setup$/ }) })
    .click();
  await heading(page, 'Setup').waitFor();
  await messages(page)
    .getByRole('region', { name: `Run summary: Run ${short(run1)}` })
    .getByRole('button', { name: 'Discuss in chat' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Already discussed' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: `Open “Analysis: Run ${short(run1)}”` }).click();
  await heading(page, `Analysis: Run ${short(run1)}`).waitFor();
  expect(chatPath(page)).toBe(analysisId);
  await expect.poll(() => switcher(page).locator('.chat-row-title', { hasText: 'Analysis: Run' }).count()).toBe(1);

  // The analysis Architect answers from the stored results; a what-if weight re-ranks instantly.
  await sendChatMessage(page, 'top 3');
  await messages(page)
    .getByText(/Top 3 of 6 in Run/)
    .waitFor();
  await sendChatMessage(page, 'what if Offline-first weight 40');
  const preview = messages(page).getByRole('region', { name: 'What-if preview' });
  await preview.waitFor();
  await messages(page)
    .getByText(/What if 'Offline-first' weight 100 → 40\?/)
    .waitFor();
  await preview.getByRole('button', { name: 'Open as what-if chat' }).click();
  await heading(page, 'What-if: Offline-first 40').waitFor();
  const whatIfId = chatPath(page);
  const lineage = page.locator('.chat-lineage');
  await lineage.getByRole('link', { name: `Analysis: Run ${short(run1)}` }).waitFor();
  await lineage.getByRole('link', { name: `Run ${short(run1)}`, exact: true }).waitFor();

  // Run 2 from the what-if chat uses its weights; its summary lands there.
  const run2 = await startRunFromRunsTab(page);
  expect(run2).not.toBe(run1);
  expect(chatPath(page)).toBe(whatIfId);
  await messages(page)
    .getByRole('region', { name: `Run summary: Run ${short(run2)}` })
    .waitFor();
  expect(
    await messages(page)
      .getByRole('region', { name: `Run summary: Run ${short(run1)}` })
      .count(),
  ).toBe(0);

  // Run history: this chat by default, any other chat through the picker, and all chats.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('heading', { name: 'Run history' }).waitFor();
  await waitForHistory(page, [short(run2)]);
  const picker = page.getByLabel('Chat', { exact: true });
  await picker.selectOption({ label: 'Setup (Setup)' });
  await waitForHistory(page, [short(run1)]);
  await picker.selectOption({ label: `Analysis: Run ${short(run1)} (Analysis)` });
  await waitForHistory(page, []);
  await page.getByText(/No runs from “Analysis: Run/).waitFor();
  await page.getByRole('button', { name: 'All chats' }).click();
  await waitForHistory(page, [short(run2), short(run1)]);
  const origins = await page.locator('table.history-table tbody tr td.origin-cell').allTextContents();
  expect(origins).toEqual(['What-if: Offline-first 40', 'Setup']);
  await page.getByLabel('Status').selectOption('failed');
  await waitForHistory(page, []);
  await page.getByLabel('Status').selectOption('completed');
  await waitForHistory(page, [short(run2), short(run1)]);
  await screenshot(page, 'workflow-history-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'workflow-history-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Run detail of run 1, then compare it with run 2.
  await page
    .locator('table.history-table')
    .getByRole('link', { name: `Run ${short(run1)}` })
    .click();
  await page.getByRole('heading', { level: 3, name: `Run ${short(run1)}` }).waitFor();
  await page.getByText('Changes since this run').waitFor();
  await page.getByRole('link', { name: 'Open results' }).waitFor();
  await screenshot(page, 'workflow-run-detail-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'workflow-run-detail-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByLabel('Compare with').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
  await page.getByRole('list', { name: 'Spec differences' }).getByText("~ weight 'Offline-first': 100 → 40").waitFor();
  const both = page.getByRole('table', { name: 'Candidates against the baseline' });
  expect(await both.locator('tbody tr').count()).toBe(6);
  expect(await both.locator('.rank-up, .rank-down').count()).toBeGreaterThan(0);
  await screenshot(page, 'workflow-compare-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'workflow-compare-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The map: setup → run 1 → analysis → what-if → run 2; clicking a node navigates.
  await page.getByRole('link', { name: '← Run history' }).click();
  await page.getByRole('link', { name: 'Project map' }).click();
  await page.getByRole('heading', { name: 'Project map' }).waitFor();
  const map = page.getByRole('group', { name: 'Chats and runs of this project' });
  for (const name of [
    'Setup chat: Setup',
    `Run ${short(run1)}, completed`,
    `Analysis chat: Analysis: Run ${short(run1)}`,
    'What-if chat: What-if: Offline-first 40',
    `Run ${short(run2)}, completed`,
  ]) {
    await map.getByRole('link', { name }).waitFor();
  }
  const top = async (name: string) => (await map.getByRole('link', { name }).locator('rect').boundingBox())!.y;
  expect(await top('Setup chat: Setup')).toBeLessThan(await top(`Run ${short(run1)}, completed`));
  expect(await top(`Run ${short(run1)}, completed`)).toBeLessThan(await top(`Analysis chat: Analysis: Run ${short(run1)}`));
  expect(await top(`Analysis chat: Analysis: Run ${short(run1)}`)).toBeLessThan(await top('What-if chat: What-if: Offline-first 40'));
  expect(await top('What-if chat: What-if: Offline-first 40')).toBeLessThan(await top(`Run ${short(run2)}, completed`));
  await screenshot(page, 'workflow-map-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'workflow-map-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await map.getByRole('link', { name: `Analysis chat: Analysis: Run ${short(run1)}` }).click();
  await heading(page, `Analysis: Run ${short(run1)}`).waitFor();
  expect(page.url()).toContain(`/project/${projectId}/chat/${analysisId}`);

  // Branches from a candidate of run 1: Discuss candidate (found again, not duplicated) and What-if from here.
  await page
    .locator('.chat-lineage')
    .getByRole('link', { name: `Run ${short(run1)}`, exact: true })
    .click();
  await page.getByRole('list', { name: 'Ranked candidates' }).getByRole('link').nth(1).click();
  await page.waitForURL(/\/candidate\//);
  const candidateTitle = (await page.getByRole('heading', { level: 3, name: /^#2 / }).textContent())!.replace(/^#2 /, '');
  const branches = page.locator('.branch-actions');
  await branches.getByRole('button', { name: 'Discuss candidate' }).click();
  await heading(page, `Analysis: ${candidateTitle}`).waitFor();
  await sendChatMessage(page, 'why');
  await messages(page).getByText(`#2 ${candidateTitle}`, { exact: false }).first().waitFor();
  await page.goBack();
  await page.waitForURL(/\/candidate\//);
  await branches.getByRole('button', { name: 'Discuss candidate' }).click();
  await page
    .getByRole('dialog', { name: 'Already discussed' })
    .getByRole('button', { name: `Open “Analysis: ${candidateTitle}”` })
    .click();
  await heading(page, `Analysis: ${candidateTitle}`).waitFor();
  await page.goBack();
  await page.waitForURL(/\/candidate\//);
  await branches.getByRole('button', { name: 'What-if from here' }).click();
  await heading(page, `What-if: ${candidateTitle}`).waitFor();
  await page.locator('.chat-lineage').getByText('About candidate').waitFor();
  await expect
    .poll(() =>
      switcher(page)
        .locator('.chat-row-title', { hasText: `Analysis: ${candidateTitle}` })
        .count(),
    )
    .toBe(1);
});
