/** Every route of the app, defined once. Links are built from these patterns only. */
import { FeatureError } from '../domain';

export const ROUTES = {
  home: '/',
  settings: '/settings',
  project: '/project/:projectId',
  chat: '/project/:projectId/chat/:chatId',
  run: '/project/:projectId/chat/:chatId/run/:runId',
  candidate: '/project/:projectId/chat/:chatId/run/:runId/candidate/:candidateId',
  runDetail: '/project/:projectId/chat/:chatId/run/:runId/details',
  /** ?baseline=<runId>&runs=<runId>,<runId>…; without baseline, the project's pinned one. */
  compareRuns: '/project/:projectId/chat/:chatId/compare',
  /** The older two-run link: A is the baseline. */
  compare: '/project/:projectId/chat/:chatId/compare/:runA/:runB',
  map: '/project/:projectId/chat/:chatId/map',
} as const;

export type RouteName = keyof typeof ROUTES;

/** Fills a pattern's :params, URL-encoding each value. */
export function buildPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new FeatureError('wiring_broken', { what: `missing route parameter "${name}" for ${pattern}` });
    return encodeURIComponent(value);
  });
}
