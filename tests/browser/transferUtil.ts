import type { Page } from 'playwright-core';

/** The page is controlled by an activated service worker (ready can resolve while it is still activating). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 30_000 });
}

/** Reads a whole object store of the app's IndexedDB from inside the page. */
export async function readStore<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('int-crucible');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const database = request.result;
          const read = database.transaction(name, 'readonly').objectStore(name).getAll();
          read.onsuccess = () => {
            resolve(read.result as T[]);
            database.close();
          };
          read.onerror = () => reject(read.error);
        };
      }),
    store,
  );
}

export async function storeCounts(page: Page): Promise<Record<string, number>> {
  const stores = ['projects', 'specs', 'worldModels', 'chatSessions', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'];
  const counts: Record<string, number> = {};
  for (const store of stores) counts[store] = (await readStore(page, store)).length;
  return counts;
}

type Json = Record<string, unknown>;

/** An export file with ids replaced by their position and the export/import timestamps removed. */
export function canonicalExport(content: string): Json {
  const file = JSON.parse(content) as Json;
  const data = file.data as Json;
  const ids = [(data.project as Json).id as string];
  for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations']) {
    for (const record of data[key] as Json[]) ids.push(record.id as string);
  }
  const labels = new Map(ids.map((id, index) => [id, `#${index}`]));
  // Short ids quoted in text ("Run 3f2a91c0") are references too.
  for (const [id, label] of [...labels]) if (/^[0-9a-f]{8}-/.test(id)) labels.set(id.slice(0, 8), `${label}.short`);
  const relabel = (value: unknown): unknown => {
    if (typeof value === 'string') return labels.get(value) ?? value.replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/g, (token) => labels.get(token) ?? token);
    if (Array.isArray(value)) return value.map(relabel);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [labels.get(k) ?? k, relabel(v)]));
    return value;
  };
  const out = relabel(file) as Json;
  delete out.exportedAt;
  const project = (out.data as Json).project as Json;
  delete project.updatedAt;
  delete project.lastExportedAt;
  return out;
}
