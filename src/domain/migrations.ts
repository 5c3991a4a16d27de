/**
 * Named, pure record migrations. The same functions run inside Dexie's
 * upgrade() and when an older export file is imported, so a record can never
 * take two different paths to the current shape.
 */
import { defaultChatTitle } from './chat';
import { emptySpecContent, specContentSchema, type SpecContent } from './spec';
import { deriveWhatIfChanges, type WhatIfChange } from './whatIf';
import { deferredSchema } from './deferredSchema';

type Row = Record<string, unknown>;

/** Every table that holds project data, as plain rows. Settings are local and never migrated through here. */
export interface RecordSet {
  projects: Row[];
  specs: Row[];
  worldModels: Row[];
  chatSessions: Row[];
  messages: Row[];
  runs: Row[];
  candidates: Row[];
  scenarios: Row[];
  evaluations: Row[];
}

export const RECORD_TABLES = [
  'projects',
  'specs',
  'worldModels',
  'chatSessions',
  'messages',
  'runs',
  'candidates',
  'scenarios',
  'evaluations',
] as const satisfies readonly (keyof RecordSet)[];

export interface SchemaMigration {
  /** The schema version this migration produces. */
  toVersion: number;
  name: string;
  /** True when the version only adds indexes: records keep their shape, so no upgrade pass is needed. */
  indexOnly?: boolean;
  migrate(records: RecordSet): RecordSet;
  /**
   * Local settings this version moves into project records, after `migrate`.
   * Only the Dexie upgrade has settings (an export file never carries them),
   * so the importer needs no counterpart; the consumed keys are deleted.
   */
  adoptSettings?(records: RecordSet, settings: readonly Row[]): { records: RecordSet; consumedKeys: string[] };
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * v1 → v2 "chats-get-modes-titles-counters; runs-get-chat-link".
 * v1 had one untitled chat per project and runs that knew no chat.
 */
export const chatsGetModesAndRunsGetChatLink: SchemaMigration = {
  toVersion: 2,
  name: 'chats-get-modes-titles-counters-and-runs-get-chat-link',
  migrate(records) {
    const messageStats = new Map<string, { count: number; last: number }>();
    for (const message of records.messages) {
      const chatId = String(message.chatSessionId);
      const stats = messageStats.get(chatId) ?? { count: 0, last: 0 };
      stats.count += 1;
      stats.last = Math.max(stats.last, num(message.createdAt, 0));
      messageStats.set(chatId, stats);
    }

    const setupChatsSeen = new Map<string, number>();
    const chatsInCreationOrder = [...records.chatSessions].sort((a, b) => num(a.createdAt, 0) - num(b.createdAt, 0));
    const chatSessions = chatsInCreationOrder.map((chat) => {
      const projectId = String(chat.projectId);
      const seen = setupChatsSeen.get(projectId) ?? 0;
      setupChatsSeen.set(projectId, seen + 1);
      const createdAt = num(chat.createdAt, 0);
      const stats = messageStats.get(String(chat.id));
      return {
        ...chat,
        title: typeof chat.title === 'string' && chat.title.trim() ? chat.title : defaultChatTitle('setup', seen),
        mode: typeof chat.mode === 'string' ? chat.mode : 'setup',
        runId: chat.runId ?? null,
        candidateId: chat.candidateId ?? null,
        parentChatId: chat.parentChatId ?? null,
        specOverride: chat.specOverride ?? null,
        updatedAt: num(chat.updatedAt, createdAt),
        messageCount: stats?.count ?? 0,
        lastMessageAt: Math.max(createdAt, stats?.last ?? 0),
        archivedAt: chat.archivedAt ?? null,
      };
    });

    const runs = records.runs.map((run) => ({ ...run, chatSessionId: run.chatSessionId ?? null }));

    const countBy = (rows: Row[]) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(String(row.projectId), (counts.get(String(row.projectId)) ?? 0) + 1);
      return counts;
    };
    const chatCounts = countBy(chatSessions);
    const runCounts = countBy(runs);
    const projects = records.projects.map((project) => ({
      ...project,
      chatCount: chatCounts.get(String(project.id)) ?? 0,
      runCount: runCounts.get(String(project.id)) ?? 0,
      lastExportedAt: project.lastExportedAt ?? null,
    }));

    return { ...records, projects, chatSessions, runs };
  },
};

/**
 * v2 → v3 "runs-indexed-by-status": the run history's status filter gets its
 * own [projectId+status+createdAt] index. Records are unchanged.
 */
export const runsIndexedByStatus: SchemaMigration = {
  toVersion: 3,
  name: 'runs-indexed-by-status',
  indexOnly: true,
  migrate: (records) => records,
};

// ---------------------------------------------------------------------------
// v3 → v4: the trade-study spec fields, and scores repaired from rounding noise
// ---------------------------------------------------------------------------

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Spec content (a project spec, a what-if override or a run snapshot) with the
 * schema-4 fields filled: constraint combine/quantity, option attributes, and
 * the design space's attributes, incompatibilities and cost source. Anything
 * that is not the expected shape is left for validation to name.
 */
export function fillSpecContentFields(content: Row): Row {
  const next: Row = { ...content };
  if (Array.isArray(content.constraints)) {
    next.constraints = content.constraints.map((constraint: unknown) =>
      isRow(constraint) ? { ...constraint, combine: constraint.combine ?? 'mean', quantity: constraint.quantity ?? null } : constraint,
    );
  }
  if (isRow(content.designSpace)) {
    const space = content.designSpace;
    next.designSpace = {
      ...space,
      dimensions: Array.isArray(space.dimensions)
        ? space.dimensions.map((dimension: unknown) =>
            isRow(dimension) && Array.isArray(dimension.options)
              ? {
                  ...dimension,
                  options: dimension.options.map((option: unknown) =>
                    isRow(option) ? { ...option, attributes: option.attributes ?? {} } : option,
                  ),
                }
              : dimension,
          )
        : space.dimensions,
      attributes: space.attributes ?? [],
      incompatibilities: space.incompatibilities ?? [],
      costAttributeId: space.costAttributeId ?? null,
    };
  }
  return next;
}

/** How far outside [0, 1] a stored score may be and still count as floating-point noise (1.0000000000000002). */
export const SCORE_NOISE = 1e-9;

export interface ScoreRepairs {
  /** Scores a hair above 1, stored as 1. */
  aboveOne: number;
  /** Scores a hair below 0, stored as 0. */
  belowZero: number;
}

function repairScoresIn(rows: Row[], repairs: ScoreRepairs, paths: (row: Row) => { holder: Row; key: string }[]): Row[] {
  let changed = false;
  const out = rows.map((row) => {
    if (!isRow(row)) return row;
    const copy = structuredClone(row);
    let touched = false;
    for (const { holder, key } of paths(copy)) {
      const value = holder[key];
      if (typeof value !== 'number') continue;
      if (value > 1 && value <= 1 + SCORE_NOISE) {
        holder[key] = 1;
        repairs.aboveOne += 1;
        touched = true;
      } else if (value < 0 && value >= -SCORE_NOISE) {
        holder[key] = 0;
        repairs.belowZero += 1;
        touched = true;
      }
    }
    if (!touched) return row;
    changed = true;
    return copy;
  });
  return changed ? out : rows;
}

function satisfactionScores(holder: unknown): { holder: Row; key: string }[] {
  if (!isRow(holder)) return [];
  return Object.values(holder)
    .filter(isRow)
    .map((entry) => ({ holder: entry, key: 'score' }));
}

function numberValues(holder: unknown): { holder: Row; key: string }[] {
  if (!isRow(holder)) return [];
  return Object.keys(holder).map((key) => ({ holder, key }));
}

/**
 * Scores the engine once stored a rounding step outside [0, 1]
 * (seven ratings of 1.0 averaging to 1.0000000000000002) made a whole export
 * unimportable. They are clamped; anything further out stays invalid.
 * Tables without a repair keep their array identity.
 */
export function repairScoreNoise(records: RecordSet): { records: RecordSet; repairs: ScoreRepairs } {
  const repairs: ScoreRepairs = { aboveOne: 0, belowZero: 0 };
  const candidates = repairScoresIn(records.candidates, repairs, (candidate) => {
    const scores = isRow(candidate.scores) ? candidate.scores : null;
    return [
      ...(scores ? [{ holder: scores, key: 'P' }, ...satisfactionScores(scores.constraintSatisfaction)] : []),
      ...numberValues(candidate.predictedEffects),
    ];
  });
  const evaluations = repairScoresIn(records.evaluations, repairs, (evaluation) => [
    { holder: evaluation, key: 'P' },
    ...satisfactionScores(evaluation.constraintSatisfaction),
  ]);
  return { records: { ...records, candidates, evaluations }, repairs };
}

/** "Repaired 3 scores that were a hair above 1 …" — one sentence per kind, for the import preview. */
export function describeScoreRepairs(repairs: ScoreRepairs): string[] {
  const lines: string[] = [];
  const scores = (n: number) => `${n} score${n === 1 ? '' : 's'} that ${n === 1 ? 'was' : 'were'}`;
  if (repairs.aboveOne)
    lines.push(
      `Repaired ${scores(repairs.aboveOne)} a hair above 1 (rounding noise such as 1.0000000000000002); ${repairs.aboveOne === 1 ? 'it is' : 'they are'} stored as 1.`,
    );
  if (repairs.belowZero)
    lines.push(
      `Repaired ${scores(repairs.belowZero)} a hair below 0 (rounding noise); ${repairs.belowZero === 1 ? 'it is' : 'they are'} stored as 0.`,
    );
  return lines;
}

/**
 * v3 → v4 "spec-attributes-incompatibilities-quantities-and-score-repair":
 * every spec-shaped record (project specs, what-if overrides, run snapshots)
 * gets the trade-study fields with their neutral values, scenarios get no
 * attribute scales, and scores off [0, 1] by rounding noise are clamped.
 */
export const specQuantitiesAndScoreRepair: SchemaMigration = {
  toVersion: 4,
  name: 'spec-attributes-incompatibilities-quantities-and-score-repair',
  migrate(records) {
    const specs = records.specs.map((spec) => (isRow(spec) ? fillSpecContentFields(spec) : spec));
    const chatSessions = records.chatSessions.map((chat) =>
      isRow(chat) && isRow(chat.specOverride) ? { ...chat, specOverride: fillSpecContentFields(chat.specOverride) } : chat,
    );
    const runs = records.runs.map((run) =>
      isRow(run) && isRow(run.specSnapshot) ? { ...run, specSnapshot: fillSpecContentFields(run.specSnapshot) } : run,
    );
    const scenarios = records.scenarios.map((scenario) =>
      isRow(scenario) ? { ...scenario, attributeScales: scenario.attributeScales ?? {} } : scenario,
    );
    const repaired = repairScoreNoise(records).records;
    return { ...records, specs, chatSessions, runs, scenarios, candidates: repaired.candidates, evaluations: repaired.evaluations };
  },
};

// ---------------------------------------------------------------------------
// v4 → v5: what-if chats store item-level changes instead of whole sections
// ---------------------------------------------------------------------------

const specOverrideSectionsSchema = deferredSchema(() => specContentSchema.partial());

/** Ids the project spec's own provenance says it touched after `since` (not counting what-if-scoped entries). */
function idsTouchedByProjectSince(spec: Row | undefined, since: number): Set<string> {
  const ids = new Set<string>();
  if (!spec || !Array.isArray(spec.provenance)) return ids;
  for (const entry of spec.provenance) {
    if (!isRow(entry) || entry.scope === 'whatif' || num(entry.at, 0) <= since || !Array.isArray(entry.touchedIds)) continue;
    for (const id of entry.touchedIds) if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

function idsTouchedByChat(spec: Row | undefined, chatId: string): Set<string> {
  const ids = new Set<string>();
  if (!spec || !Array.isArray(spec.provenance)) return ids;
  for (const entry of spec.provenance) {
    if (!isRow(entry) || entry.chatSessionId !== chatId || !Array.isArray(entry.touchedIds)) continue;
    for (const id of entry.touchedIds) if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/**
 * The item-level changes for one stored v4 override.
 *
 * The base a what-if was branched from was never stored, so the changes are
 * derived against the CURRENT project spec: the what-if's effective spec is
 * exactly what it was before the migration, with one deliberate exception. An
 * item the override's copied section lacks only because the project spec
 * gained it after the branch (the project's provenance touched it after the
 * chat was created, and this chat's own provenance never did) is not read as
 * "removed in this what-if": it shows through, as it would have had the
 * what-if stored changes from the start. That is the bug v5 fixes.
 */
export function overrideToWhatIfChanges(override: unknown, specRow: Row | undefined, chat: Row): WhatIfChange[] | null {
  const parsedOverride = specOverrideSectionsSchema.safeParse(override);
  if (!parsedOverride.success) return null;
  const parsedBase = specRow ? specContentSchema.safeParse(specRow) : null;
  const base: SpecContent = parsedBase?.success ? parsedBase.data : emptySpecContent();
  const sections = parsedOverride.data;
  const target: SpecContent = {
    goals: sections.goals ?? base.goals,
    constraints: sections.constraints ?? base.constraints,
    resolution: sections.resolution ?? base.resolution,
    mode: sections.mode ?? base.mode,
    designSpace: sections.designSpace ?? base.designSpace,
  };
  const addedToBaseLater = idsTouchedByProjectSince(specRow, num(chat.createdAt, 0));
  const touchedHere = idsTouchedByChat(specRow, String(chat.id));
  return deriveWhatIfChanges(base, target).filter((change) => {
    const removal = change.ops.length === 1 && change.ops[0]!.op.startsWith('remove');
    if (!removal) return true;
    const id = change.key.split(':')[1] ?? '';
    return !(addedToBaseLater.has(id) && !touchedHere.has(id));
  });
}

/**
 * v4 → v5 "whatif-overrides-become-item-changes-over-the-current-project-spec":
 * every chat gets `specChanges` (empty unless it is a what-if with an
 * override) and loses `specOverride`. An override that is not a readable spec
 * is kept as `specOverride` (the importer then names it; the database keeps
 * it rather than losing it) and the chat gets no changes.
 */
export const whatIfOverridesBecomeItemChanges: SchemaMigration = {
  toVersion: 5,
  name: 'whatif-overrides-become-item-changes-over-the-current-project-spec',
  migrate(records) {
    const specsByProject = new Map<string, Row>();
    for (const spec of records.specs) if (isRow(spec)) specsByProject.set(String(spec.projectId), spec);
    const chatSessions = records.chatSessions.map((chat) => {
      if (!isRow(chat)) return chat;
      const { specOverride, ...rest } = chat;
      if (chat.mode !== 'whatif' || !isRow(specOverride))
        return { ...rest, specChanges: Array.isArray(chat.specChanges) ? chat.specChanges : [] };
      const changes = overrideToWhatIfChanges(specOverride, specsByProject.get(String(chat.projectId)), chat);
      if (changes === null) return { ...rest, specOverride, specChanges: [] };
      return { ...rest, specChanges: changes };
    });
    return { ...records, chatSessions };
  },
};

// ---------------------------------------------------------------------------
// v5 → v6: runs get a name, tags and notes; the baseline pin joins the project
// ---------------------------------------------------------------------------

/** The settings key under which schema 5 kept a project's pinned baseline run. */
export const LEGACY_BASELINE_SETTING_PREFIX = 'baseline:';

/**
 * v5 → v6 "runs-get-name-tags-notes-and-projects-carry-their-baseline":
 * every run gets an empty name, no tags and empty notes (values a run already
 * holds are kept, for validation to judge), and every project a
 * `baselineRunId` (null). In the database, the pin schema 5 kept as a local
 * setting moves onto its project when it still names one of that project's
 * runs, so it now travels with an export.
 */
export const runsGetLabelsAndProjectsCarryBaseline: SchemaMigration = {
  toVersion: 6,
  name: 'runs-get-name-tags-notes-and-projects-carry-their-baseline',
  migrate(records) {
    const runs = records.runs.map((run) =>
      isRow(run)
        ? {
            ...run,
            name: typeof run.name === 'string' ? run.name : '',
            tags: Array.isArray(run.tags) ? run.tags : [],
            notes: typeof run.notes === 'string' ? run.notes : '',
          }
        : run,
    );
    const projects = records.projects.map((project) =>
      isRow(project) ? { ...project, baselineRunId: project.baselineRunId ?? null } : project,
    );
    return { ...records, projects, runs };
  },
  adoptSettings(records, settings) {
    const pins = new Map<string, string>();
    const consumedKeys: string[] = [];
    for (const setting of settings) {
      if (typeof setting.key !== 'string' || !setting.key.startsWith(LEGACY_BASELINE_SETTING_PREFIX)) continue;
      consumedKeys.push(setting.key);
      if (typeof setting.value === 'string') pins.set(setting.key.slice(LEGACY_BASELINE_SETTING_PREFIX.length), setting.value);
    }
    if (pins.size === 0) return { records, consumedKeys };
    const runProject = new Map(records.runs.filter(isRow).map((run) => [String(run.id), String(run.projectId)]));
    const projects = records.projects.map((project) => {
      const pinned = isRow(project) ? pins.get(String(project.id)) : undefined;
      // A pin naming a run that is gone (or another project's) pinned nothing a comparison could use.
      return pinned !== undefined && runProject.get(pinned) === String(project.id) ? { ...project, baselineRunId: pinned } : project;
    });
    return { records: { ...records, projects }, consumedKeys };
  },
};

// ---------------------------------------------------------------------------
// The registry: one list that the Dexie versions (src/db/schema.ts) and the
// importer (exportFormat.ts, through migrateRecordSet) both read.
// ---------------------------------------------------------------------------

/** Version 1: the single-chat schema. Runs knew no chat; chats had no mode or title. */
export const SCHEMA_V1_STORES = {
  projects: 'id, updatedAt',
  specs: 'projectId',
  worldModels: 'projectId',
  chatSessions: 'id, projectId',
  messages: 'id, projectId, chatSessionId, [chatSessionId+createdAt]',
  runs: 'id, projectId, [projectId+createdAt], status',
  candidates: 'id, runId, projectId, [runId+rank]',
  scenarios: 'id, runId, projectId',
  evaluations: 'id, runId, projectId, candidateId',
  settings: 'key',
} as const;

/** Version 2: chats get mode, title and counters; runs link to the chat that started them. */
export const SCHEMA_V2_STORES = {
  ...SCHEMA_V1_STORES,
  chatSessions: 'id, projectId, [projectId+lastMessageAt], runId, candidateId, parentChatId',
  runs: 'id, projectId, chatSessionId, candidateId, status, [projectId+createdAt], [projectId+chatSessionId], [chatSessionId+createdAt]',
} as const;

/** Version 3: runs filtered by status walk their own index, newest first, without scanning the project. */
export const SCHEMA_V3_STORES = {
  ...SCHEMA_V2_STORES,
  runs: `${SCHEMA_V2_STORES.runs}, [projectId+status+createdAt]`,
} as const;

/** Version 4: stores unchanged; spec records gain the trade-study fields. */
export const SCHEMA_V4_STORES = SCHEMA_V3_STORES;

/** Version 5: stores unchanged; what-if chats hold item-level changes (specChanges) instead of section overrides. */
export const SCHEMA_V5_STORES = SCHEMA_V4_STORES;

/** Version 6: runs carry name, tags and notes; the history's tag filter walks a multiEntry index of tags. */
export const SCHEMA_V6_STORES = {
  ...SCHEMA_V5_STORES,
  runs: `${SCHEMA_V5_STORES.runs}, *tags`,
} as const;

export interface SchemaVersion {
  version: number;
  /** Dexie stores: table → primary key and indexes. */
  stores: Readonly<Record<string, string>>;
  /** The record migration that brings version − 1 records to this version; null for version 1. */
  migration: SchemaMigration | null;
}

/**
 * Every schema version, in order. A new version appends one entry here (its
 * stores and its named migration), bumps the export format in exportFormat.ts,
 * adds a fixture, and regenerates the schema snapshot (npm run schema:snapshot).
 */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  { version: 1, stores: SCHEMA_V1_STORES, migration: null },
  { version: 2, stores: SCHEMA_V2_STORES, migration: chatsGetModesAndRunsGetChatLink },
  { version: 3, stores: SCHEMA_V3_STORES, migration: runsIndexedByStatus },
  { version: 4, stores: SCHEMA_V4_STORES, migration: specQuantitiesAndScoreRepair },
  { version: 5, stores: SCHEMA_V5_STORES, migration: whatIfOverridesBecomeItemChanges },
  { version: 6, stores: SCHEMA_V6_STORES, migration: runsGetLabelsAndProjectsCarryBaseline },
];

/** The migrations of the registry, in order. */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = SCHEMA_VERSIONS.flatMap((entry) => (entry.migration ? [entry.migration] : []));

export const CURRENT_SCHEMA_VERSION = SCHEMA_VERSIONS.length;

export function migrationsAfter(fromVersion: number): SchemaMigration[] {
  return SCHEMA_MIGRATIONS.filter((migration) => migration.toVersion > fromVersion);
}

export function migrateRecordSet(records: RecordSet, fromVersion: number): RecordSet {
  return migrationsAfter(fromVersion).reduce((current, migration) => migration.migrate(current), records);
}

export function emptyRecordSet(): RecordSet {
  return {
    projects: [],
    specs: [],
    worldModels: [],
    chatSessions: [],
    messages: [],
    runs: [],
    candidates: [],
    scenarios: [],
    evaluations: [],
  };
}
