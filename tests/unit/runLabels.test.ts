/**
 * A run's name, tags and notes: the bounds (each refusal has a code and a
 * sentence, never a validation dump), the write (one transaction with the
 * project's activity time), the tag filter of the history, the baseline pin
 * on the project, and the importer's handling of a pin the file cannot honour.
 */
import { errorSentence } from '../../src/shared/errorSentence';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import {
  changeRunTags,
  createProject,
  createRun,
  db,
  getProject,
  getPinnedBaseline,
  listRuns,
  listRunTags,
  pinBaseline,
  updateRun,
  updateRunLabels,
} from '../../src/db';
import {
  checkRunLabelEdit,
  emptySpecContent,
  resolveProjectData,
  runSchema,
  RunLabelError,
  RUN_NAME_MAX,
  RUN_NOTES_MAX,
  RUN_TAGS_MAX,
  withFreshIds,
  type ProjectExportData,
  type RunLabelEdit,
  type RunLabelErrorCode,
} from '../../src/domain';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

const config = { numCandidates: 5, numScenarios: 3, seed: 1 };
const newRun = (projectId: string, chatSessionId: string | null = null) =>
  createRun({ projectId, chatSessionId, mode: 'full_search', config, specSnapshot: emptySpecContent() });

describe('checkRunLabelEdit', () => {
  test('trims the name, normalises tags and drops a tag the run already carries in another case', () => {
    const checked = checkRunLabelEdit({ name: '  LFP pack  ', tags: [' low  cost ', 'LFP', 'Low Cost', 'lfp'], notes: ' kept as typed ' });
    expect(checked).toEqual({ ok: true, value: { name: 'LFP pack', tags: ['low cost', 'LFP'], notes: ' kept as typed ' } });
  });

  test.each([
    [
      { name: 'x'.repeat(RUN_NAME_MAX + 1) },
      'run-name-too-long',
      `A run name is at most ${RUN_NAME_MAX} characters; this one has ${RUN_NAME_MAX + 1}.`,
    ],
    [{ tags: ['   '] }, 'run-tag-empty', 'A tag needs at least one letter or digit.'],
    [{ tags: ['t'.repeat(41)] }, 'run-tag-too-long', 'A tag is at most 40 characters; "tttttttttttttttttttt…" has 41.'],
    [
      { tags: Array.from({ length: RUN_TAGS_MAX + 1 }, (_, i) => `tag ${i}`) },
      'run-tags-too-many',
      `A run has at most ${RUN_TAGS_MAX} tags; remove one before adding another.`,
    ],
    [{ notes: 'n'.repeat(RUN_NOTES_MAX + 1) }, 'run-notes-too-long', 'Notes are at most 10,000 characters; these have 10,001.'],
  ] as [RunLabelEdit, RunLabelErrorCode, string][])('refuses %j with code and sentence', (edit, code, message) => {
    const checked = checkRunLabelEdit(edit);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error).toBeInstanceOf(RunLabelError);
    expect(checked.error).toMatchObject({ layer: 'domain', code: 'run_label_invalid', details: { problem: code } });
    expect(errorSentence(checked.error)).toBe(message);
  });

  test('the boundaries themselves are accepted', () => {
    expect(
      checkRunLabelEdit({
        name: 'x'.repeat(RUN_NAME_MAX),
        tags: Array.from({ length: RUN_TAGS_MAX }, (_, i) => `${i}`.padEnd(40, 't')),
        notes: 'n'.repeat(RUN_NOTES_MAX),
      }).ok,
    ).toBe(true);
  });

  test('the record schema refuses what the editor refuses, in a sentence', () => {
    const base = { ...runFields(), name: '', tags: [], notes: '' };
    const issues = (value: object) => runSchema.safeParse({ ...base, ...value }).error?.issues.map((issue) => issue.message);
    expect(issues({ name: 'x'.repeat(121) })).toEqual(['a run name is at most 120 characters']);
    expect(issues({ tags: ['a', 'A'] })).toEqual(['a run carries each tag once']);
    expect(issues({ tags: ['two\nlines'] })).toEqual(['a tag is one line of text']);
  });
});

function runFields() {
  return {
    id: 'r1',
    projectId: 'p1',
    chatSessionId: null,
    candidateId: null,
    mode: 'full_search',
    config,
    specSnapshot: emptySpecContent(),
    status: 'completed',
    createdAt: 1,
    startedAt: 1,
    completedAt: 2,
    durationMs: 1,
    candidateCount: 0,
    scenarioCount: 0,
    evaluationCount: 0,
    metrics: { phaseTimingsMs: {}, bestI: null },
    error: null,
  };
}

describe('updateRunLabels', () => {
  test('writes the normalised labels and bumps the project’s activity time in one transaction', async () => {
    const { project } = await createProject({ title: 'P' });
    const run = await newRun(project.id);
    const before = (await getProject(project.id))!.updatedAt;
    const spy = vi.spyOn(db, 'transaction');
    const saved = await updateRunLabels(run.id, { name: ' First pass ', tags: ['baseline', 'Baseline'] });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(saved).toMatchObject({ name: 'First pass', tags: ['baseline'], notes: '' });
    expect(await db.runs.get(run.id)).toEqual(saved);
    expect((await getProject(project.id))!.updatedAt).toBeGreaterThan(before);
  });

  test('a refused edit changes nothing and throws the coded error', async () => {
    const { project } = await createProject({ title: 'P' });
    const run = await newRun(project.id);
    await updateRunLabels(run.id, { name: 'Kept' });
    await expect(updateRunLabels(run.id, { name: 'Changed', tags: ['x'.repeat(41)] })).rejects.toMatchObject({
      code: 'run_label_invalid',
      details: { problem: 'run-tag-too-long' },
    });
    expect((await db.runs.get(run.id))!.name).toBe('Kept');
  });
});

describe('changeRunTags', () => {
  test('applies to the stored tags, so two quick edits both land', async () => {
    const { project } = await createProject({ title: 'P' });
    const run = await newRun(project.id);
    await Promise.all([changeRunTags(run.id, { add: ['a'] }), changeRunTags(run.id, { add: ['b', 'A'] })]);
    expect((await db.runs.get(run.id))!.tags.sort()).toEqual(['a', 'b']);
    await changeRunTags(run.id, { remove: ['A'] });
    expect((await db.runs.get(run.id))!.tags).toEqual(['b']);
    const many = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await expect(changeRunTags(run.id, { add: many })).rejects.toMatchObject({
      code: 'run_label_invalid',
      details: { problem: 'run-tags-too-many' },
    });
    expect((await db.runs.get(run.id))!.tags).toEqual(['b']);
  });
});

describe('the tag filter', () => {
  test('lists exactly the project’s runs with the tag, newest first, paged, through the tags index', async () => {
    const { project, chat } = await createProject({ title: 'P' });
    const other = await createProject({ title: 'Other' });
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await newRun(project.id, chat.id));
    const elsewhere = await newRun(other.project.id);
    for (const run of [runs[0]!, runs[2]!, runs[4]!, elsewhere]) await updateRunLabels(run.id, { tags: ['keep'] });
    await updateRunLabels(runs[2]!.id, { tags: ['keep', 'lfp'] });
    await updateRun(runs[4]!.id, { status: 'failed' });

    const spy = vi.spyOn(db.runs, 'where');
    const page = await listRuns({ projectId: project.id, tag: 'keep' });
    expect(spy).toHaveBeenCalledWith('tags');
    spy.mockRestore();
    expect(page.runs.map((r) => r.id)).toEqual([runs[4]!.id, runs[2]!.id, runs[0]!.id]);
    expect(page.hasMore).toBe(false);

    const first = await listRuns({ projectId: project.id, tag: 'keep', limit: 2 });
    expect(first).toMatchObject({ hasMore: true });
    expect(first.runs.map((r) => r.id)).toEqual([runs[4]!.id, runs[2]!.id]);
    expect((await listRuns({ projectId: project.id, tag: 'keep', offset: 2, limit: 2 })).runs.map((r) => r.id)).toEqual([runs[0]!.id]);

    // Combined with the other filters.
    expect((await listRuns({ projectId: project.id, tag: 'keep', status: 'failed' })).runs.map((r) => r.id)).toEqual([runs[4]!.id]);
    expect((await listRuns({ projectId: project.id, tag: 'keep', chatSessionId: null })).runs).toEqual([]);
    expect((await listRuns({ projectId: project.id, tag: 'lfp', chatSessionId: chat.id })).runs.map((r) => r.id)).toEqual([runs[2]!.id]);
    expect((await listRuns({ projectId: project.id, tag: 'nothing' })).runs).toEqual([]);

    expect(await listRunTags(project.id)).toEqual([
      { tag: 'keep', count: 3 },
      { tag: 'lfp', count: 1 },
    ]);
    expect(await listRunTags(other.project.id)).toEqual([{ tag: 'keep', count: 1 }]);
  });
});

describe('the baseline pin', () => {
  test('lives on the project record; pinning another project’s run is refused', async () => {
    const { project } = await createProject({ title: 'P' });
    const other = await createProject({ title: 'Other' });
    const run = await newRun(project.id);
    const foreign = await newRun(other.project.id);
    await pinBaseline(project.id, run.id);
    expect(await getPinnedBaseline(project.id)).toBe(run.id);
    expect((await getProject(project.id))!.baselineRunId).toBe(run.id);
    await expect(pinBaseline(project.id, foreign.id)).rejects.toMatchObject({
      layer: 'db',
      code: 'not_found',
      details: { what: 'Run', id: foreign.id },
    });
    expect(await getPinnedBaseline(project.id)).toBe(run.id);
    await pinBaseline(project.id, null);
    expect(await getPinnedBaseline(project.id)).toBeNull();
    expect(await db.settings.count()).toBe(0);
  });

  test('the importer remaps the pin to the fresh run id, and drops a pin the file cannot honour with a warning', async () => {
    const { project } = await createProject({ title: 'P' });
    const run = await newRun(project.id);
    const unfinished = await newRun(project.id);
    await updateRun(run.id, { status: 'completed' });
    const data: ProjectExportData = {
      project: { ...(await getProject(project.id))!, baselineRunId: run.id },
      spec: null,
      worldModel: null,
      chats: [],
      messages: [],
      runs: [(await db.runs.get(run.id))!, (await db.runs.get(unfinished.id))!],
      candidates: [],
      scenarios: [],
      evaluations: [],
    };
    const resolved = resolveProjectData(data);
    expect(resolved.data.project.baselineRunId).toBe(run.id);
    let next = 0;
    const fresh = withFreshIds(resolved.data, { newId: () => `fresh-${next++}`, now: 5 });
    const freshRun = fresh.runs.find((r) => r.createdAt === run.createdAt)!;
    expect(freshRun.id).not.toBe(run.id);
    expect(fresh.project.baselineRunId).toBe(freshRun.id);

    const missing = resolveProjectData({ ...data, project: { ...data.project, baselineRunId: 'gone' } });
    expect(missing.data.project.baselineRunId).toBeNull();
    expect(missing.warnings).toContain('The pinned baseline run is not in the file; the project is imported without a baseline.');
    const inProgress = resolveProjectData({ ...data, project: { ...data.project, baselineRunId: unfinished.id } });
    expect(inProgress.data.project.baselineRunId).toBeNull();
    expect(inProgress.warnings).toContain(
      'The pinned baseline run was still in progress when exported; the project is imported without a baseline.',
    );
  });
});
