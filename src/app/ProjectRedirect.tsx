import { useLiveQuery } from 'dexie-react-hooks';
import { Navigate, useParams } from 'react-router';
import { useState } from 'react';
import { createChat, getProject, mostRecentChat } from '../db';
import { errorSentence } from '../shared/errorSentence';
import { appLinks } from './links';
import { NotFound } from './NotFound';
import { useAppNavigate } from '../shared/navigation';

/** `/project/:id` opens the project's most recently active chat. */
export function ProjectRedirect() {
  const { projectId = '' } = useParams();
  const target = useLiveQuery(async () => {
    const project = await getProject(projectId);
    if (!project) return { kind: 'missing' as const };
    const chat = await mostRecentChat(projectId);
    return chat ? { kind: 'chat' as const, chatId: chat.id } : { kind: 'empty' as const };
  }, [projectId]);
  if (!target) return <p className="muted pad">Opening project…</p>;
  if (target.kind === 'missing') return <NotFound what="project" />;
  if (target.kind === 'empty') return <EmptyProject projectId={projectId} />;
  return <Navigate to={appLinks.chat(projectId, target.chatId)} replace />;
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
