import { useLiveQuery } from 'dexie-react-hooks';
import { Navigate, useParams } from 'react-router';
import { useEffect, useState } from 'react';
import { createChat, getProject, mostRecentChat } from '../db';
import { errorSentence } from '../shared/errorSentence';
import { appLinks } from './links';
import { NotFound } from './NotFound';
import { useAppNavigate } from '../shared/navigation';

/**
 * `/project/:id` opens the project's most recently active chat, once `prepare` (the chat's first screen: its chunk
 * and its data) has settled, so the workspace is drawn whole rather than in three passes of loading states.
 */
export function ProjectRedirect({ prepare }: { prepare?: (location: { pathname: string; search: string }) => Promise<void> }) {
  const { projectId = '' } = useParams();
  const target = useLiveQuery(async () => {
    const project = await getProject(projectId);
    if (!project) return { kind: 'missing' as const };
    const chat = await mostRecentChat(projectId);
    return chat ? { kind: 'chat' as const, chatId: chat.id } : { kind: 'empty' as const };
  }, [projectId]);
  const chatPath = target?.kind === 'chat' ? appLinks.chat(projectId, target.chatId) : null;
  const [preparedFor, setPreparedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!chatPath) return;
    let current = true;
    void (prepare?.({ pathname: chatPath, search: '' }) ?? Promise.resolve()).then(() => {
      if (current) setPreparedFor(chatPath);
    });
    return () => {
      current = false;
    };
  }, [chatPath, prepare]);
  if (!target) return <p className="muted pad">Opening project…</p>;
  if (target.kind === 'missing') return <NotFound what="project" />;
  if (target.kind === 'empty') return <EmptyProject projectId={projectId} />;
  if (chatPath === null || preparedFor !== chatPath) return <p className="muted pad">Opening project…</p>;
  return <Navigate to={chatPath} replace />;
}

function EmptyProject({ projectId }: { projectId: string }) {
  return (
    <main className="not-found">
      <div className="card">
        <h1>No chats</h1>
        <p>Every chat of this project was deleted. Its runs are still kept.</p>
        <CreateSetupChatButton projectId={projectId} />
      </div>
    </main>
  );
}

function CreateSetupChatButton({ projectId }: { projectId: string }) {
  const navigate = useAppNavigate();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="primary"
        onClick={() => {
          setError(null);
          createChat({ projectId, mode: 'setup' }).then(
            (chat) => navigate(appLinks.chat(projectId, chat.id)),
            (failure: unknown) => setError(errorSentence(failure)),
          );
        }}
      >
        Start a setup chat
      </button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </>
  );
}
