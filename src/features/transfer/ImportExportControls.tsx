import { useEffect, useRef } from 'react';
import { EXPORT_FILE_EXTENSION } from '../../domain';
import { BackupAllButton } from './BackupAllButton';
import { ImportDialog } from './ImportDialog';
import { startImport, watchLaunchQueue } from './importFlow';

/** Project-list toolbar: import a file, back up everything; hosts the import dialog. */
export function ImportExportControls({ showBackup = true }: { showBackup?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => watchLaunchQueue(), []);
  return (
    <>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        aria-label="Project file to import"
        data-testid="import-file-input"
        accept={`${EXPORT_FILE_EXTENSION},.json,application/json`}
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void startImport(file, file.name);
        }}
      />
      <button type="button" onClick={() => input.current?.click()}>
        Import project…
      </button>
      {showBackup && <BackupAllButton />}
      <ImportDialog />
    </>
  );
}
