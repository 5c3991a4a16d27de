/**
 * Export and import of projects as ".crucible.json" files.
 *
 * Export lives in ./exportFile. Import runs the pure pipeline from the domain
 * (parse → envelope → migrate → validate → resolve) to a preview, and only on
 * confirm writes every project with fresh ids in ONE transaction: a failure at
 * any point leaves the database exactly as it was.
 */
import { version as packageVersion } from '../../package.json';
import {
  MAX_IMPORT_BYTES,
  fileTooLargeError,
  freshImportRecords,
  newId,
  prepareImportText,
  type ImportRecords,
  type ImportResult,
  type PreparedImport,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { StorageFullError, causeDetail, guardedWrite } from './errors';

export const APP_VERSION: string = packageVersion;

export type TransferPhase = 'reading' | 'serialising' | 'saving' | 'parsing' | 'validating' | 'writing';

export interface TransferProgress {
  phase: TransferPhase;
  done: number;
  total: number;
}

export type ProgressCallback = (progress: TransferProgress) => void;

/** Every table a project's records live in: export reads them in one snapshot, import writes them in one transaction. */
export const ALL_PROJECT_TABLES = () => [
  db.projects,
  db.specs,
  db.worldModels,
  db.chatSessions,
  db.messages,
  db.runs,
  db.candidates,
  db.scenarios,
  db.evaluations,
];

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

export type { PreparedImport, PreparedImportSummary, PreparedProject } from '../domain';

export interface PrepareOptions {
  /** Refuse files larger than this many bytes (default MAX_IMPORT_BYTES). */
  maxBytes?: number;
  onProgress?: ProgressCallback;
}

export type ImportSource = string | Blob;

/** Steps 1–5 on this thread: parse, check, migrate, validate and resolve, ending in the preview. Writes nothing. */
export async function prepareImport(source: ImportSource, options: PrepareOptions = {}): Promise<ImportResult<PreparedImport>> {
  const limit = options.maxBytes ?? MAX_IMPORT_BYTES;
  const sizeBytes = typeof source === 'string' ? new TextEncoder().encode(source).length : source.size;
  if (sizeBytes > limit) return { ok: false, error: fileTooLargeError(sizeBytes, limit) };
  options.onProgress?.({ phase: 'parsing', done: 0, total: 1 });
  let text: string;
  try {
    text = typeof source === 'string' ? source : await source.text();
  } catch (error) {
    return { ok: false, error: { code: 'unreadable', detail: causeDetail(error) } };
  }
  return prepareImportText(text, sizeBytes, { newId, now: monotonicNow(), onProgress: options.onProgress });
}

export interface ImportedProject {
  projectId: string;
  title: string;
  /** The chat to open first (most recently active). */
  chatId: string;
}

export interface CommitOptions {
  onProgress?: ProgressCallback;
  /** Testing hook: the id generator (defaults to newId). */
  newId?: () => string;
}

/** Rows per bulkAdd; between batches IndexedDB yields, so the progress bar can repaint. */
const WRITE_BATCH = 5000;

/** Step 6: writes every prepared project as a new project with fresh ids, all in one transaction. */
export async function commitImport(prepared: PreparedImport, options: CommitOptions = {}): Promise<ImportResult<ImportedProject[]>> {
  // The check the preview ran as a dry run, now on exactly what is about to be written.
  const records = freshImportRecords(prepared, options.newId ?? newId, monotonicNow());
  if (!records.ok) return records;
  return writeImportRecords(records.value, options);
}

/**
 * Writes projects already given fresh ids and checked (freshImportRecords, here
 * or in the import worker), all in one transaction: a failure at any point
 * leaves the database exactly as it was.
 */
export async function writeImportRecords(
  projects: readonly ImportRecords[],
  options: Pick<CommitOptions, 'onProgress'> = {},
): Promise<ImportResult<ImportedProject[]>> {
  const total = projects.reduce(
    (sum, p) =>
      sum + 3 + p.chats.length + p.messages.length + p.runs.length + p.candidates.length + p.scenarios.length + p.evaluations.length,
    0,
  );
  let done = 0;
  const report = () => options.onProgress?.({ phase: 'writing', done, total });
  const addAll = async <T>(table: { bulkAdd(rows: readonly T[]): Promise<unknown> }, rows: readonly T[]) => {
    for (let start = 0; start < rows.length; start += WRITE_BATCH) {
      const batch = rows.slice(start, start + WRITE_BATCH);
      await table.bulkAdd(batch);
      done += batch.length;
      report();
    }
  };

  try {
    await guardedWrite(() =>
      db.transaction('rw', ALL_PROJECT_TABLES(), async () => {
        report();
        for (const project of projects) {
          await addAll(db.projects, [project.project]);
          await addAll(db.specs, [project.spec]);
          await addAll(db.worldModels, [project.worldModel]);
          await addAll(db.chatSessions, project.chats);
          await addAll(db.runs, project.runs);
          await addAll(db.candidates, project.candidates);
          await addAll(db.scenarios, project.scenarios);
          await addAll(db.evaluations, project.evaluations);
          await addAll(db.messages, project.messages);
        }
      }),
    );
  } catch (error) {
    // One transaction: whatever failed, nothing of the import was written.
    if (error instanceof StorageFullError) return { ok: false, error: { code: 'storage-full' } };
    return { ok: false, error: { code: 'write-failed', detail: causeDetail(error) } };
  }

  return {
    ok: true,
    value: projects.map((project) => {
      const latest = [...project.chats].sort(
        (a, b) => (a.archivedAt === null ? 0 : 1) - (b.archivedAt === null ? 0 : 1) || b.lastMessageAt - a.lastMessageAt,
      )[0]!;
      return { projectId: project.project.id, title: project.project.title, chatId: latest.id };
    }),
  };
}

/** Prepare and commit in one go, for callers that need no preview (the sample project). */
export async function importFile(
  source: ImportSource,
  options: PrepareOptions & CommitOptions = {},
): Promise<ImportResult<ImportedProject[]>> {
  const prepared = await prepareImport(source, options);
  if (!prepared.ok) return prepared;
  return commitImport(prepared.value, options);
}
