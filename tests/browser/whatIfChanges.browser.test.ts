/**
 * #13: a what-if stores item-level changes over the current project spec.
 * The scenario through the UI: branch "What-if: Thermal safety 40",
 * then the project spec gains "Pack mass"; the what-if shows it (not
 * "Removed in this what-if"), keeps Thermal safety at 40, and Apply does not
 * delete Pack mass. A conflicting project edit shows Keep mine / Take base.
 */
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createProjectViaUi, openBrowser, SCREENSHOT_DIR, sendChatMessage, showPhonePane, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
});
afterEach(async () => {
  await session.close();
});

const SPEC = [
  'goal: Deliver parcels over 30 km',
  'goal: Cost under 500 EUR',
  'constraint: Thermal safety weight 100 — no runaway propagation',
  'constraint: Flight range weight 80',
  'dimension Chemistry: LiPo cost 1, LFP cost 2',
  'rate LiPo: Thermal safety 0.4, Flight range 0.9',
  'rate LFP: Thermal safety 0.9, Flight range 0.6',
].join('\n');

const panel = (page: Page) => page.getByRole('complementary', { name: 'Project panel' });
const weightOf = (page: Page, name: string) => panel(page).getByRole('textbox', { name: `Weight of ${name}`, exact: true });

async function openChat(page: Page, title: string) {
  await page
    .getByRole('navigation', { name: 'Chats' })
    .locator('.chat-row-title', { hasText: new RegExp(`^${title}$`) })
    .click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
  await panel(page).getByRole('textbox', { name: 'Weight of Flight range' }).waitFor();
}

/** The page at 1440, 1024 and 390 px wide, light and dark; back to 1440 light afterwards. */
async function shots(page: Page, name: string, subject: Locator, phonePane: 'Spec' | null = 'Spec', widths = [1440, 1024, 390]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
    // A modal dialog stays over whichever pane is showing, so it needs no switch.
    if (width === 390 && phonePane) await showPhonePane(page, phonePane);
    await subject.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${scheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the project spec gains Pack mass after the branch: the what-if shows it, keeps its weight, and Apply does not delete it; conflicts offer Keep mine / Take base', async () => {
  const { page } = session;
  await createProjectViaUi(page, 'Drone battery');
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  await sendChatMessage(page, SPEC);
  await weightOf(page, 'Thermal safety').waitFor();

  // Branch the what-if and make its one change.
  await page.getByRole('button', { name: '+ New chat' }).click();
  const form = page.getByRole('form', { name: 'New chat' });
  await form.getByLabel('Title').fill('What-if: Thermal safety 40');
  await form.getByLabel('Mode').selectOption({ label: 'What-if' });
  await form.getByRole('button', { name: 'Create chat' }).click();
  await page.getByRole('heading', { level: 2, name: 'What-if: Thermal safety 40' }).waitFor();
  await sendChatMessage(page, 'weight Thermal safety 40');
  await panel(page).getByText('weight 100 (hard) → 40').waitFor();

  // The project spec gains Pack mass after the branch.
  await openChat(page, 'Setup');
  await sendChatMessage(page, 'constraint: Pack mass weight 60');
  await weightOf(page, 'Pack mass').waitFor();

  // The what-if shows Pack mass, not as removed; Thermal safety stays 40 and is not hard.
  await openChat(page, 'What-if: Thermal safety 40');
  await weightOf(page, 'Pack mass').waitFor();
  expect(await weightOf(page, 'Pack mass').inputValue()).toBe('60');
  expect(await weightOf(page, 'Thermal safety').inputValue()).toBe('40');
  expect(await panel(page).getByText('Removed in this what-if', { exact: false }).count()).toBe(0);
  expect(await panel(page).getByText('1 difference from the project spec', { exact: false }).count()).toBe(1);
  const thermalRow = panel(page)
    .locator('li, tr')
    .filter({ has: weightOf(page, 'Thermal safety') })
    .first();
  expect(await thermalRow.getByText(/HARD/i).count()).toBe(0);

  // A conflicting project edit: Take base follows the project, Keep mine keeps 40.
  await openChat(page, 'Setup');
  await sendChatMessage(page, 'weight Thermal safety 95');
  await openChat(page, 'What-if: Thermal safety 40');
  const conflicts = panel(page).getByRole('region', { name: 'Conflicts with the project spec' });
  await conflicts.getByText('constraint Thermal safety').waitFor();
  await conflicts.getByText('weight: project 95, this what-if 40').waitFor();
  expect(await weightOf(page, 'Thermal safety').inputValue()).toBe('40');
  expect(await panel(page).getByRole('button', { name: 'Apply to project spec' }).isDisabled()).toBe(true);
  await conflicts.scrollIntoViewIfNeeded();
  await shots(page, 'whatif-conflict', conflicts);

  await conflicts.getByRole('button', { name: 'Take base: constraint Thermal safety' }).click();
  await conflicts.waitFor({ state: 'detached' });
  await expect.poll(() => weightOf(page, 'Thermal safety').inputValue()).toBe('95');

  await sendChatMessage(page, 'weight Thermal safety 40');
  await expect.poll(() => weightOf(page, 'Thermal safety').inputValue()).toBe('40');
  await openChat(page, 'Setup');
  await sendChatMessage(page, 'weight Thermal safety 90');
  await openChat(page, 'What-if: Thermal safety 40');
  await conflicts.getByRole('button', { name: 'Keep mine: constraint Thermal safety' }).click();
  await conflicts.waitFor({ state: 'detached' });
  expect(await weightOf(page, 'Thermal safety').inputValue()).toBe('40');

  // A reorder is a change of its own: the what-if puts the cost goal first.
  await panel(page).getByRole('button', { name: 'Move goal 2 up' }).click();
  await panel(page).getByText('Reordered in this what-if.', { exact: false }).waitFor();

  // Apply lists only the what-if's own changes and leaves Pack mass in the project spec.
  await panel(page).getByRole('button', { name: 'Apply to project spec' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply to the project spec?' });
  await dialog.waitFor();
  const lines = await dialog.locator('.diff-lines li').allTextContents();
  expect(lines).toEqual([
    '~ constraint Thermal safety: weight 90 → 40',
    '~ order of the goals: "Deliver parcels over 30 km", "Cost under 500 EUR" → "Cost under 500 EUR", "Deliver parcels over 30 km"',
  ]);
  // The dialog stays open (and modal) while the window goes from wide to phone width and back.
  await shots(page, 'whatif-apply-diff', dialog, null);
  expect(await dialog.isVisible()).toBe(true);
  expect(await dialog.evaluate((element) => element.matches(':modal'))).toBe(true);
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  await openChat(page, 'Setup');
  expect(await weightOf(page, 'Thermal safety').inputValue()).toBe('40');
  expect(await weightOf(page, 'Pack mass').inputValue()).toBe('60');
  expect(await weightOf(page, 'Flight range').inputValue()).toBe('80');
  expect(
    await panel(page)
      .getByRole('textbox', { name: /^Goal \d$/ })
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value)),
  ).toEqual(['Cost under 500 EUR', 'Deliver parcels over 30 km']);
  // The what-if has no changes left and follows the project spec.
  await openChat(page, 'What-if: Thermal safety 40');
  await panel(page).getByText('Edits here stay in this chat', { exact: false }).waitFor();
  expect(await weightOf(page, 'Pack mass').inputValue()).toBe('60');
});
