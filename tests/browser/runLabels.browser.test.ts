/**
 * Tag a run and filter the history by the tag: name and tag a run in its
 * detail by keyboard, see both in the history, filter by the tag (in the URL),
 * and see the name in compare. Then screenshots of run detail, history and
 * compare at 1440, 1024 and 390 px, light and dark.
 */
import { afterEach, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
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
  status: string;
  name: string;
  tags: string[];
  notes: string;
}

const short = (id: string) => id.replace(/-/g, '').slice(0, 8);

test('tag a run and filter the history by the tag; its name shows in history and compare', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/chat\//);
  const [, projectId, chatId] = /\/project\/([^/]+)\/chat\/([^/?]+)/.exec(page.url())!;
  const runs = (await readStore<StoredRun>(page, 'runs'))
    .filter((run) => run.status === 'completed')
    .sort((a, b) => a.createdAt - b.createdAt);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  const [baseline, tagged, other] = runs as [StoredRun, StoredRun, StoredRun];

  // Name, tags and notes, by keyboard.
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${tagged.id}/details`);
  const name = page.getByLabel('Run name', { exact: true });
  await name.fill('LFP pack, air cooled');
  await name.press('Enter');
  await page.getByRole('heading', { name: 'LFP pack, air cooled' }).waitFor();
  const tagInput = page.getByLabel('Add a tag');
  await tagInput.click();
  await page.keyboard.type('shortlist');
  await page.keyboard.press('Enter');
  await page.keyboard.type('lfp,');
  await page.getByRole('button', { name: 'Remove tag lfp' }).waitFor();
  const notes = page.getByLabel('Notes', { exact: true });
  await notes.fill('Keep for the design review.');
  await notes.press('Control+Enter');
  await page.getByText('Notes saved.').waitFor();
  await expect
    .poll(async () => (await readStore<StoredRun>(page, 'runs')).find((run) => run.id === tagged.id))
    .toMatchObject({ name: 'LFP pack, air cooled', tags: ['shortlist', 'lfp'], notes: 'Keep for the design review.' });

  // A second run carries the tag too; a third does not.
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${other.id}/details`);
  await page.getByLabel('Add a tag').fill('shortlist');
  await page.getByLabel('Add a tag').press('Enter');
  await page.getByRole('button', { name: 'Remove tag shortlist' }).waitFor();

  // History: the name instead of the bare id, the tags as chips; filter by tag.
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}?tab=runs&runsChat=all`);
  const table = page.locator('table.history-table');
  await table.getByRole('link', { name: 'LFP pack, air cooled' }).waitFor();
  const allRows = await table.locator('tbody tr').count();
  expect(allRows).toBeGreaterThanOrEqual(3);
  await page.getByLabel('Tag', { exact: true }).selectOption('shortlist');
  await page.waitForURL((url) => url.searchParams.get('runsTag') === 'shortlist');
  await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
  const shown = await table.locator('tbody tr td:first-child').allTextContents();
  expect(shown.some((text) => text.includes('LFP pack, air cooled'))).toBe(true);
  expect(shown.some((text) => text.includes(short(other.id)))).toBe(true);
  expect(shown.some((text) => text.includes(short(baseline.id)))).toBe(false);
  // The filter is in the URL: a reload keeps it; the lfp chip narrows to the one run.
  await page.reload();
  await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
  await table.getByRole('button', { name: 'lfp' }).click();
  await page.waitForURL((url) => url.searchParams.get('runsTag') === 'lfp');
  await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
  await page.screenshot({ path: 'screenshots/run-labels-history-filtered.png' });

  // Compare: pin a baseline, compare the named run: its name heads its column and the legend.
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${baseline.id}/details`);
  await page.getByRole('button', { name: 'Pin as baseline' }).click();
  await page.getByText('Pinned baseline').waitFor();
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}/run/${tagged.id}/details`);
  await page.getByRole('link', { name: 'Compare with baseline' }).click();
  await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
  const against = page.getByRole('table', { name: 'Runs against the baseline' });
  await expect
    .poll(async () => (await against.locator(`tr[data-run-id="${tagged.id}"]`).textContent()) ?? '')
    .toContain('LFP pack, air cooled');
  expect(await page.locator('.run-compare').getByText('LFP pack, air cooled').count()).toBeGreaterThanOrEqual(2);
  const compareUrl = page.url();

  const screens: { name: string; url: string; subject: (page: Page) => Locator }[] = [
    {
      name: 'run-detail',
      url: `${baseUrl()}/project/${projectId}/chat/${chatId}/run/${tagged.id}/details`,
      subject: (p) => p.getByLabel('Run name', { exact: true }),
    },
    {
      name: 'run-history',
      url: `${baseUrl()}/project/${projectId}/chat/${chatId}?tab=runs&runsChat=all`,
      subject: (p) => p.locator('table.history-table').getByRole('link', { name: 'LFP pack, air cooled' }),
    },
    { name: 'run-compare', url: compareUrl, subject: (p) => p.getByRole('heading', { name: 'Compare runs' }) },
  ];
  for (const scheme of ['light', 'dark'] as const)
    for (const size of [
      { width: 1440, height: 1000 },
      { width: 1024, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      for (const screen of screens) {
        await page.goto(screen.url);
        // On a phone a run's or the history's address shows the panel by itself, without a tap on the switcher.
        await screen.subject(page).waitFor();
        await screen.subject(page).scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        await screenshot(page, `run-labels-${screen.name}-${size.width}-${scheme}`);
        // Names, numbers and links stay whole at every width (on a phone the tables are cards).
        expect(await brokenTableWords(page), `${screen.name} at ${size.width}`).toEqual([]);
      }
    }
}, 240_000);
