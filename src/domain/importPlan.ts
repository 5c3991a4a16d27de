/**
 * The second half of the pure import pipeline: make validated project data
 * self-consistent (references that point outside the file, counters,
 * unfinished runs), describe it for the preview, and give every record a fresh
 * id with all references remapped consistently.
 */
import type { ProjectExportData } from './exportFormat';
import { shortId } from './ids';
import type { Run } from './run';

export interface EntityCounts {
  chats: number;
  messages: number;
  runs: number;
  candidates: number;
  scenarios: number;
  evaluations: number;
}

export interface ProjectPreview {
  title: string;
  description: string;
  hasSpec: boolean;
  hasWorldModel: boolean;
  counts: EntityCounts;
}

export interface ResolvedProject {
  data: ProjectExportData;
  preview: ProjectPreview;
  warnings: string[];
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function verb(count: number, singular: string, pluralForm: string): string {
  return count === 1 ? singular : pluralForm;
}

export function countEntities(data: ProjectExportData): EntityCounts {
  return {
    chats: data.chats.length,
    messages: data.messages.length,
    runs: data.runs.length,
    candidates: data.candidates.length,
    scenarios: data.scenarios.length,
    evaluations: data.evaluations.length,
  };
}

export const INTERRUPTED_ON_IMPORT_ERROR =
  'The run was still in progress when the project was exported; it was imported as interrupted without partial results.';

/**
 * References that point at records missing from the file are dropped (links)
 * or the dependent record is left out (a message without its chat); every such
 * change becomes a preview warning so nothing is lost silently.
 */
export function resolveProjectData(input: ProjectExportData): ResolvedProject {
  const warnings: string[] = [];
  const projectId = input.project.id;

  const foreignProject = [
    input.spec,
    input.worldModel,
    ...input.chats,
    ...input.messages,
    ...input.runs,
    ...input.candidates,
    ...input.scenarios,
    ...input.evaluations,
  ].filter((record) => record !== null && record.projectId !== projectId).length;
  if (foreignProject) {
    warnings.push(
      `${plural(foreignProject, 'record')} carried another project's id; ${verb(foreignProject, 'it is', 'they are')} imported into this project.`,
    );
  }

  const chatIds = new Set(input.chats.map((chat) => chat.id));

  // Runs that never finished have no worker behind them after import; treat them as the start-up check does.
  const unfinished = new Set(input.runs.filter((run) => run.status === 'running' || run.status === 'created').map((run) => run.id));
  if (unfinished.size) {
    warnings.push(
      `${plural(unfinished.size, 'run was', 'runs were')} still in progress when exported; ${verb(unfinished.size, 'it is', 'they are')} imported as interrupted, without partial results.`,
    );
  }

  const runIds = new Set(input.runs.map((run) => run.id));
  const keptCandidates = input.candidates.filter((candidate) => runIds.has(candidate.runId) && !unfinished.has(candidate.runId));
  const keptScenarios = input.scenarios.filter((scenario) => runIds.has(scenario.runId) && !unfinished.has(scenario.runId));
  const orphanResults =
    input.candidates.filter((c) => !runIds.has(c.runId)).length +
    input.scenarios.filter((s) => !runIds.has(s.runId)).length +
    input.evaluations.filter((e) => !runIds.has(e.runId)).length;
  if (orphanResults) {
    warnings.push(
      `${plural(orphanResults, 'result')} (candidates, scenarios or evaluations) belong to a run that is not in the file; ${verb(orphanResults, 'it is', 'they are')} left out.`,
    );
  }
  const candidateIds = new Set(keptCandidates.map((c) => c.id));
  const scenarioIds = new Set(keptScenarios.map((s) => s.id));
  const keptEvaluations = input.evaluations.filter((evaluation) => runIds.has(evaluation.runId) && !unfinished.has(evaluation.runId));
  const evaluationsWithoutPair = keptEvaluations.filter((e) => !candidateIds.has(e.candidateId) || !scenarioIds.has(e.scenarioId));
  if (evaluationsWithoutPair.length) {
    warnings.push(
      `${plural(evaluationsWithoutPair.length, 'evaluation')} reference a candidate or scenario that is not in the file; ${verb(evaluationsWithoutPair.length, 'it is', 'they are')} left out.`,
    );
  }
  const evaluations = keptEvaluations.filter((e) => candidateIds.has(e.candidateId) && scenarioIds.has(e.scenarioId));

  let brokenLineage = 0;
  const candidates = keptCandidates.map((candidate) => {
    const known = candidate.parentIds.filter((id) => candidateIds.has(id));
    if (known.length !== candidate.parentIds.length) brokenLineage += 1;
    return { ...candidate, projectId, parentIds: known };
  });
  if (brokenLineage) {
    warnings.push(
      `${plural(brokenLineage, 'candidate lists', 'candidates list')} a parent candidate that is not in the file; that lineage link is dropped.`,
    );
  }

  let runsWithMissingChat = 0;
  let runsWithMissingCandidate = 0;
  const runs: Run[] = input.runs.map((run) => {
    let next: Run = { ...run, projectId };
    if (run.chatSessionId !== null && !chatIds.has(run.chatSessionId)) {
      runsWithMissingChat += 1;
      next = { ...next, chatSessionId: null, originChatDeleted: true };
    }
    let missingCandidate = false;
    if (next.candidateId && !candidateIds.has(next.candidateId)) {
      missingCandidate = true;
      next = { ...next, candidateId: null };
    }
    const config = { ...next.config };
    if (config.seedCandidateId && !candidateIds.has(config.seedCandidateId)) {
      missingCandidate = true;
      config.seedCandidateId = null;
    }
    if (config.evalCandidates) {
      config.evalCandidates = config.evalCandidates.map((entry) => {
        if (entry.sourceCandidateId && !candidateIds.has(entry.sourceCandidateId)) {
          missingCandidate = true;
          return { ...entry, sourceCandidateId: null };
        }
        return entry;
      });
    }
    if (missingCandidate) runsWithMissingCandidate += 1;
    next = { ...next, config };
    if (unfinished.has(run.id)) {
      next = {
        ...next,
        status: 'interrupted',
        completedAt: run.completedAt ?? run.startedAt ?? run.createdAt,
        durationMs: null,
        candidateCount: 0,
        scenarioCount: 0,
        evaluationCount: 0,
        metrics: { ...next.metrics, bestI: null },
        error: INTERRUPTED_ON_IMPORT_ERROR,
      };
    }
    return next;
  });
  if (runsWithMissingChat) {
    warnings.push(
      `${plural(runsWithMissingChat, 'run references', 'runs reference')} a chat that is not in the file; ${verb(runsWithMissingChat, 'it is', 'they are')} kept in the run history as from a deleted chat.`,
    );
  }
  if (runsWithMissingCandidate) {
    warnings.push(
      `${plural(runsWithMissingCandidate, 'run references', 'runs reference')} a candidate that is not in the file; that link is dropped.`,
    );
  }

  // A model reply still streaming when exported has no tab behind it any more, like an unfinished run.
  let unfinishedReplies = 0;
  const messages = input.messages
    .filter((message) => chatIds.has(message.chatSessionId))
    .map((message) => {
      if (message.meta?.kind !== 'modelReply' || message.meta.state !== 'streaming') return { ...message, projectId };
      unfinishedReplies += 1;
      return { ...message, projectId, meta: { ...message.meta, state: 'interrupted', phase: null } };
    });
  if (unfinishedReplies) {
    warnings.push(
      `${plural(unfinishedReplies, 'model reply was', 'model replies were')} still streaming when exported; ${verb(unfinishedReplies, 'it is', 'they are')} imported as interrupted, with the text that had arrived.`,
    );
  }
  const orphanMessages = input.messages.length - messages.length;
  if (orphanMessages) {
    warnings.push(
      `${plural(orphanMessages, 'message belongs', 'messages belong')} to a chat that is not in the file; ${verb(orphanMessages, 'it is', 'they are')} left out.`,
    );
  }

  const stats = new Map<string, { count: number; last: number }>();
  for (const message of messages) {
    const entry = stats.get(message.chatSessionId) ?? { count: 0, last: 0 };
    entry.count += 1;
    entry.last = Math.max(entry.last, message.createdAt);
    stats.set(message.chatSessionId, entry);
  }
  let chatLinksDropped = 0;
  const chats = input.chats.map((chat) => {
    const entry = stats.get(chat.id);
    let dropped = false;
    const runId = chat.runId && runIds.has(chat.runId) ? chat.runId : ((dropped ||= Boolean(chat.runId)), null);
    const candidateId =
      chat.candidateId && candidateIds.has(chat.candidateId) ? chat.candidateId : ((dropped ||= Boolean(chat.candidateId)), null);
    const parentChatId =
      chat.parentChatId && chatIds.has(chat.parentChatId) ? chat.parentChatId : ((dropped ||= Boolean(chat.parentChatId)), null);
    if (dropped) chatLinksDropped += 1;
    return {
      ...chat,
      projectId,
      runId,
      candidateId,
      parentChatId,
      // Counters are derived, so a hand-edited or partial file can never make them drift.
      messageCount: entry?.count ?? 0,
      lastMessageAt: Math.max(chat.createdAt, entry?.last ?? 0),
    };
  });
  if (chatLinksDropped) {
    warnings.push(
      `${plural(chatLinksDropped, 'chat refers', 'chats refer')} to a run, candidate or parent chat that is not in the file; that link is dropped.`,
    );
  }

  let provenanceLinksDropped = 0;
  const spec = input.spec
    ? {
        ...input.spec,
        projectId,
        provenance: input.spec.provenance.map((entry) => {
          if (entry.chatSessionId !== null && !chatIds.has(entry.chatSessionId)) {
            provenanceLinksDropped += 1;
            return { ...entry, chatSessionId: null };
          }
          return entry;
        }),
      }
    : null;
  if (provenanceLinksDropped) {
    warnings.push(
      `${plural(provenanceLinksDropped, 'spec change comes', 'spec changes come')} from a chat that is not in the file; the change is kept without its chat.`,
    );
  }
  if (!input.spec) warnings.push('The file has no problem spec; the project starts with an empty one.');
  if (!input.worldModel) warnings.push('The file has no world model; the project starts with an empty one.');

  // A pin on a run the file lacks, or on one that never finished (it has no results to compare), pins nothing.
  const pinned = input.project.baselineRunId;
  const baselineRunId = pinned !== null && runIds.has(pinned) && !unfinished.has(pinned) ? pinned : null;
  if (pinned !== null && baselineRunId === null) {
    warnings.push(
      runIds.has(pinned)
        ? 'The pinned baseline run was still in progress when exported; the project is imported without a baseline.'
        : 'The pinned baseline run is not in the file; the project is imported without a baseline.',
    );
  }

  const data: ProjectExportData = {
    project: { ...input.project, chatCount: chats.length, runCount: runs.length, baselineRunId },
    spec,
    worldModel: input.worldModel ? { ...input.worldModel, projectId } : null,
    chats,
    messages,
    runs,
    candidates,
    scenarios: keptScenarios.map((scenario) => ({ ...scenario, projectId })),
    evaluations: evaluations.map((evaluation) => ({ ...evaluation, projectId })),
  };
  return {
    data,
    warnings,
    preview: {
      title: data.project.title,
      description: data.project.description,
      hasSpec: Boolean(input.spec),
      hasWorldModel: Boolean(input.worldModel),
      counts: countEntities(data),
    },
  };
}

// ---------------------------------------------------------------------------
// Fresh ids
// ---------------------------------------------------------------------------

/** A full UUID, or the 8-character short id users see ("Run 3f2a91c0"). */
const ID_TOKEN = /\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/gi;

/**
 * Replaces ids written into text — full ids, and the short ids of shortId()
 * that titles and run summaries quote — so "Analysis: Run 3f2a91c0" still
 * names the imported run.
 */
export function textIdRemapper(ids: ReadonlyMap<string, string>): (text: string) => string {
  const tokens = new Map<string, string>();
  for (const [oldId, freshId] of ids) {
    tokens.set(oldId.toLowerCase(), freshId);
    const oldShort = shortId(oldId);
    if (/^[0-9a-f]{8}$/i.test(oldShort)) tokens.set(oldShort.toLowerCase(), shortId(freshId));
  }
  return (text) => text.replace(ID_TOKEN, (token) => tokens.get(token.toLowerCase()) ?? token);
}

/**
 * Message meta is free-form (each card kind has its own shape), so every
 * string — value or key — equal to a known old id is replaced, at any depth,
 * and ids quoted inside longer strings too.
 */
export function remapDeep(
  value: unknown,
  ids: ReadonlyMap<string, string>,
  remapText: (text: string) => string = textIdRemapper(ids),
): unknown {
  if (typeof value === 'string') return ids.get(value) ?? remapText(value);
  if (Array.isArray(value)) return value.map((item) => remapDeep(item, ids, remapText));
  if (typeof value === 'object' && value !== null) {
    // Object.fromEntries defines own properties, so no key can reach a prototype.
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [ids.get(key) ?? key, remapDeep(child, ids, remapText)]));
  }
  return value;
}

export interface FreshIdOptions {
  newId: () => string;
  /** The import time: the project's activity time and, since the user holds the file, its last backup. */
  now: number;
}

/**
 * A copy of resolved project data where every record has a new id and every
 * reference points at the new ids. Pure: calling it twice on the same data
 * gives two independent projects.
 */
export function withFreshIds(data: ProjectExportData, { newId, now }: FreshIdOptions): ProjectExportData {
  const ids = new Map<string, string>();
  const fresh = (oldId: string): string => {
    let id = ids.get(oldId);
    if (!id) {
      id = newId();
      ids.set(oldId, id);
    }
    return id;
  };
  const projectId = fresh(data.project.id);
  for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const) {
    for (const record of data[key]) fresh(record.id);
  }
  // Resolved data only references records in the file, so every lookup hits.
  const ref = (oldId: string): string => ids.get(oldId) ?? oldId;
  const optionalRef = (oldId: string | null | undefined): string | null => (oldId ? ref(oldId) : null);
  const remapText = textIdRemapper(ids);

  return {
    project: {
      ...data.project,
      id: projectId,
      updatedAt: Math.max(now, data.project.updatedAt),
      lastExportedAt: now,
      baselineRunId: optionalRef(data.project.baselineRunId),
    },
    spec: data.spec
      ? {
          ...data.spec,
          projectId,
          provenance: data.spec.provenance.map((entry) => ({ ...entry, chatSessionId: optionalRef(entry.chatSessionId) })),
        }
      : null,
    worldModel: data.worldModel ? { ...data.worldModel, projectId } : null,
    chats: data.chats.map((chat) => ({
      ...chat,
      id: ref(chat.id),
      title: remapText(chat.title),
      projectId,
      runId: optionalRef(chat.runId),
      candidateId: optionalRef(chat.candidateId),
      parentChatId: optionalRef(chat.parentChatId),
    })),
    messages: data.messages.map((message) => ({
      ...message,
      id: ref(message.id),
      projectId,
      chatSessionId: ref(message.chatSessionId),
      content: remapText(message.content),
      meta: message.meta ? (remapDeep(message.meta, ids, remapText) as typeof message.meta) : (message.meta ?? null),
    })),
    runs: data.runs.map((run) => ({
      ...run,
      id: ref(run.id),
      projectId,
      chatSessionId: optionalRef(run.chatSessionId),
      candidateId: optionalRef(run.candidateId),
      config: {
        ...run.config,
        ...(run.config.seedCandidateId !== undefined ? { seedCandidateId: optionalRef(run.config.seedCandidateId) } : {}),
        ...(run.config.evalCandidates
          ? {
              evalCandidates: run.config.evalCandidates.map((entry) => ({
                ...entry,
                ...(entry.sourceCandidateId !== undefined ? { sourceCandidateId: optionalRef(entry.sourceCandidateId) } : {}),
              })),
            }
          : {}),
      },
      metrics: remapDeep(run.metrics, ids, remapText) as Run['metrics'],
    })),
    candidates: data.candidates.map((candidate) => ({
      ...candidate,
      id: ref(candidate.id),
      projectId,
      runId: ref(candidate.runId),
      parentIds: candidate.parentIds.map(ref),
    })),
    scenarios: data.scenarios.map((scenario) => ({ ...scenario, id: ref(scenario.id), projectId, runId: ref(scenario.runId) })),
    evaluations: data.evaluations.map((evaluation) => ({
      ...evaluation,
      id: ref(evaluation.id),
      projectId,
      runId: ref(evaluation.runId),
      candidateId: ref(evaluation.candidateId),
      scenarioId: ref(evaluation.scenarioId),
    })),
  };
}
