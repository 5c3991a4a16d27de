export { RunHistory, RUN_HISTORY_PAGE_SIZE } from './RunHistory';
export { RunDetail, type RunStarter } from './RunDetail';
export { RunCompare, MAX_COMPARED_RUNS } from './RunCompare';
export { ProjectMap, lineageGraph, placeGraph } from './ProjectMap';
export { RunSummaryCard } from './RunSummaryCard';
export { WhatIfPreviewCard } from './WhatIfPreviewCard';
export { DiscussRunButton, DiscussButton } from './DiscussRunButton';
export { CandidateBranchActions } from './CandidateBranchActions';
export { RunResultsActions } from './RunResultsActions';
