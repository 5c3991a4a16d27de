/**
 * Exports are written as Blob pieces: the bytes must be exactly those of the
 * one-string serialiser they replace, on every fixture and on a backup of all
 * of them, and the file must import back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, exportAllProjects, exportProject, importFile, type TransferProgress } from '../../src/db';
import type { ImportResult } from '../../src/domain';
import { legacyExportText } from '../support/legacyExportText';
import { clearDatabase } from './transferTestData';

const FIXTURES = join(__dirname, '..', 'fixtures');
const FIXTURE_FILES = readdirSync(FIXTURES).filter((name) => name.startsWith('export-format-v'));

function unwrap<T>(result: ImportResult<T>): T {
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

beforeEach(clearDatabase);

describe('export as Blob pieces', () => {
  it.each(FIXTURE_FILES)('%s: the export is byte for byte the one-string serialiser’s, and imports back', async (name) => {
    const imported = unwrap(await importFile(readFileSync(join(FIXTURES, name), 'utf8')));
    for (const { projectId } of imported) {
      const exported = await exportProject(projectId, { now: 1_700_000_000_000 });
      const text = await exported.blob.text();
      expect(text).toBe(legacyExportText(exported.file));
      expect(exported.blob.type).toBe('application/json');
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(exported.file)));
      expect(unwrap(await importFile(exported.blob))).toHaveLength(1);
    }
  });

  it('a backup of every fixture is byte for byte the same, with progress that ends at its total', async () => {
    for (const name of FIXTURE_FILES) unwrap(await importFile(readFileSync(join(FIXTURES, name), 'utf8')));
    const progress: TransferProgress[] = [];
    const backup = await exportAllProjects({ now: 1_700_000_000_000, onProgress: (step) => progress.push(step) });
    expect(backup.file.scope).toBe('backup');
    expect(await backup.blob.text()).toBe(legacyExportText(backup.file));
    const last = progress.filter((step) => step.phase === 'serialising').at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThan(100);
  });

  it('progress is one number that reads, then writes, never goes back and ends full', async () => {
    const [imported] = unwrap(await importFile(readFileSync(join(FIXTURES, 'export-format-v6.crucible.json'), 'utf8')));
    const progress: TransferProgress[] = [];
    await exportProject(imported!.projectId, { onProgress: (step) => progress.push(step) });
    const phases = progress.map((step) => step.phase);
    expect(phases[0]).toBe('reading');
    expect(phases.lastIndexOf('reading')).toBeLessThan(phases.indexOf('serialising'));
    const done = progress.map((step) => step.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(progress.map((step) => step.total)).size).toBe(1);
    // Eight reads a project, each a step; the last one to arrive turns the bar to writing.
    expect(progress.filter((step) => step.phase === 'reading')).toHaveLength(8);
    expect(progress.at(-1)).toEqual({ phase: 'serialising', done: progress[0]!.total, total: progress[0]!.total });
  });

  it('a missing project rejects with not_found, and the next export and write still work', async () => {
    const [imported] = unwrap(await importFile(readFileSync(join(FIXTURES, 'export-format-v6.crucible.json'), 'utf8')));
    const failure = await exportProject('no-such-project').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotFoundError);
    expect((failure as NotFoundError).code).toBe('not_found');
    const exported = await exportProject(imported!.projectId, { now: 1_700_000_000_000 });
    expect(exported.recorded).toBe(true);
    expect(await exported.blob.text()).toBe(legacyExportText(exported.file));
  });
});
