import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createChat, createProject, db, deleteChat, listMessages } from '../../src/db';
import { postRunSummary } from '../../src/db/workflow';
import { emptySpecContent, newId, shortId, type Run } from '../../src/domain';
import { installLayoutStubs, renderApp } from './render';

beforeAll(installLayoutStubs);
beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
});

let clock = 1_700_000_000_000;
function makeRun(projectId: string, chatSessionId: string | null, extra: Partial<Run> = {}): Run {
  clock += 1000;
  return {
    id: newId(),
    projectId,
    chatSessionId,
    candidateId: null,
    mode: 'full_search',
    config: { numCandidates: 5, numScenarios: 3, seed: 1 },
    specSnapshot: emptySpecContent(),
    status: 'completed',
    createdAt: clock,
    startedAt: clock,
    completedAt: clock + 1500,
    durationMs: 1500,
    candidateCount: 5,
    scenarioCount: 3,
    evaluationCount: 15,
    metrics: { phaseTimingsMs: {}, bestI: 1.234 },
    error: null,
    name: '',
    tags: [],
    notes: '',
    ...extra,
  };
}

// Plain selectors: role queries over the whole workspace are too slow in jsdom to poll.
function historyRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('table.history-table tbody tr'));
}

function cells(row: HTMLElement): string[] {
  return Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent ?? '');
}

function rowIds(): string[] {
  return historyRows().map((row) => cells(row)[0]!);
}

async function expectRows(ids: string[]) {
  await waitFor(() => expect(rowIds()).toEqual(ids.map(shortId)), { timeout: 5000 });
}

describe('run history', () => {
  test('shows the current chat by default, then any chat, all chats, and filters by status and mode', async () => {
    const user = userEvent.setup();
    const { project, chat: setup } = await createProject({ title: 'P' });
    const whatIf = await createChat({ projectId: project.id, mode: 'whatif', title: 'Cheaper' });
    const doomed = await createChat({ projectId: project.id, mode: 'setup', title: 'Doomed' });
    const a = makeRun(project.id, setup.id);
    const b = makeRun(project.id, whatIf.id, {
      mode: 'seeded',
      status: 'failed',
      error: 'Boom',
      metrics: { phaseTimingsMs: {}, bestI: null },
    });
    const c = makeRun(project.id, null);
    const d = makeRun(project.id, doomed.id);
    const e = makeRun(project.id, setup.id, { mode: 'eval_only' });
    await db.runs.bulkAdd([a, b, c, d, e]);
    await deleteChat(doomed.id);

    renderApp(`/project/${project.id}/chat/${setup.id}?tab=runs`);
    await screen.findByRole('heading', { name: 'Run history' });
    await expectRows([e.id, a.id]);
    expect(cells(historyRows()[0]!)).toEqual([
      shortId(e.id),
      'evaluate only',
      'completed',
      expect.any(String),
      '1.5 s',
      '5/3/15',
      '1.23',
      'Setup',
    ]);

    await user.selectOptions(screen.getByLabelText('Chat'), 'Cheaper (What-if)');
    await expectRows([b.id]);
    expect(cells(historyRows()[0]!)[6]).toBe('—');

    await user.click(screen.getByRole('button', { name: 'All chats' }));
    await expectRows([e.id, d.id, c.id, b.id, a.id]);
    const origins = historyRows().map((row) => cells(row)[7]);
    expect(origins).toEqual(['Setup', 'deleted chat', 'no chat', 'Cheaper', 'Setup']);
    expect(within(historyRows()[0]!).getByRole('link', { name: 'Setup' })).toHaveAttribute(
      'href',
      `/project/${project.id}/chat/${setup.id}`,
    );

    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await expectRows([b.id]);
    await user.selectOptions(screen.getByLabelText('Status'), '');
    await user.selectOptions(screen.getByLabelText('Mode'), 'eval_only');
    await expectRows([e.id]);

    await user.click(screen.getByRole('button', { name: 'This chat' }));
    await expectRows([e.id]);
    await user.selectOptions(screen.getByLabelText('Mode'), 'seeded');
    await screen.findByText(/No runs in seeded mode from “Setup” yet/);
  });

  test('pages through many runs newest first', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const runs = Array.from({ length: 120 }, () => makeRun(project.id, chat.id));
    await db.runs.bulkAdd(runs);
    const newestFirst = [...runs].reverse().map((run) => run.id);
    renderApp(`/project/${project.id}/chat/${chat.id}?tab=runs`);
    await expectRows(newestFirst.slice(0, 50));
    expect(screen.getByRole('button', { name: '← Newer' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Older →' }));
    await expectRows(newestFirst.slice(50, 100));
    screen.getByText('Runs 51–100');
    await user.click(screen.getByRole('button', { name: 'Older →' }));
    await expectRows(newestFirst.slice(100));
    expect(screen.getByRole('button', { name: 'Older →' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: '← Newer' }));
    await expectRows(newestFirst.slice(50, 100));
  });
});

describe('run summary card and Discuss in chat', () => {
  test('the card offers View results, and a second Discuss asks instead of duplicating', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'P' });
    const run = makeRun(project.id, chat.id, { candidateCount: 0, scenarioCount: 0, evaluationCount: 0 });
    await db.runs.add(run);
    await postRunSummary(run.id);
    const { router } = renderApp(`/project/${project.id}/chat/${chat.id}`);
    const card = await screen.findByRole('region', { name: `Run summary: Run ${shortId(run.id)}` });
    expect(within(card).getByRole('link', { name: 'View results' })).toHaveAttribute(
      'href',
      `/project/${project.id}/chat/${chat.id}/run/${run.id}`,
    );

    await user.click(await within(card).findByRole('button', { name: 'Discuss in chat' }));
    await screen.findByRole('heading', { level: 2, name: `Analysis: Run ${shortId(run.id)}` });
    const analysisPath = router.state.location.pathname;
    const analysisId = analysisPath.split('/').at(-1)!;
    expect(await db.chatSessions.get(analysisId)).toMatchObject({ mode: 'analysis', runId: run.id, parentChatId: chat.id });
    expect((await listMessages(analysisId))[0]!.meta).toMatchObject({ kind: 'runSummary', runId: run.id });

    await router.navigate(`/project/${project.id}/chat/${chat.id}`);
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
    // The origin chat's card (the analysis chat's own copy has no Discuss button).
    await user.click(await screen.findByRole('button', { name: 'Discuss in chat' }));
    const dialog = await screen.findByRole('dialog', { name: 'Already discussed' });
    await user.click(within(dialog).getByRole('button', { name: 'Start another chat' }));
    await screen.findByRole('heading', { level: 2, name: `Analysis: Run ${shortId(run.id)} (2)` });
    expect(await db.chatSessions.where('runId').equals(run.id).count()).toBe(2);

    await router.navigate(`/project/${project.id}/chat/${chat.id}`);
    await screen.findByRole('heading', { level: 2, name: 'Setup' });
    await user.click(await screen.findByRole('button', { name: 'Discuss in chat' }));
    const third = await screen.findByRole('dialog', { name: 'Already discussed' });
    expect(within(third).getAllByRole('listitem')).toHaveLength(2);
    await user.click(within(third).getByRole('button', { name: `Open “Analysis: Run ${shortId(run.id)}”` }));
    await waitFor(() => expect(router.state.location.pathname).toBe(analysisPath));
    expect(await db.chatSessions.where('runId').equals(run.id).count()).toBe(2);
  });
});
