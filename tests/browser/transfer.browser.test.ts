import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { newId, prepareImportText } from '../../src/domain';
import { IMPORT_ERROR_TITLES, importErrorSentence } from '../../src/shared/errorText';
import { baseUrl, openBrowser, screenshot, type BrowserSession } from './harness';
import { canonicalExport, readStore, storeCounts, waitForServiceWorkerControl } from './transferUtil';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser();
});
afterEach(async () => {
  await session.close();
});

const CHAT_URL = /\/project\/([^/]+)\/chat\/([^/?]+)/;

async function openSample(page: Page): Promise<{ projectId: string; chatId: string }> {
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(CHAT_URL);
  const match = CHAT_URL.exec(page.url())!;
  return { projectId: decodeURIComponent(match[1]!), chatId: decodeURIComponent(match[2]!) };
}

function projectCard(page: Page, projectId: string) {
  return page.getByTestId('project-card').filter({ has: page.locator(`a[href="/project/${projectId}"]`) });
}

async function exportViaUi(page: Page, projectId: string): Promise<{ name: string; content: string }> {
  await page.goto(baseUrl() + '/');
  const card = projectCard(page, projectId);
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /^Export “/ }).click()]);
  return { name: download.suggestedFilename(), content: readFileSync(await download.path(), 'utf8') };
}

test('the manifest, icons and service worker are in place, and the worker controls the page', async () => {
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await waitForServiceWorkerControl(page);
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBeTruthy();
  const manifest = await page.evaluate(async (href) => (await fetch(href)).json(), manifestHref!);
  expect(manifest).toMatchObject({
    name: 'Int Crucible',
    short_name: 'Crucible',
    display: 'standalone',
    start_url: '/',
    theme_color: '#1f2a44',
    file_handlers: [{ action: '/', accept: { 'application/json': ['.crucible.json'] } }],
  });
  const icons = manifest.icons as { src: string; sizes: string; purpose: string }[];
  expect(icons.map((icon) => `${icon.sizes}/${icon.purpose}`).sort()).toEqual(['192x192/any', '512x512/any', '512x512/maskable']);
  for (const icon of icons) {
    const size = await page.evaluate(async (src) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob());
      return `${bitmap.width}x${bitmap.height}`;
    }, icon.src);
    expect(size).toBe(icon.sizes);
  }
  // Everything the shell needs is precached, so nothing has to come from the network (or a CDN).
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys())
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    return urls;
  });
  const scripts = await page.evaluate(() =>
    [...document.querySelectorAll('script[src], link[rel="stylesheet"]')].map(
      (el) => new URL((el as HTMLScriptElement).src || (el as HTMLLinkElement).href).pathname,
    ),
  );
  for (const asset of [...scripts, '/index.html', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png'])
    expect(cached).toContain(asset);
  const external = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => !name.startsWith(location.origin)),
  );
  expect(external).toEqual([]);
});

test('offline, a reload on a chat deep link and a run deep link still shows its data', async () => {
  const { page, context } = session;
  await page.goto(baseUrl() + '/');
  await waitForServiceWorkerControl(page);
  const { projectId, chatId } = await openSample(page);
  const chatUrl = page.url();
  await page.getByRole('log', { name: 'Messages' }).getByText('6 candidates, 5 scenarios').first().waitFor();
  const runs = await readStore<{ id: string; chatSessionId: string }>(page, 'runs');
  const run = runs.find((r) => r.chatSessionId === chatId)!;

  await context.setOffline(true);
  try {
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
    await page.getByRole('log', { name: 'Messages' }).getByText('6 candidates, 5 scenarios').first().waitFor();
    expect(page.url()).toBe(chatUrl);

    const runUrl = `${baseUrl()}/project/${projectId}/chat/${chatId}/run/${run.id}`;
    await page.goto(runUrl);
    await page.locator('.project-title', { hasText: 'Sample: battery for a 5 kg' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
    await screenshot(page, 'transfer-offline-run-deep-link');

    await page.goto(baseUrl() + '/');
    await page.getByRole('link', { name: /Sample: battery for a 5 kg/ }).waitFor();
  } finally {
    await context.setOffline(false);
  }
});

test('the sample project opens with its chats and completed runs', async () => {
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).waitFor();
  await screenshot(page, 'transfer-project-list-empty');
  await openSample(page);
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  const log = page.getByRole('log', { name: 'Messages' });
  await log
    .getByText(/completed \(full search\): 6 candidates, 5 scenarios/)
    .first()
    .waitFor();
  const switcher = page.getByRole('navigation', { name: 'Chats' });
  await expect.poll(() => switcher.locator('.chat-row-title').count()).toBe(3);
  await expect.poll(() => switcher.locator('.mode-badge.mode-analysis').count()).toBe(1);
  await expect.poll(() => switcher.locator('.mode-badge.mode-whatif').count()).toBe(1);
  const runs = await readStore<{ status: string }>(page, 'runs');
  expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  await screenshot(page, 'transfer-sample-project');
});

test('export through the UI, then import through the UI, gives an equal project', async () => {
  const { page } = session;
  const { projectId } = await openSample(page);
  const first = await exportViaUi(page, projectId);
  expect(first.name).toBe('Sample battery for a 5 kg delivery drone.crucible.json');
  await page.getByRole('complementary', { name: 'Backup reminder' }).waitFor({ state: 'detached' });

  await page
    .getByTestId('import-file-input')
    .setInputFiles({ name: first.name, mimeType: 'application/json', buffer: Buffer.from(first.content) });
  const dialog = page.getByRole('dialog', { name: 'Import “Sample: battery for a 5 kg delivery drone”?' });
  await dialog.waitFor();
  expect(await dialog.getByTestId('import-count-runs').textContent()).toBe('3');
  expect(await dialog.getByTestId('import-count-chats').textContent()).toBe('3');
  await screenshot(page, 'transfer-import-preview');
  await dialog.getByRole('button', { name: 'Import project' }).click();
  await page.waitForURL(CHAT_URL);
  const importedId = decodeURIComponent(CHAT_URL.exec(page.url())![1]!);
  expect(importedId).not.toBe(projectId);

  const second = await exportViaUi(page, importedId);
  expect(canonicalExport(second.content)).toEqual(canonicalExport(first.content));
  expect(await page.getByTestId('project-card').count()).toBe(2);
});

test('with a save picker (File System Access), the export streams into the picked file, equal to the downloaded one; closing the picker exports nothing', async () => {
  const { page } = session;
  const { projectId } = await openSample(page);
  const downloaded = await exportViaUi(page, projectId);

  // A stand-in for the browser's picker (headless Chromium cannot show one): it records the name asked for and the bytes written.
  await page.evaluate(() => {
    const state = { suggestedName: '', chunks: [] as Uint8Array[], closed: false, cancelNext: false };
    (window as unknown as { pickerState: typeof state }).pickerState = state;
    (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = (options: { suggestedName: string }) => {
      if (state.cancelNext) {
        state.cancelNext = false;
        return Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
      }
      state.suggestedName = options.suggestedName;
      return Promise.resolve({
        createWritable: () =>
          Promise.resolve(
            new WritableStream<Uint8Array>({
              write(chunk) {
                state.chunks.push(chunk.slice());
              },
              close() {
                state.closed = true;
              },
            }),
          ),
      });
    };
  });
  const card = projectCard(page, projectId);
  await card.getByRole('button', { name: /^Export “/ }).click();
  const picked = () =>
    page.evaluate(async () => {
      const state = (window as unknown as { pickerState: { suggestedName: string; chunks: Uint8Array[]; closed: boolean } }).pickerState;
      return { name: state.suggestedName, closed: state.closed, text: await new Blob(state.chunks as BlobPart[]).text() };
    });
  await expect.poll(async () => (await picked()).closed).toBe(true);
  const written = await picked();
  expect(written.name).toBe('Sample battery for a 5 kg delivery drone.crucible.json');
  expect(canonicalExport(written.text)).toEqual(canonicalExport(downloaded.content));
  expect(await card.getByRole('alert').count()).toBe(0);

  // Closing the picker is not an error and starts no export.
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  await page.evaluate(() => {
    (window as unknown as { pickerState: { cancelNext: boolean } }).pickerState.cancelNext = true;
  });
  await card.getByRole('button', { name: /^Export “/ }).click();
  await page.waitForTimeout(500);
  expect(downloads).toBe(0);
  expect(await card.getByRole('alert').count()).toBe(0);
  expect(await card.getByRole('button', { name: /^Export “/ }).isEnabled()).toBe(true);
});

test('a malformed file shows its error and writes nothing', async () => {
  const { page } = session;
  await openSample(page);
  await page.goto(baseUrl() + '/');
  const before = await storeCounts(page);
  await page.getByTestId('import-file-input').setInputFiles({
    name: 'notes.crucible.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "int-crucible/project", "data": ['),
  });
  const dialog = page.getByRole('dialog', { name: 'Not an Int Crucible project file' });
  await dialog.waitFor();
  expect(await dialog.getByRole('alert').textContent()).toMatch(/not valid JSON.*Nothing was imported/);
  await screenshot(page, 'transfer-import-error');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await storeCounts(page)).toEqual(before);
});

test('the import worker refuses bad files with the typed errors and sentences of the in-page import', async () => {
  const { page } = session;
  const workerUrls: string[] = [];
  page.on('worker', (worker) => workerUrls.push(worker.url()));
  await page.goto(baseUrl() + '/');
  // The home page renders once the app has opened (and created) its database; only then are its stores read.
  await page.getByRole('button', { name: 'Create project' }).waitFor();
  const fixture = JSON.parse(readFileSync('tests/fixtures/export-format-v6.crucible.json', 'utf8')) as {
    data: { chats: { title: unknown }[] };
  };
  fixture.data.chats[0]!.title = 42;
  // Not JSON is the malformed-file test's: its sentence quotes the JSON parser, whose words differ between Node and Chromium.
  const files: [string, Buffer][] = [
    ['newer', Buffer.from(JSON.stringify({ format: 'int-crucible-project', formatVersion: 999, schemaVersion: 999, scope: 'project' }))],
    ['invalid record', Buffer.from(JSON.stringify(fixture))],
    ['too deep', Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
  ];
  const before = await storeCounts(page);
  for (const [label, buffer] of files) {
    const expected = prepareImportText(buffer.toString('utf8'), buffer.length, { newId, now: Date.now() });
    if (expected.ok) throw new Error(`${label}: the in-page import must refuse this file`);
    await page.getByTestId('import-file-input').setInputFiles({ name: `${label}.crucible.json`, mimeType: 'application/json', buffer });
    const dialog = page.getByRole('dialog', { name: IMPORT_ERROR_TITLES[expected.error.code] });
    await dialog.waitFor();
    const alert = dialog.getByRole('alert');
    expect(await alert.getAttribute('data-error-code'), label).toBe(expected.error.code);
    expect(await alert.locator('p').first().textContent(), label).toBe(importErrorSentence(expected.error));
    await dialog.getByRole('button', { name: 'Close' }).click();
  }
  expect(await storeCounts(page)).toEqual(before);
  // Each file was read in an import worker, not on the page.
  expect(workerUrls.filter((url) => url.includes('importPreparation.worker'))).toHaveLength(files.length);
});

test('Cancel while a large file is read ends its import worker, and no preview opens later', async () => {
  const { page } = session;
  const workers: { url: string; closed: boolean }[] = [];
  page.on('worker', (worker) => {
    const entry = { url: worker.url(), closed: false };
    workers.push(entry);
    worker.on('close', () => (entry.closed = true));
  });
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Create project' }).waitFor();
  // A file of 40,000 messages (about 20 MB): reading it takes the worker long enough to cancel half-way.
  const file = JSON.parse(readFileSync('tests/fixtures/export-format-v2.crucible.json', 'utf8')) as {
    data: { messages: Record<string, unknown>[] };
  };
  const template = file.data.messages[0]!;
  for (let i = 0; i < 40_000; i++)
    file.data.messages.push({ ...template, id: randomUUID(), createdAt: (template.createdAt as number) + i + 1 });
  const before = await storeCounts(page);
  await page
    .getByTestId('import-file-input')
    .setInputFiles({ name: 'large.crucible.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const reading = page.getByRole('dialog', { name: 'Reading “large.crucible.json”' });
  await reading.waitFor();
  await reading.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  const importWorkers = workers.filter((worker) => worker.url.includes('importPreparation.worker'));
  expect(importWorkers).toHaveLength(1);
  await expect.poll(() => importWorkers[0]!.closed, { timeout: 5000 }).toBe(true);
  // Long enough for the whole file to have been read had it gone on.
  await page.waitForTimeout(3000);
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(await storeCounts(page)).toEqual(before);
});

test('settings show persistent storage and usage against the quota', async () => {
  const { page } = session;
  await openSample(page);
  await page.goto(baseUrl() + '/settings');
  await page.getByRole('heading', { name: 'Storage on this device' }).waitFor();
  await page
    .getByTestId('storage-usage')
    .getByText(/ of .* available/)
    .waitFor();
  expect(await page.getByTestId('persistent-status').textContent()).toMatch(/Granted|Not granted/);
  await screenshot(page, 'transfer-settings');
});

test('a .crucible.json opened from the operating system (launchQueue) shows the import preview', async () => {
  const { page } = session;
  const file = readFileSync(new URL('../fixtures/export-format-v1.crucible.json', import.meta.url), 'utf8');
  // Chromium only fills launchQueue for an installed app launched with a file; stand in for the OS launch.
  await page.addInitScript((content) => {
    // Like the real queue: a launch waits until the app sets its consumer, however late that is.
    const launch = { files: [{ getFile: async () => new File([content], 'orders.crucible.json', { type: 'application/json' }) }] };
    const setConsumer = (consumer: (params: unknown) => void) => consumer(launch);
    const native = (window as unknown as { launchQueue?: object }).launchQueue;
    // Chromium exposes launchQueue natively; replace setConsumer on its prototype.
    if (native) Object.defineProperty(Object.getPrototypeOf(native), 'setConsumer', { value: setConsumer, configurable: true });
    else Object.defineProperty(window, 'launchQueue', { value: { setConsumer } });
  }, file);
  await page.goto(baseUrl() + '/');
  const dialog = page.getByRole('dialog', { name: 'Import “Message queue for order events”?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Import project' }).click();
  await page.waitForURL(CHAT_URL);
  await page.getByRole('log', { name: 'Messages' }).getByText('Why is Kafka last?').waitFor();
});
