import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createProjectViaUi, openBrowser, screenshot, showPhonePane, type BrowserSession } from './harness';

/**
 * The Spec tab of P9's large design space (5,000 goals, 50 dimensions × 10 options × 20 constraints) at the three
 * widths, light and dark: a screenshot to look at, only a window of rows in the DOM, the grid's size announced, and
 * no serious or critical axe violation.
 */
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const SHAPE = { dimensions: 50, options: 10, constraints: 20, goals: 5000 };

let session: BrowserSession;
let specUrl = '';

/** Writes the large spec with the raw IndexedDB API into the schema the app created (as bench/spec-scale.mjs does). */
async function seedLargeSpec(page: Page, projectId: string): Promise<void> {
  await page.evaluate(
    async ({ shape, projectId }) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(String(request.error)));
      });
      const stored = await new Promise<Record<string, unknown>>((resolve) => {
        const request = database.transaction('specs').objectStore('specs').get(projectId);
        request.onsuccess = () => resolve(request.result as Record<string, unknown>);
      });
      const constraints = Array.from({ length: shape.constraints }, (_, c) => ({
        id: `big-c${c}`,
        name: `Constraint ${c + 1}`,
        description: `What constraint ${c + 1} asks for`,
        weight: c === 0 ? 100 : 10 + ((c * 7) % 80),
        combine: 'mean',
        quantity: null,
      }));
      const dimensions = Array.from({ length: shape.dimensions }, (_, d) => ({
        id: `big-d${d}`,
        name: `Dimension ${d + 1}`,
        description: '',
        options: Array.from({ length: shape.options }, (_, o) => ({
          id: `big-d${d}-o${o}`,
          name: `Option ${d + 1}.${o + 1}`,
          description: o % 3 ? '' : 'cheap, heavy; safe',
          cost: 1 + (o % 4),
          ratings: Object.fromEntries(constraints.map((c, ci) => [c.id, ((d * 31 + o * 17 + ci * 7) % 11) / 10])),
          attributes: {},
        })),
      }));
      const goals = Array.from({ length: shape.goals }, (_, g) => ({
        id: `big-g${g}`,
        text: `Goal number ${g + 1}: the design keeps working`,
      }));
      const transaction = database.transaction('specs', 'readwrite');
      transaction.objectStore('specs').put({
        ...stored,
        goals,
        constraints,
        designSpace: { dimensions, attributes: [], incompatibilities: [], costAttributeId: null },
        updatedAt: Date.now(),
      });
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(new Error(String(transaction.error)));
      });
      database.close();
    },
    { shape: SHAPE, projectId },
  );
}

beforeAll(async () => {
  session = await openBrowser();
  const { page } = session;
  const { projectId, chatId } = await createProjectViaUi(page, 'Large design space');
  await seedLargeSpec(page, projectId);
  specUrl = new URL(`/project/${projectId}/chat/${chatId}?tab=spec`, page.url()).toString();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describe.each(SCHEMES)('%s', (scheme) => {
  test.each(WIDTHS)(
    'the large Spec tab at $width px renders a window of rows, announces the grid size and has no serious axe violation',
    async (size) => {
      const { page } = session;
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await page.goto(specUrl);
      if (size.width <= 520) await showPhonePane(page, 'Spec');
      const goals = page.getByRole('region', { name: 'Goals, 5,000' });
      await goals.getByRole('textbox', { name: 'Goal 1', exact: true }).waitFor();
      const grid = page.getByRole('grid', { name: 'Ratings' });
      await grid.getByRole('gridcell').first().waitFor();
      await page.waitForTimeout(300);
      await screenshot(page, `spec-large-${size.width}-${scheme}`);
      await grid.scrollIntoViewIfNeeded();
      await screenshot(page, `spec-large-ratings-${size.width}-${scheme}`);

      expect(await goals.locator('.goal-item').count()).toBeLessThan(100);
      expect(await grid.getAttribute('aria-rowcount')).toBe(String(SHAPE.dimensions * SHAPE.options + 1));
      expect(await grid.getByRole('gridcell').count()).toBeLessThan(100 * SHAPE.constraints);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
    },
  );
});
