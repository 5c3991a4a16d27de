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
  compare: (projectId, chatId, runA, runB) => buildPath(ROUTES.compare, { projectId, chatId, runA, runB }),
  map: (projectId, chatId) => buildPath(ROUTES.map, { projectId, chatId }),
};
