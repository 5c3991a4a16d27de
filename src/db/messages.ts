import Dexie from 'dexie';
import { messageSchema, newId, type Message, type MessageMeta, type MessageRole } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';

export interface NewMessage {
  role: MessageRole;
  content: string;
  meta?: MessageMeta | null;
}

/**
 * Appends messages to a chat and bumps its counters in the same transaction,
 * so the switcher's count and last-activity time can never drift.
 * `extraWrites` runs inside the same transaction (e.g. the spec delta an Architect reply carries).
 */
export async function appendMessages(
  chatSessionId: string,
  newMessages: NewMessage[],
  extraWrites?: { tables: Dexie.Table[]; write: () => Promise<void> },
): Promise<Message[]> {
  return guardedWrite(() =>
    db.transaction('rw', [db.chatSessions, db.messages, db.projects, ...(extraWrites?.tables ?? [])], async () => {
      const chat = await db.chatSessions.get(chatSessionId);
      if (!chat) throw new NotFoundError('Chat', chatSessionId);
      const messages = newMessages.map((message) =>
        messageSchema.parse({
          id: newId(),
          chatSessionId,
          projectId: chat.projectId,
          role: message.role,
          content: message.content,
          meta: message.meta ?? null,
          createdAt: monotonicNow(),
        }),
      );
      await db.messages.bulkAdd(messages);
      const last = messages.at(-1)?.createdAt ?? chat.lastMessageAt;
      await db.chatSessions.update(chatSessionId, {
        messageCount: chat.messageCount + messages.length,
        lastMessageAt: Math.max(chat.lastMessageAt, last),
        updatedAt: Math.max(chat.updatedAt, last),
      });
      await touchProject(chat.projectId, last);
      if (extraWrites) await extraWrites.write();
      return messages;
    }),
  );
}

export async function appendMessage(chatSessionId: string, message: NewMessage): Promise<Message> {
  const [written] = await appendMessages(chatSessionId, [message]);
  return written!;
}

/** Every message of the chat, oldest first, via the [chatSessionId+createdAt] index. For tests and exports, never for the chat view. */
export async function listMessages(chatSessionId: string): Promise<Message[]> {
  return db.messages.where('[chatSessionId+createdAt]').between([chatSessionId, Dexie.minKey], [chatSessionId, Dexie.maxKey]).toArray();
}

/** The newest `limit` messages, oldest first; what an Architect reads as recent history, and a chat's first window. */
export async function recentMessages(chatSessionId: string, limit: number): Promise<Message[]> {
  const newestFirst = await db.messages
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, Dexie.minKey], [chatSessionId, Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
  return newestFirst.reverse();
}

/**
 * A window of a chat's messages, by creation time, both ends inclusive; `null`
 * leaves that end open. Oldest first. The chat view holds one such window, so
 * its memory is bounded by the window and not by the chat's length.
 */
export async function messagesBetween(chatSessionId: string, from: number | null, to: number | null): Promise<Message[]> {
  return db.messages
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, from ?? Dexie.minKey], [chatSessionId, to ?? Dexie.maxKey], true, true)
    .toArray();
}

/** Up to `limit` messages created strictly before `before`, oldest first (the page above a window). */
export async function messagesBefore(chatSessionId: string, before: number, limit: number): Promise<Message[]> {
  const newestFirst = await db.messages
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, Dexie.minKey], [chatSessionId, before], true, false)
    .reverse()
    .limit(limit)
    .toArray();
  return newestFirst.reverse();
}

/** Up to `limit` messages created strictly after `after`, oldest first (the page below a window). */
export async function messagesAfter(chatSessionId: string, after: number, limit: number): Promise<Message[]> {
  return db.messages
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, after], [chatSessionId, Dexie.maxKey], false, true)
    .limit(limit)
    .toArray();
}

/**
 * The window that opens a chat at one message (a search result): up to
 * `before` messages above it and `after` below it, oldest first. Undefined when
 * the message is not in that chat.
 */
export async function messagesAround(
  chatSessionId: string,
  messageId: string,
  before: number,
  after: number,
): Promise<{ messages: Message[]; target: Message } | undefined> {
  const target = await db.messages.get(messageId);
  if (!target || target.chatSessionId !== chatSessionId) return undefined;
  const [above, below] = await Promise.all([
    messagesBefore(chatSessionId, target.createdAt, before),
    messagesAfter(chatSessionId, target.createdAt, after),
  ]);
  // Messages that share the target's timestamp are neither before nor after it.
  const tied = await messagesBetween(chatSessionId, target.createdAt, target.createdAt);
  return { messages: [...above, ...tied, ...below], target };
}
