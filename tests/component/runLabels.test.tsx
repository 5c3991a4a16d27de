/**
 * Run detail edits a run's name, tags and notes in place, by keyboard, one
 * write per edit; the history shows the name and tags and filters by a tag
 * through the URL.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createProject, createRun, db, updateRun, updateRunLabels } from '../../src/db';
import { emptySpecContent, shortId } from '../../src/domain';
import { installLayoutStubs, renderApp } from './render';

beforeAll(installLayoutStubs);
beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
});

const config = { numCandidates: 5, numScenarios: 3, seed: 1 };

async function projectWithRuns(count: number) {
  const { project, chat } = await createProject({ title: 'Labels' });
  const runs = [];
  for (let i = 0; i < count; i++) {
    const run = await createRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config,
      specSnapshot: emptySpecContent(),
    });
    await updateRun(run.id, { status: 'completed' });
    runs.push(run);
  }
  return { project, chat, runs };
}

describe('run detail: name, tags and notes', () => {
  test('are edited in place with the keyboard and stored as typed, normalised', async () => {
    const user = userEvent.setup();
    const { project, chat, runs } = await projectWithRuns(1);
    const run = runs[0]!;
    renderApp(`/project/${project.id}/chat/${chat.id}/run/${run.id}/details`);
    await screen.findByRole('heading', { name: `Run ${shortId(run.id)}` });

    const name = screen.getByLabelText('Run name');
    await user.click(name);
    await user.keyboard('LFP pack, air cooled{Enter}');
    await waitFor(async () => expect((await db.runs.get(run.id))!.name).toBe('LFP pack, air cooled'));
    await screen.findByRole('heading', { name: 'LFP pack, air cooled' });
    screen.getByText(`Run ${shortId(run.id)}`);

    // Escape puts the stored name back without writing.
    await user.clear(name);
    await user.keyboard('Something else{Escape}');
    expect(name).toHaveValue('LFP pack, air cooled');

    const tagInput = screen.getByLabelText('Add a tag');
    await user.click(tagInput);
    await user.keyboard('shortlist{Enter}lfp,Shortlist{Enter}');
    await waitFor(async () => expect((await db.runs.get(run.id))!.tags).toEqual(['shortlist', 'lfp']));
    const chips = () =>
      within(screen.getByRole('list', { name: 'Tags' }))
        .getAllByRole('listitem')
        .map((li) => li.firstChild!.textContent);
    await waitFor(() => expect(chips()).toEqual(['shortlist', 'lfp']));

    // Backspace in the empty field takes the last chip off; the × button removes one.
    await user.keyboard('{Backspace}');
    await waitFor(async () => expect((await db.runs.get(run.id))!.tags).toEqual(['shortlist']));
    await user.click(screen.getByRole('button', { name: 'Remove tag shortlist' }));
    await waitFor(async () => expect((await db.runs.get(run.id))!.tags).toEqual([]));

    // A refused tag says why in a sentence and keeps the draft; nothing is written.
    await user.click(tagInput);
    await user.paste('x'.repeat(41));
    await user.keyboard('{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('A tag is at most 40 characters; "xxxxxxxxxxxxxxxxxxxx…" has 41.');
    expect(alert.textContent).not.toMatch(/too_big|"path"|ZodError/);
    expect(tagInput).toHaveValue('x'.repeat(41));
    expect((await db.runs.get(run.id))!.tags).toEqual([]);
    await user.keyboard('{Escape}');
    expect(tagInput).toHaveValue('');

    const notes = screen.getByLabelText('Notes');
    await user.click(notes);
    await user.keyboard('Keep for the design review.{Control>}{Enter}{/Control}');
    await waitFor(async () => expect((await db.runs.get(run.id))!.notes).toBe('Keep for the design review.'));
    await screen.findByText('Notes saved.');
  }, 90_000);

  test('each edit is one write, and the project records the activity', async () => {
    const user = userEvent.setup();
    const { project, chat, runs } = await projectWithRuns(1);
    const before = (await db.projects.get(project.id))!.updatedAt;
    renderApp(`/project/${project.id}/chat/${chat.id}/run/${runs[0]!.id}/details`);
    await user.click(await screen.findByLabelText('Add a tag'));
    await user.keyboard('a,b{Enter}');
    await waitFor(async () => expect((await db.runs.get(runs[0]!.id))!.tags).toEqual(['a', 'b']));
    expect((await db.projects.get(project.id))!.updatedAt).toBeGreaterThan(before);
  }, 60_000);
});

describe('run history: names, tags and the tag filter', () => {
  test('shows a run’s name and tags; a tag chip or the Tag select filters, in the URL', async () => {
    const user = userEvent.setup();
    const { project, chat, runs } = await projectWithRuns(3);
    await updateRunLabels(runs[0]!.id, { name: 'First pass', tags: ['baseline'] });
    await updateRunLabels(runs[2]!.id, { tags: ['lfp', 'baseline'] });
    const { router } = renderApp(`/project/${project.id}/chat/${chat.id}?tab=runs`);
    await screen.findByRole('heading', { name: 'Run history' });
    const rows = () => Array.from(document.querySelectorAll<HTMLElement>('table.history-table tbody tr'));
    await waitFor(() => expect(rows()).toHaveLength(3));
    const firstPass = rows()[2]!;
    expect(within(firstPass).getByRole('link', { name: 'First pass' })).toHaveAttribute(
      'href',
      `/project/${project.id}/chat/${chat.id}/run/${runs[0]!.id}/details`,
    );

    await user.click(within(rows()[0]!).getByRole('button', { name: 'lfp' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    // The list follows at once; the URL a frame later (see useImmediateSearchParams).
    await waitFor(() => expect(router.state.location.search).toContain('runsTag=lfp'));
    expect(screen.getByLabelText('Tag')).toHaveValue('lfp');

    await user.selectOptions(screen.getByLabelText('Tag'), 'baseline');
    await waitFor(() => expect(rows()).toHaveLength(2));
    await waitFor(() => expect(router.state.location.search).toContain('runsTag=baseline'));
    // Pressing the active tag again clears the filter.
    await user.click(within(rows()[0]!).getByRole('button', { name: 'baseline' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    await waitFor(() => expect(router.state.location.search).not.toContain('runsTag'));
  }, 60_000);
});
