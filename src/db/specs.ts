import {
  effectiveSpec,
  emptySpecContent,
  emptyWorldModel,
  newId,
  problemSpecSchema,
  toSpecContent,
  type Actor,
  type ChatSession,
  type ProblemSpec,
  type ProvenanceEntry,
  type SpecContent,
  type SpecOverride,
  type WorldModel,
} from '../domain';
import { applySpecDelta, isWorldOp, toWorldModelContent, type SpecChange, type SpecDelta, type SpecSection } from '../domain/specDelta';
import { describeSpecDiff, diffSpecs } from '../domain/specDiff';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';

export async function getSpec(projectId: string): Promise<ProblemSpec | undefined> {
  return db.specs.get(projectId);
}

export async function getWorldModel(projectId: string): Promise<WorldModel | undefined> {
  return db.worldModels.get(projectId);
}

/** A delta that fails validation; the message says what is allowed. Nothing was written. */
export class SpecChangeRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecChangeRejectedError';
  }
}

/** Where a chat's spec edits land. */
export type SpecTarget = 'project' | 'whatif' | 'readonly';

/** Analysis chats tied to a run look at that run's snapshot and cannot edit anything. */
export function specTargetOf(chat: Pick<ChatSession, 'mode' | 'runId'>): SpecTarget {
  if (chat.mode === 'whatif') return 'whatif';
  if (chat.mode === 'analysis' && chat.runId) return 'readonly';
  return 'project';
}

export interface ChatSpecContext {
  chat: ChatSession;
  base: ProblemSpec;
  world: WorldModel;
  /** What the chat sees: base, base + override, or the run's snapshot. */
  effective: SpecContent;
  target: SpecTarget;
}

/** Reads inside the caller's transaction when there is one; missing spec/world rows read as empty. */
export async function loadChatSpecContext(chatId: string): Promise<ChatSpecContext> {
  const chat = await db.chatSessions.get(chatId);
  if (!chat) throw new NotFoundError('Chat', chatId);
  const [storedSpec, storedWorld] = await Promise.all([db.specs.get(chat.projectId), db.worldModels.get(chat.projectId)]);
  const base = storedSpec ?? { projectId: chat.projectId, ...emptySpecContent(), provenance: [], updatedAt: chat.createdAt };
  const world = storedWorld ?? emptyWorldModel(chat.projectId, chat.createdAt);
  const target = specTargetOf(chat);
  let effective = effectiveSpec(base, target === 'whatif' ? chat.specOverride : null);
  if (target === 'readonly' && chat.runId) {
    const run = await db.runs.get(chat.runId);
    if (run) effective = run.specSnapshot;
  }
  return { chat, base, world, effective, target };
}

export interface AppliedSpecChange {
  target: Exclude<SpecTarget, 'readonly'>;
  summary: string;
  changes: SpecChange[];
  touchedIds: string[];
  provenanceEntry: ProvenanceEntry;
}

export type DeltaWriteOutcome = { ok: true; applied: AppliedSpecChange | null } | { ok: false; message: string };

/**
 * Applies a delta for a chat: setup chats change the project spec, what-if
 * chats only their override (the touched sections, copied from the effective
 * spec). Appends one provenance entry. Call inside a transaction over
 * chatSessions, specs, worldModels and projects; returns a failure rather than
 * throwing so the caller can still record a message.
 */
export async function writeDeltaInTransaction(chatId: string, delta: SpecDelta, actor: Actor): Promise<DeltaWriteOutcome> {
  const context = await loadChatSpecContext(chatId);
  const { chat, base, world, effective, target } = context;
  if (target === 'readonly')
    return { ok: false, message: 'This chat shows the spec a run used; it is read-only. Open a what-if chat to try a change.' };
  if (target === 'whatif' && delta.ops.some(isWorldOp)) {
    return { ok: false, message: 'The world model is shared by all chats, so a what-if chat cannot change it. Change it in a setup chat.' };
  }
  const result = applySpecDelta(effective, delta, toWorldModelContent(world));
  if (!result.ok) return { ok: false, message: result.error.message };
  if (!result.changes.length) return { ok: true, applied: null };

  const now = monotonicNow();
  const entry: ProvenanceEntry = {
    id: newId(),
    at: now,
    actor,
    chatSessionId: chat.id,
    summary: result.summary,
    changes: result.changes.map((change) => change.text),
    touchedIds: result.touchedIds,
    scope: target === 'whatif' ? 'whatif' : 'project',
  };
  let nextBase: ProblemSpec = { ...base, provenance: [...base.provenance, entry] };
  if (target === 'project') {
    nextBase = { ...nextBase, ...toSpecContent(result.spec), updatedAt: now };
  } else {
    const override: SpecOverride = { ...(chat.specOverride ?? {}) };
    for (const section of result.touchedSections) setSection(override, section, result.spec);
    await db.chatSessions.update(chat.id, { specOverride: override, updatedAt: Math.max(chat.updatedAt, now) });
  }
  await db.specs.put(problemSpecSchema.parse(nextBase));
  if (result.worldChanged && result.world) {
    await db.worldModels.put({ ...world, ...result.world, updatedAt: now });
  }
  await touchProject(chat.projectId, now);
  return {
    ok: true,
    applied: { target, summary: result.summary, changes: result.changes, touchedIds: result.touchedIds, provenanceEntry: entry },
  };
}

function setSection(override: SpecOverride, section: SpecSection, from: SpecContent): void {
  // Each branch keeps the section's own type; a generic assignment would widen it.
  if (section === 'goals') override.goals = from.goals;
  else if (section === 'constraints') override.constraints = from.constraints;
  else if (section === 'designSpace') override.designSpace = from.designSpace;
  else if (section === 'resolution') override.resolution = from.resolution;
  else override.mode = from.mode;
}

const SPEC_WRITE_TABLES = () => [db.chatSessions, db.specs, db.worldModels, db.projects, db.runs];

/**
 * A Spec-tab edit from the current chat: validated, attributed to the user,
 * written with its provenance entry in one transaction.
 */
export async function applySpecEdit(chatId: string, delta: SpecDelta, actor: Actor = 'user'): Promise<AppliedSpecChange | null> {
  return guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const outcome = await writeDeltaInTransaction(chatId, delta, actor);
      if (!outcome.ok) throw new SpecChangeRejectedError(outcome.message);
      return outcome.applied;
    }),
  );
}

/** The what-if chat's differences from the project spec, one line each. */
export function describeOverride(base: SpecContent, override: SpecOverride | null | undefined): string[] {
  return describeSpecDiff(diffSpecs(toSpecContent(base), effectiveSpec(base, override)));
}

/**
 * "Apply to project spec": the override's sections replace the base's, the
 * override is cleared, and the provenance says what the base gained.
 */
export async function promoteOverride(chatId: string): Promise<{ changes: string[] }> {
  return guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const { chat, base } = await loadChatSpecContext(chatId);
      if (chat.mode !== 'whatif') throw new SpecChangeRejectedError('Only a what-if chat has changes to apply.');
      const override = chat.specOverride;
      const changes = describeOverride(base, override);
      const now = monotonicNow();
      if (override && changes.length) {
        const next = effectiveSpec(base, override);
        const touchedIds = diffSpecs(toSpecContent(base), next).items.map((item) => item.id);
        const entry: ProvenanceEntry = {
          id: newId(),
          at: now,
          actor: 'user',
          chatSessionId: chat.id,
          summary: `Applied what-if "${chat.title}" to the project spec (${changes.length} change${changes.length === 1 ? '' : 's'})`,
          changes,
          touchedIds,
          scope: 'project',
        };
        await db.specs.put(problemSpecSchema.parse({ ...base, ...next, provenance: [...base.provenance, entry], updatedAt: now }));
      }
      await db.chatSessions.update(chat.id, { specOverride: null, updatedAt: Math.max(chat.updatedAt, now) });
      await touchProject(chat.projectId, now);
      return { changes };
    }),
  );
}

/** "Discard": the what-if chat goes back to seeing the project spec. */
export async function discardOverride(chatId: string): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const { chat, base } = await loadChatSpecContext(chatId);
      if (!chat.specOverride) return;
      const changes = describeOverride(base, chat.specOverride);
      const now = monotonicNow();
      if (changes.length) {
        const entry: ProvenanceEntry = {
          id: newId(),
          at: now,
          actor: 'user',
          chatSessionId: chat.id,
          summary: `Discarded what-if changes (${summarizeCount(changes.length)})`,
          changes,
          touchedIds: [],
          scope: 'whatif',
        };
        await db.specs.put(problemSpecSchema.parse({ ...base, provenance: [...base.provenance, entry] }));
      }
      await db.chatSessions.update(chat.id, { specOverride: null, updatedAt: Math.max(chat.updatedAt, now) });
      await touchProject(chat.projectId, now);
    }),
  );
}

function summarizeCount(count: number): string {
  return `${count} change${count === 1 ? '' : 's'}`;
}
