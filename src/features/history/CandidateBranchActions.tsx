import { useRef, useState } from 'react';
import { getRun, whatIfFromCandidate } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { FeatureError, type Candidate, type ChatSession } from '../../domain';
import { useLinks } from '../../shared/links';
import { DiscussButton } from './DiscussRunButton';
import type { RunStarter } from './RunDetail';
import './history.css';
import { useAppNavigate } from '../../shared/navigation';

/**
 * The candidate detail's branches: "Discuss candidate" (analysis chat,
 * find-or-create), "What-if from here" (a what-if chat starting from the
 * run's spec snapshot) and "Seeded run from this candidate".
 */
export function CandidateBranchActions({
  projectId,
  chat,
  candidate,
  starter,
}: {
  projectId: string;
  chat: ChatSession;
  candidate: Candidate;
  starter?: RunStarter;
}) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A ref, not `busy`: two clicks in one task both see the state from before either ran.
  const busyRef = useRef(false);

  async function act(what: string, work: () => Promise<string>) {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(what);
    setError(null);
    try {
      navigate(await work());
    } catch (failure) {
      setError(`${what} failed: ${errorSentence(failure)}`);
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  }

  return (
    <div className="branch-actions" aria-label="Branch from this candidate">
      <DiscussButton projectId={projectId} target={{ kind: 'candidate', id: candidate.id }} label="Discuss candidate" />
      <button
        type="button"
        disabled={busy !== null}
        onClick={() =>
          void act('What-if from here', async () => {
            const branch = await whatIfFromCandidate(candidate.id, { fromChatId: chat.id });
            return links.chat(projectId, branch.id);
          })
        }
      >
        What-if from here
      </button>
      <button
        type="button"
        disabled={!starter || busy !== null}
        title={starter ? 'Explore the neighbourhood of this candidate, from this chat' : 'Runs cannot be started here'}
        onClick={() =>
          starter &&
          void act('Seeded run', async () => {
            const run = await getRun(candidate.runId);
            if (!run) throw new FeatureError('record_gone', { what: 'run' });
            const started = await starter.seededRun({ projectId, chatId: chat.id, run, candidate });
            return links.run(projectId, chat.id, started.id);
          })
        }
      >
        Seeded run from this candidate
      </button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
