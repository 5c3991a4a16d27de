import { afterEach, expect, test } from 'vitest';
import { baseUrl, openBrowser, screenshot, type BrowserSession } from './harness';

let session: BrowserSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

test('the drone sample run shows dominated marks, the design frontier, excluded designs and weight sensitivity; screenshots at three widths, light and dark', async () => {
  session = await openBrowser();
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/project\/[^/]+\/chat\/[^/?]+/);
  const runLink = page.locator('a[href*="/run/"]').first();
  await runLink.waitFor({ timeout: 20_000 });
  await runLink.click();
  await page.waitForURL(/\/run\/[^/]+$/);
  const facts = page.getByRole('region', { name: 'Frontier, exclusions and sensitivity' });
  await facts.waitFor({ timeout: 20_000 });
  expect(await facts.innerText()).toMatch(/left out: they pick two incompatible options/);
  expect(await facts.innerText()).toMatch(/Pareto frontier: \d+ designs? of all scored/);
  expect(await facts.innerText()).toMatch(/#1 holds (while|for any weight of)/);
  const plot = page.getByRole('group', { name: 'Performance P against resource cost R' });
  await plot.waitFor();
  // Candidates the engine did not mark dominated are ringed as frontier points.
  expect(await plot.locator('.on-frontier').count()).toBeGreaterThan(0);
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 1000 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `trade-study-results-${width}-${scheme}`);
    }
  }
}, 120_000);
