import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProject, db, getSpec, listMessages } from '../../src/db';
import { applyProposal } from '../../src/db/modelReplies';
import { beginRun, completeRun } from '../../src/db/runResults';
import { discussRun } from '../../src/db/workflow';
import type { ChatSession, Message } from '../../src/domain';
import { parseModelReplyMeta, parseSpecProposalMeta } from '../../src/domain/modelMessage';
import { runPipeline } from '../../src/engine';
import { stopReply } from '../../src/features/chats/activeReplies';
import { sendUserMessage } from '../../src/features/chats/sendMessage';
import type { ProviderConfig } from '../../src/llm';
import { always, startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../support/fakeOpenAIServer';
import { handExampleSpec } from './engine.fixtures';

type Usable = { status: 'none' } | { status: 'ready'; provider: unknown };
const usable = vi.hoisted((): { current: Usable } => ({ current: { status: 'none' } }));
vi.mock('../../src/db/providers', () => ({ getUsableProvider: () => Promise.resolve(usable.current) }));

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p1', name: 'Fake local', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  usable.current = { status: 'ready', provider };
  await Promise.all(db.tables.map((table) => table.clear()));
});

const isDeltaRequest = (request: RecordedRequest) => Boolean(request.body?.response_format);
const hasToolResults = (request: RecordedRequest) =>
  ((request.body?.messages ?? []) as Array<{ role: string }>).some((message) => message.role === 'tool');

async function send(chat: ChatSession, text: string): Promise<Message[]> {
  const { modelTurn } = await sendUserMessage(chat, text);
  await modelTurn?.finished;
  return listMessages(chat.id);
}

describe('free text in a setup chat with a model connected', () => {
  it('streams the reply into an agent message, then posts a proposal that changes nothing until Apply', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    fake.script((r) => !isDeltaRequest(r), {
      kind: 'toolCalls',
      content: 'You need an offline constraint. I would add **Offline-first** as a hard constraint.',
      calls: [{ name: 'propose_spec_change', arguments: { change: 'add Offline-first (hard)' } }],
    });
    fake.script(isDeltaRequest, {
      kind: 'json',
      value: { ops: [{ op: 'addConstraint', id: 'n1', name: 'Offline-first', description: 'works with no network', weight: 100 }] },
    });

    const messages = await send(chat, 'Our field technicians often have no signal, the app has to keep working.');
    expect(messages.map((m) => `${m.role}:${m.meta?.kind ?? '-'}`)).toEqual(['user:-', 'agent:modelReply', 'agent:specProposal']);
    expect(messages[1]!.content).toBe('You need an offline constraint. I would add **Offline-first** as a hard constraint.');
    expect(parseModelReplyMeta(messages[1]!.meta)).toMatchObject({
      state: 'done',
      providerName: 'Fake local',
      model: 'fake-small',
      usage: { totalTokens: 38 },
    });
    const proposal = parseSpecProposalMeta(messages[2]!.meta)!;
    expect(proposal).toMatchObject({ status: 'proposed', summary: '+1 constraint', target: 'project', replyMessageId: messages[1]!.id });
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);

    // The model was told the spec and history; the notation was not sent anywhere.
    const first = fake.chatRequests()[0]!;
    expect((first.body!.messages as Array<{ role: string }>).map((m) => m.role)).toEqual(['system', 'user']);

    await applyProposal(messages[2]!.id);
    const spec = (await getSpec(project.id))!;
    expect(spec.constraints.map((c) => [c.name, c.weight])).toEqual([['Offline-first', 100]]);
    expect(spec.provenance.at(-1)).toMatchObject({ actor: 'agent', chatSessionId: chat.id });
  });

  it('keeps the notation offline: a command line never reaches the model', async () => {
    const { project, chat } = await createProject({ title: 'Notes' });
    const messages = await send(chat, 'constraint: Offline-first weight 90');
    expect(fake.chatRequests()).toHaveLength(0);
    expect(messages[1]!.meta?.kind).toBe('specDelta');
    expect((await getSpec(project.id))!.constraints.map((c) => c.name)).toEqual(['Offline-first']);
  });

  it('without a provider answers free text offline, with one line on connecting a model', async () => {
    usable.current = { status: 'none' };
    const { chat } = await createProject({ title: 'Notes' });
    const messages = await send(chat, 'Our technicians have no signal.');
    expect(fake.chatRequests()).toHaveLength(0);
    expect(messages[1]!.content).toContain("I don't understand free text yet");
    expect(messages[1]!.content).toContain('Next step:');
    expect(messages[1]!.content.trim().split('\n').at(-1)).toMatch(/connect one in \*\*Settings → Models\*\*/);
  });

  it('Stop aborts the request and keeps the partial reply, marked stopped', async () => {
    const { chat } = await createProject({ title: 'Notes' });
    const text = 'This is a long and slow answer that will be stopped long before it reaches its very end.';
    fake.script(always, { kind: 'text', text, chunkSize: 3, delayMs: 30 });
    const { modelTurn } = await sendUserMessage(chat, 'Tell me everything about offline sync.');
    await vi.waitFor(async () => expect((await db.messages.get(modelTurn!.replyMessageId))!.content.length).toBeGreaterThan(5), {
      timeout: 5000,
    });
    expect(stopReply(modelTurn!.replyMessageId)).toBe(true);
    await modelTurn!.finished;
    const reply = (await db.messages.get(modelTurn!.replyMessageId))!;
    expect(parseModelReplyMeta(reply.meta)?.state).toBe('stopped');
    expect(reply.content.length).toBeGreaterThan(5);
    expect(text.startsWith(reply.content)).toBe(true);
    expect(reply.content.length).toBeLessThan(text.length);
    await vi.waitFor(() => expect(fake.chatRequests()[0]!.aborted).toBe(true));
  });

  it('reports retries, and a failure as the sentence and fix of describeLlmError', async () => {
    const { chat } = await createProject({ title: 'Notes' });
    fake.script(always, { kind: 'text', text: 'Fine now.' });
    fake.script(always, { kind: 'error', status: 429, retryAfterSeconds: 0 }, { times: 1 });
    let messages = await send(chat, 'Hello there, model.');
    const retried = parseModelReplyMeta(messages[1]!.meta)!;
    expect(retried.state).toBe('done');
    expect(retried.retries).toEqual([expect.objectContaining({ attempt: 1, reason: 'rate limited' })]);

    fake.script(always, { kind: 'error', status: 401, message: 'Incorrect API key provided.' });
    messages = await send(chat, 'And again, please.');
    const failed = parseModelReplyMeta(messages[3]!.meta)!;
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'unauthorized' });
    expect(failed.error?.sentence).toBeTruthy();
    expect(failed.error?.fix).toBeTruthy();
  });

  it('an invalid delta, after the repair round, ends as an error card under the reply and posts no proposal', async () => {
    const { chat } = await createProject({ title: 'Notes' });
    fake.script((r) => !isDeltaRequest(r), {
      kind: 'toolCalls',
      content: 'I would rate it.',
      calls: [{ name: 'propose_spec_change', arguments: { change: 'rate' } }],
    });
    fake.script(isDeltaRequest, { kind: 'json', value: { ops: [{ op: 'setRating', optionId: 'x', constraintId: 'y', rating: 3 }] } });
    const messages = await send(chat, 'Could you fill in the ratings for me?');
    expect(messages).toHaveLength(2);
    const meta = parseModelReplyMeta(messages[1]!.meta)!;
    expect(messages[1]!.content).toBe('I would rate it.');
    expect(meta).toMatchObject({ state: 'failed', errorCode: 'invalid_output' });
    expect(meta.error?.detail).toContain('There is no option with id x');
  });
});

describe('free text in an analysis chat with a model connected', () => {
  async function analysisChat() {
    const { project, chat } = await createProject({ title: 'Notes' });
    await db.specs.update(project.id, handExampleSpec());
    const run = await beginRun({
      projectId: project.id,
      chatSessionId: chat.id,
      mode: 'full_search',
      config: { numCandidates: 4, numScenarios: 1, seed: 7 },
      specSnapshot: handExampleSpec(),
    });
    const result = await runPipeline({ runId: run.id, projectId: project.id, spec: run.specSnapshot, mode: run.mode, config: run.config });
    await completeRun(run.id, result);
    const { chat: analysis } = await discussRun(run.id);
    return { analysis, result };
  }

  it('answers through the analysis tools, keeps the tool results and checks the numbers', async () => {
    const { analysis, result } = await analysisChat();
    const best = [...result.candidates].sort((a, b) => a.rank - b.rank)[0]!;
    fake.script((r) => !hasToolResults(r), { kind: 'toolCalls', calls: [{ name: 'top_candidates', arguments: { count: 3 } }] });
    fake.script(hasToolResults, { kind: 'text', text: `#1 ${best.label} is best with I=${best.scores.I.toFixed(2)}.` });
    const messages = await send(analysis, 'Which design should I pick?');
    const reply = messages.at(-1)!;
    const meta = parseModelReplyMeta(reply.meta)!;
    expect(meta).toMatchObject({ state: 'done', unsupportedNumbers: [] });
    expect(meta.toolResults?.map((t) => t.tool)).toEqual(['top_candidates']);
    expect(meta.toolResults![0]!.result).toContain(`I=${best.scores.I.toFixed(2)}`);
    expect(reply.content).toBe(`#1 ${best.label} is best with I=${best.scores.I.toFixed(2)}.`);
  });

  it('flags an answer with a number no tool returned', async () => {
    const { analysis } = await analysisChat();
    fake.script((r) => !hasToolResults(r), { kind: 'toolCalls', calls: [{ name: 'run_summary', arguments: {} }] });
    fake.script(hasToolResults, { kind: 'text', text: 'The winner is 73.5% better than the rest.' });
    const messages = await send(analysis, 'How much better is the winner?');
    expect(parseModelReplyMeta(messages.at(-1)!.meta)?.unsupportedNumbers).toEqual(['73.5%']);
  });

  it('still answers commands offline', async () => {
    const { analysis } = await analysisChat();
    const messages = await send(analysis, 'top 2');
    expect(fake.chatRequests()).toHaveLength(0);
    expect(messages.at(-1)!.content).toContain('Top 2 of');
  });
});

describe('the history a model sees', () => {
  it('tells it what became of its earlier proposals', async () => {
    const { chat } = await createProject({ title: 'Notes' });
    fake.script((r) => !isDeltaRequest(r) && !JSON.stringify(r.body).includes('Proposed change ('), {
      kind: 'toolCalls',
      content: 'I would add Offline-first.',
      calls: [{ name: 'propose_spec_change', arguments: { change: 'add Offline-first' } }],
    });
    fake.script(isDeltaRequest, {
      kind: 'json',
      value: { ops: [{ op: 'addConstraint', id: 'n1', name: 'Offline-first', description: '', weight: 100 }] },
    });
    const first = await send(chat, 'It must work without signal.');
    await applyProposal(first[2]!.id);
    fake.script((r) => JSON.stringify(r.body).includes('Proposed change ('), { kind: 'text', text: 'Good, it is in.' });
    await send(chat, 'Is the offline part settled now?');
    const sent = (fake.chatRequests().at(-1)!.body!.messages as Array<{ role: string; content: string }>).map((m) => [
      m.role,
      m.content.split('\n')[0],
    ]);
    expect(sent.slice(1)).toEqual([
      ['user', 'It must work without signal.'],
      ['assistant', 'I would add Offline-first.'],
      ['assistant', 'Proposed change (the user applied it): +1 constraint'],
      ['user', 'Is the offline part settled now?'],
    ]);
  });
});
