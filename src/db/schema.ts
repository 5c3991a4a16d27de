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

/** Rows per read or write while upgrading: each page is its own task, so no task holds a whole table. */
const UPGRADE_PAGE = 2000;

/** Reads a table in primary-key pages rather than with one getAll, whose result would land in one long task. */
async function readTable(tx: Transaction, name: string): Promise<Record<string, unknown>[]> {
  const table = tx.table(name);
  const keyPath = table.schema.primKey.keyPath;
  if (typeof keyPath !== 'string') return (await table.toArray()) as Record<string, unknown>[];
  const rows: Record<string, unknown>[] = [];
  for (;;) {
    const last = rows.length ? rows[rows.length - 1]![keyPath] : undefined;
    const query = last === undefined ? table.orderBy(':id') : table.where(':id').above(last);
    const page = (await query.limit(UPGRADE_PAGE).toArray()) as Record<string, unknown>[];
    for (const row of page) rows.push(row);
    if (page.length < UPGRADE_PAGE) return rows;
  }
}

async function readRecordSet(tx: Transaction): Promise<RecordSet> {
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const table of RECORD_TABLES) records[table] = await readTable(tx, table);
  return records as unknown as RecordSet;
}

async function rewriteTable(tx: Transaction, name: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const table = tx.table(name);
  await table.clear();
  for (let start = 0; start < rows.length; start += UPGRADE_PAGE) await table.bulkPut(rows.slice(start, start + UPGRADE_PAGE));
}

/**
 * The records of one upgrade in flight, carried from one version's upgrade to
 * the next. Dexie runs every pending version's upgrade in turn inside one
 * versionchange transaction. Reading and rewriting whole tables at each
 * version cost a version-1 database of 100,000 records 23–32 s in Chromium;
 * read once, migrated in memory by every version and written once at the
 * last, it took 12–15 s (interleaved, same machine).
 */
interface UpgradeInFlight {
  original: RecordSet;
  current: RecordSet;
}
const upgradesInFlight = new WeakMap<object, UpgradeInFlight>();

/** The version of the last migration that rewrites records: its upgrade is the one that writes. */
const LAST_RECORD_MIGRATION = Math.max(
  ...SCHEMA_VERSIONS.flatMap(({ migration }) => (migration && !migration.indexOnly ? [migration.toVersion] : [])),
);

/** Runs a pure record migration inside Dexie's upgrade transaction, on the records the upgrade carries. */
function upgradeWith(migration: SchemaMigration) {
  return async (tx: Transaction) => {
    let upgrade = upgradesInFlight.get(tx.idbtrans);
    if (!upgrade) {
      const original = await readRecordSet(tx);
      upgrade = { original, current: original };
      upgradesInFlight.set(tx.idbtrans, upgrade);
    } else {
      // A cheap request between two migrations, so that each runs in a task of its own rather than all in one.
      await tx.table('projects').count();
    }
    let after = migration.migrate(upgrade.current);
    if (migration.adoptSettings) {
      const settings = (await tx.table('settings').toArray()) as Record<string, unknown>[];
      const adopted = migration.adoptSettings(after, settings);
      after = adopted.records;
      if (adopted.consumedKeys.length) await tx.table('settings').bulkDelete(adopted.consumedKeys);
    }
    upgrade.current = after;
    if (migration.toVersion < LAST_RECORD_MIGRATION) return;
    upgradesInFlight.delete(tx.idbtrans);
    for (const table of RECORD_TABLES) {
      if (after[table] !== upgrade.original[table]) await rewriteTable(tx, table, after[table]);
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
