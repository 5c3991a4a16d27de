import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  appendMessage,
  commitImport,
  createChat,
  createProject,
  db,
  deleteChat,
  onRecordsChanged,
  prepareImport,
  renameChat,
  changeRunTags,
  updateRunLabels,
} from '../../src/db';
import { SearchIndex, snippetOf, type SearchDocument, type SearchFilters } from '../../src/features/search/searchIndex';
import { SearchService } from '../../src/features/search/searchService';
import { importErrorSentence } from '../../src/shared/errorText';

const ANY: SearchFilters = { projectId: null, mode: null, since: null };

let service: SearchService;
let unsubscribe: () => void = () => {};

beforeEach(async () => {
  await db.delete();
  await db.open();
});
afterEach(() => unsubscribe());

/** A service fed by the change feed, as the worker is. */
async function startService(): Promise<SearchService> {
  service = new SearchService();
  unsubscribe = onRecordsChanged((changes) => void service.enqueue(changes));
  await service.build();
  return service;
}

function kindsAndIds(query: string, filters = ANY) {
  return service.search(query, filters).groups.flatMap((group) => group.hits.map((hit) => `${group.kind}:${hit.document.recordId}`));
}

describe('search index kept up to date', () => {
  test('indexes messages, chat titles and spec items already stored', async () => {
    const { project, chat } = await createProject({ title: 'Battery', description: '' });
    const message = await appendMessage(chat.id, { role: 'user', content: 'What about sodium cells for the cold mornings?' });
    await renameChat(chat.id, 'Chemistry choice');
    await startService();
    expect(kindsAndIds('sodium')).toEqual([`message:${message.id}`]);
    expect(kindsAndIds('chemistry')).toEqual([`chat:${chat.id}`]);
    expect(service.getStatus()).toMatchObject({ state: 'ready' });
    expect(service.search('sodium', { ...ANY, projectId: project.id }).total).toBe(1);
    expect(service.search('sodium', { ...ANY, projectId: 'another' }).total).toBe(0);
  });

  test('a message added, edited and deleted shows up, changes and disappears', async () => {
    const { chat } = await createProject({ title: 'Battery', description: '' });
    await startService();
    expect(kindsAndIds('sodium')).toEqual([]);

    const added = await appendMessage(chat.id, { role: 'user', content: 'Sodium-ion is cheap.' });
    await service.settled();
    expect(kindsAndIds('sodium')).toEqual([`message:${added.id}`]);

    await db.messages.update(added.id, { content: 'Lithium iron phosphate is cheap.' });
    await service.settled();
    expect(kindsAndIds('sodium')).toEqual([]);
    expect(kindsAndIds('phosphate')).toEqual([`message:${added.id}`]);

    await deleteChat(chat.id);
    await service.settled();
    expect(kindsAndIds('phosphate')).toEqual([]);
  });

  test('an imported project is searchable: messages, chats, candidates and spec options', async () => {
    await startService();
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'export-format-v4.crucible.json'), 'utf8');
    const prepared = await prepareImport(text);
    if (!prepared.ok) throw new Error(importErrorSentence(prepared.error));
    const committed = await commitImport(prepared.value);
    expect(committed.ok).toBe(true);
    await service.settled();
    const response = service.search('sodium', ANY);
    const kinds = response.groups.map((group) => group.kind);
    expect(kinds).toEqual(expect.arrayContaining(['message', 'chat', 'candidate', 'spec']));
    expect(response.groups.find((group) => group.kind === 'spec')!.hits[0]!.document.title).toBe('Chemistry: Sodium-ion');
  });

  test('the mode filter keeps only things in chats of that mode; the date filter drops older things', async () => {
    const { project, chat } = await createProject({ title: 'Battery', description: '' });
    const whatIf = await createChat({ projectId: project.id, mode: 'whatif', title: 'Cheaper cells' });
    const inSetup = await appendMessage(chat.id, { role: 'user', content: 'sodium in setup' });
    const inWhatIf = await appendMessage(whatIf.id, { role: 'user', content: 'sodium in what-if' });
    await startService();
    expect(kindsAndIds('sodium', { ...ANY, mode: 'whatif' })).toEqual([`message:${inWhatIf.id}`]);
    expect(kindsAndIds('sodium', { ...ANY, mode: 'setup' })).toEqual([`message:${inSetup.id}`]);
    expect(kindsAndIds('sodium', { ...ANY, since: inWhatIf.createdAt })).toEqual([`message:${inWhatIf.id}`]);
  });
});

describe('runs by name, tags and notes', () => {
  function runHits(query: string) {
    return service.search(query, ANY).groups.find((group) => group.kind === 'run')?.hits ?? [];
  }

  test('an imported named run is found by its name, a tag and a word of its notes; edits and deletion follow', async () => {
    await startService();
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'export-format-v6.crucible.json'), 'utf8');
    const prepared = await prepareImport(text);
    if (!prepared.ok) throw new Error(importErrorSentence(prepared.error));
    const committed = await commitImport(prepared.value);
    if (!committed.ok) throw new Error(importErrorSentence(committed.error));
    await service.settled();
    const named = (await db.runs.where('projectId').equals(committed.value[0]!.projectId).toArray()).find((run) => run.name)!;

    for (const query of ['air cooled', 'shortlist', 'design review'])
      expect(
        runHits(query).map((hit) => hit.document.recordId),
        query,
      ).toEqual([named.id]);
    expect(runHits('air cooled')[0]!.document.title).toContain('LFP pack, air cooled');

    // Rename: the old name is gone, the new one found, and the run's candidates say the new name.
    await updateRunLabels(named.id, { name: 'Sodium trial', notes: 'Cold-weather capacity check.' });
    await service.settled();
    expect(runHits('air cooled')).toEqual([]);
    expect(runHits('design review')).toEqual([]);
    expect(runHits('sodium trial').map((hit) => hit.document.recordId)).toEqual([named.id]);
    expect(runHits('capacity').map((hit) => hit.document.recordId)).toEqual([named.id]);
    const candidateOfRun = await db.candidates.where('runId').equals(named.id).first();
    const candidateHit = service
      .search(candidateOfRun!.label, ANY)
      .groups.find((group) => group.kind === 'candidate')!
      .hits.find((hit) => hit.document.recordId === candidateOfRun!.id)!;
    expect(candidateHit.document.subtitle).toBe(`#${candidateOfRun!.rank} in Sodium trial`);

    // A tag taken off is no longer found; one added is.
    await changeRunTags(named.id, { remove: ['shortlist'], add: ['winter'] });
    await service.settled();
    expect(runHits('shortlist')).toEqual([]);
    expect(runHits('winter').map((hit) => hit.document.recordId)).toEqual([named.id]);

    await db.runs.delete(named.id);
    await service.settled();
    expect(runHits('winter')).toEqual([]);
  });
});

describe('ranking', () => {
  const doc = (id: string, text: string, title = ''): SearchDocument => ({
    id,
    kind: 'message',
    projectId: 'p',
    chatId: 'c',
    mode: 'setup',
    runId: null,
    candidateId: null,
    recordId: id,
    createdAt: 1,
    title,
    subtitle: '',
    text,
    tags: '',
  });

  test('an exact word ranks above a prefix match and a typo match', () => {
    const index = new SearchIndex();
    index.upsert([doc('prefix', 'the cells are sodiumion based'), doc('typo', 'a sodum cell'), doc('exact', 'a sodium cell')]);
    const hits = index.search('sodium', ANY).groups[0]!.hits.map((hit) => hit.document.id);
    expect(hits[0]).toBe('exact');
    expect([...hits.slice(1)].sort()).toEqual(['prefix', 'typo']);
  });

  test('a title match ranks above the same word in the text', () => {
    const index = new SearchIndex();
    index.upsert([doc('text', 'thermal runaway risk'), doc('title', 'something else', 'Thermal runaway')]);
    expect(index.search('runaway', ANY).groups[0]!.hits.map((hit) => hit.document.id)).toEqual(['title', 'text']);
  });

  test('a partial word finds the whole word as you type', () => {
    const index = new SearchIndex();
    index.upsert([doc('a', 'Sodium-ion cells')]);
    expect(index.search('sodi', ANY).total).toBe(1);
  });

  test('removing a document takes it out of the results', () => {
    const index = new SearchIndex();
    index.upsert([doc('a', 'sodium'), doc('b', 'sodium')]);
    index.remove('a');
    expect(index.search('sodium', ANY).groups[0]!.hits.map((hit) => hit.document.id)).toEqual(['b']);
    index.upsert([doc('b', 'lithium')]);
    expect(index.search('sodium', ANY).total).toBe(0);
  });
});

describe('common words', () => {
  /** 60 messages: every one says "thermal", every third "kalopra", two "xylophonic"; newer ones have higher numbers. */
  function documents(): SearchDocument[] {
    return Array.from({ length: 60 }, (_, i) => ({
      id: `m${i}`,
      kind: 'message' as const,
      projectId: i % 2 ? 'p1' : 'p2',
      chatId: 'c',
      mode: 'setup' as const,
      runId: null,
      candidateId: null,
      recordId: `m${i}`,
      createdAt: 1000 + i,
      title: '',
      subtitle: '',
      text: `thermal pack ${i % 3 === 0 ? 'kalopra' : 'loren'} ${i === 7 || i === 40 ? 'xylophonic' : ''} cell ${i}`,
      tags: '',
    }));
  }
  const ids = (response: ReturnType<SearchIndex['search']>) => response.groups.flatMap((group) => group.hits.map((hit) => hit.document.id));

  test('a common word narrows by membership: the same documents as scoring it, for any filters', () => {
    const shortcut = new SearchIndex(0);
    const scored = new SearchIndex(Number.POSITIVE_INFINITY);
    shortcut.upsert(documents());
    scored.upsert(documents());
    for (const query of ['thermal kalopra', 'kalopra thermal', 'pack thermal xylophonic', 'thermal cell loren'])
      for (const filters of [ANY, { ...ANY, projectId: 'p1' }, { ...ANY, since: 1030 }]) {
        const fast = shortcut.search(query, filters, 100);
        const slow = scored.search(query, filters, 100);
        expect(fast.total, `${query} ${JSON.stringify(filters)}`).toBe(slow.total);
        expect(ids(fast).sort()).toEqual(ids(slow).sort());
      }
    expect(shortcut.search('thermal kalopra', ANY).total).toBe(20);
  });

  test('a query of common words only lists the newest documents holding all of them, with the words marked', () => {
    const index = new SearchIndex(0);
    index.upsert(documents());
    const response = index.search('thermal pack', ANY, 3);
    expect(response.total).toBe(60);
    expect(ids(response)).toEqual(['m59', 'm58', 'm57']);
    expect(response.groups[0]!.hits[0]!.snippet.filter((part) => part.hit).map((part) => part.text)).toEqual(['thermal', 'pack']);
    expect(index.search('thermal pack', { ...ANY, projectId: 'p2', since: 1050 }, 10).total).toBe(5);
    // A removed or replaced document is not listed from stale postings.
    index.remove('m59');
    index.upsert([{ ...documents()[58]!, text: 'something else entirely' }]);
    expect(ids(index.search('thermal pack', ANY, 2))).toEqual(['m57', 'm56']);
    expect(index.search('thermal pack', ANY).total).toBe(58);
  });

  test('the last word, typed as a prefix of other words, is still matched as a prefix', () => {
    const index = new SearchIndex(0);
    index.upsert(documents());
    // "therm" is not a word of its own: it is scored as a prefix and finds every "thermal".
    expect(index.search('therm', ANY).total).toBe(60);
    expect(index.search('kalopra therm', ANY).total).toBe(20);
  });
});

describe('snippets', () => {
  test('mark every matched word and cut a window around the first', () => {
    const long = `${'filler '.repeat(40)}the Sodium-ion pack and more sodium ${'tail '.repeat(40)}`;
    const parts = snippetOf(long, ['sodium']);
    expect(parts.filter((part) => part.hit).map((part) => part.text)).toEqual(['Sodium', 'sodium']);
    expect(parts[0]).toEqual({ text: '…', hit: false });
    expect(parts.at(-1)).toEqual({ text: '…', hit: false });
    expect(parts.map((part) => part.text).join('').length).toBeLessThan(170);
  });
});
