/**
 * Keeps a SearchIndex in step with the database: builds it from every table in
 * chunks (yielding between them, so queries are answered while it builds), then
 * applies record changes as they come. Runs in the search worker; tests drive
 * it directly.
 */
import { db, type RecordChange } from '../../db';
import type { Candidate, ChatSession, Message, Run } from '../../domain';
import {
  candidateDocument,
  chatDocument,
  messageDocument,
  runDocument,
  SearchIndex,
  specDocuments,
  type SearchFilters,
  type SearchResponse,
} from './searchIndex';

/** Records read per IndexedDB round trip while building. */
const BUILD_CHUNK = 2000;

export interface SearchStatus {
  state: 'building' | 'ready';
  indexed: number;
  /** Records to index in this build (an estimate while building). */
  total: number;
  buildMs: number | null;
}

/** A run without its spec snapshot: all candidates and titles need. */
type RunStub = Pick<Run, 'id' | 'projectId' | 'chatSessionId' | 'createdAt' | 'mode' | 'status' | 'name'>;

function yieldToQueries(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class SearchService {
  readonly index = new SearchIndex();
  private readonly chats = new Map<string, ChatSession>();
  private readonly runs = new Map<string, RunStub>();
  private readonly projectTitles = new Map<string, string>();
  private status: SearchStatus = { state: 'building', indexed: 0, total: 0, buildMs: null };
  private queue: RecordChange[] = [];
  private draining: Promise<void> | null = null;
  private built = false;

  constructor(private readonly onStatus: (status: SearchStatus) => void = () => {}) {}

  getStatus(): SearchStatus {
    return this.status;
  }

  projectTitle(projectId: string): string | undefined {
    return this.projectTitles.get(projectId);
  }

  chat(chatId: string): ChatSession | undefined {
    return this.chats.get(chatId);
  }

  /** The chat to open a project-level thing (a spec item) in: the newest setup chat, else the newest chat. */
  homeChatOf(projectId: string): string | null {
    let best: ChatSession | null = null;
    const rank = (chat: ChatSession) => [chat.mode === 'setup' ? 1 : 0, chat.lastMessageAt] as const;
    for (const chat of this.chats.values()) {
      if (chat.projectId !== projectId) continue;
      const [setup, last] = rank(chat);
      if (!best || setup > rank(best)[0] || (setup === rank(best)[0] && last > rank(best)[1])) best = chat;
    }
    return best?.id ?? null;
  }

  search(query: string, filters: SearchFilters): SearchResponse {
    return this.index.search(query, filters);
  }

  /** Reads every table into the index. Changes reported meanwhile are queued and applied after. */
  async build(): Promise<void> {
    const started = performance.now();
    const [messageCount, chatCount, runCount, candidateCount, specCount] = await Promise.all([
      db.messages.count(),
      db.chatSessions.count(),
      db.runs.count(),
      db.candidates.count(),
      db.specs.count(),
    ]);
    this.setStatus({
      state: 'building',
      indexed: 0,
      total: messageCount + chatCount + runCount + candidateCount + specCount,
      buildMs: null,
    });
    for (const project of await db.projects.toArray()) this.projectTitles.set(project.id, project.title);
    for (const chat of await db.chatSessions.toArray()) this.putChat(chat);
    this.advance(chatCount);
    await this.readInChunks<Run>(db.runs, (runs) => runs.forEach((run) => this.putRun(run)));
    await this.readInChunks<Candidate>(db.candidates, (candidates) => this.putCandidates(candidates));
    for (const spec of await db.specs.toArray()) this.index.upsert(specDocuments(spec));
    this.advance(specCount);
    await this.readInChunks<Message>(db.messages, (messages) =>
      this.index.upsert(messages.map((message) => messageDocument(message, this.chats.get(message.chatSessionId)))),
    );
    this.built = true;
    this.setStatus({ ...this.status, state: 'ready', indexed: this.index.size, buildMs: Math.round(performance.now() - started) });
    await this.drain();
  }

  /** Queues record changes; they are applied in order (after the build, if one is running). */
  enqueue(changes: readonly RecordChange[]): Promise<void> {
    this.queue.push(...changes);
    return this.built ? this.drain() : Promise.resolve();
  }

  /** Resolves once every queued change is applied. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    if (this.queue.length === 0) return Promise.resolve();
    const run = (async () => {
      // Start on a later tick, so `draining` is set before the loop can finish and clear it.
      await Promise.resolve();
      try {
        while (this.queue.length > 0) await this.apply(this.queue.shift()!);
      } finally {
        this.draining = null;
      }
    })();
    this.draining = run;
    return run;
  }

  private async apply(change: RecordChange): Promise<void> {
    if ('reset' in change) {
      await this.reset(change.table);
      return;
    }
    const keys = change.keys;
    switch (change.table) {
      case 'messages': {
        const messages = await db.messages.bulkGet(keys);
        messages.forEach((message, at) => {
          if (message) this.index.upsert([messageDocument(message, this.chats.get(message.chatSessionId))]);
          else this.index.remove(`message:${keys[at]}`);
        });
        break;
      }
      case 'chatSessions': {
        const chats = await db.chatSessions.bulkGet(keys);
        chats.forEach((chat, at) => {
          if (chat) this.putChat(chat);
          else {
            this.chats.delete(keys[at]!);
            this.index.remove(`chat:${keys[at]}`);
          }
        });
        break;
      }
      case 'runs': {
        const runs = await db.runs.bulkGet(keys);
        runs.forEach((run, at) => {
          if (run) this.putRun(run);
          else {
            this.runs.delete(keys[at]!);
            this.index.remove(`run:${keys[at]}`);
          }
        });
        break;
      }
      case 'candidates': {
        const candidates = await db.candidates.bulkGet(keys);
        this.putCandidates(candidates.filter((candidate) => candidate !== undefined));
        candidates.forEach((candidate, at) => {
          if (!candidate) this.index.remove(`candidate:${keys[at]}`);
        });
        break;
      }
      case 'specs': {
        for (const projectId of keys) {
          for (const id of this.index.idsWhere((document) => document.kind === 'spec' && document.projectId === projectId))
            this.index.remove(id);
          const spec = await db.specs.get(projectId);
          if (spec) this.index.upsert(specDocuments(spec));
        }
        break;
      }
      case 'projects': {
        const projects = await db.projects.bulkGet(keys);
        projects.forEach((project, at) => {
          if (project) this.projectTitles.set(project.id, project.title);
          else this.projectTitles.delete(keys[at]!);
        });
        break;
      }
    }
  }

  /** A table was cleared (or range-deleted): drop what came from it and read it again. */
  private async reset(table: RecordChange['table']): Promise<void> {
    const kind = { messages: 'message', chatSessions: 'chat', runs: 'run', candidates: 'candidate', specs: 'spec', projects: null }[table];
    if (kind) for (const id of this.index.idsWhere((document) => document.kind === kind)) this.index.remove(id);
    switch (table) {
      case 'messages':
        await this.readInChunks<Message>(db.messages, (messages) =>
          this.index.upsert(messages.map((message) => messageDocument(message, this.chats.get(message.chatSessionId)))),
        );
        break;
      case 'chatSessions':
        this.chats.clear();
        for (const chat of await db.chatSessions.toArray()) this.putChat(chat);
        break;
      case 'runs':
        this.runs.clear();
        await this.readInChunks<Run>(db.runs, (runs) => runs.forEach((run) => this.putRun(run)));
        break;
      case 'candidates':
        await this.readInChunks<Candidate>(db.candidates, (candidates) => this.putCandidates(candidates));
        break;
      case 'specs':
        for (const spec of await db.specs.toArray()) this.index.upsert(specDocuments(spec));
        break;
      case 'projects':
        this.projectTitles.clear();
        for (const project of await db.projects.toArray()) this.projectTitles.set(project.id, project.title);
        break;
    }
  }

  private putChat(chat: ChatSession): void {
    const previous = this.chats.get(chat.id);
    this.chats.set(chat.id, chat);
    this.index.upsert([chatDocument(chat)]);
    // Messages, runs and candidates indexed before their chat was known carry no mode yet.
    if (!previous || previous.mode !== chat.mode) this.index.setChatMode(chat.id, chat.mode);
  }

  private putRun(run: Run): void {
    const { id, projectId, chatSessionId, createdAt, mode, status, name } = run;
    const previous = this.runs.get(id);
    this.runs.set(id, { id, projectId, chatSessionId, createdAt, mode, status, name });
    this.index.upsert([runDocument(run, chatSessionId ? this.chats.get(chatSessionId) : undefined)]);
    // Candidates say which run they are in ("#2 in LFP pack"); a rename must reach them.
    if (previous && previous.name !== name) this.index.relabelCandidatesOf(run);
  }

  private putCandidates(candidates: Parameters<typeof candidateDocument>[0][]): void {
    this.index.upsert(
      candidates.map((candidate) => {
        const run = this.runs.get(candidate.runId);
        const chat = run?.chatSessionId ? this.chats.get(run.chatSessionId) : undefined;
        return candidateDocument(candidate, run, chat);
      }),
    );
  }

  private async readInChunks<T extends { id: string }>(
    table: { where(index: string): { above(key: string): { limit(n: number): { toArray(): PromiseLike<T[]> } } } },
    take: (rows: T[]) => void,
  ): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await table.where(':id').above(after).limit(BUILD_CHUNK).toArray();
      if (rows.length === 0) return;
      take(rows);
      if (!this.built) this.advance(rows.length);
      after = rows.at(-1)!.id;
      if (rows.length < BUILD_CHUNK) return;
      await yieldToQueries();
    }
  }

  private advance(count: number): void {
    this.setStatus({ ...this.status, indexed: this.status.indexed + count });
  }

  private setStatus(status: SearchStatus): void {
    this.status = status;
    this.onStatus(status);
  }
}
