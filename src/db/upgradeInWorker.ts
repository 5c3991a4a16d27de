/**
 * Opening a database written by an older version upgrades every record inside Dexie's versionchange transaction. On
 * the page's main thread that meant tasks of up to 355 ms for a version-1 database of 100,000 records (bench P8),
 * and the migrations are pure functions over whole tables, so they cannot be cut into pieces inside the transaction.
 * So when an upgrade is due, a worker opens the database first and the upgrade runs there; the page then opens a
 * database that is already current. Anything that stops the worker (no Worker, no indexedDB.databases(), an old tab
 * blocking the upgrade, a failure) leaves the upgrade to the page's own open, exactly as before.
 */
import { SCHEMA_VERSIONS } from '../domain';
import { DATABASE_NAME } from './database';
import { leaveMeasure } from './measure';
import type { FromUpgradeWorker, ToUpgradeWorker } from './upgradeWorkerProtocol';

/** 'current' and 'new': nothing to upgrade; 'worker': upgraded in the worker; 'page': left to the page's open. */
export type DatabasePreparation = 'current' | 'new' | 'worker' | 'page';

/** The name of the performance measure an upgrade in the worker leaves, for profiles and the browser test. */
export const UPGRADE_IN_WORKER_MEASURE = 'Int Crucible: data upgrade in a worker';

/** Dexie stores schema version n as IndexedDB version n × 10. */
const CURRENT_IDB_VERSION = Math.round(Math.max(...SCHEMA_VERSIONS.map(({ version }) => version)) * 10);

/** The little of a Worker the page uses, so tests can run the handler in-process. */
export type UpgradeWorker = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((event: MessageEvent<FromUpgradeWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
};

export interface UpgradeEnvironment {
  databases?: () => Promise<IDBDatabaseInfo[]>;
  startWorker?: () => UpgradeWorker;
}

function defaultEnvironment(): UpgradeEnvironment {
  const factory = globalThis.indexedDB as IDBFactory | undefined;
  return {
    databases: typeof factory?.databases === 'function' ? () => factory.databases() : undefined,
    startWorker:
      typeof Worker === 'undefined'
        ? undefined
        : () => new Worker(new URL('./upgrade.worker.ts', import.meta.url), { type: 'module', name: 'upgrade' }),
  };
}

/** The installed IndexedDB version of `name`, 0 when there is none, null when the browser cannot say. */
async function installedVersion(databases: () => Promise<IDBDatabaseInfo[]>, name: string): Promise<number | null> {
  try {
    const found = (await databases()).find((info) => info.name === name);
    return found?.version ?? 0;
  } catch {
    return null;
  }
}

function upgradeInWorker(startWorker: () => UpgradeWorker, databaseName: string): Promise<DatabasePreparation> {
  return new Promise((resolve) => {
    let worker: UpgradeWorker;
    try {
      worker = startWorker();
    } catch {
      resolve('page');
      return;
    }
    const finish = (outcome: DatabasePreparation) => {
      worker.terminate();
      resolve(outcome);
    };
    worker.onmessage = (event: MessageEvent<FromUpgradeWorker>) => {
      if (event.data.type === 'upgraded') return finish('worker');
      if (event.data.type === 'failed')
        console.warn(`The data upgrade in a worker failed (${event.data.errorName}); it runs in the page instead.`);
      finish('page');
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish('page');
    };
    const message: ToUpgradeWorker = { type: 'upgrade', databaseName };
    worker.postMessage(message);
  });
}

/** Upgrades the installed database in a worker when it is older than the code; resolves once the page may open it. */
export async function upgradeInWorkerIfDue(
  databaseName: string = DATABASE_NAME,
  environment = defaultEnvironment(),
): Promise<DatabasePreparation> {
  const { databases, startWorker } = environment;
  if (!databases || !startWorker) return 'page';
  const version = await installedVersion(databases, databaseName);
  if (version === null) return 'page';
  if (version === 0) return 'new';
  if (version >= CURRENT_IDB_VERSION) return 'current';
  const started = globalThis.performance?.now();
  const outcome = await upgradeInWorker(startWorker, databaseName);
  if (outcome === 'worker' && started !== undefined) leaveMeasure(UPGRADE_IN_WORKER_MEASURE, started);
  return outcome;
}

let preparation: Promise<DatabasePreparation> | null = null;

/**
 * Once per page, before anything reads the database: the start-up sweep and every other first query wait for it.
 * It never rejects, since the app renders nothing until it settles; whatever went wrong, the page's open upgrades.
 */
export function prepareDatabase(): Promise<DatabasePreparation> {
  preparation ??= upgradeInWorkerIfDue().catch((): DatabasePreparation => 'page');
  return preparation;
}
