/**
 * v4 → v5 "whatif-overrides-become-item-changes-over-the-current-project-spec":
 * section overrides become item-level changes, on populated data, as a pure
 * function and as the Dexie upgrade.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/db/database';
import { SCHEMA_V4 } from '../../src/db/schema';
import {
  chatSessionSchema,
  CURRENT_SCHEMA_VERSION,
  emptyRecordSet,
  migrateRecordSet,
  rebaseWhatIf,
  specContentSchema,
  whatIfOverridesBecomeItemChanges,
  type RecordSet,
} from '../../src/domain';

type Row = Record<string, unknown>;

const constraint = (id: string, name: string, weight: number, extra: Row = {}): Row => ({
  id,
  name,
  description: '',
  weight,
  combine: 'mean',
  quantity: null,
  ...extra,
});

const BRANCHED_AT = 10_000;

/** The project spec today: "Pack mass" was added after the what-ifs were branched (provenance says so). */
function v4Spec(): Row {
  return {
    projectId: 'p1',
    goals: [{ id: 'g1', text: 'Fly 30 km' }],
    constraints: [
      constraint('c-thermal', 'Thermal safety', 100, { combine: 'weakest' }),
      constraint('c-range', 'Flight range', 80),
      constraint('c-cost', 'Low cost', 40),
      constraint('c-mass', 'Pack mass', 60),
    ],
    resolution: 'medium',
    mode: 'full_search',
    designSpace: {
      dimensions: [
        {
          id: 'd1',
          name: 'Chemistry',
          description: '',
          options: [
            { id: 'o1', name: 'LiPo', description: '', cost: 1, ratings: { 'c-thermal': 0.4, 'c-range': 0.9 }, attributes: {} },
            { id: 'o2', name: 'LFP', description: '', cost: 2, ratings: { 'c-thermal': 0.9, 'c-mass': 0.3 }, attributes: {} },
          ],
        },
      ],
      attributes: [],
      incompatibilities: [],
      costAttributeId: null,
    },
    provenance: [
      {
        id: 'e1',
        at: BRANCHED_AT + 100,
        actor: 'user',
        chatSessionId: 'setup',
        summary: 'removed Low cost … in the what-if',
        changes: ['constraint removed: Low cost'],
        touchedIds: ['c-cost'],
        scope: 'whatif',
      },
      {
        id: 'e2',
        at: BRANCHED_AT + 200,
        actor: 'user',
        chatSessionId: 'setup',
        summary: '+1 constraint',
        changes: ['constraint added: Pack mass, weight 60'],
        touchedIds: ['c-mass'],
        scope: 'project',
      },
      {
        id: 'e3',
        at: BRANCHED_AT + 300,
        actor: 'user',
        chatSessionId: 'whatif-removes',
        summary: '−1 constraint',
        changes: ['constraint removed: Low cost'],
        touchedIds: ['c-cost'],
        scope: 'whatif',
      },
    ],
    updatedAt: BRANCHED_AT + 300,
  };
}

/** The constraints section as the what-if copied it at the branch (no Pack mass), with its own edit. */
const copiedConstraints = (edit: (c: Row) => Row) =>
  [
    constraint('c-thermal', 'Thermal safety', 100, { combine: 'weakest' }),
    constraint('c-range', 'Flight range', 80),
    constraint('c-cost', 'Low cost', 40),
  ].map(edit);

const chat = (id: string, mode: string, specOverride: unknown): Row => ({
  id,
  projectId: 'p1',
  title: id,
  mode,
  runId: null,
  candidateId: null,
  parentChatId: null,
  specOverride,
  createdAt: BRANCHED_AT,
  updatedAt: BRANCHED_AT,
  messageCount: 0,
  lastMessageAt: BRANCHED_AT,
  archivedAt: null,
});

function v4Records(): RecordSet {
  return {
    ...emptyRecordSet(),
    projects: [{ id: 'p1', title: 'Drone', description: '', createdAt: 1, updatedAt: 2, chatCount: 6, runCount: 0, lastExportedAt: null }],
    specs: [v4Spec()],
    chatSessions: [
      chat('setup', 'setup', null),
      chat('analysis', 'analysis', null),
      chat('whatif-thermal', 'whatif', { constraints: copiedConstraints((c) => (c.id === 'c-thermal' ? { ...c, weight: 40 } : c)) }),
      chat('whatif-resolution', 'whatif', { resolution: 'fine' }),
      chat('whatif-removes', 'whatif', { constraints: copiedConstraints((c) => c).filter((c) => c.id !== 'c-cost') }),
      chat('whatif-broken', 'whatif', { constraints: [{ id: 'c-x', name: '', weight: 'heavy' }] }),
    ],
  };
}

const opened: Dexie[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) {
    database.close();
    await Dexie.delete(database.name);
  }
});

function chatById(records: RecordSet, id: string): Row {
  return records.chatSessions.find((c) => c.id === id)!;
}

describe('v4 → v5: what-if overrides become item-level changes', () => {
  test('before/after on populated data: each override becomes only the items it changed', () => {
    const before = v4Records();
    const input = structuredClone(before);
    const after = whatIfOverridesBecomeItemChanges.migrate(input);
    const base = specContentSchema.parse(after.specs[0]);

    // Weight 40 on Thermal safety is the only change; Pack mass (added to the base after the branch) is not "removed".
    const thermal = chatSessionSchema.parse(chatById(after, 'whatif-thermal'));
    expect(thermal.specChanges).toEqual([
      {
        kind: 'constraint',
        key: 'constraint:c-thermal',
        ops: [{ op: 'updateConstraint', constraintId: 'c-thermal', weight: 40 }],
        base: { id: 'c-thermal', name: 'Thermal safety', description: '', weight: 100, combine: 'weakest', quantity: null },
      },
    ]);
    const thermalSpec = rebaseWhatIf(base, thermal.specChanges).spec;
    expect(thermalSpec.constraints.map((c) => [c.name, c.weight])).toEqual([
      ['Thermal safety', 40],
      ['Flight range', 80],
      ['Low cost', 40],
      ['Pack mass', 60],
    ]);

    expect(chatSessionSchema.parse(chatById(after, 'whatif-resolution')).specChanges.map((c) => c.ops)).toEqual([
      [{ op: 'setResolution', resolution: 'fine' }],
    ]);

    // A removal the what-if made itself (its own provenance touched the item) stays a removal.
    const removes = chatSessionSchema.parse(chatById(after, 'whatif-removes'));
    expect(removes.specChanges.map((c) => c.ops)).toEqual([[{ op: 'removeConstraint', constraintId: 'c-cost' }]]);

    // Other chats get no changes; no chat keeps the old field.
    for (const id of ['setup', 'analysis']) expect(chatSessionSchema.parse(chatById(after, id)).specChanges).toEqual([]);
    for (const id of ['setup', 'analysis', 'whatif-thermal', 'whatif-resolution', 'whatif-removes'])
      expect(chatById(after, id)).not.toHaveProperty('specOverride');

    // An override that is not a readable spec is kept (not lost) and named by validation.
    const broken = chatById(after, 'whatif-broken');
    expect(broken.specOverride).toEqual(before.chatSessions[5]!.specOverride);
    expect(broken.specChanges).toEqual([]);
    const parsed = chatSessionSchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toContain('not a readable spec');

    // Nothing else changes.
    expect(after.specs).toBe(input.specs);
    expect(after.projects).toBe(input.projects);
    expect(after.specs).toEqual(before.specs);
    expect(after.chatSessions).toHaveLength(before.chatSessions.length);
  });

  test('a what-if branched from a run (whole-spec override) keeps the run spec where it differs, and base additions after the branch show through', () => {
    const records = v4Records();
    const runSpec = { ...specContentSchema.parse(v4Spec()), constraints: copiedConstraints((c) => c).map((c) => ({ ...c })) };
    records.chatSessions = [chat('from-run', 'whatif', { ...runSpec, resolution: 'coarse' })];
    const after = whatIfOverridesBecomeItemChanges.migrate(records);
    const changes = chatSessionSchema.parse(after.chatSessions[0]).specChanges;
    expect(changes.map((c) => c.key)).toEqual(['resolution']);
  });

  test('an override that reordered the constraints keeps its order (it used to be dropped); the base addition keeps its slot', () => {
    const records = v4Records();
    const reordered = copiedConstraints((c) => c);
    records.chatSessions = [chat('reorders', 'whatif', { constraints: [reordered[1], reordered[2], reordered[0]] })];
    const after = whatIfOverridesBecomeItemChanges.migrate(records);
    const changes = chatSessionSchema.parse(after.chatSessions[0]).specChanges;
    expect(changes.map((c) => c.key)).toEqual(['constraintOrder']);
    const base = specContentSchema.parse(after.specs[0]);
    expect(rebaseWhatIf(base, changes).spec.constraints.map((c) => c.name)).toEqual([
      'Flight range',
      'Low cost',
      'Thermal safety',
      'Pack mass',
    ]);
    expect(rebaseWhatIf(base, changes).conflicts).toEqual([]);
  });

  test('the Dexie upgrade from a populated v4 database runs the same migration', async () => {
    const name = 'migration-v4-v5';
    const legacy = new Dexie(name);
    legacy.version(4).stores(SCHEMA_V4);
    await legacy.open();
    const records = v4Records();
    await legacy.transaction('rw', legacy.tables, async () => {
      for (const [table, rows] of Object.entries(records)) await legacy.table(table).bulkAdd(rows as object[]);
    });
    legacy.close();

    const database = createDatabase(name);
    opened.push(database);
    await database.open();
    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
    const expected = migrateRecordSet(v4Records(), 4);
    const byId = (rows: Row[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(byId(await database.chatSessions.toArray())).toEqual(byId(expected.chatSessions));
    expect(await database.specs.toArray()).toEqual(expected.specs);
    expect(await database.projects.toArray()).toEqual(expected.projects);
    const thermal = (await database.chatSessions.get('whatif-thermal'))!;
    expect(thermal.specChanges.map((c) => c.key)).toEqual(['constraint:c-thermal']);
  });
});
