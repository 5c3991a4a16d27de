import type { RouteObject } from 'react-router';
import { NotFound } from './NotFound';
import { ProjectListRoute } from './ProjectListRoute';
import { ProjectRedirect } from './ProjectRedirect';
import { ROUTES } from './routes';
import { SettingsRoute } from './SettingsRoute';
import { WorkspaceRoute } from './WorkspaceRoute';

/** The route tree, apart from the router instance so tests can mount it in a memory router. */
export const routeObjects: RouteObject[] = [
  { path: ROUTES.home, element: <ProjectListRoute /> },
  { path: ROUTES.settings, element: <SettingsRoute /> },
  { path: ROUTES.project, element: <ProjectRedirect /> },
  { path: ROUTES.chat, element: <WorkspaceRoute view="chat" /> },
  { path: ROUTES.run, element: <WorkspaceRoute view="run" /> },
  { path: ROUTES.candidate, element: <WorkspaceRoute view="candidate" /> },
  { path: ROUTES.runDetail, element: <WorkspaceRoute view="runDetail" /> },
  { path: ROUTES.compare, element: <WorkspaceRoute view="compare" /> },
  { path: ROUTES.map, element: <WorkspaceRoute view="map" /> },
  { path: '*', element: <NotFound what="page" /> },
];
