import type { ChatSession } from '../../domain';

// Placeholder until the spec editor lands (issue 4).
export function SpecPanel({ chat }: { projectId: string; chat: ChatSession }) {
  return <p className="muted pad">The spec editor for “{chat.title}” is not built yet.</p>;
}
