import { getCandidate } from '../../db';
import { loadChatSpecContext } from '../../db/specs';
import type { Candidate, Run, RunConfig, RunMode } from '../../domain';
import type { SeedCandidate } from '../../engine';
import { runExecutor } from './runExecutor';

export function toSeedCandidate(candidate: Candidate): SeedCandidate {
  return { id: candidate.id, label: candidate.label, choices: candidate.choices };
}

/** Starts a run over the chat's effective spec (the what-if override applied), read fresh at start. */
export async function startRunFromChat(args: {
  projectId: string;
  chatId: string;
  mode: RunMode;
  config: RunConfig;
  seedCandidate: Candidate | null;
}): Promise<Run> {
  const { effective } = await loadChatSpecContext(args.chatId);
  const seed = args.mode === 'seeded' ? args.seedCandidate : null;
  return runExecutor().start({
    projectId: args.projectId,
    chatSessionId: args.chatId,
    mode: args.mode,
    config: { ...args.config, seedCandidateId: seed?.id ?? null, evalCandidates: args.mode === 'eval_only' ? args.config.evalCandidates : undefined },
    specSnapshot: effective,
    seedCandidate: seed ? toSeedCandidate(seed) : null,
  });
}

/** Runs the same snapshot with the same settings and seed again, from the same chat. */
export async function rerun(run: Run): Promise<Run> {
  let seed: Candidate | undefined;
  if (run.mode === 'seeded') {
    seed = run.config.seedCandidateId ? await getCandidate(run.config.seedCandidateId) : undefined;
    if (!seed) throw new Error('The seed candidate of this run no longer exists, so it cannot be re-run. Start a new seeded run instead.');
  }
  return runExecutor().start({
    projectId: run.projectId,
    chatSessionId: run.chatSessionId,
    mode: run.mode,
    config: run.config,
    specSnapshot: run.specSnapshot,
    seedCandidate: seed ? toSeedCandidate(seed) : null,
  });
}
