/**
 * The pinned baseline run of each project: the run every comparison is made
 * against. It is part of the project record (schema 6), so an export carries
 * it and an import restores it.
 */
import { db } from './database';
import { monotonicNow } from './clock';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';

/** The pinned run's id, or null when none is pinned. */
export async function getPinnedBaseline(projectId: string): Promise<string | null> {
  const project = await db.projects.get(projectId);
  return project?.baselineRunId ?? null;
}

/** Pins one of the project's runs as its baseline; null unpins. The pin and the project's activity time are one write. */
export async function pinBaseline(projectId: string, runId: string | null): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', [db.projects, db.runs], async () => {
      if (!(await db.projects.get(projectId))) throw new NotFoundError('Project', projectId);
      if (runId !== null) {
        const run = await db.runs.get(runId);
        if (!run || run.projectId !== projectId) throw new NotFoundError('Run', runId);
      }
      await db.projects.update(projectId, { baselineRunId: runId });
      await touchProject(projectId, monotonicNow());
    }),
  );
}
