/**
 * The bundled sample project: "a battery for a 5 kg delivery drone", a trade
 * study with attributes and units, a computed flight-range constraint, two
 * incompatible pairs, two hard constraints and cost taken from the price
 * attribute. The spec, world model and conversation are written here; every run
 * result comes from the real engine (runPipeline) when the sample is opened, so
 * the sample can never show numbers the engine would not produce. The result
 * is an ordinary export file, imported through the same path as a user's file.
 */
import {
  CURRENT_FORMAT_VERSION,
  CURRENT_SCHEMA_VERSION,
  EXPORT_FORMAT,
  deriveWhatIfChanges,
  newId,
  type Candidate,
  type ChatSession,
  type DesignOption,
  type Message,
  type ProblemSpec,
  type ProjectExportFile,
  type Run,
  type RunConfig,
  type RunMode,
  type SpecContent,
  type WorldModel,
  countExcludedDesigns,
  describeExclusion,
  runSummaryMeta,
} from '../../../domain';
import { runPipeline, type PipelineResult } from '../../../engine';

export const SAMPLE_TITLE = 'Sample: battery for a 5 kg delivery drone';

const C = {
  range: 'c-flight-range',
  thermal: 'c-thermal-safety',
  payload: 'c-pack-mass',
  cycles: 'c-cycle-life',
  cold: 'c-cold-weather',
  supply: 'c-supply-risk',
} as const;

const A = { energy: 'a-energy', capacity: 'a-capacity', mass: 'a-mass', price: 'a-price' } as const;

type Ratings = Partial<Record<(typeof C)[keyof typeof C], number>>;
type Values = Partial<Record<(typeof A)[keyof typeof A], number>>;

function option(id: string, name: string, description: string, cost: number, ratings: Ratings, attributes: Values): DesignOption {
  return { id, name, description, cost, ratings, attributes };
}

/**
 * Range of the loaded drone, km: usable energy (80 % of the pack, a 20 % reserve)
 * over consumption, 1.8 Wh per km for every kilogram flown (pack + 5 kg payload + 8 kg airframe).
 */
export const SAMPLE_RANGE_FORMULA = 'energy_wh * capacity * 0.8 / ((mass + 13) * 1.8)';

export const SAMPLE_SPEC: SpecContent = {
  goals: [
    { id: 'g-range', text: 'Carry a 5 kg payload on a 30 km round trip with a 20 % energy reserve' },
    { id: 'g-safe', text: 'Pass thermal-runaway certification for flights over people' },
    { id: 'g-cost', text: 'Keep the battery system price per drone low' },
  ],
  constraints: [
    {
      id: C.range,
      name: 'Flight range',
      description: 'Computed from pack energy, capacity and all-up mass; at least 30 km.',
      weight: 100,
      combine: 'weakest',
      quantity: { expression: SAMPLE_RANGE_FORMULA, comparator: 'atLeast', threshold: 30, unit: 'km', margin: 5 },
    },
    {
      id: C.thermal,
      name: 'Thermal safety',
      description: 'No thermal runaway: every part of the pack must hold, so one weak choice fails it.',
      weight: 100,
      combine: 'weakest',
      quantity: null,
    },
    {
      id: C.payload,
      name: 'Pack mass',
      description: 'The battery system should stay under 9 kg so the frame keeps its payload margin.',
      weight: 50,
      combine: 'mean',
      quantity: { expression: 'mass', comparator: 'atMost', threshold: 9, unit: 'kg', margin: 2 },
    },
    {
      id: C.cycles,
      name: 'Cycle life',
      description: 'Charge cycles before 80 % capacity; fewer pack swaps per year.',
      weight: 60,
      combine: 'mean',
      quantity: null,
    },
    {
      id: C.cold,
      name: 'Cold mornings',
      description: 'Full power at −10 °C; the weakest part of the pack decides.',
      weight: 45,
      combine: 'weakest',
      quantity: null,
    },
    {
      id: C.supply,
      name: 'Supply risk',
      description: 'Cells available from two or more suppliers.',
      weight: 30,
      combine: 'mean',
      quantity: null,
    },
  ],
  resolution: 'medium',
  mode: 'full_search',
  designSpace: {
    attributes: [
      { id: A.energy, key: 'energy_wh', name: 'Pack energy', unit: 'Wh' },
      { id: A.capacity, key: 'capacity', name: 'Capacity factor', unit: '' },
      { id: A.mass, key: 'mass', name: 'Mass', unit: 'kg' },
      { id: A.price, key: 'price', name: 'Price', unit: 'EUR' },
    ],
    incompatibilities: [
      {
        id: 'x-nca-none',
        optionIds: ['o-nca', 'o-thermal-none'],
        reason: 'NCA cells need at least passive cooling at this discharge rate',
      },
      { id: 'x-solid-6s', optionIds: ['o-solid', 'o-6s4p'], reason: 'the solid-state cells only come in high-voltage modules' },
    ],
    costAttributeId: A.price,
    dimensions: [
      {
        id: 'd-chemistry',
        name: 'Chemistry',
        description: 'Cell chemistry; energy and mass are for the standard pack size',
        options: [
          option(
            'o-lipo',
            'LiPo',
            'Pouch cells, high power',
            2,
            { [C.thermal]: 0.3, [C.cycles]: 0.3, [C.cold]: 0.6, [C.supply]: 0.9 },
            { [A.energy]: 1400, [A.mass]: 7.0, [A.price]: 900 },
          ),
          option(
            'o-nmc',
            'NMC 21700',
            'Cylindrical nickel-manganese-cobalt cells',
            2,
            { [C.thermal]: 0.55, [C.cycles]: 0.6, [C.cold]: 0.6, [C.supply]: 0.9 },
            { [A.energy]: 1650, [A.mass]: 7.2, [A.price]: 1100 },
          ),
          option(
            'o-lfp',
            'LiFePO4',
            'Iron-phosphate cells, very stable',
            2,
            { [C.thermal]: 0.95, [C.cycles]: 0.95, [C.cold]: 0.3, [C.supply]: 0.8 },
            { [A.energy]: 1050, [A.mass]: 8.5, [A.price]: 700 },
          ),
          option(
            'o-nca',
            'NCA',
            'Nickel-cobalt-aluminium, highest energy of the lithium-ion cells',
            3,
            { [C.thermal]: 0.5, [C.cycles]: 0.5, [C.cold]: 0.6, [C.supply]: 0.6 },
            { [A.energy]: 1750, [A.mass]: 7.0, [A.price]: 1300 },
          ),
          option(
            'o-sodium',
            'Sodium-ion',
            'No lithium or cobalt; low energy density',
            1,
            { [C.thermal]: 0.85, [C.cycles]: 0.8, [C.cold]: 0.85, [C.supply]: 0.5 },
            { [A.energy]: 850, [A.mass]: 7.5, [A.price]: 600 },
          ),
          option(
            'o-solid',
            'Solid-state',
            'Early production cells',
            5,
            { [C.thermal]: 0.85, [C.cycles]: 0.7, [C.cold]: 0.5, [C.supply]: 0.2 },
            { [A.energy]: 2100, [A.mass]: 6.5, [A.price]: 3200 },
          ),
        ],
      },
      {
        id: 'd-layout',
        name: 'Pack layout',
        description: 'Series × parallel cell arrangement',
        options: [
          option(
            'o-6s4p',
            '6S4P',
            'Low voltage, four parallel strings',
            1,
            { [C.thermal]: 0.7, [C.cycles]: 0.6 },
            { [A.capacity]: 1, [A.mass]: 0.3, [A.price]: 40 },
          ),
          option(
            'o-12s2p',
            '12S2P',
            'High voltage, two parallel strings',
            1,
            { [C.thermal]: 0.8, [C.cycles]: 0.6 },
            { [A.capacity]: 1, [A.mass]: 0.2, [A.price]: 30 },
          ),
          option(
            'o-12s3p',
            '12S3P',
            'A third parallel string: 50 % more energy and about 3.5 kg more',
            2,
            { [C.thermal]: 0.75, [C.cycles]: 0.8 },
            { [A.capacity]: 1.5, [A.mass]: 3.5, [A.price]: 450 },
          ),
        ],
      },
      {
        id: 'd-thermal',
        name: 'Thermal',
        description: 'Thermal management around the cells',
        options: [
          option(
            'o-thermal-none',
            'None',
            'Bare pack in the airframe',
            0,
            { [C.thermal]: 0.2, [C.cold]: 0.4 },
            { [A.mass]: 0, [A.price]: 0 },
          ),
          option(
            'o-thermal-passive',
            'Passive',
            'Heat spreaders and intumescent barriers between cells',
            1,
            { [C.thermal]: 0.65, [C.cold]: 0.5 },
            { [A.mass]: 0.6, [A.price]: 80 },
          ),
          option(
            'o-thermal-active',
            'Active liquid',
            'Cold plate with pump; also pre-heats on cold mornings',
            3,
            { [C.thermal]: 0.95, [C.cold]: 0.9 },
            { [A.mass]: 1.4, [A.price]: 350 },
          ),
        ],
      },
      {
        id: 'd-bms',
        name: 'BMS',
        description: 'Battery management system',
        options: [
          option(
            'o-bms-basic',
            'Basic',
            'Cell balancing and cut-off',
            1,
            { [C.thermal]: 0.5, [C.cycles]: 0.5 },
            { [A.mass]: 0.1, [A.price]: 60 },
          ),
          option(
            'o-bms-smart',
            'Smart',
            'Per-cell temperature sensing and state-of-health tracking',
            2,
            { [C.thermal]: 0.9, [C.cycles]: 0.9 },
            { [A.mass]: 0.2, [A.price]: 180 },
          ),
        ],
      },
    ],
  },
};

/** The what-if's spec: the customer asks for 35 km instead of 30 (stored as one item-level change to Flight range). */
export const SAMPLE_WHAT_IF_SPEC: SpecContent = {
  ...SAMPLE_SPEC,
  constraints: SAMPLE_SPEC.constraints.map((constraint) =>
    constraint.id === C.range && constraint.quantity ? { ...constraint, quantity: { ...constraint.quantity, threshold: 35 } } : constraint,
  ),
};

const WORLD_MODEL_ITEMS: Omit<WorldModel, 'projectId' | 'updatedAt'> = {
  actors: [
    { id: 'a-operator', name: 'Drone operator', description: 'Flies 6–10 deliveries a day and swaps packs between flights' },
    { id: 'a-certifier', name: 'Certification body', description: 'Requires no thermal runaway propagation for flights over people' },
  ],
  mechanisms: [
    { id: 'm-consumption', name: 'Consumption grows with mass', description: 'About 1.8 Wh per km for every kilogram flown' },
    {
      id: 'm-propagation',
      name: 'Runaway propagation',
      description: 'One failing cell heats its neighbours unless barriers or cooling stop it',
    },
  ],
  resources: [
    { id: 'r-budget', name: 'Battery budget', description: 'Price per drone for cells, pack, thermal system and BMS' },
    { id: 'r-frame', name: 'Frame payload', description: '8 kg airframe; 5 kg payload; the battery takes what is left' },
  ],
  assumptions: [
    { id: 's-reserve', name: '20 % reserve', description: 'Only 80 % of the pack energy is usable on a trip' },
    { id: 's-cold', name: 'Winter mornings', description: 'Morning flights start at −10 °C from November to February' },
  ],
  simplifications: [
    {
      id: 'x-mass',
      name: 'Fixed extra mass per layout',
      description: 'A third parallel string adds the same 3.5 kg whatever the chemistry',
    },
  ],
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
      specChanges: [],
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
        name: '',
        tags: [],
        notes: '',
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
  const space = SAMPLE_SPEC.designSpace;
  const designCount = space.dimensions.reduce((product, d) => product * d.options.length, 1);
  const exclusion = countExcludedDesigns(space);
  const setup = chat('Setup', 'setup');
  say(
    setup,
    'user',
    'We need a battery for a delivery drone that carries 5 kg on a 30 km round trip with a 20 % reserve, and it must pass thermal-runaway certification. Which chemistry, pack layout, thermal management and BMS?',
  );
  say(
    setup,
    'agent',
    `I set up the trade study: ${SAMPLE_SPEC.goals.length} goals, ${SAMPLE_SPEC.constraints.length} constraints and ${space.dimensions.length} dimensions — ` +
      `${space.dimensions.map((d) => `${d.name.toLowerCase()} (${d.options.length})`).join(', ')} — ${designCount} designs in all.\n\n` +
      `Options carry ${space.attributes.map((a) => `${a.name.toLowerCase()}${a.unit ? ` (${a.unit})` : ''}`).join(', ')}. ` +
      `“Flight range” is computed, not rated: ${SAMPLE_RANGE_FORMULA} must reach 30 km. It and “Thermal safety” are hard (weight 100): ` +
      'every chosen part must hold, so one weak choice fails the design. Cost (R) is the summed price in EUR.\n\n' +
      `${space.incompatibilities.length} pairs cannot go together (${describeExclusion(exclusion)}). Review the spec panel, then start a run.`,
    { kind: 'spec-update', summary: 'Drafted the battery trade study', touchedIds: SAMPLE_SPEC.constraints.map((c) => c.id) },
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

  // --- What-if chat: a longer route ----------------------------------------------------------
  const whatIf = chat('What if the route were 35 km?', 'whatif', {
    parentChatId: setup.id,
    specChanges: deriveWhatIfChanges(SAMPLE_SPEC, SAMPLE_WHAT_IF_SPEC),
  });
  say(whatIf, 'user', 'What if the customer extends the route to 35 km?');
  say(
    whatIf,
    'agent',
    'In this what-if chat, “Flight range” must reach 35 km instead of 30; the project spec is unchanged. Runs started here use the longer route.',
    { kind: 'spec-override', changes: [`formula of Flight range: ${SAMPLE_RANGE_FORMULA} ≥ 30 km → ≥ 35 km`] },
  );
  const alternative = await run(whatIf, SAMPLE_WHAT_IF_SPEC, 'full_search', { numCandidates: 6, numScenarios: 5, seed: 2024 });
  postSummary(whatIf, alternative);
  const altBest = alternative.result.candidates[0]!;
  say(
    whatIf,
    'agent',
    altBest.label === best.label
      ? `The winner holds: “${altBest.label}” still ranks first (I = ${formatI(altBest.scores.I)}), so the choice does not hinge on the extra 5 km.`
      : `The longer route changes the answer: “${altBest.label}” (I = ${formatI(altBest.scores.I)}) overtakes “${best.label}”. ` +
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
        summary: 'Drafted the battery trade study',
        changes: [
          `added ${SAMPLE_SPEC.goals.length} goals`,
          `added ${SAMPLE_SPEC.constraints.length} constraints`,
          `added ${SAMPLE_SPEC.designSpace.attributes.length} attributes`,
          `added ${SAMPLE_SPEC.designSpace.dimensions.length} dimensions (${SAMPLE_SPEC.designSpace.dimensions.flatMap((d) => d.options).length} options)`,
          `added ${SAMPLE_SPEC.designSpace.incompatibilities.length} incompatibilities`,
          'cost (R) from attribute Price',
        ],
        touchedIds: [
          ...SAMPLE_SPEC.goals.map((g) => g.id),
          ...SAMPLE_SPEC.constraints.map((c) => c.id),
          ...SAMPLE_SPEC.designSpace.attributes.map((a) => a.id),
          ...SAMPLE_SPEC.designSpace.dimensions.map((d) => d.id),
        ],
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
        description: 'A worked trade study: which chemistry, pack layout, thermal management and BMS carry 5 kg for 30 km and stay safe?',
        createdAt,
        updatedAt: projectUpdatedAt,
        chatCount: chats.length,
        runCount: runs.length,
        lastExportedAt: null,
        baselineRunId: null,
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
