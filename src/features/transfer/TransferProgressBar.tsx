import type { TransferProgress } from '../../db';
import { PHASE_LABELS, progressPercent } from './useExportTask';

/** A labelled progress bar; indeterminate until the first report arrives. */
export function TransferProgressBar({ progress, label }: { progress: TransferProgress | null; label: string }) {
  const percent = progressPercent(progress);
  const text = progress ? `${PHASE_LABELS[progress.phase]}… ${percent ?? 0}%` : `${label}…`;
  return (
    <div className="transfer-progress" role="status">
      <progress aria-label={label} max={100} value={percent ?? undefined} />
      <span className="transfer-progress-text">{text}</span>
    </div>
  );
}
