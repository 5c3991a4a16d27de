import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../support/fakeOpenAIServer';
import { createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';
import { configureFakeProvider } from './modelProvider';

let fake: FakeOpenAI;
let session: BrowserSession;

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ['fake-small', 'fake-large'] });
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  session = await openBrowser({ viewport: { width: 1440, height: 900 } });
});
afterEach(async () => {
  await session.close();
});

const SPEC = [
  'constraint: Offline-first weight 100',
  'constraint: Speed weight 50',
  'dimension Storage: IndexedDB cost 2, Remote API cost 1',
  'dimension UI: Light UI cost 1, Heavy UI cost 3',
  'rate IndexedDB: Offline-first 0.9, Speed 0.4',
  'rate Remote API: Offline-first 0.1, Speed 0.8',
  'rate Light UI: Offline-first 0.6, Speed 0.9',
  'rate Heavy UI: Offline-first 0.8, Speed 0.3',
].join('\n');

const SCENARIOS = {
  scenarios: [
    {
      name: 'A week without signal',
      description: 'Technicians stay offline for days, so offline work weighs more and the remote API is nearly useless.',
      type: 'stress_test',
      likelihood: 1.5,
      weightChanges: [{ constraint: 'Offline-first', multiplier: 1.5 }],
      ratingShifts: [{ option: 'Storage/Remote API', constraint: 'Offline-first', shift: -0.1 }],
      attributeScales: [],
    },
  ],
};

const isScenarioRequest = (request: RecordedRequest) => JSON.stringify(request.body ?? {}).includes('scenarios');

async function openLauncher(page: Page) {
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('heading', { name: 'Start a run' }).waitFor();
  return page.getByRole('region', { name: 'Start a run' });
}

async function projectWithSpec(page: Page) {
  await configureFakeProvider(page, fake, null);
  await createProjectViaUi(page, 'Model scenarios');
  await sendChatMessage(page, SPEC);
  const launcher = await openLauncher(page);
  await page.getByRole('status', { name: 'Why the run cannot start' }).waitFor({ state: 'detached', timeout: 15_000 });
  return launcher;
}

test('a run with scenarios from the model runs on them and says so in its details', async () => {
  const { page } = session;
  fake.script(isScenarioRequest, { kind: 'json', value: SCENARIOS });
  const launcher = await projectWithSpec(page);
  await launcher.getByLabel('Scenario source').selectOption({ label: 'Fake server (fake-small)' });
  await launcher.getByText('The model proposes up to 8 named, causal scenarios').waitFor();
  await launcher.getByLabel('Scenarios', { exact: true }).fill('4');
  for (const width of [1440, 1024, 390]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await launcher.getByLabel('Scenario source').scrollIntoViewIfNeeded();
      await screenshot(page, `run-launcher-model-scenarios-${width}-${scheme}`);
      // The run panel fits its column at every width: no sideways scroll.
      expect(await launcher.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });

  const before = page.url();
  await launcher.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL((url) => url.href !== before && /\/run\/[^/]+$/.test(url.pathname), { timeout: 30_000 });
  await expect.poll(() => page.locator('.run-status').first().innerText(), { timeout: 30_000 }).toBe('Completed');
  const asked = fake.chatRequests().filter(isScenarioRequest);
  expect(asked).toHaveLength(1);
  // 4 scenarios in the run: the baseline plus 3 asked of the model.
  expect(JSON.stringify(asked[0]!.body)).toContain('Propose 3 scenarios.');

  await page.getByRole('link', { name: 'Run details' }).first().click();
  await expect
    .poll(() => page.getByTestId('run-stages').innerText(), { timeout: 15_000 })
    .toBe('scenarios from Fake server (fake-small); the rest built-in');
  await screenshot(page, 'run-details-model-stages');
});

test('when the model cannot make scenarios, the panel says why in a sentence and no run starts', async () => {
  const { page } = session;
  fake.script(isScenarioRequest, {
    kind: 'error',
    status: 404,
    message: 'model "fake-small" not found, try pulling it first',
    code: 'model_not_found',
  });
  const launcher = await projectWithSpec(page);
  await launcher.getByLabel('Scenario source').selectOption({ label: 'Fake server (fake-small)' });
  const before = page.url();
  await launcher.getByRole('button', { name: 'Start run' }).click();
  const alert = launcher.getByRole('alert');
  await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toMatch(/^Fake server could not make scenarios, so no run was started: /);
  expect(await alert.innerText()).not.toMatch(/[{}[\]]/);
  expect(page.url()).toBe(before);
  expect(await launcher.getByRole('button', { name: 'Start run' }).isEnabled()).toBe(true);
  await page.getByRole('tab', { name: 'Results' }).click();
  await page
    .getByText(/No runs/i)
    .first()
    .waitFor();
});
