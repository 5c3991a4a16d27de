/**
 * The bundled sample project: "storage and sync for an offline-first notes
 * app". The spec, world model and conversation are written here; every run
 * result comes from the real engine (runPipeline) when the sample is opened, so
 * the sample can never show numbers the engine would not produce. The result
 * is an ordinary export file, imported through the same path as a user's file.
 */
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  effectiveSpec,
  newId,
  type Candidate,
  type ChatSession,
  type Message,
  type ProblemSpec,
  type ProjectExportFile,
  type Run,
  type RunConfig,
  type RunMode,
  type SpecContent,
  type SpecOverride,
  type WorldModel,
} from '../../../domain';
import { runSummaryMeta } from '../../../domain/runSummary';
import { runPipeline, type PipelineResult } from '../../../engine';

export const SAMPLE_TITLE = 'Sample: storage and sync for an offline-first notes app';

const C = {
  offline: 'c-offline',
  noLoss: 'c-no-lost-edits',
  cost: 'c-operating-cost',
  effort: 'c-team-effort',
  search: 'c-search',
} as const;

export const SAMPLE_SPEC: SpecContent = {
  goals: [
    { id: 'g-instant', text: 'Notes open and save instantly, with or without a network' },
    { id: 'g-merge', text: 'Edits made on a phone and a laptop merge without losing work' },
    { id: 'g-small-team', text: 'Two engineers can build it in a quarter and run it afterwards' },
  ],
  constraints: [
    { id: C.offline, name: 'Works fully offline', description: 'Every read and write works with no network; sync catches up later.', weight: 100, combine: 'mean', quantity: null },
    { id: C.noLoss, name: 'No lost edits', description: 'Concurrent edits to the same note are merged or surfaced, never silently dropped.', weight: 85, combine: 'mean', quantity: null },
    { id: C.effort, name: 'Team effort', description: 'Build and operate with two engineers, no dedicated ops.', weight: 60, combine: 'mean', quantity: null },
    { id: C.cost, name: 'Operating cost', description: 'Under $200 a month at 20,000 monthly active users.', weight: 55, combine: 'mean', quantity: null },
    { id: C.search, name: 'Local search', description: 'Full-text search across all notes on the device.', weight: 35, combine: 'mean', quantity: null },
  ],
  resolution: 'medium',
  mode: 'full_search',
  designSpace: {
    attributes: [],
    incompatibilities: [],
    costAttributeId: null,
    dimensions: [
      {
        id: 'd-local-store',
        name: 'Local store',
        description: 'Where the client keeps notes',
        options: [
          {
            id: 'o-indexeddb',
            name: 'IndexedDB',
            description: 'Browser database through a thin wrapper such as Dexie',
            cost: 1,
            ratings: { [C.offline]: 0.9, [C.noLoss]: 0.7, [C.effort]: 0.85, [C.cost]: 1, [C.search]: 0.45 },
            attributes: {},
          },
          {
            id: 'o-sqlite-opfs',
            name: 'SQLite (WASM on OPFS)',
            description: 'Real SQL with FTS5, persisted in the origin private file system',
            cost: 1.5,
            ratings: { [C.offline]: 0.95, [C.noLoss]: 0.8, [C.effort]: 0.6, [C.cost]: 1, [C.search]: 0.95 },
            attributes: {},
          },
          {
            id: 'o-localstorage',
            name: 'localStorage JSON',
            description: 'One JSON blob per note in localStorage',
            cost: 1,
            ratings: { [C.offline]: 0.4, [C.noLoss]: 0.25, [C.effort]: 0.9, [C.cost]: 1, [C.search]: 0.15 },
            attributes: {},
          },
        ],
      },
      {
        id: 'd-sync',
        name: 'Sync model',
        description: 'How two devices converge',
        options: [
          {
            id: 'o-crdt',
            name: 'CRDT documents',
            description: 'Each note is a CRDT (Yjs/Automerge); merges are automatic and lossless',
            cost: 1.5,
            ratings: { [C.offline]: 1, [C.noLoss]: 0.98, [C.effort]: 0.5, [C.cost]: 0.8, [C.search]: 0.6 },
            attributes: {},
          },
          {
            id: 'o-lww',
            name: 'Per-field last-writer-wins',
            description: 'Hybrid logical clocks per field; the later write wins',
            cost: 1,
            ratings: { [C.offline]: 0.9, [C.noLoss]: 0.4, [C.effort]: 0.85, [C.cost]: 0.9, [C.search]: 0.8 },
            attributes: {},
          },
          {
            id: 'o-oplog',
            name: 'Operation log, server-ordered',
            description: 'Clients queue operations; the server orders and rebroadcasts them',
            cost: 2,
            ratings: { [C.offline]: 0.85, [C.noLoss]: 0.8, [C.effort]: 0.6, [C.cost]: 0.75, [C.search]: 0.8 },
            attributes: {},
          },
          {
            id: 'o-rest',
            name: 'Server-authoritative REST',
            description: 'Writes go to the server; the client caches reads',
            cost: 1,
            ratings: { [C.offline]: 0.05, [C.noLoss]: 0.7, [C.effort]: 0.9, [C.cost]: 0.85, [C.search]: 0.4 },
            attributes: {},
          },
        ],
      },
      {
        id: 'd-backend',
        name: 'Backend',
        description: 'What runs on the server side',
        options: [
          {
            id: 'o-baas',
            name: 'Managed backend (BaaS)',
            description: 'Hosted database, auth and functions',
            cost: 2,
            ratings: { [C.offline]: 0.5, [C.noLoss]: 0.7, [C.effort]: 0.9, [C.cost]: 0.55, [C.search]: 0.5 },
            attributes: {},
          },
          {
            id: 'o-postgres',
            name: 'Self-hosted Postgres + sync service',
            description: 'One VM running Postgres and a small sync server',
            cost: 3,
            ratings: { [C.offline]: 0.55, [C.noLoss]: 0.85, [C.effort]: 0.4, [C.cost]: 0.85, [C.search]: 0.6 },
            attributes: {},
          },
          {
            id: 'o-relay',
            name: 'Stateless relay + object storage',
            description: 'A relay forwards updates; snapshots live in object storage',
            cost: 1.5,
            ratings: { [C.offline]: 0.6, [C.noLoss]: 0.75, [C.effort]: 0.7, [C.cost]: 0.95, [C.search]: 0.4 },
            attributes: {},
          },
        ],
      },
      {
        id: 'd-conflicts',
        name: 'Conflict handling in the UI',
        description: 'What the user sees when two edits collide',
        options: [
          {
            id: 'o-silent',
            name: 'Merge silently',
            description: 'Trust the sync model; show nothing',
            cost: 0.5,
            ratings: { [C.offline]: 0.5, [C.noLoss]: 0.5, [C.effort]: 0.95, [C.cost]: 1, [C.search]: 0.5 },
            attributes: {},
          },
          {
            id: 'o-review',
            name: 'Conflict inbox',
            description: 'Keep both versions and let the user pick',
            cost: 1,
            ratings: { [C.offline]: 0.5, [C.noLoss]: 0.95, [C.effort]: 0.65, [C.cost]: 1, [C.search]: 0.5 },
            attributes: {},
          },
        ],
      },
    ],
  },
};

/** The what-if: a bootstrapped team where money and effort matter nearly as much as correctness. */
export const SAMPLE_WHAT_IF: SpecOverride = {
  constraints: SAMPLE_SPEC.constraints.map((constraint) =>
    constraint.id === C.cost ? { ...constraint, weight: 95 } : constraint.id === C.effort ? { ...constraint, weight: 90 } : constraint,
  ),
};

const WORLD_MODEL_ITEMS: Omit<WorldModel, 'projectId' | 'updatedAt'> = {
  actors: [
    { id: 'a-writer', name: 'Note writer', description: 'Writes on a phone during the commute and on a laptop at work' },
    { id: 'a-team', name: 'Product team', description: 'Two full-stack engineers; no dedicated operations' },
  ],
  mechanisms: [
    { id: 'm-queue', name: 'Local-first write', description: 'Every edit is committed locally first and synced in the background' },
    { id: 'm-merge', name: 'Merge on reconnect', description: 'Devices exchange changes when they see the network again' },
  ],
  resources: [
    { id: 'r-budget', name: 'Hosting budget', description: '$200 a month' },
    { id: 'r-time', name: 'One quarter', description: 'Twelve weeks to the first release' },
  ],
  assumptions: [
    { id: 's-week', name: 'Week-long offline spells', description: 'A device can stay offline for up to a week' },
    { id: 's-size', name: 'Small notes', description: 'Notes are mostly under 50 KB; a heavy user has 5,000' },
  ],
  simplifications: [{ id: 'x-single-user', name: 'One user per note', description: 'Sharing between users is out of scope for this decision' }],
};

function describeChoices(spec: SpecContent, choices: Record<string, string>): string {
  return spec.designSpace.dimensions
    .map((dimension) => {
      const option = dimension.options.find((o) => o.id === choices[dimension.id]);
      return `${dimension.name}: ${option?.name ?? '—'}`;
    })
    .join('; ');
}

function formatI(value: number): string {
  return value.toFixed(2);
}

interface SampleRun {
  run: Run;
  result: PipelineResult;
}

/**
 * Builds the sample as a project export file (current format). `now` anchors
 * the timestamps so the conversation reads as something from the last few days.
 */
export async function buildSampleProjectFile(now: number = Date.now()): Promise<ProjectExportFile> {
  const projectId = newId();
  let clock = now - 3 * 24 * 3600_000;
  const tick = (minutes = 1) => (clock += minutes * 60_000);

  const createdAt = tick(0);
  const chats: ChatSession[] = [];
  const messages: Message[] = [];
  const runs: SampleRun[] = [];

  const chat = (title: string, mode: ChatSession['mode'], extra: Partial<ChatSession> = {}): ChatSession => {
    const at = tick(2);
    const session: ChatSession = {
      id: newId(),
      projectId,
      title,
      mode,
      runId: null,
      candidateId: null,
      parentChatId: null,
      specOverride: null,
      createdAt: at,
      updatedAt: at,
      lastMessageAt: at,
      messageCount: 0,
      archivedAt: null,
      ...extra,
    };
    chats.push(session);
    return session;
  };
  const say = (session: ChatSession, role: Message['role'], content: string, meta: Message['meta'] = null) => {
    const at = tick(1);
    messages.push({ id: newId(), chatSessionId: session.id, projectId, role, content, meta, createdAt: at });
    session.messageCount += 1;
    session.lastMessageAt = at;
    session.updatedAt = at;
  };
  const run = async (session: ChatSession, spec: SpecContent, mode: RunMode, config: RunConfig, seed?: Candidate): Promise<SampleRun> => {
    const runId = newId();
    const startedAt = tick(1);
    const result = await runPipeline(
      { runId, projectId, spec, mode, config, seedCandidate: seed ? { id: seed.id, label: seed.label, choices: seed.choices } : null },
      { now: () => startedAt },
    );
    const entry: SampleRun = {
      run: {
        id: runId,
        projectId,
        chatSessionId: session.id,
        candidateId: seed?.id ?? null,
        mode,
        config,
        specSnapshot: spec,
        status: 'completed',
        createdAt: startedAt,
        startedAt,
        completedAt: startedAt + result.durationMs,
        durationMs: result.durationMs,
        candidateCount: result.candidates.length,
        scenarioCount: result.scenarios.length,
        evaluationCount: result.evaluations.length,
        metrics: result.metrics,
        error: null,
      },
      result,
    };
    runs.push(entry);
    return entry;
  };
  // The same run-summary message the app posts when a run ends, so it renders as the run card.
  const postSummary = (session: ChatSession, entry: SampleRun) => {
    const { content, meta } = runSummaryMeta(entry.run, entry.result.candidates);
    say(session, 'agent', content, meta);
  };

  // --- Setup chat: from a problem statement to the first full search -------------------------
  const setup = chat('Setup', 'setup');
  say(
    setup,
    'user',
    'We are building a notes app that must work offline on phones and laptops and sync when online. Help me choose the local storage and the sync architecture.',
  );
  say(
    setup,
    'agent',
    'I set up the problem: 3 goals, 5 constraints and a design space of 4 dimensions — local store (3 options), sync model (4), backend (3) and conflict handling (2), 72 combinations in all. ' +
      '“Works fully offline” is hard (weight 100): a design that breaks it in any scenario is flagged. Review the spec panel, then start a run.',
    { kind: 'spec-update', summary: 'Drafted goals, constraints and the design space', touchedIds: SAMPLE_SPEC.constraints.map((c) => c.id) },
  );
  say(setup, 'user', 'Looks right. Run a full search with 6 candidates and 5 scenarios.');
  const first = await run(setup, SAMPLE_SPEC, 'full_search', { numCandidates: 6, numScenarios: 5, seed: 2024 });
  postSummary(setup, first);

  // --- Analysis chat about the first run -----------------------------------------------------
  const best = first.result.candidates[0]!;
  const runnerUp = first.result.candidates[1] ?? best;
  const analysis = chat(`Why “${best.label}”?`.slice(0, 120), 'analysis', { runId: first.run.id, parentChatId: setup.id });
  say(analysis, 'user', `Why does “${best.label}” come first, and what would make “${runnerUp.label}” win instead?`);
  const positives = best.rankingFactors.positive.slice(0, 3).join('; ') || 'no single standout factor';
  const negatives = best.rankingFactors.negative.slice(0, 3).join('; ') || 'nothing significant';
  say(
    analysis,
    'agent',
    `“${best.label}” has the best ratio of performance to resources: I = ${formatI(best.scores.I)} against ${formatI(runnerUp.scores.I)} for “${runnerUp.label}”.\n\n` +
      `Its choices: ${describeChoices(SAMPLE_SPEC, best.choices)}.\n\n` +
      `In its favour: ${positives}.\nAgainst it: ${negatives}.\n\n` +
      `${best.rankingExplanation}\n\nTo test how robust the winner is, I can explore its neighbourhood: designs that change one or two of its choices.`,
    { kind: 'run-analysis', runId: first.run.id, candidateIds: [best.id, runnerUp.id] },
  );
  say(analysis, 'user', 'Yes, explore around the winner.');
  const seeded = await run(analysis, SAMPLE_SPEC, 'seeded', { numCandidates: 4, numScenarios: 5, seed: 7, seedCandidateId: best.id }, best);
  postSummary(analysis, seeded);
  const seededBest = seeded.result.candidates[0]!;
  say(
    analysis,
    'agent',
    seededBest.scores.I > best.scores.I
      ? `A neighbour does better: “${seededBest.label}” reaches I = ${formatI(seededBest.scores.I)} (the seed had ${formatI(best.scores.I)}). It is worth a closer look.`
      : `None of the neighbours beats the seed (best neighbour “${seededBest.label}”, I = ${formatI(seededBest.scores.I)}; seed ${formatI(best.scores.I)}), so the winner is locally robust.`,
  );

  // --- What-if chat: a bootstrapped team ------------------------------------------------------
  const whatIf = chat('What if money and effort were tight?', 'whatif', { parentChatId: setup.id, specOverride: SAMPLE_WHAT_IF });
  say(whatIf, 'user', 'What if we are bootstrapped: operating cost 95 and team effort 90?');
  say(
    whatIf,
    'agent',
    'In this what-if chat, “Operating cost” is 95 and “Team effort” is 90; the project spec is unchanged. Runs started here use the changed weights.',
    { kind: 'spec-override', changes: ['weight Operating cost 55 → 95', 'weight Team effort 60 → 90'] },
  );
  const whatIfSpec = effectiveSpec(SAMPLE_SPEC, SAMPLE_WHAT_IF);
  const alternative = await run(whatIf, whatIfSpec, 'full_search', { numCandidates: 6, numScenarios: 5, seed: 2024 });
  postSummary(whatIf, alternative);
  const altBest = alternative.result.candidates[0]!;
  say(
    whatIf,
    'agent',
    altBest.label === best.label
      ? `The winner holds: “${altBest.label}” still ranks first (I = ${formatI(altBest.scores.I)}), so the choice does not hinge on the budget.`
      : `The budget changes the answer: “${altBest.label}” (I = ${formatI(altBest.scores.I)}) overtakes “${best.label}”. ` +
          `Compare the two runs to see which choices moved.`,
    { kind: 'run-comparison', runIds: [first.run.id, alternative.run.id] },
  );

  const projectUpdatedAt = clock;
  const spec: ProblemSpec = {
    projectId,
    ...SAMPLE_SPEC,
    provenance: [
      {
        id: newId(),
        at: setup.createdAt + 120_000,
        actor: 'agent',
        chatSessionId: setup.id,
        summary: 'Drafted goals, constraints and the design space',
        changes: ['added 3 goals', 'added 5 constraints', 'added 4 dimensions (12 options)'],
        touchedIds: [...SAMPLE_SPEC.goals.map((g) => g.id), ...SAMPLE_SPEC.constraints.map((c) => c.id), ...SAMPLE_SPEC.designSpace.dimensions.map((d) => d.id)],
      },
    ],
    updatedAt: setup.createdAt + 120_000,
  };

  return {
    format: EXPORT_FORMAT,
    formatVersion: CURRENT_FORMAT_VERSION,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    exportedAt: now,
    appVersion: 'sample',
    scope: 'project',
    data: {
      project: {
        id: projectId,
        title: SAMPLE_TITLE,
        description: 'A worked example: which local store, sync model, backend and conflict handling suit an offline-first notes app?',
        createdAt,
        updatedAt: projectUpdatedAt,
        chatCount: chats.length,
        runCount: runs.length,
        lastExportedAt: null,
      },
      spec,
      worldModel: { projectId, ...WORLD_MODEL_ITEMS, updatedAt: setup.createdAt + 180_000 },
      chats,
      messages,
      runs: runs.map((entry) => entry.run),
      candidates: runs.flatMap((entry) => entry.result.candidates),
      scenarios: runs.flatMap((entry) => entry.result.scenarios),
      evaluations: runs.flatMap((entry) => entry.result.evaluations),
    },
  };
}
