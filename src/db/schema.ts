/**
 * The Dexie side of the schema registry (src/domain/migrations.ts
 * SCHEMA_VERSIONS): every version's stores, each upgrade running that
 * version's named record migration, so the import of an older export file and
 * the Dexie upgrade share one code path and one list.
 */
import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import {
  RECORD_TABLES,
  SCHEMA_V1_STORES,
  SCHEMA_V2_STORES,
  SCHEMA_V3_STORES,
  SCHEMA_V4_STORES,
  SCHEMA_V5_STORES,
  SCHEMA_V6_STORES,
  SCHEMA_VERSIONS,
  type RecordSet,
  type SchemaMigration,
} from '../domain';

export const SCHEMA_V1 = SCHEMA_V1_STORES;
export const SCHEMA_V2 = SCHEMA_V2_STORES;
export const SCHEMA_V3 = SCHEMA_V3_STORES;
export const SCHEMA_V4 = SCHEMA_V4_STORES;
export const SCHEMA_V5 = SCHEMA_V5_STORES;
export const SCHEMA_V6 = SCHEMA_V6_STORES;

async function readRecordSet(tx: Transaction): Promise<RecordSet> {
  const entries = await Promise.all(
    RECORD_TABLES.map(async (table) => [table, (await tx.table(table).toArray()) as Record<string, unknown>[]] as const),
  );
  return Object.fromEntries(entries) as unknown as RecordSet;
}

/** Runs a pure record migration over the whole database inside Dexie's upgrade transaction. */
function upgradeWith(migration: SchemaMigration) {
  return async (tx: Transaction) => {
    const before = await readRecordSet(tx);
    let after = migration.migrate(before);
    if (migration.adoptSettings) {
      const settings = (await tx.table('settings').toArray()) as Record<string, unknown>[];
      const adopted = migration.adoptSettings(after, settings);
      after = adopted.records;
      if (adopted.consumedKeys.length) await tx.table('settings').bulkDelete(adopted.consumedKeys);
    }
    for (const table of RECORD_TABLES) {
      if (after[table] !== before[table]) {
        await tx.table(table).clear();
        await tx.table(table).bulkPut(after[table]);
      }
    }
  };
}

export function declareSchema(db: Dexie): void {
  for (const { version, stores, migration } of SCHEMA_VERSIONS) {
    const declared = db.version(version).stores(stores);
    // An index-only version needs no pass over the records: Dexie builds the index itself.
    if (migration && !migration.indexOnly) declared.upgrade(upgradeWith(migration));
  }
}
