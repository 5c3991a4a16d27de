import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  commitImport,
  db,
  deleteProject,
  exportAllProjects,
  exportProject,
  importFile,
  listChats,
  prepareImport,
  type PreparedImport,
} from '../../src/db';
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  INTERRUPTED_ON_IMPORT_ERROR,
  type ImportResult,
} from '../../src/domain';
import { buildRichProject, clearDatabase, databaseSnapshot, tableCounts } from './transferTestData';
import { canonicalExport, recordIds } from '../support/canonicalExport';
import { importErrorSentence } from '../../src/shared/errorText';

type Json = Record<string, unknown>;

function unwrap<T>(result: ImportResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${importErrorSentence(result.error)}`);
  return result.value;
}

const canonical = canonicalExport;

beforeEach(clearDatabase);
afterEach(() => vi.restoreAllMocks());

describe('export', () => {
  it('writes the envelope and every entity of the project, never settings', async () => {
    const rich = await buildRichProject();
    await db.settings.put({ key: 'openai.apiKey', value: 'sk-very-secret-key' });
    const exported = await exportProject(rich.projectId, { now: 1_700_000_000_000 });
    expect(exported.fileName).toBe('Offline-first sync architecture.crucible.json');
    expect(await exported.blob.text()).not.toContain('sk-very-secret-key');
    expect(await exported.blob.text()).not.toContain('openai.apiKey');
    const file = JSON.parse(await exported.blob.text()) as Json;
    expect(file).toMatchObject({
      format: EXPORT_FORMAT,
      formatVersion: CURRENT_FORMAT_VERSION,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      exportedAt: 1_700_000_000_000,
      scope: 'project',
    });
    expect(typeof file.appVersion).toBe('string');
    const data = file.data as Json;
    expect(Object.keys(data).sort()).toEqual([
      'candidates',
      'chats',
      'evaluations',
      'messages',
      'project',
      'runs',
      'scenarios',
      'spec',
      'worldModel',
    ]);
    const counts = await tableCounts();
    expect((data.chats as unknown[]).length).toBe(counts.chatSessions);
    expect((data.messages as unknown[]).length).toBe(counts.messages);
    expect((data.runs as unknown[]).length).toBe(counts.runs);
    expect((data.candidates as unknown[]).length).toBe(counts.candidates);
    expect((data.scenarios as unknown[]).length).toBe(counts.scenarios);
    expect((data.evaluations as unknown[]).length).toBe(counts.evaluations);
  });

  it('records lastExportedAt on the project without counting as an edit', async () => {
    const rich = await buildRichProject();
    const before = await db.projects.get(rich.projectId);
    expect(before?.lastExportedAt).toBeNull();
    await exportProject(rich.projectId, { now: before!.updatedAt + 5 });
    const after = await db.projects.get(rich.projectId);
    expect(after?.lastExportedAt).toBe(before!.updatedAt + 5);
    expect(after?.updatedAt).toBe(before!.updatedAt);
  });

  it('still gives the file when the disk is too full to record the export time', async () => {
    const rich = await buildRichProject();
    vi.spyOn(db.projects, 'where').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const exported = await exportProject(rich.projectId);
    expect(exported.recorded).toBe(false);
    expect(JSON.parse(await exported.blob.text()).data.project.id).toBe(rich.projectId);
    vi.restoreAllMocks();
    expect((await db.projects.get(rich.projectId))!.lastExportedAt).toBeNull();
  });

  it('reports progress up to completion', async () => {
    const rich = await buildRichProject();
    const progress: { phase: string; done: number; total: number }[] = [];
    await exportProject(rich.projectId, { onProgress: (p) => progress.push(p) });
    const last = progress.at(-1)!;
    expect(last.phase).toBe('serialising');
    expect(last.done).toBe(last.total);
    expect(progress.some((p) => p.phase === 'reading')).toBe(true);
  });

  it('exports all projects as one backup that imports as that many new projects', async () => {
    await buildRichProject('First');
    await buildRichProject('Second');
    const backup = await exportAllProjects({ now: Date.UTC(2026, 0, 2) });
    expect(backup.fileName).toBe('Int Crucible backup 2026-01-02.crucible.json');
    expect((await db.projects.toArray()).every((p) => p.lastExportedAt === Date.UTC(2026, 0, 2))).toBe(true);
    const prepared = unwrap(await prepareImport(backup.blob));
    expect(prepared.info.scope).toBe('backup');
    expect(prepared.projects.map((p) => p.preview.title).sort()).toEqual(['First', 'Second']);
    unwrap(await commitImport(prepared));
    const titles = (await db.projects.toArray()).map((p) => p.title).sort();
    expect(titles).toEqual(['First', 'First', 'Second', 'Second']);
  });
});

describe('round trip', () => {
  it('export → import → export gives identical content except ids and timestamps', async () => {
    const rich = await buildRichProject();
    const first = await exportProject(rich.projectId);
    const [imported] = unwrap(await importFile(first.blob));
    const second = await exportProject(imported!.projectId);

    // The only intended change: runs that were still in progress come back interrupted, without partial results.
    let unfinished = 0;
    const expected = canonical(await first.blob.text(), (data) => {
      const ids = new Set<string>();
      for (const run of data.runs as Json[]) {
        if (run.status !== 'running' && run.status !== 'created') continue;
        ids.add(run.id as string);
        Object.assign(run, {
          status: 'interrupted',
          completedAt: run.completedAt ?? run.startedAt ?? run.createdAt,
          durationMs: null,
          candidateCount: 0,
          scenarioCount: 0,
          evaluationCount: 0,
          metrics: { ...(run.metrics as Json), bestI: null },
          error: INTERRUPTED_ON_IMPORT_ERROR,
        });
      }
      unfinished = ids.size;
      for (const key of ['candidates', 'scenarios', 'evaluations'])
        data[key] = (data[key] as Json[]).filter((row) => !ids.has(row.runId as string));
    });
    expect(unfinished).toBe(2);
    const secondCanonical = canonical(await second.blob.text());
    expect(secondCanonical).toEqual(expected);

    // And a second round trip is exactly identical (nothing left to normalise).
    const [again] = unwrap(await importFile(second.blob));
    const third = await exportProject(again!.projectId);
    expect(canonical(await third.blob.text())).toEqual(secondCanonical);
  });

  it('keeps every mode of chat and run, lineage and what-if changes', async () => {
    const rich = await buildRichProject();
    const exported = await exportProject(rich.projectId);
    const [imported] = unwrap(await importFile(exported.blob));
    const chats = await db.chatSessions.where('projectId').equals(imported!.projectId).toArray();
    expect(new Set(chats.map((c) => c.mode))).toEqual(new Set(['setup', 'analysis', 'whatif']));
    expect(chats.filter((c) => c.specChanges.length).map((c) => c.specChanges.map((change) => change.key))).toEqual(
      expect.arrayContaining([['resolution'], ['constraint:k-cost']]),
    );
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    expect(new Set(runs.map((r) => r.mode))).toEqual(new Set(['full_search', 'seeded', 'eval_only']));
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['completed', 'failed', 'cancelled', 'interrupted']));
    const candidates = await db.candidates.where('projectId').equals(imported!.projectId).toArray();
    expect(candidates.filter((c) => c.parentIds.length > 0)).toHaveLength(3);
  });
});

describe('id remapping', () => {
  it('gives every record a fresh id and remaps every reference consistently', async () => {
    const rich = await buildRichProject();
    const exported = await exportProject(rich.projectId);
    const oldIds = new Set(recordIds(exported.file.data as unknown as Json));
    const [imported] = unwrap(await importFile(exported.blob));
    const pid = imported!.projectId;
    expect(oldIds.has(pid)).toBe(false);

    const [chats, messages, runs, candidates, scenarios, evaluations, spec] = await Promise.all([
      db.chatSessions.where('projectId').equals(pid).toArray(),
      db.messages.where('projectId').equals(pid).toArray(),
      db.runs.where('projectId').equals(pid).toArray(),
      db.candidates.where('projectId').equals(pid).toArray(),
      db.scenarios.where('projectId').equals(pid).toArray(),
      db.evaluations.where('projectId').equals(pid).toArray(),
      db.specs.get(pid),
    ]);
    for (const record of [...chats, ...messages, ...runs, ...candidates, ...scenarios, ...evaluations])
      expect(oldIds.has(record.id)).toBe(false);

    const chatIds = new Set(chats.map((c) => c.id));
    const runIds = new Set(runs.map((r) => r.id));
    const candidateIds = new Set(candidates.map((c) => c.id));
    const scenarioIds = new Set(scenarios.map((s) => s.id));
    for (const m of messages) expect(chatIds.has(m.chatSessionId)).toBe(true);
    for (const c of chats) {
      if (c.runId) expect(runIds.has(c.runId)).toBe(true);
      if (c.candidateId) expect(candidateIds.has(c.candidateId)).toBe(true);
      if (c.parentChatId) expect(chatIds.has(c.parentChatId)).toBe(true);
    }
    expect(chats.filter((c) => c.runId)).toHaveLength(2);
    expect(chats.filter((c) => c.candidateId)).toHaveLength(1);
    expect(chats.filter((c) => c.parentChatId)).toHaveLength(2);
    for (const r of runs) {
      if (r.chatSessionId) expect(chatIds.has(r.chatSessionId)).toBe(true);
      if (r.candidateId) expect(candidateIds.has(r.candidateId)).toBe(true);
      if (r.config.seedCandidateId) expect(candidateIds.has(r.config.seedCandidateId)).toBe(true);
      for (const entry of r.config.evalCandidates ?? [])
        if (entry.sourceCandidateId) expect(candidateIds.has(entry.sourceCandidateId)).toBe(true);
    }
    expect(runs.filter((r) => r.config.seedCandidateId)).toHaveLength(2);
    expect(runs.filter((r) => r.config.evalCandidates?.some((e) => e.sourceCandidateId))).toHaveLength(1);
    expect(runs.filter((r) => r.originChatDeleted && r.chatSessionId === null)).toHaveLength(1);
    for (const c of candidates) {
      expect(runIds.has(c.runId)).toBe(true);
      for (const parent of c.parentIds) expect(candidateIds.has(parent)).toBe(true);
    }
    for (const s of scenarios) expect(runIds.has(s.runId)).toBe(true);
    for (const e of evaluations) {
      expect(runIds.has(e.runId)).toBe(true);
      expect(candidateIds.has(e.candidateId)).toBe(true);
      expect(scenarioIds.has(e.scenarioId)).toBe(true);
    }
    for (const entry of spec!.provenance) if (entry.chatSessionId) expect(chatIds.has(entry.chatSessionId)).toBe(true);
    expect(spec!.provenance.filter((e) => e.chatSessionId)).toHaveLength(1);

    // Ids inside free-form message meta, at any depth and as keys.
    const summary = messages.find((m) => m.meta?.kind === 'run-summary')!.meta as Json;
    expect(runIds.has(summary.runId as string)).toBe(true);
    for (const id of summary.topCandidateIds as string[]) expect(candidateIds.has(id)).toBe(true);
    const byCandidate = (summary.nested as Json).byCandidate as Json;
    expect(Object.keys(byCandidate).every((key) => candidateIds.has(key))).toBe(true);
    // Ids quoted in text: the analysis chat's title and a reply name the new run and candidate.
    const fullRun = runs.find(
      (r) => r.mode === 'full_search' && r.status === 'completed' && r.chatSessionId === chats.find((c) => c.title === 'Setup')!.id,
    )!;
    const analysisChat = chats.find((c) => c.title.startsWith('Analysis: Run '))!;
    expect(analysisChat.title).toBe(`Analysis: Run ${fullRun.id.slice(0, 8)}`);
    const reply = messages.find((m) => m.content.startsWith('Highest I in Run'))!;
    expect(reply.content).toContain(`Run ${fullRun.id.slice(0, 8)}`);
    const quotedCandidate = /candidate ([0-9a-f-]{36})/.exec(reply.content)![1]!;
    expect(candidateIds.has(quotedCandidate)).toBe(true);
    const specUpdate = messages.find((m) => m.meta?.kind === 'spec-update')!.meta as Json;
    expect(chatIds.has(specUpdate.chatSessionId as string)).toBe(true);
    expect(specUpdate.touchedIds).toEqual(['k-offline']);
  });

  it('importing the same file twice gives two independent projects', async () => {
    const rich = await buildRichProject();
    const exported = await exportProject(rich.projectId);
    const prepared = unwrap(await prepareImport(exported.blob));
    const [a] = unwrap(await commitImport(prepared));
    const [b] = unwrap(await commitImport(prepared));
    expect(a!.projectId).not.toBe(b!.projectId);
    const idsOf = async (projectId: string) => {
      const rows = await Promise.all(
        [db.chatSessions, db.messages, db.runs, db.candidates].map((t) => t.where('projectId').equals(projectId).primaryKeys()),
      );
      return new Set(rows.flat().map(String));
    };
    const idsA = await idsOf(a!.projectId);
    const idsB = await idsOf(b!.projectId);
    expect([...idsA].filter((id) => idsB.has(id))).toEqual([]);

    await deleteProject(a!.projectId);
    expect((await idsOf(b!.projectId)).size).toBe(idsB.size);
    expect(await listChats(b!.projectId)).not.toHaveLength(0);
    // The original is untouched by either import.
    expect(await db.runs.where('projectId').equals(rich.projectId).count()).toBe(Object.keys(rich.runIds).length);
  });

  it('recomputes counters so the project list and chat switcher are right', async () => {
    const rich = await buildRichProject();
    const [imported] = unwrap(await importFile((await exportProject(rich.projectId)).blob));
    const project = await db.projects.get(imported!.projectId);
    const chats = await db.chatSessions.where('projectId').equals(imported!.projectId).toArray();
    expect(project!.chatCount).toBe(chats.length);
    expect(project!.runCount).toBe(await db.runs.where('projectId').equals(imported!.projectId).count());
    for (const chat of chats) {
      expect(chat.messageCount).toBe(await db.messages.where('chatSessionId').equals(chat.id).count());
    }
  });
});

describe('preview', () => {
  it('counts every entity and writes nothing', async () => {
    const rich = await buildRichProject();
    const exported = await exportProject(rich.projectId);
    const before = await databaseSnapshot();
    const prepared = unwrap(await prepareImport(exported.blob));
    expect(await databaseSnapshot()).toEqual(before);
    const pid = rich.projectId;
    const count = (table: 'chatSessions' | 'messages' | 'runs' | 'candidates' | 'scenarios' | 'evaluations') =>
      db[table].where('projectId').equals(pid).count();
    // The running run's partial result (1 candidate, 1 scenario, 1 evaluation) is left out, and says so.
    expect(prepared.totals).toEqual({
      projects: 1,
      chats: await count('chatSessions'),
      messages: await count('messages'),
      runs: await count('runs'),
      candidates: (await count('candidates')) - 1,
      scenarios: (await count('scenarios')) - 1,
      evaluations: (await count('evaluations')) - 1,
    });
    expect(prepared.totals).toMatchObject({ chats: 6, runs: 9, candidates: 8 });
    expect(prepared.warnings).toContain(
      '2 runs were still in progress when exported; they are imported as interrupted, without partial results.',
    );
  });

  it('warns about references to records that are not in the file', async () => {
    const rich = await buildRichProject();
    const file = JSON.parse(await (await exportProject(rich.projectId)).blob.text()) as Json;
    const data = file.data as Json;
    // Remove the setup chat: its messages and 3 of the runs now point nowhere.
    const setupRuns = (data.runs as Json[]).filter((r) => r.chatSessionId === rich.setupChatId && r.status !== 'running').length;
    data.chats = (data.chats as Json[]).filter((c) => c.id !== rich.setupChatId);
    const prepared = unwrap(await prepareImport(JSON.stringify(file)));
    expect(setupRuns).toBe(3);
    expect(prepared.warnings).toEqual(
      expect.arrayContaining([
        '4 runs reference a chat that is not in the file; they are kept in the run history as from a deleted chat.',
        '3 messages belong to a chat that is not in the file; they are left out.',
        '1 chat refers to a run, candidate or parent chat that is not in the file; that link is dropped.',
        '1 spec change comes from a chat that is not in the file; the change is kept without its chat.',
      ]),
    );
    const [imported] = unwrap(await commitImport(prepared));
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    expect(runs.filter((r) => r.chatSessionId === null && r.originChatDeleted)).toHaveLength(5);
  });
});

describe('import errors write nothing', () => {
  let before: Record<string, unknown[]>;
  beforeEach(async () => {
    await buildRichProject();
    before = await databaseSnapshot();
  });
  afterEach(async () => {
    expect(await databaseSnapshot()).toEqual(before);
  });

  async function expectError(source: string | Blob, kind: string, options = {}) {
    const result = await importFile(source, options);
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('unreachable');
    expect(result.error.code).toBe(kind);
    return { ...result.error, message: importErrorSentence(result.error) };
  }

  it('not a project file: invalid JSON', async () => {
    const error = await expectError('{"format": "int-crucible/project", oops', 'not-a-project-file');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/Nothing was imported/);
  });

  it('not a project file: other JSON', async () => {
    expect((await expectError('[1,2,3]', 'not-a-project-file')).message).toMatch(/expected a JSON object/);
    expect((await expectError('{"name":"package","version":"1.0.0"}', 'not-a-project-file')).message).toMatch(
      /"format" should be "int-crucible\/project"/,
    );
    expect(
      (
        await expectError(
          JSON.stringify({ format: EXPORT_FORMAT, formatVersion: 2, schemaVersion: 2, scope: 'project', data: {} }),
          'not-a-project-file',
        )
      ).message,
    ).toMatch(/has no project/);
    await expectError(JSON.stringify({ format: EXPORT_FORMAT, formatVersion: 'two', schemaVersion: 2 }), 'not-a-project-file');
  });

  it('newer version: format or schema', async () => {
    const base = JSON.parse(await (await exportProject((await db.projects.toCollection().first())!.id)).blob.text()) as Json;
    before = await databaseSnapshot(); // the export itself records lastExportedAt
    const newerFormat = await expectError(JSON.stringify({ ...base, formatVersion: CURRENT_FORMAT_VERSION + 1 }), 'newer-version');
    expect(newerFormat.message).toContain(`format version ${CURRENT_FORMAT_VERSION + 1}`);
    expect(newerFormat.message).toMatch(/newer version of Int Crucible/);
    expect(newerFormat.message).toContain(`reads up to format version ${CURRENT_FORMAT_VERSION}`);
    const newerSchema = await expectError(JSON.stringify({ ...base, schemaVersion: CURRENT_SCHEMA_VERSION + 1 }), 'newer-version');
    expect(newerSchema.message).toContain(`schema version ${CURRENT_SCHEMA_VERSION + 1}`);
  });

  it('invalid records: errors name the record and the field', async () => {
    const base = JSON.parse(await (await exportProject((await db.projects.toCollection().first())!.id)).blob.text()) as Json;
    before = await databaseSnapshot();
    const data = base.data as Json;
    const runs = data.runs as Json[];
    (runs[1]!.config as Json).numCandidates = 0;
    const chats = data.chats as Json[];
    chats[2]!.mode = 'brainstorm';
    const error = await expectError(JSON.stringify(base), 'invalid-records');
    if (error.code !== 'invalid-records') throw new Error('unreachable');
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          record: 'runs[1]',
          recordId: runs[1]!.id,
          field: 'config.numCandidates',
          message: 'numCandidates must be from 1 to 50.',
        }),
        expect.objectContaining({ record: 'chats[2]', recordId: chats[2]!.id, field: 'mode' }),
      ]),
    );
    expect(error.totalProblems).toBe(2);
    expect(error.message).toContain('field "');
    expect(error.message).toMatch(/and 1 more problem/);
  });

  it('invalid records: duplicate ids', async () => {
    const base = JSON.parse(await (await exportProject((await db.projects.toCollection().first())!.id)).blob.text()) as Json;
    before = await databaseSnapshot();
    const data = base.data as Json;
    const messages = data.messages as Json[];
    messages[1]!.id = messages[0]!.id;
    const error = await expectError(JSON.stringify(base), 'invalid-records');
    expect(error.message).toMatch(/messages\[1\].*field "id": the same id appears twice/);
  });

  it('file too large: says the limit and never reads the file', async () => {
    const huge = { size: 150 * 1024 * 1024, text: vi.fn(async () => '{}') } as unknown as Blob;
    const error = await expectError(huge, 'too-large');
    expect(error.message).toContain('150.0 MB');
    expect(error.message).toContain('100.0 MB');
    expect((huge as unknown as { text: ReturnType<typeof vi.fn> }).text).not.toHaveBeenCalled();
    const small = await expectError('x'.repeat(2048), 'too-large', { maxBytes: 1024 });
    expect(small.message).toContain('1.0 KB');
  });

  it('storage full: the whole import rolls back and says why', async () => {
    const base = await (await exportProject((await db.projects.toCollection().first())!.id)).blob.text();
    before = await databaseSnapshot();
    const prepared: PreparedImport = unwrap(await prepareImport(base));
    // Fails late, after projects, chats, runs and candidates were already added in the transaction.
    vi.spyOn(db.evaluations, 'bulkAdd').mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const result = await commitImport(prepared);
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('unreachable');
    expect(result.error.code).toBe('storage-full');
    expect(importErrorSentence(result.error)).toMatch(/nothing was imported/i);
  });
});

describe('keys such as __proto__ do no harm', () => {
  it('strips them at every depth, imports the rest and pollutes nothing', async () => {
    const rich = await buildRichProject();
    const content = await (await exportProject(rich.projectId)).blob.text();
    // Hand-write the keys: JSON.stringify of an object would never emit an own __proto__.
    const hostile = content
      .replace('"data":{', '"data":{"__proto__":{"polluted":"data"},"constructor":{"prototype":{"polluted":"ctor"}},')
      .replace('"kind":"run-summary"', '"kind":"run-summary","__proto__":{"polluted":"meta"}')
      .replace('"ratings":{', '"ratings":{"__proto__":{"polluted":"ratings"},');
    expect(hostile.match(/__proto__/g)).toHaveLength(3);
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const prepared = unwrap(await prepareImport(hostile));
    expect(prepared.warnings).toContain('5 unsafe key(s) such as "__proto__" or "constructor" were ignored.');
    const [imported] = unwrap(await commitImport(prepared));
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    const message = (await db.messages.where('projectId').equals(imported!.projectId).toArray()).find(
      (m) => m.meta?.kind === 'run-summary',
    )!;
    expect(Object.getPrototypeOf(message.meta)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(message.meta, '__proto__')).toBe(false);
    const spec = await db.specs.get(imported!.projectId);
    const ratings = spec!.designSpace.dimensions[0]!.options[0]!.ratings;
    expect(Object.getPrototypeOf(ratings)).toBe(Object.prototype);
    expect((ratings as Json).polluted).toBeUndefined();
  });
});
