import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { chatListShownNow, readAheadFirstScreen } from './firstScreen';
import { NotFound } from './NotFound';
import { ProjectListRoute } from './ProjectListRoute';
import { ProjectRedirect } from './ProjectRedirect';
import { RouterNavigation } from './RouterNavigation';
import { ROUTES } from './routes';
import { SearchLayer } from './SearchLayer';

// The workspace (spec editor, runs, history) and settings load on first visit,
// so the project list paints from a smaller bundle; the service worker
// precaches every chunk, so offline use is unaffected.
type WorkspaceModule = typeof import('./WorkspaceRoute');
type WorkspaceView = Parameters<WorkspaceModule['WorkspaceRoute']>[0]['view'];
let workspaceModule: WorkspaceModule | null = null;
let workspaceLoading: Promise<WorkspaceModule> | null = null;
function loadWorkspace(): Promise<WorkspaceModule> {
  workspaceLoading ??= import('./WorkspaceRoute').then((module) => (workspaceModule = module));
  return workspaceLoading;
}
const LazyWorkspaceRoute = lazy(() => loadWorkspace().then((module) => ({ default: module.WorkspaceRoute })));

/**
 * Starts loading what the first screen of `pathname` needs, so the app can
 * render it without a fallback: React keeps a Suspense fallback on screen for
 * its minimum reveal time (about 300 ms) even when the chunk arrives 15 ms later.
 * Never rejects: a failed load falls back to the lazy route, which reports it.
 */
export function preloadRouteChunks(pathname: string): Promise<void> {
  if (!pathname.startsWith('/project/')) return Promise.resolve();
  return loadWorkspace().then(
    () => undefined,
    () => undefined,
  );
}

/**
 * Everything a chat's first screen needs before the route renders it, for a move into a project from inside the app
 * (the home page's project links go through ProjectRedirect): the workspace's chunk and the screen's data, read
 * together, so the workspace is drawn once, whole, as on a page opened at the chat. Never rejects.
 */
function prepareFirstScreen(location: { pathname: string; search: string }): Promise<void> {
  return Promise.all([preloadRouteChunks(location.pathname), readAheadFirstScreen(location, { chatListShown: chatListShownNow() })]).then(
    () => undefined,
  );
}

/** The workspace, straight away when its chunk is already loaded, else through Suspense. */
function WorkspaceRoute({ view }: { view: WorkspaceView }) {
  // Decided once per mount: switching from the lazy to the direct component later would remount the workspace.
  const [loaded] = useState(() => workspaceModule);
  if (loaded) return <loaded.WorkspaceRoute view={view} />;
  return (
    <Loading>
      <LazyWorkspaceRoute view={view} />
    </Loading>
  );
}
const SettingsRoute = lazy(() => import('./SettingsRoute').then((module) => ({ default: module.SettingsRoute })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="muted pad">Loading…</p>}>{children}</Suspense>;
}

/** The route tree, apart from the router instance so tests can mount it in a memory router. */
export const routeObjects: RouteObject[] = [
  {
    element: (
      <RouterNavigation>
        <SearchLayer />
      </RouterNavigation>
    ),
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
      { path: ROUTES.project, element: <ProjectRedirect prepare={prepareFirstScreen} /> },
      {
        path: ROUTES.chat,
        element: <WorkspaceRoute view="chat" />,
      },
      {
        path: ROUTES.run,
        element: <WorkspaceRoute view="run" />,
      },
      {
        path: ROUTES.candidate,
        element: <WorkspaceRoute view="candidate" />,
      },
      {
        path: ROUTES.runDetail,
        element: <WorkspaceRoute view="runDetail" />,
      },
      {
        path: ROUTES.compareRuns,
        element: <WorkspaceRoute view="compare" />,
      },
      {
        path: ROUTES.compare,
        element: <WorkspaceRoute view="compare" />,
      },
      {
        path: ROUTES.map,
        element: <WorkspaceRoute view="map" />,
      },
      { path: '*', element: <NotFound what="page" /> },
    ],
  },
];
