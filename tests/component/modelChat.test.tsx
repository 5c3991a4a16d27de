import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { appendMessage, applySpecEdit, createProject, db, getSpec } from '../../src/db';
import { finishModelReply, specVersionOf, startModelReply } from '../../src/db/modelReplies';
import { loadChatSpecContext } from '../../src/db/specs';
import { describeDelta, type SpecDelta } from '../../src/domain/specDelta';
import type { ProviderConfig } from '../../src/llm';
import { always, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';
import { installLayoutStubs, renderApp } from './render';

type Usable = { status: 'none' } | { status: 'ready'; provider: unknown };
const usable = vi.hoisted((): { current: Usable } => ({ current: { status: 'none' } }));
vi.mock('../../src/db/providers', () => ({ getUsableProvider: () => Promise.resolve(usable.current) }));

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  installLayoutStubs();
  fake = await startFakeOpenAI();
  provider = { id: 'p1', name: 'Fake local', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  usable.current = { status: 'none' };
  await db.delete();
  await db.open();
  localStorage.clear();
});

const DELTA: SpecDelta = { ops: [{ op: 'addConstraint', id: 'c-offline', name: 'Offline-first', description: '', weight: 90 }] };

async function chatWithProposal() {
  const { project, chat } = await createProject({ title: 'Notes' });
  const { replyMessage } = await startModelReply(chat.id, 'It must work offline.', { providerName: 'Fake local', model: 'fake-small' });
  const context = await loadChatSpecContext(chat.id);
  const described = describeDelta(context.effective, DELTA);
  await finishModelReply(
    replyMessage.id,
    'I suggest an **Offline-first** constraint.',
    {
      kind: 'modelReply',
      providerName: 'Fake local',
      model: 'fake-small',
      state: 'done',
      usage: { promptTokens: 1200, completionTokens: 34, totalTokens: 1234 },
    },
    { delta: DELTA, summary: described.summary, details: described.details, target: 'project', baseVersion: specVersionOf(context) },
  );
  return { project, chat };
}

describe('model replies in the chat', () => {
  test('a finished reply shows its model and tokens; its proposal shows the diff and applies only on Apply', async () => {
    const user = userEvent.setup();
    const { project, chat } = await chatWithProposal();
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const status = await screen.findByLabelText('Model reply status');
    expect(status).toHaveTextContent('Fake local · fake-small');
    expect(status).toHaveTextContent('1,234 tokens (1,200 in, 34 out)');
    const card = await screen.findByRole('region', { name: 'Proposed change' });
    expect(card).toHaveTextContent('+1 constraint');
    expect(card).toHaveTextContent('constraint added: Offline-first, weight 90');
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);

    await user.click(within(card).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(card).toHaveTextContent('Applied to the project spec.'));
    expect((await getSpec(project.id))!.constraints.map((c) => c.name)).toEqual(['Offline-first']);
    expect(within(card).queryByRole('button', { name: 'Apply' })).toBeNull();
  });

  test('a proposal the spec has outgrown warns before Apply, and Apply marks it stale', async () => {
    const user = userEvent.setup();
    const { project, chat } = await chatWithProposal();
    await applySpecEdit(chat.id, { ops: [{ op: 'addConstraint', id: 'c-user', name: 'Offline-first', description: '', weight: 50 }] });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const card = await screen.findByRole('region', { name: 'Proposed change' });
    await waitFor(() => expect(card).toHaveTextContent('The spec has changed and this no longer fits'));
    await user.click(within(card).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(card).toHaveTextContent(/Stale: The spec changed after this was proposed.*already exists/));
    expect((await getSpec(project.id))!.constraints.map((c) => c.weight)).toEqual([50]);
  });

  test('Discard closes the proposal and changes nothing', async () => {
    const user = userEvent.setup();
    const { project, chat } = await chatWithProposal();
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const card = await screen.findByRole('region', { name: 'Proposed change' });
    await user.click(within(card).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(card).toHaveTextContent('Discarded: nothing was changed.'));
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);
  });

  test('records that do not match their schema render as a readable note, not a crash', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    // The app refuses to write such meta, so the damaged records are put straight into the table.
    await expect(
      appendMessage(chat.id, { role: 'agent', content: 'x', meta: { kind: 'modelReply', state: 'thinking-hard' } }),
    ).rejects.toThrow();
    const reply = await appendMessage(chat.id, { role: 'agent', content: 'An old reply.' });
    const proposal = await appendMessage(chat.id, { role: 'agent', content: 'An odd proposal.' });
    await db.messages.update(reply.id, { meta: { kind: 'modelReply', state: 'thinking-hard' } });
    await db.messages.update(proposal.id, { meta: { kind: 'specProposal', delta: 'not a delta' } });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    expect(await screen.findByText(/This message’s model reply details could not be shown/)).toBeInTheDocument();
    expect(await screen.findByText(/This message’s proposed change could not be shown/)).toBeInTheDocument();
    expect(screen.getByText('An old reply.')).toBeInTheDocument();
  });

  test('an interrupted reply says so and keeps its text', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    await appendMessage(chat.id, {
      role: 'agent',
      content: 'Half an answ',
      meta: { kind: 'modelReply', providerName: 'Fake local', model: 'fake-small', state: 'interrupted' },
    });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    expect(await screen.findByText('Half an answ')).toBeInTheDocument();
    expect(screen.getByLabelText('Model reply status')).toHaveTextContent(
      'Interrupted — the tab was closed or reloaded while this reply was streaming',
    );
  });

  test('typing free text streams the reply, Stop keeps the partial text marked stopped', async () => {
    usable.current = { status: 'ready', provider };
    const text = 'A slow reply, word by word, that the user stops before it has said everything it wanted to say.';
    fake.script(always, { kind: 'text', text, chunkSize: 2, delayMs: 25 });
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Notes' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    await waitFor(() => expect(box).toHaveAttribute('placeholder', expect.stringContaining('Describe the problem in sentences')));
    expect(screen.getByText(/Sentences go to Fake local \(fake-small\)/)).toBeInTheDocument();
    await user.type(box, 'Tell me about syncing notes between devices.{Enter}');
    const stop = await screen.findByRole('button', { name: 'Stop' });
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    await waitFor(() => expect(screen.getByText(/^A slow reply/)).toBeInTheDocument(), { timeout: 5000 });
    await user.click(stop);
    const status = await screen.findByText(/you stopped this reply/);
    expect(status).toBeInTheDocument();
    const shown = screen.getByText(/^A slow reply/).textContent;
    expect(shown.length).toBeLessThan(text.length);
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  test('without a provider the placeholder keeps to the notation and free text gets the connect line', async () => {
    const user = userEvent.setup();
    const { project, chat } = await createProject({ title: 'Notes' });
    renderApp(`/project/${project.id}/chat/${chat.id}`);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    expect(box.getAttribute('placeholder')).toContain('Type a line such as');
    await user.type(box, 'We need something that works offline.{Enter}');
    expect(await screen.findByText(/connect one in/)).toBeInTheDocument();
    expect(fake.chatRequests()).toHaveLength(0);
  });
});
