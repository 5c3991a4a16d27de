import { lazy, Suspense, useEffect, useState } from 'react';
import { matchPath, Outlet, useLocation } from 'react-router';
import { ROUTES } from './routes';

// The palette's code loads on first use; the index itself lives in a worker.
const SearchPalette = lazy(() => import('../features/search/SearchPalette').then((module) => ({ default: module.SearchPalette })));

/** Fired by the search box in the top bar (and anything else that wants the palette open). */
export const OPEN_SEARCH_EVENT = 'crucible:open-search';

export function openSearch(): void {
  window.dispatchEvent(new Event(OPEN_SEARCH_EVENT));
}

/** How long after start-up the search worker begins indexing, so the first screen paints undisturbed. */
const INDEX_START_DELAY_MS = 1500;

/**
 * Wraps every route: Ctrl+K (⌘K) opens the search palette anywhere, and the
 * search worker starts indexing soon after the app loads, so results are ready
 * when the palette first opens.
 */
export function SearchLayer() {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const projectId = matchPath(`${ROUTES.project}/*`, location.pathname)?.params.projectId ?? null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen((value) => !value);
      }
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener(OPEN_SEARCH_EVENT, onOpen);
    const timer = window.setTimeout(() => {
      void import('../features/search/searchClient').then((client) => client.startSearch());
    }, INDEX_START_DELAY_MS);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(OPEN_SEARCH_EVENT, onOpen);
      window.clearTimeout(timer);
    };
  }, []);

  return (
    <>
      <Outlet />
      {open && (
        <Suspense fallback={null}>
          <SearchPalette currentProjectId={projectId} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

/** The search box in a top bar: opens the palette (Ctrl+K does the same). */
export function SearchButton() {
  return (
    <button type="button" className="search-trigger" onClick={openSearch} aria-label="Search (Ctrl+K)" aria-keyshortcuts="Control+K">
      <span aria-hidden="true">⌕</span>
      <span className="search-trigger-label">Search…</span>
      <kbd aria-hidden="true">Ctrl K</kbd>
    </button>
  );
}
