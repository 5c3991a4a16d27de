/**
 * What a user sees when stored data does not match its schema (issue #12):
 * a damaged card in a chat is an UnreadablePart beside the intact text, and a
 * file the importer refuses gets a worded, typed error. Each is shot at 1440,
 * 1024 and 390 px in light and dark.
 */
import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { fileWithEveryMetaKind } from '../support/importSeeds';
import { baseUrl, openBrowser, screenshot, showPhonePane, type BrowserSession } from './harness';
import { storeCounts } from './transferUtil';

const WIDTHS = [1440, 1024, 390] as const;
const SCHEMES = ['light', 'dark'] as const;
const CHAT_URL = /\/project\/([^/]+)\/chat\/([^/?]+)/;

let session: BrowserSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

/** Damages the meta of every runSummary message in IndexedDB, as a bad disk or a hand edit might. */
async function damageRunSummaries(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onerror = () => reject(new Error(String(request.error)));
        request.onsuccess = () => {
          const database = request.result;
          const tx = database.transaction('messages', 'readwrite');
          const store = tx.objectStore('messages');
          let damaged = 0;
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const current = cursor.result;
            if (!current) return;
            const message = current.value as { meta?: { kind?: string; summary?: unknown } | null };
            if (message.meta?.kind === 'runSummary') {
              current.update({ ...message, meta: { ...message.meta, summary: {} } });
              damaged += 1;
            }
            current.continue();
          };
          tx.oncomplete = () => {
            database.close();
            resolve(damaged);
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
  );
}

for (const scheme of SCHEMES) {
  test(`a damaged run summary shows as an unreadable part, never a crash (${scheme})`, async () => {
    session = await openBrowser({ colorScheme: scheme });
    const { page } = session;
    await page.goto(baseUrl() + '/');
    await page.getByRole('button', { name: 'Open the sample project' }).click();
    await page.waitForURL(CHAT_URL);
    expect(await damageRunSummaries(page)).toBeGreaterThan(0);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      if (width === 390) await showPhonePane(page, 'Chat');
      const part = page.locator('.unreadable-part').first();
      await part.waitFor();
      expect(await part.textContent()).toMatch(/This message’s run summary could not be shown/);
      expect(await part.getAttribute('data-meta-kind')).toBe('runSummary');
      await part.scrollIntoViewIfNeeded();
      expect(await page.locator('.error-state').count()).toBe(0);
      await screenshot(page, `unreadable-part-${width}-${scheme}`);
    }
  });

  test(`a file nested too deeply gets a typed, worded error and writes nothing (${scheme})`, async () => {
    session = await openBrowser({ colorScheme: scheme });
    const { page } = session;
    const depth = 50_000;
    const text = JSON.stringify(fileWithEveryMetaKind()).replace(
      '"kind":"run-analysis"',
      `"deep":${'['.repeat(depth)}${']'.repeat(depth)},"kind":"run-analysis"`,
    );
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(baseUrl() + '/');
      await page.getByTestId('import-file-input').waitFor({ state: 'attached' });
      const before = await storeCounts(page);
      await page
        .getByTestId('import-file-input')
        .setInputFiles({ name: 'deep.crucible.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      const dialog = page.getByRole('dialog', { name: 'The file is nested too deeply' });
      await dialog.waitFor();
      const alert = dialog.getByRole('alert');
      expect(await alert.getAttribute('data-error-code')).toBe('too-deep');
      expect(await alert.textContent()).toMatch(/more than 64 levels deep.*Nothing was imported/);
      await screenshot(page, `import-error-too-deep-${width}-${scheme}`);
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect(await storeCounts(page)).toEqual(before);
    }
  });
}
