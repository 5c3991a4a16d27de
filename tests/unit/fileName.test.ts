// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPORT_FILE_EXTENSION, MAX_FILE_STEM, backupFileName, exportFileName, safeFileStem } from '../../src/domain';

const BIDI_AND_INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Any UTF-16 code unit, lone surrogate halves included (import files can hold them). */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

describe('export file names', () => {
  it('drops a right-to-left override, so a title cannot pose as another file type', () => {
    expect(exportFileName('invoice\u202Enosj.exe')).toBe('invoicenosj.exe.crucible.json');
    expect(exportFileName('report\u2067\u2066 draft')).toBe('report draft.crucible.json');
  });

  it('replaces path syntax and characters file systems refuse', () => {
    expect(exportFileName('Offline sync: storage/notes')).toBe('Offline sync storage notes.crucible.json');
    expect(exportFileName('a<b>c|d?e*f"g\\h')).toBe('a b c d e f g h.crucible.json');
  });

  it('never yields an empty, hidden or Windows-reserved name', () => {
    expect(exportFileName('')).toBe('project.crucible.json');
    expect(exportFileName(' ... ')).toBe('project.crucible.json');
    expect(exportFileName('..hidden.')).toBe('hidden.crucible.json');
    expect(exportFileName('CON')).toBe('CON project.crucible.json');
    expect(exportFileName('lpt1.txt')).toBe('lpt1.txt project.crucible.json');
    expect(exportFileName('Console')).toBe('Console.crucible.json');
  });

  it('bounds the length without splitting a surrogate pair', () => {
    const long = `${'x'.repeat(MAX_FILE_STEM - 1)}😀tail`;
    const stem = safeFileStem(long);
    expect(stem).toBe('x'.repeat(MAX_FILE_STEM - 1));
    expect(stem.length).toBeLessThanOrEqual(MAX_FILE_STEM);
  });

  it('names a backup by its day', () => {
    expect(backupFileName(Date.UTC(2026, 11, 1, 20))).toBe('Int Crucible backup 2026-12-01.crucible.json');
  });

  it('is safe for any title (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: anyCodeUnit, maxLength: 300 })), (title) => {
        const name = exportFileName(title);
        expect(name.endsWith(EXPORT_FILE_EXTENSION)).toBe(true);
        const stem = name.slice(0, -EXPORT_FILE_EXTENSION.length);
        expect(stem.length).toBeGreaterThan(0);
        expect(stem.length).toBeLessThanOrEqual(MAX_FILE_STEM + ' project'.length);
        expect(stem).not.toMatch(BIDI_AND_INVISIBLE);
        expect(stem).not.toMatch(CONTROL);
        expect(stem).not.toMatch(/[\\/:*?"<>|]/);
        expect(stem).not.toMatch(/^[\s.]|[\s.]$/);
        expect(stem).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
        // No lone surrogate halves left by the cut.
        expect(stem).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 2000 },
    );
  });
});
