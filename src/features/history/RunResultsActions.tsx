import { useLiveQuery } from 'dexie-react-hooks';
import { getCandidate, getRun, listRuns } from '../../db';
import type { ChatSession } from '../../domain';
import { useLinks } from '../../shared/links';
import { CandidateBranchActions } from './CandidateBranchActions';
import { DiscussRunButton } from './DiscussRunButton';
import type { RunStarter } from './RunDetail';
import './history.css';
import { AppLink } from '../../shared/navigation';

/**
 * The workflow actions shown with the results view: for a run, "Discuss in
 * chat" and its details; for a candidate, the branches from it. Without a
 * runId it acts on the run the results view shows: the chat's newest.
 */
export function RunResultsActions({
  projectId,
  chat,
  runId,
  candidateId,
  starter,
}: {
  projectId: string;
  chat: ChatSession;
  runId?: string;
  candidateId?: string;
  starter?: RunStarter;
}) {
  const links = useLinks();
  const target = useLiveQuery(async () => {
    const run = runId ? await getRun(runId) : (await listRuns({ projectId, chatSessionId: chat.id, limit: 1 })).runs[0];
    if (!run || run.projectId !== projectId) return null;
    const candidate = candidateId ? await getCandidate(candidateId) : undefined;
    return { run, candidate: candidate && candidate.runId === run.id ? candidate : null };
  }, [projectId, chat.id, runId, candidateId]);
  if (!target) return null;
  const { run, candidate } = target;
  if (candidate) {
    return (
      <div className="results-actions" aria-label="Candidate actions">
        <CandidateBranchActions projectId={projectId} chat={chat} candidate={candidate} starter={starter} />
      </div>
    );
  }
  if (run.status === 'running' || run.status === 'created') return null;
  return (
    <div className="results-actions row-actions" aria-label="Run actions">
      <DiscussRunButton projectId={projectId} runId={run.id} />
      <AppLink className="button-link" to={links.runDetail(projectId, chat.id, run.id)}>
        Run details
      </AppLink>
    </div>
  );
}
