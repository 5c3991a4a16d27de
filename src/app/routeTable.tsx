import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { NotFound } from './NotFound';
import { ProjectListRoute } from './ProjectListRoute';
import { ProjectRedirect } from './ProjectRedirect';
import { ROUTES } from './routes';
import { SearchLayer } from './SearchLayer';

// The workspace (spec editor, runs, history) and settings load on first visit,
// so the project list paints from a smaller bundle; the service worker
// precaches every chunk, so offline use is unaffected.
const WorkspaceRoute = lazy(() => import('./WorkspaceRoute').then((module) => ({ default: module.WorkspaceRoute })));
const SettingsRoute = lazy(() => import('./SettingsRoute').then((module) => ({ default: module.SettingsRoute })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="muted pad">Loading…</p>}>{children}</Suspense>;
}

/** The route tree, apart from the router instance so tests can mount it in a memory router. */
export const routeObjects: RouteObject[] = [
  {
    element: <SearchLayer />,
    children: [
      { path: ROUTES.home, element: <ProjectListRoute /> },
      {
        path: ROUTES.settings,
        element: (
          <Loading>
            <SettingsRoute />
          </Loading>
        ),
      },
      { path: ROUTES.project, element: <ProjectRedirect /> },
      {
        path: ROUTES.chat,
        element: (
          <Loading>
            <WorkspaceRoute view="chat" />
          </Loading>
        ),
      },
      {
        path: ROUTES.run,
        element: (
          <Loading>
            <WorkspaceRoute view="run" />
          </Loading>
        ),
      },
      {
        path: ROUTES.candidate,
        element: (
          <Loading>
            <WorkspaceRoute view="candidate" />
          </Loading>
        ),
      },
      {
        path: ROUTES.runDetail,
        element: (
          <Loading>
            <WorkspaceRoute view="runDetail" />
          </Loading>
        ),
      },
      {
        path: ROUTES.compareRuns,
        element: (
          <Loading>
            <WorkspaceRoute view="compare" />
          </Loading>
        ),
      },
      {
        path: ROUTES.compare,
        element: (
          <Loading>
            <WorkspaceRoute view="compare" />
          </Loading>
        ),
      },
      {
        path: ROUTES.map,
        element: (
          <Loading>
            <WorkspaceRoute view="map" />
          </Loading>
        ),
      },
      { path: '*', element: <NotFound what="page" /> },
    ],
  },
];
