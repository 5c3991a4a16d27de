import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createProjectViaUi, openBrowser, screenshot, SCREENSHOT_DIR, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1600, height: 1000 } });
});
afterEach(async () => {
  await session.close();
});

const WHOLE_SPEC = [
  'goal: Works fully offline',
  'goal: Syncs within a minute when online',
  'constraint: Offline-first weight 100 — must work with no network',
  'constraint: Low cost weight 40 — hosting under 5 EUR a month',
  'constraint: Fast startup weight 70',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite-wasm cost 3',
  'dimension Sync: CRDT cost 3, Last-write-wins cost 1',
  'rate OPFS: Offline-first 0.9, Low cost 0.8, Fast startup 0.6',
  'rate IndexedDB: Offline-first 0.8, Low cost 0.9',
  'rate CRDT Offline-first 0.95',
  'actor: Field technician — often without signal',
].join('\n');

function panel(page: Page) {
  return page.getByRole('complementary', { name: 'Project panel' });
}

async function panelShot(page: Page, name: string) {
  await panel(page).screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function weightShown(page: Page, constraint: string): Promise<string> {
  return panel(page)
    .getByRole('textbox', { name: `Weight of ${constraint}`, exact: true })
    .inputValue();
}

test('a spec typed into the setup chat fills the Spec tab; a what-if weight change leaves the base alone', async () => {
  const { page } = session;
  await createProjectViaUi(page, 'Field notes app');
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();

  // 1. The whole spec in one message: one reply, one Spec update card.
  await sendChatMessage(page, WHOLE_SPEC);
  const log = page.getByRole('log', { name: 'Messages' });
  await log.getByText('Updated the spec:', { exact: false }).waitFor();
  const card = log.locator('.spec-update-card');
  await card.waitFor();
  expect(await card.textContent()).toContain('+2 goals, +3 constraints, +2 dimensions, +5 options, +1 world-model item, 6 ratings set');

  // 2. The Spec tab shows it, with the items just changed highlighted.
  expect(await weightShown(page, 'Offline-first')).toBe('100');
  expect(await weightShown(page, 'Low cost')).toBe('40');
  await panel(page).getByRole('gridcell', { name: 'Rating of OPFS on Offline-first: 0.9' }).waitFor();
  const unratedCell = panel(page).getByRole('gridcell', { name: 'Rating of SQLite-wasm on Low cost: not rated' });
  expect(await unratedCell.getAttribute('class')).toContain('empty');
  expect(await panel(page).locator('[data-highlighted="true"]').count()).toBeGreaterThanOrEqual(8);
  await panelShot(page, 'spec-tab-light');
  await screenshot(page, 'spec-setup-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await panelShot(page, 'spec-tab-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await panel(page)
    .getByRole('heading', { name: /^Ratings/ })
    .scrollIntoViewIfNeeded();
  await panelShot(page, 'spec-tab-ratings-light');

  // The highlight fades and goes away.
  await page.waitForFunction(() => document.querySelectorAll('.workspace-right [data-highlighted="true"]').length === 0, undefined, {
    timeout: 15_000,
  });

  // A bad value is explained and nothing from the message is applied.
  await sendChatMessage(page, 'goal: Should not appear\nweight Offline-first 150');
  await log.getByText('Weight 150 is out of range', { exact: false }).waitFor();
  expect(await panel(page).getByRole('textbox', { name: 'Goal 3' }).count()).toBe(0);
  expect(await weightShown(page, 'Offline-first')).toBe('100');

  // 3. A what-if chat changes one weight; only the what-if sees it.
  await page.getByRole('button', { name: '+ New chat' }).click();
  const form = page.getByRole('form', { name: 'New chat' });
  await form.getByLabel('Title').fill('Softer offline');
  await form.getByLabel('Mode').selectOption({ label: 'What-if' });
  await form.getByRole('button', { name: 'Create chat' }).click();
  await page.getByRole('heading', { level: 2, name: 'Softer offline' }).waitFor();
  await sendChatMessage(page, 'weight Offline-first 60');
  await log.getByText('this what-if only', { exact: false }).waitFor();
  await panel(page).getByText('weight 100 (hard) → 60').waitFor();
  expect(await weightShown(page, 'Offline-first')).toBe('60');
  await panel(page).getByRole('button', { name: 'Apply to project spec' }).waitFor();
  await panelShot(page, 'spec-tab-whatif-light');

  await page
    .getByRole('navigation', { name: 'Chats' })
    .locator('.chat-row-title', { hasText: /^Setup$/ })
    .click();
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  await panel(page).getByRole('textbox', { name: 'Weight of Offline-first' }).waitFor();
  expect(await weightShown(page, 'Offline-first')).toBe('100');
  expect(await panel(page).getByText('weight 100 (hard) → 60').count()).toBe(0);

  // After a reload, the base still has its weight and the history names the what-if change.
  await page.reload();
  await panel(page).getByRole('textbox', { name: 'Weight of Offline-first' }).waitFor();
  expect(await weightShown(page, 'Offline-first')).toBe('100');
  const history = panel(page).getByRole('list', { name: 'Spec history' });
  await history.scrollIntoViewIfNeeded();
  await panelShot(page, 'spec-tab-history-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await panelShot(page, 'spec-tab-history-dark');
  expect(await history.getByText('what-if only').count()).toBe(1);
  expect(await history.getByText('in “Softer offline”').count()).toBe(1);
});
