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

/** Oldest first, via the [chatSessionId+createdAt] index. */
export async function listMessages(chatSessionId: string): Promise<Message[]> {
  return db.messages.where('[chatSessionId+createdAt]').between([chatSessionId, Dexie.minKey], [chatSessionId, Dexie.maxKey]).toArray();
}

/** The newest `limit` messages, oldest first; what an Architect reads as recent history. */
export async function recentMessages(chatSessionId: string, limit: number): Promise<Message[]> {
  const newestFirst = await db.messages
    .where('[chatSessionId+createdAt]')
    .between([chatSessionId, Dexie.minKey], [chatSessionId, Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
  return newestFirst.reverse();
}
