import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { createChat, deleteChat, renameChat, setChatArchived, setChatMode } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { CHAT_MODE_LABELS, chatModeSchema, shortId, type ChatMode, type ChatSession } from '../../domain';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { readAheadNewestMessages } from './readAhead';
import { useLinks } from '../../shared/links';
import { ModeBadge } from '../../shared/ModeBadge';
import { RelativeTime } from '../../shared/RelativeTime';
import { useChats } from './hooks';
import { AppLink, useAppNavigate } from '../../shared/navigation';

const MODES = chatModeSchema.options;

interface Props {
  projectId: string;
  activeChatId: string;
}

export function ChatSwitcher({ projectId, activeChatId }: Props) {
  const [showArchived, setShowArchived] = useState(false);
  const [filter, setFilter] = useState('');
  const [modeFilter, setModeFilter] = useState<ChatMode | 'all'>('all');
  const chats = useChats(projectId, showArchived);
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (chats ?? []).filter(
      (chat) => (!needle || chat.title.toLowerCase().includes(needle)) && (modeFilter === 'all' || chat.mode === modeFilter),
    );
  }, [chats, filter, modeFilter]);
  const filtered = filter.trim() !== '' || modeFilter !== 'all';

  return (
    <nav className="chat-switcher" aria-label="Chats">
      <NewChatForm projectId={projectId} chats={chats ?? []} />
      <div className="switcher-filters">
        <input
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="Filter chats by title"
          aria-label="Filter chats by title"
        />
        <div className="switcher-filter-row">
          <select
            aria-label="Show chats of mode"
            value={modeFilter}
            onChange={(event) => setModeFilter(event.target.value as ChatMode | 'all')}
          >
            <option value="all">All modes</option>
            {MODES.map((option) => (
              <option key={option} value={option}>
                {CHAT_MODE_LABELS[option]}
              </option>
            ))}
          </select>
          <label className="checkbox">
            <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} />
            Show archived
          </label>
        </div>
      </div>
      {chats === undefined ? (
        <p className="muted pad">Loading chats…</p>
      ) : visible.length === 0 ? (
        <p className="muted pad">
          {filter.trim() ? `No chat matches “${filter}”` : filtered ? `No ${CHAT_MODE_LABELS[modeFilter as ChatMode]} chat` : 'No chats'}
          {filter.trim() && modeFilter !== 'all' ? ` among ${CHAT_MODE_LABELS[modeFilter]} chats.` : '.'}
        </p>
      ) : (
        <ChatList chats={visible} projectId={projectId} activeChatId={activeChatId} />
      )}
      <p className="switcher-count muted" aria-live="polite">
        {chats ? `${visible.length} of ${chats.length} chats` : ''}
      </p>
    </nav>
  );
}

/** "+ New chat" proposes Setup while the project has no setup chat, and What-if after. */
export function defaultNewChatMode(chats: readonly ChatSession[]): ChatMode {
  return chats.some((chat) => chat.mode === 'setup') ? 'whatif' : 'setup';
}

function NewChatForm({ projectId, chats }: { projectId: string; chats: ChatSession[] }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<ChatMode>('setup');
  const [error, setError] = useState<string | null>(null);
  const navigate = useAppNavigate();
  const links = useLinks();

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const chat = await createChat({ projectId, mode, title });
      setOpen(false);
      setTitle('');
      navigate(links.chat(projectId, chat.id));
    } catch (failure) {
      setError(errorSentence(failure));
    }
  }

  if (!open) {
    return (
      <button
        type="button"
        className="primary new-chat-button"
        onClick={() => {
          // Describe the problem first; once a setup chat exists, the next chat explores an alternative.
          setMode(defaultNewChatMode(chats));
          setOpen(true);
        }}
      >
        + New chat
      </button>
    );
  }
  const sameMode = chats.filter((chat) => chat.mode === mode).length;
  return (
    <form className="new-chat-form" onSubmit={(event) => void submit(event)} aria-label="New chat">
      <label>
        Title
        <input
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          placeholder={sameMode === 0 ? CHAT_MODE_LABELS[mode] : `${CHAT_MODE_LABELS[mode]} ${sameMode + 1}`}
          autoFocus
          onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
        />
      </label>
      <label>
        Mode
        <select value={mode} onChange={(event) => setMode(event.target.value as ChatMode)}>
          {MODES.map((option) => (
            <option key={option} value={option}>
              {CHAT_MODE_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" className="primary">
          Create chat
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ChatList({ chats, projectId, activeChatId }: { chats: ChatSession[]; projectId: string; activeChatId: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: chats.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 66,
    overscan: 8,
    getItemKey: (index) => chats[index]!.id,
  });

  function focusRow(index: number) {
    const clamped = Math.max(0, Math.min(chats.length - 1, index));
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
    // The row may only mount after the scroll, so focus on the next frames.
    const tryFocus = (attempt: number) => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-chat-index="${clamped}"] .chat-row-link`);
      if (row) row.focus();
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  }

  return (
    <div ref={scrollRef} className="chat-list-scroll">
      <ul className="chat-list" style={{ height: virtualizer.getTotalSize() }} aria-label="Chats in this project">
        {virtualizer.getVirtualItems().map((item) => {
          const chat = chats[item.index]!;
          return (
            <li
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              data-chat-index={item.index}
              className="chat-list-item"
              style={{ transform: `translateY(${item.start}px)` }}
              aria-setsize={chats.length}
              aria-posinset={item.index + 1}
            >
              <ChatRow chat={chat} projectId={projectId} active={chat.id === activeChatId} index={item.index} onMoveFocus={focusRow} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ChatRow({
  chat,
  projectId,
  active,
  index,
  onMoveFocus,
}: {
  chat: ChatSession;
  projectId: string;
  active: boolean;
  index: number;
  onMoveFocus: (index: number) => void;
}) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [editing, setEditing] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [draftTitle, setDraftTitle] = useState(chat.title);
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  function startEditing() {
    setDraftTitle(chat.title);
    setError(null);
    setEditing(true);
  }

  async function commitTitle() {
    if (!draftTitle.trim()) {
      setError('A chat needs a title. Type one, or press Escape to keep the old title.');
      return;
    }
    try {
      await renameChat(chat.id, draftTitle);
      setEditing(false);
      setError(null);
    } catch (failure) {
      setError(errorSentence(failure));
    }
  }

  function onRowKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown') onMoveFocus(index + 1);
    else if (event.key === 'ArrowUp') onMoveFocus(index - 1);
    else if (event.key === 'Home') onMoveFocus(0);
    else if (event.key === 'End') onMoveFocus(Number.MAX_SAFE_INTEGER);
    else if (event.key === 'F2') startEditing();
    else if (event.key === 'Delete') setConfirmDelete(true);
    else return;
    event.preventDefault();
  }

  const context = chat.candidateId ? `Candidate ${shortId(chat.candidateId)}` : chat.runId ? `Run ${shortId(chat.runId)}` : null;

  return (
    <div className={`chat-row${active ? ' active' : ''}${chat.archivedAt ? ' archived' : ''}`}>
      {editing ? (
        <div className="chat-rename">
          <input
            aria-label="Chat title"
            value={draftTitle}
            autoFocus
            onChange={(event) => {
              setDraftTitle(event.target.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void commitTitle();
              } else if (event.key === 'Escape') {
                event.preventDefault();
                setEditing(false);
                setError(null);
              }
            }}
          />
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <p className="hint">Enter saves · Escape cancels</p>
        </div>
      ) : (
        <AppLink
          to={links.chat(projectId, chat.id)}
          className="chat-row-link"
          title={chat.title}
          aria-current={active ? 'page' : undefined}
          // The chat's newest page is read from the press on, while the workspace re-renders for it (see readAhead.ts).
          onPointerDown={active ? undefined : () => void readAheadNewestMessages(chat.id)}
          onClick={active ? undefined : () => void readAheadNewestMessages(chat.id)}
          onKeyDown={onRowKeyDown}
          onDoubleClick={(event) => {
            event.preventDefault();
            startEditing();
          }}
        >
          <span className="chat-row-title">{chat.title}</span>
          <span className="chat-row-meta">
            <ModeBadge mode={chat.mode} />
            {context && <span className="badge context-badge">{context}</span>}
            {chat.archivedAt && <span className="badge">Archived</span>}
          </span>
          <span className="chat-row-stats">
            <RelativeTime timestamp={chat.lastMessageAt} prefix="last activity " />
            <span className="message-count" aria-label={`${chat.messageCount} messages`} title={`${chat.messageCount} messages`}>
              {chat.messageCount}
            </span>
          </span>
        </AppLink>
      )}
      {!editing && (
        <button
          type="button"
          className="icon-button row-menu-button"
          aria-label={`Actions for ${chat.title}`}
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen((open) => !open)}
        >
          ⋯
        </button>
      )}
      {menuOpen && !editing && (
        <div className="chat-row-menu" role="group" aria-label={`Actions for ${chat.title}`}>
          <button
            type="button"
            onClick={() => {
              setMenuOpen(false);
              startEditing();
            }}
          >
            Rename
          </button>
          <label>
            <span className="visually-hidden">Mode</span>
            <select
              aria-label="Chat mode"
              value={chat.mode}
              onChange={(event) => void setChatMode(chat.id, event.target.value as ChatMode)}
            >
              {MODES.map((option) => (
                <option key={option} value={option}>
                  {CHAT_MODE_LABELS[option]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={() => {
              setMenuOpen(false);
              void setChatArchived(chat.id, !chat.archivedAt);
            }}
          >
            {chat.archivedAt ? 'Unarchive' : 'Archive'}
          </button>
          <button type="button" className="danger-quiet" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        </div>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete chat “${chat.title}”?`}
          confirmLabel="Delete chat"
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            setMenuOpen(false);
            // A refused delete (storage full) reaches the StorageFullBanner as an unhandled rejection, like the
            // other menu actions above.
            void deleteChat(chat.id).then(() => {
              if (active) navigate(links.project(projectId));
            });
          }}
        >
          <p>
            Its {chat.messageCount} message{chat.messageCount === 1 ? '' : 's'} will be deleted. Runs started from it stay in the project’s
            run history, shown as coming from a deleted chat.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
