/**
 * Import fuzz (issue #12): fast-check mutates the export fixtures and every
 * resulting file must either
 *   - get a typed error (a known code, worded by errorText) and leave the
 *     database exactly as it was, or
 *   - import, and then every imported chat, run and candidate renders in the
 *     real app (routes, error boundaries, live queries) with no error
 *     boundary firing, and the project exports and re-imports.
 *
 * Rendering every screen of every accepted file would take an hour, so the
 * control test renders every screen of every unmutated seed, and each fuzzed
 * file then renders the screens of every record that differs from its seed's
 * (compared without ids, which an import renews): a record equal to a seed's
 * record was already rendered by the control.
 *
 * FUZZ_RUNS sets the number of files (default 2,000; `npm run test:fuzz`
 * runs 10,000). FUZZ_SEED replays a run. Counts by outcome are printed.
 */
import { cleanup, waitFor } from '@testing-library/react';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commitImport, db, exportProject, importFile, prepareImport } from '../../src/db';
import { appLinks } from '../../src/app/links';
import { importErrorSentence } from '../../src/shared/errorText';
import { applyCase, describeCase, fuzzCaseArbitrary, type FuzzCase, type Seed } from '../support/importMutators';
import { fileWithEveryMetaKind, readFixture } from '../support/importSeeds';
import { installLayoutStubs, renderApp } from './render';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

const SEEDS: Seed[] = [
  ...[
    'export-format-v1.crucible.json',
    'export-format-v2.crucible.json',
    'export-format-v2-backup.crucible.json',
    'export-format-v3.crucible.json',
    'export-format-v4.crucible.json',
    'export-format-v5.crucible.json',
    'export-format-v6.crucible.json',
  ].map((name) => ({ name, text: readFixture(name) })),
  { name: 'every meta kind', text: JSON.stringify(fileWithEveryMetaKind()) },
];

const KNOWN_CODES = new Set([
  'not-a-project-file',
  'newer-version',
  'invalid-records',
  'too-large',
  'too-deep',
  'unreadable',
  'storage-full',
  'write-failed',
]);
/** What no screen may show: the crashes of issue #12 and zod's dump. */
const CRASH_TEXT =
  /Invalid time value|is not a function|Cannot read properties|Minified React error|Maximum call stack|\[\s*\{\s*"(origin|code|expected)"/;

const outcomes = new Map<string, number>();
const byMutation = new Map<string, { accepted: number; refused: number }>();
let screensRendered = 0;
let renderMs = 0;

function count(outcome: string, fuzz: FuzzCase) {
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const key = describeCase(fuzz);
  const entry = byMutation.get(key) ?? { accepted: 0, refused: 0 };
  if (outcome === 'accepted') entry.accepted += 1;
  else entry.refused += 1;
  byMutation.set(key, entry);
}

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of db.tables) counts[table.name] = await table.count();
  return counts;
}

/** Waits until no screen says it is loading; a screen stuck loading fails like a crash. */
async function settle(path: string): Promise<void> {
  await waitFor(
    () => {
      const text = document.body.textContent ?? '';
      if (/Loading/.test(text)) throw new Error(`still loading at ${path}`);
    },
    { timeout: 20_000, interval: 5 },
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function problemsOnScreen(path: string): string[] {
  const problems: string[] = [];
  for (const boundary of document.querySelectorAll('.error-state')) problems.push(`${path}: error boundary: ${boundary.textContent ?? ''}`);
  const text = document.body.textContent ?? '';
  const crash = CRASH_TEXT.exec(text);
  if (crash) problems.push(`${path}: shows "${crash[0]}"`);
  return problems;
}

type Row = Record<string, unknown>;
const ID_LIKE = /^(id|.*Id|.*Ids)$/;
const UUID = /\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/g;

/** A record without its ids (keys ending in Id, and id-shaped text): what stays the same across two imports of one file. */
function signature(table: string, record: unknown): string {
  return `${table}:${JSON.stringify(record, (key, value: unknown) => {
    if (ID_LIKE.test(key)) return '#';
    return typeof value === 'string' ? value.replace(UUID, '#') : value;
  })}`;
}

interface ImportedRecords {
  project: Row;
  spec: Row | undefined;
  chats: Row[];
  messages: Row[];
  runs: Row[];
  candidates: Row[];
  scenarios: Row[];
  evaluations: Row[];
}

async function recordsOf(projectId: string): Promise<ImportedRecords> {
  const of = (table: 'chatSessions' | 'messages' | 'runs' | 'candidates' | 'scenarios' | 'evaluations') =>
    db[table].where('projectId').equals(projectId).toArray() as Promise<Row[]>;
  return {
    project: (await db.projects.get(projectId)) as unknown as Row,
    spec: (await db.specs.get(projectId)) as unknown as Row | undefined,
    chats: await of('chatSessions'),
    messages: await of('messages'),
    runs: await of('runs'),
    candidates: await of('candidates'),
    scenarios: await of('scenarios'),
    evaluations: await of('evaluations'),
  };
}

/** Signatures of every record the controls imported and rendered. */
const renderedSignatures = new Set<string>();

function remember(records: ImportedRecords) {
  const { project: _project, ...rest } = records;
  void _project;
  for (const [table, list] of Object.entries(rest)) {
    for (const record of Array.isArray(list) ? list : [list]) renderedSignatures.add(signature(table, record));
  }
}

/**
 * The screens that show a project's records: the project list, each chat (with its Spec and Runs tabs), each run
 * (results and details) and each candidate. With `onlyChanged`, only the screens of records no control rendered.
 */
function screensOf(projectId: string, records: ImportedRecords, onlyChanged: boolean): string[] {
  const changed = (table: string, record: unknown) => !onlyChanged || !renderedSignatures.has(signature(table, record));
  const fallbackChat = String(records.chats[0]!.id);
  const runChat = new Map(records.runs.map((run) => [run.id, (run.chatSessionId as string | null) ?? fallbackChat]));
  const candidateRun = new Map(records.candidates.map((candidate) => [candidate.id, String(candidate.runId)]));
  const paths = new Set<string>();
  const chatScreens = (chatId: string, withRunsTab = !onlyChanged) => {
    paths.add(appLinks.chat(projectId, chatId));
    if (withRunsTab) paths.add(appLinks.chat(projectId, chatId, 'runs'));
  };
  const runScreens = (runId: string) => {
    const chatId = runChat.get(runId) ?? fallbackChat;
    paths.add(appLinks.run(projectId, chatId, runId));
    paths.add(appLinks.runDetail(projectId, chatId, runId));
  };
  const candidateScreen = (candidateId: string) => {
    const runId = candidateRun.get(candidateId);
    if (runId) paths.add(appLinks.candidate(projectId, runChat.get(runId) ?? fallbackChat, runId, candidateId));
  };
  // The project, its spec and its list entry show on every screen of it; the first chat stands for them.
  if (!onlyChanged || changed('spec', records.spec)) {
    paths.add(appLinks.home());
    chatScreens(fallbackChat);
  }
  // A changed chat also shows in its Runs tab (origin links); a changed message only in its chat.
  for (const chat of records.chats) if (changed('chats', chat)) chatScreens(String(chat.id), true);
  for (const message of records.messages) if (changed('messages', message)) chatScreens(String(message.chatSessionId));
  for (const run of records.runs) if (changed('runs', run)) runScreens(String(run.id));
  for (const scenario of records.scenarios) if (changed('scenarios', scenario)) runScreens(String(scenario.runId));
  for (const candidate of records.candidates) if (changed('candidates', candidate)) candidateScreen(String(candidate.id));
  for (const evaluation of records.evaluations) if (changed('evaluations', evaluation)) candidateScreen(String(evaluation.candidateId));
  return [...paths];
}

async function renderScreens(projectIds: string[], onlyChanged: boolean): Promise<string[]> {
  const started = performance.now();
  const problems: string[] = [];
  const errors: string[] = [];
  const original = console.error;
  // The app's error boundaries log what they caught; any Error logged while rendering counts.
  console.error = (...args: unknown[]) => {
    if (args.some((arg) => arg instanceof Error)) errors.push(args.map(String).join(' ').slice(0, 300));
  };
  try {
    for (const projectId of projectIds) {
      const records = await recordsOf(projectId);
      const paths = screensOf(projectId, records, onlyChanged);
      if (!onlyChanged) remember(records);
      if (!paths.length) continue;
      const { router } = renderApp(paths[0]!);
      for (const path of paths) {
        await router.navigate(path);
        try {
          await settle(path);
        } catch (failure) {
          problems.push(String(failure).slice(0, 300));
        }
        problems.push(...problemsOnScreen(path));
        screensRendered += 1;
      }
      cleanup();
    }
  } finally {
    console.error = original;
    renderMs += performance.now() - started;
  }
  return [...problems, ...errors];
}

beforeAll(() => {
  installLayoutStubs();
  localStorage.clear();
});

// The control, and a warm-up: every seed as it is imports and renders (the first renders also load the lazy screens).
it('every unmutated seed imports and renders', { timeout: 0 }, async () => {
  for (const seed of SEEDS) {
    await Promise.all(db.tables.map((table) => table.clear()));
    const result = await importFile(seed.text);
    expect(result.ok, seed.name).toBe(true);
    if (!result.ok) continue;
    expect(
      await renderScreens(
        result.value.map((project) => project.projectId),
        false,
      ),
    ).toEqual([]);
  }
});

afterAll(() => {
  const total = [...outcomes.values()].reduce((sum, n) => sum + n, 0);
  const lines = [...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `  ${outcome}: ${n}`);
  console.log(
    `import fuzz: ${total} files (seed ${SEED}), ${screensRendered} screens rendered in ${(renderMs / 1000).toFixed(1)} s\n${lines.join('\n')}`,
  );
});

it(`every fuzzed file gets a typed error and writes nothing, or imports and renders (${RUNS} files)`, { timeout: 0 }, async () => {
  await fc.assert(
    fc.asyncProperty(fuzzCaseArbitrary(SEEDS.length), async (fuzz) => {
      await Promise.all(db.tables.map((table) => table.clear()));
      const before = await tableCounts();
      const file = applyCase(SEEDS, fuzz);
      const source = 'text' in file ? file.text : new Blob([file.bytes]);
      const result = await prepareImport(source);
      if (!result.ok) {
        count(result.error.code, fuzz);
        expect(KNOWN_CODES).toContain(result.error.code);
        const sentence = importErrorSentence(result.error);
        expect(sentence).not.toMatch(CRASH_TEXT);
        expect(await tableCounts()).toEqual(before);
        return;
      }
      // A file the preview accepted must commit (issue #12: 55 files passed the preview and then failed to write).
      const committed = await commitImport(result.value);
      expect(committed.ok ? 'committed' : `refused at commit: ${committed.error.code}`).toBe('committed');
      if (!committed.ok) return;
      count('accepted', fuzz);
      const projectIds = committed.value.map((project) => project.projectId);
      expect(await renderScreens(projectIds, true)).toEqual([]);
      // Whatever was accepted must export and read back.
      for (const projectId of projectIds) {
        const again = await prepareImport((await exportProject(projectId)).blob);
        expect(again.ok ? 'ok' : importErrorSentence(again.error)).toBe('ok');
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});
