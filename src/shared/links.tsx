import { createContext, useContext } from 'react';
import { FeatureError } from '../domain';

/**
 * How features build URLs without knowing the route table: src/app provides
 * the implementation from its single route definition.
 */
export interface AppLinks {
  home(): string;
  settings(): string;
  project(projectId: string): string;
  chat(projectId: string, chatId: string, tab?: PanelTab): string;
  /** The chat opened at one message (a search result), which is brought into view and outlined. */
  message(projectId: string, chatId: string, messageId: string): string;
  run(projectId: string, chatId: string, runId: string): string;
  candidate(projectId: string, chatId: string, runId: string, candidateId: string): string;
  runDetail(projectId: string, chatId: string, runId: string): string;
  /** Run B against run A as the baseline. */
  compare(projectId: string, chatId: string, runA: string, runB: string): string;
  /** Runs against a baseline (null: the project's pinned baseline). */
  compareRuns(projectId: string, chatId: string, baselineId: string | null, runIds: readonly string[]): string;
  map(projectId: string, chatId: string): string;
}

export type PanelTab = 'spec' | 'runs' | 'results';

const LinksContext = createContext<AppLinks | null>(null);

export const LinksProvider = LinksContext.Provider;

export function useLinks(): AppLinks {
  const links = useContext(LinksContext);
  if (!links) throw new FeatureError('wiring_broken', { what: 'useLinks() needs a <LinksProvider> (provided by src/app)' });
  return links;
}
