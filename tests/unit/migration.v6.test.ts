/**
 * v5 → v6 "runs-get-name-tags-notes-and-projects-carry-their-baseline": runs
 * get a name, tags and notes; the baseline pin moves from a local setting onto
 * its project. As a pure function and as the Dexie upgrade of a populated v5
 * database.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/db/database';
import { SCHEMA_V5 } from '../../src/db/schema';
import {
  CURRENT_SCHEMA_VERSION,
  emptyRecordSet,
  projectSchema,
  runSchema,
  runsGetLabelsAndProjectsCarryBaseline,
  specContentSchema,
  type RecordSet,
} from '../../src/domain';
import { emptySpecContent } from '../../src/domain/spec';

type Row = Record<string, unknown>;

const project = (id: string): Row => ({
  id,
  title: `Project ${id}`,
  description: '',
  createdAt: 1,
  updatedAt: 2,
  chatCount: 0,
  runCount: 2,
  lastExportedAt: null,
});

const run = (id: string, projectId: string): Row => ({
  id,
  projectId,
  chatSessionId: null,
  candidateId: null,
  mode: 'full_search',
  config: { numCandidates: 5, numScenarios: 3, seed: 1 },
  specSnapshot: specContentSchema.parse(emptySpecContent()),
  status: 'completed',
  createdAt: 10,
  startedAt: 10,
  completedAt: 20,
  durationMs: 10,
  candidateCount: 0,
  scenarioCount: 0,
  evaluationCount: 0,
  metrics: { phaseTimingsMs: {}, bestI: 1.5 },
  error: null,
});

function v5Records(): RecordSet {
  return {
    ...emptyRecordSet(),
    projects: [project('p1'), project('p2'), project('p3')],
    runs: [run('r1', 'p1'), run('r2', 'p1'), run('r3', 'p2')],
  };
}

/** Schema 5 kept pins as settings: p1's names its run, p2's a run of p1, p3's a run that is gone. */
const V5_SETTINGS = [
  { key: 'baseline:p1', value: 'r2' },
  { key: 'baseline:p2', value: 'r1' },
  { key: 'baseline:p3', value: 'r-deleted' },
  { key: 'theme', value: 'dark' },
];

const opened: Dexie[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) {
    database.close();
    await Dexie.delete(database.name);
  }
});

describe('v5 → v6: run labels and the baseline on the project', () => {
  test('before/after: every run gets an empty name, no tags and empty notes, every project no baseline', () => {
    const before = v5Records();
    const input = structuredClone(before);
    const after = runsGetLabelsAndProjectsCarryBaseline.migrate(input);
    for (const migrated of after.runs) {
      expect(migrated).toMatchObject({ name: '', tags: [], notes: '' });
      expect(runSchema.safeParse(migrated).success).toBe(true);
    }
    for (const migrated of after.projects) {
      expect(migrated.baselineRunId).toBeNull();
      expect(projectSchema.safeParse(migrated).success).toBe(true);
    }
    expect(input).toEqual(before);
  });

  test('values a record already holds are kept for validation to judge, not replaced', () => {
    const records = v5Records();
    records.runs[0] = { ...records.runs[0]!, name: 'Kept', tags: ['a'], notes: 'n' };
    records.runs[1] = { ...records.runs[1]!, tags: 'not-a-list' };
    const after = runsGetLabelsAndProjectsCarryBaseline.migrate(records);
    expect(after.runs[0]).toMatchObject({ name: 'Kept', tags: ['a'], notes: 'n' });
    // A non-list is replaced by the empty list: there is nothing of the user's in it to keep.
    expect(after.runs[1]!.tags).toEqual([]);
  });

  test('adoptSettings moves a pin onto its project only when it names one of that project’s runs, and consumes every pin', () => {
    const migrated = runsGetLabelsAndProjectsCarryBaseline.migrate(v5Records());
    const { records, consumedKeys } = runsGetLabelsAndProjectsCarryBaseline.adoptSettings!(migrated, V5_SETTINGS);
    expect(records.projects.map((p) => [p.id, p.baselineRunId])).toEqual([
      ['p1', 'r2'],
      ['p2', null],
      ['p3', null],
    ]);
    expect(consumedKeys.sort()).toEqual(['baseline:p1', 'baseline:p2', 'baseline:p3']);
  });

  test('the Dexie upgrade of a populated v5 database: labels filled, the pin on the project, the setting gone, tags indexed', async () => {
    const name = 'migration-v5-v6';
    const legacy = new Dexie(name);
    legacy.version(5).stores(SCHEMA_V5);
    await legacy.open();
    await legacy.transaction('rw', legacy.tables, async () => {
      for (const [table, rows] of Object.entries(v5Records())) await legacy.table(table).bulkAdd(rows as object[]);
      await legacy.table('settings').bulkAdd(V5_SETTINGS);
    });
    legacy.close();

    const database = createDatabase(name);
    opened.push(database);
    await database.open();
    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect((await database.projects.get('p1'))!.baselineRunId).toBe('r2');
    expect((await database.projects.get('p2'))!.baselineRunId).toBeNull();
    expect((await database.settings.toArray()).map((s) => s.key)).toEqual(['theme']);
    for (const stored of await database.runs.toArray()) expect(runSchema.parse(stored)).toMatchObject({ name: '', tags: [], notes: '' });

    await database.runs.update('r1', { tags: ['fast', 'lfp'] });
    expect((await database.runs.where('tags').equals('lfp').toArray()).map((r) => r.id)).toEqual(['r1']);
  });
});
