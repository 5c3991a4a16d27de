import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, sendChatMessage, type BrowserSession } from './harness';
import { always, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';

let fake: FakeOpenAI;
let session: BrowserSession;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(async () => {
  await session?.close();
});

async function addProvider(page: Page) {
  await page.goto(baseUrl() + '/settings');
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByRole('form', { name: 'Add a model provider' });
  await form.getByLabel('Server').selectOption('custom');
  await form.getByLabel('Name').fill('Fake');
  await form.getByLabel('Base URL').fill(fake.url);
  await form.getByLabel('Default model').fill('fake-small');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await page.getByTestId('provider-row').waitFor();
}

function panel(page: Page) {
  return page.getByRole('complementary', { name: 'Project panel' });
}

test('Suggest ratings: the model fills missing cells with rationales, the user accepts some, one agent delta applies them', async () => {
  session = await openBrowser({ viewport: { width: 1600, height: 1000 } });
  const { page } = session;
  const { projectId } = await createProjectViaUi(page, 'Storage study');
  await sendChatMessage(
    page,
    [
      'constraint: Offline-first weight 100',
      'constraint: Low cost weight 40',
      'dimension Storage: IndexedDB cost 1, OPFS cost 2',
      'dimension Sync: CRDT cost 3, Last-write-wins cost 1',
      'rate OPFS: Offline-first 0.9, Low cost 0.8',
      'rate CRDT Offline-first 0.95',
    ].join('\n'),
  );
  await page.getByRole('log', { name: 'Messages' }).locator('.spec-update-card').waitFor();
  const workspace = page.url();
  await addProvider(page);

  // The first answer breaks the rules (a rating of 1.5): the errors go back once, the second answer fits.
  fake.script(always, {
    kind: 'json',
    value: {
      suggestions: [
        { cell: 'r1', value: 0.8, rationale: 'IndexedDB is available offline in every browser.' },
        { cell: 'r2', value: 0.5, rationale: 'Last-write-wins works offline but can drop concurrent edits.' },
        { cell: 'r3', value: 0.9, rationale: 'Built into the browser, nothing to host.' },
      ],
    },
  });
  fake.script(always, { kind: 'json', value: { suggestions: [{ cell: 'r3', value: 1.5, rationale: 'free' }] } }, { times: 1 });

  await page.goto(workspace);
  await page.getByRole('tab', { name: 'Spec' }).click();
  const assistant = panel(page).getByRole('region', { name: 'Rating assistant' });
  await expect.poll(() => assistant.textContent()).toContain('3 ratings missing.');
  await assistant.getByRole('button', { name: 'Suggest ratings' }).click();
  const items = assistant.getByTestId('suggestion');
  await expect.poll(() => items.count()).toBe(3);
  expect(await items.nth(0).textContent()).toMatch(/Storage \/ IndexedDB × Offline-first.*0\.8.*available offline/);
  const requests = fake.chatRequests();
  expect(requests).toHaveLength(2);
  const prompt = JSON.stringify(requests[0]!.body!.messages);
  expect(prompt).toContain('r2: how well does \\"Sync / Last-write-wins\\" serve \\"Offline-first\\"?');
  expect(JSON.stringify(requests[1]!.body!.messages)).toContain('Cell r3 is a rating, so it must be between 0 and 1 (got 1.5).');
  expect((requests[0]!.body!.response_format as { type: string }).type).toBe('json_schema');

  await items.nth(0).getByRole('button', { name: 'Accept' }).click();
  await items.nth(1).getByRole('button', { name: 'Reject' }).click();
  await items.nth(2).getByRole('button', { name: 'Accept' }).click();
  await screenshot(page, 'assist-proposal-1600-light');
  await assistant.getByRole('button', { name: 'Apply 2 accepted' }).click();

  await panel(page).getByRole('gridcell', { name: 'Rating of IndexedDB on Offline-first: 0.8' }).waitFor();
  await panel(page).getByRole('gridcell', { name: 'Rating of IndexedDB on Low cost: 0.9' }).waitFor();
  await panel(page).getByRole('gridcell', { name: 'Rating of Last-write-wins on Offline-first: not rated' }).waitFor();
  await expect.poll(() => assistant.textContent()).toContain('1 rating missing.');

  const provenance = await page.evaluate(
    (id) =>
      new Promise<Array<{ actor: string; summary: string; changes: string[] }>>((resolve, reject) => {
        const open = indexedDB.open('int-crucible');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('specs').objectStore('specs').get(id);
          request.onsuccess = () => resolve(request.result.provenance);
        };
      }),
    projectId,
  );
  // The notation message was one entry (the offline Architect's); the accepted suggestions are ONE more, by the agent.
  expect(provenance).toHaveLength(2);
  expect(provenance[1]!.actor).toBe('agent');
  expect(provenance[1]!.changes).toHaveLength(2);
});

test('with no provider the assistant says how to connect one; a failing model shows the sentence', async () => {
  session = await openBrowser({ viewport: { width: 1440, height: 900 } });
  const { page } = session;
  await createProjectViaUi(page, 'No model');
  await sendChatMessage(page, 'constraint: Speed weight 50\ndimension Engine: Small cost 1, Big cost 2');
  await page.getByRole('log', { name: 'Messages' }).locator('.spec-update-card').waitFor();
  const workspace = page.url();
  await page.getByRole('tab', { name: 'Spec' }).click();
  const assistant = panel(page).getByRole('region', { name: 'Rating assistant' });
  await expect.poll(() => assistant.textContent()).toContain('Connect a model in Settings → Models');
  await addProvider(page);
  fake.script(always, { kind: 'error', status: 404, message: 'model "fake-small" not found' });
  await page.goto(workspace);
  await page.getByRole('tab', { name: 'Spec' }).click();
  await assistant.getByRole('button', { name: 'Suggest ratings' }).click();
  await expect.poll(() => assistant.getByRole('alert').textContent()).toMatch(/no such model or path \(404 Not Found\)/);
});
