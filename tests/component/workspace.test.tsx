import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { appendMessage, createChat, createProject, createRun, db, getChat } from '../../src/db';
import { emptySpecContent } from '../../src/domain';
import { installLayoutStubs, renderApp } from './render';
import { preloadRouteChunks } from '../../src/app/routeTable';

beforeAll(installLayoutStubs);
beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
});

function switcher() {
  return screen.getByRole('navigation', { name: 'Chats' });
}

/** The switcher row link for a chat title (the mode badge may repeat the same word). */
async function rowLink(title: string): Promise<HTMLAnchorElement> {
  return waitFor(() => {
    const titleNode = Array.from(switcher().querySelectorAll('.chat-row-title')).find((node) => node.textContent === title);
    if (!titleNode) throw new Error(`No chat row titled ${title}`);
    return titleNode.closest('a')!;
  });
}

function rowTitles(): string[] {
  return Array.from(switcher().querySelectorAll('.chat-row-title')).map((node) => node.textContent ?? '');
}

describe('project list', () => {
  test('creating a project opens its Setup chat', async () => {
    const user = userEvent.setup();
    const { router } = renderApp('/');
    await screen.findByText(/No projects yet/);
    await user.type(screen.getAllByLabelText('Title')[0]!, 'Storage choice');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
    expect(router.state.location.pathname).toMatch(/^\/project\/[^/]+\/chat\/[^/]+$/);
    expect(await db.projects.count()).toBe(1);
  });

  test('shows counts and deletes only after a confirmation that says what goes', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Doomed', description: 'to be deleted' });
    await appendMessage(chat.id, { role: 'user', content: 'hi' });
    await createRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 1, numScenarios: 1, seed: 1 },
      specSnapshot: emptySpecContent(),
    });
    renderApp('/');
    const card = await screen.findByTestId('project-card');
    expect(within(card).getByText(/1 chat · 1 run/)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('1 chat, 1 message, 1 run and 0 candidates');
    await user.click(within(dialog).getByRole('button', { name: 'Delete project' }));
    await screen.findByText(/No projects yet/);
    expect(await db.runs.count()).toBe(0);
  });
});

describe('chat switcher', () => {
  test('creates chats with modes and default titles, most recent first, and switches between them', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const { router } = renderApp(`/project/${project.id}/chat/${chat.id}`);
    await screen.findByRole('heading', { level: 2, name: 'Setup' });

    for (const expectedTitle of ['What-if', 'What-if 2']) {
      await user.click(await screen.findByRole('button', { name: '+ New chat' }));
      const form = screen.getByRole('form', { name: 'New chat' });
      await user.selectOptions(within(form).getByLabelText('Mode'), 'What-if');
      await user.click(within(form).getByRole('button', { name: 'Create chat' }));
      await screen.findByRole('heading', { level: 2, name: expectedTitle });
    }
    await waitFor(() => expect(rowTitles()).toEqual(['What-if 2', 'What-if', 'Setup']));
    expect(switcher().querySelector('[aria-current="page"]')).toHaveTextContent('What-if 2');

    await user.click(await rowLink('Setup'));
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
    expect(router.state.location.pathname).toBe(`/project/${project.id}/chat/${chat.id}`);
    expect(switcher().querySelector('[aria-current="page"]')).toHaveTextContent('Setup');
  });

  test('sending updates the count and moves the chat to the top', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const other = await createChat({ projectId: project.id, mode: 'analysis', title: 'Later chat' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await waitFor(() => expect(rowTitles()).toEqual(['Later chat', 'Setup']));
    const box = await screen.findByRole('textbox', { name: 'Message' });
    await user.type(box, 'first line{Shift>}{Enter}{/Shift}second line');
    expect(box).toHaveValue('first line\nsecond line');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(rowTitles()).toEqual(['Setup', 'Later chat']));
    // The switcher shows the stored counter (the user's line plus any Architect reply).
    await waitFor(async () => {
      const stored = (await getChat(chat.id))!.messageCount;
      expect(stored).toBeGreaterThanOrEqual(1);
      expect(switcher().querySelector('[aria-current="page"] .message-count')).toHaveTextContent(new RegExp(`^${stored}$`));
    });
    expect(box).toHaveValue('');
    expect((await getChat(other.id))?.messageCount).toBe(0);
  });

  test('inline rename: Enter saves, Escape cancels, empty is refused with a message', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await screen.findByRole('heading', { level: 2, name: 'Setup' });

    await user.click(await screen.findByRole('button', { name: 'Actions for Setup' }));
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const input = screen.getByRole('textbox', { name: 'Chat title' });
    await user.clear(input);
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('A chat needs a title');
    expect((await getChat(chat.id))?.title).toBe('Setup');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Chat title' })).toBeNull();

    // F2 on the focused row starts renaming too: the switcher works from the keyboard.
    (await rowLink('Setup')).focus();
    await user.keyboard('{F2}');
    const again = screen.getByRole('textbox', { name: 'Chat title' });
    await user.clear(again);
    await user.type(again, 'Requirements{Enter}');
    await screen.findByRole('heading', { level: 2, name: 'Requirements' });
    expect((await getChat(chat.id))?.title).toBe('Requirements');
  });

  test('archive hides a chat behind "Show archived"; delete asks first and keeps runs', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const scratch = await createChat({ projectId: project.id, mode: 'whatif', title: 'Scratch' });
    const old = await createChat({ projectId: project.id, mode: 'analysis', title: 'Old analysis' });
    const run = await createRun({
      projectId: project.id,
      chatSessionId: scratch.id,
      mode: 'full_search',
      config: { numCandidates: 1, numScenarios: 1, seed: 1 },
      specSnapshot: emptySpecContent(),
    });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await waitFor(() => expect(rowTitles()).toEqual(['Old analysis', 'Scratch', 'Setup']));

    await user.click(screen.getByRole('button', { name: 'Actions for Old analysis' }));
    await user.click(screen.getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(rowTitles()).toEqual(['Scratch', 'Setup']));
    await user.click(screen.getByLabelText('Show archived'));
    await waitFor(() => expect(rowTitles()).toEqual(['Old analysis', 'Scratch', 'Setup']));
    expect((await getChat(old.id))?.archivedAt).not.toBeNull();

    await user.click(screen.getByRole('button', { name: 'Actions for Scratch' }));
    await user.click(within(screen.getByRole('group', { name: 'Actions for Scratch' })).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Runs started from it stay');
    await user.click(within(dialog).getByRole('button', { name: 'Delete chat' }));
    await waitFor(() => expect(rowTitles()).toEqual(['Old analysis', 'Setup']));
    expect(await db.runs.get(run.id)).toMatchObject({ chatSessionId: null, originChatDeleted: true });
  });

  test('the filter box narrows the list by title', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    await createChat({ projectId: project.id, mode: 'whatif', title: 'Cheaper storage' });
    await createChat({ projectId: project.id, mode: 'whatif', title: 'Stricter latency' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await waitFor(() => expect(rowTitles()).toHaveLength(3));
    await user.type(screen.getByRole('searchbox', { name: 'Filter chats by title' }), 'STOR');
    await waitFor(() => expect(rowTitles()).toEqual(['Cheaper storage']));
  });
});

describe('chat view', () => {
  test('each chat keeps its own unsent draft across switches', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const other = await createChat({ projectId: project.id, mode: 'analysis', title: 'Other' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    await user.type(await screen.findByRole('textbox', { name: 'Message' }), 'half-written thought');
    await user.click(await rowLink('Other'));
    await screen.findByRole('heading', { level: 2, name: 'Other' });
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('');
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'draft two');
    await user.click(await rowLink('Setup'));
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('half-written thought');
    expect(other.id).toBeTruthy();
  });

  test('markdown renders safely: raw HTML stays text and links get rel="noopener noreferrer"', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await appendMessage(chat.id, {
      role: 'agent',
      content: 'See **bold** and [docs](https://example.org) <img src=x onerror="alert(1)"> [bad](javascript:alert(1))',
    });
    const { container } = renderApp(`/project/${project.id}/chat/${chat.id}`);
    const link = await screen.findByRole('link', { name: 'docs' });
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('href', 'https://example.org');
    expect(container.querySelector('img[src="x"]')).toBeNull();
    expect(screen.getByText(/<img src=x/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'bad' })).toBeNull();
    expect(container.querySelector('.markdown strong')).toHaveTextContent('bold');
  });
});

describe('first screen', () => {
  test('with its chunk preloaded, a workspace URL renders without the "Loading…" fallback', async () => {
    const { project, chat } = await createProject({ title: 'Preloaded' });
    await preloadRouteChunks(`/project/${project.id}/chat/${chat.id}`);
    const { container } = renderApp(`/project/${project.id}/chat/${chat.id}`);
    // Checked synchronously after the first render: a lazy route would show its Suspense fallback here.
    expect(container.textContent).not.toContain('Loading…');
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
  });
});

describe('typed messages', () => {
  test('a typed message keeps its lines; a long paste shows its first 8 lines and expands to all of them', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    await appendMessage(chat.id, { role: 'user', content: 'goal: Fly 30 km\nconstraint: Mass weight 60' });
    const ratings = Array.from({ length: 78 }, (_, index) => `rate Option ${index + 1}: Mass 0.5`).join('\n');
    await appendMessage(chat.id, { role: 'user', content: ratings });
    const { container } = renderApp(`/project/${project.id}/chat/${chat.id}`);

    const expand = await screen.findByRole('button', { name: 'Show all 78 lines (70 more)' });
    const short = await waitFor(() => {
      const bubble = Array.from(container.querySelectorAll('.message-user .markdown')).find((node) =>
        node.textContent?.includes('Fly 30 km'),
      );
      if (!bubble?.querySelector('br')) throw new Error('the short message has not rendered its line break yet');
      return bubble;
    });
    expect(short.querySelectorAll('br')).toHaveLength(1);

    const long = expand.closest('.collapsible-message')!;
    expect(long.textContent).toContain('rate Option 8: Mass 0.5');
    expect(long.textContent).not.toContain('rate Option 9: Mass 0.5');
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    await user.click(expand);
    const collapse = screen.getByRole('button', { name: 'Show less' });
    expect(collapse).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(long.textContent).toContain('rate Option 78: Mass 0.5'));
    await user.click(collapse);
    expect(long.textContent).not.toContain('rate Option 78: Mass 0.5');
  });
});

describe('Architect replies in the chat', () => {
  test('a rejected line offers its fix as a chip that fills the message box', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    await user.type(box, 'constraint: Offline-first weight 150{Enter}');
    const chips = await screen.findByRole('group', { name: 'Suggested next steps' });
    const fix = within(chips).getAllByRole('button')[0]!;
    await user.click(fix);
    expect(box).toHaveValue(fix.getAttribute('title')!.replace(/^Put “|” in the message box$/g, ''));
    expect((box as HTMLTextAreaElement).value).toMatch(/100/);
    expect(await db.specs.get(project.id)).toMatchObject({ constraints: [] });
  });

  test('an analysis chat without a run answers with what it needs instead of silence', async () => {
    const user = userEvent.setup();
    const { project } = await createProject({ title: 'P' });
    const analysis = await createChat({ projectId: project.id, mode: 'analysis', title: 'Loose analysis' });
    renderApp(`/project/${project.id}/chat/${analysis.id}`);
    await user.type(await screen.findByRole('textbox', { name: 'Message' }), 'top 5{Enter}');
    expect(await screen.findByText(/not linked to a run yet/)).toBeInTheDocument();
    expect((await getChat(analysis.id))?.messageCount).toBe(2);
  });
});

describe('history that cannot be loaded', () => {
  test('shows an error state with Retry, and Retry loads the messages', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    await appendMessage(chat.id, { role: 'user', content: 'still here' });
    const failure = new Error('IndexedDB read failed');
    const spy = vi.spyOn(db.messages, 'where').mockImplementation(() => {
      throw failure;
    });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the chat history');
    expect(alert).toHaveTextContent('IndexedDB read failed');
    // The rest of the workspace keeps working.
    expect(screen.getByRole('navigation', { name: 'Chats' })).toBeInTheDocument();
    spy.mockRestore();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('still here')).toBeInTheDocument();
  });
});

describe('not-found routes', () => {
  test('an unknown project shows not found with a way back', async () => {
    renderApp('/project/nope');
    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your projects' })).toHaveAttribute('href', '/');
  });

  test('an unknown chat, or a chat of another project, shows not found with a link to the project', async () => {
    const { project } = await createProject({ title: 'Mine' });
    const stranger = await createProject({ title: 'Theirs' });
    renderApp(`/project/${project.id}/chat/${stranger.chat.id}`);
    expect(await screen.findByText(/This chat does not exist/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open “Mine”' })).toHaveAttribute('href', `/project/${project.id}`);
  });

  test('/project/:id opens the most recently active chat', async () => {
    const { project } = await createProject({ title: 'P' });
    const busy = await createChat({ projectId: project.id, mode: 'analysis', title: 'Busy' });
    await appendMessage(busy.id, { role: 'user', content: 'latest' });
    const { router } = renderApp(`/project/${project.id}`);
    await screen.findByRole('heading', { level: 2, name: 'Busy' });
    expect(router.state.location.pathname).toBe(`/project/${project.id}/chat/${busy.id}`);
  });
});
