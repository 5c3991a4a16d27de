/**
 * The schema registry (SCHEMA_VERSIONS) is the one list Dexie and the importer
 * read. Every migration in it has a small before/after case here, and the
 * meta-test below fails when a migration is added without one.
 */
import Dexie from 'dexie';
import { describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/db/database';
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  emptyRecordSet,
  FORMAT_VERSIONS,
  migrateRecordSet,
  migrationsAfter,
  SCHEMA_MIGRATIONS,
  SCHEMA_VERSIONS,
  type RecordSet,
} from '../../src/domain';

type Row = Record<string, unknown>;
const records = (partial: Partial<RecordSet>): RecordSet => ({ ...emptyRecordSet(), ...partial });

const v1Chat: Row = { id: 'c1', projectId: 'p1', createdAt: 5 };
const v4Spec: Row = {
  projectId: 'p1',
  goals: [],
  constraints: [{ id: 'k1', name: 'Range', description: '', weight: 90, combine: 'mean', quantity: null }],
  resolution: 'medium',
  mode: 'full_search',
  designSpace: { dimensions: [], attributes: [], incompatibilities: [], costAttributeId: null },
  provenance: [],
  updatedAt: 1,
};

/** One before → after case per migration, by name: the smallest records that show what it does. */
const CASES: Record<string, { before: RecordSet; check(after: RecordSet): void }> = {
  'chats-get-modes-titles-counters-and-runs-get-chat-link': {
    before: records({
      projects: [{ id: 'p1', title: 'P', createdAt: 1, updatedAt: 1 }],
      chatSessions: [v1Chat],
      messages: [{ id: 'm1', chatSessionId: 'c1', projectId: 'p1', createdAt: 9 }],
      runs: [{ id: 'r1', projectId: 'p1' }],
    }),
    check(after) {
      expect(after.chatSessions[0]).toMatchObject({ title: 'Setup', mode: 'setup', messageCount: 1, lastMessageAt: 9, archivedAt: null });
      expect(after.runs[0]).toMatchObject({ chatSessionId: null });
      expect(after.projects[0]).toMatchObject({ chatCount: 1, runCount: 1, lastExportedAt: null });
    },
  },
  'runs-indexed-by-status': {
    before: records({ runs: [{ id: 'r1', projectId: 'p1', status: 'failed' }] }),
    check(after) {
      expect(after.runs).toEqual([{ id: 'r1', projectId: 'p1', status: 'failed' }]);
    },
  },
  'spec-attributes-incompatibilities-quantities-and-score-repair': {
    before: records({
      specs: [{ ...v4Spec, constraints: [{ id: 'k1', name: 'Range', description: '', weight: 90 }], designSpace: { dimensions: [] } }],
      candidates: [{ id: 'x', scores: { P: 1.0000000000000002, constraintSatisfaction: {} }, predictedEffects: {} }],
    }),
    check(after) {
      expect(after.specs[0]).toMatchObject({
        constraints: [{ combine: 'mean', quantity: null }],
        designSpace: { attributes: [], incompatibilities: [], costAttributeId: null },
      });
      expect((after.candidates[0]!.scores as Row).P).toBe(1);
    },
  },
  'whatif-overrides-become-item-changes-over-the-current-project-spec': {
    before: records({
      specs: [v4Spec],
      chatSessions: [
        {
          id: 'w1',
          projectId: 'p1',
          mode: 'whatif',
          createdAt: 2,
          specOverride: { constraints: [{ id: 'k1', name: 'Range', description: '', weight: 40, combine: 'mean', quantity: null }] },
        },
      ],
    }),
    check(after) {
      expect(after.chatSessions[0]).not.toHaveProperty('specOverride');
      expect(after.chatSessions[0]!.specChanges).toEqual([
        {
          kind: 'constraint',
          key: 'constraint:k1',
          ops: [{ op: 'updateConstraint', constraintId: 'k1', weight: 40 }],
          base: { id: 'k1', name: 'Range', description: '', weight: 90, combine: 'mean', quantity: null },
        },
      ]);
    },
  },
  'runs-get-name-tags-notes-and-projects-carry-their-baseline': {
    before: records({
      projects: [{ id: 'p1', title: 'P', createdAt: 1, updatedAt: 1 }],
      runs: [{ id: 'r1', projectId: 'p1', status: 'completed' }],
    }),
    check(after) {
      expect(after.runs[0]).toMatchObject({ name: '', tags: [], notes: '' });
      expect(after.projects[0]).toMatchObject({ baselineRunId: null });
    },
  },
};

describe('the schema registry', () => {
  test('versions are 1…n in order, each migration produces its own version, names are unique', () => {
    expect(SCHEMA_VERSIONS.map((entry) => entry.version)).toEqual(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, i) => i + 1));
    expect(SCHEMA_VERSIONS[0]!.migration).toBeNull();
    for (const entry of SCHEMA_VERSIONS.slice(1)) expect(entry.migration?.toVersion, `version ${entry.version}`).toBe(entry.version);
    expect(new Set(SCHEMA_MIGRATIONS.map((m) => m.name)).size).toBe(SCHEMA_MIGRATIONS.length);
    expect(migrationsAfter(3).map((m) => m.toVersion)).toEqual(SCHEMA_VERSIONS.slice(3).map((entry) => entry.version));
  });

  test('the export formats follow the registry: the newest format carries the current schema version', () => {
    expect(FORMAT_VERSIONS.at(-1)).toMatchObject({ version: CURRENT_FORMAT_VERSION, schemaVersion: CURRENT_SCHEMA_VERSION });
    for (const format of FORMAT_VERSIONS) expect(SCHEMA_VERSIONS.some((entry) => entry.version === format.schemaVersion)).toBe(true);
  });

  test('Dexie declares exactly the registry: every version with its stores', async () => {
    const database = createDatabase('registry-check');
    try {
      await database.open();
      expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
      const stores = SCHEMA_VERSIONS.at(-1)!.stores;
      expect(database.tables.map((t) => t.name).sort()).toEqual(Object.keys(stores).sort());
      for (const [table, spec] of Object.entries(stores)) {
        const schema = database.table(table).schema;
        const declared = [schema.primKey.src, ...schema.indexes.map((index) => index.src)];
        expect(declared, table).toEqual(spec.split(',').map((part) => part.trim()));
      }
    } finally {
      database.close();
      await Dexie.delete('registry-check');
    }
  });

  test.each(SCHEMA_MIGRATIONS.map((migration) => [migration.name, migration] as const))('before/after: %s', (name, migration) => {
    const testCase = CASES[name];
    expect(testCase, `add a before/after case for "${name}" to CASES`).toBeDefined();
    const before = structuredClone(testCase!.before);
    const after = migration.migrate(before);
    testCase!.check(after);
    // Pure: the input is not modified.
    expect(before).toEqual(testCase!.before);
  });

  test('meta: every migration in the registry is exercised by a case here, and every case names a migration', () => {
    expect(Object.keys(CASES).sort()).toEqual(SCHEMA_MIGRATIONS.map((m) => m.name).sort());
  });

  test('the whole chain from version 1 runs every case forward without losing a record', () => {
    for (const [name, testCase] of Object.entries(CASES)) {
      const after = migrateRecordSet(structuredClone(testCase.before), 1);
      for (const table of Object.keys(testCase.before) as (keyof RecordSet)[])
        expect(after[table].length, `${name}: ${table}`).toBe(testCase.before[table].length);
    }
  });
});
