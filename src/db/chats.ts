import Dexie from 'dexie';
import {
  chatSessionSchema,
  defaultChatTitle,
  messageSchema,
  newId,
  type ChatMode,
  type ChatSession,
  type MessageMeta,
  type MessageRole,
  type SpecContent,
  type WhatIfChange,
} from '../domain';
import { deriveWhatIfChanges, emptySpecContent, toSpecContent } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { touchProject } from './projects';

export interface NewChatInput {
  projectId: string;
  mode: ChatMode;
  /** Blank or missing gets a default such as "What-if 2". */
  title?: string;
  runId?: string | null;
  candidateId?: string | null;
  parentChatId?: string | null;
  /** A what-if chat that starts from this spec (e.g. a run's snapshot): stored as item-level changes over the current project spec. */
  startFromSpec?: SpecContent | null;
  /** Messages the chat starts with (e.g. the run summary of an analysis chat), written in the same transaction. */
  seedMessages?: { role: MessageRole; content: string; meta?: MessageMeta | null }[];
}

export async function createChat(input: NewChatInput): Promise<ChatSession> {
  return guardedWrite(() =>
    // The project spec is only read for a what-if that starts from a given spec, so callers' transactions need not include it otherwise.
    db.transaction('rw', [db.projects, db.chatSessions, db.messages, ...(input.startFromSpec ? [db.specs] : [])], async () => {
      if (!(await db.projects.get(input.projectId))) throw new NotFoundError('Project', input.projectId);
      let specChanges: WhatIfChange[] = [];
      if (input.mode === 'whatif' && input.startFromSpec) {
        const base = (await db.specs.get(input.projectId)) ?? emptySpecContent();
        specChanges = deriveWhatIfChanges(toSpecContent(base), toSpecContent(input.startFromSpec));
      }
      let title = input.title?.trim();
      if (!title) {
        const sameMode = await db.chatSessions
          .where('projectId')
          .equals(input.projectId)
          .filter((c) => c.mode === input.mode)
          .count();
        title = defaultChatTitle(input.mode, sameMode);
      }
      const now = monotonicNow();
      const seeds = input.seedMessages ?? [];
      const chatId = newId();
      // Parsed like every other message write, so a seed's meta matches its kind's schema.
      const messages = seeds.map((seed) =>
        messageSchema.parse({
          id: newId(),
          chatSessionId: chatId,
          projectId: input.projectId,
          role: seed.role,
          content: seed.content,
          meta: seed.meta ?? null,
          createdAt: monotonicNow(),
        }),
      );
      const chat = chatSessionSchema.parse({
        id: chatId,
        projectId: input.projectId,
        title,
        mode: input.mode,
        runId: input.runId ?? null,
        candidateId: input.candidateId ?? null,
        parentChatId: input.parentChatId ?? null,
        specChanges,
        createdAt: now,
        updatedAt: now,
        lastMessageAt: messages.at(-1)?.createdAt ?? now,
        messageCount: messages.length,
        archivedAt: null,
      });
      await db.chatSessions.add(chat);
      if (messages.length) await db.messages.bulkAdd(messages);
      await touchProject(input.projectId, chat.lastMessageAt, { chats: 1 });
      return chat;
    }),
  );
}

export async function getChat(chatId: string): Promise<ChatSession | undefined> {
  return db.chatSessions.get(chatId);
}

/** Most recent activity first, from the [projectId+lastMessageAt] index: one query, counters included. */
export async function listChats(projectId: string, options: { includeArchived?: boolean } = {}): Promise<ChatSession[]> {
  const chats = await db.chatSessions
    .where('[projectId+lastMessageAt]')
    .between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
    .reverse()
    .toArray();
  return options.includeArchived ? chats : chats.filter((chat) => chat.archivedAt === null);
}

/** The chat `/project/:id` should open: the most recently active non-archived one (or any, if all are archived). */
export async function mostRecentChat(projectId: string): Promise<ChatSession | undefined> {
  const chats = await listChats(projectId, { includeArchived: true });
  return chats.find((chat) => chat.archivedAt === null) ?? chats[0];
}

async function updateChat(chatId: string, mutate: (chat: ChatSession) => ChatSession): Promise<ChatSession> {
  return guardedWrite(() =>
    db.transaction('rw', [db.chatSessions, db.projects], async () => {
      const current = await db.chatSessions.get(chatId);
      if (!current) throw new NotFoundError('Chat', chatId);
      const now = monotonicNow();
      const next = chatSessionSchema.parse({ ...mutate(current), updatedAt: now });
      await db.chatSessions.put(next);
      await touchProject(next.projectId, now);
      return next;
    }),
  );
}

/** Refuses an empty title with the validator's message. */
export async function renameChat(chatId: string, title: string): Promise<ChatSession> {
  // Parsed as the record's field, so the error names the title ("Titles can be at most 120 characters").
  const parsed = chatSessionSchema.pick({ title: true }).safeParse({ title });
  if (!parsed.success) throw parsed.error;
  return updateChat(chatId, (chat) => ({ ...chat, title: parsed.data.title }));
}

export async function setChatMode(chatId: string, mode: ChatMode): Promise<ChatSession> {
  return updateChat(chatId, (chat) => ({ ...chat, mode }));
}

export async function setChatArchived(chatId: string, archived: boolean): Promise<ChatSession> {
  return updateChat(chatId, (chat) => ({ ...chat, archivedAt: archived ? monotonicNow() : null }));
}

/**
 * Deletes the chat and its messages. Its runs stay in the project's history,
 * unlinked and marked so the history can say "deleted chat".
 */
export async function deleteChat(chatId: string): Promise<void> {
  await guardedWrite(() =>
    db.transaction('rw', [db.chatSessions, db.messages, db.runs, db.projects], async () => {
      const chat = await db.chatSessions.get(chatId);
      if (!chat) throw new NotFoundError('Chat', chatId);
      await db.messages.where('[chatSessionId+createdAt]').between([chatId, Dexie.minKey], [chatId, Dexie.maxKey]).delete();
      await db.runs
        .where('chatSessionId')
        .equals(chatId)
        .modify((run) => {
          run.chatSessionId = null;
          run.originChatDeleted = true;
        });
      await db.chatSessions
        .where('parentChatId')
        .equals(chatId)
        .modify((child) => {
          child.parentChatId = null;
        });
      await db.chatSessions.delete(chatId);
      await touchProject(chat.projectId, monotonicNow(), { chats: -1 });
    }),
  );
}

/** Analysis chats already about this run, so "Discuss in chat" can offer them instead of duplicating. */
export async function findAnalysisChatsForRun(runId: string): Promise<ChatSession[]> {
  const chats = await db.chatSessions.where('runId').equals(runId).toArray();
  return chats.filter((chat) => chat.mode === 'analysis' && !chat.candidateId);
}
