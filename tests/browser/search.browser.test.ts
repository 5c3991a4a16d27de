import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';
import { waitForServiceWorkerControl } from './transferUtil';

let session: BrowserSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

/**
 * Writes `count` filler messages into a chat straight into IndexedDB (as an
 * older session would have left them), with `needle` inside message `at` only.
 * Returns that message's id. The app is reloaded after, so it reads them fresh.
 */
async function seedMessages(page: Page, chatId: string, projectId: string, count: number, at: number, needle: string): Promise<string> {
  return page.evaluate(
    ({ chatId, projectId, count, at, needle }) =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
        request.onsuccess = () => {
          const database = request.result;
          const tx = database.transaction(['messages', 'chatSessions'], 'readwrite');
          const start = Date.now() - count * 1000;
          let needleId = '';
          for (let i = 0; i < count; i++) {
            const id = crypto.randomUUID();
            if (i === at) needleId = id;
            const content =
              i === at
                ? `Message ${i}: the supplier mentioned ${needle} separators for the cells, worth a look.`
                : `Message ${i}: notes about pack layout, thermal pads and charge cycles, nothing special here.`;
            tx.objectStore('messages').put({
              id,
              chatSessionId: chatId,
              projectId,
              role: 'user',
              content,
              meta: null,
              createdAt: start + i * 1000,
            });
          }
          const chats = tx.objectStore('chatSessions');
          const get = chats.get(chatId);
          get.onsuccess = () => chats.put({ ...get.result, messageCount: get.result.messageCount + count, lastMessageAt: Date.now() });
          tx.oncomplete = () => {
            database.close();
            resolve(needleId);
          };
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
        };
      }),
    { chatId, projectId, count, at, needle },
  );
}

function results(page: Page) {
  return page.getByRole('listbox', { name: 'Results' });
}

async function searchFor(page: Page, text: string) {
  await page.keyboard.press('Control+k');
  const box = page.getByRole('combobox', { name: /Search messages/ });
  await box.waitFor();
  await box.fill(text);
  return box;
}

test('Ctrl+K finds a word that appears only inside a message and opens the chat scrolled to it, highlighted; offline too', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 900 } });
  const { page, context } = session;
  await page.goto(baseUrl() + '/');
  await waitForServiceWorkerControl(page);
  const { projectId, chatId } = await createProjectViaUi(page, 'Search test project');
  const needleId = await seedMessages(page, chatId, projectId, 120, 30, 'aerogel');
  await page.reload();
  await page.getByRole('log', { name: 'Messages' }).getByText('Message 119:').waitFor();

  const box = await searchFor(page, 'aerogel');
  const option = results(page).getByRole('option').filter({ hasText: 'aerogel' });
  await option.first().waitFor();
  expect(await results(page).getByRole('option').count()).toBe(1);
  expect(await page.getByRole('group', { name: /Messages/ }).count()).toBe(1);
  expect(await option.locator('mark').first().textContent()).toBe('aerogel');
  expect(await box.getAttribute('aria-activedescendant')).toBe(await option.first().getAttribute('id'));
  await screenshot(page, 'search-palette-1440-light');
  await box.press('Enter');

  await page.waitForURL((url) => url.searchParams.get('message') === needleId);
  expect(await page.getByRole('dialog').count()).toBe(0);
  const focused = page.locator('.message-target');
  await focused.waitFor();
  expect(await focused.textContent()).toContain('aerogel');
  // Scrolled to it: the message sits inside the visible part of the message list.
  await expect
    .poll(async () => {
      const [log, message] = await Promise.all([page.getByRole('log', { name: 'Messages' }).boundingBox(), focused.boundingBox()]);
      return !!log && !!message && message.y >= log.y && message.y + message.height <= log.y + log.height;
    })
    .toBe(true);
  await screenshot(page, 'search-opened-message-1440-light');

  // A message sent now is found at once (the index follows new records).
  await page.goto(`${baseUrl()}/project/${projectId}/chat/${chatId}`);
  await sendChatMessage(page, 'What about graphene anodes?');
  await searchFor(page, 'graphene');
  await results(page).getByRole('option').filter({ hasText: 'graphene' }).first().waitFor();
  await page.keyboard.press('Escape');
  expect(await page.getByRole('dialog').count()).toBe(0);

  await context.setOffline(true);
  try {
    await page.reload();
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    await searchFor(page, 'aerogel');
    await results(page).getByRole('option').filter({ hasText: 'aerogel' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('message') === needleId);
    await page.locator('.message-target').filter({ hasText: 'aerogel' }).waitFor();
  } finally {
    await context.setOffline(false);
  }
});

test('the palette: arrows move across groups, Tab stays inside, Escape closes and gives focus back; filters by mode', async () => {
  session = await openBrowser({ viewport: { width: 1024, height: 800 } });
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/chat\//);
  await page.getByRole('log', { name: 'Messages' }).waitFor();

  const trigger = page.getByRole('button', { name: 'Search (Ctrl+K)' });
  await trigger.click();
  const box = page.getByRole('combobox', { name: /Search messages/ });
  await box.fill('solid');
  await page.getByRole('group', { name: /Spec items/ }).waitFor();
  const groups = await page.getByRole('group').allTextContents();
  expect(groups.length).toBeGreaterThanOrEqual(3);
  const options = results(page).getByRole('option');
  const count = await options.count();
  expect(count).toBeGreaterThan(3);
  await expect.poll(() => options.nth(0).getAttribute('aria-selected')).toBe('true');
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  expect(await options.nth(2).getAttribute('aria-selected')).toBe('true');
  await box.press('ArrowUp');
  await box.press('ArrowUp');
  await box.press('ArrowUp');
  expect(await options.nth(count - 1).getAttribute('aria-selected')).toBe('true');

  // Tab cycles through the filters and comes back to the input.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');

  await page.getByRole('combobox', { name: 'Chat mode' }).selectOption('analysis');
  await expect.poll(() => page.getByRole('group', { name: /Spec items/ }).count()).toBe(0);
  expect(await page.getByRole('group', { name: /Chats/ }).count()).toBe(1);
  await screenshot(page, 'search-palette-filtered-1024-light');

  await box.press('Escape');
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search (Ctrl+K)');
});

test('palette screenshots at 1440, 1024 and 390, light and dark', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1440, 1024, 390]) {
      session = await openBrowser({ colorScheme, viewport: { width, height: 860 } });
      const { page } = session;
      await page.goto(baseUrl() + '/');
      await page.getByRole('button', { name: 'Open the sample project' }).click();
      await page.waitForURL(/\/chat\//);
      await page.getByRole('log', { name: 'Messages' }).waitFor();
      await searchFor(page, 'sodium');
      await results(page).getByRole('option').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `search-palette-${width}-${colorScheme}`);
      await session.close();
      session = null;
    }
  }
});
