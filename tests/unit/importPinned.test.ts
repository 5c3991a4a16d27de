/**
 * Pinned: each file that an earlier importer accepted and the app then failed
 * to render (issue #12), and each that crashed the importer, must now get a
 * typed error and write nothing. A control import of the unbroken file keeps
 * every case honest.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { db, importFile } from '../../src/db';
import { JSON_LIMITS, type ImportErrorCode } from '../../src/domain';
import { clearDatabase } from './transferTestData';
import { fileWithEveryMetaKind as baseFile } from '../support/importSeeds';

type Json = Record<string, unknown>;

const messages = (file: Json) => (file.data as { messages: Json[] }).messages;
const metaOf = (file: Json, kind: string) => messages(file).find((m) => (m.meta as Json | null)?.kind === kind)!.meta as Json;

beforeEach(clearDatabase);

async function expectRefused(text: string, code: ImportErrorCode) {
  const result = await importFile(text);
  expect(result.ok).toBe(false);
  if (result.ok) return result;
  expect(result.error.code).toBe(code);
  expect(await db.projects.count()).toBe(0);
  expect(await db.messages.count()).toBe(0);
  return result;
}

describe('files that used to be accepted and then broke a screen', () => {
  it('control: the file with every meta kind imports', async () => {
    const result = await importFile(JSON.stringify(baseFile()));
    expect(result.ok).toBe(true);
  });

  it('a createdAt beyond the Date range ("Invalid time value")', async () => {
    const file = baseFile();
    (file.data as { chats: Json[] }).chats[0]!.createdAt = 8.64e15 + 1;
    const result = await expectRefused(JSON.stringify(file), 'invalid-records');
    expect(!result.ok && result.error.code === 'invalid-records' && result.error.problems[0]).toMatchObject({
      record: 'chats[0]',
      field: 'createdAt',
      message: 'Must be a date a browser can show (at most the year 275760).',
    });
  });

  it('every timestamp field is bounded the same way', async () => {
    for (const [list, field] of [
      ['messages', 'createdAt'],
      ['runs', 'completedAt'],
      ['chats', 'lastMessageAt'],
    ] as const) {
      const file = baseFile();
      ((file.data as Record<string, Json[]>)[list]![0] as Json)[field] = 1e300;
      await expectRefused(JSON.stringify(file), 'invalid-records');
    }
  });

  it('a runSummary meta with an empty summary ("reading \'candidates\'")', async () => {
    const file = baseFile();
    metaOf(file, 'runSummary').summary = {};
    await expectRefused(JSON.stringify(file), 'invalid-records');
  });

  it('a summary whose top list holds null ("reading \'status\'")', async () => {
    const file = baseFile();
    ((metaOf(file, 'runSummary').summary as Json).top as unknown[]).push(null);
    await expectRefused(JSON.stringify(file), 'invalid-records');
  });

  it('findings.lines that is not a list ("lines.map is not a function")', async () => {
    const file = baseFile();
    ((metaOf(file, 'runSummary').summary as Json).findings as Json).lines = 'one line';
    await expectRefused(JSON.stringify(file), 'invalid-records');
  });

  it('a specDelta whose details hold an object (React error #31)', async () => {
    const file = baseFile();
    metaOf(file, 'specDelta').details = [{ text: 'an object' }];
    await expectRefused(JSON.stringify(file), 'invalid-records');
  });

  it('a whatIfPreview row that is null ("reading \'name\'")', async () => {
    const file = baseFile();
    (metaOf(file, 'whatIfPreview').rows as unknown[])[0] = null;
    await expectRefused(JSON.stringify(file), 'invalid-records');
    const other = baseFile();
    (metaOf(other, 'whatIfPreview').changes as unknown[])[0] = null;
    await expectRefused(JSON.stringify(other), 'invalid-records');
  });

  it('names the record and field of a broken meta in a sentence', async () => {
    const file = baseFile();
    ((metaOf(file, 'runSummary').summary as Json).findings as Json).lines = 'one line';
    const result = await expectRefused(JSON.stringify(file), 'invalid-records');
    const problem = !result.ok && result.error.code === 'invalid-records' ? result.error.problems[0]! : null;
    expect(problem?.field).toBe('meta.summary.findings.lines');
    expect(problem?.message).toBe('runSummary: "summary.findings.lines" must be a list.');
  });
});

describe('files that used to crash the importer', () => {
  it('deeply nested meta gets a typed too-deep error, never a stack overflow', async () => {
    const depth = 100_000;
    const text = JSON.stringify(baseFile()).replace(
      '"kind":"run-analysis"',
      `"deep":${'['.repeat(depth)}${']'.repeat(depth)},"kind":"run-analysis"`,
    );
    expect(text.length).toBeGreaterThan(2 * depth);
    const result = await expectRefused(text, 'too-deep');
    expect(!result.ok && result.error.code === 'too-deep' && result.error.limit).toBe(JSON_LIMITS.maxDepth);
  });

  it('nesting just inside the bound still reads; just beyond is refused', async () => {
    // The file's own records are 11 deep at most; meta at messages[i].meta sits at depth 5.
    const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const within = JSON.stringify(baseFile()).replace(
      '"kind":"run-analysis"',
      `"deep":${nest(JSON_LIMITS.maxDepth - 5)},"kind":"run-analysis"`,
    );
    expect((await importFile(within)).ok).toBe(true);
    await clearDatabase();
    const beyond = JSON.stringify(baseFile()).replace(
      '"kind":"run-analysis"',
      `"deep":${nest(JSON_LIMITS.maxDepth)},"kind":"run-analysis"`,
    );
    await expectRefused(beyond, 'too-deep');
  });

  it('a single text beyond the string bound gets too-large', async () => {
    const text = JSON.stringify(baseFile()).replace(
      '"kind":"run-analysis"',
      `"blob":"${'a'.repeat(JSON_LIMITS.maxStringLength + 1)}","kind":"run-analysis"`,
    );
    const result = await expectRefused(text, 'too-large');
    expect(!result.ok && result.error.code === 'too-large' && result.error.what).toBe('string');
  });

  it('a byte-order mark in front of the JSON is ignored', async () => {
    expect((await importFile(`\uFEFF${JSON.stringify(baseFile())}`)).ok).toBe(true);
  });
});
