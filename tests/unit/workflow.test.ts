import { beforeEach, describe, expect, test } from 'vitest';
import {
  createChat,
  createProject,
  createRun,
  db,
  deleteChat,
  findAnalysisChatsForRun,
  getChat,
  listMessages,
  listRuns,
  markInterruptedRuns,
  updateRun,
  applySpecEdit,
} from '../../src/db';
import {
  discussCandidate,
  discussRun,
  loadRunData,
  openWhatIfFromAnalysis,
  postRunSummary,
  postRunSummaryInTransaction,
  runSummaryTables,
  whatIfFromCandidate,
} from '../../src/db/workflow';
import { toSpecContent, whatIfSpec, type ChatSession, type Message, type Run, type SpecContent } from '../../src/domain';
import { readRunSummaryMeta } from '../../src/domain/runSummary';
import { runPipeline } from '../../src/engine';
import { respondAnalysis, withWeights } from '../../src/engine/analysis';
import { handExampleSpec } from './engine.fixtures';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

/**
 * Executes a run the way the app does: the pipeline, then results, terminal
 * status and the summary in the origin chat in one transaction.
 */
async function executeRun(run: Run): Promise<Run> {
  const result = await runPipeline({ runId: run.id, projectId: run.projectId, spec: run.specSnapshot, mode: run.mode, config: run.config });
  return db.transaction('rw', [db.runs, db.candidates, db.scenarios, db.evaluations, ...runSummaryTables()], async () => {
    await db.candidates.bulkAdd(result.candidates);
    await db.scenarios.bulkAdd(result.scenarios);
    await db.evaluations.bulkAdd(result.evaluations);
    const finished: Run = {
      ...run,
      status: 'completed',
      startedAt: run.createdAt,
      completedAt: run.createdAt + result.durationMs,
      durationMs: result.durationMs,
      candidateCount: result.candidates.length,
      scenarioCount: result.scenarios.length,
      evaluationCount: result.evaluations.length,
      metrics: result.metrics,
    };
    await db.runs.put(finished);
    await postRunSummaryInTransaction(finished, result.candidates);
    return finished;
  });
}

async function startRunFrom(chat: ChatSession, spec: SpecContent): Promise<Run> {
  return createRun({
    projectId: chat.projectId,
    chatSessionId: chat.id,
    mode: 'full_search',
    config: { numCandidates: 4, numScenarios: 2, seed: 7 },
    specSnapshot: spec,
  });
}

function summariesIn(messages: Message[]) {
  return messages.flatMap((message) => {
    const meta = readRunSummaryMeta(message.meta);
    return meta ? [meta] : [];
  });
}

async function effectiveSpecOf(chatId: string): Promise<SpecContent> {
  const chat = (await getChat(chatId))!;
  const base = (await db.specs.get(chat.projectId))!;
  return whatIfSpec(base, chat.mode === 'whatif' ? chat.specChanges : null);
}

describe('setup chat → run → analysis chat → what-if chat → another run', () => {
  test('every link holds, runs filter by chat, summaries land in their origin chats, Discuss never duplicates', async () => {
    const { project, chat: setup } = await createProject({ title: 'Notes app' });
    await db.specs.update(project.id, handExampleSpec());

    // Setup chat → run 1.
    const run1 = await executeRun(await startRunFrom(setup, await effectiveSpecOf(setup.id)));
    expect(run1.chatSessionId).toBe(setup.id);

    // Run 1 → analysis chat (Discuss in chat).
    const first = await discussRun(run1.id);
    expect(first.created).toBe(true);
    const analysis = first.chat;
    expect(analysis).toMatchObject({
      title: `Analysis: Run ${run1.id.replace(/-/g, '').slice(0, 8)}`,
      mode: 'analysis',
      runId: run1.id,
      parentChatId: setup.id,
      candidateId: null,
    });
    const seeded = await listMessages(analysis.id);
    expect(summariesIn(seeded).map((meta) => meta.runId)).toEqual([run1.id]);
    expect(analysis.messageCount).toBe(seeded.length);

    // A second Discuss returns the same chat; only an explicit "start another" makes a new one.
    const again = await discussRun(run1.id);
    expect(again).toMatchObject({ created: false, chat: { id: analysis.id } });
    expect(await findAnalysisChatsForRun(run1.id)).toHaveLength(1);
    const [clickA, clickB] = await Promise.all([discussRun(run1.id), discussRun(run1.id)]);
    expect([clickA.chat.id, clickB.chat.id]).toEqual([analysis.id, analysis.id]);
    expect(await findAnalysisChatsForRun(run1.id)).toHaveLength(1);

    // Analysis chat → what-if chat from the top candidate.
    const data = await loadRunData(run1.id);
    const top = data.candidates[0]!;
    const whatIf = await whatIfFromCandidate(top.id, { fromChatId: analysis.id });
    expect(whatIf).toMatchObject({ mode: 'whatif', candidateId: top.id, runId: run1.id, parentChatId: analysis.id });
    // The branch starts from the run's spec, stored as changes over the project spec (here the same, so none).
    expect(await effectiveSpecOf(whatIf.id)).toEqual(toSpecContent(run1.specSnapshot));
    expect(whatIf.specChanges).toEqual([]);
    await applySpecEdit(whatIf.id, { ops: [{ op: 'updateConstraint', constraintId: 'offline', weight: 40 }] });

    // What-if chat → run 2. A newer chat appears while it runs; the summary must still go to the what-if chat.
    const pending = await startRunFrom(whatIf, await effectiveSpecOf(whatIf.id));
    expect(pending.specSnapshot.constraints.find((c) => c.id === 'offline')!.weight).toBe(40);
    const newest = await createChat({ projectId: project.id, mode: 'setup', title: 'Newest chat' });
    const run2 = await executeRun(pending);
    expect(newest.createdAt).toBeGreaterThan(whatIf.createdAt);

    // Links.
    expect((await getChat(analysis.id))!.runId).toBe(run1.id);
    expect((await db.runs.get(run2.id))!.chatSessionId).toBe(whatIf.id);
    expect((await getChat(whatIf.id))!.parentChatId).toBe(analysis.id);
    expect((await getChat(analysis.id))!.parentChatId).toBe(setup.id);

    // Filtering runs by chat returns exactly the right runs.
    const ids = async (chatSessionId?: string | null) =>
      (await listRuns({ projectId: project.id, chatSessionId })).runs.map((run) => run.id);
    expect(await ids(setup.id)).toEqual([run1.id]);
    expect(await ids(whatIf.id)).toEqual([run2.id]);
    expect(await ids(analysis.id)).toEqual([]);
    expect(await ids(newest.id)).toEqual([]);
    expect(await ids()).toEqual([run2.id, run1.id]);

    // Each summary landed in its origin chat, and nowhere else.
    expect(summariesIn(await listMessages(setup.id)).map((meta) => meta.runId)).toEqual([run1.id]);
    expect(summariesIn(await listMessages(whatIf.id)).map((meta) => meta.runId)).toEqual([run2.id]);
    expect(summariesIn(await listMessages(newest.id))).toEqual([]);
    expect(summariesIn(await listMessages(analysis.id)).map((meta) => meta.runId)).toEqual([run1.id]); // the seed only
    const run2Summary = summariesIn(await listMessages(whatIf.id))[0]!;
    expect(run2Summary.summary).toMatchObject({
      status: 'completed',
      mode: 'full_search',
      counts: { candidates: 4, scenarios: 2, evaluations: 8 },
    });
    expect(run2Summary.summary.top).toHaveLength(3);

    // Analysis of run 2 branches from the what-if chat it came from.
    const analysis2 = await discussRun(run2.id);
    expect(analysis2.chat).toMatchObject({ runId: run2.id, parentChatId: whatIf.id });
    expect(await findAnalysisChatsForRun(run1.id)).toHaveLength(1);
  });

  test('"start another" is explicit and numbered', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await db.specs.update(project.id, handExampleSpec());
    const run = await executeRun(await startRunFrom(chat, handExampleSpec()));
    const one = await discussRun(run.id);
    const two = await discussRun(run.id, { another: true });
    expect(two.created).toBe(true);
    expect(two.chat.id).not.toBe(one.chat.id);
    expect(two.chat.title).toMatch(/^Analysis: Run [0-9a-f]{8} \(2\)$/);
    expect(await findAnalysisChatsForRun(run.id)).toHaveLength(2);
    expect((await discussRun(run.id)).chat.id).toBe(two.chat.id);
  });

  test('Discuss candidate: an analysis chat about one candidate, found again on the second click', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await db.specs.update(project.id, handExampleSpec());
    const run = await executeRun(await startRunFrom(chat, handExampleSpec()));
    const { candidates } = await loadRunData(run.id);
    const second = candidates[1]!;
    const discussed = await discussCandidate(second.id);
    expect(discussed.chat).toMatchObject({
      mode: 'analysis',
      candidateId: second.id,
      runId: run.id,
      parentChatId: chat.id,
      title: `Analysis: ${second.label}`,
    });
    const [seed] = await listMessages(discussed.chat.id);
    expect(seed!.content).toContain(`#2 ${second.label}`);
    expect((await discussCandidate(second.id)).created).toBe(false);
    // A candidate chat is not offered as "the" analysis chat of the whole run.
    expect(await findAnalysisChatsForRun(run.id)).toHaveLength(0);
  });

  test('"Open as what-if chat" from an analysis preview starts from the run snapshot with the changed weight', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await db.specs.update(project.id, handExampleSpec());
    const run = await executeRun(await startRunFrom(chat, handExampleSpec()));
    const { chat: analysis } = await discussRun(run.id);
    const reply = await respondAnalysis({ data: await loadRunData(run.id), userText: 'what if Offline-first weight 40' });
    const { spec } = withWeights(
      run.specSnapshot,
      reply.whatIf!.changes.map((c) => ({ constraintId: c.constraintId, weight: c.to })),
    );
    const branch = await openWhatIfFromAnalysis({
      analysisChatId: analysis.id,
      runId: run.id,
      title: 'What-if: Offline-first 40',
      startFromSpec: spec,
      intro: 'From the preview.',
    });
    expect(branch).toMatchObject({ mode: 'whatif', runId: run.id, parentChatId: analysis.id, messageCount: 1 });
    expect((await effectiveSpecOf(branch.id)).constraints.find((c) => c.id === 'offline')!.weight).toBe(40);
    expect(branch.specChanges.map((change) => change.key)).toEqual(['constraint:offline']);
    // The project spec is untouched.
    expect((await db.specs.get(project.id))!.constraints.find((c) => c.id === 'offline')!.weight).toBe(100);
  });

  test('no summary for runs without a chat or whose chat was deleted', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const other = await createChat({ projectId: project.id, mode: 'setup', title: 'Other' });
    const orphan = await createRun({
      projectId: project.id,
      chatSessionId: null,
      mode: 'full_search',
      config: { numCandidates: 2, numScenarios: 1, seed: 1 },
      specSnapshot: handExampleSpec(),
    });
    expect(await postRunSummary(orphan.id)).toBeNull();
    const doomed = await startRunFrom(other, handExampleSpec());
    await deleteChat(other.id);
    expect(await postRunSummary(doomed.id)).toBeNull();
    expect(await db.messages.count()).toBe(0);
    // A run whose chat exists gets exactly one message there.
    const live = await startRunFrom(chat, handExampleSpec());
    const message = await postRunSummary(live.id);
    expect(message!.chatSessionId).toBe(chat.id);
    expect((await getChat(chat.id))!.messageCount).toBe(1);
  });

  test('a run interrupted by a closed tab reports in its origin chat at start-up', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const other = await createChat({ projectId: project.id, mode: 'whatif', title: 'Newer chat' });
    const run = await startRunFrom(chat, handExampleSpec());
    await updateRun(run.id, { status: 'running', startedAt: run.createdAt });
    await markInterruptedRuns();
    const summaries = summariesIn(await listMessages(chat.id));
    expect(summaries.map((meta) => [meta.runId, meta.summary.status])).toEqual([[run.id, 'interrupted']]);
    expect(summaries[0]!.summary.error).toMatch(/interrupted/);
    expect(summariesIn(await listMessages(other.id))).toEqual([]);
    // Settling again posts nothing more.
    await markInterruptedRuns();
    expect(summariesIn(await listMessages(chat.id))).toHaveLength(1);
  });
});
