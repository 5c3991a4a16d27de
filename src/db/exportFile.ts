/**
 * Export of projects as ".crucible.json" files.
 *
 * One consistent snapshot per file is read in one transaction. Every table's
 * read is issued at once, and each table is written out as soon as it and the
 * tables its order depends on have arrived, while IndexedDB still reads the
 * rest: the messages are written while the evaluations are read. Each table
 * becomes a Blob section of its own (./blobWriter), and the file is those
 * sections in file order, so the order of reading is free.
 *
 * The text is never one giant string: the browser keeps Blob data out of the
 * JS heap and can hand it to a file on disk as a stream. The bytes are exactly
 * those of the earlier one-string serialiser (one record per line), which
 * tests/unit/exportFile.test.ts checks on every fixture.
 */
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  backupFileName,
  exportFileName,
  type Candidate,
  type ChatSession,
  type Evaluation,
  type ExportFile,
  type Message,
  type ProblemSpec,
  type Project,
  type ProjectExportData,
  type Run,
  type Scenario,
  type WorldModel,
} from '../domain';
import { BlobWriter } from './blobWriter';
import { monotonicNow } from './clock';
import { db } from './database';
import { NotFoundError, StorageFullError, guardedWrite } from './errors';
import { evaluationsInOrder, inTimeOrder, runResultsInOrder } from './exportOrder';
import { leaveMeasure } from './measure';
import { ALL_PROJECT_TABLES, APP_VERSION, type ProgressCallback } from './transfer';

/**
 * The performance measures an export leaves, for profiles and the bench's breakdown of P5: reading, from the
 * first request to the last record read, and the tail, from then until the file is whole. Writing runs in both.
 */
export const EXPORT_MEASURES = { reading: 'Int Crucible: export reading', tail: 'Int Crucible: export after reading' } as const;

/** One project's reads, each settling as IndexedDB delivers it; all of them belong to one transaction. */
interface ProjectReads {
  project: Project;
  spec: Promise<ProblemSpec | undefined>;
  worldModel: Promise<WorldModel | undefined>;
  chats: Promise<ChatSession[]>;
  runs: Promise<Run[]>;
  candidates: Promise<Candidate[]>;
  scenarios: Promise<Scenario[]>;
  messages: Promise<Message[]>;
  evaluations: Promise<Evaluation[]>;
}

const READS_PER_PROJECT = 8;

interface Snapshot {
  /** Resolves once every read is issued (the projects are found), before any table has arrived. */
  issued: Promise<ProjectReads[]>;
  /** Settles when every read has; rejects with the transaction's failure. */
  complete: Promise<void>;
}

/**
 * Starts every read of the projects in one transaction, so the caller can
 * write each table while later ones are still being read. The request order is
 * the order the writer needs them: the small tables first, then the messages,
 * then the evaluations, which wait for the candidates' and scenarios' order anyway.
 */
function startSnapshot(projectIds: string[] | 'all', onRead: (value: unknown) => void): Snapshot {
  let markIssued!: (reads: ProjectReads[]) => void;
  const issued = new Promise<ProjectReads[]>((resolve) => (markIssued = resolve));
  // The scope is a plain function on purpose: an async one makes Dexie carry the transaction's zone
  // into the native awaits of whoever consumes the reads, and their later transactions fail as nested in this one.
  const complete = db.transaction('r', ALL_PROJECT_TABLES(), () =>
    (projectIds === 'all' ? db.projects.orderBy('updatedAt').reverse().toArray() : db.projects.bulkGet(projectIds)).then((projects) => {
      const found = projects.map((project, index) => {
        if (!project) throw new NotFoundError('Project', projectIds === 'all' ? '?' : (projectIds[index] ?? '?'));
        return project;
      });
      const counted = <T>(read: Promise<T>): Promise<T> =>
        read.then((value) => {
          onRead(value);
          return value;
        });
      const reads = found.map((project): ProjectReads => {
        const id = project.id;
        return {
          project,
          spec: counted(db.specs.get(id)),
          worldModel: counted(db.worldModels.get(id)),
          chats: counted(db.chatSessions.where('projectId').equals(id).toArray()),
          runs: counted(db.runs.where('projectId').equals(id).toArray()),
          candidates: counted(db.candidates.where('projectId').equals(id).toArray()),
          scenarios: counted(db.scenarios.where('projectId').equals(id).toArray()),
          messages: counted(db.messages.where('projectId').equals(id).toArray()),
          evaluations: counted(db.evaluations.where('projectId').equals(id).toArray()),
        };
      });
      markIssued(reads);
      return Promise.all(
        reads.flatMap((read) => [
          read.spec,
          read.worldModel,
          read.chats,
          read.runs,
          read.candidates,
          read.scenarios,
          read.messages,
          read.evaluations,
        ]),
      ).then(() => undefined);
    }),
  );
  // A failure before the reads are issued (a missing project, a failed open) is the snapshot's own.
  return { issued: Promise.race([issued, complete.then(() => issued)]), complete };
}

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

const LIST_KEYS = ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const;
type ListKey = (typeof LIST_KEYS)[number];

/**
 * Progress over the whole export as one number that never goes back, in thousandths: reading fills the first
 * READING_SHARE (the reads are most of an export's time: 4.5 of 5.5 s for a 74 MB project), and the writing left
 * after the last read fills the rest. Reads are counted by table, since a table's size is known only once it is in.
 */
const PROGRESS_TOTAL = 1000;
const READING_SHARE = 0.9;

class ExportProgress {
  private readsTotal: number | null = null;
  private readsDone = 0;
  private written = 0;
  private toWrite = 0;
  private writtenWhenRead = 0;
  private reported = 0;
  private sliceStart = performance.now();

  constructor(private readonly onProgress?: ProgressCallback) {}

  private report(): void {
    if (this.readsTotal === null) return;
    const reading = this.readsDone < this.readsTotal;
    const left = this.toWrite - this.writtenWhenRead;
    const share = reading
      ? (READING_SHARE * this.readsDone) / this.readsTotal
      : READING_SHARE + (1 - READING_SHARE) * (left > 0 ? (this.written - this.writtenWhenRead) / left : 1);
    this.reported = Math.max(this.reported, Math.min(PROGRESS_TOTAL, Math.floor(share * PROGRESS_TOTAL)));
    this.onProgress?.({ phase: reading ? 'reading' : 'serialising', done: this.reported, total: PROGRESS_TOTAL });
  }

  /** Reporting starts once the projects (each one record of the file) are found and the number of reads is known. */
  start(projects: number): void {
    this.readsTotal = projects * READS_PER_PROJECT;
    this.toWrite += projects;
    if (this.readsDone === this.readsTotal) this.writtenWhenRead = this.written;
    this.report();
  }

  /** A table (a list of records) or a single record (a spec, a world model: written even when absent) has arrived. */
  readFinished(value: unknown): void {
    this.readsDone += 1;
    this.toWrite += Array.isArray(value) ? value.length : 1;
    if (this.readsDone === this.readsTotal) this.writtenWhenRead = this.written;
    this.report();
  }

  /** One record written; yields to the event loop once a slice of work is done. */
  async recordWritten(): Promise<void> {
    this.written += 1;
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    this.report();
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }

  finish(): void {
    this.reported = PROGRESS_TOTAL;
    this.onProgress?.({ phase: 'serialising', done: PROGRESS_TOTAL, total: PROGRESS_TOTAL });
  }
}

/** `,\n"key":[\n…\n]`: one record per line, the layout that keeps large files diffable. */
async function listSection(key: ListKey, records: readonly unknown[], progress: ExportProgress): Promise<Blob> {
  const out = new BlobWriter();
  if (!records.length) {
    out.write(`,\n${JSON.stringify(key)}:[]`);
    return out.finish();
  }
  out.write(`,\n${JSON.stringify(key)}:[\n`);
  for (let index = 0; index < records.length; index += 1) {
    out.write(index === 0 ? JSON.stringify(records[index]) : `,\n${JSON.stringify(records[index])}`);
    await progress.recordWritten();
  }
  out.write('\n]');
  return out.finish();
}

interface WrittenProject {
  data: ProjectExportData;
  /** The project's object in the file, `{…}`, as Blob sections in file order. */
  sections: Blob[];
}

/** Writes one project's tables in the order they arrive and returns them in file order. */
async function writeProject(reads: ProjectReads, exportedAt: number, progress: ExportProgress): Promise<WrittenProject> {
  const project: Project = { ...reads.project, lastExportedAt: exportedAt };
  const spec = (await reads.spec) ?? null;
  const worldModel = (await reads.worldModel) ?? null;
  const head = new BlobWriter();
  head.write(`{\n"project":${JSON.stringify(project)}`);
  await progress.recordWritten();
  head.write(`,\n"spec":${JSON.stringify(spec)}`);
  await progress.recordWritten();
  head.write(`,\n"worldModel":${JSON.stringify(worldModel)}`);
  await progress.recordWritten();

  const chats = inTimeOrder(await reads.chats);
  const chatsSection = await listSection('chats', chats, progress);
  const { runs, candidates, scenarios } = runResultsInOrder(await reads.runs, await reads.candidates, await reads.scenarios);
  const runsSection = await listSection('runs', runs, progress);
  const candidatesSection = await listSection('candidates', candidates, progress);
  const scenariosSection = await listSection('scenarios', scenarios, progress);
  const messages = inTimeOrder(await reads.messages);
  const messagesSection = await listSection('messages', messages, progress);
  const evaluations = evaluationsInOrder(await reads.evaluations, candidates, scenarios);
  const evaluationsSection = await listSection('evaluations', evaluations, progress);

  const data: ProjectExportData = { project, spec, worldModel, chats, messages, runs, candidates, scenarios, evaluations };
  const sections: Record<ListKey, Blob> = {
    chats: chatsSection,
    messages: messagesSection,
    runs: runsSection,
    candidates: candidatesSection,
    scenarios: scenariosSection,
    evaluations: evaluationsSection,
  };
  return { data, sections: [head.finish(), ...LIST_KEYS.map((key) => sections[key]), new Blob(['\n}'])] };
}

type Envelope = Omit<ExportFile, 'data'>;

interface Serialised {
  blob: Blob;
  projects: ProjectExportData[];
}

/**
 * Reads and writes the projects: JSON with one record per line, which parses
 * to exactly the envelope object. `backup` wraps the projects in `{"projects":[…]}`.
 */
async function readAndSerialise(
  projectIds: string[] | 'all',
  envelope: Envelope,
  exportedAt: number,
  onProgress?: ProgressCallback,
): Promise<Serialised> {
  const progress = new ExportProgress(onProgress);
  const readStart = performance.now();
  let readEnd = readStart;
  const snapshot = startSnapshot(projectIds, (value) => progress.readFinished(value));
  const projects = await snapshot.issued;
  progress.start(projects.length);
  const allRead = snapshot.complete.then(() => {
    leaveMeasure(EXPORT_MEASURES.reading, readStart);
    readEnd = performance.now();
  });

  const writing = (async () => {
    const written: WrittenProject[] = [];
    for (const reads of projects) written.push(await writeProject(reads, exportedAt, progress));
    return written;
  })();
  // Promise.all holds both, so a failure of either is reported and neither goes unhandled.
  const [written] = await Promise.all([writing, allRead]);

  const parts: BlobPart[] = [`${JSON.stringify(envelope).slice(0, -1)},"data":`];
  if (envelope.scope === 'project') {
    parts.push(...written[0]!.sections);
  } else {
    parts.push('{"projects":[\n');
    written.forEach((project, index) => parts.push(...(index > 0 ? [',\n'] : []), ...project.sections));
    parts.push('\n]}');
  }
  parts.push('}\n');
  const blob = new Blob(parts, { type: 'application/json' });
  progress.finish();
  leaveMeasure(EXPORT_MEASURES.tail, readEnd);
  return { blob, projects: written.map((project) => project.data) };
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
  const envelope = { ...header(exportedAt), scope: 'project' } as const;
  const { blob, projects } = await readAndSerialise([projectId], envelope, exportedAt, options.onProgress);
  const data = projects[0];
  if (!data) throw new NotFoundError('Project', projectId);
  const recorded = await markExported([projectId], exportedAt);
  return { fileName: exportFileName(data.project.title), recorded, blob, file: { ...envelope, data } };
}

/** Every project in one backup file. */
export async function exportAllProjects(options: ExportOptions = {}): Promise<ExportedFile> {
  const exportedAt = options.now ?? monotonicNow();
  const envelope = { ...header(exportedAt), scope: 'backup' } as const;
  const { blob, projects } = await readAndSerialise('all', envelope, exportedAt, options.onProgress);
  const recorded = await markExported(
    projects.map((p) => p.project.id),
    exportedAt,
  );
  return { fileName: backupFileName(exportedAt), recorded, blob, file: { ...envelope, data: { projects } } };
}
