import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { CHAT_MODE_LABELS, chatModeSchema, type ChatMode } from '../../domain';
import { useLinks, type AppLinks } from '../../shared/links';
import { formatAbsolute } from '../../shared/RelativeTime';
import type { PlacedResponse } from './protocol';
import { onSearchStatus, querySearch, searchStatus } from './searchClient';
import type { SearchHit, SearchKind } from './searchIndex';
import type { SearchStatus } from './searchService';
import './search.css';
import { useAppNavigate } from '../../shared/navigation';

const KIND_LABELS: Record<SearchKind, string> = {
  message: 'Messages',
  chat: 'Chats',
  run: 'Runs',
  candidate: 'Candidates',
  spec: 'Spec items',
};

const DAY = 24 * 60 * 60 * 1000;
const DATE_RANGES = [
  { id: 'any', label: 'Any time', ms: null },
  { id: 'day', label: 'Past 24 hours', ms: DAY },
  { id: 'week', label: 'Past week', ms: 7 * DAY },
  { id: 'month', label: 'Past month', ms: 30 * DAY },
  { id: 'year', label: 'Past year', ms: 365 * DAY },
] as const;
type DateRange = (typeof DATE_RANGES)[number]['id'];

export interface SearchPaletteProps {
  /** The project the user is in; the palette searches it by default. */
  currentProjectId: string | null;
  onClose: () => void;
}

/** Where a hit opens: its chat at the message, the run, the candidate, the chat, or the spec tab. */
export function hrefOfHit(hit: SearchHit, response: PlacedResponse, links: AppLinks): string | null {
  const { document } = hit;
  const chatId = document.chatId && response.chatTitles[document.chatId] ? document.chatId : response.homeChats[document.projectId];
  if (!chatId) return links.project(document.projectId);
  switch (document.kind) {
    case 'message':
      return links.message(document.projectId, chatId, document.recordId);
    case 'chat':
      return links.chat(document.projectId, chatId);
    case 'run':
      return links.runDetail(document.projectId, chatId, document.runId!);
    case 'candidate':
      return links.candidate(document.projectId, chatId, document.runId!, document.candidateId!);
    case 'spec':
      return links.chat(document.projectId, chatId, 'spec');
  }
}

/**
 * The Ctrl+K palette: a combobox over a grouped listbox. Arrow keys move
 * through every result across groups, Enter opens, Escape closes, Tab stays
 * inside the dialog.
 */
export function SearchPalette({ currentProjectId, onClose }: SearchPaletteProps) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [query, setQuery] = useState('');
  const [scope, setScope] = useState<'project' | 'all'>(currentProjectId ? 'project' : 'all');
  const [mode, setMode] = useState<ChatMode | 'any'>('any');
  const [range, setRange] = useState<DateRange>('any');
  const [lastResponse, setResponse] = useState<PlacedResponse | null>(null);
  const [status, setStatus] = useState<SearchStatus | null>(searchStatus);
  const [active, setActive] = useState(0);
  const dialogRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const titleId = useId();

  useEffect(() => onSearchStatus(setStatus), []);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    inputRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  const rangeMs = DATE_RANGES.find((item) => item.id === range)!.ms;

  // Re-query while the index builds, so results fill in as it grows.
  const building = status?.state === 'building';
  const buildStep = building ? Math.floor((status?.indexed ?? 0) / 20000) : 0;
  useEffect(() => {
    let live = true;
    if (!query.trim()) return;
    // "Last 7 days" counts back from when the query is sent, so the clock is read here, not while rendering.
    const filters = {
      projectId: scope === 'project' ? currentProjectId : null,
      mode: mode === 'any' ? null : mode,
      since: rangeMs === null ? null : Date.now() - rangeMs,
    };
    void querySearch(query, filters).then((answer) => {
      if (!live) return;
      setResponse(answer.response);
      setActive(0);
    });
    return () => {
      live = false;
    };
  }, [query, scope, mode, rangeMs, currentProjectId, building, buildStep]);

  // An emptied box shows no results, whatever the last query answered.
  const response = query.trim() ? lastResponse : null;
  const flat = useMemo(() => (response?.groups ?? []).flatMap((group) => group.hits), [response]);
  const optionId = (index: number) => `${listId}-option-${index}`;

  const open = (hit: SearchHit) => {
    const href = response && hrefOfHit(hit, response, links);
    if (!href) return;
    onClose();
    navigate(href);
  };

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && flat.length > 0) {
      event.preventDefault();
      setActive((index) => (index + 1) % flat.length);
    } else if (event.key === 'ArrowUp' && flat.length > 0) {
      event.preventDefault();
      setActive((index) => (index - 1 + flat.length) % flat.length);
    } else if (event.key === 'Home' && flat.length > 0 && event.ctrlKey) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && flat.length > 0 && event.ctrlKey) {
      event.preventDefault();
      setActive(flat.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = flat[active];
      if (hit) open(hit);
    }
  };

  // The focus trap: Tab and Shift+Tab cycle through the dialog's own controls.
  const onDialogKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...(dialogRef.current?.querySelectorAll<HTMLElement>('input, select, button') ?? [])].filter(
      (element) => !element.hasAttribute('disabled'),
    );
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable.at(-1)!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- optionId is derived from the stable listId
  }, [active, response]);

  let index = -1;
  return (
    <div className="search-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={dialogRef} className="search-palette" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onDialogKey}>
        <h2 id={titleId} className="visually-hidden">
          Search
        </h2>
        <div className="search-input-row">
          <span aria-hidden="true" className="search-icon">
            ⌕
          </span>
          <input
            ref={inputRef}
            type="search"
            role="combobox"
            aria-label="Search messages, chats, runs, candidates and spec items"
            aria-expanded={flat.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={flat.length > 0 ? optionId(active) : undefined}
            placeholder="Search messages, chats, runs, candidates, spec…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={onInputKey}
            spellCheck={false}
            autoComplete="off"
          />
          <kbd className="search-kbd">Esc</kbd>
        </div>
        <div className="search-filters">
          <label>
            <span className="visually-hidden">Project</span>
            <select aria-label="Project" value={scope} onChange={(event) => setScope(event.target.value as 'project' | 'all')}>
              {currentProjectId && <option value="project">This project</option>}
              <option value="all">All projects</option>
            </select>
          </label>
          <label>
            <span className="visually-hidden">Chat mode</span>
            <select aria-label="Chat mode" value={mode} onChange={(event) => setMode(event.target.value as ChatMode | 'any')}>
              <option value="any">Any chat mode</option>
              {chatModeSchema.options.map((item) => (
                <option key={item} value={item}>
                  {CHAT_MODE_LABELS[item]} chats
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="visually-hidden">Date</span>
            <select aria-label="Date" value={range} onChange={(event) => setRange(event.target.value as DateRange)}>
              {DATE_RANGES.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.label}
                </option>
              ))}
            </select>
          </label>
          <span
            className="search-status muted"
            role="status"
            data-state={status?.state ?? 'starting'}
            data-indexed={status?.indexed ?? 0}
            data-build-ms={status?.buildMs ?? ''}
            data-took-ms={response?.tookMs ?? ''}
          >
            {building
              ? `Indexing… ${status.indexed.toLocaleString()} of ${status.total.toLocaleString()}`
              : response
                ? `${response.total.toLocaleString()} ${response.total === 1 ? 'result' : 'results'}`
                : ''}
          </span>
        </div>
        <div id={listId} role="listbox" aria-label="Results" className="search-results">
          {query.trim() && response && response.total === 0 && (
            <p className="muted pad" role="presentation">
              {building ? 'Nothing found yet; the index is still being built.' : `Nothing matches “${query.trim()}”.`}
            </p>
          )}
          {!query.trim() && (
            <p className="muted pad" role="presentation">
              Type to search. ↑ ↓ to move, Enter to open, Esc to close.
            </p>
          )}
          {response?.groups.map((group) => {
            const groupId = `${listId}-${group.kind}`;
            return (
              <div key={group.kind} role="group" aria-labelledby={groupId} className="search-group">
                <div id={groupId} className="search-group-title" role="presentation">
                  {KIND_LABELS[group.kind]}
                  <span className="muted">
                    {group.total > group.hits.length ? ` · ${group.hits.length} of ${group.total}` : ` · ${group.total}`}
                  </span>
                </div>
                {group.hits.map((hit) => {
                  index += 1;
                  const at = index;
                  return (
                    <div
                      key={hit.document.id}
                      id={optionId(at)}
                      role="option"
                      aria-selected={at === active}
                      className={`search-hit${at === active ? ' active' : ''}`}
                      onMouseMove={() => at !== active && setActive(at)}
                      onClick={() => open(hit)}
                    >
                      <HitBody hit={hit} response={response} showProject={scope === 'all'} />
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function HitBody({ hit, response, showProject }: { hit: SearchHit; response: PlacedResponse; showProject: boolean }) {
  const { document } = hit;
  const chatTitle = document.chatId ? response.chatTitles[document.chatId] : undefined;
  const context = [
    showProject ? response.projectTitles[document.projectId] : null,
    document.kind !== 'chat' ? chatTitle : null,
    document.subtitle || null,
    document.mode && document.kind === 'chat' ? CHAT_MODE_LABELS[document.mode] : null,
    document.createdAt > 0 ? formatAbsolute(document.createdAt) : null,
  ].filter(Boolean);
  const title = document.kind === 'message' ? null : document.title;
  return (
    <>
      {title && <span className="search-hit-title">{highlight(title, hit.terms)}</span>}
      {hit.snippet.length > 0 && (document.kind === 'message' || hit.snippet.some((part) => part.hit)) && (
        <span className="search-snippet">
          {hit.snippet.map((part, at) => (part.hit ? <mark key={at}>{part.text}</mark> : <span key={at}>{part.text}</span>))}
        </span>
      )}
      <span className="search-hit-context muted">{context.join(' · ')}</span>
    </>
  );
}

function highlight(text: string, terms: readonly string[]) {
  if (terms.length === 0) return text;
  const escaped = [...terms].sort((a, b) => b.length - a.length).map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})`, 'giu');
  const parts = text.split(pattern);
  return parts.map((part, at) => (at % 2 === 1 ? <mark key={at}>{part}</mark> : part));
}
