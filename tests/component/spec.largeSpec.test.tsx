/**
 * P9's Spec tab at size: 5,000 goals and a 50 × 10 × 20 ratings grid render
 * only a window of rows, the last goal is reachable by scrolling, and editing
 * it keeps focus and saves.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProject, db, getSpec } from '../../src/db';
import { problemSpecSchema } from '../../src/domain';
import { SpecPanel } from '../../src/features/spec/SpecPanel';

const GOALS = 5000;
const SHAPE = { dimensions: 50, options: 10, constraints: 20 };
/** The height every element reports: jsdom has no layout, and a virtualiser needs sizes to pick a window. */
const ROW_PX = 36;
const BOX_PX = 600;

const original = {
  rect: Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect'),
  clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight'),
  offsetHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight'),
};

beforeAll(() => {
  // Items measure one row tall; scroll boxes (and everything else) report a box's height.
  Element.prototype.getBoundingClientRect = function rect(this: Element) {
    const height = this.hasAttribute('data-index') ? ROW_PX : BOX_PX;
    return { x: 0, y: 0, top: 0, left: 0, width: 800, height, right: 800, bottom: height, toJSON: () => ({}) };
  };
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => BOX_PX });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => BOX_PX });
});

afterAll(() => {
  if (original.rect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', original.rect);
  if (original.clientHeight) Object.defineProperty(Element.prototype, 'clientHeight', original.clientHeight);
  if (original.offsetHeight) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', original.offsetHeight);
});

afterEach(cleanup);

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

async function largeSpecPanel() {
  const { project, chat } = await createProject({ title: 'Large design space' });
  const constraints = Array.from({ length: SHAPE.constraints }, (_, c) => ({
    id: `c${c}`,
    name: `Constraint ${c + 1}`,
    description: '',
    weight: 10 + c,
  }));
  const spec = problemSpecSchema.parse({
    ...(await getSpec(project.id)),
    goals: Array.from({ length: GOALS }, (_, g) => ({ id: `g${g}`, text: `Goal number ${g + 1}` })),
    constraints,
    designSpace: {
      dimensions: Array.from({ length: SHAPE.dimensions }, (_, d) => ({
        id: `d${d}`,
        name: `Dimension ${d + 1}`,
        description: '',
        options: Array.from({ length: SHAPE.options }, (_, o) => ({
          id: `d${d}-o${o}`,
          name: `Option ${d + 1}.${o + 1}`,
          description: '',
          cost: 1,
          ratings: Object.fromEntries(constraints.map((c, ci) => [c.id, ((d + o + ci) % 11) / 10])),
        })),
      })),
    },
  });
  await db.specs.put(spec);
  render(<SpecPanel projectId={project.id} chat={chat} />);
  const goals = await screen.findByRole('region', { name: 'Goals, 5,000' });
  await within(goals).findByRole('textbox', { name: 'Goal 1' });
  return { project, goals };
}

/** Scrolls a virtualised box to its end, as a wheel or the scrollbar would (jsdom keeps no scroll position, so the box gets one). */
async function scrollToEnd(box: HTMLElement) {
  let top = 0;
  Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => top, set: (value: number) => (top = value) });
  await act(async () => {
    box.scrollTop = GOALS * ROW_PX * 2;
    fireEvent.scroll(box);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
}

describe('Spec tab with 5,000 goals and a 50 × 10 × 20 design space', () => {
  it('renders only a window of the goals and of the ratings grid', async () => {
    const { goals } = await largeSpecPanel();
    const goalRows = goals.querySelectorAll('.goal-item');
    expect(goalRows.length).toBeGreaterThan(0);
    expect(goalRows.length).toBeLessThan(100);
    expect(within(goals).queryByRole('textbox', { name: `Goal ${GOALS}` })).not.toBeInTheDocument();

    const grid = screen.getByRole('grid', { name: 'Ratings' });
    // The grid says how big it is even though few rows are in the DOM: 500 options + the header row.
    expect(grid).toHaveAttribute('aria-rowcount', String(SHAPE.dimensions * SHAPE.options + 1));
    const rows = within(grid).getAllByRole('row');
    expect(rows.length).toBeLessThan(100);
    expect(rows.at(-1)).toHaveAttribute('aria-rowindex');
    expect(within(grid).getAllByRole('gridcell').length).toBeLessThan(100 * SHAPE.constraints);
  });

  it('shows goal 5,000 once its box is scrolled to the end', async () => {
    const { goals } = await largeSpecPanel();
    await scrollToEnd(goals);
    const last = await within(goals).findByRole('textbox', { name: `Goal ${GOALS}` });
    expect(last).toHaveValue(`Goal number ${GOALS}`);
    expect(within(goals).queryByRole('textbox', { name: 'Goal 1' })).not.toBeInTheDocument();
  });

  it('edits goal 5,000: the field keeps focus while typing and after Enter, and the edit is saved', async () => {
    const { project, goals } = await largeSpecPanel();
    const user = userEvent.setup();
    await scrollToEnd(goals);
    const field = await within(goals).findByRole('textbox', { name: `Goal ${GOALS}` });
    await user.click(field);
    await user.clear(field);
    await user.type(field, 'The last goal, edited');
    expect(field).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(async () =>
      expect((await getSpec(project.id))!.goals.at(-1)).toEqual({ id: `g${GOALS - 1}`, text: 'The last goal, edited' }),
    );
    // The stored spec came back through the live query and re-rendered the list: the same field, still focused.
    await waitFor(() => expect(within(goals).getByRole('textbox', { name: `Goal ${GOALS}` })).toHaveValue('The last goal, edited'));
    expect(within(goals).getByRole('textbox', { name: `Goal ${GOALS}` })).toHaveFocus();
    expect((await getSpec(project.id))!.goals).toHaveLength(GOALS);
  });
});
