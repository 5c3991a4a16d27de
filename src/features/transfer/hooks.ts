import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { db, getSetting } from '../../db';
import type { Project } from '../../domain';
import { readStorageStatus, type StorageStatus } from './storage';

export function useAllProjects(): Project[] | undefined {
  return useLiveQuery(() => db.projects.toArray(), []);
}

export function useSetting<T>(key: string): T | undefined | null {
  // null while loading, undefined when unset.
  return useLiveQuery(async () => ((await getSetting(key)) as T | undefined) ?? undefined, [key], null);
}

export function useStorageStatus(refreshKey: number): StorageStatus | null {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  useEffect(() => {
    let cancelled = false;
    void readStorageStatus().then((next) => {
      if (!cancelled) setStatus(next);
    });
    return () => {
      cancelled = true;
    };
  }, [refreshKey]);
  return status;
}
