import { exportProject } from '../../db';
import type { Project } from '../../domain';
import { TransferProgressBar } from './TransferProgressBar';
import { useExportTask } from './useExportTask';

/** Per-project action: downloads `<title>.crucible.json`. */
export function ExportProjectButton({ project }: { project: Pick<Project, 'id' | 'title'> }) {
  const task = useExportTask();
  return (
    <>
      <button
        type="button"
        disabled={task.busy}
        aria-label={`Export “${project.title}”`}
        title="Save this project as a .crucible.json file"
        onClick={() => void task.run((onProgress) => exportProject(project.id, { onProgress }))}
      >
        Export
      </button>
      {task.busy && <TransferProgressBar progress={task.progress} label={`Exporting “${project.title}”`} />}
      {task.error && (
        <p role="alert" className="field-error">
          {task.error}
        </p>
      )}
    </>
  );
}
