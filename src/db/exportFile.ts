/**
 * Export of projects as ".crucible.json" files.
 *
 * One consistent snapshot per file is read in one transaction, then written
 * out as a Blob made of pieces: the text is never one giant string (a 75 MB
 * project held its records, their lines and two joined copies of the text at
 * once). Each piece of about a megabyte becomes a Blob at once, so at most one
 * piece is held as a string; the browser keeps Blob data out of the JS heap
 * and can hand it to a file on disk as a stream.
 *
 * The bytes are exactly those of the earlier one-string serialiser (one record
 * per line), which tests/unit/exportFile.test.ts checks on every fixture.
 */
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  backupFileName,
  exportFileName,
  type ExportFile,
  type ProjectExportData,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { NotFoundError, StorageFullError, guardedWrite } from './errors';
import { ALL_PROJECT_TABLES, APP_VERSION, type ProgressCallback } from './transfer';

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

/** Text gathered before it becomes a Blob piece (UTF-16 units): big enough to be few pieces, small enough to hold once. */
const PIECE_CHARS = 1 << 20;
/** Work between two yields to the event loop: about a frame, so the progress bar paints and input is handled. */
const SLICE_MS = 12;

/**
 * A turn of the event loop without the 4 ms clamp that nested setTimeout(0)
 * calls get (321 of them cost a 75 MB export 1.3 s of pure waiting).
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Collects the file's text as Blob pieces. */
class PieceWriter {
  private readonly pieces: Blob[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= PIECE_CHARS) this.flush();
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.pieces.push(new Blob(this.pending));
    this.pending = [];
    this.pendingChars = 0;
  }

  finish(type: string): Blob {
    this.flush();
    return new Blob(this.pieces, { type });
  }
}

const LIST_KEYS = ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const;

/**
 * JSON with one record per line. It parses to exactly the envelope object;
 * the layout keeps large files diffable and lets us report progress.
 */
async function serialise(file: ExportFile, onProgress?: ProgressCallback): Promise<Blob> {
  const projects = file.scope === 'project' ? [file.data] : file.data.projects;
  const total = projects.reduce((sum, project) => sum + 3 + LIST_KEYS.reduce((count, key) => count + project[key].length, 0), 0);
  const out = new PieceWriter();
  let done = 0;
  let sliceStart = performance.now();
  const tick = async () => {
    done += 1;
    if (performance.now() - sliceStart < SLICE_MS) return;
    onProgress?.({ phase: 'serialising', done, total });
    await yieldToEventLoop();
    sliceStart = performance.now();
  };

  const writeProject = async (data: ProjectExportData) => {
    out.write('{\n');
    let first = true;
    for (const key of ['project', 'spec', 'worldModel'] as const) {
      out.write(`${first ? '' : ',\n'}${JSON.stringify(key)}:${JSON.stringify(data[key])}`);
      first = false;
      await tick();
    }
    for (const key of LIST_KEYS) {
      const records = data[key];
      if (!records.length) {
        out.write(`,\n${JSON.stringify(key)}:[]`);
        continue;
      }
      out.write(`,\n${JSON.stringify(key)}:[\n`);
      for (let index = 0; index < records.length; index += 1) {
        out.write(index === 0 ? JSON.stringify(records[index]) : `,\n${JSON.stringify(records[index])}`);
        await tick();
      }
      out.write('\n]');
    }
    out.write('\n}');
  };

  const { data: _data, ...envelope } = file;
  out.write(`${JSON.stringify(envelope).slice(0, -1)},"data":`);
  if (file.scope === 'project') {
    await writeProject(file.data);
  } else {
    out.write('{"projects":[\n');
    for (let index = 0; index < file.data.projects.length; index += 1) {
      if (index > 0) out.write(',\n');
      await writeProject(file.data.projects[index]!);
    }
    out.write('\n]}');
  }
  out.write('}\n');
  onProgress?.({ phase: 'serialising', done: total, total });
  return out.finish('application/json');
}

export interface ExportedFile {
  fileName: string;
  /** False when the export time could not be saved (storage full); the file itself is complete. */
  recorded: boolean;
  /** The file, as Blob pieces: `await blob.text()` reads it back. */
  blob: Blob;
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
  const blob = await serialise(file, options.onProgress);
  const recorded = await markExported([projectId], exportedAt);
  return { fileName: exportFileName(data.project.title), recorded, blob, file };
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
  const blob = await serialise(file, options.onProgress);
  const recorded = await markExported(
    projects.map((p) => p.project.id),
    exportedAt,
  );
  return { fileName: backupFileName(exportedAt), recorded, blob, file };
}
