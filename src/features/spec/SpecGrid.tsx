import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { SpecOp } from '../../domain';
import { useSpecEditor } from './editor';
import {
  cellsOf,
  clampPosition,
  parseTsv,
  planPaste,
  rangeOf,
  rangeSize,
  toTsv,
  type CellPosition,
  type CellRange,
  type GridSelection,
} from './gridModel';

export interface GridColumn {
  id: string;
  name: string;
  /** Shown on hover over the header (e.g. the constraint's description). */
  title?: string;
  unit?: string;
}

export interface GridRow {
  id: string;
  name: string;
  title?: string;
}

export interface GridGroup {
  id: string;
  name: string;
  rows: GridRow[];
}

export interface SpecGridProps {
  /** The grid's accessible name, e.g. "Ratings". */
  label: string;
  /** Rows come in groups (options by dimension); a group heading is a row of its own that the keyboard skips. */
  groups: readonly GridGroup[];
  columns: readonly GridColumn[];
  /** The stored values of a row by column id (an absent one is an empty cell). The same object while the row's values stay the same, so unchanged rows are not rendered again. */
  rowValues: (rowId: string) => RowValues | undefined;
  /** In a what-if chat: the project spec's value of a cell this chat changed. */
  changeOf?: (rowId: string, colId: string) => { before: number | null } | undefined;
  highlighted?: (rowId: string, colId: string) => boolean;
  /** "Rating of OPFS on Offline-first". Best a function defined once (not inline), so rows can skip rendering. */
  cellLabel: (row: GridRow, col: GridColumn) => string;
  /** What an empty cell says, e.g. "not rated". */
  emptyText: string;
  /** The number a typed text means, or null when it is not allowed. Empty text always clears. */
  parse: (text: string) => number | null;
  /** The sentence that says what is allowed, shown with a rejected value. */
  rule: string;
  /** The op that writes one cell; null clears it. */
  toOp: (rowId: string, colId: string, value: number | null) => SpecOp;
  /** Changes whenever the stored values may have changed (the spec object), so typed values waiting for the store are dropped. */
  dataKey: unknown;
}

type RowValues = Readonly<Record<string, number | undefined>>;

type Visual = { kind: 'group'; group: GridGroup } | { kind: 'row'; row: GridRow; rowIndex: number };

interface Editing {
  text: string;
  /** Started by typing a character: the arrow keys then commit and move, as in a spreadsheet. */
  quick: boolean;
  error: string | null;
}

const ROW_HEIGHT = 32;
const GROUP_HEIGHT = 26;
const MAX_VISIBLE_HEIGHT = 520;
const STARTS_EDITING = /^[0-9.,+-]$/;
const VIRTUALISE_FROM = 60;
const EMPTY_PENDING: ReadonlyMap<string, number | null> = new Map();

function formatValue(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/**
 * A spreadsheet-like grid of numbers: options × constraints (ratings) or
 * options × attributes (values). Arrow keys, Tab, Enter, typing a number,
 * Escape, shift+arrows or shift+click for a rectangle, Delete to clear, paste
 * of a tab-separated block, copy, and "fill the selection". Every edit, however
 * many cells it writes, is one SpecDelta through the Spec editor, so it gets one
 * provenance entry and lands where this chat's edits land (project or what-if).
 *
 * Focus stays on the grid element and aria-activedescendant names the active
 * cell, so the rows can be virtualised without losing focus.
 */
export function SpecGrid(props: SpecGridProps) {
  const { label, groups, columns, rowValues, changeOf, highlighted, cellLabel, emptyText, parse, rule, toOp, dataKey } = props;
  const editor = useSpecEditor();
  const gridId = useId();
  const statusId = `${gridId}-status`;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const dragging = useRef(false);
  const skipBlurCommit = useRef(false);

  const { visuals, rows, visualIndexOfRow } = useMemo(() => {
    const visuals: Visual[] = [];
    const rows: GridRow[] = [];
    const visualIndexOfRow: number[] = [];
    for (const group of groups) {
      if (!group.rows.length) continue;
      visuals.push({ kind: 'group', group });
      for (const row of group.rows) {
        visualIndexOfRow.push(visuals.length);
        visuals.push({ kind: 'row', row, rowIndex: rows.length });
        rows.push(row);
      }
    }
    return { visuals, rows, visualIndexOfRow };
  }, [groups]);

  const [selection, setSelection] = useState<GridSelection>({ anchor: { row: 0, col: 0 }, active: { row: 0, col: 0 } });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'status'; text: string } | null>(null);
  const [fillText, setFillText] = useState('');
  // Values typed or pasted that the store has not brought back yet, so a cell never flashes its old value.
  // They belong to the stored values they were typed over: once dataKey changes, the store has caught up.
  const [pendingState, setPendingState] = useState<{ dataKey: unknown; cells: ReadonlyMap<string, number | null> }>({
    dataKey,
    cells: new Map(),
  });
  const pending = pendingState.dataKey === dataKey ? pendingState.cells : EMPTY_PENDING;
  const setPending = (update: (cells: ReadonlyMap<string, number | null>) => ReadonlyMap<string, number | null>) =>
    setPendingState((current) => ({ dataKey, cells: update(current.dataKey === dataKey ? current.cells : EMPTY_PENDING) }));

  const rowCount = rows.length;
  const colCount = columns.length;
  const active = clampPosition(selection.active, rowCount, colCount);
  const range = rangeOf({ anchor: clampPosition(selection.anchor, rowCount, colCount), active });
  const selectedCount = rangeSize(range);

  // A few dozen rows render as they are; beyond that only the rows in view (P9: 550 rows × 20 columns).
  const virtual = visuals.length > VIRTUALISE_FROM;
  const virtualizer = useVirtualizer({
    enabled: virtual,
    count: visuals.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (visuals[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    overscan: 4,
  });

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;
  const keyOf = (row: number, col: number) => `${rows[row]!.id}\u0000${columns[col]!.id}`;
  const displayed = (row: number, col: number): number | undefined => {
    const key = keyOf(row, col);
    if (pending.has(key)) return pending.get(key) ?? undefined;
    return rowValues(rows[row]!.id)?.[columns[col]!.id];
  };

  // Bring the active cell into view inside the grid's own scroll box (never the page): its row first, as it may not be rendered.
  const moved = useRef(false);
  useLayoutEffect(() => {
    const container = scrollRef.current;
    if (!moved.current || !container || !rowCount) return;
    const reveal = () => {
      const element = document.getElementById(`${gridId}-r${active.row}-c${active.col}`);
      if (element) scrollWithin(container, element);
      return Boolean(element);
    };
    if (!reveal() && virtual) {
      virtualizer.scrollToIndex(visualIndexOfRow[active.row]!, { align: 'auto' });
      const frame = requestAnimationFrame(reveal);
      return () => cancelAnimationFrame(frame);
    }
  }, [active.row, active.col, rowCount, virtual, virtualizer, visualIndexOfRow, gridId]);

  const isEditing = editing !== null;
  useLayoutEffect(() => {
    if (isEditing) inputRef.current?.focus();
  }, [isEditing]);

  useEffect(() => {
    const stop = () => (dragging.current = false);
    window.addEventListener('mouseup', stop);
    return () => window.removeEventListener('mouseup', stop);
  }, []);

  // Per row, what its cells show besides their values: pending typed values, what-if changes, highlights.
  // Each row gets the same objects while they stay the same, so a memoised row renders again only when it changed.
  const pendingByRow = useMemo(() => {
    const byRow = new Map<string, Map<string, number | null>>();
    for (const [key, value] of pending) {
      const [rowId, colId] = key.split('\u0000') as [string, string];
      let cells = byRow.get(rowId);
      if (!cells) byRow.set(rowId, (cells = new Map<string, number | null>()));
      cells.set(colId, value);
    }
    return byRow;
  }, [pending]);
  // What a row's cells do when used: the grid's current handlers, reached through one stable object.
  const events = useRef<CellEvents>(NO_EVENTS);

  const pos = (flat: number): CellPosition => ({ row: Math.floor(flat / colCount), col: flat % colCount });

  function focusGrid() {
    gridRef.current?.focus({ preventScroll: true });
  }

  function select(position: CellPosition, extend: boolean) {
    moved.current = true;
    const next = clampPosition(position, rowCount, colCount);
    setSelection((current) => ({ anchor: extend ? current.anchor : next, active: next }));
  }

  function move(rowDelta: number, colDelta: number, extend = false) {
    select({ row: active.row + rowDelta, col: active.col + colDelta }, extend);
  }

  /** Writes cells as one delta; resolves true when saved. */
  async function write(cells: { row: number; col: number; value: number | null }[], done: string | null): Promise<boolean> {
    const changed = cells.filter((cell) => (displayed(cell.row, cell.col) ?? null) !== cell.value);
    if (!changed.length) {
      if (done) setMessage({ kind: 'status', text: 'Nothing changed: those cells already hold that.' });
      return true;
    }
    const ops = changed.map((cell) => toOp(rows[cell.row]!.id, columns[cell.col]!.id, cell.value));
    setPending((current) => {
      const next = new Map(current);
      for (const cell of changed) next.set(keyOf(cell.row, cell.col), cell.value);
      return next;
    });
    const failure = await editor.apply(ops);
    if (failure) {
      setPending((current) => {
        const next = new Map(current);
        for (const cell of changed) next.delete(keyOf(cell.row, cell.col));
        return next;
      });
      setMessage({ kind: 'error', text: failure });
      return false;
    }
    setMessage(done ? { kind: 'status', text: done } : null);
    return true;
  }

  function readValue(text: string, where: string): { ok: true; value: number | null } | { ok: false; message: string } {
    if (!text.trim()) return { ok: true, value: null };
    const value = parse(text);
    if (value === null) return { ok: false, message: `"${text.trim()}" is not allowed${where}. ${rule}` };
    return { ok: true, value };
  }

  function startEditing(initial: string | null) {
    if (!editor.editable) return;
    setMessage(null);
    setEditing({ text: initial ?? formatValue(displayed(active.row, active.col)), quick: initial !== null, error: null });
  }

  /** Commits the cell being edited; "all" writes the value into every selected cell (Ctrl+Enter). */
  async function commit(then: (() => void) | null, all = false): Promise<void> {
    if (!editing) return;
    const read = readValue(editing.text, '');
    if (!read.ok) {
      setEditing({ ...editing, error: read.message });
      inputRef.current?.focus();
      return;
    }
    skipBlurCommit.current = true;
    setEditing(null);
    then?.();
    focusGrid();
    const targets = all ? cellsOf(range) : [active];
    await write(
      targets.map((cell) => ({ ...cell, value: read.value })),
      all && targets.length > 1 ? `Filled ${targets.length} cells.` : null,
    );
  }

  function cancel() {
    skipBlurCommit.current = true;
    setEditing(null);
    focusGrid();
  }

  function clearSelection() {
    const targets = cellsOf(range).map((cell) => ({ ...cell, value: null }));
    void write(targets, targets.length > 1 ? `Cleared ${targets.length} cells.` : null);
  }

  function fillSelection(text: string) {
    const read = readValue(text, ' as a fill value');
    if (!read.ok) {
      setMessage({ kind: 'error', text: read.message });
      return;
    }
    const targets = cellsOf(range);
    void write(
      targets.map((cell) => ({ ...cell, value: read.value })),
      `${read.value === null ? 'Cleared' : 'Filled'} ${targets.length} cell${targets.length === 1 ? '' : 's'}.`,
    ).then((saved) => saved && setFillText(''));
  }

  function onGridKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (editing || event.target !== event.currentTarget) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const extend = event.shiftKey;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 320) / ROW_HEIGHT) - 2);
    let handled = true;
    switch (event.key) {
      case 'ArrowUp':
        if (ctrl) select({ row: 0, col: active.col }, extend);
        else move(-1, 0, extend);
        break;
      case 'ArrowDown':
        if (ctrl) select({ row: rowCount - 1, col: active.col }, extend);
        else move(1, 0, extend);
        break;
      case 'ArrowLeft':
        if (ctrl) select({ row: active.row, col: 0 }, extend);
        else move(0, -1, extend);
        break;
      case 'ArrowRight':
        if (ctrl) select({ row: active.row, col: colCount - 1 }, extend);
        else move(0, 1, extend);
        break;
      case 'Home':
        select({ row: ctrl ? 0 : active.row, col: 0 }, extend);
        break;
      case 'End':
        select({ row: ctrl ? rowCount - 1 : active.row, col: colCount - 1 }, extend);
        break;
      case 'PageUp':
        move(-pageRows, 0, extend);
        break;
      case 'PageDown':
        move(pageRows, 0, extend);
        break;
      case 'Tab': {
        // Tab walks the cells row by row; from the last (or first) cell it leaves the grid as usual.
        const flat = active.row * colCount + active.col + (event.shiftKey ? -1 : 1);
        if (flat < 0 || flat >= rowCount * colCount) handled = false;
        else select({ row: Math.floor(flat / colCount), col: flat % colCount }, false);
        break;
      }
      case 'Enter':
      case 'F2':
        startEditing(null);
        break;
      case 'Delete':
      case 'Backspace':
        if (editor.editable) clearSelection();
        break;
      case 'Escape':
        if (selectedCount > 1) setSelection({ anchor: active, active });
        else handled = false;
        break;
      default:
        if (ctrl && event.key.toLowerCase() === 'a') {
          setSelection({ anchor: { row: 0, col: 0 }, active: { row: rowCount - 1, col: colCount - 1 } });
        } else if (!ctrl && !event.altKey && STARTS_EDITING.test(event.key) && editor.editable) {
          startEditing(event.key);
        } else handled = false;
    }
    if (handled) event.preventDefault();
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!editing) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const moveAfter = (rowDelta: number, colDelta: number) => () =>
      select({ row: active.row + rowDelta, col: active.col + colDelta }, false);
    let handled = true;
    if (event.key === 'Enter' && ctrl) void commit(null, true);
    else if (event.key === 'Enter') void commit(moveAfter(event.shiftKey ? -1 : 1, 0));
    else if (event.key === 'Tab') {
      const flat = active.row * colCount + active.col + (event.shiftKey ? -1 : 1);
      const next = Math.max(0, Math.min(rowCount * colCount - 1, flat));
      void commit(() => select(pos(next), false));
    } else if (event.key === 'Escape') cancel();
    else if (editing.quick && event.key === 'ArrowUp') void commit(moveAfter(-1, 0));
    else if (editing.quick && event.key === 'ArrowDown') void commit(moveAfter(1, 0));
    else if (editing.quick && event.key === 'ArrowLeft') void commit(moveAfter(0, -1));
    else if (editing.quick && event.key === 'ArrowRight') void commit(moveAfter(0, 1));
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLDivElement>) {
    if (editing || !editor.editable) return;
    const text = event.clipboardData.getData('text/plain');
    if (!text) return;
    event.preventDefault();
    const block = parseTsv(text);
    const plan = planPaste(block, range, rowCount, colCount);
    const cells: { row: number; col: number; value: number | null }[] = [];
    for (const cell of plan.cells) {
      const read = readValue(cell.text, ` for ${cellLabel(rows[cell.row]!, columns[cell.col]!)}`);
      if (!read.ok) {
        setMessage({ kind: 'error', text: `${read.message} Nothing was pasted.` });
        return;
      }
      cells.push({ row: cell.row, col: cell.col, value: read.value });
    }
    if (!cells.length) return;
    const last = cells[cells.length - 1]!;
    moved.current = true;
    setSelection({ anchor: { row: cells[0]!.row, col: cells[0]!.col }, active: { row: last.row, col: last.col } });
    const clipped = plan.clipped ? ` ${plan.clipped} cell${plan.clipped === 1 ? '' : 's'} fell outside the grid and were left out.` : '';
    void write(cells, `Pasted ${cells.length} cell${cells.length === 1 ? '' : 's'}.${clipped}`);
  }

  function onCopy(event: ClipboardEvent<HTMLDivElement>) {
    if (editing) return;
    event.preventDefault();
    const lines: string[][] = [];
    for (let row = range.top; row <= range.bottom; row++) {
      const line: string[] = [];
      for (let col = range.left; col <= range.right; col++) line.push(formatValue(displayed(row, col)));
      lines.push(line);
    }
    event.clipboardData.setData('text/plain', toTsv(lines));
    setMessage({ kind: 'status', text: `Copied ${selectedCount} cell${selectedCount === 1 ? '' : 's'}.` });
  }

  function onCellMouseDown(event: MouseEvent, row: number, col: number) {
    if (event.button !== 0) return;
    if (editing && row === active.row && col === active.col) return;
    event.preventDefault();
    if (editing) void commit(null);
    dragging.current = true;
    select({ row, col }, event.shiftKey);
    focusGrid();
  }

  useLayoutEffect(() => {
    events.current = {
      mouseDown: onCellMouseDown,
      mouseEnter: (row, col) => dragging.current && select({ row, col }, true),
      doubleClick: () => startEditing(null),
      editText: (text) => editing && setEditing({ ...editing, text, error: null }),
      inputKeyDown: onInputKeyDown,
      inputBlur: () => {
        if (skipBlurCommit.current) skipBlurCommit.current = false;
        else void commit(null);
      },
    };
  });

  if (!rowCount || !colCount) return null;

  /** A row's what-if changes and highlights (rows in view only; compared by content, so a row renders again only when they change). */
  const marksOf = (rowId: string): RowMarks | undefined => {
    if (!changeOf && !highlighted) return undefined;
    const changes = columns.map((column) => changeOf?.(rowId, column.id));
    const lit = columns.map((column) => highlighted?.(rowId, column.id) ?? false);
    return changes.some(Boolean) || lit.some(Boolean) ? { changes, highlighted: lit } : undefined;
  };

  const template: CSSProperties = {
    ['--grid-columns' as string]: `minmax(9rem, 14rem) repeat(${colCount}, minmax(4.75rem, 1fr))`,
    ['--grid-min-width' as string]: `calc(9rem + ${colCount} * 4.75rem)`,
  };
  const virtualItems = virtual ? virtualizer.getVirtualItems() : null;
  const items = virtualItems ?? visuals.map((_, index) => ({ index }));
  const paddingTop = virtualItems?.[0]?.start ?? 0;
  const paddingBottom = virtualItems ? virtualizer.getTotalSize() - (virtualItems.at(-1)?.end ?? 0) : 0;
  const activeRow = rows[active.row]!;
  const activeCol = columns[active.col]!;
  const activeLabel = cellLabel(activeRow, activeCol);

  return (
    <div className="spec-grid-host">
      <div
        ref={scrollRef}
        className="spec-grid-scroll"
        style={{ ...template, maxHeight: MAX_VISIBLE_HEIGHT }}
        onMouseUp={() => (dragging.current = false)}
      >
        <div
          ref={gridRef}
          role="grid"
          aria-label={label}
          aria-rowcount={rowCount + 1}
          aria-colcount={colCount + 1}
          aria-multiselectable="true"
          aria-readonly={!editor.editable || undefined}
          aria-activedescendant={editing ? undefined : cellId(active.row, active.col)}
          aria-describedby={statusId}
          tabIndex={0}
          className="spec-grid"
          onKeyDown={onGridKeyDown}
          onPaste={onPaste}
          onCopy={onCopy}
        >
          <div role="row" aria-rowindex={1} className="spec-grid-row spec-grid-head">
            <div role="columnheader" aria-colindex={1} className="spec-grid-corner">
              Option
            </div>
            {columns.map((column, col) => (
              <div
                role="columnheader"
                aria-colindex={col + 2}
                key={column.id}
                className={`spec-grid-colhead${col === active.col ? ' active' : ''}`}
                title={column.title ? `${column.name}: ${column.title}` : column.name}
              >
                <span className="spec-grid-colname">{column.name}</span>
                {column.unit && <span className="unit">{column.unit}</span>}
              </div>
            ))}
          </div>
          {paddingTop > 0 && <div aria-hidden="true" style={{ height: paddingTop }} />}
          {items.map((item) => {
            const visual = visuals[item.index]!;
            if (visual.kind === 'group') {
              return (
                <div key={`g-${visual.group.id}`} role="presentation" className="spec-grid-group" style={{ height: GROUP_HEIGHT }}>
                  <span className="spec-grid-group-name">{visual.group.name}</span>
                </div>
              );
            }
            const { row, rowIndex } = visual;
            const isActiveRow = rowIndex === active.row;
            const inSelection = selectedCount > 1 && rowIndex >= range.top && rowIndex <= range.bottom;
            return (
              <GridRowView
                key={row.id}
                row={row}
                rowIndex={rowIndex}
                columns={columns}
                values={rowValues(row.id)}
                pending={pendingByRow.get(row.id)}
                marks={marksOf(row.id)}
                activeCol={isActiveRow ? active.col : -1}
                editing={isActiveRow ? editing : null}
                selectedLeft={inSelection ? range.left : -1}
                selectedRight={inSelection ? range.right : -1}
                cellLabel={cellLabel}
                emptyText={emptyText}
                gridId={gridId}
                inputRef={inputRef}
                events={events}
              />
            );
          })}
          {paddingBottom > 0 && <div aria-hidden="true" style={{ height: paddingBottom }} />}
        </div>
      </div>
      <div className="spec-grid-footer">
        <p id={statusId} className="spec-grid-position">
          {selectedCount > 1 ? `${selectedCount} cells selected` : activeLabel}
          {editor.editable && (
            <span className="spec-grid-keys">
              {' '}
              · type a number, Enter to edit, Delete to clear, paste from a spreadsheet, shift+arrows to select
            </span>
          )}
        </p>
        {editor.editable && (
          <form
            className="spec-grid-fill"
            aria-label={`Fill the selected ${label.toLowerCase()} cells`}
            onSubmit={(event) => {
              event.preventDefault();
              fillSelection(fillText);
            }}
          >
            <input
              aria-label={`Value for the ${selectedCount} selected cell${selectedCount === 1 ? '' : 's'}`}
              inputMode="decimal"
              placeholder="value"
              value={fillText}
              onChange={(event) => setFillText(event.target.value)}
            />
            <button type="submit">Fill {selectedCount === 1 ? 'cell' : `${selectedCount} cells`}</button>
            <button type="button" className="danger-quiet" onClick={clearSelection}>
              Clear {selectedCount === 1 ? 'cell' : `${selectedCount} cells`}
            </button>
          </form>
        )}
      </div>
      {editing?.error && (
        <p id={`${gridId}-edit-error`} role="alert" className="field-error">
          {editing.error}
        </p>
      )}
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'field-error' : 'spec-grid-status'}>
          {message.text}
        </p>
      )}
    </div>
  );
}

/** A row's what-if changes and highlights, by column index. */
interface RowMarks {
  changes: ({ before: number | null } | undefined)[];
  highlighted: boolean[];
}

interface CellEvents {
  mouseDown: (event: MouseEvent, row: number, col: number) => void;
  mouseEnter: (row: number, col: number) => void;
  doubleClick: () => void;
  editText: (text: string) => void;
  inputKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  inputBlur: () => void;
}

const NO_EVENTS: CellEvents = {
  mouseDown: () => {},
  mouseEnter: () => {},
  doubleClick: () => {},
  editText: () => {},
  inputKeyDown: () => {},
  inputBlur: () => {},
};

interface GridRowViewProps {
  row: GridRow;
  rowIndex: number;
  columns: readonly GridColumn[];
  values: RowValues | undefined;
  /** Values typed or pasted into this row that the store has not brought back yet, by column id. */
  pending: ReadonlyMap<string, number | null> | undefined;
  marks: RowMarks | undefined;
  /** The active cell's column when it is in this row, else -1. */
  activeCol: number;
  /** The cell being edited, when it is in this row. */
  editing: Editing | null;
  /** The columns of a multi-cell selection that takes in this row, else -1. */
  selectedLeft: number;
  selectedRight: number;
  cellLabel: (row: GridRow, col: GridColumn) => string;
  emptyText: string;
  gridId: string;
  inputRef: RefObject<HTMLInputElement | null>;
  events: RefObject<CellEvents>;
}

function sameMarks(a: RowMarks | undefined, b: RowMarks | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.changes.length !== b.changes.length) return false;
  return a.changes.every(
    (change, i) => change?.before === b.changes[i]?.before && !change === !b.changes[i] && a.highlighted[i] === b.highlighted[i],
  );
}

/** Props compare by identity, except the marks, which are built afresh for each render and compare by content. */
function sameRowProps(a: GridRowViewProps, b: GridRowViewProps): boolean {
  for (const key of Object.keys(b) as (keyof GridRowViewProps)[]) {
    if (key === 'marks' ? !sameMarks(a.marks, b.marks) : !Object.is(a[key], b[key])) return false;
  }
  return true;
}

/**
 * One option's row of cells. Memoised: moving the active cell, typing or saving a value renders
 * again only the rows whose props changed (P9: 19 rows × 20 cells on screen, 500 rows in all).
 */
const GridRowView = memo(function GridRowView({
  row,
  rowIndex,
  columns,
  values,
  pending,
  marks,
  activeCol,
  editing,
  selectedLeft,
  selectedRight,
  cellLabel,
  emptyText,
  gridId,
  inputRef,
  events,
}: GridRowViewProps) {
  return (
    <div
      role="row"
      aria-rowindex={rowIndex + 2}
      className={`spec-grid-row${activeCol >= 0 ? ' active' : ''}`}
      style={{ height: ROW_HEIGHT }}
    >
      <div role="rowheader" aria-colindex={1} className="spec-grid-rowhead" title={row.title ?? row.name}>
        {row.name}
      </div>
      {columns.map((column, col) => {
        const value = pending?.has(column.id) ? (pending.get(column.id) ?? undefined) : values?.[column.id];
        const change = marks?.changes[col];
        const isActive = col === activeCol;
        const selected = selectedLeft >= 0 && col >= selectedLeft && col <= selectedRight;
        const cellText = value === undefined ? emptyText : String(value);
        const labelText = cellLabel(row, column);
        const isEditing = isActive && editing;
        return (
          <div
            key={column.id}
            id={`${gridId}-r${rowIndex}-c${col}`}
            role="gridcell"
            aria-colindex={col + 2}
            aria-selected={selected || isActive}
            aria-label={`${labelText}: ${cellText}${change ? ` (project spec: ${change.before ?? emptyText})` : ''}`}
            className={cellClass(value === undefined, isActive, selected, !!change)}
            data-highlighted={marks?.highlighted[col] || undefined}
            title={change ? `project spec: ${change.before ?? emptyText}` : undefined}
            onMouseDown={(event) => events.current.mouseDown(event, rowIndex, col)}
            onMouseEnter={() => events.current.mouseEnter(rowIndex, col)}
            onDoubleClick={() => events.current.doubleClick()}
          >
            {isEditing ? (
              <input
                ref={inputRef}
                className="spec-grid-input"
                aria-label={labelText}
                aria-invalid={editing.error ? true : undefined}
                aria-describedby={editing.error ? `${gridId}-edit-error` : undefined}
                inputMode="decimal"
                value={editing.text}
                onChange={(event) => events.current.editText(event.target.value)}
                onKeyDown={(event) => events.current.inputKeyDown(event)}
                onBlur={() => events.current.inputBlur()}
              />
            ) : (
              <span className="spec-grid-value" aria-hidden="true">
                {value === undefined ? emptyText : value}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}, sameRowProps);

/** Scrolls the container just enough to show the cell clear of the sticky header row and option column. */
function scrollWithin(container: HTMLElement, cell: HTMLElement): void {
  const box = container.getBoundingClientRect();
  const rect = cell.getBoundingClientRect();
  const header = container.querySelector('.spec-grid-head')?.getBoundingClientRect().height ?? 0;
  const rowHeader = cell.parentElement?.querySelector('.spec-grid-rowhead')?.getBoundingClientRect().width ?? 0;
  if (rect.top < box.top + header) container.scrollTop -= box.top + header - rect.top;
  else if (rect.bottom > box.bottom) container.scrollTop += rect.bottom - box.bottom;
  if (rect.left < box.left + rowHeader) container.scrollLeft -= box.left + rowHeader - rect.left;
  else if (rect.right > box.right) container.scrollLeft += rect.right - box.right;
}

function cellClass(empty: boolean, active: boolean, selected: boolean, changed: boolean): string {
  let name = 'spec-grid-cell';
  if (empty) name += ' empty';
  if (active) name += ' active';
  if (selected) name += ' selected';
  if (changed) name += ' changed';
  return name;
}

export type { CellRange };
