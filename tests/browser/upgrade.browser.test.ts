/**
 * A database of an older version is upgraded in a worker, not on the page's main thread (issue #15, P8): the
 * version-1 fixture is written with raw IndexedDB, the app opens it, and the page shows its projects with every
 * record kept, after a measure that only an upgrade in the worker leaves.
 */
import { afterEach, expect, test } from 'vitest';
import fixture from '../fixtures/db-v1.json';
import { SCHEMA_V1 } from '../../src/db/schema';
import { UPGRADE_IN_WORKER_MEASURE } from '../../src/db/upgradeInWorker';
import { CURRENT_SCHEMA_VERSION } from '../../src/domain';
import { baseUrl, openBrowser, type BrowserSession } from './harness';

let session: BrowserSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

test('opening a version-1 database upgrades it in a worker; every record is kept and the projects are listed', async () => {
  session = await openBrowser();
  const { page } = session;
  // Same origin, but not the app: nothing opens the database before the old one is written.
  await page.goto(baseUrl() + '/favicon.svg');
  await page.evaluate(
    async ({ stores, tables }) => {
      const keyPathOf = (spec: string) => (spec.startsWith('[') ? spec.slice(1, -1).split('+') : spec);
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        // Dexie stores version n as IndexedDB version n × 10.
        const request = indexedDB.open('int-crucible', 10);
        request.onupgradeneeded = () => {
          for (const [table, spec] of Object.entries(stores)) {
            const [primary, ...indexes] = spec.split(',').map((part) => part.trim());
            const store = request.result.createObjectStore(table, { keyPath: keyPathOf(primary!) });
            for (const index of indexes) store.createIndex(index, keyPathOf(index));
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const tx = database.transaction(Object.keys(tables), 'readwrite');
      for (const [table, rows] of Object.entries(tables)) for (const row of rows) tx.objectStore(table).put(row);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error ?? new Error('write failed'));
      });
      database.close();
    },
    { stores: SCHEMA_V1, tables: fixture.tables },
  );

  await page.goto(baseUrl() + '/');
  for (const project of fixture.tables.projects) {
    await page.getByTestId('project-card').filter({ hasText: project.title }).waitFor({ timeout: 30_000 });
  }
  const upgrades = () => page.evaluate((name) => performance.getEntriesByName(name).length, UPGRADE_IN_WORKER_MEASURE);
  expect(await upgrades()).toBe(1);

  const stored = await page.evaluate(
    () =>
      new Promise<{ version: number; counts: Record<string, number> }>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onerror = () => reject(request.error ?? new Error('open failed'));
        request.onsuccess = () => {
          const database = request.result;
          const names = [...database.objectStoreNames];
          const tx = database.transaction(names);
          const counts: Record<string, number> = {};
          for (const name of names) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => (counts[name] = count.result);
          }
          tx.oncomplete = () => {
            database.close();
            resolve({ version: database.version, counts });
          };
        };
      }),
  );
  expect(stored.version).toBe(CURRENT_SCHEMA_VERSION * 10);
  for (const [table, rows] of Object.entries(fixture.tables)) expect(stored.counts[table], table).toBe(rows.length);

  // The data is current now: the next page load starts no worker.
  await page.reload();
  await page.getByTestId('project-card').first().waitFor();
  expect(await upgrades()).toBe(0);
});
