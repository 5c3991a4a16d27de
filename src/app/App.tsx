import { useEffect, useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { isSchemaOutdated, markInterruptedRuns, onSchemaOutdated } from '../db';
import { LinksProvider } from '../shared/links';
import { appLinks } from './links';
import { NotFound } from './NotFound';
import { ProjectListRoute } from './ProjectListRoute';
import { ProjectRedirect } from './ProjectRedirect';
import { ROUTES } from './routes';
import { WorkspaceRoute } from './WorkspaceRoute';

export const routeObjects: RouteObject[] = [
  { path: ROUTES.home, element: <ProjectListRoute /> },
  { path: ROUTES.project, element: <ProjectRedirect /> },
  { path: ROUTES.chat, element: <WorkspaceRoute view="chat" /> },
  { path: ROUTES.run, element: <WorkspaceRoute view="run" /> },
  { path: ROUTES.candidate, element: <WorkspaceRoute view="candidate" /> },
  { path: ROUTES.runDetail, element: <WorkspaceRoute view="runDetail" /> },
  { path: ROUTES.compare, element: <WorkspaceRoute view="compare" /> },
  { path: ROUTES.map, element: <WorkspaceRoute view="map" /> },
  { path: '*', element: <NotFound what="page" /> },
];

function SchemaOutdatedBanner() {
  const [outdated, setOutdated] = useState(isSchemaOutdated);
  useEffect(() => onSchemaOutdated(() => setOutdated(true)), []);
  if (!outdated) return null;
  return (
    <div role="alert" className="banner banner-warning">
      Int Crucible was updated in another tab and upgraded your data. This tab has stopped saving so nothing is written in the old format.
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Reload to update
      </button>
    </div>
  );
}

const router = createBrowserRouter(routeObjects);

// A tab closed mid-run leaves runs marked running; settle them before anything reads them.
const startup = markInterruptedRuns().catch((error) => console.error('Could not settle interrupted runs', error));

export function App() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void startup.then(() => setReady(true));
  }, []);
  return (
    <LinksProvider value={appLinks}>
      <SchemaOutdatedBanner />
      {ready ? <RouterProvider router={router} /> : null}
    </LinksProvider>
  );
}
