import Dexie, { type EntityTable } from 'dexie';
import type { Candidate, ChatSession, Evaluation, Message, ProblemSpec, Project, Run, Scenario, Setting, WorldModel } from '../domain';
import { changeFeedMiddleware } from './changeFeed';
import { declareSchema } from './schema';

export const DATABASE_NAME = 'int-crucible';

export type CrucibleDatabase = Dexie & {
  projects: EntityTable<Project, 'id'>;
  specs: EntityTable<ProblemSpec, 'projectId'>;
  worldModels: EntityTable<WorldModel, 'projectId'>;
  chatSessions: EntityTable<ChatSession, 'id'>;
  messages: EntityTable<Message, 'id'>;
  runs: EntityTable<Run, 'id'>;
  candidates: EntityTable<Candidate, 'id'>;
  scenarios: EntityTable<Scenario, 'id'>;
  evaluations: EntityTable<Evaluation, 'id'>;
  settings: EntityTable<Setting, 'key'>;
};

type OutdatedListener = () => void;
const outdatedListeners = new Set<OutdatedListener>();
let schemaOutdated = false;

/** True once another tab upgraded the schema; this tab has closed its connection and must reload. */
export function isSchemaOutdated(): boolean {
  return schemaOutdated;
}

export function onSchemaOutdated(listener: OutdatedListener): () => void {
  outdatedListeners.add(listener);
  return () => outdatedListeners.delete(listener);
}

export function createDatabase(name: string = DATABASE_NAME): CrucibleDatabase {
  const database = new Dexie(name) as CrucibleDatabase;
  declareSchema(database);
  database.use(changeFeedMiddleware);
  database.on('versionchange', (event) => {
    // A deletion (newVersion null) from tests or devtools is not an upgrade.
    if (event.newVersion === null) return;
    // Closing here guarantees this tab never writes with the old schema; any
    // later call fails instead of silently using stale structure.
    database.close({ disableAutoOpen: true });
    schemaOutdated = true;
    for (const listener of outdatedListeners) listener();
    return false;
  });
  return database;
}

export const db: CrucibleDatabase = createDatabase();
