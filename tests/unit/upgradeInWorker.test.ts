/**
 * The upgrade of an older database runs in a worker (bench P8: up to 355 ms tasks on the page otherwise). Here the
 * worker's handler runs in-process on fake-indexeddb: it upgrades a populated version-1 database, and every way the
 * worker can fail leaves the upgrade to the page's own open, which still brings the data to the current version.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, test, vi } from 'vitest';
import fixture from '../fixtures/db-v1.json';
import { createDatabase } from '../../src/db/database';
import { SCHEMA_V1 } from '../../src/db/schema';
import { upgradeInWorkerIfDue, type UpgradeEnvironment, type UpgradeWorker } from '../../src/db/upgradeInWorker';
import { handleUpgradeRequest } from '../../src/db/upgradeWorkerHandler';
import type { FromUpgradeWorker, ToUpgradeWorker } from '../../src/db/upgradeWorkerProtocol';
import { CURRENT_SCHEMA_VERSION } from '../../src/domain';

const names: string[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const name of names.splice(0)) await Dexie.delete(name);
});

async function seedVersion1(name: string): Promise<void> {
  names.push(name);
  const legacy = new Dexie(name);
  legacy.version(1).stores(SCHEMA_V1);
  await legacy.open();
  await legacy.transaction('rw', legacy.tables, async () => {
    for (const [table, rows] of Object.entries(fixture.tables)) await legacy.table(table).bulkAdd(rows as object[]);
  });
  legacy.close();
}

async function installedVersion(name: string): Promise<number | undefined> {
  return (await indexedDB.databases()).find((info) => info.name === name)?.version;
}

/** The real handler behind a Worker-shaped object, answering asynchronously like postMessage. */
function inProcessUpgradeWorker(log: string[]): UpgradeWorker {
  const worker: UpgradeWorker = {
    onmessage: null,
    onerror: null,
    terminate: () => log.push('terminated'),
    postMessage(message: ToUpgradeWorker) {
      log.push(`asked to upgrade ${message.databaseName}`);
      void handleUpgradeRequest(message, (reply: FromUpgradeWorker) => {
        log.push(reply.type);
        setTimeout(() => worker.onmessage?.({ data: reply } as MessageEvent<FromUpgradeWorker>), 0);
      });
    },
  };
  return worker;
}

const environment = (log: string[], overrides: Partial<UpgradeEnvironment> = {}): UpgradeEnvironment => ({
  databases: () => indexedDB.databases(),
  startWorker: () => inProcessUpgradeWorker(log),
  ...overrides,
});

describe('upgrading an older database in a worker', () => {
  test('a version-1 database is upgraded by the worker; the page then opens it with every record kept', async () => {
    const name = 'upgrade-in-worker-v1';
    await seedVersion1(name);
    expect(await installedVersion(name)).toBe(10);
    const log: string[] = [];

    await expect(upgradeInWorkerIfDue(name, environment(log))).resolves.toBe('worker');
    expect(log).toEqual([`asked to upgrade ${name}`, 'upgraded', 'terminated']);
    expect(await installedVersion(name)).toBe(CURRENT_SCHEMA_VERSION * 10);

    const database = createDatabase(name);
    await database.open();
    try {
      for (const [table, rows] of Object.entries(fixture.tables)) expect(await database.table(table).count(), table).toBe(rows.length);
      const chats = await database.chatSessions.toArray();
      expect(chats.length).toBeGreaterThan(0);
      for (const chat of chats) expect(chat.specChanges).toEqual([]);
    } finally {
      database.close();
    }
    // Current now: no second worker.
    const again: string[] = [];
    await expect(upgradeInWorkerIfDue(name, environment(again))).resolves.toBe('current');
    expect(again).toEqual([]);
  });

  test('a browser whose performance.measure throws still gets its data upgraded in the worker', async () => {
    const name = 'upgrade-in-worker-no-measure';
    await seedVersion1(name);
    const measure = vi.spyOn(performance, 'measure').mockImplementation(() => {
      throw new TypeError('User Timing level 3 is not supported');
    });
    try {
      await expect(upgradeInWorkerIfDue(name, environment([]))).resolves.toBe('worker');
      expect(measure).toHaveBeenCalledTimes(1);
    } finally {
      measure.mockRestore();
    }
    expect(await installedVersion(name)).toBe(CURRENT_SCHEMA_VERSION * 10);
  });

  test('no database yet, or a browser that cannot list them: nothing is started', async () => {
    const log: string[] = [];
    await expect(upgradeInWorkerIfDue('upgrade-in-worker-none', environment(log))).resolves.toBe('new');
    await expect(upgradeInWorkerIfDue('upgrade-in-worker-none', environment(log, { databases: undefined }))).resolves.toBe('page');
    await expect(upgradeInWorkerIfDue('upgrade-in-worker-none', environment(log, { startWorker: undefined }))).resolves.toBe('page');
    await expect(
      upgradeInWorkerIfDue('upgrade-in-worker-none', environment(log, { databases: () => Promise.reject(new TypeError('no')) })),
    ).resolves.toBe('page');
    expect(log).toEqual([]);
  });

  test('a worker that cannot start or crashes leaves the upgrade to the page, which still upgrades every record', async () => {
    const name = 'upgrade-in-worker-crash';
    await seedVersion1(name);
    const cannotStart = environment([], {
      startWorker: () => {
        throw new DOMException('blocked by policy', 'SecurityError');
      },
    });
    await expect(upgradeInWorkerIfDue(name, cannotStart)).resolves.toBe('page');

    const log: string[] = [];
    const crashing = environment(log, {
      startWorker: () => {
        const worker: UpgradeWorker = {
          onmessage: null,
          onerror: null,
          terminate: () => log.push('terminated'),
          postMessage: () => setTimeout(() => worker.onerror?.({ preventDefault: () => log.push('handled') } as unknown as ErrorEvent), 0),
        };
        return worker;
      },
    });
    await expect(upgradeInWorkerIfDue(name, crashing)).resolves.toBe('page');
    expect(log).toEqual(['handled', 'terminated']);
    expect(await installedVersion(name)).toBe(10);

    const database = createDatabase(name);
    await database.open();
    try {
      expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
      expect(await database.messages.count()).toBe(fixture.tables.messages.length);
    } finally {
      database.close();
    }
  });

  test('a tab of an older build holding the database open: the worker says blocked and the page takes over', async () => {
    const name = 'upgrade-in-worker-blocked';
    await seedVersion1(name);
    // A raw connection that ignores versionchange, like a tab of a build from before the close-on-upgrade handler.
    const holder = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 10);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    cleanups.push(() => holder.close());
    const log: string[] = [];
    await expect(upgradeInWorkerIfDue(name, environment(log))).resolves.toBe('page');
    expect(log).toEqual([`asked to upgrade ${name}`, 'blocked', 'terminated']);
  });
});
