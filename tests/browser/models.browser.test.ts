import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, openBrowser, screenshot, type BrowserSession } from './harness';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';

let fake: FakeOpenAI;
let session: BrowserSession;

beforeAll(async () => {
  fake = await startFakeOpenAI({ ollamaTags: ['llama3.2:latest'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setRequireKey(null);
});
afterEach(async () => {
  await session?.close();
});

async function openForm(page: Page, url: string) {
  await page.goto(baseUrl() + '/settings');
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByRole('form', { name: 'Add a model provider' });
  await form.getByLabel('Server').selectOption('ollama');
  await form.getByLabel('Base URL').fill(url);
  return form;
}

test('configure the fake provider in Settings → Models; Test connection passes; the choice is saved and active', async () => {
  session = await openBrowser();
  const { page } = session;
  const form = await openForm(page, fake.url);
  await form.getByLabel('Name').fill('Fake Ollama');
  await form.getByRole('button', { name: 'Test connection' }).click();
  const status = form.getByTestId('connection-status');
  await expect.poll(() => status.textContent()).toMatch(/Connected: the server lists 3 models\./);
  await form.getByRole('button', { name: 'llama3.2:latest' }).click();
  await expect.poll(() => form.getByLabel('Default model').inputValue()).toBe('llama3.2:latest');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => status.textContent()).toContain('“llama3.2:latest” is among them.');
  await form.getByRole('button', { name: 'Save provider' }).click();
  const row = page.getByTestId('provider-row');
  await expect.poll(() => row.textContent()).toMatch(/Fake Ollama.*Active.*llama3\.2:latest.*no key/);
  // The browser sent plain GETs: no preflight at all without a key, and no headers beyond the allowed ones.
  expect(fake.requests.filter((request) => request.method === 'OPTIONS')).toHaveLength(0);
  expect(fake.requests.map((request) => request.path)).toEqual(['/v1/models', '/api/tags', '/v1/models', '/api/tags']);
  await page.reload();
  await expect.poll(() => page.getByTestId('provider-row').textContent()).toMatch(/Fake Ollama.*Active/);
});

test('a refused CORS preflight shows the OLLAMA_ORIGINS fix; an unused port says nothing answered', async () => {
  session = await openBrowser();
  const { page } = session;
  fake.refuseCors(true);
  const form = await openForm(page, fake.url);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const status = form.getByTestId('connection-status');
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/answered, but refused this page \(CORS\)/);
  const origin = new URL(baseUrl()).origin;
  expect(await status.textContent()).toContain(`OLLAMA_ORIGINS=${origin}`);
  await form.getByLabel('Server').selectOption('lmstudio');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/Enable CORS.*--cors/);
  fake.refuseCors(false);
  await form.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/could not be reached: nothing answered/);
});

test('a wrong key gets the key sentence, the right key passes, and the preflight asks only for Authorization', async () => {
  session = await openBrowser();
  const { page } = session;
  fake.setRequireKey('sk-right-key');
  const form = await openForm(page, fake.url);
  await form.getByLabel('Server').selectOption('openai');
  await form.getByLabel('Base URL').fill(fake.url);
  await form.getByLabel(/API key/).fill('sk-wrong');
  await form.getByRole('button', { name: 'Test connection' }).click();
  const status = form.getByTestId('connection-status');
  await expect.poll(() => status.textContent()).toMatch(/rejected the API key \(401 Unauthorized\)\..*Paste a valid API key/);
  expect(await status.textContent()).toContain('Server said: Incorrect API key provided.');
  await form.getByLabel(/API key/).fill('sk-right-key');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => status.textContent()).toMatch(/Connected: the server lists 2 models\./);
  const preflights = fake.requests.filter((request) => request.method === 'OPTIONS');
  expect(preflights.length).toBeGreaterThan(0);
  for (const preflight of preflights) expect(preflight.headers['access-control-request-headers']).toBe('authorization');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect.poll(() => page.getByTestId('provider-row').textContent()).toMatch(/key stored plainly/);

  // Encrypt with a passphrase; after a reload the key is locked until unlocked.
  await page.getByLabel('New passphrase').fill('long enough phrase');
  await page.getByLabel('Repeat it').fill('long enough phrase');
  await page.getByRole('button', { name: 'Encrypt keys with this passphrase' }).click();
  await expect.poll(() => page.getByTestId('key-mode').textContent(), { timeout: 20_000 }).toMatch(/unlocked in this tab/);
  await expect.poll(() => page.getByTestId('provider-row').textContent()).toMatch(/key encrypted/);
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('int-crucible');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('settings').objectStore('settings').getAll();
          request.onsuccess = () => resolve(JSON.stringify(request.result));
        };
      }),
  );
  expect(stored).not.toContain('sk-right-key');
  await page.reload();
  await expect.poll(() => page.getByTestId('key-mode').textContent()).toMatch(/locked\./);
  await page.getByLabel('Passphrase', { exact: true }).fill('wrong wrong wrong');
  await page.getByRole('button', { name: 'Unlock for this tab' }).click();
  await expect
    .poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 })
    .toMatch(/not the one the keys were locked with/);
  await page.getByLabel('Passphrase', { exact: true }).fill('long enough phrase');
  await page.getByRole('button', { name: 'Unlock for this tab' }).click();
  await expect.poll(() => page.getByTestId('key-mode').textContent(), { timeout: 20_000 }).toMatch(/unlocked in this tab/);
});

test('screenshots of Settings → Models at 1440, 1024 and 390, light and dark', async () => {
  fake.setRequireKey('sk-key');
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1440, 1024, 390]) {
      session = await openBrowser({ colorScheme, viewport: { width, height: 1100 } });
      const { page } = session;
      const form = await openForm(page, fake.url);
      await form.getByLabel(/API key/).fill('sk-wrong');
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form.getByTestId('connection-status').waitFor();
      await form.getByLabel('Name').scrollIntoViewIfNeeded();
      await page.getByRole('heading', { name: 'Models' }).scrollIntoViewIfNeeded();
      await screenshot(page, `models-${width}-${colorScheme}`);
      await session.close();
    }
  }
  session = undefined as unknown as BrowserSession;
});
