import { useState } from 'react';
import { findAnalysisChatsForRun, discussCandidate, discussRun, findAnalysisChatsForCandidate, type DiscussResult } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { ChatSession } from '../../domain';
import { useLinks } from '../../shared/links';
import { Modal } from '../../shared/Modal';
import { RelativeTime } from '../../shared/RelativeTime';
import { useAppNavigate } from '../../shared/navigation';

interface Target {
  kind: 'run' | 'candidate';
  id: string;
}

function find(target: Target): Promise<ChatSession[]> {
  return target.kind === 'run' ? findAnalysisChatsForRun(target.id) : findAnalysisChatsForCandidate(target.id);
}

function discuss(target: Target, another: boolean): Promise<DiscussResult> {
  return target.kind === 'run' ? discussRun(target.id, { another }) : discussCandidate(target.id, { another });
}

/**
 * "Discuss in chat": opens a new analysis chat, or — when this run (or
 * candidate) already has one — asks whether to open it or start another.
 * Never silently duplicates.
 */
export function DiscussButton({
  projectId,
  target,
  label,
  className,
}: {
  projectId: string;
  target: Target;
  label: string;
  className?: string;
}) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [busy, setBusy] = useState(false);
  const [existing, setExisting] = useState<ChatSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(`Could not open the analysis chat: ${errorSentence(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  const start = (another: boolean) =>
    act(async () => {
      const { chat } = await discuss(target, another);
      setExisting(null);
      navigate(links.chat(projectId, chat.id));
    });

  const click = () =>
    act(async () => {
      const chats = await find(target);
      if (chats.length) setExisting(chats);
      else {
        // find-or-create: if another tab made one meanwhile, this opens it instead of a duplicate.
        const { chat } = await discuss(target, false);
        navigate(links.chat(projectId, chat.id));
      }
    });

  return (
    <>
      <button type="button" className={className} onClick={() => void click()} disabled={busy}>
        {label}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
      {existing && (
        <ExistingChatsDialog
          chats={existing}
          what={target.kind === 'run' ? 'this run' : 'this candidate'}
          onOpen={(chat) => {
            setExisting(null);
            navigate(links.chat(projectId, chat.id));
          }}
          onAnother={() => void start(true)}
          onCancel={() => setExisting(null)}
          busy={busy}
        />
      )}
    </>
  );
}

function ExistingChatsDialog({
  chats,
  what,
  onOpen,
  onAnother,
  onCancel,
  busy,
}: {
  chats: ChatSession[];
  what: string;
  onOpen: (chat: ChatSession) => void;
  onAnother: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const newest = [...chats].sort((a, b) => b.lastMessageAt - a.lastMessageAt);
  return (
    <Modal labelledBy="discuss-title" className="discuss-dialog" onCancel={onCancel}>
      <h2 id="discuss-title">Already discussed</h2>
      <p className="confirm-body">
        {chats.length === 1
          ? `An analysis chat about ${what} already exists.`
          : `${chats.length} analysis chats about ${what} already exist.`}{' '}
        Open it, or start another?
      </p>
      <ul className="discuss-existing">
        {newest.map((chat) => (
          <li key={chat.id}>
            <span>
              <strong>{chat.title}</strong>{' '}
              <span className="muted">
                · {chat.messageCount} message{chat.messageCount === 1 ? '' : 's'} · <RelativeTime timestamp={chat.lastMessageAt} />
              </span>
            </span>
            <button type="button" className="primary" onClick={() => onOpen(chat)}>
              Open “{chat.title}”
            </button>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" onClick={onAnother} disabled={busy}>
          Start another chat
        </button>
      </div>
    </Modal>
  );
}

export function DiscussRunButton({ projectId, runId, className }: { projectId: string; runId: string; className?: string }) {
  return <DiscussButton projectId={projectId} target={{ kind: 'run', id: runId }} label="Discuss in chat" className={className} />;
}
