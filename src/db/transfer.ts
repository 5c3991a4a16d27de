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
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  MAX_IMPORT_BYTES,
  emptySpecContent,
  emptyWorldModel,
  fileTooLargeError,
  invalidRecordsError,
  validateProjectData,
  type RawProjectData,
  newId,
  parseExportText,
  readExportFile,
  describeScoreRepairs,
  resolveProjectData,
  withFreshIds,
  newChatSession,
  type ChatSession,
  type EntityCounts,
  type EnvelopeInfo,
  type ImportError,
  type ImportResult,
  type ProjectExportData,
  type ProjectPreview,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { StorageFullError, describeError, guardedWrite } from './errors';

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

export interface PreparedProject {
  preview: ProjectPreview;
  warnings: string[];
  /** Resolved data with the file's ids; fresh ids are given at commit, so each commit is independent. */
  data: ProjectExportData;
}

export interface PreparedImport {
  info: EnvelopeInfo;
  sizeBytes: number;
  projects: PreparedProject[];
  totals: EntityCounts & { projects: number };
  /** Everything the user should know before confirming, for all projects. */
  warnings: string[];
}

export interface PrepareOptions {
  /** Refuse files larger than this many bytes (default MAX_IMPORT_BYTES). */
  maxBytes?: number;
  onProgress?: ProgressCallback;
}

export type ImportSource = string | Blob;

/** Steps 1–5: parse, check, migrate, validate and resolve, ending in the preview. Writes nothing. */
export async function prepareImport(source: ImportSource, options: PrepareOptions = {}): Promise<ImportResult<PreparedImport>> {
  const limit = options.maxBytes ?? MAX_IMPORT_BYTES;
  const sizeBytes = typeof source === 'string' ? new TextEncoder().encode(source).length : source.size;
  if (sizeBytes > limit) return { ok: false, error: fileTooLargeError(sizeBytes, limit) };
  options.onProgress?.({ phase: 'parsing', done: 0, total: 1 });
  let text: string;
  try {
    text = typeof source === 'string' ? source : await source.text();
  } catch (error) {
    return { ok: false, error: { code: 'unreadable', detail: describeError(error) } };
  }
  const parsed = parseExportText(text);
  if (!parsed.ok) return parsed;
  options.onProgress?.({ phase: 'validating', done: 0, total: 1 });
  const read = readExportFile(parsed.value.value);
  if (!read.ok) return read;

  const { info } = read.value;
  const warnings: string[] = [];
  if (info.formatVersion < CURRENT_FORMAT_VERSION || info.schemaVersion < CURRENT_SCHEMA_VERSION) {
    warnings.push(
      `The file comes from an older version of Int Crucible (format version ${info.formatVersion}, schema version ${info.schemaVersion}); it is upgraded to the current format on import.`,
    );
  }
  if (parsed.value.unsafeKeysRemoved) {
    warnings.push(`${parsed.value.unsafeKeysRemoved} unsafe key(s) such as "__proto__" or "constructor" were ignored.`);
  }
  const projects = read.value.projects.map((data) => resolveProjectData(data));
  // A dry run of the commit's own check on what it would write, so the preview never offers a file the commit refuses.
  const unwritable = writeProblems(projects.map(({ data }) => withFreshProjectIds(data, newId, monotonicNow())));
  if (unwritable) return { ok: false, error: unwritable };
  const several = projects.length > 1;
  for (const [index, project] of projects.entries()) {
    const repairs = read.value.repairs[index];
    if (repairs) project.warnings.unshift(...describeScoreRepairs(repairs));
    for (const warning of project.warnings) warnings.push(several ? `${project.preview.title}: ${warning}` : warning);
    if (project.data.chats.length === 0) {
      warnings.push(`${several ? `${project.preview.title}: ` : ''}The file has no chats; the project gets an empty Setup chat.`);
    }
  }
  const totals = { projects: projects.length, chats: 0, messages: 0, runs: 0, candidates: 0, scenarios: 0, evaluations: 0 };
  for (const { preview } of projects) {
    for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const) totals[key] += preview.counts[key];
  }
  options.onProgress?.({ phase: 'validating', done: 1, total: 1 });
  return {
    ok: true,
    value: {
      info,
      sizeBytes,
      projects: projects.map(({ data, preview, warnings: w }) => ({ data, preview, warnings: w })),
      totals,
      warnings,
    },
  };
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

function toRawProjectData(data: ProjectExportData): RawProjectData {
  return { ...data };
}

/** Rows per bulkAdd; between batches IndexedDB yields, so the progress bar can repaint. */
const WRITE_BATCH = 5000;

function emptySetupChat(projectId: string, now: number, id: string): ChatSession {
  return newChatSession({ id, projectId, title: 'Setup', mode: 'setup', createdAt: now });
}

/** A prepared project as it will be written: fresh ids, and the records an import always has. */
function withFreshProjectIds(data: ProjectExportData, makeId: () => string, now: number) {
  const fresh = withFreshIds(data, { newId: makeId, now });
  const chats = fresh.chats.length ? fresh.chats : [emptySetupChat(fresh.project.id, now, makeId())];
  return {
    ...fresh,
    chats,
    project: { ...fresh.project, chatCount: chats.length },
    spec: fresh.spec ?? { projectId: fresh.project.id, ...emptySpecContent(), provenance: [], updatedAt: now },
    worldModel: fresh.worldModel ?? emptyWorldModel(fresh.project.id, now),
  };
}

/** Every record about to be written, validated as the preview validated the file; null when all pass. */
function writeProblems(projects: readonly ProjectExportData[]): ImportError | null {
  const problems = projects.flatMap(
    (project, index) => validateProjectData(toRawProjectData(project), projects.length > 1 ? `projects[${index}].` : '').problems,
  );
  return problems.length ? invalidRecordsError(problems) : null;
}

/** Step 6: writes every prepared project as a new project with fresh ids, all in one transaction. */
export async function commitImport(prepared: PreparedImport, options: CommitOptions = {}): Promise<ImportResult<ImportedProject[]>> {
  const makeId = options.newId ?? newId;
  const now = monotonicNow();
  let projects: ReturnType<typeof withFreshProjectIds>[];
  try {
    projects = prepared.projects.map(({ data }) => withFreshProjectIds(data, makeId, now));
  } catch (error) {
    return { ok: false, error: { code: 'write-failed', detail: describeError(error) } };
  }
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

  // The check the preview ran as a dry run, now on exactly what is about to be written.
  const unwritable = writeProblems(projects);
  if (unwritable) return { ok: false, error: unwritable };

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
    return { ok: false, error: { code: 'write-failed', detail: describeError(error) } };
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
