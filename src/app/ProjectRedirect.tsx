import { useLiveQuery } from 'dexie-react-hooks';
import { Navigate, useNavigate, useParams } from 'react-router';
import { createChat, getProject, mostRecentChat } from '../db';
import { appLinks } from './links';
import { NotFound } from './NotFound';

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
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="primary"
      onClick={async () => {
        const chat = await createChat({ projectId, mode: 'setup' });
        navigate(appLinks.chat(projectId, chat.id));
      }}
    >
      Start a setup chat
    </button>
  );
}
