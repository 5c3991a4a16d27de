import type { ChatSession } from '../../domain';

// Placeholder until the run history lands (issue 6).
export function RunHistory({ chat }: { projectId: string; chat: ChatSession }) {
  return <p className="muted pad">The run history of “{chat.title}” is not built yet.</p>;
}
