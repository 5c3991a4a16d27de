/**
 * Editing a run's name, tags and notes. Each edit is checked against the
 * domain's bounds (a refused edit throws RunLabelError with a sentence to
 * show) and written with the project's activity time in one transaction.
 */
import { checkRunLabelEdit, tagKey, type Run, type RunLabelEdit } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';

export async function updateRunLabels(runId: string, edit: RunLabelEdit): Promise<Run> {
  const checked = checkRunLabelEdit(edit);
  if (!checked.ok) throw checked.error;
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.projects], async () => {
      const current = await db.runs.get(runId);
      if (!current) throw new NotFoundError('Run', runId);
      const next: Run = { ...current, ...checked.value };
      await db.runs.put(next);
      await touchProject(current.projectId, monotonicNow());
      return next;
    }),
  );
}

export interface RunTagChange {
  add?: readonly string[];
  remove?: readonly string[];
}

/**
 * Adds and removes tags against the run's stored tags, read inside the write's
 * transaction: two quick edits (a tag typed while the previous one is still
 * saving, or another tab) each apply to what the other left, never to a stale
 * copy of the list.
 */
export async function changeRunTags(runId: string, change: RunTagChange): Promise<Run> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.projects], async () => {
      const current = await db.runs.get(runId);
      if (!current) throw new NotFoundError('Run', runId);
      const removed = new Set((change.remove ?? []).map(tagKey));
      const checked = checkRunLabelEdit({ tags: [...current.tags.filter((tag) => !removed.has(tagKey(tag))), ...(change.add ?? [])] });
      if (!checked.ok) throw checked.error;
      const next: Run = { ...current, ...checked.value };
      await db.runs.put(next);
      await touchProject(current.projectId, monotonicNow());
      return next;
    }),
  );
}

/**
 * Every tag used in the project, with how many runs carry it, most used first:
 * the history's filter choices. It walks the multiEntry tags index, which
 * holds only tagged runs, one entry per run and tag.
 */
export async function listRunTags(projectId: string): Promise<{ tag: string; count: number }[]> {
  const counts = new Map<string, number>();
  await db.runs.orderBy('tags').each((run, cursor) => {
    if (run.projectId !== projectId || typeof cursor.key !== 'string') return;
    counts.set(cursor.key, (counts.get(cursor.key) ?? 0) + 1);
  });
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}
