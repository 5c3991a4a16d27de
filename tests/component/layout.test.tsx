import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createChat, createProject, db, getChat, setChatArchived, setChatMode } from '../../src/db';
import { emptySpecContent, newId, type Run } from '../../src/domain';
import { installLayoutStubs, renderApp } from './render';

beforeAll(installLayoutStubs);
beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
});

function panelTabs(): HTMLElement[] {
  return within(screen.getByRole('tablist', { name: 'Panel' })).getAllByRole('tab');
}

describe('panel tabs (WAI-ARIA tabs pattern)', () => {
  test('arrow keys, Home and End move the selection and the focus; only the selected tab is a tab stop', async () => {
    const { project, chat } = await createProject({ title: 'Tabs' });
    const { router } = renderApp(`/project/${project.id}/chat/${chat.id}`);
    const spec = await screen.findByRole('tab', { name: 'Spec', selected: true });
    expect(panelTabs().map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
    expect(screen.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', spec.id);

    spec.focus();
    fireEvent.keyDown(spec, { key: 'ArrowRight' });
    const runs = await screen.findByRole('tab', { name: 'Runs', selected: true });
    expect(runs).toHaveFocus();
    expect(router.state.location.search).toBe('?tab=runs');
    expect(panelTabs().map((tab) => tab.tabIndex)).toEqual([-1, 0, -1]);

    fireEvent.keyDown(runs, { key: 'End' });
    expect(await screen.findByRole('tab', { name: 'Results', selected: true })).toHaveFocus();
    expect(router.state.location.search).toBe('?tab=results');

    // Right from the last tab wraps to the first; Left from the first wraps to the last.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(await screen.findByRole('tab', { name: 'Spec', selected: true })).toHaveFocus();
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(await screen.findByRole('tab', { name: 'Results', selected: true })).toHaveFocus();
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(await screen.findByRole('tab', { name: 'Spec', selected: true })).toHaveFocus();
    expect(router.state.location.search).toBe('?tab=spec');
  });

  test('the skip link moves the focus to the message box', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Skip' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await screen.findByRole('textbox', { name: 'Message' });
    await user.click(screen.getByRole('link', { name: 'Skip to the message box' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus());
  });
});

describe('chat defaults', () => {
  test('"+ New chat" proposes What-if when the project has a setup chat, and Setup when it has none', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Defaults' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await waitFor(() => expect(document.querySelector('.chat-row .mode-badge.mode-setup')).not.toBeNull());
    await user.click(screen.getByRole('button', { name: '+ New chat' }));
    expect(within(screen.getByRole('form', { name: 'New chat' })).getByLabelText('Mode')).toHaveValue('whatif');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    await setChatMode(chat.id, 'analysis');
    await waitFor(() => expect(document.querySelector('.chat-row .mode-badge.mode-analysis')).not.toBeNull());
    await user.click(screen.getByRole('button', { name: '+ New chat' }));
    expect(within(screen.getByRole('form', { name: 'New chat' })).getByLabelText('Mode')).toHaveValue('setup');
  });

  test('an archived chat shows a banner whose Unarchive brings it back', async () => {
    const user = userEvent.setup();
    const { project } = await createProject({ title: 'Archive' });
    const old = await createChat({ projectId: project.id, mode: 'whatif', title: 'Old idea' });
    await setChatArchived(old.id, true);
    renderApp(`/project/${project.id}/chat/${old.id}`);
    const banner = await screen.findByText(/This chat is archived/);
    await user.click(within(banner.closest('.banner')!).getByRole('button', { name: 'Unarchive' }));
    await waitFor(async () => expect((await getChat(old.id))?.archivedAt).toBeNull());
    await waitFor(() => expect(screen.queryByText(/This chat is archived/)).toBeNull());
  });

  test('the switcher filters by mode and shows each full title on hover', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Filter' });
    const long = 'What if the pack used a much larger cell format with passive cooling and a cheaper BMS';
    await createChat({ projectId: project.id, mode: 'whatif', title: long });
    await createChat({ projectId: project.id, mode: 'analysis', title: 'Why this one' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const titles = () => Array.from(document.querySelectorAll('.chat-row-title')).map((node) => node.textContent);
    await waitFor(() => expect(titles()).toHaveLength(3));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Show chats of mode' }), 'whatif');
    await waitFor(() => expect(titles()).toEqual([long]));
    const row = document.querySelector('.chat-row-link')!;
    expect(row).toHaveAttribute('title', long);
    expect(row).toHaveAccessibleName(expect.stringContaining(long));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Show chats of mode' }), 'setup');
    await waitFor(() => expect(titles()).toEqual(['Setup']));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Show chats of mode' }), 'all');
    await waitFor(() => expect(titles()).toHaveLength(3));
  });
});

describe('analysis chats', () => {
  test('open on their run’s results, and their Runs tab acts on that run instead of offering an empty launcher', async () => {
    const { project, chat: setup } = await createProject({ title: 'Analysis' });
    const run: Run = {
      id: newId(),
      projectId: project.id,
      chatSessionId: setup.id,
      candidateId: null,
      mode: 'full_search',
      config: { numCandidates: 5, numScenarios: 3, seed: 1 },
      specSnapshot: emptySpecContent(),
      status: 'completed',
      createdAt: 1_700_000_000_000,
      startedAt: 1_700_000_000_000,
      completedAt: 1_700_000_001_500,
      durationMs: 1500,
      candidateCount: 0,
      scenarioCount: 0,
      evaluationCount: 0,
      metrics: { phaseTimingsMs: {}, bestI: 1.234 },
      error: null,
      name: '',
      tags: [],
      notes: '',
    };
    await db.runs.add(run);
    const analysis = await createChat({ projectId: project.id, mode: 'analysis', title: 'Why?', runId: run.id, parentChatId: setup.id });
    const { router } = renderApp(`/project/${project.id}/chat/${analysis.id}`);

    await screen.findByRole('tab', { name: 'Results', selected: true });
    expect(screen.queryByText(/No runs from this chat yet/)).toBeNull();
    await screen.findByRole('heading', { name: new RegExp(`Run ${run.id.slice(0, 8)}`) });

    fireEvent.click(screen.getByRole('tab', { name: 'Runs' }));
    await waitFor(() => expect(router.state.location.search).toBe('?tab=runs'));
    const actions = await screen.findByRole('region', { name: new RegExp(`Run ${run.id.slice(0, 8)}`) });
    expect(within(actions).getByRole('button', { name: 'Re-run' })).toBeEnabled();
    expect(within(actions).getByRole('button', { name: 'Seeded run' })).toBeInTheDocument();
    expect(within(actions).getByRole('button', { name: 'Compare' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Start (a )?run/ })).toBeNull();
  });
});
