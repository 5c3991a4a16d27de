/**
 * A chat exchange with the Architect: the user's message, the reply and the
 * spec change the reply carries are written in ONE transaction, so the chat
 * can never show a "Spec update" card for a change that did not happen (or
 * the reverse).
 */
import type { ArchitectReplyMeta, Message, MessageMeta, SpecDeltaMeta, SpecDelta } from '../domain';
import { db } from './database';
import { guardedWrite } from './errors';
import { appendMessages } from './messages';
import { writeDeltaInTransaction, type AppliedSpecChange } from './specs';

export interface ExchangeReply {
  text: string;
  delta: SpecDelta | null;
  outcome: string;
  suggestions: { label: string; text: string }[];
}

export interface ExchangeResult {
  userMessage: Message;
  replyMessage: Message;
  applied: AppliedSpecChange | null;
}

/**
 * Writes user message + reply (+ the reply's spec delta). The delta is
 * validated again against the spec as it is now: if another tab changed the
 * spec while the Architect was answering and the delta no longer fits, the
 * reply says so and nothing is changed.
 */
export async function recordArchitectExchange(chatId: string, userText: string, reply: ExchangeReply): Promise<ExchangeResult> {
  return guardedWrite(() =>
    db.transaction('rw', [db.chatSessions, db.messages, db.projects, db.specs, db.worldModels, db.runs], async () => {
      let applied: AppliedSpecChange | null = null;
      let content = reply.text;
      let meta: MessageMeta = { kind: 'architect', outcome: reply.outcome, suggestions: reply.suggestions } satisfies ArchitectReplyMeta;
      if (reply.delta && reply.delta.ops.length) {
        const outcome = await writeDeltaInTransaction(chatId, reply.delta, 'agent');
        if (!outcome.ok) {
          content = `I could not apply that: ${outcome.message}\n\nNothing was changed. (The spec may have changed in another tab while I was answering; "show spec" shows it as it is now.)`;
          meta = {
            kind: 'architect',
            outcome: 'rejected',
            suggestions: [{ label: 'show spec', text: 'show spec' }],
          } satisfies ArchitectReplyMeta;
        } else if (outcome.applied) {
          applied = outcome.applied;
          meta = {
            kind: 'specDelta',
            delta: reply.delta,
            summary: applied.summary,
            details: applied.changes.map((change) => change.text),
            target: applied.target,
            touchedIds: applied.touchedIds,
            provenanceId: applied.provenanceEntry.id,
            suggestions: reply.suggestions,
          } satisfies SpecDeltaMeta;
        }
      }
      const [userMessage, replyMessage] = await appendMessages(chatId, [
        { role: 'user', content: userText },
        { role: 'agent', content, meta },
      ]);
      return { userMessage: userMessage!, replyMessage: replyMessage!, applied };
    }),
  );
}
