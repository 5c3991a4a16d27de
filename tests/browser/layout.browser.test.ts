import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseUrl, brokenTableWords, openBrowser, screenshot, type BrowserSession } from './harness';

/**
 * Every workspace screen at the three widths the issue names, light and dark:
 * a screenshot to look at, no horizontal scroll inside the panels, and no
 * serious or critical axe violation; in the run tables no word or number is
 * wrapped letter by letter or cut off.
 */
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

interface Screen {
  name: string;
  url: string;
  /** Something that is on screen once the screen has loaded (at every width). */
  ready: (page: Page) => Promise<void>;
}

let session: BrowserSession;
const screens: Screen[] = [];

beforeAll(async () => {
  session = await openBrowser();
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await page.waitForURL(/\/chat\//);
  await page.getByRole('heading', { level: 2, name: 'Setup' }).waitFor();
  const workspace = page.url();
  const ready = (text: string | RegExp) => async (p: Page) => {
    await p.locator('.panel-body, .narrow-pane').getByText(text).first().waitFor();
  };
  screens.push({ name: 'workspace', url: workspace, ready: (p) => p.getByRole('textbox', { name: 'Message' }).waitFor() });
  screens.push({ name: 'spec', url: `${workspace}?tab=spec`, ready: ready('Constraints') });
  screens.push({ name: 'runs', url: `${workspace}?tab=runs`, ready: ready('Project map') });

  // The analysis chat about the first run opens on that run's results.
  await page.getByRole('navigation', { name: 'Chats' }).locator('.chat-row-link', { hasText: 'Why' }).first().click();
  await page.getByRole('tab', { name: 'Results', selected: true }).waitFor();
  screens.push({ name: 'results', url: page.url(), ready: ready(/Ranked candidates|Candidates/) });

  await page.getByRole('tab', { name: 'Runs' }).click();
  const compareWith = page.getByLabel('Compare with').first();
  await compareWith.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Compare', exact: true }).first().click();
  await page.waitForURL(/\/compare(\/|\?)/);
  screens.push({ name: 'compare', url: page.url(), ready: ready(/Compare|Run A|vs/) });

  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('link', { name: 'Project map' }).click();
  await page.waitForURL(/\/map/);
  screens.push({ name: 'map', url: page.url(), ready: ready(/map/i) });
}, 120_000);

afterAll(async () => {
  await session?.close();
});

/** Panels whose content must fit their width: the chat list, the chat, the panel body, and every scroller inside them. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panels = Array.from(
      document.querySelectorAll<HTMLElement>('.workspace, .workspace-left, .workspace-centre, .panel-body, .narrow-pane, .message-scroll'),
    );
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)
      problems.push(`the page itself ${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth}`);
    for (const panel of panels) {
      if (panel.getClientRects().length === 0) continue;
      if (panel.scrollWidth > panel.clientWidth + 1) problems.push(`${panel.className}: ${panel.scrollWidth} > ${panel.clientWidth}`);
    }
    return problems;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const SCREEN_NAMES = ['workspace', 'spec', 'runs', 'results', 'compare', 'map'] as const;

describe.each(SCHEMES)('%s', (scheme) => {
  describe.each(WIDTHS)('$width px', (size) => {
    test.each(SCREEN_NAMES)(
      '%s fits without horizontal scroll in its panels and has no serious or critical axe violation',
      async (name) => {
        const { page } = session;
        const screen = screens.find((candidate) => candidate.name === name)!;
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize(size);
        await page.goto(screen.url);
        await screen.ready(page);
        // Let late layout (lazy Markdown, measured lists) settle before measuring.
        await page.waitForTimeout(300);
        await screenshot(page, `layout-${name}-${size.width}-${scheme}`);
        const problems = [
          ...(await horizontalOverflow(page)).map((overflow) => `horizontal scroll in ${overflow}`),
          ...(await brokenTableWords(page)).map((word) => `run table: ${word}`),
          ...(await seriousViolations(page)),
        ];
        expect(problems).toEqual([]);
      },
    );
  });
});
