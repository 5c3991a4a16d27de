/**
 * A new deployment on the same origin must show "Update available — reload"
 * and must not take over until the user chooses to reload. The test serves
 * the built app, then swaps in a changed build (a different index.html, with
 * the service worker's precache revision to match, exactly as a rebuild
 * changes it) on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from './harness';
import { waitForServiceWorkerControl } from './transferUtil';

const root = path.resolve(import.meta.dirname, '../..');
const builtApp = process.env.PWA_TEST_DIST ?? path.join(root, 'dist');
const port = Number(process.env.PWA_UPDATE_TEST_PORT ?? 4763);
const origin = `http://127.0.0.1:${port}`;

let dirA = '';
let dirB = '';
beforeAll(() => {
  dirA = mkdtempSync(path.join(os.tmpdir(), 'crucible-build-a-'));
  dirB = mkdtempSync(path.join(os.tmpdir(), 'crucible-build-b-'));
  cpSync(builtApp, dirA, { recursive: true });
  cpSync(builtApp, dirB, { recursive: true });
  const indexB = readFileSync(path.join(dirB, 'index.html'), 'utf8').replace(
    '<head>',
    '<head>\n    <meta name="crucible-build" content="B" />',
  );
  writeFileSync(path.join(dirB, 'index.html'), indexB);
  const revision = createHash('md5').update(indexB).digest('hex');
  const sw = readFileSync(path.join(dirB, 'sw.js'), 'utf8');
  const updated = sw.replace(/\{url:"index\.html",revision:"[0-9a-f]+"\}/, `{url:"index.html",revision:"${revision}"}`);
  if (updated === sw) throw new Error('Could not find the precache entry for index.html in sw.js');
  writeFileSync(path.join(dirB, 'sw.js'), updated);
});
afterAll(() => {
  rmSync(dirA, { recursive: true, force: true });
  rmSync(dirB, { recursive: true, force: true });
});

let server: ChildProcess | null = null;
async function serve(dir: string): Promise<void> {
  const child = spawn(
    path.join(root, 'node_modules/.bin/vite'),
    ['preview', '--strictPort', '--port', String(port), '--host', '127.0.0.1', '--outDir', dir],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  server = child;
  const expectedWorker = readFileSync(path.join(dir, 'sw.js'), 'utf8');
  for (let attempt = 0; attempt < 150; attempt++) {
    // strictPort makes our server exit if something else holds the port; never test against someone else's server.
    if (child.exitCode !== null) throw new Error(`vite preview could not start on port ${port} (is it in use? set PWA_UPDATE_TEST_PORT)`);
    try {
      const response = await fetch(`${origin}/sw.js`);
      if (response.ok && (await response.text()) === expectedWorker) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not serve ${dir} on ${origin}`);
}
async function stopServer(): Promise<void> {
  const running = server;
  server = null;
  if (!running || running.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    running.once('exit', () => resolve());
    running.kill();
  });
}

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser();
});
afterEach(async () => {
  await session.close();
  await stopServer();
});

test('a new build shows "Update available — reload" and only takes over when the user reloads', async () => {
  const { page } = session;
  await serve(dirA);
  await page.goto(origin + '/');
  await waitForServiceWorkerControl(page);
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  expect(await page.getByText('Update available').count(), 'no prompt on the first install').toBe(0);

  // The user is in the middle of something.
  await page.getByLabel('Title').first().fill('Half-typed project title');

  await stopServer();
  await serve(dirB);
  // What the hourly / on-focus check does.
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  await page.getByText('Update available — reload').waitFor({ timeout: 30_000 });
  await screenshot(page, 'transfer-update-prompt');

  // Nothing swapped under the user: same document, same draft, old build still in charge.
  expect(await page.getByLabel('Title').first().inputValue()).toBe('Half-typed project title');
  expect(await page.locator('meta[name="crucible-build"]').count()).toBe(0);

  // "Later" hides it; a plain reload still runs the old version and asks again.
  await page.getByRole('button', { name: 'Later' }).click();
  await page.getByText('Update available').waitFor({ state: 'detached' });
  await page.reload();
  await page.getByText('Update available — reload').waitFor({ timeout: 30_000 });
  expect(await page.locator('meta[name="crucible-build"]').count()).toBe(0);

  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(() => document.querySelector('meta[name="crucible-build"]')?.getAttribute('content') === 'B', null, {
    timeout: 30_000,
  });
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  expect(await page.getByText('Update available').count(), 'no prompt once the new version runs').toBe(0);
});
