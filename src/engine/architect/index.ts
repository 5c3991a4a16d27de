export type { Architect, ArchitectHistoryEntry, ArchitectInput, ArchitectOutcome, ArchitectReply, SuggestedAction } from './types';
export { createOfflineArchitect, respondOffline, type OfflineArchitectOptions } from './offlineArchitect';
export { helpText, NOTATION_HELP, type HelpEntry } from './help';
export { formatSpec, formatReadiness } from './format';
