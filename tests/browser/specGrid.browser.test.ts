import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createProjectViaUi, openBrowser, SCREENSHOT_DIR, sendChatMessage, showPhonePane, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 1000 } });
});
afterEach(async () => {
  await session.close();
});

// Five constraints: at 1440 px the Spec tab must show them without a horizontal scroll (the grid scrolls inside itself if it must).
const SPEC = [
  'constraint: Offline-first weight 100',
  'constraint: Low cost weight 40',
  'constraint: Fast startup weight 70',
  'constraint: Thermal safety weight 80',
  'constraint: Pack mass weight 30',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite-wasm cost 3',
  'dimension Sync: CRDT cost 3, Last-write-wins cost 1',
  'rate OPFS Offline-first 0.9',
].join('\n');

const panel = (page: Page) => page.getByRole('complementary', { name: 'Project panel' });
const grid = (page: Page) => panel(page).getByRole('grid', { name: 'Ratings' });
const cell = (page: Page, option: string, constraint: string) =>
  grid(page).getByRole('gridcell', { name: new RegExp(`^Rating of ${option} on ${constraint}:`) });

async function ratingsInDb(page: Page): Promise<{ ratings: Record<string, Record<string, number>>; entries: number }> {
  return page.evaluate(async () => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('int-crucible');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
    const specs = await new Promise<
      {
        constraints: { id: string; name: string }[];
        designSpace: { dimensions: { options: { name: string; ratings: Record<string, number> }[] }[] };
        provenance: unknown[];
      }[]
    >((resolve) => {
      const request = database.transaction('specs').objectStore('specs').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    database.close();
    const spec = specs[0]!;
    const names = new Map(spec.constraints.map((c) => [c.id, c.name]));
    const ratings: Record<string, Record<string, number>> = {};
    for (const option of spec.designSpace.dimensions.flatMap((d) => d.options)) {
      ratings[option.name] = Object.fromEntries(Object.entries(option.ratings).map(([id, value]) => [names.get(id)!, value]));
    }
    return { ratings, entries: spec.provenance.length };
  });
}

async function pasteInto(page: Page, text: string) {
  await grid(page).evaluate((element, block) => {
    const data = new DataTransfer();
    data.setData('text/plain', block);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('the ratings grid: type, paste a block from a spreadsheet, fill a selection; screenshots at 1440, 1024 and 390 px', async () => {
  const { page } = session;
  await createProjectViaUi(page, 'Grid study');
  await sendChatMessage(page, SPEC);
  await cell(page, 'OPFS', 'Offline-first').waitFor();
  const before = (await ratingsInDb(page)).entries;

  // Type a number into a cell: Enter saves it and moves down.
  await cell(page, 'IndexedDB', 'Low cost').click();
  await page.keyboard.type('0.7');
  await page.keyboard.press('Enter');
  await cell(page, 'IndexedDB', 'Low cost').and(page.locator('[aria-label$=": 0.7"]')).waitFor();
  expect(await grid(page).getAttribute('aria-activedescendant')).toBe(await cell(page, 'OPFS', 'Low cost').getAttribute('id'));

  // Paste a 3 × 2 block copied from a spreadsheet (\r\n rows, trailing newline).
  await cell(page, 'IndexedDB', 'Fast startup').click();
  await pasteInto(page, '0.1\t0.2\r\n0.3\t0.4\r\n0.5\t0.6\r\n');
  await panel(page).getByText('Pasted 6 cells.').waitFor();
  await expect.poll(async () => (await ratingsInDb(page)).ratings['SQLite-wasm']).toEqual({ 'Fast startup': 0.5, 'Thermal safety': 0.6 });

  // Select the Sync rows × 2 constraints with shift+click, fill them with 0.25.
  await cell(page, 'CRDT', 'Offline-first').click();
  await cell(page, 'Last-write-wins', 'Low cost').click({ modifiers: ['Shift'] });
  await panel(page).getByRole('textbox', { name: 'Value for the 4 selected cells' }).fill('0.25');
  await panel(page).getByRole('button', { name: 'Fill 4 cells' }).click();
  await panel(page).getByText('Filled 4 cells.').waitFor();
  await expect.poll(async () => (await ratingsInDb(page)).ratings['Last-write-wins']).toEqual({ 'Offline-first': 0.25, 'Low cost': 0.25 });

  const after = await ratingsInDb(page);
  // Three edits, three provenance entries (the paste of 6 and the fill of 4 are one each).
  expect(after.entries).toBe(before + 3);
  expect(after.ratings.OPFS).toEqual({ 'Offline-first': 0.9, 'Fast startup': 0.3, 'Thermal safety': 0.4 });

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
      if (width === 390) await showPhonePane(page, 'Spec');
      await grid(page).scrollIntoViewIfNeeded();
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `spec-grid-${width}-${colorScheme}.png`) });
      if (width === 1440) {
        // No horizontal scroll in the Spec tab for five constraints.
        const overflow = await panel(page).evaluate((element) => {
          const scrollers = [element, ...element.querySelectorAll<HTMLElement>('*')].filter(
            (e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX),
          );
          return scrollers.map((e) => `${e.className}: ${e.scrollWidth} > ${e.clientWidth}`);
        });
        expect(overflow).toEqual([]);
      }
    }
  }
});
