/**
 * The pinned baseline run of each project: the run every comparison is made
 * against. A local preference (one settings record per project), so it needs
 * no schema change; like every setting it is not exported.
 */
import { db } from './database';
import { guardedWrite } from './errors';

const keyOf = (projectId: string) => `baseline:${projectId}`;

/** The pinned run's id, or null when none is pinned. */
export async function getPinnedBaseline(projectId: string): Promise<string | null> {
  const record = await db.settings.get(keyOf(projectId));
  return typeof record?.value === 'string' ? record.value : null;
}

/** Pins a run as the project's baseline; null unpins. */
export async function pinBaseline(projectId: string, runId: string | null): Promise<void> {
  await guardedWrite(async () => {
    if (runId === null) await db.settings.delete(keyOf(projectId));
    else await db.settings.put({ key: keyOf(projectId), value: runId });
  });
}
