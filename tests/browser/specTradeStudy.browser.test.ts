import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { baseUrl, openBrowser, SCREENSHOT_DIR, type BrowserSession } from './harness';

let session: BrowserSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

const WIDTHS = [1440, 1024, 390] as const;

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the sample's Spec tab shows the trade-study fields (${colorScheme})`, async () => {
    session = await openBrowser({ colorScheme, viewport: { width: 1440, height: 1000 } });
    const { page } = session;
    await page.goto(baseUrl() + '/');
    await page.getByRole('button', { name: 'Open the sample project' }).click();
    await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
    const panel = page.getByRole('complementary', { name: 'Project panel' });
    await panel.getByRole('heading', { name: /Attributes/ }).waitFor();

    // What a newcomer should see: a hard weakest-link constraint, a computed one, attributes with units, incompatible pairs.
    const range = panel.locator('li', { has: page.getByRole('textbox', { name: 'Weight of Flight range', exact: true }) });
    expect(await range.textContent()).toContain('Computed: energy_wh * capacity * 0.8 / ((mass + 13) * 1.8) ≥ 30 km (margin 5 km)');
    const thermal = panel.locator('li', { has: page.getByRole('textbox', { name: 'Weight of Thermal safety', exact: true }) });
    expect(await thermal.textContent()).toContain('weakest link (hard)');
    expect(await panel.getByRole('combobox', { name: 'Cost (R) comes from' }).inputValue()).not.toBe('');
    expect(await panel.getByTestId('excluded-designs').textContent()).toMatch(/^excludes \d+ of 108 designs$/);
    await panel.getByRole('gridcell', { name: 'Pack energy of LiPo: 1400' }).waitFor();

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
      // On a phone the chat URL shows the chat; the switcher's Spec tab shows the panel.
      if (width === 390) await page.getByRole('tab', { name: 'Spec' }).click();
      await page.locator('.spec-panel').waitFor();
      // The panel scrolls on its own; take the viewport at each trade-study section.
      for (const [part, heading] of [
        ['constraints', /^Constraints/],
        ['attributes', /^Attributes/],
        ['values', /^Attribute values/],
        ['incompatible', /^Incompatible options/],
      ] as const) {
        await panel.getByRole('heading', { name: heading }).scrollIntoViewIfNeeded();
        await panel.getByRole('heading', { name: heading }).evaluate((element) => element.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `spec-trade-study-${width}-${colorScheme}-${part}.png`) });
      }
    }
    // Open the formula editor once, to look at it too.
    await page.setViewportSize({ width: 1440, height: 1000 });
    await range.getByRole('button', { name: 'Edit formula' }).click();
    await range.screenshot({ path: path.join(SCREENSHOT_DIR, `spec-trade-study-formula-${colorScheme}.png`) });
  });
}
