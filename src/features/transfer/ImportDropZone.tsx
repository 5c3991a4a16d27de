import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { EXPORT_FILE_EXTENSION } from '../../domain';
import { startImport } from './importFlow';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** Wraps the project list: dropping a project file on it starts an import (preview first). */
export function ImportDropZone({ children }: { children: ReactNode }) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  return (
    <div
      className={`import-drop-zone${dragging ? ' dragging' : ''}`}
      data-testid="import-drop-zone"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file) void startImport(file, file.name);
      }}
    >
      {children}
      {dragging && (
        <div className="import-drop-overlay" aria-hidden="true">
          <p>Drop a {EXPORT_FILE_EXTENSION} file to import it as a new project</p>
        </div>
      )}
    </div>
  );
}
