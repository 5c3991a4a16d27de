/**
 * The import worker's handler, run without a Worker: it must give exactly what
 * the in-page import gives (the same preview, the same typed errors, the same
 * records to write), and send long record lists in slices.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendMessages, db, exportProject, prepareImport, writeImportRecords, listChats } from '../../src/db';
import { freshImportRecords, prepareImportText, summariseImport, type ImportRecords, type PreparedImportSummary } from '../../src/domain';
import { createImportWorkerHandler, ROWS_PER_SLICE } from '../../src/features/transfer/importWorkerHandler';
import type { FromImportWorker } from '../../src/features/transfer/importWorkerProtocol';
import type { ImportFailure } from '../../src/shared/errorText';
import { buildRichProject, clearDatabase } from './transferTestData';

const FIXTURES = join(__dirname, '..', 'fixtures');
const FIXTURE_FILES = readdirSync(FIXTURES).filter((name) => name.endsWith('.crucible.json'));
const NOW = 1_700_000_000_000;

/** Ids from a counter, so two runs of the same steps give the same records. */
function countingIds(prefix: string) {
  let next = 0;
  return () => `${prefix}-${String(next++).padStart(6, '0')}`;
}

function workerSession() {
  const sent: FromImportWorker[] = [];
  const handle = createImportWorkerHandler((message) => sent.push(message), countingIds('worker'));
  return { sent, handle };
}

function onlyOne<T extends FromImportWorker['type']>(sent: FromImportWorker[], type: T): Extract<FromImportWorker, { type: T }> {
  const found = sent.filter((message): message is Extract<FromImportWorker, { type: T }> => message.type === type);
  expect(found, `one "${type}" message`).toHaveLength(1);
  return found[0]!;
}

/** Reassembles the records the worker sent in slices, as the page does. */
function assembledRecords(sent: FromImportWorker[]): ImportRecords[] {
  const projects: Record<string, unknown>[] = [];
  for (const message of sent) {
    if (message.type === 'project') projects[message.index] = { ...message.head };
    if (message.type === 'rows') {
      const project = projects[message.index]!;
      project[message.table] = [...((project[message.table] as unknown[] | undefined) ?? []), ...message.rows];
    }
  }
  return projects.map(
    (project) =>
      ({ chats: [], messages: [], runs: [], candidates: [], scenarios: [], evaluations: [], ...project }) as unknown as ImportRecords,
  );
}

beforeEach(clearDatabase);

describe('import worker handler', () => {
  it.each(FIXTURE_FILES)('%s: the same preview and the same records as the in-page import', async (name) => {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const inPage = await prepareImport(text);
    if (!inPage.ok) throw new Error(`fixture ${name} must import: ${inPage.error.code}`);

    const { sent, handle } = workerSession();
    await handle({ type: 'prepare', file: new Blob([text]), now: NOW });
    const prepared = onlyOne(sent, 'prepared');
    expect(prepared.summary).toEqual<PreparedImportSummary>(summariseImport(inPage.value));
    expect(sent.some((message) => message.type === 'failed')).toBe(false);
    // The preview crosses without the records: they stay in the worker until the user confirms.
    expect(JSON.stringify(prepared.summary).length).toBeLessThan(text.length);

    sent.length = 0;
    await handle({ type: 'records', now: NOW + 1 });
    expect(sent.at(-1)).toEqual({ type: 'records-done' });
    // The same steps on the page with the same id counter (the dry run takes ids first, as in the worker).
    const ids = countingIds('worker');
    const again = prepareImportText(text, new Blob([text]).size, { newId: ids, now: NOW });
    if (!again.ok) throw new Error('the fixture must prepare on the page');
    const expected = freshImportRecords(again.value, ids, NOW + 1);
    if (!expected.ok) throw new Error('the in-page records must be writable');
    expect(assembledRecords(sent)).toEqual(expected.value);
  });

  it('long record lists cross in slices of at most ROWS_PER_SLICE rows, and what crosses writes a whole project', async () => {
    const rich = await buildRichProject();
    const chat = (await listChats(rich.projectId))[0]!;
    const extra = Math.round(ROWS_PER_SLICE * 2.5);
    await appendMessages(
      chat.id,
      Array.from({ length: extra }, (_, index) => ({ role: 'user' as const, content: `Message ${index}` })),
    );
    const exported = await exportProject(rich.projectId, { now: NOW });
    const messageCount = exported.file.scope === 'project' ? exported.file.data.messages.length : 0;
    expect(messageCount).toBeGreaterThan(extra);

    const { sent, handle } = workerSession();
    await handle({ type: 'prepare', file: exported.blob, now: NOW });
    onlyOne(sent, 'prepared');
    sent.length = 0;
    await handle({ type: 'records', now: NOW + 1 });
    const messageSlices = sent.filter((message) => message.type === 'rows' && message.table === 'messages');
    expect(messageSlices.length).toBe(Math.ceil(messageCount / ROWS_PER_SLICE));
    for (const slice of sent) if (slice.type === 'rows') expect(slice.rows.length).toBeLessThanOrEqual(ROWS_PER_SLICE);

    const written = await writeImportRecords(assembledRecords(sent));
    if (!written.ok) throw new Error(`the records must write: ${written.error.code}`);
    const imported = written.value[0]!;
    expect(imported.projectId).not.toBe(rich.projectId);
    expect(await listChats(imported.projectId)).toHaveLength((await listChats(rich.projectId)).length);
    expect(await db.messages.where('projectId').equals(imported.projectId).count()).toBe(messageCount);
  });

  const badFiles: [string, BlobPart][] = [
    ['not JSON', '{"format": "int-crucible-project", '],
    ['not an object', '[1, 2, 3]'],
    ['another format', JSON.stringify({ format: 'something-else', formatVersion: 1 })],
    ['a newer version', JSON.stringify({ format: 'int-crucible-project', formatVersion: 999, schemaVersion: 999, scope: 'project' })],
    ['binary', new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81])],
    ['nested too deeply', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ];

  it.each(badFiles)('%s: the same typed error as the in-page import', async (_label, content) => {
    const file = new Blob([content]);
    const inPage = await prepareImport(file);
    expect(inPage.ok).toBe(false);
    const { sent, handle } = workerSession();
    await handle({ type: 'prepare', file, now: NOW });
    expect(sent.some((message) => message.type === 'prepared')).toBe(false);
    expect(onlyOne(sent, 'failed').error).toEqual(inPage.ok ? null : inPage.error);
  });

  it('a file with an invalid record: the same invalid-records error, listing the same problems', async () => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, 'export-format-v6.crucible.json'), 'utf8')) as {
      data: { chats: { title: unknown }[] };
    };
    fixture.data.chats[0]!.title = 42;
    const file = new Blob([JSON.stringify(fixture)]);
    const inPage = await prepareImport(file);
    if (inPage.ok) throw new Error('a chat titled 42 must be refused');
    expect(inPage.error.code).toBe('invalid-records');
    const { sent, handle } = workerSession();
    await handle({ type: 'prepare', file, now: NOW });
    expect(onlyOne(sent, 'failed').error).toEqual(inPage.error);
  });

  it('records asked for before any file was prepared: an unexpected failure with a sentence, not a crash', async () => {
    const { sent, handle } = workerSession();
    await handle({ type: 'records', now: NOW });
    const failure: ImportFailure = onlyOne(sent, 'failed').error;
    expect(failure).toEqual({ code: 'unexpected', detail: 'The import worker holds no prepared file.' });
  });

  it('a file that cannot be read: unreadable, as on the page', async () => {
    const broken = new Blob(['x']);
    broken.text = () => Promise.reject(new Error('The file was moved.'));
    const { sent, handle } = workerSession();
    await handle({ type: 'prepare', file: broken, now: NOW });
    expect(onlyOne(sent, 'failed').error).toEqual({ code: 'unreadable', detail: 'The file was moved.' });
  });
});
