import { beforeEach, describe, expect, test, vi } from 'vitest';
import {
  appendMessage,
  appendMessages,
  createChat,
  createProject,
  createRun,
  db,
  deleteChat,
  deleteProject,
  findAnalysisChatsForRun,
  getProject,
  listChats,
  listMessages,
  listRuns,
  markInterruptedRuns,
  mostRecentChat,
  renameChat,
  setChatArchived,
  StorageFullError,
  updateRun,
} from '../../src/db';
import { emptySpecContent, type RunMode, type RunStatus } from '../../src/domain';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

const config = { numCandidates: 5, numScenarios: 3, seed: 1 };

async function run(projectId: string, chatSessionId: string | null, mode: RunMode = 'full_search', status?: RunStatus) {
  const created = await createRun({ projectId, chatSessionId, mode, config, specSnapshot: emptySpecContent() });
  if (status) await updateRun(created.id, { status });
  return created;
}

describe('projects', () => {
  test('a new project starts with its spec, world model and a Setup chat, counted', async () => {
    const { project, chat } = await createProject({ title: 'Storage choice', description: 'offline' });
    expect(chat).toMatchObject({ title: 'Setup', mode: 'setup', messageCount: 0 });
    expect(await db.specs.get(project.id)).toMatchObject({ goals: [], constraints: [] });
    expect(await db.worldModels.get(project.id)).toBeDefined();
    expect((await getProject(project.id))?.chatCount).toBe(1);
  });

  test('an empty title is refused and nothing is written', async () => {
    await expect(createProject({ title: '   ' })).rejects.toThrow(/title/);
    expect(await db.projects.count()).toBe(0);
    expect(await db.chatSessions.count()).toBe(0);
  });

  test('deleting a project removes everything it owns and nothing else', async () => {
    const keep = await createProject({ title: 'Keep' });
    const gone = await createProject({ title: 'Gone' });
    await appendMessage(gone.chat.id, { role: 'user', content: 'hello' });
    await run(gone.project.id, gone.chat.id);
    await run(keep.project.id, keep.chat.id);
    await deleteProject(gone.project.id);
    expect(await db.projects.count()).toBe(1);
    expect(await db.messages.count()).toBe(0);
    expect(await db.runs.where('projectId').equals(keep.project.id).count()).toBe(1);
    expect(await db.runs.where('projectId').equals(gone.project.id).count()).toBe(0);
    expect(await db.specs.get(gone.project.id)).toBeUndefined();
  });
});

describe('chats and messages', () => {
  test('appending messages bumps the chat counters and reorders the switcher', async () => {
    const { project, chat: setup } = await createProject({ title: 'P' });
    const whatIf = await createChat({ projectId: project.id, mode: 'whatif' });
    const whatIf2 = await createChat({ projectId: project.id, mode: 'whatif', title: '  ' });
    expect([whatIf.title, whatIf2.title]).toEqual(['What-if', 'What-if 2']);

    await appendMessages(setup.id, [
      { role: 'user', content: 'first' },
      { role: 'agent', content: 'reply' },
    ]);
    const chats = await listChats(project.id);
    expect(chats.map((chat) => chat.id)).toEqual([setup.id, whatIf2.id, whatIf.id]);
    expect(chats[0]).toMatchObject({ messageCount: 2 });
    expect((await listMessages(setup.id)).map((m) => m.content)).toEqual(['first', 'reply']);
    expect((await getProject(project.id))?.chatCount).toBe(3);
    expect((await mostRecentChat(project.id))?.id).toBe(setup.id);
  });

  test('a full disk fails the whole write: no message and no counter change', async () => {
    const { chat } = await createProject({ title: 'P' });
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const spy = vi.spyOn(db.messages, 'bulkAdd').mockRejectedValueOnce(quota);
    await expect(appendMessage(chat.id, { role: 'user', content: 'lost?' })).rejects.toBeInstanceOf(StorageFullError);
    spy.mockRestore();
    expect(await db.messages.count()).toBe(0);
    expect((await db.chatSessions.get(chat.id))?.messageCount).toBe(0);
  });

  test('renaming refuses an empty title; archiving hides the chat unless asked', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await expect(renameChat(chat.id, '  ')).rejects.toThrow(/title must not be empty/);
    expect((await db.chatSessions.get(chat.id))?.title).toBe('Setup');
    await renameChat(chat.id, 'Requirements');
    await setChatArchived(chat.id, true);
    expect(await listChats(project.id)).toHaveLength(0);
    expect((await listChats(project.id, { includeArchived: true }))[0]?.title).toBe('Requirements');
  });

  test('deleting a chat deletes its messages but keeps its runs, marked as from a deleted chat', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const child = await createChat({ projectId: project.id, mode: 'whatif', parentChatId: chat.id });
    await appendMessage(chat.id, { role: 'user', content: 'x' });
    const kept = await run(project.id, chat.id);
    await deleteChat(chat.id);
    expect(await db.messages.count()).toBe(0);
    expect(await db.runs.get(kept.id)).toMatchObject({ chatSessionId: null, originChatDeleted: true });
    expect((await db.chatSessions.get(child.id))?.parentChatId).toBeNull();
    expect((await getProject(project.id))?.chatCount).toBe(1);
    expect((await getProject(project.id))?.runCount).toBe(1);
  });

  test('seed messages arrive with the chat, counted, in one write', async () => {
    const { project } = await createProject({ title: 'P' });
    const target = await run(project.id, null);
    const analysis = await createChat({
      projectId: project.id,
      mode: 'analysis',
      runId: target.id,
      seedMessages: [{ role: 'agent', content: 'Run context', meta: { kind: 'run-context', runId: target.id } }],
    });
    expect(analysis.messageCount).toBe(1);
    expect((await listMessages(analysis.id))[0]?.meta).toEqual({ kind: 'run-context', runId: target.id });
    // A seed whose meta does not match its kind's schema is refused, and the chat with it.
    await expect(
      createChat({
        projectId: project.id,
        mode: 'analysis',
        runId: target.id,
        seedMessages: [{ role: 'agent', content: 'Run summary', meta: { kind: 'runSummary', runId: target.id } }],
      }),
    ).rejects.toThrow(/summary/);
    expect((await findAnalysisChatsForRun(target.id)).map((chat) => chat.id)).toEqual([analysis.id]);
  });
});

describe('run queries', () => {
  test('filtering by chat returns exactly that chat’s runs, newest first, via the index', async () => {
    const { project, chat: a } = await createProject({ title: 'P' });
    const b = await createChat({ projectId: project.id, mode: 'whatif' });
    const other = await createProject({ title: 'Other' });
    const inA = [await run(project.id, a.id), await run(project.id, a.id), await run(project.id, a.id)];
    const inB = [await run(project.id, b.id)];
    const legacy = await run(project.id, null);
    await run(other.project.id, other.chat.id);

    const indexSpy = vi.spyOn(db.runs, 'where');
    const pageA = await listRuns({ projectId: project.id, chatSessionId: a.id });
    expect(indexSpy).toHaveBeenCalledWith('[chatSessionId+createdAt]');
    indexSpy.mockRestore();
    expect(pageA.runs.map((r) => r.id)).toEqual(inA.map((r) => r.id).reverse());
    expect((await listRuns({ projectId: project.id, chatSessionId: b.id })).runs.map((r) => r.id)).toEqual(inB.map((r) => r.id));
    expect((await listRuns({ projectId: project.id, chatSessionId: null })).runs.map((r) => r.id)).toEqual([legacy.id]);
    expect((await listRuns({ projectId: project.id })).runs).toHaveLength(5);
    expect((await getProject(project.id))?.runCount).toBe(5);
  });

  test('status and mode filters narrow the list', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    await run(project.id, chat.id, 'full_search', 'completed');
    const failedSeeded = await run(project.id, chat.id, 'seeded', 'failed');
    await run(project.id, chat.id, 'seeded', 'completed');
    const page = await listRuns({ projectId: project.id, chatSessionId: chat.id, status: 'failed', mode: 'seeded' });
    expect(page.runs.map((r) => r.id)).toEqual([failedSeeded.id]);
    const indexSpy = vi.spyOn(db.runs, 'where');
    expect((await listRuns({ projectId: project.id, status: 'completed' })).runs).toHaveLength(2);
    expect(indexSpy).toHaveBeenCalledWith('[projectId+status+createdAt]');
    indexSpy.mockRestore();
    expect((await listRuns({ projectId: project.id, mode: 'seeded' })).runs).toHaveLength(2);
  });

  test('paging is stable and complete, even when runs share a timestamp', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const created = [];
    for (let i = 0; i < 23; i++) created.push(await run(project.id, chat.id));
    // Force ties: five runs with the same createdAt.
    for (const r of created.slice(5, 10)) await db.runs.update(r.id, { createdAt: created[5]!.createdAt });

    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const page = await listRuns({ projectId: project.id, chatSessionId: chat.id, offset, limit: 7 });
      seen.push(...page.runs.map((r) => r.id));
      offset += page.runs.length;
      if (!page.hasMore) break;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const again = await listRuns({ projectId: project.id, chatSessionId: chat.id, offset: 0, limit: 23 });
    expect(again.runs.map((r) => r.id)).toEqual(seen);
    const createdAts = again.runs.map((r) => r.createdAt);
    expect([...createdAts].sort((x, y) => y - x)).toEqual(createdAts);
  });

  test('runs left running by a closed tab become interrupted with their partial results removed', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const stuck = await run(project.id, chat.id);
    await updateRun(stuck.id, { status: 'running', startedAt: Date.now() - 1000 });
    await db.candidates.add({ id: 'partial', runId: stuck.id, projectId: project.id } as never);
    const done = await run(project.id, chat.id, 'full_search', 'completed');
    const settled = await markInterruptedRuns();
    expect(settled.map((r) => r.id)).toEqual([stuck.id]);
    expect(await db.runs.get(stuck.id)).toMatchObject({ status: 'interrupted' });
    expect((await db.runs.get(stuck.id))?.error).toMatch(/interrupted/);
    expect(await db.candidates.where('runId').equals(stuck.id).count()).toBe(0);
    expect((await db.runs.get(done.id))?.status).toBe('completed');
  });
});
