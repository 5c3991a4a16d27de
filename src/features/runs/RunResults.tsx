import type { ChatSession } from '../../domain';

// Placeholder until runs land (issue 5).
export function RunResults({ runId }: { projectId: string; chat: ChatSession; runId?: string; candidateId?: string }) {
  return <p className="muted pad">{runId ? `Results of run ${runId} are not available yet.` : 'No results yet.'}</p>;
}
