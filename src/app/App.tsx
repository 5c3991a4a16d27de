import { useEffect, useState } from 'react';
import { BrowserRouter, useRoutes } from 'react-router';
import {
  isSchemaOutdated,
  onSchemaOutdated,
  prepareDatabase,
  StorageFullError,
  sweepInterruptedReplies,
  sweepInterruptedRuns,
} from '../db';
import { prepareDateFormats } from '../shared/RelativeTime';
import { announceStorageFull } from '../shared/storageFullNotice';
import { LinksProvider } from '../shared/links';
import { chatListShownNow, readAheadFirstScreen } from './firstScreen';
import { appLinks } from './links';
import { PwaUpdatePrompt } from './PwaUpdatePrompt';
import { startPwa } from './pwa';
import { RouteErrorBoundary } from './RouteErrorBoundary';
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

/** What the user sees when the start-up sweep cannot write: what happened, that it is retried, and what to do. */
const SWEEP_STORAGE_FULL_SENTENCE =
  'Storage is full, so work left unfinished when a tab was closed could not be marked as interrupted; Int Crucible tries again the next time it opens. Free space by exporting and deleting old runs or projects.';

/** A full disk is said on screen (the app still opens); anything else is a bug, for the console. */
function reportSweepFailure(what: string) {
  return (error: unknown) => {
    if (error instanceof StorageFullError) announceStorageFull(SWEEP_STORAGE_FULL_SENTENCE);
    else console.error(`Could not settle ${what}`, error);
  };
}

/**
 * A tab closed mid-run leaves runs marked running, and model replies marked
 * streaming; settle them once, before anything reads them. Runs and replies
 * another open tab is still working on hold a Web Lock and are left alone
 * until that tab lets go of them (it finishes, or it closes). Each sweep fails
 * on its own, so a full disk stops neither the other sweep nor the app. Both
 * wait for prepareDatabase, which upgrades data of an older version in a worker.
 */
function settleInterruptedWorkOnce(): Promise<unknown> {
  startup ??= prepareDatabase().then(() =>
    Promise.all([
      sweepInterruptedRuns(navigator.locks).then(({ watched }) => {
        watched.catch(reportSweepFailure('a run another tab left'));
      }, reportSweepFailure('interrupted runs')),
      sweepInterruptedReplies(navigator.locks).then(({ watched }) => {
        watched.catch(reportSweepFailure('a reply another tab left'));
      }, reportSweepFailure('interrupted replies')),
    ]),
  );
  return startup;
}

/**
 * The declarative router (BrowserRouter + useRoutes) rather than the data router: the app uses no loaders, actions or
 * fetchers, and the data router's state machine was 17 KB gzip of the first visit's JavaScript.
 */
function AppRoutes() {
  return <RouteErrorBoundary>{useRoutes(routeObjects)}</RouteErrorBoundary>;
}

export function App() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // The first screen's chunk loads while the start-up sweep runs, and its data is read once the sweep is done, so
    // the router renders it whole, with no "Loading…" in between.
    void Promise.all([
      settleInterruptedWorkOnce().then(() => readAheadFirstScreen(window.location, { chatListShown: chatListShownNow() })),
      preloadRouteChunks(window.location.pathname),
    ]).then(() => setReady(true));
    // In a task of its own, while the sweep waits for IndexedDB: ICU's first initialisation is then off the first render.
    const formats = window.setTimeout(prepareDateFormats, 0);
    startPwa();
    return () => window.clearTimeout(formats);
  }, []);
  return (
    <LinksProvider value={appLinks}>
      <SchemaOutdatedBanner />
      <PwaUpdatePrompt />
      <StorageFullBanner />
      {ready ? (
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      ) : null}
    </LinksProvider>
  );
}
