import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';

let session: BrowserSession;
beforeEach(async () => {
  session = await openBrowser({ viewport: { width: 1500, height: 1000 } });
});
afterEach(async () => {
  await session.close();
});

const CONSTRAINTS = ['Offline-first', 'Speed', 'Cost', 'Privacy', 'Simplicity', 'Battery'];
const AREAS = [
  'Storage',
  'Sync',
  'UI framework',
  'State',
  'Auth',
  'Routing',
  'Styling',
  'Testing',
  'Bundler',
  'Search',
  'Crypto',
  'Images',
  'Cache',
  'Notifications',
  'Analytics',
  'Errors',
  'Locales',
  'Charts',
  'Export',
  'Backup',
];

/**
 * One setup-chat message in the Architect's notation: 6 constraints ('Offline-first' hard),
 * 20 dimensions × 6 options, every option rated. Large enough (6^20 designs, heuristic search)
 * that a 50 × 50 run takes seconds, so it can be cancelled and interrupted mid-way.
 */
function specMessage(): string {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines = ['goal: A field notes app that works without signal'];
  CONSTRAINTS.forEach((name, i) => lines.push(`constraint: ${name} weight ${i === 0 ? 'hard' : 30 + i * 10}`));
  for (const area of AREAS) {
    const options = ['A', 'B', 'C', 'D', 'E', 'F'].map((letter) => `${area} ${letter} cost ${1 + Math.floor(next() * 9)}`);
    lines.push(`dimension ${area}: ${options.join(', ')}`);
  }
  for (const area of AREAS) {
    for (const letter of ['A', 'B', 'C', 'D', 'E', 'F']) {
      const ratings = CONSTRAINTS.map((name) => `${name} ${(0.3 + next() * 0.7).toFixed(2)}`);
      lines.push(`rate ${area} ${letter}: ${ratings.join(', ')}`);
    }
  }
  return lines.join('\n');
}

function panel(page: Page) {
  return page.getByRole('complementary', { name: 'Project panel' });
}

async function openRunsTab(page: Page) {
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('heading', { name: 'Start a run' }).waitFor();
  return page.getByRole('region', { name: 'Start a run' });
}

/**
 * Notes, inside the page, whether a run's progress bar was in the page before its ranked results. A `waitFor` on the bar
 * from the test polls, and a 10 × 8 run once ended between two polls on CI's loaded machine; a MutationObserver
 * installed before the run is started sees every change to the page.
 */
async function watchProgressBeforeResults(page: Page) {
  await page.evaluate(() => {
    const sightings = { progressSeen: false, resultsBeforeProgress: false };
    (window as unknown as { runProgressSightings: typeof sightings }).runProgressSightings = sightings;
    const look = () => {
      if (document.querySelector('[role="progressbar"][aria-label="Run progress"]')) sightings.progressSeen = true;
      else if (!sightings.progressSeen && document.querySelector('[aria-label="Ranked candidates"]'))
        sightings.resultsBeforeProgress = true;
      if (sightings.progressSeen) observer.disconnect();
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  return () =>
    page.evaluate(
      () => (window as unknown as { runProgressSightings: { progressSeen: boolean; resultsBeforeProgress: boolean } }).runProgressSightings,
    );
}

async function startRun(page: Page, counts: { candidates: number; scenarios: number }) {
  const launcher = await openRunsTab(page);
  await launcher.getByLabel('Candidates').fill(String(counts.candidates));
  await launcher.getByLabel('Scenarios').fill(String(counts.scenarios));
  const before = page.url();
  await launcher.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL((url) => url.href !== before && /\/run\/[^/]+$/.test(url.pathname));
  return /\/run\/([^/?]+)/.exec(page.url())![1]!;
}

/**
 * Runs `action` inside the page the moment a run's progress bar and Cancel button are on screen. A 50 × 50 run here ends
 * about 1.3 s after its progress bar shows; a Playwright click or reload (a round trip to the page, and the click's
 * actionability checks) has landed after that on CI's loaded machine, and then there was no run left to cancel or
 * interrupt.
 */
async function whileRunInProgress(page: Page, action: 'cancel' | 'reload') {
  await page.evaluate(
    (action) =>
      new Promise<void>((resolve) => {
        const act = () => {
          const cancel = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel run');
          if (!cancel || !document.querySelector('[role="progressbar"][aria-label="Run progress"]')) return false;
          observer.disconnect();
          if (action === 'cancel') cancel.click();
          else window.location.reload();
          resolve();
          return true;
        };
        const observer = new MutationObserver(act);
        if (!act()) observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      }),
    action,
  );
}

test('runs: preflight, progress, ranked results and plot, candidate detail, cancel, interrupted with re-run', async () => {
  const { page } = session;
  await createProjectViaUi(page, 'Field notes app', 'Pick an architecture');

  // Preflight blocks an empty spec and says why.
  const launcher = await openRunsTab(page);
  expect(await launcher.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);
  await launcher.getByText('Add at least one constraint').waitFor();

  // 1. Build the spec in the setup chat.
  await sendChatMessage(page, specMessage());
  await page.getByRole('status', { name: 'Why the run cannot start' }).waitFor({ state: 'detached', timeout: 15_000 });

  // 2. Start a run: ranked results and the plot. (A 10 × 8 run can end before its page first renders, so progress is
  // asserted on the 50 × 50 runs below.)
  const firstRunId = await startRun(page, { candidates: 10, scenarios: 8 });
  const ranked = page.getByRole('list', { name: 'Ranked candidates' });
  await ranked.waitFor({ timeout: 60_000 });
  const rows = ranked.getByRole('listitem');
  expect(await rows.count()).toBe(10);
  expect(await rows.first().innerText()).toMatch(/#1[\s\S]*Ranked #1 with I=\d+\.\d\d/);
  expect(await page.locator('.run-status').first().innerText()).toBe('Completed');
  await page.getByText('Scenarios (8)').waitFor();
  const plot = page.getByRole('group', { name: 'Performance P against resource cost R' });
  await plot.waitFor();
  expect(await plot.locator('a.scatter-point').count()).toBe(10);
  expect(await plot.locator('.scatter-iso line').count()).toBeGreaterThan(0);
  expect(await plot.locator('.on-frontier').count()).toBeGreaterThan(0);
  // #1 is drawn last, so it stays reachable even when another candidate has the same P and R.
  await plot.locator('a.scatter-point[aria-label^="#1 "]').hover();
  await page.getByRole('tooltip').getByText('Click to open').waitFor();
  await screenshot(page, 'run-results-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'run-results-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The points are one Tab stop (entered at #1); arrow keys walk them by rank, Home and End jump.
  expect(await plot.locator('a.scatter-point[tabindex="0"]').count()).toBe(1);
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  await plot.locator('a.scatter-point[tabindex="0"]').focus();
  expect(await focusedLabel()).toMatch(/^#1 .*P \d\.\d\d, R \d\.\d\d, I \d\.\d\d/);
  await page.keyboard.press('ArrowRight');
  expect(await focusedLabel()).toMatch(/^#2 /);
  await page.keyboard.press('End');
  expect(await focusedLabel()).toMatch(/^#10 /);
  await page.keyboard.press('ArrowLeft');
  expect(await focusedLabel()).toMatch(/^#9 /);
  await page.keyboard.press('Home');
  expect(await focusedLabel()).toMatch(/^#1 /);
  expect(await plot.locator('a.scatter-point[tabindex="0"]').count()).toBe(1);

  // Open a candidate from the plot.
  const topPoint = plot.locator('a.scatter-point', { has: page.locator('text.point-rank', { hasText: /^1$/ }) });
  await topPoint.click();
  await page.waitForURL(/\/candidate\//);
  await page.getByRole('heading', { level: 3, name: /^#1 / }).waitFor();
  await page.getByRole('heading', { name: 'Why this rank?' }).waitFor();
  const perScenario = page.locator('.evaluations-table tbody tr');
  expect(await perScenario.count()).toBe(8);
  expect(await page.getByRole('meter').count()).toBe(CONSTRAINTS.length);
  await screenshot(page, 'run-candidate-light');
  await page.getByRole('heading', { name: 'Constraint satisfaction' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'run-candidate-bars-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'run-candidate-bars-dark');
  await page.getByRole('heading', { name: 'Evaluations per scenario' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'run-candidate-scenarios-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A seeded run from this candidate: its results link back to the parent.
  const parentHeading = await page.getByRole('heading', { level: 3, name: /^#1 / }).innerText();
  await page.getByRole('link', { name: 'start a seeded run from it' }).click();
  const seededLauncher = page.getByRole('region', { name: 'Start a run' });
  await seededLauncher.waitFor();
  expect(await seededLauncher.getByLabel('Seeded').isChecked()).toBe(true);
  expect(await seededLauncher.getByLabel('Seed candidate').inputValue()).not.toBe('');
  await screenshot(page, 'run-launcher-seeded-light');
  // Evaluate-only offers earlier candidates and hand composition; with none picked it cannot start.
  await seededLauncher.getByLabel('Evaluate only').check();
  await seededLauncher.getByText('Eval-only mode needs at least one candidate to evaluate.').waitFor();
  expect(await seededLauncher.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);
  await seededLauncher.getByRole('checkbox').first().check();
  expect(await seededLauncher.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(false);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'run-launcher-eval-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await seededLauncher.getByLabel('Seeded').check();
  await seededLauncher.getByLabel('Candidates').fill('5');
  await seededLauncher.getByLabel('Scenarios').fill('3');
  await seededLauncher.getByRole('button', { name: 'Start run' }).click();
  const seededRanked = page.getByRole('list', { name: 'Ranked candidates' });
  await seededRanked.waitFor({ timeout: 60_000 });
  expect(await seededRanked.getByRole('listitem').count()).toBe(5);
  await seededRanked.getByRole('link').first().click();
  await page.getByRole('heading', { name: 'Lineage' }).waitFor();
  expect(await page.getByRole('list', { name: 'Provenance' }).innerText()).toMatch(/: [^:]+ [A-F] → [^;]+ [A-F]/);
  await page.getByRole('link', { name: new RegExp(`^${parentHeading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(run `) }).click();
  await page.getByRole('heading', { level: 3, name: parentHeading }).waitFor();

  // 3. Cancel a second run: it ends cancelled, with no results.
  const secondRunId = await startRun(page, { candidates: 50, scenarios: 50 });
  expect(secondRunId).not.toBe(firstRunId);
  await whileRunInProgress(page, 'cancel');
  await panel(page).getByText('Cancelled. No results were kept.').waitFor({ timeout: 20_000 });
  expect(await page.getByRole('list', { name: 'Ranked candidates' }).count()).toBe(0);
  expect(await page.locator('.run-status').first().innerText()).toBe('Cancelled');

  // 4. Reload during a third run: it shows as interrupted, with a one-click re-run.
  const thirdRunId = await startRun(page, { candidates: 50, scenarios: 50 });
  const reloaded = page.waitForEvent('load');
  await whileRunInProgress(page, 'reload').catch(() => {
    // The page navigated away inside the evaluate, which then reports its context as destroyed.
  });
  await reloaded;
  await panel(page).getByText('Interrupted: the tab was closed or reloaded').waitFor({ timeout: 20_000 });
  expect(await page.locator('.run-status').first().innerText()).toBe('Interrupted');
  expect(page.url()).toContain(thirdRunId);
  await screenshot(page, 'run-interrupted-light');
  // The re-run shows its progress first, then its ranked results.
  const progressSightings = await watchProgressBeforeResults(page);
  await page.getByRole('button', { name: 'Re-run' }).click();
  await page.waitForURL((url) => /\/run\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(thirdRunId));
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 90_000 });
  expect(await progressSightings()).toEqual({ progressSeen: true, resultsBeforeProgress: false });
  expect(await page.getByRole('list', { name: 'Ranked candidates' }).getByRole('listitem').count()).toBe(50);
}, 180_000);
