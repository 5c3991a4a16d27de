import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { createChat, createProject, db, getSpec } from '../../src/db';
import { loadChatSpecContext } from '../../src/db/specs';
import { toSpecContent, type ChatSession, type SpecContent } from '../../src/domain';
import { sendUserMessage } from '../../src/features/chats/sendMessage';
import { SpecPanel } from '../../src/features/spec/SpecPanel';

const SCRIPT = [
  'constraint: Offline-first weight 90',
  'constraint: Low cost weight 60',
  'constraint: Simple weight 30',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite cost 3',
  'dimension Sync: LWW cost 1, CRDT cost 2',
  'rate OPFS Offline-first 0.9',
  'attribute Mass kg',
].join('\n');

const OPTIONS = ['IndexedDB', 'OPFS', 'SQLite', 'LWW', 'CRDT'];
const CONSTRAINTS = ['Offline-first', 'Low cost', 'Simple'];

async function setup(mode: 'setup' | 'whatif' = 'setup') {
  const { project, chat } = await createProject({ title: 'Grid' });
  await sendUserMessage(chat, SCRIPT);
  const target: ChatSession = mode === 'setup' ? chat : await createChat({ projectId: project.id, mode: 'whatif' });
  const user = userEvent.setup();
  render(<SpecPanel projectId={project.id} chat={target} />);
  const grid = await screen.findByRole('grid', { name: 'Ratings' });
  const entriesBefore = (await getSpec(project.id))!.provenance.length;
  return { project, chat: target, user, grid, entriesBefore };
}

/** The ratings as a table of names, "" for not rated. */
function ratingTable(spec: SpecContent): Record<string, Record<string, number | ''>> {
  const byName = new Map(spec.constraints.map((c) => [c.id, c.name]));
  const out: Record<string, Record<string, number | ''>> = {};
  for (const option of spec.designSpace.dimensions.flatMap((d) => d.options)) {
    out[option.name] = Object.fromEntries(CONSTRAINTS.map((name) => [name, '' as const]));
    for (const [id, value] of Object.entries(option.ratings)) out[option.name]![byName.get(id)!] = value;
  }
  return out;
}

const projectRatings = async (projectId: string) => ratingTable(toSpecContent((await getSpec(projectId))!));

function activeCell(grid: HTMLElement): HTMLElement {
  const id = grid.getAttribute('aria-activedescendant');
  expect(id).toBeTruthy();
  return document.getElementById(id!)!;
}

const cellName = (option: string, constraint: string) => new RegExp(`^Rating of ${option} on ${constraint}:`);

function selectedNames(grid: HTMLElement): string[] {
  return within(grid)
    .getAllByRole('gridcell')
    .filter((cell) => cell.getAttribute('aria-selected') === 'true')
    .map((cell) => cell.getAttribute('aria-label')!.replace(/:.*$/, ''));
}

function paste(grid: HTMLElement, text: string) {
  fireEvent.paste(grid, { clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : '') } });
}

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe('the ratings grid', () => {
  it('is an ARIA grid with row and column indexes, headers and a label per cell', async () => {
    const { grid } = await setup();
    expect(grid).toHaveAttribute('aria-rowcount', String(OPTIONS.length + 1));
    expect(grid).toHaveAttribute('aria-colcount', String(CONSTRAINTS.length + 1));
    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Option', ...CONSTRAINTS]);
    expect(
      within(grid)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(OPTIONS);
    const opfs = within(grid).getByRole('gridcell', { name: 'Rating of OPFS on Offline-first: 0.9' });
    expect(opfs).toHaveAttribute('aria-colindex', '2');
    expect(opfs.closest('[role="row"]')).toHaveAttribute('aria-rowindex', '3');
    expect(within(grid).getByRole('gridcell', { name: 'Rating of CRDT on Simple: not rated' })).toHaveClass('empty');
    // The dimension headings are not cells the keyboard stops on.
    expect(within(grid).getByText('Storage').closest('[role="row"]')).toBeNull();
  });

  it('moves with the arrow keys, Tab, Home and End, and selects a rectangle with shift+arrows', async () => {
    const { user, grid } = await setup();
    grid.focus();
    expect(activeCell(grid)).toHaveAccessibleName(cellName('IndexedDB', 'Offline-first'));
    await user.keyboard('{ArrowDown}{ArrowRight}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('OPFS', 'Low cost'));
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowLeft}{ArrowLeft}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('IndexedDB', 'Offline-first'));
    await user.keyboard('{End}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('IndexedDB', 'Simple'));
    await user.keyboard('{Tab}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('OPFS', 'Offline-first'));
    await user.keyboard('{Shift>}{Tab}{/Shift}{Home}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('IndexedDB', 'Offline-first'));
    // Moving down crosses the dimension heading without stopping on it.
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('LWW', 'Offline-first'));
    await user.keyboard('{Control>}{End}{/Control}');
    expect(activeCell(grid)).toHaveAccessibleName(cellName('CRDT', 'Simple'));

    await user.keyboard('{Control>}{Home}{/Control}{Shift>}{ArrowDown}{ArrowRight}{/Shift}');
    expect(selectedNames(grid)).toEqual([
      'Rating of IndexedDB on Offline-first',
      'Rating of IndexedDB on Low cost',
      'Rating of OPFS on Offline-first',
      'Rating of OPFS on Low cost',
    ]);
    expect(screen.getByText('4 cells selected')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(selectedNames(grid)).toEqual(['Rating of OPFS on Low cost']);
  });

  it('starts editing when a number is typed; Enter saves and moves down, Escape cancels', async () => {
    const { project, user, grid, entriesBefore } = await setup();
    grid.focus();
    await user.keyboard('0.7');
    const field = within(grid).getByRole('textbox', { name: 'Rating of IndexedDB on Offline-first' });
    expect(field).toHaveFocus();
    expect(field).toHaveValue('0.7');
    await user.keyboard('{Enter}');
    await waitFor(async () => expect((await projectRatings(project.id)).IndexedDB!['Offline-first']).toBe(0.7));
    expect(activeCell(grid)).toHaveAccessibleName(cellName('OPFS', 'Offline-first'));
    expect(grid).toHaveFocus();

    // Escape leaves the stored value alone.
    await user.keyboard('3{Escape}');
    expect(within(grid).queryByRole('textbox')).not.toBeInTheDocument();
    expect(grid).toHaveFocus();
    await user.keyboard('{Enter}');
    const opfs = within(grid).getByRole('textbox', { name: 'Rating of OPFS on Offline-first' });
    expect(opfs).toHaveValue('0.9');
    await user.keyboard('{Escape}');

    // A value typed with a quick edit commits with an arrow key, as in a spreadsheet.
    await user.keyboard('{ArrowRight}1{ArrowRight}');
    await waitFor(async () => expect((await projectRatings(project.id)).OPFS!['Low cost']).toBe(1));
    expect(activeCell(grid)).toHaveAccessibleName(cellName('OPFS', 'Simple'));

    const spec = (await getSpec(project.id))!;
    expect(spec.provenance.length).toBe(entriesBefore + 2);
    expect((await projectRatings(project.id)).OPFS!['Offline-first']).toBe(0.9);
  });

  it('refuses an out-of-range value and keeps the cell open with the rule', async () => {
    const { project, user, grid } = await setup();
    grid.focus();
    await user.keyboard('7{Enter}');
    expect(await screen.findByText(/Rating must be a number from 0 to 1/)).toBeInTheDocument();
    expect(within(grid).getByRole('textbox', { name: 'Rating of IndexedDB on Offline-first' })).toHaveAttribute('aria-invalid', 'true');
    expect((await projectRatings(project.id)).IndexedDB!['Offline-first']).toBe('');
  });

  it('pastes a tab-separated block (\\r\\n rows, trailing newline) as ONE SpecDelta with provenance', async () => {
    const { project, chat, user, grid, entriesBefore } = await setup();
    await user.click(within(grid).getByRole('gridcell', { name: cellName('IndexedDB', 'Low cost') }));
    paste(grid, '0.1\t0.2\r\n0.3\t\r\n0.5\t0.6\r\n');
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 1));
    const table = await projectRatings(project.id);
    expect([table.IndexedDB!['Low cost'], table.IndexedDB!.Simple]).toEqual([0.1, 0.2]);
    expect([table.OPFS!['Low cost'], table.OPFS!.Simple]).toEqual([0.3, '']);
    expect([table.SQLite!['Low cost'], table.SQLite!.Simple]).toEqual([0.5, 0.6]);
    expect(table.OPFS!['Offline-first']).toBe(0.9);
    const entry = (await getSpec(project.id))!.provenance.at(-1)!;
    expect(entry).toMatchObject({ actor: 'user', chatSessionId: chat.id, scope: 'project' });
    expect(entry.changes).toHaveLength(5);
    expect(await screen.findByText('Pasted 6 cells.')).toBeInTheDocument();
    // The pasted block is selected afterwards.
    expect(selectedNames(grid)).toHaveLength(6);
  });

  it('fills a selection from a single pasted value, leaves out what falls outside the grid, and refuses a bad block whole', async () => {
    const { project, user, grid, entriesBefore } = await setup();
    await user.click(within(grid).getByRole('gridcell', { name: cellName('LWW', 'Offline-first') }));
    await user.keyboard('{Shift>}{ArrowDown}{/Shift}');
    paste(grid, '0.25\n');
    await waitFor(async () => expect((await projectRatings(project.id)).CRDT!['Offline-first']).toBe(0.25));
    expect((await projectRatings(project.id)).LWW!['Offline-first']).toBe(0.25);

    await user.click(within(grid).getByRole('gridcell', { name: cellName('CRDT', 'Simple') }));
    paste(grid, '0.4\t0.5\n0.6\t0.7');
    expect(await screen.findByText('Pasted 1 cell. 3 cells fell outside the grid and were left out.')).toBeInTheDocument();
    expect((await projectRatings(project.id)).CRDT!.Simple).toBe(0.4);

    await user.click(within(grid).getByRole('gridcell', { name: cellName('IndexedDB', 'Offline-first') }));
    paste(grid, '0.5\tabc\n');
    expect(
      await screen.findByText(/"abc" is not allowed for Rating of IndexedDB on Low cost\. .* Nothing was pasted\./),
    ).toBeInTheDocument();
    expect((await projectRatings(project.id)).IndexedDB!['Offline-first']).toBe('');
    expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 2);
  });

  it('fills a selection with one value (the Fill form and Ctrl+Enter), each fill one SpecDelta', async () => {
    const { project, user, grid, entriesBefore } = await setup();
    await user.click(within(grid).getByRole('gridcell', { name: cellName('SQLite', 'Simple') }));
    // shift+click extends the selection to a 3 × 3 rectangle.
    fireEvent.mouseDown(within(grid).getByRole('gridcell', { name: cellName('IndexedDB', 'Offline-first') }), {
      button: 0,
      shiftKey: true,
    });
    expect(selectedNames(grid)).toHaveLength(9);
    await user.type(screen.getByRole('textbox', { name: 'Value for the 9 selected cells' }), '0.5');
    await user.click(screen.getByRole('button', { name: 'Fill 9 cells' }));
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 1));
    const filled = await projectRatings(project.id);
    for (const option of ['IndexedDB', 'OPFS', 'SQLite']) expect(Object.values(filled[option]!)).toEqual([0.5, 0.5, 0.5]);
    expect(Object.values(filled.LWW!)).toEqual(['', '', '']);
    const entry = (await getSpec(project.id))!.provenance.at(-1)!;
    expect(entry.actor).toBe('user');
    expect(entry.changes).toHaveLength(9);

    // Ctrl+Enter while editing writes the typed value into the whole selection.
    await user.click(within(grid).getByRole('gridcell', { name: cellName('LWW', 'Offline-first') }));
    await user.keyboard('{Shift>}{ArrowRight}{/Shift}0.3{Control>}{Enter}{/Control}');
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 2));
    expect(Object.values((await projectRatings(project.id)).LWW!)).toEqual([0.3, 0.3, '']);
  });

  it('clears a selection back to "not rated" with Delete, as one SpecDelta', async () => {
    const { project, user, grid, entriesBefore } = await setup();
    await user.click(within(grid).getByRole('gridcell', { name: cellName('IndexedDB', 'Offline-first') }));
    paste(grid, '0.1\t0.2\n0.3\t0.4\n');
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 1));
    expect((await projectRatings(project.id)).OPFS!['Offline-first']).toBe(0.3);
    // The pasted block is still selected: Delete clears all four.
    await user.keyboard('{Delete}');
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 2));
    const table = await projectRatings(project.id);
    expect([
      table.IndexedDB!['Offline-first'],
      table.IndexedDB!['Low cost'],
      table.OPFS!['Offline-first'],
      table.OPFS!['Low cost'],
    ]).toEqual(['', '', '', '']);
    expect(await within(grid).findByRole('gridcell', { name: 'Rating of OPFS on Offline-first: not rated' })).toHaveClass('empty');
    expect((await getSpec(project.id))!.provenance.at(-1)!.changes).toHaveLength(4);
    // Backspace on one empty cell changes nothing and writes nothing.
    await user.keyboard('{Escape}{Backspace}');
    expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 2);
  });

  it('copies the selection as tab-separated text', async () => {
    const { user, grid } = await setup();
    await user.click(within(grid).getByRole('gridcell', { name: cellName('IndexedDB', 'Offline-first') }));
    await user.keyboard('{Shift>}{ArrowDown}{ArrowRight}{/Shift}');
    let copied = '';
    fireEvent.copy(grid, { clipboardData: { setData: (_type: string, text: string) => (copied = text) } });
    expect(copied).toBe('\t\n0.9\t');
  });

  it('in a what-if chat, edits go to the what-if: the project spec is unchanged and the cell shows the difference', async () => {
    const { project, chat, user, grid } = await setup('whatif');
    const base = toSpecContent((await getSpec(project.id))!);
    await user.click(within(grid).getByRole('gridcell', { name: cellName('OPFS', 'Offline-first') }));
    paste(grid, '0.2\t0.8\n');
    await waitFor(async () => expect(ratingTable((await loadChatSpecContext(chat.id)).effective).OPFS!['Low cost']).toBe(0.8));
    expect(toSpecContent((await getSpec(project.id))!)).toEqual(base);
    const entry = (await getSpec(project.id))!.provenance.at(-1)!;
    expect(entry).toMatchObject({ actor: 'user', chatSessionId: chat.id, scope: 'whatif' });
    expect(entry.changes).toHaveLength(2);
    expect(await within(grid).findByRole('gridcell', { name: 'Rating of OPFS on Offline-first: 0.2 (project spec: 0.9)' })).toHaveClass(
      'changed',
    );
  });

  it('is read-only in an analysis chat of a run: no editing, no fill form', async () => {
    const { project, chat } = await createProject({ title: 'Grid' });
    await sendUserMessage(chat, SCRIPT);
    const { createRun } = await import('../../src/db');
    const spec = (await getSpec(project.id))!;
    const run = await createRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 2, numScenarios: 1, seed: 1 },
      specSnapshot: toSpecContent(spec),
    });
    const analysis = await createChat({ projectId: project.id, mode: 'analysis', runId: run.id });
    const user = userEvent.setup();
    render(<SpecPanel projectId={project.id} chat={analysis} />);
    const grid = await screen.findByRole('grid', { name: 'Ratings' });
    expect(grid).toHaveAttribute('aria-readonly', 'true');
    grid.focus();
    await user.keyboard('0.5{Enter}{Delete}');
    expect(within(grid).queryByRole('textbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Fill/ })).not.toBeInTheDocument();
    await act(async () => paste(grid, '0.1\n'));
    expect((await getSpec(project.id))!.provenance.length).toBe(spec.provenance.length);
  });
});

describe('the attribute values grid', () => {
  it('shares the grid: typing a value saves a setAttributeValue with provenance, negative numbers allowed', async () => {
    const { project, user, entriesBefore } = await setup();
    const grid = screen.getByRole('grid', { name: 'Attribute values' });
    await user.click(within(grid).getByRole('gridcell', { name: 'Mass of OPFS: no value' }));
    paste(grid, '-3\n4.5\n');
    await waitFor(async () => expect((await getSpec(project.id))!.provenance.length).toBe(entriesBefore + 1));
    const spec = (await getSpec(project.id))!;
    const mass = spec.designSpace.attributes[0]!.id;
    const options = spec.designSpace.dimensions[0]!.options;
    expect(options.map((o) => o.attributes[mass])).toEqual([undefined, -3, 4.5]);
    expect(spec.provenance.at(-1)!.changes).toHaveLength(2);
  });
});
