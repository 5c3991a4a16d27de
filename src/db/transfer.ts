/**
 * Export and import of projects as ".crucible.json" files.
 *
 * Export reads one consistent snapshot per file and serialises it in slices so
 * a progress bar can move. Import runs the pure pipeline from the domain
 * (parse → envelope → migrate → validate → resolve) to a preview, and only on
 * confirm writes every project with fresh ids in ONE transaction: a failure at
 * any point leaves the database exactly as it was.
 */
import { version as packageVersion } from '../../package.json';
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  MAX_IMPORT_BYTES,
  backupFileName,
  emptySpecContent,
  emptyWorldModel,
  exportFileName,
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
  type ExportFile,
  type ImportResult,
  type ProjectExportData,
  type ProjectPreview,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { StorageFullError, describeError, guardedWrite, NotFoundError } from './errors';

export const APP_VERSION: string = packageVersion;

export type TransferPhase = 'reading' | 'serialising' | 'parsing' | 'validating' | 'writing';

export interface TransferProgress {
  phase: TransferPhase;
  done: number;
  total: number;
}

export type ProgressCallback = (progress: TransferProgress) => void;

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

const ALL_PROJECT_TABLES = () => [
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

function byCreatedThenId<T extends { createdAt: number; id: string }>(a: T, b: T): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A stable order that does not depend on ids (which change on import), so
 * export → import → export yields the same sequence of records.
 */
function inExportOrder(data: ProjectExportData): ProjectExportData {
  const runs = [...data.runs].sort(byCreatedThenId);
  const runOrder = new Map(runs.map((run, index) => [run.id, index]));
  const rank = (runId: string) => runOrder.get(runId) ?? Number.MAX_SAFE_INTEGER;
  const candidates = [...data.candidates].sort((a, b) => rank(a.runId) - rank(b.runId) || a.rank - b.rank || (a.id < b.id ? -1 : 1));
  const scenarios = [...data.scenarios].sort((a, b) => rank(a.runId) - rank(b.runId) || a.index - b.index || (a.id < b.id ? -1 : 1));
  const candidateOrder = new Map(candidates.map((c, index) => [c.id, index]));
  const scenarioOrder = new Map(scenarios.map((s, index) => [s.id, index]));
  const evaluations = [...data.evaluations].sort(
    (a, b) =>
      (candidateOrder.get(a.candidateId) ?? 0) - (candidateOrder.get(b.candidateId) ?? 0) ||
      (scenarioOrder.get(a.scenarioId) ?? 0) - (scenarioOrder.get(b.scenarioId) ?? 0) ||
      (a.id < b.id ? -1 : 1),
  );
  return {
    ...data,
    chats: [...data.chats].sort(byCreatedThenId),
    messages: [...data.messages].sort(byCreatedThenId),
    runs,
    candidates,
    scenarios,
    evaluations,
  };
}

/** Everything that belongs to the projects, read in one transaction so the file is a consistent snapshot. */
async function readProjects(projectIds: string[] | 'all', onProgress?: ProgressCallback): Promise<ProjectExportData[]> {
  return db.transaction('r', ALL_PROJECT_TABLES(), async () => {
    const projects =
      projectIds === 'all' ? await db.projects.orderBy('updatedAt').reverse().toArray() : await db.projects.bulkGet(projectIds);
    const found = projects.map((project, index) => {
      if (!project) throw new NotFoundError('Project', projectIds === 'all' ? '?' : (projectIds[index] ?? '?'));
      return project;
    });
    // Progress counts tables read: evaluations and messages dominate, so each gets its own step.
    const STEPS_PER_PROJECT = 8;
    const total = found.length * STEPS_PER_PROJECT;
    let done = 0;
    const step = <T>(read: Promise<T>): Promise<T> =>
      read.then((value) => {
        done += 1;
        onProgress?.({ phase: 'reading', done, total });
        return value;
      });
    onProgress?.({ phase: 'reading', done, total });
    const result: ProjectExportData[] = [];
    for (const project of found) {
      const id = project.id;
      const [spec, worldModel, chats, messages, runs, candidates, scenarios, evaluations] = await Promise.all([
        db.specs.get(id),
        step(db.worldModels.get(id)),
        step(db.chatSessions.where('projectId').equals(id).toArray()),
        step(db.messages.where('projectId').equals(id).toArray()),
        step(db.runs.where('projectId').equals(id).toArray()),
        step(db.candidates.where('projectId').equals(id).toArray()),
        step(db.scenarios.where('projectId').equals(id).toArray()),
        step(db.evaluations.where('projectId').equals(id).toArray()),
      ]);
      done += 1;
      result.push(
        inExportOrder({
          project,
          spec: spec ?? null,
          worldModel: worldModel ?? null,
          chats,
          messages,
          runs,
          candidates,
          scenarios,
          evaluations,
        }),
      );
    }
    onProgress?.({ phase: 'reading', done: total, total });
    return result;
  });
}

/** Records serialised between two yields to the event loop: keeps the page responsive and the progress bar moving. */
const SERIALISE_SLICE = 400;

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * JSON with one record per line. It parses to exactly the envelope object;
 * the layout just keeps large files diffable and lets us report progress.
 */
async function serialise(file: ExportFile, onProgress?: ProgressCallback): Promise<string> {
  const projects = file.scope === 'project' ? [file.data] : file.data.projects;
  const total = projects.reduce(
    (sum, p) =>
      sum + 3 + p.chats.length + p.messages.length + p.runs.length + p.candidates.length + p.scenarios.length + p.evaluations.length,
    0,
  );
  let done = 0;
  const parts: string[] = [];
  const tick = async (count: number) => {
    const before = Math.floor(done / SERIALISE_SLICE);
    done += count;
    if (Math.floor(done / SERIALISE_SLICE) !== before) {
      onProgress?.({ phase: 'serialising', done, total });
      await yieldToBrowser();
    }
  };
  const serialiseProject = async (data: ProjectExportData): Promise<string> => {
    const fields: string[] = [];
    for (const key of ['project', 'spec', 'worldModel'] as const) {
      fields.push(`${JSON.stringify(key)}:${JSON.stringify(data[key])}`);
    }
    await tick(3);
    for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const) {
      const lines: string[] = [];
      for (const record of data[key]) {
        lines.push(JSON.stringify(record));
        await tick(1);
      }
      fields.push(lines.length ? `${JSON.stringify(key)}:[\n${lines.join(',\n')}\n]` : `${JSON.stringify(key)}:[]`);
    }
    return `{\n${fields.join(',\n')}\n}`;
  };

  const { data: _data, ...header } = file;
  const headerJson = JSON.stringify(header);
  parts.push(headerJson.slice(0, -1), ',"data":');
  if (file.scope === 'project') {
    parts.push(await serialiseProject(file.data));
  } else {
    const serialised: string[] = [];
    for (const project of file.data.projects) serialised.push(await serialiseProject(project));
    parts.push(`{"projects":[\n${serialised.join(',\n')}\n]}`);
  }
  parts.push('}\n');
  onProgress?.({ phase: 'serialising', done: total, total });
  return parts.join('');
}

export interface ExportedFile {
  fileName: string;
  /** False when the export time could not be saved (storage full); the file itself is complete. */
  recorded: boolean;
  /** The file's JSON text. */
  content: string;
  file: ExportFile;
}

export interface ExportOptions {
  onProgress?: ProgressCallback;
  /** Overrides the export time (tests, deterministic fixtures). */
  now?: number;
}

function header(exportedAt: number) {
  return {
    format: EXPORT_FORMAT,
    formatVersion: CURRENT_FORMAT_VERSION,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    exportedAt,
    appVersion: APP_VERSION,
  } as const;
}

/**
 * Remembers the export on each project (drives the backup reminder) without
 * counting as an edit. Failing to record it (a full disk) must not cost the
 * user the file they asked for, so it reports instead of throwing.
 */
async function markExported(projectIds: string[], at: number): Promise<boolean> {
  try {
    await guardedWrite(() =>
      db.transaction('rw', db.projects, async () => {
        await db.projects.where('id').anyOf(projectIds).modify({ lastExportedAt: at });
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof StorageFullError) return false;
    throw error;
  }
}

/** One project as `<title>.crucible.json`. Settings are never read, so they can never leak into a file. */
export async function exportProject(projectId: string, options: ExportOptions = {}): Promise<ExportedFile> {
  const exportedAt = options.now ?? monotonicNow();
  const [data] = await readProjects([projectId], options.onProgress);
  if (!data) throw new NotFoundError('Project', projectId);
  const file: ExportFile = {
    ...header(exportedAt),
    scope: 'project',
    data: { ...data, project: { ...data.project, lastExportedAt: exportedAt } },
  };
  const content = await serialise(file, options.onProgress);
  const recorded = await markExported([projectId], exportedAt);
  return { fileName: exportFileName(data.project.title), recorded, content, file };
}

/** Every project in one backup file. */
export async function exportAllProjects(options: ExportOptions = {}): Promise<ExportedFile> {
  const exportedAt = options.now ?? monotonicNow();
  const projects = await readProjects('all', options.onProgress);
  const file: ExportFile = {
    ...header(exportedAt),
    scope: 'backup',
    data: { projects: projects.map((data) => ({ ...data, project: { ...data.project, lastExportedAt: exportedAt } })) },
  };
  const content = await serialise(file, options.onProgress);
  const recorded = await markExported(
    projects.map((p) => p.project.id),
    exportedAt,
  );
  return { fileName: backupFileName(exportedAt), recorded, content, file };
}

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

  // The same validation the preview ran, on exactly what is about to be written: the
  // preview can never accept a file the commit then rejects halfway.
  const problems = projects.flatMap(
    (project, index) => validateProjectData(toRawProjectData(project), projects.length > 1 ? `projects[${index}].` : '').problems,
  );
  if (problems.length) return { ok: false, error: invalidRecordsError(problems) };

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
