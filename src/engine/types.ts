import { EngineError } from '../domain';
import type {
  CandidateProvenance,
  CandidateScores,
  CandidateStatus,
  Choices,
  ConstraintSatisfaction,
  RunConfig,
  RunMode,
  Scenario,
  SpecContent,
  StageImplementations,
} from '../domain';
import type { CompiledSpec } from './model';

/** The four pipeline phases, in order; also the keys of RunMetrics.phaseTimingsMs. */
export const PIPELINE_STAGES = ['scenarios', 'design', 'evaluate', 'rank'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export const STAGE_LABELS: Record<PipelineStage, string> = {
  scenarios: 'Generating scenarios',
  design: 'Designing candidates',
  evaluate: 'Evaluating',
  rank: 'Ranking',
};

export interface ProgressEvent {
  stage: PipelineStage;
  /** Overall progress of the whole run, 0..1. */
  fraction: number;
  message: string;
}

/** The candidate a seeded run explores around (from an earlier run). */
export interface SeedCandidate {
  id: string;
  label: string;
  choices: Choices;
}

/** Everything a run needs; plain data so it crosses the worker boundary by structured clone. */
export interface PipelineInput {
  runId: string;
  projectId: string;
  spec: SpecContent;
  mode: RunMode;
  config: RunConfig;
  seedCandidate?: SeedCandidate | null;
  /**
   * Scenarios made elsewhere (e.g. by a language model on the main thread). When present,
   * the built-in ProvidedScenarioGenerator returns exactly these instead of generating.
   */
  providedScenarios?: ScenarioDraft[];
  /** Which implementation runs each stage, recorded in metrics.stages; missing entries are built-in. */
  stageImplementations?: Partial<StageImplementations>;
}

/** What each stage gets besides its inputs. */
export interface StageContext {
  input: PipelineInput;
  model: CompiledSpec;
  /** Timestamp for provenance entries; fixed per run so results are reproducible. */
  now: number;
  /** Progress within the current stage, 0..1. */
  progress(fraction: number, message: string): void;
  /**
   * Call often from long loops: yields to the event loop once ~20 ms of work
   * have passed (so a worker can receive "cancel"), and throws CancelledError
   * once the run is cancelled.
   */
  checkpoint(): Promise<void>;
}

export interface CandidateDraft {
  origin: 'user' | 'system';
  label: string;
  mechanism: string;
  choices: Choices;
  /** constraintId → expected satisfaction 0..1 before scenarios apply. */
  predictedEffects: Record<string, number>;
  parentIds: string[];
  provenance: CandidateProvenance[];
}

export interface FrontierPoint {
  P: number;
  R: number;
  I: number;
}

export interface DesignOutput {
  candidates: CandidateDraft[];
  combinationsConsidered: number;
  searchStrategy: string;
  /** Non-dominated (P, R) points among every design the search scored; missing → taken from the candidates. */
  frontier?: FrontierPoint[];
  /** Designs left out because they pick an incompatible pair (null: not counted exactly). */
  excludedByIncompatibility?: number | null;
}

export interface Designer {
  /** `scenarios` are the run's scenarios (generated first), so the search optimises the ranker's key over all of them. */
  design(context: StageContext, scenarios: ScenarioDraft[]): Promise<DesignOutput>;
}

export type ScenarioDraft = Omit<Scenario, 'id' | 'runId' | 'projectId'>;

export interface ScenarioGenerator {
  generate(context: StageContext): Promise<ScenarioDraft[]>;
}

export interface EvaluationDraft {
  candidateIndex: number;
  scenarioIndex: number;
  P: number;
  R: number;
  constraintSatisfaction: Record<string, ConstraintSatisfaction>;
  explanation: string;
}

export interface Evaluator {
  evaluate(context: StageContext, candidates: CandidateDraft[], scenarios: ScenarioDraft[]): Promise<EvaluationDraft[]>;
}

export interface RankedDraft {
  candidateIndex: number;
  scores: CandidateScores;
  rank: number;
  status: CandidateStatus;
  rankingExplanation: string;
  rankingFactors: { positive: string[]; negative: string[] };
  hardViolations: string[];
}

export interface Ranker {
  rank(
    context: StageContext,
    candidates: CandidateDraft[],
    scenarios: ScenarioDraft[],
    evaluations: EvaluationDraft[],
  ): Promise<RankedDraft[]>;
}

export interface PipelineStages {
  designer: Designer;
  scenarioGenerator: ScenarioGenerator;
  evaluator: Evaluator;
  ranker: Ranker;
}

export class CancelledError extends EngineError<'cancelled'> {
  constructor() {
    super('cancelled', {});
  }
}
