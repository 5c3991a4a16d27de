/**
 * What the import worker does with each message, apart from the worker glue,
 * so that unit tests run it without a Worker.
 */
import { freshImportRecords, newId, prepareImportText, summariseImport, type PreparedImport } from '../../domain';
import { SLICED_TABLES, type FromImportWorker, type ToImportWorker } from './importWorkerProtocol';

/** Rows per message: a slice of 73,000 messages' worth is taken in by the page in a few milliseconds. */
export const ROWS_PER_SLICE = 1000;

// The browser's own words (a DOMException, say), put inside the import's sentence as its detail.
const detailOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createImportWorkerHandler(post: (message: FromImportWorker) => void, makeId: () => string = newId) {
  // The prepared records stay here until the user confirms (or the page ends the worker).
  let prepared: PreparedImport | null = null;

  const prepare = async (file: Blob, now: number) => {
    prepared = null;
    post({ type: 'progress', progress: { phase: 'parsing', done: 0, total: 1 } });
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      post({ type: 'failed', error: { code: 'unreadable', detail: detailOf(error) } });
      return;
    }
    const result = prepareImportText(text, file.size, {
      newId: makeId,
      now,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    if (!result.ok) {
      post({ type: 'failed', error: result.error });
      return;
    }
    prepared = result.value;
    post({ type: 'prepared', summary: summariseImport(prepared) });
  };

  const sendRecords = (now: number) => {
    if (!prepared) {
      post({ type: 'failed', error: { code: 'unexpected', detail: 'The import worker holds no prepared file.' } });
      return;
    }
    const records = freshImportRecords(prepared, makeId, now);
    if (!records.ok) {
      post({ type: 'failed', error: records.error });
      return;
    }
    for (const [index, project] of records.value.entries()) {
      const { chats, messages, runs, candidates, scenarios, evaluations, ...head } = project;
      post({ type: 'project', index, head });
      const lists = { chats, messages, runs, candidates, scenarios, evaluations };
      for (const table of SLICED_TABLES) {
        const rows = lists[table];
        for (let start = 0; start < rows.length; start += ROWS_PER_SLICE) {
          post({ type: 'rows', index, table, rows: rows.slice(start, start + ROWS_PER_SLICE) });
        }
      }
    }
    post({ type: 'records-done' });
  };

  return async (message: ToImportWorker): Promise<void> => {
    try {
      if (message.type === 'prepare') await prepare(message.file, message.now);
      else sendRecords(message.now);
    } catch (error) {
      // A bug, not a bad file: the page still gets a failure it can word, and the worker stays usable.
      post({ type: 'failed', error: { code: 'unexpected', detail: detailOf(error) } });
    }
  };
}
