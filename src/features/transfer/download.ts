/**
 * Where an exported file goes. With the File System Access API (Chromium,
 * installed or not) the user picks the place at the click, while the click
 * still counts as a user gesture, and the file is streamed there from its
 * Blob pieces; elsewhere it goes through the browser's download machinery,
 * which works offline and in installed apps too.
 */

interface WritableFile {
  createWritable(): Promise<WritableStream<Uint8Array>>;
}
type SaveFilePicker = (options: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<WritableFile>;

export type SaveTarget = { kind: 'file'; handle: WritableFile } | { kind: 'download' };

function saveFilePicker(): SaveFilePicker | null {
  const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

/**
 * Asks where to save, before the export starts. Null when the user closed the
 * picker (nothing to do); a download when the browser has no picker or refuses
 * one here (a cross-origin frame, say).
 */
export async function chooseSaveTarget(suggestedName: string): Promise<SaveTarget | null> {
  const picker = saveFilePicker();
  if (!picker) return { kind: 'download' };
  try {
    const handle = await picker({
      suggestedName,
      types: [{ description: 'Int Crucible project', accept: { 'application/json': ['.json'] } }],
    });
    return { kind: 'file', handle };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return null;
    return { kind: 'download' };
  }
}

export async function saveBlob(target: SaveTarget, fileName: string, blob: Blob): Promise<void> {
  if (target.kind === 'file') {
    // pipeTo closes the file when the last piece is written, and aborts it (no half file) if reading fails.
    await blob.stream().pipeTo(await target.handle.createWritable());
    return;
  }
  downloadBlob(fileName, blob);
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
