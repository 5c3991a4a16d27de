import {
  deriveWhatIfChanges,
  emptySpecContent,
  promotionOps,
  rebaseWhatIf,
  resolveConflict,
  type ConflictResolution,
  type WhatIfChange,
  type WhatIfConflict,
  emptyWorldModel,
  newId,
  parseSpecUpdate,
  toSpecContent,
  type Actor,
  type ChatSession,
  type ProblemSpec,
  type ProvenanceEntry,
  type SpecContent,
  type WorldModel,
  applySpecDelta,
  isWorldOp,
  toWorldModelContent,
  type SpecChange,
  type SpecDelta,
  describeSpecDiff,
  diffSpecs,
  DbError,
} from '../domain';
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
export class SpecChangeRejectedError extends DbError<'spec_change_rejected'> {
  constructor(reason: string) {
    super('spec_change_rejected', { reason });
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
  /** What the chat sees: base, base + the what-if's changes, or the run's snapshot. */
  effective: SpecContent;
  target: SpecTarget;
  /** A what-if's items that the project spec changed after the what-if did; empty for other chats. */
  conflicts: WhatIfConflict[];
}

/** Reads inside the caller's transaction when there is one; missing spec/world rows read as empty. */
export async function loadChatSpecContext(chatId: string): Promise<ChatSpecContext> {
  const chat = await db.chatSessions.get(chatId);
  if (!chat) throw new NotFoundError('Chat', chatId);
  const [storedSpec, storedWorld] = await Promise.all([db.specs.get(chat.projectId), db.worldModels.get(chat.projectId)]);
  const base = storedSpec ?? { projectId: chat.projectId, ...emptySpecContent(), provenance: [], updatedAt: chat.createdAt };
  const world = storedWorld ?? emptyWorldModel(chat.projectId, chat.createdAt);
  const target = specTargetOf(chat);
  let effective = toSpecContent(base);
  let conflicts: WhatIfConflict[] = [];
  if (target === 'whatif' && chat.specChanges.length) {
    const rebased = rebaseWhatIf(base, chat.specChanges);
    effective = rebased.spec;
    conflicts = rebased.conflicts;
  }
  if (target === 'readonly' && chat.runId) {
    const run = await db.runs.get(chat.runId);
    if (run) effective = run.specSnapshot;
  }
  return { chat, base, world, effective, target, conflicts };
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
 * chats only their item-level changes (re-derived against the current
 * project spec, keeping each touched item's base snapshot). Appends one provenance entry. Call inside a transaction over
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
    const specChanges = deriveWhatIfChanges(base, result.spec, chat.specChanges);
    await db.chatSessions.update(chat.id, { specChanges, updatedAt: Math.max(chat.updatedAt, now) });
  }
  // Only what the delta changed is validated: base is a stored (so already valid) spec, and nextBase shares its untouched objects.
  await db.specs.put(parseSpecUpdate(base, nextBase));
  if (result.worldChanged && result.world) {
    await db.worldModels.put({ ...world, ...result.world, updatedAt: now });
  }
  await touchProject(chat.projectId, now);
  return {
    ok: true,
    applied: { target, summary: result.summary, changes: result.changes, touchedIds: result.touchedIds, provenanceEntry: entry },
  };
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
export function describeWhatIfChanges(base: SpecContent, changes: readonly WhatIfChange[]): string[] {
  const rebased = rebaseWhatIf(base, changes);
  return describeSpecDiff(diffSpecs(toSpecContent(base), rebased.spec));
}

/** Apply is refused while any item is in conflict: the user decides each one first. */
export class WhatIfConflictsError extends DbError<'what_if_conflicts'> {
  constructor(count: number) {
    super('what_if_conflicts', { count });
  }
}

/**
 * "Apply to project spec": the what-if's own item-level changes are applied
 * to the current project spec (items the what-if did not touch, including
 * ones the project gained after the branch, stay as they are), the what-if's
 * changes are cleared, and the provenance says what the base gained.
 */
export async function promoteWhatIf(chatId: string): Promise<{ changes: string[] }> {
  return guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const { chat, base, conflicts } = await loadChatSpecContext(chatId);
      if (chat.mode !== 'whatif') throw new SpecChangeRejectedError('Only a what-if chat has changes to apply.');
      if (conflicts.length) throw new WhatIfConflictsError(conflicts.length);
      const now = monotonicNow();
      const ops = promotionOps(base, chat.specChanges);
      const result = applySpecDelta(toSpecContent(base), { ops });
      if (!result.ok) throw new SpecChangeRejectedError(`The what-if's changes no longer apply: ${result.error.message}`);
      const diff = diffSpecs(toSpecContent(base), result.spec);
      const changes = describeSpecDiff(diff);
      if (changes.length) {
        const entry: ProvenanceEntry = {
          id: newId(),
          at: now,
          actor: 'user',
          chatSessionId: chat.id,
          summary: `Applied what-if "${chat.title}" to the project spec (${summarizeCount(changes.length)})`,
          changes,
          touchedIds: diff.items.map((item) => item.id),
          scope: 'project',
        };
        await db.specs.put(parseSpecUpdate(base, { ...base, ...result.spec, provenance: [...base.provenance, entry], updatedAt: now }));
      }
      await db.chatSessions.update(chat.id, { specChanges: [], updatedAt: Math.max(chat.updatedAt, now) });
      await touchProject(chat.projectId, now);
      return { changes };
    }),
  );
}

/** "Keep mine" / "Take base" for one conflicting item of a what-if chat. */
export async function resolveWhatIfConflict(chatId: string, key: string, resolution: ConflictResolution): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const { chat, base, conflicts } = await loadChatSpecContext(chatId);
      if (chat.mode !== 'whatif') throw new SpecChangeRejectedError('Only a what-if chat has conflicts to resolve.');
      const conflict = conflicts.find((c) => c.key === key);
      if (!conflict) return;
      const outcome = resolveConflict(base, chat.specChanges, key, resolution);
      if (!outcome.ok) throw new SpecChangeRejectedError(outcome.message);
      const now = monotonicNow();
      const entry: ProvenanceEntry = {
        id: newId(),
        at: now,
        actor: 'user',
        chatSessionId: chat.id,
        summary:
          resolution === 'mine'
            ? `Kept this what-if's ${conflict.label} over the project spec's change`
            : `Took the project spec's ${conflict.label} in this what-if`,
        changes: conflict.details,
        touchedIds: [],
        scope: 'whatif',
      };
      await db.specs.put(parseSpecUpdate(base, { ...base, provenance: [...base.provenance, entry] }));
      await db.chatSessions.update(chat.id, { specChanges: outcome.changes, updatedAt: Math.max(chat.updatedAt, now) });
      await touchProject(chat.projectId, now);
    }),
  );
}

/** "Discard": the what-if chat goes back to seeing the project spec. */
export async function discardWhatIf(chatId: string): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', SPEC_WRITE_TABLES(), async () => {
      const { chat, base } = await loadChatSpecContext(chatId);
      if (!chat.specChanges.length) return;
      const changes = describeWhatIfChanges(base, chat.specChanges);
      const now = monotonicNow();
      const entry: ProvenanceEntry = {
        id: newId(),
        at: now,
        actor: 'user',
        chatSessionId: chat.id,
        summary: `Discarded what-if changes (${summarizeCount(Math.max(changes.length, chat.specChanges.length))})`,
        changes,
        touchedIds: [],
        scope: 'whatif',
      };
      await db.specs.put(parseSpecUpdate(base, { ...base, provenance: [...base.provenance, entry] }));
      await db.chatSessions.update(chat.id, { specChanges: [], updatedAt: Math.max(chat.updatedAt, now) });
      await touchProject(chat.projectId, now);
    }),
  );
}

function summarizeCount(count: number): string {
  return `${count} change${count === 1 ? '' : 's'}`;
}
