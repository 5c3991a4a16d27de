/**
 * Named, pure record migrations. The same functions run inside Dexie's
 * upgrade() and when an older export file is imported, so a record can never
 * take two different paths to the current shape.
 */
import { defaultChatTitle } from './chat';

type Row = Record<string, unknown>;

/** Every table that holds project data, as plain rows. Settings are local and never migrated through here. */
export interface RecordSet {
  projects: Row[];
  specs: Row[];
  worldModels: Row[];
  chatSessions: Row[];
  messages: Row[];
  runs: Row[];
  candidates: Row[];
  scenarios: Row[];
  evaluations: Row[];
}

export const RECORD_TABLES = [
  'projects',
  'specs',
  'worldModels',
  'chatSessions',
  'messages',
  'runs',
  'candidates',
  'scenarios',
  'evaluations',
] as const satisfies readonly (keyof RecordSet)[];

export interface SchemaMigration {
  /** The schema version this migration produces. */
  toVersion: number;
  name: string;
  /** True when the version only adds indexes: records keep their shape, so no upgrade pass is needed. */
  indexOnly?: boolean;
  migrate(records: RecordSet): RecordSet;
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * v1 → v2 "chats-get-modes-titles-counters; runs-get-chat-link".
 * v1 had one untitled chat per project and runs that knew no chat.
 */
export const chatsGetModesAndRunsGetChatLink: SchemaMigration = {
  toVersion: 2,
  name: 'chats-get-modes-titles-counters-and-runs-get-chat-link',
  migrate(records) {
    const messageStats = new Map<string, { count: number; last: number }>();
    for (const message of records.messages) {
      const chatId = String(message.chatSessionId);
      const stats = messageStats.get(chatId) ?? { count: 0, last: 0 };
      stats.count += 1;
      stats.last = Math.max(stats.last, num(message.createdAt, 0));
      messageStats.set(chatId, stats);
    }

    const setupChatsSeen = new Map<string, number>();
    const chatsInCreationOrder = [...records.chatSessions].sort((a, b) => num(a.createdAt, 0) - num(b.createdAt, 0));
    const chatSessions = chatsInCreationOrder.map((chat) => {
      const projectId = String(chat.projectId);
      const seen = setupChatsSeen.get(projectId) ?? 0;
      setupChatsSeen.set(projectId, seen + 1);
      const createdAt = num(chat.createdAt, 0);
      const stats = messageStats.get(String(chat.id));
      return {
        ...chat,
        title: typeof chat.title === 'string' && chat.title.trim() ? chat.title : defaultChatTitle('setup', seen),
        mode: typeof chat.mode === 'string' ? chat.mode : 'setup',
        runId: chat.runId ?? null,
        candidateId: chat.candidateId ?? null,
        parentChatId: chat.parentChatId ?? null,
        specOverride: chat.specOverride ?? null,
        updatedAt: num(chat.updatedAt, createdAt),
        messageCount: stats?.count ?? 0,
        lastMessageAt: Math.max(createdAt, stats?.last ?? 0),
        archivedAt: chat.archivedAt ?? null,
      };
    });

    const runs = records.runs.map((run) => ({ ...run, chatSessionId: run.chatSessionId ?? null }));

    const countBy = (rows: Row[]) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(String(row.projectId), (counts.get(String(row.projectId)) ?? 0) + 1);
      return counts;
    };
    const chatCounts = countBy(chatSessions);
    const runCounts = countBy(runs);
    const projects = records.projects.map((project) => ({
      ...project,
      chatCount: chatCounts.get(String(project.id)) ?? 0,
      runCount: runCounts.get(String(project.id)) ?? 0,
      lastExportedAt: project.lastExportedAt ?? null,
    }));

    return { ...records, projects, chatSessions, runs };
  },
};

/**
 * v2 → v3 "runs-indexed-by-status": the run history's status filter gets its
 * own [projectId+status+createdAt] index. Records are unchanged.
 */
export const runsIndexedByStatus: SchemaMigration = {
  toVersion: 3,
  name: 'runs-indexed-by-status',
  indexOnly: true,
  migrate: (records) => records,
};

/** In order. A new schema version appends here and in src/db/schema.ts. */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [chatsGetModesAndRunsGetChatLink, runsIndexedByStatus];

export const CURRENT_SCHEMA_VERSION = 1 + SCHEMA_MIGRATIONS.length;

export function migrationsAfter(fromVersion: number): SchemaMigration[] {
  return SCHEMA_MIGRATIONS.filter((migration) => migration.toVersion > fromVersion);
}

export function migrateRecordSet(records: RecordSet, fromVersion: number): RecordSet {
  return migrationsAfter(fromVersion).reduce((current, migration) => migration.migrate(current), records);
}

export function emptyRecordSet(): RecordSet {
  return {
    projects: [],
    specs: [],
    worldModels: [],
    chatSessions: [],
    messages: [],
    runs: [],
    candidates: [],
    scenarios: [],
    evaluations: [],
  };
}
