/**
 * The project file format (".crucible.json") and the pure half of the import
 * pipeline: parse → check the envelope → migrate older records forward →
 * validate every record. Nothing here touches storage, so the same code checks
 * a file in a unit test, in the import preview and right before the write.
 */
import type { z } from 'zod';
import { candidateSchema, type Candidate } from './candidate';
import { chatSessionSchema, type ChatSession } from './chat';
import { evaluationSchema, type Evaluation } from './evaluation';
import { messageSchema, type Message } from './message';
import {
  CURRENT_SCHEMA_VERSION,
  emptyRecordSet,
  migrateRecordSet,
  repairScoreNoise,
  type RecordSet,
  type ScoreRepairs,
} from './migrations';
import { projectSchema, type Project } from './project';
import { runSchema, type Run } from './run';
import { scenarioSchema, type Scenario } from './scenario';
import { problemSpecSchema, type ProblemSpec } from './spec';
import { worldModelSchema, type WorldModel } from './worldModel';
import { checkJsonTextBounds } from './jsonBounds';
import { issueSentence } from './validationText';

export const EXPORT_FORMAT = 'int-crucible/project';
export const EXPORT_FILE_EXTENSION = '.crucible.json';

/**
 * Every envelope version ever released. Each has a file under tests/fixtures/
 * that must import forever; a new version appends here and adds its fixture.
 */
export const FORMAT_VERSIONS = [
  {
    version: 1,
    schemaVersion: 1,
    summary: 'single project; records of the single-chat schema (chats without mode/title/counters, runs without chat link)',
  },
  {
    version: 2,
    schemaVersion: 2,
    summary: 'adds scope ("project" | "backup") and the all-projects backup; records of the multi-chat schema',
  },
  { version: 3, schemaVersion: 3, summary: 'schema 3 (runs indexed by status); envelope and record shapes as in version 2' },
  {
    version: 4,
    schemaVersion: 4,
    summary:
      'schema 4: option attributes with units, quantity constraints, combine modes, incompatibilities, cost from an attribute, scenario attribute scales; envelope as in version 2',
  },
  {
    version: 5,
    schemaVersion: 5,
    summary:
      'schema 5: a what-if chat stores item-level changes (specChanges: SpecDelta ops per item with the base item they were made against) instead of whole-section overrides; envelope as in version 2',
  },
  {
    version: 6,
    schemaVersion: 6,
    summary:
      'schema 6: runs carry name, tags and notes; the project carries its pinned baseline run (baselineRunId), which earlier formats did not export; a what-if chat’s specChanges may reorder the goals or constraints (goalOrder, constraintOrder); envelope as in version 2',
  },
] as const;

export const CURRENT_FORMAT_VERSION = FORMAT_VERSIONS.length;

/** Files beyond this are refused before they are read, so a stray video cannot freeze the tab. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export type ExportScope = 'project' | 'backup';

/** One project and everything that belongs to it. Settings and secrets are never part of it. */
export interface ProjectExportData {
  project: Project;
  spec: ProblemSpec | null;
  worldModel: WorldModel | null;
  chats: ChatSession[];
  messages: Message[];
  runs: Run[];
  candidates: Candidate[];
  scenarios: Scenario[];
  evaluations: Evaluation[];
}

interface EnvelopeHeader {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  schemaVersion: number;
  /** Epoch ms. */
  exportedAt: number;
  appVersion: string;
}

export interface ProjectExportFile extends EnvelopeHeader {
  scope: 'project';
  data: ProjectExportData;
}

export interface BackupExportFile extends EnvelopeHeader {
  scope: 'backup';
  data: { projects: ProjectExportData[] };
}

export type ExportFile = ProjectExportFile | BackupExportFile;

export const PROJECT_DATA_LIST_KEYS = ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const;
export type ProjectDataListKey = (typeof PROJECT_DATA_LIST_KEYS)[number];

// ---------------------------------------------------------------------------
// Errors: a typed union by `code`, one case per thing the user can do
// something about. They carry data, never sentences: src/shared/errorText.ts
// is the one place that words them.
// ---------------------------------------------------------------------------

export interface RecordProblem {
  /** "runs[3]" — where in the file. */
  record: string;
  /** The record's id when it has one, so the user can find it. */
  recordId: string | null;
  /** Dotted path inside the record ("config.numCandidates"); empty for the record as a whole. */
  field: string;
  /** One sentence (validationText.ts), never a dump. */
  message: string;
}

/** Why a file is not an Int Crucible project file. */
export type NotAProjectFileReason =
  | { reason: 'not-json'; detail: string }
  | { reason: 'not-an-object' }
  | { reason: 'wrong-format' }
  | { reason: 'no-format-version' }
  | { reason: 'no-schema-version' }
  | { reason: 'bad-scope' }
  /** `where` is a path in the file ("data", "data.projects[2]"). */
  | { reason: 'damaged'; where: string; problem: 'not-an-object' | 'no-project' | 'not-a-list' }
  | { reason: 'empty-backup' };

export type ImportError =
  | ({ code: 'not-a-project-file' } & NotAProjectFileReason)
  | {
      code: 'newer-version';
      fileFormatVersion: number;
      fileSchemaVersion: number;
      supportedFormatVersion: number;
      supportedSchemaVersion: number;
    }
  | { code: 'invalid-records'; problems: RecordProblem[]; totalProblems: number }
  /** The file (bytes) or one text in it (characters) is beyond what the app reads. */
  | { code: 'too-large'; what: 'file' | 'string'; size: number; limit: number }
  /** Objects and lists nested deeper than any record the app writes. */
  | { code: 'too-deep'; depth: number; limit: number }
  /** The browser could not read the file's bytes at all. */
  | { code: 'unreadable'; detail: string }
  | { code: 'storage-full' }
  /** The write failed for a reason other than space; the transaction rolled back. */
  | { code: 'write-failed'; detail: string };

export type ImportErrorCode = ImportError['code'];

export type ImportResult<T> = { ok: true; value: T } | { ok: false; error: ImportError };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

export function fileTooLargeError(sizeBytes: number, limitBytes: number = MAX_IMPORT_BYTES): ImportError {
  return { code: 'too-large', what: 'file', size: sizeBytes, limit: limitBytes };
}

function notAProjectFile(reason: NotAProjectFileReason): ImportResult<never> {
  return { ok: false, error: { code: 'not-a-project-file', ...reason } };
}

// ---------------------------------------------------------------------------
// 1. Parse, without letting keys such as __proto__ reach any object we build.
// ---------------------------------------------------------------------------

/** Keys that could reach Object.prototype through a careless assignment; dropped while parsing. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedFile {
  value: unknown;
  unsafeKeysRemoved: number;
}

/** A byte-order mark some editors put in front of UTF-8 text; JSON.parse would reject it. */
const BYTE_ORDER_MARK = '\uFEFF';

export function parseExportText(text: string): ImportResult<ParsedFile> {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  // Bounds first, iteratively: the reviver below and every later step recurse.
  const bounds = checkJsonTextBounds(body);
  if (bounds) {
    return {
      ok: false,
      error: bounds.code === 'too-deep' ? bounds : { code: 'too-large', what: 'string', size: bounds.length, limit: bounds.limit },
    };
  }
  let unsafeKeysRemoved = 0;
  let value: unknown;
  try {
    // The reviver deletes unsafe keys at every depth before any later code
    // (spreads, zod records, remapping) can copy them onto a prototype.
    value = JSON.parse(body, (key, child: unknown) => {
      if (UNSAFE_KEYS.has(key)) {
        unsafeKeysRemoved += 1;
        return undefined;
      }
      return child;
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return notAProjectFile({ reason: 'not-json', detail });
  }
  return { ok: true, value: { value, unsafeKeysRemoved } };
}

// ---------------------------------------------------------------------------
// 2. Check the envelope and bring older envelopes to the current shape.
// ---------------------------------------------------------------------------

type Row = Record<string, unknown>;

function isPlainObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

export interface EnvelopeInfo {
  formatVersion: number;
  schemaVersion: number;
  exportedAt: number | null;
  appVersion: string | null;
  scope: ExportScope;
}

/** Project data as found in the file, before migration and validation. */
export interface RawProjectData {
  project: unknown;
  spec: unknown;
  worldModel: unknown;
  chats: unknown[];
  messages: unknown[];
  runs: unknown[];
  candidates: unknown[];
  scenarios: unknown[];
  evaluations: unknown[];
}

export interface CheckedEnvelope {
  info: EnvelopeInfo;
  projects: RawProjectData[];
}

type Damage = Extract<NotAProjectFileReason, { reason: 'damaged' }>;

function rawProjectData(data: unknown, where: string): RawProjectData | Damage {
  if (!isPlainObject(data)) return { reason: 'damaged', where, problem: 'not-an-object' };
  if (!isPlainObject(data.project)) return { reason: 'damaged', where, problem: 'no-project' };
  const lists: Partial<Record<ProjectDataListKey, unknown[]>> = {};
  for (const key of PROJECT_DATA_LIST_KEYS) {
    const list = data[key];
    if (list === undefined || list === null) lists[key] = [];
    else if (Array.isArray(list)) lists[key] = list;
    else return { reason: 'damaged', where: `${where}.${key}`, problem: 'not-a-list' };
  }
  return {
    project: data.project,
    spec: data.spec ?? null,
    worldModel: data.worldModel ?? null,
    chats: lists.chats!,
    messages: lists.messages!,
    runs: lists.runs!,
    candidates: lists.candidates!,
    scenarios: lists.scenarios!,
    evaluations: lists.evaluations!,
  };
}

/**
 * Envelope upgrades, in order. Format 1 had no scope and held exactly one
 * project; format 2 names the scope and adds the all-projects backup; format 3
 * only marks records of schema 3, format 4 records of schema 4, format 5 records of schema 5, format 6 records of schema 6.
 */
const ENVELOPE_UPGRADES: readonly { toVersion: number; upgrade(envelope: Row): Row }[] = [
  { toVersion: 2, upgrade: (envelope) => ({ ...envelope, scope: 'project', formatVersion: 2 }) },
  { toVersion: 3, upgrade: (envelope) => ({ ...envelope, formatVersion: 3 }) },
  { toVersion: 4, upgrade: (envelope) => ({ ...envelope, formatVersion: 4 }) },
  { toVersion: 5, upgrade: (envelope) => ({ ...envelope, formatVersion: 5 }) },
  { toVersion: 6, upgrade: (envelope) => ({ ...envelope, formatVersion: 6 }) },
];

export function checkEnvelope(value: unknown): ImportResult<CheckedEnvelope> {
  if (!isPlainObject(value)) return notAProjectFile({ reason: 'not-an-object' });
  if (value.format !== EXPORT_FORMAT) return notAProjectFile({ reason: 'wrong-format' });
  const { formatVersion, schemaVersion } = value;
  if (!isPositiveInt(formatVersion)) return notAProjectFile({ reason: 'no-format-version' });
  if (!isPositiveInt(schemaVersion)) return notAProjectFile({ reason: 'no-schema-version' });
  if (formatVersion > CURRENT_FORMAT_VERSION || schemaVersion > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      error: {
        code: 'newer-version',
        fileFormatVersion: formatVersion,
        fileSchemaVersion: schemaVersion,
        supportedFormatVersion: CURRENT_FORMAT_VERSION,
        supportedSchemaVersion: CURRENT_SCHEMA_VERSION,
      },
    };
  }

  let envelope: Row = value;
  for (const step of ENVELOPE_UPGRADES) {
    if (step.toVersion > formatVersion) envelope = step.upgrade(envelope);
  }

  const scope = envelope.scope;
  if (scope !== 'project' && scope !== 'backup') return notAProjectFile({ reason: 'bad-scope' });
  const projects: RawProjectData[] = [];
  if (scope === 'project') {
    const data = rawProjectData(envelope.data, 'data');
    if ('reason' in data) return notAProjectFile(data);
    projects.push(data);
  } else {
    const data = envelope.data;
    if (!isPlainObject(data) || !Array.isArray(data.projects))
      return notAProjectFile({ reason: 'damaged', where: 'data.projects', problem: 'not-a-list' });
    for (const [index, entry] of data.projects.entries()) {
      const project = rawProjectData(entry, `data.projects[${index}]`);
      if ('reason' in project) return notAProjectFile(project);
      projects.push(project);
    }
    if (projects.length === 0) return notAProjectFile({ reason: 'empty-backup' });
  }

  const exportedAt = envelope.exportedAt;
  return {
    ok: true,
    value: {
      info: {
        formatVersion,
        schemaVersion,
        exportedAt: typeof exportedAt === 'number' && Number.isFinite(exportedAt) ? exportedAt : null,
        appVersion: typeof envelope.appVersion === 'string' ? envelope.appVersion : null,
        scope,
      },
      projects,
    },
  };
}

// ---------------------------------------------------------------------------
// 3. Migrate records forward with the database's own named migrations.
// ---------------------------------------------------------------------------

function rows(list: unknown[]): Row[] {
  // Non-objects are kept as-is (cast) so validation can report them by position.
  return list as Row[];
}

export function toRecordSet(data: RawProjectData): RecordSet {
  return {
    ...emptyRecordSet(),
    projects: [data.project as Row],
    specs: data.spec === null ? [] : [data.spec as Row],
    worldModels: data.worldModel === null ? [] : [data.worldModel as Row],
    chatSessions: rows(data.chats),
    messages: rows(data.messages),
    runs: rows(data.runs),
    candidates: rows(data.candidates),
    scenarios: rows(data.scenarios),
    evaluations: rows(data.evaluations),
  };
}

export function fromRecordSet(records: RecordSet): RawProjectData {
  return {
    project: records.projects[0],
    spec: records.specs[0] ?? null,
    worldModel: records.worldModels[0] ?? null,
    chats: records.chatSessions,
    messages: records.messages,
    runs: records.runs,
    candidates: records.candidates,
    scenarios: records.scenarios,
    evaluations: records.evaluations,
  };
}

/**
 * Clamps scores that rounding noise put a hair outside [0, 1]. Runs on every
 * file, whatever its version, before migration, so the count it reports is
 * what the file held (and the preview can say so).
 */
export function repairProjectData(data: RawProjectData): { data: RawProjectData; repairs: ScoreRepairs } {
  const set = toRecordSet(data);
  const { records, repairs } = repairScoreNoise(set);
  if (!repairs.aboveOne && !repairs.belowZero) return { data, repairs };
  return { data: { ...data, candidates: records.candidates, evaluations: records.evaluations }, repairs };
}

export function migrateProjectData(data: RawProjectData, fromSchemaVersion: number): RawProjectData {
  if (fromSchemaVersion >= CURRENT_SCHEMA_VERSION) return data;
  // Migrations read fields of every row; a non-object row is left for validation to name.
  const set = toRecordSet(data);
  const objectsOnly: RecordSet = { ...set };
  const strays = new Map<keyof RecordSet, Row[]>();
  for (const key of Object.keys(set) as (keyof RecordSet)[]) {
    objectsOnly[key] = set[key].filter(isPlainObject);
    const bad = set[key].filter((row) => !isPlainObject(row));
    if (bad.length) strays.set(key, bad);
  }
  const migrated = migrateRecordSet(objectsOnly, fromSchemaVersion);
  for (const [key, bad] of strays) migrated[key] = [...migrated[key], ...bad];
  return fromRecordSet(migrated);
}

// ---------------------------------------------------------------------------
// 4. Validate every record; problems name the record and the field.
// ---------------------------------------------------------------------------

/** Enough to fix a file by hand without flooding the dialog. */
export const MAX_REPORTED_PROBLEMS = 50;

function recordIdOf(value: unknown): string | null {
  if (!isPlainObject(value)) return null;
  const id = value.id ?? value.projectId;
  return typeof id === 'string' ? id : null;
}

function validateOne<T>(schema: z.ZodType<T>, value: unknown, record: string, problems: RecordProblem[]): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const recordId = recordIdOf(value);
  for (const issue of result.error.issues) {
    problems.push({ record, recordId, field: issue.path.map(String).join('.'), message: issueSentence(issue, value) });
  }
  return null;
}

function validateList<T>(schema: z.ZodType<T>, list: unknown[], name: string, problems: RecordProblem[]): T[] {
  const valid: T[] = [];
  list.forEach((value, index) => {
    const parsed = validateOne(schema, value, `${name}[${index}]`, problems);
    if (parsed !== null) valid.push(parsed);
  });
  return valid;
}

export function validateProjectData(data: RawProjectData, prefix = ''): { data: ProjectExportData | null; problems: RecordProblem[] } {
  const problems: RecordProblem[] = [];
  const project = validateOne(projectSchema, data.project, `${prefix}project`, problems);
  const spec = data.spec === null ? null : validateOne(problemSpecSchema, data.spec, `${prefix}spec`, problems);
  const worldModel = data.worldModel === null ? null : validateOne(worldModelSchema, data.worldModel, `${prefix}worldModel`, problems);
  const validated = {
    chats: validateList(chatSessionSchema, data.chats, `${prefix}chats`, problems),
    messages: validateList(messageSchema, data.messages, `${prefix}messages`, problems),
    runs: validateList(runSchema, data.runs, `${prefix}runs`, problems),
    candidates: validateList(candidateSchema, data.candidates, `${prefix}candidates`, problems),
    scenarios: validateList(scenarioSchema, data.scenarios, `${prefix}scenarios`, problems),
    evaluations: validateList(evaluationSchema, data.evaluations, `${prefix}evaluations`, problems),
  };
  // Ids are what references are remapped through; a duplicate would silently merge two records.
  for (const key of PROJECT_DATA_LIST_KEYS) {
    const seen = new Set<string>();
    validated[key].forEach((record, index) => {
      if (seen.has(record.id)) {
        problems.push({
          record: `${prefix}${key}[${index}]`,
          recordId: record.id,
          field: 'id',
          message: 'the same id appears twice in the file',
        });
      }
      seen.add(record.id);
    });
  }
  if (problems.length || !project) return { data: null, problems };
  return { data: { project, spec, worldModel, ...validated }, problems };
}

export function invalidRecordsError(problems: RecordProblem[]): ImportError {
  return { code: 'invalid-records', problems: problems.slice(0, MAX_REPORTED_PROBLEMS), totalProblems: problems.length };
}

/** Steps 1–4 for already-parsed content: the validated projects, at the current schema. */
export function readExportFile(
  parsed: unknown,
): ImportResult<{ info: EnvelopeInfo; projects: ProjectExportData[]; repairs: ScoreRepairs[] }> {
  const checked = checkEnvelope(parsed);
  if (!checked.ok) return checked;
  const { info } = checked.value;
  const problems: RecordProblem[] = [];
  const projects: ProjectExportData[] = [];
  const repairs: ScoreRepairs[] = [];
  const backup = info.scope === 'backup';
  checked.value.projects.forEach((raw, index) => {
    const repaired = repairProjectData(raw);
    repairs.push(repaired.repairs);
    const migrated = migrateProjectData(repaired.data, info.schemaVersion);
    const result = validateProjectData(migrated, backup ? `projects[${index}].` : '');
    problems.push(...result.problems);
    if (result.data) projects.push(result.data);
  });
  if (problems.length) return { ok: false, error: invalidRecordsError(problems) };
  return { ok: true, value: { info, projects, repairs } };
}
