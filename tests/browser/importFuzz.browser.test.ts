/**
 * A sample of the import fuzz (tests/component/importFuzz.test.tsx) through
 * the real UI in Chromium: each file goes through the file picker; a refused
 * file must show a worded error and write nothing; an accepted one is
 * imported and every screen of it is opened (each chat with its Spec, Runs
 * and Results tabs, each run's results and details, each candidate), failing
 * on an error boundary, crash text or an uncaught page error.
 * BROWSER_FUZZ_FILES (default 30) and BROWSER_FUZZ_SEED replay other samples.
 */
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyCase, describeCase, fuzzCaseArbitrary, type Seed } from '../support/importMutators';
import { fileWithEveryMetaKind, readFixture } from '../support/importSeeds';
import { baseUrl, openBrowser, type BrowserSession } from './harness';
import { readStore, storeCounts } from './transferUtil';

const FILES = Number(process.env.BROWSER_FUZZ_FILES ?? 30);
const SEED = Number(process.env.BROWSER_FUZZ_SEED ?? 20261202);

const SEEDS: Seed[] = [
  ...[
    'export-format-v1.crucible.json',
    'export-format-v3.crucible.json',
    'export-format-v5.crucible.json',
    'export-format-v6.crucible.json',
  ].map((name) => ({ name, text: readFixture(name) })),
  { name: 'every meta kind', text: JSON.stringify(fileWithEveryMetaKind()) },
];
const CASES = fc.sample(fuzzCaseArbitrary(SEEDS.length), { numRuns: FILES, seed: SEED });
const CRASH_TEXT =
  /Invalid time value|is not a function|Cannot read properties|Minified React error|Maximum call stack|\[\s*\{\s*"(origin|code|expected)"/;
const ERROR_TITLES =
  /Not an Int Crucible project file|Made by a newer version|invalid records|too large|nested too deeply|could not be read|Not enough storage|could not be saved|Import failed/;

const outcomes = new Map<string, number>();
let session: BrowserSession;
let screensOpened = 0;

beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  console.log(
    `browser import fuzz: ${CASES.length} files (seed ${SEED}), ${screensOpened} screens opened\n${[...outcomes]
      .map(([outcome, n]) => `  ${outcome}: ${n}`)
      .join('\n')}`,
  );
  await session.close();
});

type Row = Record<string, unknown>;

/** Client-side navigation (the router listens to popstate), so each screen does not reload the app. */
async function open(page: Page, path: string): Promise<string[]> {
  await page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForFunction(() => !/Loading/.test(document.body.innerText), null, { timeout: 20_000 });
  screensOpened += 1;
  const problems: string[] = [];
  for (const text of await page.locator('.error-state').allInnerTexts()) problems.push(`${path}: error boundary: ${text}`);
  const crash = CRASH_TEXT.exec(await page.locator('body').innerText());
  if (crash) problems.push(`${path}: shows "${crash[0]}"`);
  return problems;
}

async function everyScreen(page: Page, projectId: string): Promise<string[]> {
  const chats = (await readStore<Row>(page, 'chatSessions')).filter((chat) => chat.projectId === projectId);
  const runs = (await readStore<Row>(page, 'runs')).filter((run) => run.projectId === projectId);
  const candidates = (await readStore<Row>(page, 'candidates')).filter((candidate) => candidate.projectId === projectId);
  const base = (chatId: unknown) => `/project/${projectId}/chat/${String(chatId)}`;
  const fallback = chats[0]!.id;
  const chatOf = new Map(runs.map((run) => [run.id, run.chatSessionId ?? fallback]));
  const paths = [
    '/',
    ...chats.flatMap((chat) => ['spec', 'runs', 'results'].map((tab) => `${base(chat.id)}?tab=${tab}`)),
    ...runs.flatMap((run) => [
      `${base(chatOf.get(run.id))}/run/${String(run.id)}`,
      `${base(chatOf.get(run.id))}/run/${String(run.id)}/details`,
    ]),
    ...candidates.map(
      (candidate) => `${base(chatOf.get(candidate.runId) ?? fallback)}/run/${String(candidate.runId)}/candidate/${String(candidate.id)}`,
    ),
  ];
  const problems: string[] = [];
  for (const path of paths) problems.push(...(await open(page, path)));
  return problems;
}

test.each(CASES.map((fuzz, index) => [index, fuzz] as const))('fuzzed file %i', async (index, fuzz) => {
  const { page } = session;
  await page.goto(baseUrl() + '/');
  await page.getByTestId('import-file-input').waitFor({ state: 'attached' });
  const before = await storeCounts(page);
  const projectsBefore = new Set((await readStore<Row>(page, 'projects')).map((project) => project.id));
  const file = applyCase(SEEDS, fuzz);
  const buffer = 'text' in file ? Buffer.from(file.text) : Buffer.from(file.bytes);
  await page.getByTestId('import-file-input').setInputFiles({ name: `fuzz-${index}.crucible.json`, mimeType: 'application/json', buffer });
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // The file is read and checked in a worker: "Reading …" comes first, then the preview or the error.
  const settled = dialog.getByRole('heading', { name: /^(?!Reading )/ }).first();
  await settled.waitFor();
  const title = (await settled.textContent()) ?? '';
  if (ERROR_TITLES.test(title)) {
    outcomes.set('refused', (outcomes.get('refused') ?? 0) + 1);
    const alert = (await dialog.getByRole('alert').textContent()) ?? '';
    expect(alert, describeCase(fuzz)).not.toMatch(CRASH_TEXT);
    expect(alert.length).toBeGreaterThan(10);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await storeCounts(page)).toEqual(before);
    return;
  }
  outcomes.set('accepted', (outcomes.get('accepted') ?? 0) + 1);
  expect(title, describeCase(fuzz)).toMatch(/^Import /);
  await dialog.getByRole('button', { name: /^Import (project|\d+ projects)$/ }).click();
  // One project opens itself; a backup ends in a "Imported N projects" list with Done.
  await page.waitForFunction(
    () => /\/project\/[^/]+\/chat\//.test(location.pathname) || /Imported \d+ projects/.test(document.body.innerText),
    null,
    {
      timeout: 30_000,
    },
  );
  const done = page.getByRole('button', { name: 'Done' });
  if (await done.isVisible()) await done.click();
  const imported = (await readStore<Row>(page, 'projects')).filter((project) => !projectsBefore.has(project.id));
  expect(imported.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const project of imported) problems.push(...(await everyScreen(page, String(project.id))));
  expect(problems, describeCase(fuzz)).toEqual([]);
});
