import { useLiveQuery } from 'dexie-react-hooks';
import { memo, useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { listRunTags } from '../../db';
import { CHAT_MODE_LABELS, shortId, type ChatSession, type Run, type RunMode, type RunStatus } from '../../domain';
import { useImmediateSearchParams } from '../../shared/immediateSearchParams';
import { useLinks } from '../../shared/links';
import { AppLink } from '../../shared/navigation';
import { formatDuration, RelativeTime } from '../../shared/RelativeTime';
import { formatI, modeLabel, RUN_MODES, RUN_STATUSES, StatusBadge } from './format';
import { chatIndex, useProjectChats, useRunPage } from './hooks';
import './history.css';

export const RUN_HISTORY_PAGE_SIZE = 50;

const ALL = 'all';

/**
 * The Runs tab's history. Scope defaults to the current chat; "All chats" or
 * the picker choose another. Filters and page live in the URL so a reload or
 * a shared link shows the same list. One indexed, paged query per page; chat
 * titles come from one query for the whole project.
 */
export function RunHistory({ projectId, chat }: { projectId: string; chat: ChatSession }) {
  const links = useLinks();
  const [search, setSearch] = useImmediateSearchParams();
  const scope = search.get('runsChat') ?? chat.id;
  const status = (search.get('runsStatus') as RunStatus | null) ?? undefined;
  const mode = (search.get('runsMode') as RunMode | null) ?? undefined;
  const tag = search.get('runsTag') ?? undefined;
  const page = Math.max(0, Number(search.get('runsPage') ?? 0) || 0);

  const chats = useProjectChats(projectId);
  const projectTags = useLiveQuery(() => listRunTags(projectId), [projectId]);
  // A tag in the URL that no run carries any more stays choosable, so the select shows what the list is filtered by.
  const tagChoices = [...(projectTags ?? []).map((entry) => entry.tag), ...(tag && !projectTags?.some((e) => e.tag === tag) ? [tag] : [])];
  const byId = useMemo(() => chatIndex(chats), [chats]);
  const result = useRunPage({
    projectId,
    chatSessionId: scope === ALL ? undefined : scope,
    status: status && RUN_STATUSES.includes(status) ? status : undefined,
    mode: mode && RUN_MODES.includes(mode) ? mode : undefined,
    tag,
    offset: page * RUN_HISTORY_PAGE_SIZE,
    limit: RUN_HISTORY_PAGE_SIZE,
  });

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    next.set('tab', 'runs');
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    if (!('runsPage' in changes)) next.delete('runsPage');
    setSearch(next);
  };

  // The rows are memoised, so a filter change re-renders only the rows it changes: choosing a tag goes through the
  // newest `update`, from a callback that stays the same.
  const latestUpdate = useRef(update);
  useLayoutEffect(() => {
    latestUpdate.current = update;
  });
  const chooseTag = useCallback((next: string | null) => latestUpdate.current({ runsTag: next }), []);
  const chatOptions = useMemo(
    () =>
      (chats ?? [chat]).map((option) => (
        <option key={option.id} value={option.id}>
          {option.id === chat.id ? `This chat: ${option.title}` : `${option.title} (${CHAT_MODE_LABELS[option.mode]})`}
        </option>
      )),
    [chats, chat],
  );

  const scopeChat = scope === ALL ? null : (byId.get(scope) ?? (scope === chat.id ? chat : null));
  const scopeLabel = scope === ALL ? 'all chats' : scopeChat ? `“${scopeChat.title}”` : 'a deleted chat';
  const runs = result?.runs;
  const first = page * RUN_HISTORY_PAGE_SIZE + 1;

  return (
    <section className="run-history" aria-labelledby="run-history-title">
      <header className="history-head">
        <h3 id="run-history-title">Run history</h3>
        <AppLink to={links.map(projectId, chat.id)} className="button-link">
          Project map
        </AppLink>
      </header>
      <div className="history-controls">
        <div className="segmented" role="group" aria-label="Runs of">
          <button type="button" aria-pressed={scope === chat.id} onClick={() => update({ runsChat: null })}>
            This chat
          </button>
          <button type="button" aria-pressed={scope === ALL} onClick={() => update({ runsChat: ALL })}>
            All chats
          </button>
        </div>
        <label>
          <span className="visually-hidden">Chat</span>
          <select
            aria-label="Chat"
            className="history-chat-picker"
            value={scope}
            onChange={(event) => update({ runsChat: event.target.value === chat.id ? null : event.target.value })}
          >
            <option value={ALL}>All chats</option>
            {chatOptions}
          </select>
        </label>
        <label>
          <span className="visually-hidden">Status</span>
          <select aria-label="Status" value={status ?? ''} onChange={(event) => update({ runsStatus: event.target.value || null })}>
            <option value="">Any status</option>
            {RUN_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="visually-hidden">Mode</span>
          <select aria-label="Mode" value={mode ?? ''} onChange={(event) => update({ runsMode: event.target.value || null })}>
            <option value="">Any mode</option>
            {RUN_MODES.map((value) => (
              <option key={value} value={value}>
                {modeLabel(value)}
              </option>
            ))}
          </select>
        </label>
        {tagChoices.length > 0 && (
          <label>
            <span className="visually-hidden">Tag</span>
            <select aria-label="Tag" value={tag ?? ''} onChange={(event) => update({ runsTag: event.target.value || null })}>
              <option value="">Any tag</option>
              {tagChoices.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      {runs === undefined ? (
        <p className="muted pad">Loading runs…</p>
      ) : runs.length === 0 ? (
        <p className="empty-state">
          {page > 0
            ? 'No more runs.'
            : `No runs${tag ? ` tagged “${tag}”` : ''}${status ? ` with status ${status}` : ''}${mode ? ` in ${modeLabel(mode)} mode` : ''} from ${scopeLabel} yet.`}
        </p>
      ) : (
        <div className="history-scroll">
          <table className="history-table card-table" aria-label={`Runs of ${scopeLabel}`}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col" className="col-optional">
                  Duration
                </th>
                <th scope="col" className="col-optional" title="candidates / scenarios / evaluations">
                  C/S/E
                </th>
                <th scope="col">Best I</th>
                <th scope="col">Origin</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow
                  key={run.id}
                  run={run}
                  projectId={projectId}
                  currentChatId={chat.id}
                  origin={run.chatSessionId ? byId.get(run.chatSessionId) : undefined}
                  activeTag={tag}
                  onTag={chooseTag}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs && (page > 0 || result?.hasMore) && (
        <nav className="pager" aria-label="Run history pages">
          <button type="button" disabled={page === 0} onClick={() => update({ runsPage: page > 1 ? String(page - 1) : null })}>
            ← Newer
          </button>
          <span className="muted">
            Runs {runs.length ? first : 0}–{first + runs.length - 1}
          </span>
          <button type="button" disabled={!result?.hasMore} onClick={() => update({ runsPage: String(page + 1) })}>
            Older →
          </button>
        </nav>
      )}
    </section>
  );
}

const RunRow = memo(function RunRow({
  run,
  projectId,
  currentChatId,
  origin,
  activeTag,
  onTag,
}: {
  run: Run;
  projectId: string;
  currentChatId: string;
  origin: ChatSession | undefined;
  activeTag: string | undefined;
  /** Filters by a tag, or by none when given null. */
  onTag: (tag: string | null) => void;
}) {
  const links = useLinks();
  return (
    <tr>
      <td className="run-name-cell card-title">
        {run.name ? (
          <>
            <AppLink to={links.runDetail(projectId, currentChatId, run.id)} className="run-name">
              {run.name}
            </AppLink>
            <span className="mono muted run-short-id">{shortId(run.id)}</span>
          </>
        ) : (
          <AppLink to={links.runDetail(projectId, currentChatId, run.id)} className="mono" aria-label={`Run ${shortId(run.id)}`}>
            {shortId(run.id)}
          </AppLink>
        )}
        {run.tags.length > 0 && (
          <span className="run-row-tags" role="group" aria-label="Tags">
            {run.tags.map((value) => (
              <button
                key={value}
                type="button"
                className="tag-chip"
                aria-pressed={value === activeTag}
                title={value === activeTag ? 'Show runs with any tag' : `Show only runs tagged “${value}”`}
                onClick={() => onTag(value === activeTag ? null : value)}
              >
                {value}
              </button>
            ))}
          </span>
        )}
      </td>
      <td className="mode-cell" data-label="Mode">
        {modeLabel(run.mode)}
      </td>
      <td data-label="Status">
        <StatusBadge status={run.status} />
      </td>
      <td data-label="Created">
        <RelativeTime timestamp={run.createdAt} />
      </td>
      <td className="cell-num col-optional" data-label="Duration">
        {formatDuration(run.durationMs)}
      </td>
      <td className="cell-num col-optional" data-label="C/S/E">
        {run.candidateCount}/{run.scenarioCount}/{run.evaluationCount}
      </td>
      <td className="cell-num" data-label="Best I">
        {formatI(run.metrics.bestI)}
      </td>
      <td className="origin-cell card-wide" data-label="Origin" title={origin?.title}>
        <OriginChat run={run} projectId={projectId} origin={origin} />
      </td>
    </tr>
  );
});

export function OriginChat({ run, projectId, origin }: { run: Run; projectId: string; origin: ChatSession | undefined }) {
  const links = useLinks();
  if (run.chatSessionId && origin) {
    return (
      <AppLink to={links.chat(projectId, origin.id)} title={`${CHAT_MODE_LABELS[origin.mode]} chat`}>
        {origin.title}
      </AppLink>
    );
  }
  if (run.chatSessionId || run.originChatDeleted) return <span className="muted">deleted chat</span>;
  return <span className="muted">no chat</span>;
}
