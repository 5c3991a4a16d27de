import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../db';
import { shortId, type ChatSession, type Message } from '../../domain';
import { useLinks } from '../../shared/links';
import { Markdown } from '../../shared/Markdown';
import { ModeBadge } from '../../shared/ModeBadge';
import { formatAbsolute } from '../../shared/RelativeTime';
import { loadDraft, saveDraft } from './drafts';
import { useChatIsStreaming } from './activeReplies';
import { useChatContext, useMessages, useUsableProvider } from './hooks';
import { sendUserMessage } from './sendMessage';
import './modelChat.css';

export interface ChatViewProps {
  chat: ChatSession;
  /** Renders a structured card for a message's meta (spec update, run summary); composed in by the app. */
  renderMeta?: (message: Message) => ReactNode;
}

/** A suggested next line the Architect attached to its reply. */
interface Suggestion {
  label: string;
  text: string;
}

function suggestionsOf(message: Message): Suggestion[] {
  const raw = message.meta?.suggestions;
  if (!Array.isArray(raw)) return [];
  return raw.filter((item): item is Suggestion => typeof item?.label === 'string' && typeof item?.text === 'string');
}

export function ChatView({ chat, renderMeta }: ChatViewProps) {
  const [suggested, setSuggested] = useState<{ text: string; nonce: number } | null>(null);
  return (
    <section className="chat-view" aria-label={`Chat: ${chat.title}`}>
      <ChatHeader chat={chat} />
      <MessageList chatId={chat.id} renderMeta={renderMeta} onSuggestion={(text) => setSuggested({ text, nonce: Date.now() })} />
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
              <Link to={links.run(chat.projectId, chat.id, chat.runId!)}>{runLabel}</Link>
            ) : (
              <span title="This run no longer exists">{runLabel}</span>
            )}
          </span>
        )}
        {chat.mode !== 'analysis' && runLabel && !chat.candidateId && (
          <span>About {context?.run ? <Link to={links.run(chat.projectId, chat.id, chat.runId!)}>{runLabel}</Link> : runLabel}</span>
        )}
        {chat.candidateId && (
          <span>
            About candidate{' '}
            {chat.runId && context?.run ? (
              <Link to={links.candidate(chat.projectId, chat.id, chat.runId, chat.candidateId)}>{shortId(chat.candidateId)}</Link>
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
              <Link to={links.chat(chat.projectId, context.parent.id)}>{context.parent.title}</Link>
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
  renderMeta,
  onSuggestion,
}: {
  chatId: string;
  renderMeta?: ChatViewProps['renderMeta'];
  onSuggestion: (text: string) => void;
}) {
  const messages = useMessages(chatId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const count = messages?.length ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 84,
    overscan: 6,
    getItemKey: (index) => messages?.[index]?.id ?? index,
  });

  // Keep the newest message in view as messages arrive (and as a streamed reply grows), unless the user scrolled up to read.
  const lastLength = messages?.at(-1)?.content.length ?? 0;
  useLayoutEffect(() => {
    if (count > 0 && stickToBottom.current) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, lastLength, virtualizer]);

  if (messages === undefined) return <div className="message-scroll muted pad">Loading messages…</div>;
  if (count === 0) {
    return (
      <div className="message-scroll empty-chat">
        <p className="muted">No messages yet. Type below to start.</p>
      </div>
    );
  }
  return (
    <div
      ref={scrollRef}
      className="message-scroll"
      role="log"
      aria-label="Messages"
      aria-live="polite"
      onScroll={(event) => {
        const element = event.currentTarget;
        stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
      }}
    >
      <ol className="message-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const message = messages[item.index]!;
          return (
            <li
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className={`message message-${message.role}`}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div className="message-bubble">
                <div className="message-meta-line">
                  <span className="message-role">
                    {message.role === 'agent' ? 'Architect' : message.role === 'user' ? 'You' : 'System'}
                  </span>
                  <time dateTime={new Date(message.createdAt).toISOString()}>{formatAbsolute(message.createdAt)}</time>
                </div>
                <Markdown source={message.content} />
                {message.meta && renderMeta?.(message)}
                {item.index === count - 1 && message.role === 'agent' && suggestionsOf(message).length > 0 && (
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

  // A clicked suggestion fills the box for the user to check, edit and send.
  useEffect(() => {
    if (!suggested) return;
    setText(suggested.text);
    inputRef.current?.focus();
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
      setError(`Your message was not sent: ${describeError(failure)}`);
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
