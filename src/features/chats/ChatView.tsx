import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { errorSentence } from '../../shared/errorSentence';
import { readMessageMeta, shortId, type ChatSession, type Message, type Suggestion } from '../../domain';
import { useLinks } from '../../shared/links';
import { Markdown } from '../../shared/Markdown';
import { CollapsibleMessage } from './CollapsibleMessage';
import { ModeBadge } from '../../shared/ModeBadge';
import { formatAbsolute } from '../../shared/RelativeTime';
import { loadDraft, saveDraft } from './drafts';
import { useChatIsStreaming } from './activeReplies';
import { useChatContext, useUsableProvider } from './hooks';
import { useMessageWindow, type MessageWindow } from './messageWindow';
import { sendUserMessage } from './sendMessage';
import './modelChat.css';
import { AppLink } from '../../shared/navigation';

export interface ChatViewProps {
  chat: ChatSession;
  /** Renders a structured card for a message's meta (spec update, run summary); composed in by the app. */
  renderMeta?: (message: Message) => ReactNode;
  /** Opens the chat at this message (a search result) instead of at the newest; see useMessageWindow. */
  openAtMessageId?: string | null;
}

function suggestionsOf(message: Message): Suggestion[] {
  const reading = readMessageMeta(message.meta);
  if (reading.status !== 'rendered' || !('suggestions' in reading.meta)) return [];
  return reading.meta.suggestions ?? [];
}

export function ChatView({ chat, renderMeta, openAtMessageId = null }: ChatViewProps) {
  const [suggested, setSuggested] = useState<{ text: string; nonce: number } | null>(null);
  return (
    <section className="chat-view" aria-label={`Chat: ${chat.title}`}>
      <ChatHeader chat={chat} />
      {/* Keyed by chat (and target), so a chat never shows another chat's window or scroll position, even mid-load. */}
      <MessageList
        key={`${chat.id}:${openAtMessageId ?? ''}`}
        chatId={chat.id}
        openAtMessageId={openAtMessageId}
        renderMeta={renderMeta}
        onSuggestion={(text) => setSuggested({ text, nonce: Date.now() })}
      />
      <Composer key={chat.id} chat={chat} suggested={suggested} />
    </section>
  );
}

function ChatHeader({ chat }: { chat: ChatSession }) {
  const links = useLinks();
  const context = useChatContext(chat.parentChatId, chat.runId);
  const runLabel = chat.runId ? `Run ${shortId(chat.runId)}` : null;
  return (
    <header className="chat-header">
      <div className="chat-header-title">
        <h2>{chat.title}</h2>
        <ModeBadge mode={chat.mode} />
      </div>
      <p className="chat-lineage">
        {chat.mode === 'analysis' && runLabel && !chat.candidateId && (
          <span>
            Analysis of{' '}
            {context?.run ? (
              <AppLink to={links.run(chat.projectId, chat.id, chat.runId!)}>{runLabel}</AppLink>
            ) : (
              <span title="This run no longer exists">{runLabel}</span>
            )}
          </span>
        )}
        {chat.mode !== 'analysis' && runLabel && !chat.candidateId && (
          <span>About {context?.run ? <AppLink to={links.run(chat.projectId, chat.id, chat.runId!)}>{runLabel}</AppLink> : runLabel}</span>
        )}
        {chat.candidateId && (
          <span>
            About candidate{' '}
            {chat.runId && context?.run ? (
              <AppLink to={links.candidate(chat.projectId, chat.id, chat.runId, chat.candidateId)}>{shortId(chat.candidateId)}</AppLink>
            ) : (
              shortId(chat.candidateId)
            )}
            {runLabel && ` of ${runLabel}`}
          </span>
        )}
        {chat.parentChatId && (
          <span>
            Branched from{' '}
            {context?.parent ? (
              <AppLink to={links.chat(chat.projectId, context.parent.id)}>{context.parent.title}</AppLink>
            ) : (
              <span>a deleted chat</span>
            )}
          </span>
        )}
        {!chat.runId && !chat.candidateId && !chat.parentChatId && <span className="muted">{modeHint(chat)}</span>}
      </p>
    </header>
  );
}

function modeHint(chat: ChatSession): string {
  if (chat.mode === 'setup') return 'Describe the problem here; the Architect turns your lines into spec changes. Type “help”.';
  if (chat.mode === 'whatif') return 'Changes made here stay in this what-if branch until you apply them to the project spec.';
  return 'Ask about runs and candidates. Type “help”.';
}

function MessageList({
  chatId,
  openAtMessageId,
  renderMeta,
  onSuggestion,
}: {
  chatId: string;
  openAtMessageId: string | null;
  renderMeta?: ChatViewProps['renderMeta'];
  onSuggestion: (text: string) => void;
}) {
  const win = useMessageWindow(chatId, openAtMessageId);
  if (win.messages === undefined) return <div className="message-scroll muted pad">Loading messages…</div>;
  if (win.messages.length === 0) {
    return (
      <div className="message-scroll empty-chat">
        <p className="muted">No messages yet. Type below to start.</p>
      </div>
    );
  }
  return <MessageRows window={win} messages={win.messages} renderMeta={renderMeta} onSuggestion={onSuggestion} />;
}

/** Distance from an end of the list, in pixels, at which the next page is read. */
const LOAD_MARGIN = 800;
const ESTIMATED_ROW = 84;

/** The first item on screen and how far below the top of the viewport it starts: what stays put while pages load. */
interface ScrollAnchor {
  id: string;
  index: number;
  offset: number;
}

function MessageRows({
  window: win,
  messages,
  renderMeta,
  onSuggestion,
}: {
  window: MessageWindow;
  messages: Message[];
  renderMeta?: ChatViewProps['renderMeta'];
  onSuggestion: (text: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Follows the newest message until the user scrolls up to read; never while the window stops short of the newest.
  const stickToBottom = useRef(!win.hasNewer && !win.targetId);
  const anchor = useRef<ScrollAnchor | null>(null);
  const [scrolledUp, setScrolledUp] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const count = messages.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    getItemKey: (index) => messages[index]?.id ?? index,
    // The first frame already lays out the newest rows, so the list does not measure its way down from the top.
    initialOffset: () => (stickToBottom.current ? count * ESTIMATED_ROW : 0),
  });

  const captureAnchor = () => {
    const element = scrollRef.current;
    if (!element) return;
    const first = virtualizer.getVirtualItems().find((item) => item.end > element.scrollTop);
    if (first) anchor.current = { id: String(first.key), index: first.index, offset: first.start - element.scrollTop };
  };

  // A page read above (or dropped below) moves the rows' indexes: put the row that was on top back where it was.
  const newestId = messages.at(-1)?.id;
  const previousNewest = useRef(newestId);
  const previousCount = useRef(count);
  useLayoutEffect(() => {
    const kept = anchor.current;
    anchor.current = null;
    if (kept) {
      const index = messages.findIndex((message) => message.id === kept.id);
      const element = scrollRef.current;
      if (index >= 0 && index !== kept.index && element) {
        const start = virtualizer.getOffsetForIndex(index, 'start')?.[0];
        if (start !== undefined) element.scrollTop = start - kept.offset;
      }
    }
    // New messages at the end while the reader is up the list: count them for the "newest" button instead of moving.
    if (newestId !== previousNewest.current && !stickToBottom.current && !win.hasNewer && count > previousCount.current) {
      setUnseen((n) => n + Math.max(1, count - previousCount.current));
    }
    previousNewest.current = newestId;
    previousCount.current = count;
  }, [messages, count, newestId, virtualizer, win.hasNewer]);

  // Keep the newest message in view as messages arrive (and as a streamed reply grows), unless the user scrolled up to read.
  const lastLength = messages.at(-1)?.content.length ?? 0;
  useLayoutEffect(() => {
    if (count > 0 && stickToBottom.current && !win.hasNewer) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, lastLength, virtualizer, win.hasNewer]);
  // The rows' measured heights reach the list's height one render later than the scroll above, which the browser
  // clamped to the estimated height: stick to the real bottom as soon as it is known, before that frame is painted,
  // rather than leaving the virtualiser to correct its way down over the next two or three frames.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && count > 0 && stickToBottom.current && !win.hasNewer) element.scrollTop = element.scrollHeight;
  }, [totalSize, count, win.hasNewer]);

  // Opened at a message (a search result): bring it to the middle once.
  const targetIndex = win.targetId ? messages.findIndex((message) => message.id === win.targetId) : -1;
  const shownTarget = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (targetIndex < 0 || shownTarget.current === win.targetId) return;
    shownTarget.current = win.targetId;
    virtualizer.scrollToIndex(targetIndex, { align: 'center' });
  }, [targetIndex, virtualizer, win.targetId]);

  const onScroll = (element: HTMLDivElement) => {
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    stickToBottom.current = fromBottom < 80 && !win.hasNewer;
    if (stickToBottom.current) setUnseen(0);
    setScrolledUp(fromBottom > element.clientHeight);
    if (win.loading) return;
    if (element.scrollTop < LOAD_MARGIN && win.hasOlder) {
      captureAnchor();
      void win.loadOlder();
    } else if (fromBottom < LOAD_MARGIN && win.hasNewer) {
      captureAnchor();
      void win.loadNewer();
    }
  };

  const jumpToNewest = () => {
    stickToBottom.current = true;
    setUnseen(0);
    setScrolledUp(false);
    if (win.hasNewer) win.jumpToNewest();
    else virtualizer.scrollToIndex(count - 1, { align: 'end' });
  };

  return (
    <div className="message-scroll-frame">
      <div
        ref={scrollRef}
        className="message-scroll"
        role="log"
        aria-label="Messages"
        aria-live="polite"
        aria-busy={win.loading !== null}
        onScroll={(event) => onScroll(event.currentTarget)}
      >
        {win.hasOlder && (
          <p className="message-window-edge muted" aria-hidden={win.loading !== 'older'}>
            {win.loading === 'older' ? 'Loading earlier messages…' : 'Scroll up for earlier messages'}
          </p>
        )}
        <ol className="message-list" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((item) => {
            const message = messages[item.index]!;
            return (
              <li
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                data-message-id={message.id}
                className={`message message-${message.role}${message.id === win.targetId ? ' message-target' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <div className="message-bubble">
                  <div className="message-meta-line">
                    <span className="message-role">
                      {message.role === 'agent' ? 'Architect' : message.role === 'user' ? 'You' : 'System'}
                    </span>
                    <time dateTime={new Date(message.createdAt).toISOString()}>{formatAbsolute(message.createdAt)}</time>
                  </div>
                  {message.role === 'user' ? <CollapsibleMessage source={message.content} /> : <Markdown source={message.content} />}
                  {message.meta && renderMeta?.(message)}
                  {item.index === count - 1 && !win.hasNewer && message.role === 'agent' && suggestionsOf(message).length > 0 && (
                    <div className="suggestions" role="group" aria-label="Suggested next steps">
                      {suggestionsOf(message).map((suggestion) => (
                        <button
                          key={suggestion.label + suggestion.text}
                          type="button"
                          className="suggestion-chip"
                          title={`Put “${suggestion.text}” in the message box`}
                          onClick={() => onSuggestion(suggestion.text)}
                        >
                          {suggestion.label}
                        </button>
                      ))}
                    </div>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      </div>
      {win.targetMissing && (
        <p className="message-window-note muted" role="status">
          That message is no longer in this chat; showing the newest messages.
        </p>
      )}
      {(win.hasNewer || scrolledUp || unseen > 0) && (
        <button type="button" className="jump-to-newest" onClick={jumpToNewest}>
          {unseen > 0 ? `↓ ${unseen} new message${unseen === 1 ? '' : 's'}` : '↓ Newest messages'}
        </button>
      )}
    </div>
  );
}

function Composer({ chat, suggested }: { chat: ChatSession; suggested: { text: string; nonce: number } | null }) {
  const [text, setText] = useState(() => loadDraft(chat.id));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const streaming = useChatIsStreaming(chat.id);
  const provider = useUsableProvider();
  const modelReady = provider?.status === 'ready';

  useEffect(() => saveDraft(chat.id, text), [chat.id, text]);

  // A clicked suggestion fills the box for the user to check, edit and send (state follows the prop during render,
  // so the box never shows the old text for a frame); focusing is a side effect and waits for the commit.
  const [appliedSuggestion, setAppliedSuggestion] = useState<typeof suggested>(null);
  if (suggested && suggested !== appliedSuggestion) {
    setAppliedSuggestion(suggested);
    setText(suggested.text);
  }
  useEffect(() => {
    if (suggested) inputRef.current?.focus();
  }, [suggested]);

  async function send() {
    const content = text.trim();
    if (!content || sending || streaming) return;
    setSending(true);
    setError(null);
    try {
      await sendUserMessage(chat, content);
      setText('');
    } catch (failure) {
      // The draft stays in the box so nothing the user typed is lost.
      setError(`Your message was not sent: ${errorSentence(failure)}`);
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="composer-row">
        <textarea
          ref={inputRef}
          id="composer-input"
          aria-label="Message"
          value={text}
          rows={Math.min(8, Math.max(2, text.split('\n').length))}
          placeholder={placeholderFor(chat, modelReady)}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void send();
            }
          }}
        />
        <button
          type="submit"
          className="primary"
          disabled={sending || streaming || !text.trim()}
          title={streaming ? 'Wait for the reply, or stop it' : undefined}
        >
          Send
        </button>
      </div>
      {provider && provider.status !== 'none' && (
        <p className="composer-hint muted">
          {provider.status === 'ready'
            ? `Sentences go to ${provider.provider.name} (${provider.provider.defaultModel}); commands are answered offline.`
            : `Model keys locked: unlock them in Settings → Models to use ${provider.providerName}.`}
        </p>
      )}
    </form>
  );
}

function placeholderFor(chat: ChatSession, modelReady: boolean): string {
  const keys = '(Enter to send, Shift+Enter for a new line)';
  if (chat.mode === 'analysis') return modelReady ? `Ask anything about the run, or “top 5”… ${keys}` : `Ask about the run… ${keys}`;
  return modelReady
    ? `Describe the problem in sentences, or type a command such as “goal: …” ${keys}`
    : `Type a line such as “goal: Works fully offline”, or “help” ${keys}`;
}
