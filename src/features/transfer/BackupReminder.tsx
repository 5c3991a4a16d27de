import { useState } from 'react';
import { putSetting } from '../../db';
import { reportIfStorageFull } from '../../shared/storageFullNotice';
import type { Project } from '../../domain';
import { BackupAllButton } from './BackupAllButton';
import { useAllProjects, useSetting } from './hooks';

export const BACKUP_INTERVAL_MS = 14 * 24 * 3600_000;
const SNOOZE_SETTING = 'transfer.backupReminderSnoozedUntil';
const SNOOZE_MS = 7 * 24 * 3600_000;

export interface BackupNeed {
  neverExported: number;
  stale: number;
}

/** Projects never exported, and those not exported for 14 days. */
export function backupNeed(projects: Pick<Project, 'lastExportedAt'>[], now: number): BackupNeed {
  let neverExported = 0;
  let stale = 0;
  for (const project of projects) {
    if (project.lastExportedAt === null) neverExported += 1;
    else if (now - project.lastExportedAt > BACKUP_INTERVAL_MS) stale += 1;
  }
  return { neverExported, stale };
}

function describeNeed({ neverExported, stale }: BackupNeed): string {
  const parts: string[] = [];
  if (neverExported) parts.push(`${neverExported} project${neverExported === 1 ? ' has' : 's have'} never been exported`);
  if (stale) parts.push(`${stale} ${stale === 1 ? 'has' : 'have'} not been exported for over 14 days`);
  return parts.join(' and ');
}

/** A gentle nudge, snoozable for a week; shows nothing while everything is backed up. */
export function BackupReminder({ now: fixedNow }: { now?: number }) {
  // One clock reading per mount: a reminder measured in days needs no ticking clock.
  const [mountedAt] = useState(() => Date.now());
  const now = fixedNow ?? mountedAt;
  const projects = useAllProjects();
  const snoozedUntil = useSetting<number>(SNOOZE_SETTING);
  if (!projects || snoozedUntil === null) return null;
  if (typeof snoozedUntil === 'number' && snoozedUntil > now) return null;
  const need = backupNeed(projects, now);
  // On a full disk the reminder stays and the banner says why; any other failure is a bug and stays loud.
  const snooze = () =>
    void putSetting(SNOOZE_SETTING, now + SNOOZE_MS).catch((error: unknown) => {
      if (!reportIfStorageFull(error)) throw error;
    });
  if (need.neverExported + need.stale === 0) return null;
  return (
    <aside className="backup-reminder" aria-label="Backup reminder">
      <p>
        <strong>Keep a copy of your work.</strong> {describeNeed(need)}. Your projects live only in this browser, which can clear site data;
        an exported file is yours to keep.
      </p>
      <div className="row-actions">
        <BackupAllButton className="primary" />
        <button type="button" onClick={snooze}>
          Remind me next week
        </button>
      </div>
    </aside>
  );
}
