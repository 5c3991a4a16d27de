import type { Page } from 'playwright-core';

/** The page is controlled by an activated service worker (ready can resolve while it is still activating). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 30_000 });
}

/**
 * Reads a whole object store of the app's IndexedDB from inside the page. It never creates the database: an open
 * without a version before the app's own would make an empty version-1 database that the app then has to upgrade.
 */
export async function readStore<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onupgradeneeded = () => request.transaction?.abort();
        request.onerror = () => reject(new Error(`the app has not created its database yet (${request.error?.name ?? 'open failed'})`));
        request.onsuccess = () => {
          const database = request.result;
          if (!database.objectStoreNames.contains(name)) {
            database.close();
            reject(new Error(`the app's database has no ${name} store yet`));
            return;
          }
          const read = database.transaction(name, 'readonly').objectStore(name).getAll();
          read.onsuccess = () => {
            resolve(read.result as T[]);
            database.close();
          };
          read.onerror = () => reject(read.error ?? new Error('IndexedDB request failed'));
        };
      }),
    store,
  );
}

/**
 * Puts records straight into the app's IndexedDB, in one transaction, bypassing the app (seeding a test at scale, or
 * writing what only another version of the app would). Like readStore, it never creates the database.
 */
export async function putRecords(page: Page, records: Record<string, readonly object[]>): Promise<void> {
  await page.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onupgradeneeded = () => request.transaction?.abort();
        request.onerror = () => reject(new Error(`the app has not created its database yet (${request.error?.name ?? 'open failed'})`));
        request.onsuccess = () => {
          const database = request.result;
          const tx = database.transaction(Object.keys(records), 'readwrite');
          for (const [store, rows] of Object.entries(records)) for (const row of rows) tx.objectStore(store).put(row);
          tx.oncomplete = () => {
            database.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
        };
      }),
    records,
  );
}

/** A chat record as the app stores it (current schema), for seeding with putRecords: an analysis chat with no lineage. */
export function chatRecord(chat: {
  id: string;
  projectId: string;
  title: string;
  messageCount: number;
  lastMessageAt: number;
  createdAt: number;
}) {
  return {
    ...chat,
    mode: 'analysis',
    runId: null,
    candidateId: null,
    parentChatId: null,
    specChanges: [],
    updatedAt: chat.lastMessageAt,
    archivedAt: null,
  };
}

export async function storeCounts(page: Page): Promise<Record<string, number>> {
  const stores = ['projects', 'specs', 'worldModels', 'chatSessions', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'];
  const counts: Record<string, number> = {};
  for (const store of stores) counts[store] = (await readStore(page, store)).length;
  return counts;
}

export { canonicalExport } from '../support/canonicalExport';
