/**
 * The pure part of the spreadsheet-like grid: cell positions, rectangular
 * selections, and reading a block pasted from a spreadsheet. No React here,
 * so the rules are tested directly.
 */

export interface CellPosition {
  row: number;
  col: number;
}

/** A selection is the rectangle between where it started (anchor) and the active cell. */
export interface GridSelection {
  anchor: CellPosition;
  active: CellPosition;
}

export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function rangeOf(selection: GridSelection): CellRange {
  return {
    top: Math.min(selection.anchor.row, selection.active.row),
    bottom: Math.max(selection.anchor.row, selection.active.row),
    left: Math.min(selection.anchor.col, selection.active.col),
    right: Math.max(selection.anchor.col, selection.active.col),
  };
}

export function rangeSize(range: CellRange): number {
  return (range.bottom - range.top + 1) * (range.right - range.left + 1);
}

export function inRange(range: CellRange, row: number, col: number): boolean {
  return row >= range.top && row <= range.bottom && col >= range.left && col <= range.right;
}

export function clampPosition(position: CellPosition, rows: number, cols: number): CellPosition {
  return { row: Math.max(0, Math.min(rows - 1, position.row)), col: Math.max(0, Math.min(cols - 1, position.col)) };
}

/** Every cell of a range, row by row. */
export function cellsOf(range: CellRange): CellPosition[] {
  const cells: CellPosition[] = [];
  for (let row = range.top; row <= range.bottom; row++) for (let col = range.left; col <= range.right; col++) cells.push({ row, col });
  return cells;
}

/**
 * A block copied from a spreadsheet: rows end with a newline (\n or \r\n, and
 * usually one trailing newline), cells are separated by tabs. A spreadsheet
 * quotes a cell that holds a tab or newline; numbers never do, so quotes are
 * only stripped from around a whole cell.
 */
export function parseTsv(text: string): string[][] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) =>
    line.split('\t').map((cell) =>
      cell
        .trim()
        .replace(/^"(.*)"$/s, '$1')
        .trim(),
    ),
  );
}

/** The selection as a spreadsheet reads it back: tabs between cells, one line per row. */
export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.join('\t')).join('\n');
}

export interface PastePlan {
  /** Cells to write, with the text pasted into each. */
  cells: { row: number; col: number; text: string }[];
  /** Pasted cells that fell outside the grid. */
  clipped: number;
}

/**
 * Where a pasted block lands: from the selection's top-left corner, as far as
 * the grid goes. A single value pasted over a larger selection fills it, as in
 * a spreadsheet.
 */
export function planPaste(block: readonly (readonly string[])[], selection: CellRange, rows: number, cols: number): PastePlan {
  const cells: PastePlan['cells'] = [];
  let clipped = 0;
  if (block.length === 1 && block[0]!.length === 1) {
    for (const cell of cellsOf(selection)) cells.push({ ...cell, text: block[0]![0]! });
    return { cells, clipped };
  }
  block.forEach((line, r) =>
    line.forEach((text, c) => {
      const row = selection.top + r;
      const col = selection.left + c;
      if (row < rows && col < cols) cells.push({ row, col, text });
      else clipped++;
    }),
  );
  return { cells, clipped };
}
