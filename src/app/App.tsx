import { useEffect, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { isSchemaOutdated, onSchemaOutdated, sweepInterruptedRuns } from '../db';
import { LinksProvider } from '../shared/links';
import { appLinks } from './links';
import { PwaUpdatePrompt } from './PwaUpdatePrompt';
import { startPwa } from './pwa';
import { preloadRouteChunks, routeObjects } from './routeTable';
import { StorageFullBanner } from './StorageFullBanner';

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

let startup: Promise<unknown> | null = null;

/**
 * A tab closed mid-run leaves runs marked running, and model replies marked
 * streaming; settle them once, before anything reads them. Runs and replies
 * another open tab is still working on hold a Web Lock and are left alone.
 */
function settleInterruptedWorkOnce(): Promise<unknown> {
  startup ??= (async () => {
    const { held, watched } = await sweepInterruptedRuns(navigator.locks);
    // Runs another tab holds are settled when that tab lets go of them (it finishes, or it closes).
    watched.catch((error: unknown) => console.error('Could not settle a run another tab left', error));
    // Loaded on its own so the first bundle does not carry the model-reply schemas.
    const { markInterruptedReplies } = await import('../db/modelReplies');
    await markInterruptedReplies((lockName) => lockName !== null && held.has(lockName));
  })().catch((error) => console.error('Could not settle interrupted runs and replies', error));
  return startup;
}

export function App() {
  const [router] = useState(() => createBrowserRouter(routeObjects));
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // The first screen's chunk loads while the start-up sweep runs, so the router renders it with no "Loading…" in between.
    void Promise.all([settleInterruptedWorkOnce(), preloadRouteChunks(window.location.pathname)]).then(() => setReady(true));
    startPwa();
  }, []);
  return (
    <LinksProvider value={appLinks}>
      <SchemaOutdatedBanner />
      <PwaUpdatePrompt />
      <StorageFullBanner />
      {ready ? <RouterProvider router={router} /> : null}
    </LinksProvider>
  );
}
