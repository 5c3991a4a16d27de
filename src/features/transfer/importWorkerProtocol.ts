/**
 * Messages between the page and the import worker. The worker parses, migrates
 * and validates the file, keeps the prepared records, and on confirmation sends
 * back the records to write, in small slices so that no task on the page has to
 * take in the whole file at once.
 */
import type { ImportPreparationProgress, ImportRecords, PreparedImportSummary } from '../../domain';
import type { ImportFailure } from '../../shared/errorText';

/** The record lists of a project that can be long; they cross in slices. */
export const SLICED_TABLES = ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const;
export type SlicedTable = (typeof SLICED_TABLES)[number];

/** A project's records but the long lists (project, spec, world model). */
export type ImportRecordsHead = Omit<ImportRecords, SlicedTable>;

export type ToImportWorker =
  /** Steps 1–5 on this file; `now` stamps the dry run's records. */
  | { type: 'prepare'; file: Blob; now: number }
  /** The records a commit writes, with fresh ids stamped `now`. */
  | { type: 'records'; now: number };

export type FromImportWorker =
  | { type: 'progress'; progress: ImportPreparationProgress }
  | { type: 'prepared'; summary: PreparedImportSummary }
  | { type: 'failed'; error: ImportFailure }
  | { type: 'project'; index: number; head: ImportRecordsHead }
  | { type: 'rows'; index: number; table: SlicedTable; rows: ImportRecords[SlicedTable] }
  | { type: 'records-done' };
