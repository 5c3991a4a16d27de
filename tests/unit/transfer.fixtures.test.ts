/**
 * Every export format ever released must import forever. The files in
 * tests/fixtures/ are frozen: never regenerate or edit them to make a test pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { commitImport, db, exportProject, listChats, prepareImport } from '../../src/db';
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  FORMAT_VERSIONS,
  rebaseWhatIf,
  whatIfSpec,
  type ImportResult,
} from '../../src/domain';
import { clearDatabase } from './transferTestData';
import { importErrorSentence } from '../../src/shared/errorText';

const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function unwrap<T>(result: ImportResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${importErrorSentence(result.error)}`);
  return result.value;
}

beforeEach(clearDatabase);

describe('export fixtures', () => {
  it('there is a fixture for every format version ever released', () => {
    const files = readdirSync(FIXTURES);
    expect(FORMAT_VERSIONS.map((v) => v.version)).toEqual(Array.from({ length: CURRENT_FORMAT_VERSION }, (_, i) => i + 1));
    for (const { version } of FORMAT_VERSIONS) expect(files).toContain(`export-format-v${version}.crucible.json`);
    for (const file of files.filter((f) => f.startsWith('export-format-v'))) {
      const parsed = JSON.parse(read(file)) as { formatVersion: number; schemaVersion: number };
      const declared = FORMAT_VERSIONS.find((v) => v.version === parsed.formatVersion);
      expect(declared, file).toBeDefined();
      expect(parsed.schemaVersion).toBe(declared!.schemaVersion);
    }
  });

  it('a schema change comes with a new format version (and so a new fixture)', () => {
    // If this fails: append a FORMAT_VERSIONS entry for the new schema version and commit a fixture
    // exported by the new code, so files with the previous record shapes stay covered forever.
    expect(FORMAT_VERSIONS.at(-1)!.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('format version 1 (single-chat schema) imports with chats and runs upgraded', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v1.crucible.json')));
    expect(prepared.info).toMatchObject({ formatVersion: 1, schemaVersion: 1, scope: 'project', appVersion: '0.0.9' });
    expect(prepared.totals).toEqual({ projects: 1, chats: 1, messages: 8, runs: 2, candidates: 3, scenarios: 2, evaluations: 6 });
    expect(prepared.warnings).toEqual([
      'The file comes from an older version of Int Crucible (format version 1, schema version 1); it is upgraded to the current format on import.',
    ]);

    const [imported] = unwrap(await commitImport(prepared));
    const project = await db.projects.get(imported!.projectId);
    expect(project).toMatchObject({ title: 'Message queue for order events', chatCount: 1, runCount: 2 });
    const [chat] = await listChats(imported!.projectId);
    expect(chat).toMatchObject({ title: 'Setup', mode: 'setup', messageCount: 8, archivedAt: null, runId: null, parentChatId: null });
    expect(imported!.chatId).toBe(chat!.id);
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    expect(runs.map((r) => r.chatSessionId)).toEqual([null, null]);
    expect(runs.find((r) => r.status === 'completed')!.metrics.bestI).toBe(1.74);
    const summary = (await db.messages.where('projectId').equals(imported!.projectId).toArray()).find(
      (m) => m.meta?.kind === 'run-summary',
    )!;
    expect(summary.meta!.runId).toBe(runs.find((r) => r.status === 'completed')!.id);
    const spec = await db.specs.get(imported!.projectId);
    expect(spec!.provenance.map((p) => p.chatSessionId)).toEqual([chat!.id, chat!.id]);
  });

  it('format version 1 re-exports as the current format and imports again unchanged in content', async () => {
    const [first] = unwrap(await commitImport(unwrap(await prepareImport(read('export-format-v1.crucible.json')))));
    const exported = await exportProject(first!.projectId);
    expect(exported.file).toMatchObject({ formatVersion: CURRENT_FORMAT_VERSION, schemaVersion: CURRENT_SCHEMA_VERSION });
    const prepared = unwrap(await prepareImport(exported.blob));
    expect(prepared.warnings).toEqual([]);
    expect(prepared.totals).toEqual({ projects: 1, chats: 1, messages: 8, runs: 2, candidates: 3, scenarios: 2, evaluations: 6 });
  });

  it('format version 2 (multi-chat) imports every chat mode, run status and lineage', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v2.crucible.json')));
    expect(prepared.info).toMatchObject({ formatVersion: 2, schemaVersion: 2, scope: 'project' });
    expect(prepared.totals).toEqual({ projects: 1, chats: 6, messages: 9, runs: 9, candidates: 8, scenarios: 8, evaluations: 16 });
    const [imported] = unwrap(await commitImport(prepared));
    const chats = await db.chatSessions.where('projectId').equals(imported!.projectId).toArray();
    expect(new Set(chats.map((c) => c.mode))).toEqual(new Set(['setup', 'analysis', 'whatif']));
    const candidates = await db.candidates.where('projectId').equals(imported!.projectId).toArray();
    const ids = new Set(candidates.map((c) => c.id));
    expect(candidates.flatMap((c) => c.parentIds).every((id) => ids.has(id))).toBe(true);
    expect(candidates.some((c) => c.parentIds.length === 2)).toBe(true);
  });

  it('format version 3 (runs indexed by status) imports every chat mode, run status and lineage', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v3.crucible.json')));
    expect(prepared.info).toMatchObject({ formatVersion: 3, schemaVersion: 3, scope: 'project' });
    expect(prepared.warnings).toEqual([
      'The file comes from an older version of Int Crucible (format version 3, schema version 3); it is upgraded to the current format on import.',
      '2 runs were still in progress when exported; they are imported as interrupted, without partial results.',
    ]);
    expect(prepared.totals).toEqual({ projects: 1, chats: 6, messages: 9, runs: 9, candidates: 8, scenarios: 8, evaluations: 16 });
    const [imported] = unwrap(await commitImport(prepared));
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['completed', 'failed', 'cancelled', 'interrupted']));
    // The status index of schema 3 answers for imported runs.
    expect(
      await db.runs
        .where('[projectId+status+createdAt]')
        .between([imported!.projectId, 'interrupted', Dexie.minKey], [imported!.projectId, 'interrupted', Dexie.maxKey])
        .count(),
    ).toBe(runs.filter((r) => r.status === 'interrupted').length);
    const chats = await db.chatSessions.where('projectId').equals(imported!.projectId).toArray();
    expect(new Set(chats.map((c) => c.mode))).toEqual(new Set(['setup', 'analysis', 'whatif']));
  });

  it('format version 4 (attributes, quantity constraints, incompatibilities, cost from an attribute) imports with every new field', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v4.crucible.json')));
    expect(prepared.info).toMatchObject({ formatVersion: 4, schemaVersion: 4, scope: 'project' });
    expect(prepared.warnings).toEqual([
      'The file comes from an older version of Int Crucible (format version 4, schema version 4); it is upgraded to the current format on import.',
    ]);
    expect(prepared.totals).toMatchObject({ projects: 1, chats: 3, runs: 3 });
    const [imported] = unwrap(await commitImport(prepared));
    const spec = (await db.specs.get(imported!.projectId))!;
    expect(spec.designSpace.attributes.map((a) => [a.key, a.unit])).toEqual([
      ['energy_wh', 'Wh'],
      ['capacity', ''],
      ['mass', 'kg'],
      ['price', 'EUR'],
    ]);
    expect(spec.designSpace.costAttributeId).toBe(spec.designSpace.attributes.find((a) => a.key === 'price')!.id);
    expect(spec.designSpace.incompatibilities.length).toBeGreaterThan(0);
    const range = spec.constraints.find((c) => c.name === 'Flight range')!;
    expect(range).toMatchObject({
      weight: 100,
      combine: 'weakest',
      quantity: { comparator: 'atLeast', threshold: 30, unit: 'km', margin: 5 },
    });
    expect(spec.designSpace.dimensions[0]!.options[0]!.attributes).not.toEqual({});
    const whatIf = (await db.chatSessions.where('projectId').equals(imported!.projectId).toArray()).find((c) => c.mode === 'whatif')!;
    // v5: the section override became one item-level change, to Flight range's formula only.
    expect(whatIf.specChanges.map((change) => [change.key, change.ops.map((op) => op.op)])).toEqual([
      ['constraint:c-flight-range', ['setConstraintQuantity']],
    ]);
    expect(whatIfSpec(spec, whatIf.specChanges).constraints.find((c) => c.name === 'Flight range')!.quantity!.threshold).toBe(35);
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    for (const run of runs) expect(run.specSnapshot.designSpace.attributes).toHaveLength(4);
    const scenarios = await db.scenarios.where('projectId').equals(imported!.projectId).toArray();
    expect(scenarios.every((s) => typeof s.attributeScales === 'object')).toBe(true);
    // It exports and imports again with nothing to repair or upgrade.
    const again = unwrap(await prepareImport((await exportProject(imported!.projectId)).blob));
    expect(again.warnings).toEqual([]);
  });

  it('format version 5 (what-ifs as item-level changes) imports with the changes, the base items that show through, and the open conflict', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v5.crucible.json')));
    expect(prepared.info).toMatchObject({ formatVersion: 5, schemaVersion: 5, scope: 'project' });
    const [imported] = unwrap(await commitImport(prepared));
    const spec = (await db.specs.get(imported!.projectId))!;
    const chats = await db.chatSessions.where('projectId').equals(imported!.projectId).toArray();
    const thermal = chats.find((c) => c.title === 'What-if: Thermal safety 40')!;
    expect(thermal.specChanges.map((change) => change.key)).toEqual(['constraint:c-thermal-safety']);
    const rebased = rebaseWhatIf(spec, thermal.specChanges);
    // The constraint the project gained after the branch shows through; Thermal safety stays at 40 in the what-if.
    expect(rebased.spec.constraints.map((c) => c.name)).toContain('Payload bay volume');
    expect(rebased.spec.constraints.find((c) => c.id === 'c-thermal-safety')!.weight).toBe(40);
    expect(spec.constraints.find((c) => c.id === 'c-thermal-safety')!.weight).toBe(100);
    // The project changed Thermal safety's description after the what-if changed its weight: one conflict.
    expect(rebased.conflicts.map((conflict) => conflict.label)).toEqual(['constraint Thermal safety']);
    const again = unwrap(await prepareImport((await exportProject(imported!.projectId)).blob));
    expect(again.warnings).toEqual([]);
  });

  it('format version 6 (run names, tags, notes; the pinned baseline) imports with every label and the pin on the imported run', async () => {
    const content = read('export-format-v6.crucible.json');
    const prepared = unwrap(await prepareImport(content));
    expect(prepared.info).toMatchObject({ formatVersion: 6, schemaVersion: 6, scope: 'project' });
    expect(prepared.warnings).toEqual([]);
    const [imported] = unwrap(await commitImport(prepared));
    const runs = (await db.runs.where('projectId').equals(imported!.projectId).toArray()).sort((a, b) => a.createdAt - b.createdAt);
    const named = runs.find((run) => run.name === 'LFP pack, air cooled')!;
    expect(named).toMatchObject({ tags: ['shortlist', 'lfp'], notes: 'Second pass after the thermal review; keep for the design review.' });
    expect(runs.filter((run) => run.name !== '')).toHaveLength(1);
    // The pin names the imported copy of the first run, not the id in the file.
    const project = (await db.projects.get(imported!.projectId))!;
    expect(project.baselineRunId).toBe(runs[0]!.id);
    const fileRunIds = (JSON.parse(content) as { data: { runs: { id: string }[] } }).data.runs.map((run) => run.id);
    expect(fileRunIds).not.toContain(project.baselineRunId);
    // The tags index answers for imported runs.
    expect((await db.runs.where('tags').equals('lfp').toArray()).map((run) => run.id)).toEqual([named.id]);
    // Re-export → re-import round-trips the labels and the pin.
    const [again] = unwrap(await commitImport(unwrap(await prepareImport((await exportProject(imported!.projectId)).blob))));
    const againProject = (await db.projects.get(again!.projectId))!;
    const againBaseline = (await db.runs.get(againProject.baselineRunId!))!;
    expect(againBaseline).toMatchObject({ projectId: again!.projectId, createdAt: runs[0]!.createdAt });
    expect((await db.runs.where('tags').equals('shortlist').toArray()).map((run) => run.projectId).sort()).toEqual(
      [imported!.projectId, again!.projectId].sort(),
    );
  });

  it('files from before format 6 import with unnamed, untagged runs and no baseline', async () => {
    const [imported] = unwrap(await commitImport(unwrap(await prepareImport(read('export-format-v5.crucible.json')))));
    const runs = await db.runs.where('projectId').equals(imported!.projectId).toArray();
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run).toMatchObject({ name: '', tags: [], notes: '' });
    expect((await db.projects.get(imported!.projectId))!.baselineRunId).toBeNull();
  });

  it('a file holding scores a hair above 1 (rounding noise) imports, repaired, and the preview says so', async () => {
    const file = JSON.parse(read('export-format-v3.crucible.json')) as {
      data: { candidates: { id: string; scores: { constraintSatisfaction: Record<string, { score: number }> } }[] };
    };
    const noisy = file.data.candidates.slice(0, 3).map((candidate) => {
      const first = Object.values(candidate.scores.constraintSatisfaction)[0]!;
      first.score = 1.0000000000000002;
      return candidate.id;
    });
    expect(noisy).toHaveLength(3);
    const prepared = unwrap(await prepareImport(JSON.stringify(file)));
    expect(prepared.warnings).toContain(
      'Repaired 3 scores that were a hair above 1 (rounding noise such as 1.0000000000000002); they are stored as 1.',
    );
    const [imported] = unwrap(await commitImport(prepared));
    const candidates = await db.candidates.where('projectId').equals(imported!.projectId).toArray();
    const scores = candidates.flatMap((c) => Object.values(c.scores.constraintSatisfaction).map((s) => s.score));
    expect(scores.filter((score) => score === 1).length).toBeGreaterThanOrEqual(3);
    expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
    // What was imported exports and imports again with no repair left to make.
    const again = unwrap(await prepareImport((await exportProject(imported!.projectId)).blob));
    expect(again.warnings.filter((w) => w.startsWith('Repaired'))).toEqual([]);
  });

  it('a score far outside [0, 1] is still refused, naming the record and field', async () => {
    const file = JSON.parse(read('export-format-v3.crucible.json')) as {
      data: { candidates: { scores: { constraintSatisfaction: Record<string, { score: number }> } }[] };
    };
    Object.values(file.data.candidates[0]!.scores.constraintSatisfaction)[0]!.score = 1.2;
    const result = await prepareImport(JSON.stringify(file));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : importErrorSentence(result.error)).toMatch(
      /^The file contains invalid records: candidates\[0\] \(id [^)]+\), field "scores\.constraintSatisfaction\.[^"]+\.score"/,
    );
  });

  it('format version 2 backup imports every project', async () => {
    const prepared = unwrap(await prepareImport(read('export-format-v2-backup.crucible.json')));
    expect(prepared.info.scope).toBe('backup');
    expect(prepared.projects.map((p) => p.preview.title).sort()).toEqual([
      'Notes app: conflict handling',
      'Offline-first sync architecture',
    ]);
    const imported = unwrap(await commitImport(prepared));
    expect(imported).toHaveLength(2);
    expect(await db.projects.count()).toBe(2);
  });
});
