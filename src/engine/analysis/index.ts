export type { RunData } from './types';
export { buildRunSummary, formatRunSummary, runSummaryMeta, readRunSummaryMeta, type RunSummary, type RunSummaryMeta } from '../../domain';
export {
  rerankWithWeights,
  withWeights,
  RerankError,
  type WeightChange,
  type AppliedWeightChange,
  type RerankRow,
  type RerankResult,
} from './rerank';
export {
  compareRuns,
  choicesKey,
  diffSpecSnapshots,
  type CompareSide,
  type ComparedCandidate,
  type RunComparison,
  type SpecDifference,
} from './compare';
export {
  respondAnalysis,
  analysisHelpText,
  ANALYSIS_HELP,
  type AnalysisInput,
  type AnalysisReply,
  type AnalysisSuggestion,
  type WhatIfPreview,
} from './architect';
export { reevaluateUnder, type Reevaluation } from './reevaluate';
