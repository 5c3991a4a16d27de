import { exportAllProjects } from '../../db';
import { TransferProgressBar } from './TransferProgressBar';
import { useExportTask } from './useExportTask';

/** Every project in one `.crucible.json` backup file. */
export function BackupAllButton({ className, label = 'Back up all projects' }: { className?: string; label?: string }) {
  const task = useExportTask();
  return (
    <span className="transfer-action">
      <button type="button" className={className} disabled={task.busy} onClick={() => void task.run((onProgress) => exportAllProjects({ onProgress }))}>
        {label}
      </button>
      {task.busy && <TransferProgressBar progress={task.progress} label="Backing up all projects" />}
      {task.error && (
        <span role="alert" className="field-error">
          {task.error}
        </span>
      )}
    </span>
  );
}
