import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/db/database';
import { SCHEMA_V3 } from '../../src/db/schema';
import {
  candidateSchema,
  CURRENT_SCHEMA_VERSION,
  describeScoreRepairs,
  emptyRecordSet,
  evaluationSchema,
  migrateRecordSet,
  problemSpecSchema,
  repairScoreNoise,
  runSchema,
  scenarioSchema,
  specQuantitiesAndScoreRepair,
  type RecordSet,
} from '../../src/domain';

type Row = Record<string, unknown>;

/** A schema-3 spec: no combine, quantity, attributes, incompatibilities or cost source. */
const v3Spec = (projectId: string): Row => ({
  goals: [{ id: 'g1', text: 'Fly 30 km' }],
  constraints: [
    { id: 'c1', name: 'Flight range', description: '', weight: 100 },
    { id: 'c2', name: 'Low cost', description: '', weight: 40 },
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
          { id: 'o1', name: 'LiPo', description: '', cost: 1, ratings: { c1: 1, c2: 0.5 } },
          { id: 'o2', name: 'Li-ion', description: '', cost: 2, ratings: { c1: 0.6 } },
        ],
      },
    ],
  },
  ...(projectId ? { projectId, provenance: [], updatedAt: 1000 } : {}),
});

const NOISE_ABOVE = 1.0000000000000002;

function v3Records(): RecordSet {
  const satisfaction = (score: number) => ({
    c1: { score, satisfied: true, explanation: 'ok' },
    c2: { score: 0.5, satisfied: true, explanation: 'ok' },
  });
  return {
    ...emptyRecordSet(),
    projects: [{ id: 'p1', title: 'Drone', description: '', createdAt: 1, updatedAt: 2, chatCount: 1, runCount: 1, lastExportedAt: null }],
    specs: [v3Spec('p1')],
    chatSessions: [
      {
        id: 'chat1',
        projectId: 'p1',
        title: 'What if',
        mode: 'whatif',
        runId: null,
        candidateId: null,
        parentChatId: null,
        specOverride: { constraints: (v3Spec('').constraints as Row[]).map((c) => ({ ...c, weight: 50 })) },
        createdAt: 1,
        updatedAt: 1,
        messageCount: 0,
        lastMessageAt: 1,
        archivedAt: null,
      },
    ],
    runs: [{ id: 'r1', projectId: 'p1', specSnapshot: v3Spec('') }],
    scenarios: [
      {
        id: 's1',
        runId: 'r1',
        projectId: 'p1',
        index: 0,
        name: 'Baseline',
        description: '',
        type: 'normal_operation',
        focus: [],
        weight: 1,
        weightMultipliers: {},
        ratingShifts: {},
      },
    ],
    candidates: [
      {
        id: 'k1',
        runId: 'r1',
        projectId: 'p1',
        scores: { P: NOISE_ABOVE, R: 1, I: NOISE_ABOVE, constraintSatisfaction: satisfaction(NOISE_ABOVE) },
        predictedEffects: { c1: NOISE_ABOVE, c2: 0.5 },
      },
      {
        id: 'k2',
        runId: 'r1',
        projectId: 'p1',
        scores: { P: 0.5, R: 1, I: 0.5, constraintSatisfaction: satisfaction(1.5) },
        predictedEffects: {},
      },
    ],
    evaluations: [
      {
        id: 'e1',
        runId: 'r1',
        projectId: 'p1',
        candidateId: 'k1',
        scenarioId: 's1',
        P: 0.4,
        R: 1,
        constraintSatisfaction: satisfaction(-1e-17),
        explanation: '',
      },
    ],
  };
}

describe('v3 → v4 migration (pure)', () => {
  test('fills the new spec fields everywhere a spec lives and leaves the rest of each record alone', () => {
    const before = v3Records();
    const frozen = structuredClone(before);
    const after = specQuantitiesAndScoreRepair.migrate(before);
    expect(before).toEqual(frozen);
    expect(specQuantitiesAndScoreRepair).toMatchObject({
      toVersion: 4,
      name: 'spec-attributes-incompatibilities-quantities-and-score-repair',
    });

    const spec = problemSpecSchema.parse(after.specs[0]);
    expect(spec.constraints.map((c) => [c.name, c.combine, c.quantity])).toEqual([
      ['Flight range', 'mean', null],
      ['Low cost', 'mean', null],
    ]);
    expect(spec.designSpace).toMatchObject({ attributes: [], incompatibilities: [], costAttributeId: null });
    expect(spec.designSpace.dimensions[0]!.options.map((o) => [o.name, o.cost, o.ratings, o.attributes])).toEqual([
      ['LiPo', 1, { c1: 1, c2: 0.5 }, {}],
      ['Li-ion', 2, { c1: 0.6 }, {}],
    ]);
    // Stored explicitly, not only by the schema's defaults.
    expect((after.specs[0]!.designSpace as Row).costAttributeId).toBeNull();
    expect(((after.chatSessions[0]!.specOverride as Row).constraints as Row[]).map((c) => [c.weight, c.combine, c.quantity])).toEqual([
      [50, 'mean', null],
      [50, 'mean', null],
    ]);
    // The override only ever held the sections it replaced.
    expect((after.chatSessions[0]!.specOverride as Row).designSpace).toBeUndefined();
    expect((after.runs[0]!.specSnapshot as Row).designSpace).toMatchObject({
      attributes: [],
      incompatibilities: [],
      costAttributeId: null,
    });
    expect(runSchema.shape.specSnapshot.parse(after.runs[0]!.specSnapshot).constraints[0]!.combine).toBe('mean');
    expect(after.scenarios[0]!.attributeScales).toEqual({});
    expect(scenarioSchema.safeParse(after.scenarios[0]).success).toBe(true);
  });

  test('repairs scores off [0, 1] by rounding noise, and only those', () => {
    const after = specQuantitiesAndScoreRepair.migrate(v3Records());
    const [noisy, far] = after.candidates as {
      scores: { P: number; I: number; constraintSatisfaction: Record<string, { score: number }> };
      predictedEffects: Record<string, number>;
    }[];
    expect(noisy!.scores.P).toBe(1);
    expect(noisy!.scores.I).toBe(NOISE_ABOVE); // I is P/R, not a score in [0, 1]
    expect(noisy!.scores.constraintSatisfaction.c1!.score).toBe(1);
    expect(noisy!.predictedEffects.c1).toBe(1);
    expect(far!.scores.constraintSatisfaction.c1!.score).toBe(1.5); // a real error stays visible to validation
    expect((after.evaluations[0]!.constraintSatisfaction as Record<string, { score: number }>).c1!.score).toBe(0);
    expect(Object.is((after.evaluations[0]!.constraintSatisfaction as Record<string, { score: number }>).c1!.score, 0)).toBe(true);
    expect(evaluationSchema.shape.constraintSatisfaction.safeParse(after.evaluations[0]!.constraintSatisfaction).success).toBe(true);
    expect(candidateSchema.shape.scores.safeParse(noisy!.scores).success).toBe(true);
  });

  test('counts the repairs in a sentence, and keeps untouched tables by identity', () => {
    const records = v3Records();
    const { repairs, records: repaired } = repairScoreNoise(records);
    expect(repairs).toEqual({ aboveOne: 3, belowZero: 1 });
    expect(describeScoreRepairs(repairs)).toEqual([
      'Repaired 3 scores that were a hair above 1 (rounding noise such as 1.0000000000000002); they are stored as 1.',
      'Repaired 1 score that was a hair below 0 (rounding noise); it is stored as 0.',
    ]);
    const clean = repairScoreNoise(repaired);
    expect(clean.repairs).toEqual({ aboveOne: 0, belowZero: 0 });
    expect(clean.records.candidates).toBe(repaired.candidates);
    expect(clean.records.evaluations).toBe(repaired.evaluations);
  });
});

const opened: Dexie[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) {
    database.close();
    await Dexie.delete(database.name);
  }
});

describe('v3 → v4 Dexie upgrade on a populated database', () => {
  test('runs the same named migration: every record kept, spec fields filled, noisy scores repaired', async () => {
    const name = 'migration-v3-v4';
    const legacy = new Dexie(name);
    legacy.version(3).stores(SCHEMA_V3);
    await legacy.open();
    const records = v3Records();
    await legacy.transaction('rw', legacy.tables, async () => {
      for (const [table, rows] of Object.entries(records)) await legacy.table(table).bulkAdd(rows as object[]);
    });
    legacy.close();

    const database = createDatabase(name);
    opened.push(database);
    await database.open();
    expect(database.verno).toBe(CURRENT_SCHEMA_VERSION);
    // v4 and every later migration: the same chain the importer runs.
    const expected = migrateRecordSet(v3Records(), 3);
    expect(await database.specs.toArray()).toEqual(expected.specs);
    expect(await database.chatSessions.toArray()).toEqual(expected.chatSessions);
    expect(await database.runs.toArray()).toEqual(expected.runs);
    expect(await database.scenarios.toArray()).toEqual(expected.scenarios);
    expect(await database.candidates.orderBy('id').toArray()).toEqual(expected.candidates);
    expect(await database.evaluations.toArray()).toEqual(expected.evaluations);
    expect((await database.candidates.get('k1'))!.scores.constraintSatisfaction.c1!.score).toBe(1);
  });
});
