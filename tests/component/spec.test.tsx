import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChat, createProject, createRun, db, getSpec } from '../../src/db';
import { loadChatSpecContext } from '../../src/db/specs';
import { toSpecContent, type ChatSession } from '../../src/domain';
import { sendUserMessage } from '../../src/features/chats/sendMessage';
import { SpecPanel } from '../../src/features/spec/SpecPanel';
import { SpecUpdateCard } from '../../src/features/spec/SpecUpdateCard';

const SCRIPT = [
  'goal: Works fully offline',
  'constraint: Offline-first weight 90 — must work with no network',
  'constraint: Low cost weight 100',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2',
  'rate OPFS Offline-first 0.9',
].join('\n');

async function setup(mode: 'setup' | 'whatif' = 'setup') {
  const { project, chat } = await createProject({ title: 'Notes' });
  await sendUserMessage(chat, SCRIPT);
  const target: ChatSession = mode === 'setup' ? chat : await createChat({ projectId: project.id, mode: 'whatif' });
  const user = userEvent.setup();
  render(<SpecPanel projectId={project.id} chat={target} />);
  await screen.findByRole('heading', { name: /Constraints/ });
  return { project, chat: target, user };
}

const weights = async (projectId: string) => Object.fromEntries((await getSpec(projectId))!.constraints.map((c) => [c.name, c.weight]));

afterEach(cleanup);

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe('Spec tab validation', () => {
  it('refuses a weight of 150 with the allowed range, then saves 60', async () => {
    const { project, user } = await setup();
    const field = screen.getByRole('textbox', { name: 'Weight of Offline-first' });
    await user.clear(field);
    await user.type(field, '150{Enter}');
    expect(await screen.findByText('Weight must be a whole number from 0 to 100 (100 = hard).')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(await weights(project.id)).toEqual({ 'Offline-first': 90, 'Low cost': 100 });

    await user.clear(field);
    await user.type(field, '60{Enter}');
    await waitFor(async () => expect(await weights(project.id)).toEqual({ 'Offline-first': 60, 'Low cost': 100 }));
    expect(screen.queryByText(/Weight must be a whole number/)).not.toBeInTheDocument();
    const spec = (await getSpec(project.id))!;
    expect(spec.provenance.at(-1)).toMatchObject({ actor: 'user', summary: '1 weight changed', changes: ['weight Offline-first 90 → 60'] });
  });

  it.each(['12.5', '-1', 'abc'])('refuses the weight %j', async (text) => {
    const { project, user } = await setup();
    const field = screen.getByRole('textbox', { name: 'Weight of Offline-first' });
    await user.clear(field);
    await user.type(field, text);
    await user.tab();
    expect(await screen.findByText(/whole number from 0 to 100/)).toBeInTheDocument();
    expect((await weights(project.id))['Offline-first']).toBe(90);
  });

  it('shows weight 100 as hard', async () => {
    await setup();
    const lowCost = screen.getByRole('textbox', { name: 'Weight of Low cost' }).closest('li')!;
    expect(within(lowCost).getAllByText(/^hard$/i).length).toBeGreaterThan(0);
    const offline = screen.getByRole('textbox', { name: 'Weight of Offline-first' }).closest('li')!;
    expect(within(offline).queryByText(/^hard$/i)).not.toBeInTheDocument();
  });

  it('keeps constraint names unique, in the add form and on rename', async () => {
    const { project, user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'New constraint name' }), 'low COST');
    await user.click(screen.getByRole('button', { name: 'Add constraint' }));
    expect(await screen.findByText('A constraint named "Low cost" already exists; names must be unique.')).toBeInTheDocument();

    const name = screen.getAllByRole('textbox', { name: 'Constraint name' })[0]!;
    await user.clear(name);
    await user.type(name, 'Low cost{Enter}');
    expect(await screen.findAllByText(/already exists; names must be unique/)).toHaveLength(2);
    expect((await getSpec(project.id))!.constraints.map((c) => c.name)).toEqual(['Offline-first', 'Low cost']);
  });

  it('adds a constraint with a weight, and refuses an out-of-range weight there too', async () => {
    const { project, user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'New constraint name' }), 'Fast');
    const weight = screen.getByRole('textbox', { name: 'New constraint weight' });
    await user.clear(weight);
    await user.type(weight, '101');
    await user.click(screen.getByRole('button', { name: 'Add constraint' }));
    expect(await screen.findByText('Weight must be a whole number from 0 to 100 (100 = hard).')).toBeInTheDocument();
    await user.clear(weight);
    await user.type(weight, '30');
    await user.click(screen.getByRole('button', { name: 'Add constraint' }));
    await waitFor(async () => expect(await weights(project.id)).toEqual({ 'Offline-first': 90, 'Low cost': 100, Fast: 30 }));
  });

  it('refuses a negative cost and an empty goal', async () => {
    const { project, user } = await setup();
    const cost = screen.getByRole('textbox', { name: 'Cost of OPFS' });
    await user.clear(cost);
    await user.type(cost, '-2{Enter}');
    expect(await screen.findByText('Cost must be a number of 0 or more, e.g. 1 or 2.5.')).toBeInTheDocument();
    const goal = screen.getByRole('textbox', { name: 'Goal 1' });
    await user.clear(goal);
    await user.type(goal, '{Enter}');
    expect(await screen.findByText('The goal must not be empty.')).toBeInTheDocument();
    const spec = (await getSpec(project.id))!;
    expect(spec.designSpace.dimensions[0]!.options[1]!.cost).toBe(2);
    expect(spec.goals.map((g) => g.text)).toEqual(['Works fully offline']);
  });

  it('marks unrated cells, refuses a rating of 2 and saves 0.4', async () => {
    const { project, user } = await setup();
    const grid = screen.getByRole('grid', { name: 'Ratings' });
    const unrated = within(grid).getByRole('gridcell', { name: 'Rating of IndexedDB on Offline-first: not rated' });
    expect(unrated).toHaveClass('empty');
    expect(within(grid).getByRole('gridcell', { name: 'Rating of OPFS on Offline-first: 0.9' })).not.toHaveClass('empty');
    expect(screen.getByText('1 of 4 rated')).toBeInTheDocument();

    await user.dblClick(unrated);
    const field = within(grid).getByRole('textbox', { name: 'Rating of IndexedDB on Offline-first' });
    await user.type(field, '2{Enter}');
    expect(await screen.findByText(/Rating must be a number from 0 to 1/)).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect((await getSpec(project.id))!.designSpace.dimensions[0]!.options[0]!.ratings).toEqual({});

    await user.clear(field);
    await user.type(field, '0.4{Enter}');
    await waitFor(async () =>
      expect(Object.values((await getSpec(project.id))!.designSpace.dimensions[0]!.options[0]!.ratings)).toEqual([0.4]),
    );
    expect(await within(grid).findByRole('gridcell', { name: 'Rating of IndexedDB on Offline-first: 0.4' })).not.toHaveClass('empty');
  });

  it('adds, reorders and removes goals', async () => {
    const { project, user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'New goal' }), 'Cheap to host{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Move goal 2 up' }));
    await waitFor(async () =>
      expect((await getSpec(project.id))!.goals.map((g) => g.text)).toEqual(['Cheap to host', 'Works fully offline']),
    );
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Goal 1' })).toHaveValue('Cheap to host'));
    await user.click(screen.getByRole('button', { name: 'Remove goal 1' }));
    await waitFor(async () => expect((await getSpec(project.id))!.goals.map((g) => g.text)).toEqual(['Works fully offline']));
  });

  it('saves a weight from the slider once it is released', async () => {
    const { project } = await setup();
    const slider = screen.getByRole('slider', { name: 'Weight of Offline-first (slider)' });
    fireEvent.change(slider, { target: { value: '35' } });
    expect(await weights(project.id)).toEqual({ 'Offline-first': 90, 'Low cost': 100 });
    fireEvent.pointerUp(slider);
    await waitFor(async () => expect(await weights(project.id)).toEqual({ 'Offline-first': 35, 'Low cost': 100 }));
    expect((await getSpec(project.id))!.provenance).toHaveLength(2);
  });

  it('edits the world model, with unique names per section', async () => {
    const { project, user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'New actor' }), 'Technician{Enter}');
    await waitFor(async () => expect((await db.worldModels.get(project.id))!.actors.map((a) => a.name)).toEqual(['Technician']));
    await user.type(screen.getByRole('textbox', { name: 'New actor' }), 'technician{Enter}');
    expect(await screen.findByText('An actor named "Technician" already exists; names must be unique.')).toBeInTheDocument();
    expect((await db.worldModels.get(project.id))!.actors).toHaveLength(1);
  });

  it('highlights items the current chat just changed', async () => {
    await setup();
    const card = screen.getByRole('textbox', { name: 'Weight of Offline-first' }).closest('li')!;
    expect(card).toHaveAttribute('data-highlighted', 'true');
    expect(card.querySelector('.spec-flash')).not.toBeNull();
  });

  it('lists changes in History with who made them and from which chat', async () => {
    const { user } = await setup();
    const field = screen.getByRole('textbox', { name: 'Weight of Offline-first' });
    await user.clear(field);
    await user.type(field, '70{Enter}');
    const history = await screen.findByRole('list', { name: 'Spec history' });
    expect(await within(history).findByText('1 weight changed')).toBeInTheDocument();
    expect(within(history).getByText('you')).toBeInTheDocument();
    expect(within(history).getByText('Architect')).toBeInTheDocument();
  });
});

describe('Spec tab in a what-if chat', () => {
  it('edits only the override, marks the difference, and applies it after showing the diff', async () => {
    const { project, chat, user } = await setup('whatif');
    const base = (await getSpec(project.id))!;
    const field = screen.getByRole('textbox', { name: 'Weight of Offline-first' });
    await user.clear(field);
    await user.type(field, '40{Enter}');
    expect(await screen.findByText('weight 90 → 40')).toBeInTheDocument();
    expect(toSpecContent((await getSpec(project.id))!)).toEqual(toSpecContent(base));
    expect((await loadChatSpecContext(chat.id)).effective.constraints[0]!.weight).toBe(40);

    await user.click(screen.getByRole('button', { name: 'Apply to project spec' }));
    const dialog = await screen.findByRole('dialog', { hidden: true });
    expect(within(dialog).getByText('~ constraint Offline-first: weight 90 → 40')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Apply', hidden: true }));
    await waitFor(async () => expect(await weights(project.id)).toEqual({ 'Offline-first': 40, 'Low cost': 100 }));
    await waitFor(() => expect(screen.queryByText('weight 90 → 40')).not.toBeInTheDocument());
  });

  it('discard brings back the project spec', async () => {
    const { project, chat, user } = await setup('whatif');
    await act(() => sendUserMessage(chat, 'weight Low cost 10'));
    expect(await screen.findByText('weight 100 (hard) → 10')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    const dialog = await screen.findByRole('dialog', { hidden: true });
    await user.click(within(dialog).getByRole('button', { name: 'Discard', hidden: true }));
    await waitFor(() => expect(screen.queryByText('weight 100 (hard) → 10')).not.toBeInTheDocument());
    expect((await weights(project.id))['Low cost']).toBe(100);
  });

  it('shows the world model read-only', async () => {
    await setup('whatif');
    expect(screen.getByText(/Shared by all chats; change it from a setup chat/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'New actor' })).not.toBeInTheDocument();
  });
});

describe('Spec tab in an analysis chat with a run', () => {
  it('shows the run snapshot read-only', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    await sendUserMessage(chat, SCRIPT);
    const spec = (await getSpec(project.id))!;
    const run = await createRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 2, numScenarios: 1, seed: 1 },
      specSnapshot: { ...toSpecContent(spec), constraints: spec.constraints.map((c) => ({ ...c, weight: 33 })) },
    });
    const analysis = await createChat({ projectId: project.id, mode: 'analysis', runId: run.id });
    render(<SpecPanel projectId={project.id} chat={analysis} />);
    expect(await screen.findByText(/read-only/)).toBeInTheDocument();
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.getAllByText('33')).toHaveLength(2);
  });
});

describe('SpecUpdateCard', () => {
  it('renders the summary and expandable details of a spec-changing reply', async () => {
    const { chat } = await createProject({ title: 'Notes' });
    await sendUserMessage(chat, 'constraint: A weight 10\nconstraint: B weight 20');
    await sendUserMessage(chat, 'weight A 15');
    const replies = (await db.messages.toArray()).filter((m) => m.role === 'agent').sort((a, b) => a.createdAt - b.createdAt);
    const { container, rerender } = render(<SpecUpdateCard message={replies[0]!} />);
    expect(screen.getByText('Spec update')).toBeInTheDocument();
    expect(screen.getByText('+2 constraints')).toBeInTheDocument();
    expect(container.querySelector('details')).not.toHaveAttribute('open');
    expect(screen.getByText('show all 2 changes')).toBeInTheDocument();
    await userEvent.click(screen.getByText('Spec update'));
    expect(screen.getByText('constraint added: B, weight 20')).toBeVisible();
    rerender(<SpecUpdateCard message={replies[1]!} />);
    expect(screen.getByText('1 weight changed')).toBeInTheDocument();
    rerender(<SpecUpdateCard message={{ ...replies[1]!, meta: { kind: 'architect' } }} />);
    expect(screen.queryByText('Spec update')).not.toBeInTheDocument();
  });
});
