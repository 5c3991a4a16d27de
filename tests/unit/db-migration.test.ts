import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import fixture from '../fixtures/db-v1.json';
import { createDatabase, type CrucibleDatabase } from '../../src/db/database';
import { SCHEMA_V1 } from '../../src/db/schema';
import {
  CURRENT_SCHEMA_VERSION,
  chatSessionSchema,
  messageSchema,
  problemSpecSchema,
  projectSchema,
  runSchema,
  migrateRecordSet,
  SCHEMA_MIGRATIONS,
} from '../../src/domain';

type Tables = typeof fixture.tables;
const opened: Dexie[] = [];

async function seedVersion1(name: string, tables: Tables): Promise<void> {
  const legacy = new Dexie(name);
  legacy.version(1).stores(SCHEMA_V1);
  await legacy.open();
  await legacy.transaction('rw', legacy.tables, async () => {
    for (const [table, rows] of Object.entries(tables)) await legacy.table(table).bulkAdd(rows as object[]);
  });
  legacy.close();
}

async function openCurrent(name: string): Promise<CrucibleDatabase> {
  const database = createDatabase(name);
  opened.push(database);
  await database.open();
  return database;
}

afterEach(async () => {
  for (const database of opened.splice(0)) {
    database.close();
    await Dexie.delete(database.name);
  }
});

describe('upgrading a populated version-1 database through every migration', () => {
  test('keeps every record, links old runs to no chat and computes chat counters', async () => {
    const name = 'migration-chain';
    await seedVersion1(name, fixture.tables);
    const database = await openCurrent(name);

    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(SCHEMA_MIGRATIONS.map((migration) => [migration.toVersion, migration.name])).toEqual([
      [2, 'chats-get-modes-titles-counters-and-runs-get-chat-link'],
      [3, 'runs-indexed-by-status'],
      [4, 'spec-attributes-incompatibilities-quantities-and-score-repair'],
      [5, 'whatif-overrides-become-item-changes-over-the-current-project-spec'],
      [6, 'runs-get-name-tags-notes-and-projects-carry-their-baseline'],
    ]);

    // Nothing is lost: every table keeps every row, with its original content.
    for (const [table, rows] of Object.entries(fixture.tables)) {
      expect(await database.table(table).count(), table).toBe(rows.length);
    }
    const messages = await database.messages.toArray();
    expect(messages.map((m) => m.content).sort()).toEqual(fixture.tables.messages.map((m) => m.content).sort());
    expect(await database.settings.get('theme')).toEqual({ key: 'theme', value: 'system' });

    // Old runs belong to no chat, and are findable as such.
    const runs = await database.runs.toArray();
    expect(runs).toHaveLength(20);
    expect(runs.every((run) => run.chatSessionId === null)).toBe(true);
    for (const run of runs) expect(() => runSchema.parse(run)).not.toThrow();
    // v6: runs carry an empty name, no tags and empty notes.
    for (const run of runs) expect(run).toMatchObject({ name: '', tags: [], notes: '' });
    const original = fixture.tables.runs.find((run) => run.id === 'run-0003')!;
    expect(await database.runs.get('run-0003')).toMatchObject({
      status: original.status,
      error: original.error,
      specSnapshot: original.specSnapshot,
    });

    // v4: every spec and run snapshot carries the trade-study fields, stored explicitly.
    const specs = await database.specs.toArray();
    expect(specs).toHaveLength(fixture.tables.specs.length);
    for (const spec of specs) {
      expect(problemSpecSchema.parse(spec)).toEqual(spec);
      expect(spec.designSpace).toMatchObject({ attributes: [], incompatibilities: [], costAttributeId: null });
      expect(spec.constraints.every((c) => c.combine === 'mean' && c.quantity === null)).toBe(true);
      expect(spec.designSpace.dimensions.flatMap((d) => d.options).every((o) => JSON.stringify(o.attributes) === '{}')).toBe(true);
    }
    for (const run of runs)
      expect(run.specSnapshot.designSpace).toMatchObject({ attributes: [], incompatibilities: [], costAttributeId: null });

    // Chats get mode setup, a title, and counters computed from their messages.
    const chats = await database.chatSessions.orderBy('id').toArray();
    for (const chat of chats) {
      expect(() => chatSessionSchema.parse(chat)).not.toThrow();
      const own = fixture.tables.messages.filter((m) => m.chatSessionId === chat.id);
      expect(chat.mode).toBe('setup');
      expect(chat.messageCount).toBe(own.length);
      expect(chat.lastMessageAt).toBe(Math.max(...own.map((m) => m.createdAt)));
    }
    expect(chats.filter((chat) => chat.projectId === 'proj-0001').map((chat) => chat.title)).toEqual(['Setup', 'Setup 2']);
    expect(chats.map((chat) => chat.messageCount)).toEqual([20, 10, 15, 5]);

    // Projects get their denormalised counters.
    for (const project of await database.projects.toArray()) {
      expect(() => projectSchema.parse(project)).not.toThrow();
      expect(project.chatCount).toBe(2);
      expect(project.runCount).toBe(10);
    }
    for (const message of messages) expect(() => messageSchema.parse(message)).not.toThrow();

    // The new indexes answer queries on the upgraded data.
    const recent = await database.chatSessions
      .where('[projectId+lastMessageAt]')
      .between(['proj-0002', Dexie.minKey], ['proj-0002', Dexie.maxKey])
      .reverse()
      .first();
    expect(recent?.id).toBe('chat-p2-0002');
    const failedNewestFirst = await database.runs
      .where('[projectId+status+createdAt]')
      .between(['proj-0001', 'failed', Dexie.minKey], ['proj-0001', 'failed', Dexie.maxKey])
      .reverse()
      .toArray();
    const expectedFailed = fixture.tables.runs
      .filter((run) => run.projectId === 'proj-0001' && run.status === 'failed')
      .sort((a, b) => b.createdAt - a.createdAt);
    expect(failedNewestFirst.map((run) => run.id)).toEqual(expectedFailed.map((run) => run.id));
    expect(failedNewestFirst.length).toBeGreaterThan(0);
  });

  test('tables larger than one upgrade page keep every row, migrated (the upgrade reads and writes in pages)', async () => {
    const message = fixture.tables.messages[0]!;
    // 4,500 extra messages: three pages of 2,000, the last one partial.
    const extra = Array.from({ length: 4500 }, (_, i) => ({ ...message, id: `bulk-${String(i).padStart(5, '0')}`, content: `Bulk ${i}` }));
    await seedVersion1('migration-pages', { ...fixture.tables, messages: [...fixture.tables.messages, ...extra] });
    const database = await openCurrent('migration-pages');
    const messages = await database.messages.toArray();
    expect(messages).toHaveLength(fixture.tables.messages.length + extra.length);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
    for (const stored of messages) expect(() => messageSchema.parse(stored)).not.toThrow();
    const chat = await database.chatSessions.get(message.chatSessionId);
    expect(chat?.messageCount).toBe(fixture.tables.messages.filter((m) => m.chatSessionId === message.chatSessionId).length + extra.length);
  });

  test('an empty version-1 database upgrades cleanly', async () => {
    await seedVersion1('migration-empty', {
      ...fixture.tables,
      ...Object.fromEntries(Object.keys(fixture.tables).map((k) => [k, []])),
    });
    const database = await openCurrent('migration-empty');
    expect(await database.runs.count()).toBe(0);
    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
  });
});

describe('the named migration as a pure function', () => {
  test('is what the Dexie upgrade runs, so imports of old records end up identical', async () => {
    const { settings: _settings, ...records } = fixture.tables;
    const migrated = migrateRecordSet(structuredClone(records), 1);
    await seedVersion1('migration-compare', fixture.tables);
    const database = await openCurrent('migration-compare');
    const upgradedChats = await database.chatSessions.orderBy('id').toArray();
    const pureChats = [...migrated.chatSessions].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(upgradedChats).toEqual(pureChats);
    expect(await database.projects.orderBy('id').toArray()).toEqual(migrated.projects);
  });
});

describe('a tab on an old schema', () => {
  test('closes and reports when another connection upgrades, so it never writes on the old schema', async () => {
    const { onSchemaOutdated, isSchemaOutdated } = await import('../../src/db/database');
    const name = 'versionchange-test';
    const oldTab = createDatabase(name);
    opened.push(oldTab);
    await oldTab.open();
    let notified = false;
    const unsubscribe = onSchemaOutdated(() => (notified = true));

    const newerTab = new Dexie(name);
    const newerVersion = CURRENT_SCHEMA_VERSION + 1;
    newerTab.version(newerVersion).stores({ extra: 'id' });
    await newerTab.open();
    expect(notified).toBe(true);
    expect(isSchemaOutdated()).toBe(true);
    expect(oldTab.isOpen()).toBe(false);
    await expect(oldTab.projects.add({ id: 'x' } as never)).rejects.toThrow();
    newerTab.close();
    unsubscribe();
  });
});
