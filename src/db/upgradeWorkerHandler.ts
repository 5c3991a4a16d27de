/**
 * What the upgrade worker does, apart from the worker scope so that unit tests run it in-process: open the
 * database once, which makes Dexie run every pending version's upgrade here, then close it again.
 */
import Dexie from 'dexie';
import { declareSchema } from './schema';
import type { FromUpgradeWorker, ToUpgradeWorker } from './upgradeWorkerProtocol';

export async function handleUpgradeRequest(request: ToUpgradeWorker, post: (message: FromUpgradeWorker) => void): Promise<void> {
  // The same declaration as the page's database (createDatabase), without the change feed: nothing listens yet.
  const database = new Dexie(request.databaseName);
  declareSchema(database);
  database.on('blocked', () => post({ type: 'blocked' }));
  try {
    await database.open();
    post({ type: 'upgraded' });
  } catch (error) {
    post({ type: 'failed', errorName: error instanceof Error ? error.name : 'unknown' });
  } finally {
    database.close();
  }
}
