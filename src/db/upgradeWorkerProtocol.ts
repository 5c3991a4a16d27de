/** The messages between the page and the upgrade worker (upgrade.worker.ts). */
export interface ToUpgradeWorker {
  type: 'upgrade';
  databaseName: string;
}

export type FromUpgradeWorker =
  /** The database is open at the current version and closed again: the page opens it with nothing left to do. */
  | { type: 'upgraded' }
  /** An open tab of an older build holds the database: the page takes the upgrade over and waits as it always did. */
  | { type: 'blocked' }
  /** The upgrade failed here; the page runs it again, where its failure reaches the user's error paths. */
  | { type: 'failed'; errorName: string };
