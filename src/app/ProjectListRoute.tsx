import { ProjectListPage } from '../features/projects/ProjectListPage';
import { BackupReminder, ExportProjectButton, ImportDropZone, ImportExportControls, OpenSampleButton } from '../features/transfer';

export function ProjectListRoute() {
  return (
    <ImportDropZone>
      <ProjectListPage
        toolbar={
          <>
            <OpenSampleButton />
            <ImportExportControls />
          </>
        }
        projectActions={(project) => <ExportProjectButton project={project} />}
        notices={<BackupReminder />}
      />
    </ImportDropZone>
  );
}
