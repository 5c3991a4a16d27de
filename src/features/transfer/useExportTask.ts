import { useCallback, useState } from 'react';
import { type ExportedFile, type TransferProgress } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { chooseSaveTarget, saveBlob } from './download';

export interface ExportTask {
  busy: boolean;
  progress: TransferProgress | null;
  error: string | null;
  /** `suggestedName` is offered in the save picker, which opens at the click, before the export starts. */
  run(suggestedName: string, make: (onProgress: (progress: TransferProgress) => void) => Promise<ExportedFile>): Promise<void>;
}

/** Asks where to save, runs the export, tracks its progress for the bar, and writes the file there. */
export function useExportTask(): ExportTask {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<TransferProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (suggestedName: string, make: (onProgress: (progress: TransferProgress) => void) => Promise<ExportedFile>) => {
      setError(null);
      setProgress(null);
      const target = await chooseSaveTarget(suggestedName);
      if (!target) return;
      setBusy(true);
      try {
        const exported = await make(setProgress);
        setProgress({ phase: 'saving', done: 0, total: 0 });
        await saveBlob(target, exported.fileName, exported.blob);
      } catch (failure) {
        setError(`Export failed: ${errorSentence(failure)}`);
      } finally {
        setBusy(false);
        setProgress(null);
      }
    },
    [],
  );
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
  saving: 'Saving the file',
};
