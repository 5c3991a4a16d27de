/**
 * Every schema version, in order. Each version names the pure record
 * migration it runs (src/domain/migrations.ts), so import of an older export
 * file and the Dexie upgrade share one code path.
 */
import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import {
  RECORD_TABLES,
  chatsGetModesAndRunsGetChatLink,
  runsIndexedByStatus,
  specQuantitiesAndScoreRepair,
  type RecordSet,
  type SchemaMigration,
} from '../domain/migrations';

/** Version 1: the single-chat schema. Runs knew no chat; chats had no mode or title. */
export const SCHEMA_V1 = {
  projects: 'id, updatedAt',
  specs: 'projectId',
  worldModels: 'projectId',
  chatSessions: 'id, projectId',
  messages: 'id, projectId, chatSessionId, [chatSessionId+createdAt]',
  runs: 'id, projectId, [projectId+createdAt], status',
  candidates: 'id, runId, projectId, [runId+rank]',
  scenarios: 'id, runId, projectId',
  evaluations: 'id, runId, projectId, candidateId',
  settings: 'key',
} as const;

/** Version 2: chats get mode, title and counters; runs link to the chat that started them. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  chatSessions: 'id, projectId, [projectId+lastMessageAt], runId, candidateId, parentChatId',
  runs: 'id, projectId, chatSessionId, candidateId, status, [projectId+createdAt], [projectId+chatSessionId], [chatSessionId+createdAt]',
} as const;

/** Version 3: runs filtered by status walk their own index, newest first, without scanning the project. */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  runs: `${SCHEMA_V2.runs}, [projectId+status+createdAt]`,
} as const;

/** Version 4: spec fields for attributes, incompatibilities, quantity constraints and combine modes; stores unchanged, records migrated. */
export const SCHEMA_V4 = SCHEMA_V3;

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
    const after = migration.migrate(before);
    for (const table of RECORD_TABLES) {
      if (after[table] !== before[table]) {
        await tx.table(table).clear();
        await tx.table(table).bulkPut(after[table]);
      }
    }
  };
}

/** Version n is entry n − 1; each later version names the record migration its upgrade runs. */
const VERSIONS: readonly { stores: Record<string, string>; migration?: SchemaMigration }[] = [
  { stores: SCHEMA_V1 },
  { stores: SCHEMA_V2, migration: chatsGetModesAndRunsGetChatLink },
  { stores: SCHEMA_V3, migration: runsIndexedByStatus },
  { stores: SCHEMA_V4, migration: specQuantitiesAndScoreRepair },
];

export function declareSchema(db: Dexie): void {
  VERSIONS.forEach(({ stores, migration }, index) => {
    const version = db.version(index + 1).stores(stores);
    // An index-only version needs no pass over the records: Dexie builds the index itself.
    if (migration && !migration.indexOnly) version.upgrade(upgradeWith(migration));
  });
}
