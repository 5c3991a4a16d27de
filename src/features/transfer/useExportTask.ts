import { useCallback, useState } from 'react';
import { describeError, type ExportedFile, type TransferProgress } from '../../db';
import { downloadTextFile } from './download';

export interface ExportTask {
  busy: boolean;
  progress: TransferProgress | null;
  error: string | null;
  run(make: (onProgress: (progress: TransferProgress) => void) => Promise<ExportedFile>): Promise<void>;
}

/** Runs an export, tracks its progress for the bar, and hands the file to the browser. */
export function useExportTask(): ExportTask {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<TransferProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (make: (onProgress: (progress: TransferProgress) => void) => Promise<ExportedFile>) => {
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const exported = await make(setProgress);
      downloadTextFile(exported.fileName, exported.content);
    } catch (failure) {
      setError(`Export failed: ${describeError(failure)}`);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }, []);
  return { busy, progress, error, run };
}

export function progressPercent(progress: TransferProgress | null): number | null {
  if (!progress || progress.total <= 0) return null;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}

export const PHASE_LABELS: Record<TransferProgress['phase'], string> = {
  reading: 'Reading',
  serialising: 'Writing the file',
  parsing: 'Reading the file',
  validating: 'Checking records',
  writing: 'Saving',
};
