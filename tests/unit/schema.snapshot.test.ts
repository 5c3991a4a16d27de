/**
 * The committed schema snapshot (tests/fixtures/schema-snapshot.json): the
 * Dexie stores of every version and the JSON schema of every record. Any
 * change to a stored record's shape or an index without a new schema version
 * fails here.
 *
 * After adding a version to SCHEMA_VERSIONS, regenerate it:
 *   npm run schema:snapshot
 * A change that only tightens validation of the current version (no stored
 * shape changes) may be recorded without a version, deliberately:
 *   SCHEMA_SNAPSHOT_SAME_VERSION=1 npm run schema:snapshot
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import {
  candidateSchema,
  chatSessionSchema,
  CURRENT_SCHEMA_VERSION,
  evaluationSchema,
  messageSchema,
  problemSpecSchema,
  projectSchema,
  runSchema,
  scenarioSchema,
  SCHEMA_VERSIONS,
  settingSchema,
  worldModelSchema,
} from '../../src/domain';

const SNAPSHOT = join(__dirname, '..', 'fixtures', 'schema-snapshot.json');

/** Every table's record schema, as the table is named in Dexie. */
const RECORD_SCHEMAS: Record<string, z.ZodType> = {
  projects: projectSchema,
  specs: problemSpecSchema,
  worldModels: worldModelSchema,
  chatSessions: chatSessionSchema,
  messages: messageSchema,
  runs: runSchema,
  candidates: candidateSchema,
  scenarios: scenarioSchema,
  evaluations: evaluationSchema,
  settings: settingSchema,
};

interface Snapshot {
  currentVersion: number;
  versions: { version: number; migration: string | null; stores: Record<string, string> }[];
  records: Record<string, unknown>;
}

function buildSnapshot(): Snapshot {
  return {
    currentVersion: CURRENT_SCHEMA_VERSION,
    versions: SCHEMA_VERSIONS.map((entry) => ({
      version: entry.version,
      migration: entry.migration?.name ?? null,
      stores: { ...entry.stores },
    })),
    records: Object.fromEntries(
      Object.entries(RECORD_SCHEMAS).map(([table, schema]) => [
        table,
        z.toJSONSchema(schema, { io: 'input', reused: 'ref', unrepresentable: 'any' }),
      ]),
    ),
  };
}

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

test('every Dexie table has a record schema in the snapshot', () => {
  expect(Object.keys(RECORD_SCHEMAS).sort()).toEqual(Object.keys(SCHEMA_VERSIONS.at(-1)!.stores).sort());
});

test('the committed schema snapshot matches the code; a change needs a new schema version', () => {
  const current = asJson(buildSnapshot()) as Snapshot;
  if (process.env.SCHEMA_SNAPSHOT_WRITE) {
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;
    const changed = JSON.stringify(committed.records) !== JSON.stringify(current.records);
    if (changed && committed.currentVersion === current.currentVersion && !process.env.SCHEMA_SNAPSHOT_SAME_VERSION) {
      throw new Error(
        'Record schemas changed but the schema version did not. Add a version to SCHEMA_VERSIONS (src/domain/migrations.ts), or set SCHEMA_SNAPSHOT_SAME_VERSION=1 if only validation tightened.',
      );
    }
    writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
    return;
  }
  const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;
  // Released versions never change: their stores and migration names are frozen.
  for (const released of committed.versions) {
    expect(
      current.versions.find((v) => v.version === released.version),
      `version ${released.version} changed after release`,
    ).toEqual(released);
  }
  expect(current.currentVersion, 'a new schema version: regenerate the snapshot with npm run schema:snapshot').toBe(
    committed.currentVersion,
  );
  for (const table of Object.keys(current.records)) {
    expect(
      current.records[table],
      `the ${table} record schema changed without a new schema version: add one to SCHEMA_VERSIONS with its migration, then npm run schema:snapshot`,
    ).toEqual(committed.records[table]);
  }
});
