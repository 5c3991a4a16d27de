import { beforeEach, describe, expect, it } from 'vitest';
import { createChat, createProject, db, getChat, getSpec, getWorldModel, listMessages } from '../../src/db';
import { recordArchitectExchange } from '../../src/db/conversation';
import { applySpecEdit, discardWhatIf, loadChatSpecContext, promoteWhatIf, SpecChangeRejectedError } from '../../src/db/specs';
import { MESSAGE_MAX_LENGTH, metaOfKind, toSpecContent } from '../../src/domain';
import { sendUserMessage } from '../../src/features/chats/sendMessage';

const SCRIPT = [
  'goal: Works fully offline',
  'constraint: Offline-first weight 90 — must work with no network',
  'constraint: Low cost weight 40',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2',
  'rate OPFS Offline-first 0.9',
].join('\n');

async function projectWithSpec() {
  const { project, chat } = await createProject({ title: 'Notes app' });
  await sendUserMessage(chat, SCRIPT);
  const spec = (await getSpec(project.id))!;
  return { project, setup: chat, spec };
}

const constraintWeights = (spec: { constraints: { name: string; weight: number }[] }) =>
  Object.fromEntries(spec.constraints.map((c) => [c.name, c.weight]));

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe('a chat exchange with the Architect', () => {
  it('writes the user message, the reply with its spec delta, the spec and a provenance entry together', async () => {
    const { project, setup, spec } = await projectWithSpec();
    expect(constraintWeights(spec)).toEqual({ 'Offline-first': 90, 'Low cost': 40 });
    const messages = await listMessages(setup.id);
    expect(messages.map((m) => m.role)).toEqual(['user', 'agent']);
    const meta = metaOfKind(messages[1]!.meta, 'specDelta')!;
    expect(meta).not.toBeNull();
    expect(meta.summary).toBe('+1 goal, +2 constraints, +1 dimension, +2 options, 1 rating set');
    expect(meta.target).toBe('project');
    expect(messages[1]!.content).toContain('Updated the spec: +1 goal, +2 constraints');
    expect(spec.provenance).toHaveLength(1);
    expect(spec.provenance[0]).toMatchObject({
      actor: 'agent',
      chatSessionId: setup.id,
      summary: meta.summary,
      scope: 'project',
      id: meta.provenanceId,
    });
    expect(spec.provenance[0]!.touchedIds).toEqual(expect.arrayContaining(spec.constraints.map((c) => c.id)));
    const chat = (await getChat(setup.id))!;
    expect(chat.messageCount).toBe(2);
    expect((await db.projects.get(project.id))!.updatedAt).toBeGreaterThanOrEqual(spec.updatedAt);
  });

  it('a rejected message writes both messages and changes nothing in the spec', async () => {
    const { project, setup, spec } = await projectWithSpec();
    await sendUserMessage(setup, 'goal: Second goal\nweight Offline-first 150');
    const after = (await getSpec(project.id))!;
    expect(after).toEqual(spec);
    const messages = await listMessages(setup.id);
    expect(messages).toHaveLength(4);
    expect(messages[3]!.content).toContain('Weight 150 is out of range');
    expect(messages[3]!.meta).toMatchObject({ kind: 'architect', outcome: 'rejected' });
  });

  it('is one transaction: when the messages cannot be written, the spec change is rolled back too', async () => {
    const { project, setup, spec } = await projectWithSpec();
    const context = await loadChatSpecContext(setup.id);
    const offline = context.effective.constraints[0]!;
    await expect(
      recordArchitectExchange(setup.id, 'x'.repeat(MESSAGE_MAX_LENGTH + 1), {
        text: 'ok',
        outcome: 'changes',
        suggestions: [],
        delta: { ops: [{ op: 'updateConstraint', constraintId: offline.id, weight: 10 }] },
      }),
    ).rejects.toThrow();
    expect(await getSpec(project.id)).toEqual(spec);
    expect(await listMessages(setup.id)).toHaveLength(2);
  });

  it('a delta that no longer fits the spec (changed elsewhere meanwhile) is reported, not applied', async () => {
    const { project, setup, spec } = await projectWithSpec();
    await recordArchitectExchange(setup.id, 'weight Offline-first 60', {
      text: 'Updated',
      outcome: 'changes',
      suggestions: [],
      delta: { ops: [{ op: 'updateConstraint', constraintId: 'removed-meanwhile', weight: 60 }] },
    });
    expect(await getSpec(project.id)).toEqual(spec);
    const reply = (await listMessages(setup.id)).at(-1)!;
    expect(reply.content).toContain('I could not apply that');
    expect(reply.meta?.kind).toBe('architect');
  });

  it('help, show spec and free text get replies without a spec write', async () => {
    const { project, setup, spec } = await projectWithSpec();
    await sendUserMessage(setup, 'help');
    await sendUserMessage(setup, 'tell me what to do');
    expect(await getSpec(project.id)).toEqual(spec);
    const replies = (await listMessages(setup.id)).filter((m) => m.role === 'agent').slice(1);
    expect(replies[0]!.content).toContain('rate OPFS Offline-first 0.9');
    expect(replies[1]!.content).toContain('Next step:');
  });

  it('world-model lines in a setup chat change the world model', async () => {
    const { project, setup } = await projectWithSpec();
    await sendUserMessage(setup, 'actor: Field technician — no signal for days');
    expect((await getWorldModel(project.id))!.actors.map((a) => a.name)).toEqual(['Field technician']);
    expect((await getSpec(project.id))!.provenance.at(-1)!.changes).toEqual(['actor added: Field technician']);
  });
});

describe('what-if chats', () => {
  it('two what-if chats and the base stay independent', async () => {
    const { project, spec } = await projectWithSpec();
    const whatA = await createChat({ projectId: project.id, mode: 'whatif' });
    const whatB = await createChat({ projectId: project.id, mode: 'whatif' });
    await sendUserMessage(whatA, 'weight Offline-first 40');
    await sendUserMessage(whatB, 'weight Low cost 100\ngoal: Cheap to host');

    const base = (await getSpec(project.id))!;
    expect(toSpecContent(base)).toEqual(toSpecContent(spec));
    const a = await loadChatSpecContext(whatA.id);
    const b = await loadChatSpecContext(whatB.id);
    expect(constraintWeights(a.effective)).toEqual({ 'Offline-first': 40, 'Low cost': 40 });
    expect(constraintWeights(b.effective)).toEqual({ 'Offline-first': 90, 'Low cost': 100 });
    expect(b.effective.goals.map((g) => g.text)).toEqual(['Works fully offline', 'Cheap to host']);
    // Only the touched items are stored, keyed by item.
    expect(a.chat.specChanges.map((change) => change.key)).toEqual([`constraint:${spec.constraints[0]!.id}`]);
    expect(b.chat.specChanges.map((change) => change.kind).sort()).toEqual(['constraint', 'goal']);
    // The what-if reply says it only changed the what-if, and provenance records the scope.
    expect((await listMessages(whatA.id)).at(-1)!.content).toContain('this what-if only');
    expect(base.provenance.at(-1)).toMatchObject({ scope: 'whatif', chatSessionId: whatB.id });
  });

  it('a Spec-tab edit in a what-if chat changes only that chat', async () => {
    const { project, spec } = await projectWithSpec();
    const what = await createChat({ projectId: project.id, mode: 'whatif' });
    const offline = spec.constraints[0]!;
    const applied = await applySpecEdit(what.id, { ops: [{ op: 'updateConstraint', constraintId: offline.id, weight: 55 }] });
    expect(applied).toMatchObject({ target: 'whatif', summary: '1 weight changed' });
    expect(applied!.provenanceEntry).toMatchObject({ actor: 'user', chatSessionId: what.id, scope: 'whatif', touchedIds: [offline.id] });
    expect(toSpecContent((await getSpec(project.id))!)).toEqual(toSpecContent(spec));
    expect((await loadChatSpecContext(what.id)).effective.constraints[0]!.weight).toBe(55);
  });

  it('an invalid Spec-tab edit throws with the allowed range and writes nothing', async () => {
    const { project, setup, spec } = await projectWithSpec();
    const offline = spec.constraints[0]!;
    const edit = applySpecEdit(setup.id, { ops: [{ op: 'updateConstraint', constraintId: offline.id, weight: 101 }] });
    await expect(edit).rejects.toThrow(SpecChangeRejectedError);
    await expect(edit).rejects.toThrow('weights are whole numbers from 0 to 100');
    expect(await getSpec(project.id)).toEqual(spec);
  });

  it("promotion applies the what-if's own changes to the base, keeps other what-ifs, and clears the changes", async () => {
    const { project, setup, spec } = await projectWithSpec();
    const whatA = await createChat({ projectId: project.id, mode: 'whatif' });
    const whatB = await createChat({ projectId: project.id, mode: 'whatif' });
    await sendUserMessage(whatA, 'weight Offline-first 40\nresolution fine');
    await sendUserMessage(whatB, 'goal: Cheap to host');
    // The base moves on after the what-if started: a section A did not touch.
    await sendUserMessage(setup, 'goal: Syncs when online');

    const { changes } = await promoteWhatIf(whatA.id);
    expect(changes).toEqual(['~ constraint Offline-first: weight 90 → 40', '~ resolution: medium → fine']);
    const base = (await getSpec(project.id))!;
    expect(constraintWeights(base)).toEqual({ 'Offline-first': 40, 'Low cost': 40 });
    expect(base.resolution).toBe('fine');
    expect(base.goals.map((g) => g.text)).toEqual(['Works fully offline', 'Syncs when online']);
    expect(base.designSpace).toEqual(spec.designSpace);
    expect(base.provenance.at(-1)).toMatchObject({ actor: 'user', chatSessionId: whatA.id, scope: 'project', changes });
    expect((await getChat(whatA.id))!.specChanges).toEqual([]);
    // The other what-if still has its own goal, on top of the new base (whose new goal shows through).
    const b = await loadChatSpecContext(whatB.id);
    expect(b.effective.goals.map((g) => g.text).sort()).toEqual(['Cheap to host', 'Syncs when online', 'Works fully offline']);
    expect(constraintWeights(b.effective)).toEqual({ 'Offline-first': 40, 'Low cost': 40 });
  });

  it('discard clears the what-if changes and leaves the base alone', async () => {
    const { project, spec } = await projectWithSpec();
    const what = await createChat({ projectId: project.id, mode: 'whatif' });
    await sendUserMessage(what, 'remove constraint Low cost');
    expect((await loadChatSpecContext(what.id)).effective.constraints).toHaveLength(1);
    await discardWhatIf(what.id);
    const context = await loadChatSpecContext(what.id);
    expect(context.chat.specChanges).toEqual([]);
    expect(context.effective).toEqual(toSpecContent(spec));
    expect(toSpecContent((await getSpec(project.id))!)).toEqual(toSpecContent(spec));
  });

  it('an analysis chat tied to a run sees the run snapshot and cannot edit', async () => {
    const { project, spec } = await projectWithSpec();
    const { createRun } = await import('../../src/db');
    const run = await createRun({
      projectId: project.id,
      chatSessionId: null,
      mode: 'full_search',
      config: { numCandidates: 2, numScenarios: 1, seed: 1 },
      specSnapshot: { ...toSpecContent(spec), resolution: 'coarse' },
    });
    const analysis = await createChat({ projectId: project.id, mode: 'analysis', runId: run.id });
    const context = await loadChatSpecContext(analysis.id);
    expect(context.target).toBe('readonly');
    expect(context.effective.resolution).toBe('coarse');
    await expect(applySpecEdit(analysis.id, { ops: [{ op: 'setResolution', resolution: 'fine' }] })).rejects.toThrow('read-only');
  });
});
