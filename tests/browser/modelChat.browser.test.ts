import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { lastUserText, startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../support/fakeOpenAIServer';
import { baseUrl, createProjectViaUi, openBrowser, screenshot, sendChatMessage, showPhonePane, type BrowserSession } from './harness';
import { configureFakeProvider } from './modelProvider';

const API_KEY = 'sk-fake-browser-secret-4242';

let fake: FakeOpenAI;
let session: BrowserSession;

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ['fake-small', 'fake-large'] });
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  fake.setRequireKey(API_KEY);
  session = await openBrowser({ viewport: { width: 1440, height: 900 } });
});
afterEach(async () => {
  await session.close();
});

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });
const isDeltaRequest = (request: RecordedRequest) => Boolean(request.body?.response_format);
const hasToolResults = (request: RecordedRequest) =>
  ((request.body?.messages ?? []) as Array<{ role: string }>).some((message) => message.role === 'tool');
const isChatReply = (request: RecordedRequest) => !isDeltaRequest(request);

const PARAGRAPH =
  'We are choosing how a field-service notes app stores data. Technicians are often without signal for days, so it must work fully offline; hosting should stay cheap. Storage could be IndexedDB or OPFS.';

const DELTA = {
  ops: [
    { op: 'addGoal', id: 'g1', text: 'Technicians can work for days without signal' },
    { op: 'addConstraint', id: 'c1', name: 'Offline-first', description: 'works with no network for days', weight: 100 },
    { op: 'addConstraint', id: 'c2', name: 'Low hosting cost', description: '', weight: 40 },
    { op: 'addDimension', id: 'd1', name: 'Storage', description: 'where notes live on the device' },
    { op: 'addOption', dimensionId: 'd1', id: 'o1', name: 'IndexedDB', description: '', cost: 1 },
    { op: 'addOption', dimensionId: 'd1', id: 'o2', name: 'OPFS', description: '', cost: 2 },
    { op: 'setRating', optionId: 'o2', constraintId: 'c1', rating: 0.9 },
  ],
};

const REPLY =
  'Here is how I read it. **Offline-first** is a hard constraint (weight 100): technicians lose signal for days. **Low hosting cost** matters, but less (weight 40). The design space starts with one dimension, **Storage**, with IndexedDB and OPFS; OPFS serves offline work well. Still missing: ratings for IndexedDB, and what else varies (sync, conflict handling).';

function scriptSetupExchange(delayMs = 25) {
  fake.script((r) => isChatReply(r) && lastUserText(r).startsWith('We are choosing'), {
    kind: 'toolCalls',
    content: REPLY,
    calls: [{ name: 'propose_spec_change', arguments: { change: 'add the goal, two constraints and the Storage dimension' } }],
    delayMs,
  });
  fake.script(isDeltaRequest, { kind: 'json', value: DELTA, chunkSize: 40 });
}

test('a paragraph in the setup chat streams a reply and a proposed change; Apply puts it in the Spec tab; the export holds no key', async () => {
  const { page } = session;
  await configureFakeProvider(page, fake, API_KEY);
  const { projectId } = await createProjectViaUi(page, 'Field notes');
  await expect
    .poll(() => page.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder'))
    .toContain('Describe the problem in sentences');

  scriptSetupExchange(30);
  await sendChatMessage(page, PARAGRAPH);
  // While it streams: the Stop button and part of the text.
  await messages(page).getByRole('button', { name: 'Stop' }).waitFor();
  await messages(page).getByText('Here is how I read it.', { exact: false }).waitFor();
  const card = messages(page).getByRole('region', { name: 'Proposed change' });
  await card.waitFor({ timeout: 20_000 });
  await expect.poll(() => card.textContent()).toContain('+1 goal, +2 constraints, +1 dimension, +2 options, 1 rating set');
  expect(await card.textContent()).toContain('constraint added: Offline-first, weight 100 (hard)');
  expect(await messages(page).getByLabel('Model reply status').first().textContent()).toContain('tokens');

  // Nothing changed yet: the Spec tab has no constraints.
  const panel = page.getByRole('tabpanel');
  expect(await panel.getByText('Offline-first').count()).toBe(0);

  await card.getByRole('button', { name: 'Apply' }).click();
  await card.getByText('Applied to the project spec.').waitFor();
  await panel.getByText('Low hosting cost').first().waitFor();
  await panel.getByText('Offline-first').first().waitFor();
  await panel.getByText('History').first().waitFor();

  // What the app sent: the key as a bearer token, the spec as JSON in the system prompt, the delta schema.
  const [reply, delta] = fake.chatRequests();
  expect(reply!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(JSON.stringify(reply!.body!.messages)).toContain('The spec now (JSON, with ids)');
  expect(delta!.body!.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'spec_delta' } });

  // Export: no key, no provider in the file.
  await page.goto(baseUrl() + '/');
  const projectCard = page.getByTestId('project-card').filter({ has: page.locator(`a[href="/project/${projectId}"]`) });
  const [download] = await Promise.all([page.waitForEvent('download'), projectCard.getByRole('button', { name: /^Export “/ }).click()]);
  const content = readFileSync(await download.path(), 'utf8');
  expect(content).toContain('Low hosting cost');
  expect(content).not.toContain(API_KEY);
  expect(content).not.toContain(fake.url);
});

test('Stop halfway keeps the partial reply, marked stopped; a reload mid-stream keeps it, marked interrupted', async () => {
  const { page } = session;
  await configureFakeProvider(page, fake, API_KEY);
  await createProjectViaUi(page, 'Slow answers');
  const long = `${'This reply arrives slowly, a few letters at a time, so there is time to stop it. '.repeat(6)}The end.`;
  fake.script(isChatReply, { kind: 'text', text: long, chunkSize: 3, delayMs: 40 });

  await sendChatMessage(page, 'Tell me how sync conflicts are usually handled.');
  await messages(page).getByText('This reply arrives slowly', { exact: false }).first().waitFor();
  await messages(page).getByRole('button', { name: 'Stop' }).click();
  const status = messages(page).getByLabel('Model reply status').last();
  await status.getByText('Stopped').waitFor();
  const stoppedText = (await messages(page).locator('.message-agent').last().locator('.markdown, p').first().textContent()) ?? '';
  expect(stoppedText.length).toBeGreaterThan(10);
  expect(stoppedText).not.toContain('The end.');
  await expect.poll(() => fake.chatRequests().at(-1)!.aborted).toBe(true);
  // Stopped for good: after a while the text has not grown.
  await page.waitForTimeout(600);
  expect((await messages(page).locator('.message-agent').last().locator('.markdown, p').first().textContent()) ?? '').toBe(stoppedText);

  // Reload while the next reply streams: the partial text stays, marked interrupted.
  await sendChatMessage(page, 'And how do CRDTs help with that?');
  await messages(page).getByText('This reply arrives slowly', { exact: false }).nth(1).waitFor();
  await page.waitForTimeout(700);
  await page.reload();
  const interrupted = messages(page).getByLabel('Model reply status').last();
  await interrupted.getByText('Interrupted').waitFor();
  const kept = (await messages(page).locator('.message-agent').last().textContent()) ?? '';
  expect(kept).toContain('This reply arrives slowly');
  expect(kept).not.toContain('The end.');
});

const SPEC = [
  'goal: A notes app that works offline',
  'constraint: Offline-first weight 100',
  'constraint: Speed weight 50',
  'constraint: Cost weight 30',
  'dimension Storage: IndexedDB cost 2, Remote API cost 1, OPFS cost 3',
  'dimension UI: Light UI cost 1, Heavy UI cost 3',
  'rate IndexedDB: Offline-first 0.9, Speed 0.4, Cost 0.6',
  'rate Remote API: Offline-first 0.1, Speed 0.8, Cost 0.9',
  'rate OPFS: Offline-first 0.95, Speed 0.7, Cost 0.3',
  'rate Light UI: Offline-first 0.6, Speed 0.9, Cost 0.8',
  'rate Heavy UI: Offline-first 0.8, Speed 0.3, Cost 0.4',
].join('\n');

async function analysisChatWithRun(page: Page): Promise<{ label: string; I: string }> {
  await createProjectViaUi(page, 'Notes app');
  await sendChatMessage(page, SPEC);
  await messages(page).getByText('Spec update').first().waitFor();
  await page.getByRole('tab', { name: 'Runs' }).click();
  const launcher = page.getByRole('region', { name: 'Start a run' });
  await launcher.getByLabel('Candidates').fill('6');
  await launcher.getByLabel('Scenarios').fill('3');
  await launcher.getByRole('button', { name: 'Start run' }).click();
  await page.getByRole('list', { name: 'Ranked candidates' }).waitFor({ timeout: 60_000 });
  const summary = messages(page).getByRole('region', { name: /^Run summary: Run / });
  await summary.waitFor();
  // The run's best candidate and its I, as the app shows them (two decimals).
  const firstRow = summary.locator('table tbody tr').first();
  const cells = await firstRow.locator('td').allTextContents();
  await summary.getByRole('button', { name: 'Discuss in chat' }).click();
  await page.getByRole('heading', { level: 2, name: /^Analysis: Run / }).waitFor();
  // Columns: #, Candidate, I, P, R.
  const label = await firstRow
    .locator('td')
    .nth(1)
    .evaluate((cell) => cell.firstChild?.textContent?.trim() ?? '');
  const I = cells[2]!.trim();
  expect(I).toMatch(/^\d+\.\d\d$/);
  return { label, I };
}

test('an analysis chat answers a free-text question from tool results, with numbers that match the run', async () => {
  const { page } = session;
  await configureFakeProvider(page, fake, API_KEY);
  const { label, I } = await analysisChatWithRun(page);
  fake.script((r) => isChatReply(r) && !hasToolResults(r), {
    kind: 'toolCalls',
    calls: [
      { name: 'top_candidates', arguments: { count: 3 } },
      { name: 'why_candidate', arguments: { candidate: '#1' } },
    ],
  });
  fake.script(hasToolResults, {
    kind: 'text',
    text: `Pick **${label}**: it ranks #1 with I=${I}, and it meets the hard Offline-first constraint.`,
    chunkSize: 6,
    delayMs: 10,
  });

  await sendChatMessage(page, 'Which design should I pick, and why?');
  const status = messages(page).getByLabel('Model reply status').last();
  await status.getByText('Every number in this answer appears in the tool results.').waitFor({ timeout: 20_000 });
  await messages(page).getByText(`it ranks #1 with I=${I}`, { exact: false }).waitFor();
  const tools = status.locator('details.model-reply-tools');
  await tools.locator('summary').click();
  expect(await tools.textContent()).toContain('Tool results used (2)');
  expect(await tools.locator('.tool-result').first().textContent()).toContain(`I=${I}`);
  // The tool result the model got is the app's own "top 3" answer.
  const followUp = fake.chatRequests().find(hasToolResults)!;
  const toolMessage = (followUp.body!.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'tool')!;
  expect(toolMessage.content).toContain(`I=${I}`);
  expect(toolMessage.content).toContain(label);
});

test('screenshots: a setup chat streaming a reply under a proposal, and an analysis answer with its tool results', async () => {
  const { page } = session;
  await configureFakeProvider(page, fake, API_KEY);
  const { label, I } = await analysisChatWithRun(page);
  fake.script((r) => isChatReply(r) && !hasToolResults(r), {
    kind: 'toolCalls',
    calls: [{ name: 'top_candidates', arguments: { count: 3 } }],
  });
  fake.script(hasToolResults, {
    kind: 'text',
    text: `Pick **${label}**: it ranks #1 with I=${I}. It is the only one of the top three that meets every constraint in all three scenarios.`,
  });
  await sendChatMessage(page, 'Which design should I pick?');
  const status = messages(page).getByLabel('Model reply status').last();
  await status.getByText('Every number in this answer appears').waitFor({ timeout: 20_000 });
  await status.locator('details.model-reply-tools summary').click();

  const sizes = [
    { width: 1440, height: 900 },
    { width: 1024, height: 800 },
    { width: 390, height: 844 },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      if (size.width === 390) await showPhonePane(page, 'Chat');
      await status.scrollIntoViewIfNeeded();
      await screenshot(page, `model-analysis-${size.width}-${scheme}`);
    }
  }

  // A setup chat: an open proposal, then a second reply streaming slowly below it.
  await page.setViewportSize(sizes[0]!);
  await page.emulateMedia({ colorScheme: 'light' });
  await createProjectViaUi(page, 'Field notes');
  scriptSetupExchange(5);
  await sendChatMessage(page, PARAGRAPH);
  await messages(page).getByRole('region', { name: 'Proposed change' }).waitFor({ timeout: 20_000 });
  fake.script((r) => isChatReply(r) && lastUserText(r).startsWith('What about sync'), {
    kind: 'text',
    text: `Sync is the next dimension to add. ${'Options range from a plain last-write-wins server to CRDT documents that merge on any device; each trades cost against how gracefully conflicts resolve. '.repeat(8)}`,
    chunkSize: 2,
    delayMs: 120,
  });
  await sendChatMessage(page, 'What about sync between devices?');
  await messages(page).getByText('Sync is the next dimension', { exact: false }).waitFor();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      await screenshot(page, `model-setup-streaming-${size.width}-${scheme}`);
    }
  }
  await messages(page).getByRole('button', { name: 'Stop' }).click();
  await messages(page).getByLabel('Model reply status').last().getByText('Stopped').waitFor();
});
