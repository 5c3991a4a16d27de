/**
 * The one place the UI words error codes. Layers return or throw errors that
 * carry a `code` and data; every screen asks here for the title and the
 * sentence, so the same error reads the same everywhere.
 */
import {
  EXPORT_FORMAT,
  formatBytes,
  type ImportError,
  type ImportErrorCode,
  type NotAProjectFileReason,
  type RecordProblem,
} from '../domain';

// ---------------------------------------------------------------------------
// Import errors (src/domain/exportFormat.ts ImportError)
// ---------------------------------------------------------------------------

/** An import that failed outside the pipeline (a bug, or a browser refusing a read); the dialog words it too. */
export interface UnexpectedImportError {
  code: 'unexpected';
  detail: string;
}

export type ImportFailure = ImportError | UnexpectedImportError;

export const IMPORT_ERROR_TITLES: Record<ImportErrorCode | 'unexpected', string> = {
  'not-a-project-file': 'Not an Int Crucible project file',
  'newer-version': 'Made by a newer version of Int Crucible',
  'invalid-records': 'The file contains invalid records',
  'too-large': 'The file is too large',
  'too-deep': 'The file is nested too deeply',
  unreadable: 'The file could not be read',
  'storage-full': 'Not enough storage space',
  'write-failed': 'The import could not be saved',
  unexpected: 'Import failed',
};

const NOTHING_IMPORTED = 'Nothing was imported.';

function notAProjectFileReason(error: NotAProjectFileReason): string {
  switch (error.reason) {
    case 'not-json':
      return `The file is not valid JSON (${error.detail}).`;
    case 'not-an-object':
      return 'The file does not contain an Int Crucible project (expected a JSON object).';
    case 'wrong-format':
      return `The file is not an Int Crucible project file (its "format" should be "${EXPORT_FORMAT}").`;
    case 'no-format-version':
      return 'The file has no valid "formatVersion".';
    case 'no-schema-version':
      return 'The file has no valid "schemaVersion".';
    case 'bad-scope':
      return 'The file\'s "scope" must be "project" or "backup".';
    case 'damaged': {
      const what = { 'not-an-object': 'is not an object', 'no-project': 'has no project', 'not-a-list': 'is not a list' }[error.problem];
      return `The file is damaged: ${error.where} ${what}.`;
    }
    case 'empty-backup':
      return 'The backup file contains no projects.';
  }
}

/** "runs[3] (id 3f2a…), field "config.numCandidates": numCandidates must be from 1 to 50" */
export function describeProblem(problem: RecordProblem): string {
  const where = problem.recordId ? `${problem.record} (id ${problem.recordId})` : problem.record;
  const message = problem.message.replace(/\.$/, '');
  return problem.field ? `${where}, field "${problem.field}": ${message}` : `${where}: ${message}`;
}

/** The sentence under the title: what is wrong, and that nothing changed (or what to do). */
export function importErrorSentence(error: ImportFailure): string {
  switch (error.code) {
    case 'not-a-project-file':
      return `${notAProjectFileReason(error)} ${NOTHING_IMPORTED}`;
    case 'newer-version':
      return (
        `This file was made by a newer version of Int Crucible (format version ${error.fileFormatVersion}, schema version ${error.fileSchemaVersion}). ` +
        `This app reads up to format version ${error.supportedFormatVersion}, schema version ${error.supportedSchemaVersion}. ` +
        `Update the app (reload it while online) and import the file again. ${NOTHING_IMPORTED}`
      );
    case 'invalid-records': {
      const first = error.problems[0];
      const others = error.totalProblems - 1;
      const more = others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : '';
      return `The file contains invalid records: ${first ? describeProblem(first) : 'unknown problem'}${more}. ${NOTHING_IMPORTED}`;
    }
    case 'too-large':
      return error.what === 'file'
        ? `The file is ${formatBytes(error.size)}; the largest file Int Crucible imports is ${formatBytes(error.limit)}. ${NOTHING_IMPORTED}`
        : `The file holds a text of ${error.size.toLocaleString('en-US')} characters; the longest Int Crucible reads is ${error.limit.toLocaleString('en-US')}. ${NOTHING_IMPORTED}`;
    case 'too-deep':
      return `The file nests its contents more than ${error.limit} levels deep, which no Int Crucible export does; it is damaged or not a project file. ${NOTHING_IMPORTED}`;
    case 'unreadable':
      return `The browser could not read the file (${error.detail}). Check that it still exists and try again. ${NOTHING_IMPORTED}`;
    case 'storage-full':
      return (
        'The browser has no storage space left for this import, so nothing was imported and your existing projects are unchanged. ' +
        'Free space by exporting and deleting projects you no longer need, then try again.'
      );
    case 'write-failed':
      return `The import could not be saved (${error.detail}); nothing was written and your existing projects are unchanged.`;
    case 'unexpected':
      return `The import failed and nothing was written: ${error.detail}`;
  }
}

/** A follow-up hint for some codes (shown muted under the sentence), or null. */
export function importErrorHint(error: ImportFailure): string | null {
  if (error.code === 'too-large' && error.what === 'file') return 'Split a large backup by exporting projects one at a time.';
  return null;
}
