import { exportProject } from '../../db';
import { exportFileName, type Project } from '../../domain';
import { ProgressButton } from './ProgressButton';
import { useExportTask } from './useExportTask';

/** Per-project action: downloads `<title>.crucible.json`, with progress for large projects. */
export function ExportProjectButton({ project }: { project: Pick<Project, 'id' | 'title'> }) {
  const task = useExportTask();
  return (
    <span className="transfer-action">
      <ProgressButton
        busy={task.busy}
        progress={task.progress}
        busyLabel="Exporting"
        ariaLabel={`Export “${project.title}”`}
        title="Save this project as a .crucible.json file"
        onClick={() => void task.run(exportFileName(project.title), (onProgress) => exportProject(project.id, { onProgress }))}
      >
        Export
      </ProgressButton>
      {task.error && (
        <span role="alert" className="field-error">
          {task.error}
        </span>
      )}
    </span>
  );
}
