/**
 * An edit on the Spec tab renders again only what it changed (P9): the live query's re-read shares
 * every unchanged object with the previous one, the sections and items are memoised, and a new
 * highlight reaches only the items it touches. Each item that takes part calls useHighlight(its id)
 * when it renders, so the ids it is called with after an edit are the items rendered again.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applySpecEdit, createProject, db, getSpec } from '../../src/db';
import { problemSpecSchema } from '../../src/domain';
import { SpecPanel } from '../../src/features/spec/SpecPanel';

const rendered = vi.hoisted(() => ({ ids: [] as string[] }));

vi.mock('../../src/features/spec/editor', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/features/spec/editor')>();
  return {
    ...actual,
    useHighlight: (id: string) => {
      rendered.ids.push(id);
      return actual.useHighlight(id);
    },
  };
});

afterEach(cleanup);

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

async function specPanel() {
  const { project, chat } = await createProject({ title: 'Re-renders' });
  const constraints = Array.from({ length: 3 }, (_, c) => ({ id: `c${c}`, name: `Constraint ${c + 1}`, description: '', weight: 50 }));
  await db.specs.put(
    problemSpecSchema.parse({
      ...(await getSpec(project.id)),
      goals: Array.from({ length: 8 }, (_, g) => ({ id: `g${g}`, text: `Goal number ${g + 1}` })),
      constraints,
      designSpace: {
        dimensions: Array.from({ length: 3 }, (_, d) => ({
          id: `d${d}`,
          name: `Dimension ${d + 1}`,
          description: '',
          options: Array.from({ length: 3 }, (_, o) => ({
            id: `d${d}-o${o}`,
            name: `Option ${d + 1}.${o + 1}`,
            description: '',
            cost: 1,
            ratings: Object.fromEntries(constraints.map((c) => [c.id, 0.5])),
          })),
        })),
      },
    }),
  );
  render(<SpecPanel projectId={project.id} chat={chat} />);
  await screen.findByRole('textbox', { name: 'Goal 8' });
  const grid = await screen.findByRole('grid', { name: 'Ratings' });
  return { chat, grid };
}

describe('Spec tab: an edit renders again only what it changed', () => {
  it('a rating re-renders its option, its dimension and the constraint it highlights; no goal, no other option', async () => {
    const { chat, grid } = await specPanel();
    rendered.ids.length = 0;
    await applySpecEdit(chat.id, { ops: [{ op: 'setRating', optionId: 'd1-o1', constraintId: 'c1', rating: 0.9 }] });
    await within(grid).findByRole('gridcell', { name: 'Rating of Option 2.2 on Constraint 2: 0.9' });
    await waitFor(() => expect(rendered.ids).toContain('c1'));
    expect(new Set(rendered.ids)).toEqual(new Set(['d1', 'd1-o1', 'c1']));
  });

  it('a goal re-renders that goal only', async () => {
    const { chat } = await specPanel();
    rendered.ids.length = 0;
    await applySpecEdit(chat.id, { ops: [{ op: 'updateGoal', goalId: 'g3', text: 'Goal four, edited' }] });
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Goal 4' })).toHaveValue('Goal four, edited'));
    expect(new Set(rendered.ids)).toEqual(new Set(['g3']));
  });
});
