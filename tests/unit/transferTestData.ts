/**
 * A rich project built through the repository functions (and direct table
 * writes for run results, which only the engine produces): several chats of
 * every mode, runs of every mode and status, candidates with lineage, a what-if
 * override, message meta that carries ids.
 */
import {
  appendMessages,
  createChat,
  createProject,
  createRun,
  db,
  deleteChat,
  monotonicNow,
  setChatArchived,
  updateRun,
} from '../../src/db';
import {
  newId,
  shortId,
  type Candidate,
  type Choices,
  type Evaluation,
  type ProblemSpec,
  type Run,
  type RunConfig,
  type RunMode,
  type RunStatus,
  type Scenario,
  type SpecContent,
} from '../../src/domain';

export const SPEC_CONTENT: SpecContent = {
  goals: [
    { id: 'g-offline', text: 'Every screen works with no network' },
    { id: 'g-sync', text: 'Edits from two devices merge without losing work' },
  ],
  constraints: [
    {
      id: 'k-offline',
      name: 'Offline-first',
      description: 'Reads and writes never wait for the network',
      weight: 100,
      combine: 'mean',
      quantity: null,
    },
    { id: 'k-cost', name: 'Operating cost', description: 'Under $50 a month for 10k users', weight: 60, combine: 'mean', quantity: null },
    { id: 'k-simple', name: 'Simplicity', description: 'One engineer can run it', weight: 40, combine: 'mean', quantity: null },
  ],
  resolution: 'medium',
  mode: 'full_search',
  designSpace: {
    attributes: [],
    incompatibilities: [],
    costAttributeId: null,
    dimensions: [
      {
        id: 'd-store',
        name: 'Local store',
        description: 'Where the client keeps data',
        options: [
          {
            id: 'o-idb',
            name: 'IndexedDB',
            description: 'Browser database',
            cost: 1,
            ratings: { 'k-offline': 0.9, 'k-cost': 1, 'k-simple': 0.7 },
            attributes: {},
          },
          {
            id: 'o-sqlite',
            name: 'SQLite (WASM)',
            description: 'SQLite on OPFS',
            cost: 2,
            ratings: { 'k-offline': 0.95, 'k-cost': 1, 'k-simple': 0.5 },
            attributes: {},
          },
        ],
      },
      {
        id: 'd-sync',
        name: 'Sync',
        description: 'How devices converge',
        options: [
          {
            id: 'o-crdt',
            name: 'CRDT',
            description: 'Conflict-free replicated types',
            cost: 3,
            ratings: { 'k-offline': 1, 'k-cost': 0.6, 'k-simple': 0.4 },
            attributes: {},
          },
          {
            id: 'o-lww',
            name: 'Last-writer-wins',
            description: 'Timestamps per field',
            cost: 1,
            ratings: { 'k-offline': 0.8, 'k-cost': 0.9, 'k-simple': 0.9 },
            attributes: {},
          },
          {
            id: 'o-server',
            name: 'Server authority',
            description: 'Server decides',
            cost: 2,
            ratings: { 'k-offline': 0.3, 'k-cost': 0.7, 'k-simple': 0.8 },
            attributes: {},
          },
        ],
      },
    ],
  },
};

function candidate(run: Run, index: number, label: string, choices: Choices, parentIds: string[] = []): Candidate {
  const I = 0.9 - index * 0.1;
  return {
    id: newId(),
    runId: run.id,
    projectId: run.projectId,
    origin: index === 0 && run.mode === 'eval_only' ? 'user' : 'system',
    label,
    mechanism: `${label}: ${Object.values(choices).join(' + ')}`,
    choices,
    predictedEffects: { 'k-offline': 0.9, 'k-cost': 0.7 },
    scores: {
      P: I * 2,
      R: 2,
      I,
      constraintSatisfaction: { 'k-offline': { score: 0.9, satisfied: true, explanation: 'works offline' } },
    },
    rank: index + 1,
    status: index === 0 ? 'promising' : index === 1 ? 'under_test' : 'weak',
    rankingExplanation: `Ranked ${index + 1} by I = P/R`,
    rankingFactors: { positive: ['offline'], negative: index > 0 ? ['cost'] : [] },
    hardViolations: index === 2 ? ['k-offline'] : [],
    parentIds,
    provenance: [{ at: run.createdAt, actor: 'system', summary: 'designed by the search' }],
  };
}

function scenario(run: Run, index: number): Scenario {
  return {
    id: newId(),
    runId: run.id,
    projectId: run.projectId,
    index,
    name: index === 0 ? 'Baseline' : 'Flaky network for a week',
    description: index === 0 ? 'Normal use' : 'Devices offline for 7 days then reconnect',
    type: index === 0 ? 'normal_operation' : 'stress_test',
    focus: index === 0 ? [] : ['Offline-first'],
    weight: 1,
    weightMultipliers: index === 0 ? {} : { 'k-offline': 1.5 },
    ratingShifts: index === 0 ? {} : { 'o-server': { 'k-offline': -0.2 } },
    attributeScales: {},
  };
}

async function writeResults(
  run: Run,
  candidates: Candidate[],
  scenarioCount: number,
): Promise<{ candidates: Candidate[]; scenarios: Scenario[] }> {
  const scenarios = Array.from({ length: scenarioCount }, (_, index) => scenario(run, index));
  const evaluations: Evaluation[] = candidates.flatMap((c) =>
    scenarios.map((s) => ({
      id: newId(),
      runId: run.id,
      projectId: run.projectId,
      candidateId: c.id,
      scenarioId: s.id,
      P: c.scores.P,
      R: c.scores.R,
      constraintSatisfaction: c.scores.constraintSatisfaction,
      explanation: `${c.label} under ${s.name}`,
    })),
  );
  await db.transaction('rw', [db.candidates, db.scenarios, db.evaluations], async () => {
    await db.candidates.bulkAdd(candidates);
    await db.scenarios.bulkAdd(scenarios);
    await db.evaluations.bulkAdd(evaluations);
  });
  return { candidates, scenarios };
}

async function runWith(
  projectId: string,
  chatSessionId: string | null,
  mode: RunMode,
  status: RunStatus,
  config: Partial<RunConfig> = {},
  candidateId: string | null = null,
): Promise<Run> {
  const run = await createRun({
    projectId,
    chatSessionId,
    candidateId,
    mode,
    config: { numCandidates: 3, numScenarios: 2, seed: 42, ...config },
    specSnapshot: { ...SPEC_CONTENT, mode },
  });
  const startedAt = status === 'created' ? null : monotonicNow();
  const finished = status !== 'created' && status !== 'running';
  const completedAt = finished ? monotonicNow() : null;
  const changes: Partial<Run> = {
    status,
    startedAt,
    completedAt,
    durationMs: startedAt !== null && completedAt !== null ? completedAt - startedAt : null,
    error: status === 'failed' ? 'Design space is empty for dimension Sync' : status === 'interrupted' ? 'The run was interrupted.' : null,
  };
  await updateRun(run.id, changes);
  return { ...run, ...changes };
}

async function complete(run: Run, labels: string[], parentIds: string[][] = []): Promise<Candidate[]> {
  const choices: Choices[] = [
    { 'd-store': 'o-idb', 'd-sync': 'o-crdt' },
    { 'd-store': 'o-sqlite', 'd-sync': 'o-lww' },
    { 'd-store': 'o-idb', 'd-sync': 'o-server' },
  ];
  const candidates = labels.map((label, index) => candidate(run, index, label, choices[index % choices.length]!, parentIds[index] ?? []));
  await writeResults(run, candidates, 2);
  await updateRun(run.id, {
    candidateCount: candidates.length,
    scenarioCount: 2,
    evaluationCount: candidates.length * 2,
    metrics: {
      phaseTimingsMs: { designers: 3, scenarios: 1, evaluators: 4, ranker: 1 },
      bestI: candidates[0]?.scores.I ?? null,
      searchStrategy: 'exhaustive',
      combinationsConsidered: 6,
    },
  });
  return candidates;
}

export interface RichProject {
  projectId: string;
  setupChatId: string;
  whatIfChatId: string;
  runIds: Record<string, string>;
}

export async function buildRichProject(title = 'Offline-first sync architecture'): Promise<RichProject> {
  const { project, chat: setup } = await createProject({ title, description: 'Choose local storage and sync for a notes app' });
  const spec: ProblemSpec = {
    projectId: project.id,
    ...SPEC_CONTENT,
    provenance: [
      {
        id: newId(),
        at: monotonicNow(),
        actor: 'agent',
        chatSessionId: setup.id,
        summary: 'Drafted the spec',
        changes: ['added 3 constraints'],
        touchedIds: ['k-offline', 'k-cost'],
      },
      {
        id: newId(),
        at: monotonicNow(),
        actor: 'user',
        chatSessionId: null,
        summary: 'Edited by hand',
        changes: ['weight Simplicity 50 → 40'],
        touchedIds: ['k-simple'],
      },
    ],
    updatedAt: monotonicNow(),
  };
  await db.specs.put(spec);
  await db.worldModels.put({
    projectId: project.id,
    actors: [{ id: 'a-user', name: 'Note taker', description: 'Writes on phone and laptop' }],
    mechanisms: [{ id: 'm-merge', name: 'Merge on reconnect', description: 'Devices exchange changes' }],
    resources: [],
    assumptions: [{ id: 's-week', name: 'Week offline', description: 'Devices may stay offline a week' }],
    simplifications: [],
    updatedAt: monotonicNow(),
  });

  await appendMessages(setup.id, [
    { role: 'user', content: 'Help me pick storage and sync for an offline notes app.' },
    {
      role: 'agent',
      content: 'I added three constraints.',
      meta: { kind: 'spec-update', touchedIds: ['k-offline'], chatSessionId: setup.id },
    },
  ]);

  const full = await runWith(project.id, setup.id, 'full_search', 'completed');
  const [best, second] = await complete(full, ['IndexedDB + CRDT', 'SQLite + LWW', 'IndexedDB + server']);
  await appendMessages(setup.id, [
    {
      role: 'system',
      content: 'Run finished',
      meta: {
        kind: 'run-summary',
        runId: full.id,
        topCandidateIds: [best!.id, second!.id],
        nested: { byCandidate: { [best!.id]: 'best' } },
      },
    },
  ]);

  const analysis = await createChat({
    projectId: project.id,
    mode: 'analysis',
    title: `Analysis: Run ${shortId(full.id)}`,
    runId: full.id,
    seedMessages: [{ role: 'system', content: 'Discussing the run', meta: { kind: 'run-context', runId: full.id } }],
  });
  await appendMessages(analysis.id, [
    { role: 'user', content: 'Why is CRDT first?' },
    { role: 'agent', content: `Highest I in Run ${shortId(full.id)}; see candidate ${best!.id}.` },
  ]);
  const candidateChat = await createChat({ projectId: project.id, mode: 'analysis', runId: full.id, candidateId: best!.id });
  await appendMessages(candidateChat.id, [{ role: 'user', content: 'What breaks this one?' }]);

  const whatIf = await createChat({
    projectId: project.id,
    mode: 'whatif',
    parentChatId: setup.id,
    startFromSpec: { ...SPEC_CONTENT, constraints: SPEC_CONTENT.constraints.map((c) => (c.id === 'k-cost' ? { ...c, weight: 95 } : c)) },
  });
  await appendMessages(whatIf.id, [{ role: 'user', content: 'What if cost were nearly hard?' }]);
  const whatIf2 = await createChat({
    projectId: project.id,
    mode: 'whatif',
    parentChatId: whatIf.id,
    startFromSpec: { ...SPEC_CONTENT, resolution: 'fine' },
  });

  const seeded = await runWith(project.id, whatIf.id, 'seeded', 'completed', { seedCandidateId: best!.id }, best!.id);
  const seededCandidates = await complete(seeded, ['CRDT variant A', 'CRDT variant B'], [[best!.id], [best!.id, second!.id]]);
  const evalOnly = await runWith(project.id, whatIf2.id, 'eval_only', 'completed', {
    evalCandidates: [
      { choices: best!.choices, sourceCandidateId: best!.id, label: 'from run 1' },
      { choices: { 'd-store': 'o-sqlite', 'd-sync': 'o-crdt' }, sourceCandidateId: null, label: 'hand-made' },
    ],
  });
  await complete(evalOnly, ['from run 1', 'hand-made'], [[seededCandidates[0]!.id]]);

  const failed = await runWith(project.id, setup.id, 'full_search', 'failed');
  const cancelled = await runWith(project.id, analysis.id, 'seeded', 'cancelled', { seedCandidateId: second!.id });
  const interrupted = await runWith(project.id, setup.id, 'eval_only', 'interrupted', { evalCandidates: [{ choices: best!.choices }] });
  const running = await runWith(project.id, setup.id, 'full_search', 'running');
  await writeResults(running, [candidate(running, 0, 'partial', { 'd-store': 'o-idb', 'd-sync': 'o-lww' })], 1);
  const created = await runWith(project.id, whatIf.id, 'full_search', 'created');

  const doomed = await createChat({ projectId: project.id, mode: 'setup', title: 'Old approach' });
  const orphanRun = await runWith(project.id, doomed.id, 'full_search', 'completed');
  await complete(orphanRun, ['Only one']);
  await deleteChat(doomed.id);

  const archived = await createChat({ projectId: project.id, mode: 'setup', title: 'Scratch' });
  await appendMessages(archived.id, [{ role: 'user', content: 'scratch notes' }]);
  await setChatArchived(archived.id, true);

  return {
    projectId: project.id,
    setupChatId: setup.id,
    whatIfChatId: whatIf.id,
    runIds: {
      full: full.id,
      seeded: seeded.id,
      evalOnly: evalOnly.id,
      failed: failed.id,
      cancelled: cancelled.id,
      interrupted: interrupted.id,
      running: running.id,
      created: created.id,
      orphanRun: orphanRun.id,
    },
  };
}

export async function clearDatabase(): Promise<void> {
  await Promise.all(db.tables.map((table) => table.clear()));
}

/** Row counts of every table, to prove that a failed import wrote nothing. */
export async function tableCounts(): Promise<Record<string, number>> {
  const entries = await Promise.all(db.tables.map(async (table) => [table.name, await table.count()] as const));
  return Object.fromEntries(entries);
}

/** Full contents of every table, for "nothing changed" checks that also catch updates. */
export async function databaseSnapshot(): Promise<Record<string, unknown[]>> {
  const entries = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()] as const));
  return Object.fromEntries(entries);
}
