import { afterEach, beforeEach, expect, test } from 'vitest';
import { baseUrl, openBrowser, screenshot, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser();
});
afterEach(async () => {
  await session.close();
});

test('the built app serves the project list in Chromium', async () => {
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  // The list fills in once IndexedDB answers; wait for it rather than racing it.
  await page.getByText('No projects yet').waitFor();
  expect(await page.getByRole('button', { name: 'Create project' }).isEnabled()).toBe(true);
  await screenshot(page, 'home-empty');
});

test('an unknown project id shows a not-found page with a way back', async () => {
  const { page } = session;
  await page.goto(baseUrl() + '/project/does-not-exist/chat/nope');
  await page.getByRole('heading', { name: 'Not found' }).waitFor();
  await page.getByRole('link', { name: 'Back to your projects' }).click();
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
});
