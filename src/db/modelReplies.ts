/**
 * Language-model replies and the spec changes they propose.
 *
 * A model reply is an agent message that fills in while it streams: it is
 * written at once (with the user's message, in one transaction) in state
 * `streaming`, its text is saved every few hundred milliseconds, and it ends
 * `done`, `stopped` or `failed`. Like a run, a streaming reply belongs to the
 * tab that holds its Web Lock; at start-up a reply still `streaming` whose
 * lock nobody holds (the tab was closed or reloaded) becomes `interrupted`,
 * keeping the text saved so far. Which replies are streaming is kept in the
 * settings table (never exported), so start-up finds them without scanning
 * every message.
 *
 * A proposal (meta kind `specProposal`) is a message of its own. Nothing in
 * the spec changes until Apply, which re-validates the delta against the spec
 * as it is then and writes the change, its provenance and the proposal's new
 * status in one transaction.
 */
import {
  MESSAGE_MAX_LENGTH,
  type Message,
  modelReplyMetaSchema,
  parseSpecProposalMeta,
  specProposalMetaSchema,
  type ModelReplyMeta,
  type SpecProposalMeta,
  type SpecDelta,
  DbError,
} from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { appendMessages } from './messages';
import { deleteSetting, listSettingsWithPrefix, putSetting } from './settings';
import { loadChatSpecContext, writeDeltaInTransaction, type AppliedSpecChange } from './specs';
import { heldLockNames, type WebLockManager } from './webLocks';

/** The Web Lock a tab holds while a reply streams, so other tabs can tell a live reply from an orphan. */
export function replyLockName(turnId: string): string {
  return `crucible-reply:${turnId}`;
}

const STREAMING_KEY_PREFIX = 'streamingReply:';
const streamingKey = (messageId: string) => `${STREAMING_KEY_PREFIX}${messageId}`;

function clampContent(content: string): string {
  return content.length > MESSAGE_MAX_LENGTH ? content.slice(0, MESSAGE_MAX_LENGTH) : content;
}

export interface StartedModelReply {
  userMessage: Message;
  replyMessage: Message;
}

/** The user's message and an empty `streaming` reply, written together. */
/**
 * `lockName` is the Web Lock the streaming tab already holds (take it before
 * calling, so no other tab's start-up sweep can catch the reply unowned).
 */
export async function startModelReply(
  chatId: string,
  userText: string,
  reply: Pick<ModelReplyMeta, 'providerName' | 'model'> & Partial<ModelReplyMeta>,
  lockName: string | null = null,
): Promise<StartedModelReply> {
  const meta = modelReplyMetaSchema.parse({ ...reply, kind: 'modelReply', state: 'streaming' });
  return guardedWrite(() =>
    db.transaction('rw', [db.chatSessions, db.messages, db.projects, db.settings], async () => {
      const [userMessage, replyMessage] = await appendMessages(chatId, [
        { role: 'user', content: userText },
        { role: 'agent', content: '', meta },
      ]);
      await putSetting(streamingKey(replyMessage!.id), { chatId, lockName, startedAt: replyMessage!.createdAt });
      return { userMessage: userMessage!, replyMessage: replyMessage! };
    }),
  );
}

/** Saves the text streamed so far (and the meta) of a reply that is still streaming. A reply whose chat was deleted is ignored. */
export async function saveModelReplyProgress(messageId: string, content: string, meta: ModelReplyMeta): Promise<void> {
  const parsed = modelReplyMetaSchema.parse(meta);
  await guardedWrite(() =>
    db.transaction('rw', [db.messages], async () => {
      const message = await db.messages.get(messageId);
      // Another tab may have settled it (interrupted) meanwhile; never resurrect it.
      if (!message || message.meta?.kind !== 'modelReply' || message.meta.state !== 'streaming') return;
      await db.messages.update(messageId, { content: clampContent(content), meta: parsed });
    }),
  );
}

export interface ProposalDraft {
  delta: SpecDelta;
  summary: string;
  details: string[];
  target: SpecProposalMeta['target'];
  baseVersion: number | null;
}

/**
 * Ends a reply (done, stopped or failed) and, when the model proposed a
 * change, posts the proposal right after it — one transaction, so a proposal
 * never appears under a reply still marked streaming.
 */
export async function finishModelReply(
  messageId: string,
  content: string,
  meta: ModelReplyMeta,
  proposal: ProposalDraft | null = null,
): Promise<Message | null> {
  const parsed = modelReplyMetaSchema.parse(meta);
  return guardedWrite(() =>
    db.transaction('rw', [db.messages, db.chatSessions, db.projects, db.settings], async () => {
      await deleteSetting(streamingKey(messageId));
      const message = await db.messages.get(messageId);
      if (!message) return null;
      await db.messages.update(messageId, { content: clampContent(content), meta: parsed });
      if (!proposal || !proposal.delta.ops.length) return null;
      const proposalMeta = specProposalMetaSchema.parse({
        kind: 'specProposal',
        ...proposal,
        status: 'proposed',
        replyMessageId: messageId,
        staleReason: null,
        provenanceId: null,
        decidedAt: null,
      });
      const [posted] = await appendMessages(message.chatSessionId, [
        { role: 'agent', content: 'I propose this change to the spec:', meta: proposalMeta },
      ]);
      return posted ?? null;
    }),
  );
}

/** The streaming replies on record, each with the lock its tab holds while it streams (null: taken without one). */
async function streamingReplies(): Promise<{ messageId: string; lockName: string | null }[]> {
  const entries = await listSettingsWithPrefix(STREAMING_KEY_PREFIX);
  return entries.map(({ key, value }) => {
    const lockName = (value as { lockName?: unknown } | null)?.lockName;
    return { messageId: key.slice(STREAMING_KEY_PREFIX.length), lockName: typeof lockName === 'string' ? lockName : null };
  });
}

/**
 * Replies left `streaming` by a tab that is gone become `interrupted` with the text saved so far, in one transaction.
 * `isAlive` spares replies another open tab is still streaming (it holds the reply's Web Lock, by name).
 */
export async function markInterruptedReplies(
  isAlive: (lockName: string | null, messageId: string) => boolean = () => false,
): Promise<string[]> {
  return guardedWrite(() =>
    db.transaction('rw', [db.settings, db.messages], async () => {
      const settled: string[] = [];
      for (const { messageId, lockName } of await streamingReplies()) {
        if (isAlive(lockName, messageId)) continue;
        await deleteSetting(streamingKey(messageId));
        const message = await db.messages.get(messageId);
        const parsed = modelReplyMetaSchema.safeParse(message?.meta);
        if (!message || !parsed.success || parsed.data.state !== 'streaming') continue;
        await db.messages.update(messageId, { meta: { ...parsed.data, state: 'interrupted', phase: null } });
        settled.push(messageId);
      }
      return settled;
    }),
  );
}

export interface ReplySweep {
  /** Replies marked interrupted now: streaming on record, and no tab holds their lock. */
  interrupted: string[];
  /**
   * Settles when every reply another tab was still streaming has ended: each is watched by waiting for its lock, and
   * one still streaming once its lock is free is marked interrupted (its tab closed). Rejects if that write fails.
   */
  watched: Promise<void>;
}

/**
 * The start-up sweep of model replies, with the same two guards as the run sweep (sweepInterruptedRuns):
 * - the streaming replies are read BEFORE the locks are listed, and only those are candidates: a tab takes a reply's
 *   lock before it writes the reply, so a reply started after the read (its lock missing from the list) is never
 *   mistaken for an orphan;
 * - a lock still held when the list is taken (a tab streaming the reply, or closing but not yet gone) is waited for,
 *   not trusted forever: once it is released, the reply is re-read and marked interrupted if it is still streaming.
 */
export async function sweepInterruptedReplies(locks: WebLockManager | undefined): Promise<ReplySweep> {
  const streaming = await streamingReplies();
  const held = await heldLockNames(locks);
  const live = streaming.filter((reply) => reply.lockName !== null && held.has(reply.lockName));
  const liveIds = new Set(live.map((reply) => reply.messageId));
  const orphans = new Set(streaming.filter((reply) => !liveIds.has(reply.messageId)).map((reply) => reply.messageId));
  const interrupted = orphans.size > 0 ? await markInterruptedReplies((_lockName, messageId) => !orphans.has(messageId)) : [];
  const watched = Promise.all(
    live.map(({ messageId, lockName }) =>
      locks!.request(lockName!, () => markInterruptedReplies((_lockName, otherId) => otherId !== messageId)),
    ),
  ).then(() => undefined);
  return { interrupted, watched };
}

/**
 * The version a proposal was made against. Every spec write — project or
 * what-if, from a chat or the Spec tab — appends a provenance entry, so the
 * entry count moves whenever the spec may have.
 */
export function specVersionOf(context: { base: { provenance: readonly unknown[] } }): number {
  return context.base.provenance.length;
}

export type ProposalDecision = { status: 'applied'; applied: AppliedSpecChange | null } | { status: 'stale'; reason: string };

export class ProposalNotOpenError extends DbError<'proposal_not_open'> {
  constructor(status: string) {
    super('proposal_not_open', { status });
  }
}

async function openProposal(messageId: string): Promise<{ message: Message; meta: SpecProposalMeta }> {
  const message = await db.messages.get(messageId);
  if (!message) throw new NotFoundError('Message', messageId);
  const meta = parseSpecProposalMeta(message.meta);
  if (!meta) throw new DbError('proposal_unreadable', { messageId });
  if (meta.status !== 'proposed') throw new ProposalNotOpenError(meta.status);
  return { message, meta };
}

/**
 * Apply: the delta goes through the spec write path (setup chat → project
 * spec, what-if chat → its override) with provenance actor `agent` and this
 * chat, in the same transaction as the proposal's status. If the spec changed
 * since the proposal and the delta no longer applies, the proposal becomes
 * `stale` with the reason, and nothing else changes.
 */
export async function applyProposal(messageId: string): Promise<ProposalDecision> {
  return guardedWrite(() =>
    db.transaction('rw', [db.messages, db.chatSessions, db.specs, db.worldModels, db.projects, db.runs], async () => {
      const { message, meta } = await openProposal(messageId);
      const context = await loadChatSpecContext(message.chatSessionId);
      const moved = meta.baseVersion != null && specVersionOf(context) !== meta.baseVersion;
      const outcome = await writeDeltaInTransaction(message.chatSessionId, meta.delta, 'agent');
      const now = monotonicNow();
      if (!outcome.ok) {
        const reason = moved
          ? `The spec changed after this was proposed, and the change no longer fits: ${outcome.message}`
          : `This change no longer applies: ${outcome.message}`;
        await db.messages.update(messageId, {
          meta: specProposalMetaSchema.parse({ ...meta, status: 'stale', staleReason: reason, decidedAt: now }),
        });
        return { status: 'stale', reason };
      }
      const applied = outcome.applied;
      await db.messages.update(messageId, {
        meta: specProposalMetaSchema.parse({
          ...meta,
          status: 'applied',
          provenanceId: applied?.provenanceEntry.id ?? null,
          // What it did when applied (the spec may have moved since it was proposed).
          summary: applied?.summary ?? 'no changes (the spec already said that)',
          details: applied ? applied.changes.map((change) => change.text) : [],
          decidedAt: now,
        }),
      });
      return { status: 'applied', applied };
    }),
  );
}

export async function discardProposal(messageId: string): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', [db.messages], async () => {
      const { meta } = await openProposal(messageId);
      await db.messages.update(messageId, {
        meta: specProposalMetaSchema.parse({ ...meta, status: 'discarded', decidedAt: monotonicNow() }),
      });
    }),
  );
}
