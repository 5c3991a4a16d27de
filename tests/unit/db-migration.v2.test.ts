/**
 * tests/fixtures/db-v2.json (a populated multi-chat database of schema 2,
 * made by make-db-v2.mjs) must always load: every record kept, every record
 * valid at the current schema, and the same result as the importer's chain.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import fixture from '../fixtures/db-v2.json';
import { createDatabase, type CrucibleDatabase } from '../../src/db/database';
import { SCHEMA_V2 } from '../../src/db/schema';
import {
  candidateSchema,
  chatSessionSchema,
  CURRENT_SCHEMA_VERSION,
  evaluationSchema,
  messageSchema,
  migrateRecordSet,
  problemSpecSchema,
  projectSchema,
  rebaseWhatIf,
  runSchema,
  scenarioSchema,
  worldModelSchema,
  type RecordSet,
} from '../../src/domain';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) {
    database.close();
    await Dexie.delete(database.name);
  }
});

async function openUpgraded(name: string): Promise<CrucibleDatabase> {
  const legacy = new Dexie(name);
  legacy.version(2).stores(SCHEMA_V2);
  await legacy.open();
  await legacy.transaction('rw', legacy.tables, async () => {
    for (const [table, rows] of Object.entries(fixture.tables)) await legacy.table(table).bulkAdd(structuredClone(rows) as object[]);
  });
  legacy.close();
  const database = createDatabase(name);
  opened.push(database);
  await database.open();
  return database;
}

const SCHEMAS = {
  projects: projectSchema,
  specs: problemSpecSchema,
  worldModels: worldModelSchema,
  chatSessions: chatSessionSchema,
  messages: messageSchema,
  runs: runSchema,
  candidates: candidateSchema,
  scenarios: scenarioSchema,
  evaluations: evaluationSchema,
} as const;

describe('a populated version-2 database', () => {
  test('upgrades through every migration: every record kept and valid, the same as the importer chain', async () => {
    const database = await openUpgraded('migration-v2-chain');
    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
    const { settings: _settings, ...records } = fixture.tables;
    const expected = migrateRecordSet(structuredClone(records), 2);
    for (const [table, schema] of Object.entries(SCHEMAS)) {
      const rows = await database.table(table).toArray();
      expect(rows.length, table).toBe((fixture.tables as Record<string, unknown[]>)[table]!.length);
      for (const row of rows) expect(() => schema.parse(row), `${table} ${JSON.stringify(row).slice(0, 80)}`).not.toThrow();
      const key = table === 'specs' || table === 'worldModels' ? 'projectId' : 'id';
      const byKey = (list: Record<string, unknown>[]) => [...list].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
      expect(byKey(rows), table).toEqual(byKey(expected[table as keyof RecordSet]));
    }
    expect(await database.settings.get('theme')).toEqual({ key: 'theme', value: 'system' });
  });

  test('its what-ifs become item-level changes: the weight change only, and the constraint the project gained afterwards shows through', async () => {
    const database = await openUpgraded('migration-v2-whatif');
    for (const project of await database.projects.toArray()) {
      const spec = (await database.specs.get(project.id))!;
      const whatIf = (await database.chatSessions.get(`${project.id}-whatif`))!;
      expect(whatIf.specChanges.map((change) => change.ops)).toEqual([
        [{ op: 'updateConstraint', constraintId: `${project.id}-c1`, weight: 40 }],
      ]);
      const effective = rebaseWhatIf(spec, whatIf.specChanges);
      expect(effective.conflicts).toEqual([]);
      expect(effective.spec.constraints.map((c) => [c.name, c.weight])).toEqual([
        ['Offline-first', 40],
        ['Low cost', 60],
        ['Battery life', 55],
      ]);
      const second = (await database.chatSessions.get(`${project.id}-whatif-2`))!;
      expect(second.specChanges.map((change) => change.key)).toEqual(['resolution']);
      expect(whatIf).not.toHaveProperty('specOverride');
    }
  });
});
