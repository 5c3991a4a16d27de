import type { CSSProperties, ReactNode } from 'react';
import type { TransferProgress } from '../../db';
import { PHASE_LABELS, progressPercent } from './useExportTask';

interface Props {
  busy: boolean;
  progress: TransferProgress | null;
  /** What the button says while working ("Exporting"). */
  busyLabel: string;
  /** Accessible name when idle, if it should differ from the text. */
  ariaLabel?: string;
  className?: string;
  title?: string;
  onClick: () => void;
  children: ReactNode;
}

/** A button that becomes its own progress bar while it works, so the layout around it never jumps. */
export function ProgressButton({ busy, progress, busyLabel, ariaLabel, className, title, onClick, children }: Props) {
  const percent = progressPercent(progress) ?? 0;
  return (
    <>
      <button
        type="button"
        className={`${className ?? ''} progress-button${busy ? ' busy' : ''}`.trim()}
        style={{ '--transfer-progress': `${percent}%` } as CSSProperties}
        disabled={busy}
        aria-label={busy ? undefined : ariaLabel}
        title={title}
        onClick={onClick}
      >
        {busy ? `${busyLabel}… ${percent}%` : children}
      </button>
      {busy && (
        <span role="status" className="visually-hidden">
          <progress aria-label={busyLabel} max={100} value={percent} />
          {progress ? PHASE_LABELS[progress.phase] : busyLabel} {percent}%
        </span>
      )}
    </>
  );
}
