/**
 * #13 layout: the workspace's panels resize from the keyboard, their sizes
 * survive a reload, a collapsed chat list stays collapsed, and focus mode gives
 * the panel the whole width without becoming the remembered layout.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { baseUrl, openBrowser, screenshot, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 900 } });
});
afterEach(async () => {
  await session.close();
});

const widthOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element) => Math.round(element.getBoundingClientRect().width));

async function openSample(page: Page): Promise<string> {
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/chat\//);
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  return page.url();
}

async function reload(page: Page) {
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
}

test('the separators resize from the keyboard, the sizes persist across a reload, focus mode is full width and not remembered', async () => {
  const { page } = session;
  await openSample(page);
  const panelBefore = await widthOf(page, '.workspace-right');
  const chatBefore = await widthOf(page, '.workspace-centre');

  // Widen the panel from the keyboard: the separator between the chat and the panel.
  const separator = page.getByRole('separator', { name: 'Resize the chat and the panel' });
  await separator.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => widthOf(page, '.workspace-right')).toBeGreaterThan(panelBefore + 20);
  const panelWidened = await widthOf(page, '.workspace-right');
  const chatNarrowed = await widthOf(page, '.workspace-centre');
  expect(chatNarrowed).toBeLessThan(chatBefore - 20);
  // Still open: the chat keeps at least its minimum width.
  expect(chatNarrowed).toBeGreaterThanOrEqual(300);

  await reload(page);
  await expect.poll(async () => Math.abs((await widthOf(page, '.workspace-right')) - panelWidened)).toBeLessThanOrEqual(3);

  // Focus mode: the panel takes the whole width; the chat list and the chat leave the tab order.
  await page.getByRole('button', { name: 'Focus panel' }).click();
  await expect.poll(() => widthOf(page, '.workspace-right')).toBeGreaterThan(1440 - 30);
  expect(await page.locator('.workspace-centre').evaluate((element) => (element as HTMLElement).inert)).toBe(true);
  await screenshot(page, 'panels-focus-1440-light');
  await page.getByRole('button', { name: 'Exit focus' }).click();
  await expect.poll(async () => Math.abs((await widthOf(page, '.workspace-right')) - panelWidened)).toBeLessThanOrEqual(3);
  await expect.poll(() => page.locator('.workspace-centre').evaluate((element) => (element as HTMLElement).inert)).toBe(false);

  // A reload in focus mode comes back to the dragged layout, not to a full-width panel.
  await page.getByRole('button', { name: 'Focus panel' }).click();
  await expect.poll(() => widthOf(page, '.workspace-right')).toBeGreaterThan(1440 - 30);
  await reload(page);
  await expect.poll(async () => Math.abs((await widthOf(page, '.workspace-right')) - panelWidened)).toBeLessThanOrEqual(3);
  expect(await page.getByRole('button', { name: 'Focus panel' }).getAttribute('aria-pressed')).toBe('false');
});

test('a collapsed chat list stays collapsed after a reload and comes back with its toggle', async () => {
  const { page } = session;
  await openSample(page);
  const toggle = page.getByRole('button', { name: 'Chats', exact: false }).first();
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  await toggle.click();
  await expect.poll(() => widthOf(page, '.workspace-left')).toBeLessThan(2);
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  expect(await page.locator('.workspace-left').evaluate((element) => (element as HTMLElement).inert)).toBe(true);

  await reload(page);
  await expect.poll(() => widthOf(page, '.workspace-left')).toBeLessThan(2);
  expect(await page.getByRole('button', { name: 'Chats', exact: false }).first().getAttribute('aria-pressed')).toBe('false');
  await screenshot(page, 'panels-chats-collapsed-1440-light');

  await page.getByRole('button', { name: 'Chats', exact: false }).first().click();
  await expect.poll(() => widthOf(page, '.workspace-left')).toBeGreaterThan(150);
  expect(await page.locator('.workspace-left').evaluate((element) => (element as HTMLElement).inert)).toBe(false);
});
