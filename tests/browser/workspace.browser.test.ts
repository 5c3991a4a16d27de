import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser();
});
afterEach(async () => {
  await session.close();
});

async function createChatViaUi(page: Page, title: string, mode: 'Setup' | 'Analysis' | 'What-if') {
  await page.getByRole('button', { name: '+ New chat' }).click();
  const form = page.getByRole('form', { name: 'New chat' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Mode').selectOption({ label: mode });
  await form.getByRole('button', { name: 'Create chat' }).click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
}

function messageLog(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

test('chats persist across reload, deep links, back/forward and a second tab', async () => {
  const { page } = session;
  const { projectId } = await createProjectViaUi(page, 'Offline sync design', 'Pick storage and sync');
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();

  await createChatViaUi(page, 'Baseline analysis', 'Analysis');
  const analysisUrl = page.url();
  await sendChatMessage(page, 'What dominates the ranking?');
  await createChatViaUi(page, 'Cheaper storage', 'What-if');
  const whatIfUrl = page.url();
  await sendChatMessage(page, 'Lower the cost weight');
  await sendChatMessage(page, 'Second line in what-if');

  const switcher = page.getByRole('navigation', { name: 'Chats' });
  // Most recent activity first, with counts and mode badges.
  // Live queries settle independently, so poll rather than race them.
  await expect.poll(() => switcher.locator('.chat-row-title').allTextContents()).toEqual(['Cheaper storage', 'Baseline analysis', 'Setup']);
  const active = switcher.locator('[aria-current="page"]');
  await expect(active.locator('.chat-row-title').textContent()).resolves.toBe('Cheaper storage');
  await expect.poll(async () => (await active.locator('.message-count').textContent()) === String(await messageCountIn(page))).toBe(true);
  expect(await switcher.locator('.mode-badge.mode-whatif').count()).toBe(1);
  expect(await switcher.locator('.mode-badge.mode-analysis').count()).toBe(1);
  await screenshot(page, 'workspace-light');

  // Reload on the deep link restores the same chat and messages.
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Cheaper storage' }).waitFor();
  await messageLog(page).getByText('Second line in what-if').waitFor();
  expect(page.url()).toBe(whatIfUrl);

  // Back and forward move between the chats visited.
  await page.goBack();
  await page.waitForURL(analysisUrl);
  await page.getByRole('heading', { level: 2, name: 'Baseline analysis' }).waitFor();
  await messageLog(page).getByText('What dominates the ranking?').waitFor();
  await page.goForward();
  await page.waitForURL(whatIfUrl);
  await page.getByRole('heading', { level: 2, name: 'Cheaper storage' }).waitFor();

  // A second tab on the same project sees messages sent in the first without reloading.
  const other = await session.newPage();
  await other.goto(analysisUrl);
  await other.getByRole('heading', { level: 2, name: 'Baseline analysis' }).waitFor();
  await page.goto(analysisUrl);
  await sendChatMessage(page, 'Message from tab one');
  await messageLog(other).getByText('Message from tab one').waitFor({ timeout: 10_000 });

  // /project/:id opens the most recently active chat.
  await other.goto(`${baseUrl()}/project/${projectId}`);
  await other.waitForURL(analysisUrl);
});

async function messageCountIn(page: Page): Promise<number> {
  return page.getByRole('log', { name: 'Messages' }).locator('.message').count();
}

test('a dark-mode workspace renders and an unknown chat id shows not found', async () => {
  await session.close();
  session = await openBrowser({ colorScheme: 'dark' });
  const { page } = session;
  const { projectId } = await createProjectViaUi(page, 'Dark project', 'Checking the dark theme');
  await sendChatMessage(page, 'goal: Works fully offline');
  await screenshot(page, 'workspace-dark');
  await page.goto(`${baseUrl()}/project/${projectId}/chat/not-a-chat`);
  await page.getByRole('heading', { name: 'Not found' }).waitFor();
  expect(await page.getByText('This chat does not exist').count()).toBe(1);
  await page.getByRole('link', { name: 'Open “Dark project”' }).click();
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  await page.goto(baseUrl() + '/');
  await page.getByTestId('project-card').first().waitFor();
  await screenshot(page, 'projects-dark');
});

test('a schema upgrade from a newer tab shows a reload banner instead of crashing', async () => {
  const { page } = session;
  await createProjectViaUi(page, 'Upgrade target');
  await sendChatMessage(page, 'goal: Survive upgrades');
  // Another tab opens the database at a newer version, as a newer deployment would.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const probe = indexedDB.open('int-crucible');
        probe.onsuccess = () => {
          const next = probe.result.version + 10;
          probe.result.close();
          const upgrade = indexedDB.open('int-crucible', next);
          upgrade.onsuccess = () => {
            upgrade.result.close();
            resolve();
          };
          upgrade.onerror = () => reject(upgrade.error ?? new Error('IndexedDB request failed'));
        };
      }),
  );
  await page.getByRole('button', { name: 'Reload to update' }).waitFor();
  expect(await page.getByText('upgraded your data').count()).toBe(1);
  // What was on screen stays readable.
  expect(await page.getByRole('log', { name: 'Messages' }).getByText('goal: Survive upgrades').count()).toBe(1);
});
