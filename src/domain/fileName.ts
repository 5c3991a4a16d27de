/**
 * Names for files the app writes. A project title is user text (and import
 * files can carry anything), so the name handed to the browser's download must
 * not be able to pose as another file type or trip a file system.
 */
import { EXPORT_FILE_EXTENSION } from './exportFormat';

/** Longest stem, in UTF-16 code units; the extension comes on top (well under every file system's 255-byte limit for most scripts). */
export const MAX_FILE_STEM = 80;

// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C),
// zero-width and invisible formatting (U+200B–U+200D, U+2060, U+FEFF), and C0/C1 controls. A right-to-left override turns
// "invoice\u202Enosj.exe" into something that reads like "invoice_exe.json".
// eslint-disable-next-line no-control-regex
const INVISIBLE_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Half of a surrogate pair with no other half (possible in imported text): not a character any file system stores. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Characters Windows, macOS or Linux refuse or treat as path syntax. */
const RESERVED_CHARACTERS = /[\\/:*?"<>|]/g;
/** Device names Windows refuses as a file name, whatever the extension. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** A safe, bounded file stem (no extension): never empty, never a reserved name, no leading or trailing dots or spaces. */
export function safeFileStem(title: string, fallback = 'project'): string {
  let stem = title
    .normalize('NFC')
    .replace(INVISIBLE_OR_CONTROL, '')
    .replace(LONE_SURROGATE, '')
    .replace(RESERVED_CHARACTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  stem = cutAtCodePoint(stem, MAX_FILE_STEM).replace(/^[\s.]+|[\s.]+$/g, '');
  if (stem === '') return fallback;
  if (RESERVED_NAMES.test(stem)) stem = `${stem} project`;
  return stem;
}

/** Shortens to at most `limit` code units without splitting a surrogate pair. */
function cutAtCodePoint(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** "Offline sync: storage" → "Offline sync storage.crucible.json". */
export function exportFileName(title: string): string {
  return `${safeFileStem(title)}${EXPORT_FILE_EXTENSION}`;
}

export function backupFileName(at: number): string {
  const day = new Date(at).toISOString().slice(0, 10);
  return exportFileName(`Int Crucible backup ${day}`);
}
