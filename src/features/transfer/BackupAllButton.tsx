import { exportAllProjects } from '../../db';
import { backupFileName } from '../../domain';
import { ProgressButton } from './ProgressButton';
import { useExportTask } from './useExportTask';

/** Every project in one `.crucible.json` backup file. */
export function BackupAllButton({ className, label = 'Back up all projects' }: { className?: string; label?: string }) {
  const task = useExportTask();
  return (
    <span className="transfer-action">
      <ProgressButton
        busy={task.busy}
        progress={task.progress}
        busyLabel="Backing up"
        className={className}
        title="Save every project in one .crucible.json file"
        onClick={() => void task.run(backupFileName(Date.now()), (onProgress) => exportAllProjects({ onProgress }))}
      >
        {label}
      </ProgressButton>
      {task.error && (
        <span role="alert" className="field-error">
          {task.error}
        </span>
      )}
    </span>
  );
}
