/**
 * The full-text index over everything the user wrote or the app produced:
 * messages, chat titles, runs, candidates and spec items. Pure data in, pure
 * data out (no storage, no DOM), so it runs in the search worker and in tests.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { shortId, type Candidate, type ChatMode, type ChatSession, type Message, type ProblemSpec, type Run } from '../../domain';

export const SEARCH_KINDS = ['message', 'chat', 'run', 'candidate', 'spec'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** One searchable thing and where it lives. Only `title`, `text` and `tags` are indexed. */
export interface SearchDocument {
  id: string;
  kind: SearchKind;
  projectId: string;
  /** The chat the thing belongs to (a message's chat, a run's origin chat); null when none. */
  chatId: string | null;
  /** The mode of that chat, for the mode filter; null when there is no chat. */
  mode: ChatMode | null;
  runId: string | null;
  candidateId: string | null;
  /** The id of the record inside its table (a message id, a spec item id). */
  recordId: string;
  createdAt: number;
  title: string;
  /** Shown under the title, not indexed ("Constraint", "seeded · completed"). */
  subtitle: string;
  text: string;
  tags: string;
}

export interface SearchFilters {
  /** Only this project; null for every project. */
  projectId: string | null;
  /** Only things in chats of this mode; null for any mode. */
  mode: ChatMode | null;
  /** Only things created at or after this time; null for any time. */
  since: number | null;
}

/** A piece of a snippet; `hit` pieces are the matched words. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  document: Omit<SearchDocument, 'text' | 'tags'>;
  score: number;
  snippet: SnippetPart[];
  /** The words of the document that matched. */
  terms: string[];
}

export interface SearchResponse {
  query: string;
  /** Hits grouped by kind, best first within each kind; kinds in SEARCH_KINDS order. */
  groups: { kind: SearchKind; hits: SearchHit[]; total: number }[];
  total: number;
}

const SNIPPET_RADIUS = 70;
export const HITS_PER_KIND = 8;
/** Below this many exact or prefix results, the query is run again allowing typos. */
const FUZZY_BELOW = 5;

/**
 * Exact words rank above prefix and typo matches: MiniSearch scores a prefix
 * match at 0.375 and a fuzzy one at 0.45 of an exact match, and the title
 * counts double.
 */
const SEARCH_OPTIONS = {
  prefix: (term: string) => term.length >= 2,
  fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
  boost: { title: 2, tags: 1.5 },
  combineWith: 'AND' as const,
};

interface MiniSearchInternals {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined; atPrefix(prefix: string): { keys(): Iterable<string> } };
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
}

interface Posting {
  /** Postings over all fields (a document with the word in two fields counts twice). */
  size: number;
  has(shortId: number): boolean;
  keys(): Iterable<number>;
}

/** A word in more than this share of the documents is common (see SearchIndex.search). */
const COMMON_SHARE = 0.05;

/** The query's words as MiniSearch indexes them (its default tokenizer, lower case). */
function queryTerms(query: string): string[] {
  const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
  return [
    ...new Set(
      tokenize(query)
        .map((term) => term.toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The `count` newest documents, without sorting all of them. */
function topByCreatedAt(documents: readonly SearchDocument[], count: number): SearchDocument[] {
  const top: SearchDocument[] = [];
  for (const document of documents) {
    if (top.length === count && document.createdAt <= top[count - 1]!.createdAt) continue;
    let at = top.findIndex((kept) => document.createdAt > kept.createdAt);
    if (at === -1) at = top.length;
    top.splice(at, 0, document);
    if (top.length > count) top.pop();
  }
  return top;
}

export class SearchIndex {
  /** Below this many documents every word is scored: the shortcut only pays on a large index. */
  constructor(private readonly commonFloor = 20_000) {}

  private readonly engine = new MiniSearch<SearchDocument>({
    fields: ['title', 'text', 'tags'],
    storeFields: [],
    idField: 'id',
  });
  /** Everything but the engine's postings: what a hit shows and how filters test it. */
  private readonly documents = new Map<string, SearchDocument>();

  get size(): number {
    return this.documents.size;
  }

  has(id: string): boolean {
    return this.documents.has(id);
  }

  get(id: string): SearchDocument | undefined {
    return this.documents.get(id);
  }

  /** Adds or replaces documents. */
  upsert(documents: readonly SearchDocument[]): void {
    const fresh: SearchDocument[] = [];
    for (const document of documents) {
      if (this.documents.has(document.id)) this.remove(document.id);
      this.documents.set(document.id, document);
      fresh.push(document);
    }
    this.engine.addAll(fresh);
  }

  remove(id: string): void {
    if (!this.documents.has(id)) return;
    this.engine.discard(id);
    this.documents.delete(id);
  }

  /** Ids of the documents that pass `predicate` (to drop every doc of a deleted chat, project or spec). */
  idsWhere(predicate: (document: SearchDocument) => boolean): string[] {
    const ids: string[] = [];
    for (const document of this.documents.values()) if (predicate(document)) ids.push(document.id);
    return ids;
  }

  /** Re-labels a run's candidates after the run is renamed; subtitles are not indexed, so no words change. */
  relabelCandidatesOf(run: Pick<Run, 'id' | 'name'>): void {
    for (const document of this.documents.values())
      if (document.kind === 'candidate' && document.runId === run.id) {
        const rank = /^#(\d+)/.exec(document.subtitle)?.[1];
        if (rank) document.subtitle = candidateSubtitle(Number(rank), run);
      }
  }

  /** Re-labels a chat's documents after its mode is known or changed, without re-indexing their words. */
  setChatMode(chatId: string, mode: ChatMode | null): void {
    for (const document of this.documents.values()) if (document.chatId === chatId) document.mode = mode;
  }

  search(query: string, filters: SearchFilters, hitsPerKind = HITS_PER_KIND): SearchResponse {
    const trimmed = query.trim();
    if (!trimmed) return { query, groups: [], total: 0 };
    const unfiltered = filters.projectId === null && filters.mode === null && filters.since === null;
    const filter = unfiltered
      ? undefined
      : (result: { id: unknown }) => {
          const document = this.documents.get(String(result.id));
          return document !== undefined && passes(document, filters);
        };
    const terms = queryTerms(trimmed);
    // Words in a large share of the documents ("the", "thermal" in a battery study) would make MiniSearch score
    // tens of thousands of postings: they narrow by membership instead of being scored (as Lucene's common-terms query).
    const common = terms.filter((term, at) => at < terms.length - 1 || !this.isPrefixOfOthers(term)).filter((term) => this.isCommon(term));
    if (common.length && common.length === terms.length) return this.searchCommonOnly(query, common, filters, hitsPerKind);
    const rare = terms.filter((term) => !common.includes(term));
    const mustContain = common.map((term) => this.postings(term));
    const contains = (result: SearchResult) => {
      if (!mustContain.length) return true;
      const shortId = this.internals()._idToShortId.get(String(result.id));
      return shortId !== undefined && mustContain.every((posting) => posting.has(shortId));
    };
    const run = (fuzzy: boolean) =>
      this.engine
        .search(rare.join(' '), { ...SEARCH_OPTIONS, ...(fuzzy ? {} : { fuzzy: false }), ...(filter ? { filter } : {}) })
        .filter(contains);
    // Exact and prefix matches first; typo-tolerant matching (slow on a large vocabulary) only when they find little.
    let results = run(false);
    if (results.length < FUZZY_BELOW) results = run(true);
    return this.grouped(query, results, hitsPerKind);
  }

  private grouped(query: string, results: readonly SearchResult[], hitsPerKind: number): SearchResponse {
    const grouped = new Map<SearchKind, SearchResult[]>();
    for (const result of results) {
      const kind = this.documents.get(String(result.id))!.kind;
      const list = grouped.get(kind);
      if (list) list.push(result);
      else grouped.set(kind, [result]);
    }
    const groups = SEARCH_KINDS.filter((kind) => grouped.has(kind)).map((kind) => {
      const list = grouped.get(kind)!;
      return { kind, total: list.length, hits: list.slice(0, hitsPerKind).map((result) => this.toHit(result)) };
    });
    return { query, groups, total: results.length };
  }

  /**
   * Every word of the query is common: relevance among tens of thousands of
   * documents that all contain it means little, so the documents holding every
   * word are listed newest first, and only the shown ones get a hit built.
   */
  private searchCommonOnly(query: string, terms: readonly string[], filters: SearchFilters, hitsPerKind: number): SearchResponse {
    const postings = terms.map((term) => this.postings(term)).sort((a, b) => a.size - b.size);
    const { _documentIds: documentIds } = this.internals();
    const byKind = new Map<SearchKind, SearchDocument[]>();
    let total = 0;
    for (const shortId of postings[0]!.keys()) {
      if (!postings.every((posting) => posting.has(shortId))) continue;
      const id = documentIds.get(shortId);
      const document = id === undefined ? undefined : this.documents.get(id);
      if (!document || !passes(document, filters)) continue;
      total += 1;
      const list = byKind.get(document.kind);
      if (list) list.push(document);
      else byKind.set(document.kind, [document]);
    }
    const groups = SEARCH_KINDS.filter((kind) => byKind.has(kind)).map((kind) => {
      const list = byKind.get(kind)!;
      const newest = topByCreatedAt(list, hitsPerKind);
      return {
        kind,
        total: list.length,
        hits: newest.map((document) => this.toHit({ id: document.id, score: 0, terms: [...terms] } as unknown as SearchResult)),
      };
    });
    return { query, groups, total };
  }

  /** Where `term` is (exact word): one map per field from short document id to count; tested without copying. */
  private postings(term: string): Posting {
    const perField = [...(this.internals()._index.get(term)?.values() ?? [])];
    return {
      size: perField.reduce((sum, field) => sum + field.size, 0),
      has: (shortId) => perField.some((field) => field.has(shortId)),
      *keys() {
        const seen = perField.length > 1 ? new Set<number>() : null;
        for (const field of perField)
          for (const shortId of field.keys()) {
            if (seen) {
              if (seen.has(shortId)) continue;
              seen.add(shortId);
            }
            yield shortId;
          }
      },
    };
  }

  /** A word is common when it is in more than COMMON_SHARE of the documents (and there are enough to matter). */
  private isCommon(term: string): boolean {
    const count = this.documents.size;
    if (count < this.commonFloor) return false;
    const fields = this.internals()._index.get(term);
    if (!fields) return false;
    let postings = 0;
    for (const perField of fields.values()) postings += perField.size;
    return postings > count * COMMON_SHARE;
  }

  /** The last word is typed as a prefix: when it starts other words it is not only itself, so it stays scored. */
  private isPrefixOfOthers(term: string): boolean {
    let seen = 0;
    for (const key of this.internals()._index.atPrefix(term).keys()) if (++seen > 1 || key !== term) return true;
    return false;
  }

  /**
   * MiniSearch's postings, read to count and test membership without scoring.
   * Not public API: pinned by tests/unit/search.test.ts against the results
   * of a plain MiniSearch query, so an upgrade that changes them fails there.
   */
  private internals(): MiniSearchInternals {
    return this.engine as unknown as MiniSearchInternals;
  }

  private toHit(result: SearchResult): SearchHit {
    const { text, tags, ...document } = this.documents.get(String(result.id))!;
    const source = text || tags;
    return { document, score: result.score, terms: result.terms, snippet: source ? snippetOf(source, result.terms) : [] };
  }
}

function passes(document: SearchDocument, filters: SearchFilters): boolean {
  if (filters.projectId !== null && document.projectId !== filters.projectId) return false;
  if (filters.mode !== null && document.mode !== filters.mode) return false;
  if (filters.since !== null && document.createdAt < filters.since) return false;
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A window of `text` around the first matched word, with every matched word
 * marked. Matching is by word start, case-insensitive, as the tokenizer does.
 */
export function snippetOf(text: string, terms: readonly string[]): SnippetPart[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (terms.length === 0) return [{ text: flat.slice(0, SNIPPET_RADIUS * 2), hit: false }];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(${[...terms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})`,
    'giu',
  );
  const first = pattern.exec(flat);
  pattern.lastIndex = 0;
  const centre = first ? first.index : 0;
  let start = Math.max(0, centre - SNIPPET_RADIUS);
  let end = Math.min(flat.length, centre + SNIPPET_RADIUS);
  // Cut at word boundaries so the snippet does not start or end mid-word.
  if (start > 0) start = flat.indexOf(' ', start) + 1 || start;
  if (end < flat.length) end = flat.lastIndexOf(' ', end) > centre ? flat.lastIndexOf(' ', end) : end;
  const window = flat.slice(start, end);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', hit: false });
  let last = 0;
  for (const match of window.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: window.slice(last, match.index), hit: false });
    parts.push({ text: match[0], hit: true });
    last = match.index + match[0].length;
  }
  if (last < window.length) parts.push({ text: window.slice(last), hit: false });
  if (end < flat.length) parts.push({ text: '…', hit: false });
  return parts;
}

// ---- Records → documents -------------------------------------------------

export function messageDocument(message: Message, chat: ChatSession | undefined): SearchDocument {
  return {
    id: `message:${message.id}`,
    kind: 'message',
    projectId: message.projectId,
    chatId: message.chatSessionId,
    mode: chat?.mode ?? null,
    runId: null,
    candidateId: null,
    recordId: message.id,
    createdAt: message.createdAt,
    title: '',
    subtitle: message.role,
    text: message.content,
    tags: '',
  };
}

export function chatDocument(chat: ChatSession): SearchDocument {
  return {
    id: `chat:${chat.id}`,
    kind: 'chat',
    projectId: chat.projectId,
    chatId: chat.id,
    mode: chat.mode,
    runId: chat.runId ?? null,
    candidateId: chat.candidateId ?? null,
    recordId: chat.id,
    createdAt: chat.createdAt,
    title: chat.title,
    subtitle: '',
    text: '',
    tags: '',
  };
}

/** The name a run is shown by: its own name, else "Run" and its short id. */
export function runTitle(run: Pick<Run, 'id' | 'name'>): string {
  return run.name.trim() || `Run ${shortId(run.id)}`;
}

export function runDocument(run: Run, chat: ChatSession | undefined): SearchDocument {
  return {
    id: `run:${run.id}`,
    kind: 'run',
    projectId: run.projectId,
    chatId: run.chatSessionId,
    mode: chat?.mode ?? null,
    runId: run.id,
    candidateId: null,
    recordId: run.id,
    createdAt: run.createdAt,
    // The short id is searchable too, so "3f2a9c" finds the run it labels.
    title: `${runTitle(run)} ${shortId(run.id)}`,
    subtitle: `${run.mode.replace('_', ' ')} · ${run.status}`,
    text: run.notes,
    tags: run.tags.join(' '),
  };
}

/** "#2 in LFP pack": a candidate's subtitle, which follows its run's name. */
export function candidateSubtitle(rank: number, run: Pick<Run, 'id' | 'name'> | undefined): string {
  return `#${rank}${run ? ` in ${runTitle(run)}` : ''}`;
}

export function candidateDocument(
  candidate: Candidate,
  run: Pick<Run, 'id' | 'name' | 'chatSessionId' | 'createdAt'> | undefined,
  chat: ChatSession | undefined,
): SearchDocument {
  return {
    id: `candidate:${candidate.id}`,
    kind: 'candidate',
    projectId: candidate.projectId,
    chatId: run?.chatSessionId ?? null,
    mode: chat?.mode ?? null,
    runId: candidate.runId,
    candidateId: candidate.id,
    recordId: candidate.id,
    createdAt: run?.createdAt ?? 0,
    title: candidate.label,
    subtitle: candidateSubtitle(candidate.rank, run),
    text: candidate.mechanism,
    tags: '',
  };
}

/** One document per goal, constraint, dimension and option of a project's spec. */
export function specDocuments(spec: ProblemSpec): SearchDocument[] {
  const base = {
    kind: 'spec' as const,
    projectId: spec.projectId,
    chatId: null,
    mode: null,
    runId: null,
    candidateId: null,
    createdAt: spec.updatedAt,
    tags: '',
  };
  const item = (recordId: string, title: string, text: string, subtitle: string): SearchDocument => ({
    ...base,
    id: `spec:${spec.projectId}:${recordId}`,
    recordId,
    title,
    subtitle,
    text,
  });
  return [
    ...spec.goals.map((goal) => item(goal.id, goal.text, '', 'Goal')),
    ...spec.constraints.map((constraint) => item(constraint.id, constraint.name, constraint.description, 'Constraint')),
    ...spec.designSpace.dimensions.flatMap((dimension) => [
      item(dimension.id, dimension.name, dimension.description, 'Dimension'),
      ...dimension.options.map((option) => item(option.id, `${dimension.name}: ${option.name}`, option.description, 'Option')),
    ]),
  ];
}
