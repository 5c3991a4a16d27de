/**
 * The pure half of an import: from the file's text to the preview, and from the
 * preview to the exact records a commit writes. No storage and no DOM, so the
 * same code runs on the page (tests, the sample project) and in the import
 * worker, where a 75 MB file is parsed and validated off the main thread.
 */
import { emptySpecContent } from './spec';
import { newChatSession, type ChatSession } from './chat';
import { emptyWorldModel } from './worldModel';
import { CURRENT_SCHEMA_VERSION, describeScoreRepairs } from './migrations';
import {
  CURRENT_FORMAT_VERSION,
  invalidRecordsError,
  parseExportText,
  readExportFile,
  validateProjectData,
  type EnvelopeInfo,
  type ImportError,
  type ImportResult,
  type ProjectExportData,
} from './exportFormat';
import { resolveProjectData, withFreshIds, type EntityCounts, type ProjectPreview } from './importPlan';

export interface PreparedProject {
  preview: ProjectPreview;
  warnings: string[];
  /** Resolved data with the file's ids; fresh ids are given at commit, so each commit is independent. */
  data: ProjectExportData;
}

/** What the preview shows: everything of a prepared import but its records. */
export interface PreparedImportSummary {
  info: EnvelopeInfo;
  sizeBytes: number;
  projects: Omit<PreparedProject, 'data'>[];
  totals: EntityCounts & { projects: number };
  /** Everything the user should know before confirming, for all projects. */
  warnings: string[];
}

export interface PreparedImport extends PreparedImportSummary {
  projects: PreparedProject[];
}

/** Progress of the preparation; a subset of the transfer phases the import dialog shows. */
export interface ImportPreparationProgress {
  phase: 'parsing' | 'validating';
  done: number;
  total: number;
}

export interface ImportPreparationOptions {
  newId: () => string;
  /** The clock the dry run stamps records with (the commit stamps its own). */
  now: number;
  onProgress?: (progress: ImportPreparationProgress) => void;
}

/** A project as a commit writes it: fresh ids, and the records an import always has. */
export type ImportRecords = ReturnType<typeof importRecordsWithFreshIds>;

function emptySetupChat(projectId: string, now: number, id: string): ChatSession {
  return newChatSession({ id, projectId, title: 'Setup', mode: 'setup', createdAt: now });
}

export function importRecordsWithFreshIds(data: ProjectExportData, makeId: () => string, now: number) {
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
export function importWriteProblems(projects: readonly ProjectExportData[]): ImportError | null {
  const problems = projects.flatMap(
    (project, index) => validateProjectData({ ...project }, projects.length > 1 ? `projects[${index}].` : '').problems,
  );
  return problems.length ? invalidRecordsError(problems) : null;
}

/** The records a commit of this import writes, with fresh ids, checked; or the check's error. */
export function freshImportRecords(prepared: PreparedImport, makeId: () => string, now: number): ImportResult<ImportRecords[]> {
  let projects: ImportRecords[];
  try {
    projects = prepared.projects.map(({ data }) => importRecordsWithFreshIds(data, makeId, now));
  } catch (error) {
    return { ok: false, error: { code: 'write-failed', detail: error instanceof Error ? error.message : String(error) } };
  }
  const unwritable = importWriteProblems(projects);
  return unwritable ? { ok: false, error: unwritable } : { ok: true, value: projects };
}

/** Steps 1–5 on the file's text: parse, check, migrate, validate and resolve, ending in the preview. */
export function prepareImportText(text: string, sizeBytes: number, options: ImportPreparationOptions): ImportResult<PreparedImport> {
  options.onProgress?.({ phase: 'parsing', done: 0, total: 1 });
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
  const unwritable = importWriteProblems(projects.map(({ data }) => importRecordsWithFreshIds(data, options.newId, options.now)));
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

/** The preview's part of a prepared import (what crosses from the worker before the user confirms). */
export function summariseImport(prepared: PreparedImport): PreparedImportSummary {
  return { ...prepared, projects: prepared.projects.map(({ preview, warnings }) => ({ preview, warnings })) };
}
