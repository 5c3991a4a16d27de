import { beforeEach, describe, expect, it } from 'vitest';
import {
  applySpecEdit,
  createChat,
  createProject,
  db,
  exportProject,
  getChat,
  getSpec,
  listMessages,
  loadChatSpecContext,
  prepareImport,
  commitImport,
} from '../../src/db';
import {
  applyProposal,
  discardProposal,
  finishModelReply,
  markInterruptedReplies,
  ProposalNotOpenError,
  saveModelReplyProgress,
  specVersionOf,
  startModelReply,
} from '../../src/db/modelReplies';
import { parseModelReplyMeta, parseSpecProposalMeta, type ModelReplyMeta } from '../../src/domain/modelMessage';
import { describeDelta, type SpecDelta } from '../../src/domain/specDelta';
import { emptySpecContent, whatIfSpec } from '../../src/domain';
import { sendUserMessage } from '../../src/features/chats/sendMessage';

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

const replyMeta = (state: ModelReplyMeta['state'], extra: Partial<ModelReplyMeta> = {}): ModelReplyMeta => ({
  kind: 'modelReply',
  providerName: 'Fake',
  model: 'fake-model',
  state,
  ...extra,
});

const ADD_CONSTRAINT: SpecDelta = {
  ops: [{ op: 'addConstraint', id: 'c-offline', name: 'Offline-first', description: 'no network', weight: 90 }],
};

async function proposalIn(chatId: string, delta: SpecDelta = ADD_CONSTRAINT) {
  const { replyMessage } = await startModelReply(chatId, 'The app must work offline.', { providerName: 'Fake', model: 'fake-model' });
  const context = await loadChatSpecContext(chatId);
  const described = describeDelta(context.effective, delta);
  const proposal = await finishModelReply(replyMessage.id, 'I suggest an offline constraint.', replyMeta('done'), {
    delta,
    summary: described.summary,
    details: described.details,
    target: context.target === 'whatif' ? 'whatif' : 'project',
    baseVersion: specVersionOf(context),
  });
  return { replyMessage, proposal: proposal! };
}

describe('a streaming model reply', () => {
  it('is written with the user message, saves progress, and ends done', async () => {
    const { chat } = await createProject({ title: 'P' });
    const { userMessage, replyMessage } = await startModelReply(chat.id, 'Describe it', { providerName: 'Fake', model: 'm' });
    expect(userMessage.content).toBe('Describe it');
    expect(parseModelReplyMeta(replyMessage.meta)?.state).toBe('streaming');
    expect((await getChat(chat.id))!.messageCount).toBe(2);

    await saveModelReplyProgress(replyMessage.id, 'Half a sen', replyMeta('streaming'));
    expect((await db.messages.get(replyMessage.id))!.content).toBe('Half a sen');

    await finishModelReply(
      replyMessage.id,
      'Half a sentence, then all.',
      replyMeta('done', { usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } }),
    );
    const done = (await db.messages.get(replyMessage.id))!;
    expect(done.content).toBe('Half a sentence, then all.');
    expect(parseModelReplyMeta(done.meta)).toMatchObject({ state: 'done', usage: { totalTokens: 15 } });
    // Finished replies are no longer swept at start-up.
    expect(await markInterruptedReplies()).toEqual([]);
  });

  it('left streaming by a closed tab becomes interrupted at start-up, keeping its text; a live one is spared', async () => {
    const { chat } = await createProject({ title: 'P' });
    const orphan = await startModelReply(chat.id, 'one', { providerName: 'Fake', model: 'm' });
    const live = await startModelReply(chat.id, 'two', { providerName: 'Fake', model: 'm' }, 'crucible-reply:live');
    await saveModelReplyProgress(orphan.replyMessage.id, 'Partial answ', replyMeta('streaming'));

    const settled = await markInterruptedReplies((lockName) => lockName === 'crucible-reply:live');
    expect(settled).toEqual([orphan.replyMessage.id]);
    const orphanNow = (await db.messages.get(orphan.replyMessage.id))!;
    expect(orphanNow.content).toBe('Partial answ');
    expect(parseModelReplyMeta(orphanNow.meta)?.state).toBe('interrupted');
    expect(parseModelReplyMeta((await db.messages.get(live.replyMessage.id))!.meta)?.state).toBe('streaming');

    // A late save from the dead stream must not bring the interrupted reply back.
    await saveModelReplyProgress(orphan.replyMessage.id, 'Partial answer that arrived late', replyMeta('streaming'));
    expect((await db.messages.get(orphan.replyMessage.id))!.content).toBe('Partial answ');
  });

  it('rejects a meta that does not match its schema', async () => {
    const { chat } = await createProject({ title: 'P' });
    const { replyMessage } = await startModelReply(chat.id, 'x', { providerName: 'Fake', model: 'm' });
    await expect(saveModelReplyProgress(replyMessage.id, 'x', { ...replyMeta('streaming'), state: 'thinking' as never })).rejects.toThrow();
  });
});

describe('a spec proposal', () => {
  it('changes nothing until Apply, then writes the change with agent provenance and the applied status together', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const { proposal } = await proposalIn(chat.id);
    expect(parseSpecProposalMeta(proposal.meta)).toMatchObject({ status: 'proposed', summary: '+1 constraint', target: 'project' });
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);

    const decision = await applyProposal(proposal.id);
    expect(decision.status).toBe('applied');
    const spec = (await getSpec(project.id))!;
    expect(spec.constraints.map((c) => [c.name, c.weight])).toEqual([['Offline-first', 90]]);
    const entry = spec.provenance.at(-1)!;
    expect(entry).toMatchObject({ actor: 'agent', chatSessionId: chat.id, summary: '+1 constraint', scope: 'project' });
    const after = parseSpecProposalMeta((await db.messages.get(proposal.id))!.meta)!;
    expect(after).toMatchObject({ status: 'applied', provenanceId: entry.id });
    await expect(applyProposal(proposal.id)).rejects.toThrow(ProposalNotOpenError);
  });

  it('in a what-if chat goes to that chat’s changes only', async () => {
    const { project } = await createProject({ title: 'P' });
    const whatIf = await createChat({ projectId: project.id, mode: 'whatif' });
    const { proposal } = await proposalIn(whatIf.id);
    expect(parseSpecProposalMeta(proposal.meta)?.target).toBe('whatif');
    await applyProposal(proposal.id);
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);
    const whatIfChat = (await getChat(whatIf.id))!;
    expect(whatIfChat.specChanges.map((change) => change.kind)).toEqual(['constraint']);
    expect(whatIfSpec(emptySpecContent(), whatIfChat.specChanges).constraints.map((c) => c.name)).toEqual(['Offline-first']);
  });

  it('whose base changed so it no longer applies becomes stale with a sentence, and nothing changes', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const { proposal } = await proposalIn(chat.id);
    // Meanwhile the user adds a constraint of the same name in the Spec tab.
    await applySpecEdit(chat.id, { ops: [{ op: 'addConstraint', id: 'c-user', name: 'Offline-first', description: '', weight: 50 }] });
    const before = (await getSpec(project.id))!;

    const decision = await applyProposal(proposal.id);
    expect(decision).toEqual({ status: 'stale', reason: expect.stringContaining('The spec changed after this was proposed') });
    expect(decision.status === 'stale' && decision.reason).toContain('already exists');
    expect(await getSpec(project.id)).toEqual(before);
    expect(parseSpecProposalMeta((await db.messages.get(proposal.id))!.meta)).toMatchObject({
      status: 'stale',
      staleReason: expect.stringContaining('already exists'),
    });
  });

  it('whose base changed but still applies is re-validated and applied', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const { proposal } = await proposalIn(chat.id);
    await sendUserMessage(chat, 'goal: Works offline');
    expect((await applyProposal(proposal.id)).status).toBe('applied');
    expect((await getSpec(project.id))!.constraints.map((c) => c.name)).toEqual(['Offline-first']);
  });

  it('can be discarded, which changes nothing and closes it', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const { proposal } = await proposalIn(chat.id);
    await discardProposal(proposal.id);
    expect(parseSpecProposalMeta((await db.messages.get(proposal.id))!.meta)?.status).toBe('discarded');
    await expect(applyProposal(proposal.id)).rejects.toThrow(ProposalNotOpenError);
    expect((await getSpec(project.id))?.constraints ?? []).toEqual([]);
  });

  it('is posted right after its reply, and a reply without ops posts none', async () => {
    const { chat } = await createProject({ title: 'P' });
    await proposalIn(chat.id);
    const { replyMessage } = await startModelReply(chat.id, 'Just a question', { providerName: 'Fake', model: 'm' });
    const none = await finishModelReply(replyMessage.id, 'An answer.', replyMeta('done'), {
      delta: { ops: [] },
      summary: 'no changes',
      details: [],
      target: 'project',
      baseVersion: 0,
    });
    expect(none).toBeNull();
    const kinds = (await listMessages(chat.id)).map((m) => `${m.role}:${m.meta?.kind ?? '-'}`);
    expect(kinds).toEqual(['user:-', 'agent:modelReply', 'agent:specProposal', 'user:-', 'agent:modelReply']);
  });
});

describe('model replies and proposals in a project file', () => {
  it('round-trip: a reply still streaming comes back interrupted (with a warning), a proposal still applies', async () => {
    const { chat } = await createProject({ title: 'P' });
    await proposalIn(chat.id);
    const streaming = await startModelReply(chat.id, 'still going', { providerName: 'Fake', model: 'm' });
    await saveModelReplyProgress(streaming.replyMessage.id, 'Half of it', replyMeta('streaming'));
    const exported = await exportProject(chat.projectId);

    const prepared = await prepareImport(exported.blob);
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) throw new Error('import failed');
    expect(prepared.value.warnings).toContain(
      '1 model reply was still streaming when exported; it is imported as interrupted, with the text that had arrived.',
    );
    const committed = await commitImport(prepared.value);
    if (!committed.ok) throw new Error('commit failed');
    const imported = committed.value[0]!;
    const messages = await listMessages(imported.chatId);
    const replies = messages.flatMap((m) => (parseModelReplyMeta(m.meta) ? [[m.content, parseModelReplyMeta(m.meta)!.state]] : []));
    expect(replies).toEqual([
      ['I suggest an offline constraint.', 'done'],
      ['Half of it', 'interrupted'],
    ]);
    const proposal = messages.find((m) => m.meta?.kind === 'specProposal')!;
    const meta = parseSpecProposalMeta(proposal.meta)!;
    // The link to its reply follows the reply's new id.
    expect(meta.replyMessageId).toBe(messages.find((m) => m.content === 'I suggest an offline constraint.')!.id);
    expect((await applyProposal(proposal.id)).status).toBe('applied');
    expect((await getSpec(imported.projectId))!.constraints.map((c) => c.name)).toEqual(['Offline-first']);
  });
});
