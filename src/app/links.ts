import type { AppLinks } from '../shared/links';
import { ROUTES, buildPath } from './routes';

export const appLinks: AppLinks = {
  home: () => ROUTES.home,
  settings: () => ROUTES.settings,
  project: (projectId) => buildPath(ROUTES.project, { projectId }),
  chat: (projectId, chatId, tab) => buildPath(ROUTES.chat, { projectId, chatId }) + (tab ? `?tab=${tab}` : ''),
  message: (projectId, chatId, messageId) => `${buildPath(ROUTES.chat, { projectId, chatId })}?message=${encodeURIComponent(messageId)}`,
  run: (projectId, chatId, runId) => buildPath(ROUTES.run, { projectId, chatId, runId }),
  candidate: (projectId, chatId, runId, candidateId) => buildPath(ROUTES.candidate, { projectId, chatId, runId, candidateId }),
  runDetail: (projectId, chatId, runId) => buildPath(ROUTES.runDetail, { projectId, chatId, runId }),
  compare: (projectId, chatId, runA, runB) => appLinks.compareRuns(projectId, chatId, runA, [runB]),
  compareRuns: (projectId, chatId, baselineId, runIds) => {
    const query = new URLSearchParams();
    if (baselineId) query.set('baseline', baselineId);
    if (runIds.length > 0) query.set('runs', runIds.join(','));
    const search = query.toString().replace(/%2C/g, ',');
    return buildPath(ROUTES.compareRuns, { projectId, chatId }) + (search ? `?${search}` : '');
  },
  map: (projectId, chatId) => buildPath(ROUTES.map, { projectId, chatId }),
};
