/** Export/import, backups, the sample project, durability and update prompts: what src/app composes. */
import './transfer.css';

export { BackupAllButton } from './BackupAllButton';
export { BackupReminder, backupNeed, BACKUP_INTERVAL_MS } from './BackupReminder';
export { ExportProjectButton } from './ExportProjectButton';
export { ImportDialog } from './ImportDialog';
export { ImportDropZone } from './ImportDropZone';
export { ImportExportControls } from './ImportExportControls';
export { OpenSampleButton } from './OpenSampleButton';
export { SettingsPanel } from './SettingsPanel';
export { UpdatePrompt } from './UpdatePrompt';
export { watchLaunchQueue, startImport } from './importFlow';
export { ensurePersistentStorage, readStorageStatus } from './storage';
