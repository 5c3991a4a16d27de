import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, test } from 'vitest';
import { createProject, db, getChat } from '../../src/db';
import { appLinks } from '../../src/app/links';
import { sendUserMessage } from '../../src/features/chats/sendMessage';
import { RunLauncher } from '../../src/features/runs/RunLauncher';
import { rerun } from '../../src/features/runs/runActions';
import { runExecutor } from '../../src/features/runs/runExecutor';
import { LinksProvider } from '../../src/shared/links';
import { RouterNavigation } from '../../src/app/RouterNavigation';

const SCRIPT = [
  'goal: Works fully offline',
  'constraint: Offline-first weight 90',
  'constraint: Low cost weight 100',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2',
  'dimension Sync: None cost 1, CRDT cost 3',
  'rate IndexedDB: Offline-first 0.9, Low cost 0.8',
  'rate OPFS: Offline-first 0.7, Low cost 0.6',
  'rate None: Offline-first 0.5, Low cost 0.9',
  'rate CRDT: Offline-first 0.9, Low cost 0.4',
].join('\n');

beforeEach(async () => {
  await db.delete();
  await db.open();
});

async function settled() {
  const runs = await db.runs.toArray();
  await Promise.all(runs.map((run) => runExecutor().whenFinished(run.id)));
  return runs;
}

describe('a run starts once', () => {
  test('two clicks on Start in the same task write one run', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    await sendUserMessage(chat, SCRIPT);
    const fresh = (await getChat(chat.id))!;
    const router = createMemoryRouter(
      [
        {
          path: '/',
          element: (
            <RouterNavigation>
              <RunLauncher projectId={project.id} chat={fresh} />
            </RouterNavigation>
          ),
        },
        { path: '*', element: <p>Run page</p> },
      ],
      { initialEntries: ['/'] },
    );
    render(
      <LinksProvider value={appLinks}>
        <RouterProvider router={router} />
      </LinksProvider>,
    );
    const button = await screen.findByRole('button', { name: 'Start run' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => {
      fireEvent.click(button);
      fireEvent.click(button);
    });
    await screen.findByText('Run page');
    const runs = await settled();
    expect(runs).toHaveLength(1);
    expect((await db.projects.get(project.id))?.runCount).toBe(1);
  });

  test('a re-run asked for twice while it starts is one run', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    await sendUserMessage(chat, SCRIPT);
    const { startRunFromChat } = await import('../../src/features/runs/runActions');
    const config = { numCandidates: 3, numScenarios: 2, seed: 7 };
    const [a, b] = await Promise.all([
      startRunFromChat({ projectId: project.id, chatId: chat.id, mode: 'full_search', config, seedCandidate: null }),
      startRunFromChat({ projectId: project.id, chatId: chat.id, mode: 'full_search', config, seedCandidate: null }),
    ]);
    expect(a.id).toBe(b.id);
    await settled();
    const [c, d] = await Promise.all([rerun(a), rerun(a)]);
    expect(c.id).toBe(d.id);
    expect(c.id).not.toBe(a.id);
    expect(await settled()).toHaveLength(2);
    // Once a start has resolved, the same start again is a new run.
    const e = await startRunFromChat({ projectId: project.id, chatId: chat.id, mode: 'full_search', config, seedCandidate: null });
    expect(e.id).not.toBe(a.id);
    expect(await settled()).toHaveLength(3);
  });
});
