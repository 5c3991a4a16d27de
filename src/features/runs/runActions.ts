import { getCandidate, listScenarios, loadChatSpecContext } from '../../db';
import {
  FeatureError,
  type Candidate,
  type Run,
  type RunConfig,
  type RunMode,
  type Scenario,
  type SpecContent,
  type StageImplementations,
} from '../../domain';
import type { ScenarioDraft, SeedCandidate } from '../../engine';
import { runExecutor } from './runExecutor';

const starting = new Map<string, Promise<Run>>();

/**
 * Starts a run unless the same start is already under way: a second call with the same key while the first has not
 * resolved returns the first call's run instead of writing another (a double click, or two buttons for the same run).
 */
export function startOnce(key: string, start: () => Promise<Run>): Promise<Run> {
  const pending = starting.get(key);
  if (pending) return pending;
  const promise = start().finally(() => starting.delete(key));
  starting.set(key, promise);
  return promise;
}

export function toSeedCandidate(candidate: Candidate): SeedCandidate {
  return { id: candidate.id, label: candidate.label, choices: candidate.choices };
}

/**
 * Starts a run over the chat's effective spec (the what-if override applied), read fresh at start. The same start
 * requested again while it is under way returns the same run.
 */
export function startRunFromChat(args: {
  projectId: string;
  chatId: string;
  mode: RunMode;
  config: RunConfig;
  seedCandidate: Candidate | null;
  /**
   * Makes the scenarios before the run starts (the model scenario stage), from the same spec snapshot the run
   * uses. If it throws, no run is written.
   */
  makeScenarios?: (spec: SpecContent) => Promise<{ scenarios: ScenarioDraft[]; implementation: StageImplementations['scenarioGenerator'] }>;
}): Promise<Run> {
  const key = JSON.stringify([
    'chat',
    args.projectId,
    args.chatId,
    args.mode,
    args.config,
    args.seedCandidate?.id ?? null,
    !!args.makeScenarios,
  ]);
  return startOnce(key, () => startFromChat(args));
}

async function startFromChat(args: Parameters<typeof startRunFromChat>[0]): Promise<Run> {
  const { effective } = await loadChatSpecContext(args.chatId);
  const seed = args.mode === 'seeded' ? args.seedCandidate : null;
  const made = args.makeScenarios ? await args.makeScenarios(effective) : null;
  return runExecutor().start({
    ...(made ? { providedScenarios: made.scenarios, stageImplementations: { scenarioGenerator: made.implementation } } : {}),
    projectId: args.projectId,
    chatSessionId: args.chatId,
    mode: args.mode,
    config: {
      ...args.config,
      seedCandidateId: seed?.id ?? null,
      evalCandidates: args.mode === 'eval_only' ? args.config.evalCandidates : undefined,
    },
    specSnapshot: effective,
    seedCandidate: seed ? toSeedCandidate(seed) : null,
  });
}

function toScenarioDraft({ id: _id, runId: _runId, projectId: _projectId, ...draft }: Scenario): ScenarioDraft {
  return draft;
}

/**
 * Runs the same snapshot with the same settings and seed again, from the same chat. Scenarios a model made are
 * reused from the stored run rather than asked for again, so the re-run is the same study.
 */
export function rerun(run: Run): Promise<Run> {
  return startOnce(JSON.stringify(['rerun', run.id]), () => rerunNow(run));
}

async function rerunNow(run: Run): Promise<Run> {
  const scenarioStage = run.metrics.stages?.scenarioGenerator;
  const modelScenarios =
    scenarioStage?.kind === 'model' ? (await listScenarios(run.id)).sort((a, b) => a.index - b.index).map(toScenarioDraft) : null;
  let seed: Candidate | undefined;
  if (run.mode === 'seeded') {
    seed = run.config.seedCandidateId ? await getCandidate(run.config.seedCandidateId) : undefined;
    if (!seed) throw new FeatureError('record_gone', { what: 'seed-candidate' });
  }
  return runExecutor().start({
    projectId: run.projectId,
    chatSessionId: run.chatSessionId,
    mode: run.mode,
    config: run.config,
    specSnapshot: run.specSnapshot,
    seedCandidate: seed ? toSeedCandidate(seed) : null,
    ...(modelScenarios && modelScenarios.length > 0 && scenarioStage
      ? { providedScenarios: modelScenarios, stageImplementations: { scenarioGenerator: scenarioStage } }
      : {}),
  });
}
