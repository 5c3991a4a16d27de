import type { ChatSession } from '../../domain';

// Placeholder until runs land (issue 5).
export function RunLauncher({ chat }: { projectId: string; chat: ChatSession }) {
  return <p className="muted pad">Starting runs from “{chat.title}” is not built yet.</p>;
}
