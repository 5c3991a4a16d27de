import { useEffect, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';

/** A change of the URL's query that the router has not shown yet. */
interface Ahead {
  /** The query as the user just set it. */
  next: URLSearchParams;
  /** Marks the history entry that writes `next`: the router showing it means the router has caught up. */
  id: string;
  /**
   * The router entries that leave this change standing: the one shown when it was made, and the entries of earlier
   * changes still on their way (the router renders in a transition, so a second change can come before the first
   * shows). Any other entry, a new navigation, means the URL moved on, and the URL is shown again.
   */
  passing: ReadonlySet<string>;
}

/** Which history entry the router shows: the change that wrote it, or the router's own key for any other. */
function entryOf(location: { key: string; state: unknown }): string {
  const state = location.state as { immediateSearch?: unknown } | null;
  return typeof state?.immediateSearch === 'string' ? state.immediateSearch : location.key;
}

/** The router has not yet shown the change, and shows nothing the change did not expect. */
const isStanding = (ahead: Ahead, entry: string) => entry !== ahead.id && ahead.passing.has(entry);

/**
 * The URL's query, for state a control keeps in the URL (a filter, a page), replaced in place as it changes.
 *
 * Why not the router's own setter alone: the router renders a URL change as a transition, which re-renders the whole
 * workspace, in slices, before anything that reads the query sees it; a run-history filter started its read 40–60 ms
 * after the change. Here the new query is this component's state at once (an urgent render of this component only,
 * whose effects start its reads), and the URL is written after the next frame, so the router's own render runs while
 * those reads are in flight.
 */
export function useImmediateSearchParams(): [URLSearchParams, (next: URLSearchParams) => void] {
  const [routerSearch, setRouterSearch] = useSearchParams();
  const entry = entryOf(useLocation());
  const [ahead, setAhead] = useState<Ahead | null>(null);
  const written = useRef<Ahead | null>(null);
  // Entries are never reused, so a change that has ended (caught up, or the URL moved on) stays ended.
  const current = ahead !== null && isStanding(ahead, entry) ? ahead.next : routerSearch;

  useEffect(() => {
    // A navigation that came first (a link, the back button) ended the change: writing it now would undo that navigation.
    if (ahead === null || written.current === ahead || !isStanding(ahead, entry)) return;
    // After the next frame: the reads this render started (Dexie issues a live query from a task of its own) are then
    // on their way, and the router's render of the whole workspace, with the URL write itself, comes after them.
    let timer: number | undefined;
    const frame = window.requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        written.current = ahead;
        setRouterSearch(ahead.next, { replace: true, state: { immediateSearch: ahead.id } });
      }, 0);
    });
    return () => {
      window.cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [ahead, entry, setRouterSearch]);

  const set = (next: URLSearchParams) =>
    setAhead((earlier) => ({
      next,
      // Unique across page loads: a history entry's state outlives a reload, and a reused id would read as caught up.
      id: crypto.randomUUID(),
      passing: new Set([entry, ...(earlier && isStanding(earlier, entry) ? [...earlier.passing, earlier.id] : [])]),
    }));
  return [current, set];
}
