import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { memo, type ReactNode } from 'react';
import { createMemoryRouter, Outlet, RouterProvider, type InitialEntry } from 'react-router';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RouterNavigation } from '../../src/app/RouterNavigation';
import { useImmediateSearchParams } from '../../src/shared/immediateSearchParams';
import { AppLink, useAppNavigate } from '../../src/shared/navigation';
import { RELATIVE_TIME_TICK_MS, RelativeTime } from '../../src/shared/RelativeTime';

function mount(element: ReactNode, initial: InitialEntry = '/a') {
  const router = createMemoryRouter(
    [
      {
        element: (
          <RouterNavigation>
            <Outlet />
          </RouterNavigation>
        ),
        children: [{ path: '*', element }],
      },
    ],
    { initialEntries: [initial] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

const here = (router: ReturnType<typeof mount>) => `${router.state.location.pathname}${router.state.location.search}`;

describe('AppLink and useAppNavigate', () => {
  test('a plain click navigates in the app; a modified click or another target is left to the browser', async () => {
    const router = mount(
      <>
        <AppLink to="/b?x=1">To b</AppLink>
        <AppLink to="/c" target="_blank">
          New tab
        </AppLink>
      </>,
    );
    const link = screen.getByRole('link', { name: 'To b' });
    expect(link).toHaveAttribute('href', '/b?x=1');

    // fireEvent returns false when the default action (the browser's own navigation) was prevented.
    expect(fireEvent.click(link, { ctrlKey: true })).toBe(true);
    expect(fireEvent.click(link, { button: 1 })).toBe(true);
    expect(fireEvent.click(screen.getByRole('link', { name: 'New tab' }))).toBe(true);
    expect(here(router)).toBe('/a');

    expect(fireEvent.click(link)).toBe(false);
    await waitFor(() => expect(here(router)).toBe('/b?x=1'));
    expect(router.state.historyAction).toBe('PUSH');
  });

  test('a link to the page already shown replaces the entry instead of adding one, as the router’s Link does', async () => {
    const router = mount(<AppLink to="/a">Here</AppLink>);
    // jsdom's window.location does not follow the memory router; the link compares with the page's address.
    window.history.replaceState(null, '', '/a');
    fireEvent.click(screen.getByRole('link', { name: 'Here' }));
    await waitFor(() => expect(router.state.historyAction).toBe('REPLACE'));
    expect(here(router)).toBe('/a');
  });

  test('a component that only links and navigates does not re-render when the URL changes', async () => {
    const renders = vi.fn();
    const Row = memo(function Row() {
      renders();
      const navigate = useAppNavigate();
      return (
        <>
          <AppLink to="/elsewhere">Elsewhere</AppLink>
          <button type="button" onClick={() => navigate('/b?page=2')}>
            Go
          </button>
        </>
      );
    });
    const router = mount(<Row />);
    expect(renders).toHaveBeenCalledTimes(1);
    await act(() => router.navigate('/b?page=1'));
    await act(() => router.navigate('/c'));
    expect(renders).toHaveBeenCalledTimes(1);
    // The function it holds still goes to the right place after those changes.
    fireEvent.click(screen.getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(here(router)).toBe('/b?page=2'));
    expect(renders).toHaveBeenCalledTimes(1);
  });
});

describe('useImmediateSearchParams', () => {
  function Filter({ seen }: { seen: (query: string) => void }) {
    const [search, setSearch] = useImmediateSearchParams();
    seen(search.toString());
    const choose = (value: string) => {
      const next = new URLSearchParams(search);
      next.set('f', value);
      setSearch(next);
    };
    return (
      <>
        <output>{search.get('f') ?? 'unset'}</output>
        <button type="button" onClick={() => choose('one')}>
          One
        </button>
        <button type="button" onClick={() => choose('two')}>
          Two
        </button>
      </>
    );
  }

  test('the component shows the new query in the render of the change; the URL follows, replaced in place', async () => {
    const seen = vi.fn();
    const router = mount(<Filter seen={seen} />, '/list?tab=runs');
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    // Synchronously after the click: the component has the change, the router not yet.
    expect(screen.getByRole('status')).toHaveTextContent('one');
    expect(here(router)).toBe('/list?tab=runs');
    await waitFor(() => expect(here(router)).toBe('/list?tab=runs&f=one'));
    expect(router.state.historyAction).toBe('REPLACE');
    expect(screen.getByRole('status')).toHaveTextContent('one');
    // No render ever showed the query without the change once it was made.
    const after = seen.mock.calls.map(([query]) => query as string).slice(seen.mock.calls.findIndex(([q]) => q === 'tab=runs&f=one'));
    expect(after.every((query) => query === 'tab=runs&f=one')).toBe(true);
  });

  test('a second change before the first reaches the URL wins, and the first never shows again', async () => {
    const seen = vi.fn();
    const router = mount(<Filter seen={seen} />, '/list');
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    fireEvent.click(screen.getByRole('button', { name: 'Two' }));
    expect(screen.getByRole('status')).toHaveTextContent('two');
    await waitFor(() => expect(here(router)).toBe('/list?f=two'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queries = seen.mock.calls.map(([query]) => query as string);
    expect(queries.slice(queries.indexOf('f=two'))).not.toContain('f=one');
    expect(screen.getByRole('status')).toHaveTextContent('two');
  });

  test('a second change while the router is still rendering the first one’s URL is not lost', async () => {
    const router = mount(<Filter seen={() => {}} />, '/list');
    // The router's subscribers hear of the write before React renders it: the click lands in that gap.
    let clickedInGap = false;
    const stop = router.subscribe((state) => {
      if (state.location.search !== '?f=one' || clickedInGap) return;
      clickedInGap = true;
      expect(screen.getByRole('status')).toHaveTextContent('one');
      fireEvent.click(screen.getByRole('button', { name: 'Two' }));
    });
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    await waitFor(() => expect(here(router)).toBe('/list?f=two'));
    stop();
    expect(clickedInGap).toBe(true);
    expect(screen.getByRole('status')).toHaveTextContent('two');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(here(router)).toBe('/list?f=two');
  });

  test('once the URL moves on, the URL is shown, even when it returns to the query the change was made from', async () => {
    const router = mount(<Filter seen={() => {}} />, '/list?tab=runs');
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    await waitFor(() => expect(here(router)).toBe('/list?tab=runs&f=one'));
    // A link to the tab (a new navigation) goes back to the query the change was made from.
    await act(() => router.navigate('/list?tab=runs'));
    expect(screen.getByRole('status')).toHaveTextContent('unset');
    await act(() => router.navigate(-1));
    expect(here(router)).toBe('/list?tab=runs&f=one');
    expect(screen.getByRole('status')).toHaveTextContent('one');
  });

  test('after a reload, whose history entry still carries the last change’s mark, a new change shows and is written', async () => {
    // Each page load starts the page's modules afresh, and the browser hands back the entry with its state.
    async function loadPage() {
      vi.resetModules();
      const { useImmediateSearchParams: useFresh } = await import('../../src/shared/immediateSearchParams');
      return function FreshFilter({ to }: { to: string }) {
        const [search, setSearch] = useFresh();
        return (
          <>
            <output>{search.get('f') ?? 'unset'}</output>
            <button type="button" onClick={() => setSearch(new URLSearchParams({ f: to }))}>
              Choose
            </button>
          </>
        );
      };
    }
    const FirstLoad = await loadPage();
    const before = mount(<FirstLoad to="one" />, '/list');
    fireEvent.click(screen.getByRole('button', { name: 'Choose' }));
    await waitFor(() => expect(here(before)).toBe('/list?f=one'));
    const entry = before.state.location;
    expect(entry.state).toMatchObject({ immediateSearch: expect.any(String) as unknown });
    cleanup();

    const Reloaded = await loadPage();
    const after = mount(<Reloaded to="two" />, { pathname: entry.pathname, search: entry.search, state: entry.state as unknown });
    expect(screen.getByRole('status')).toHaveTextContent('one');
    fireEvent.click(screen.getByRole('button', { name: 'Choose' }));
    expect(screen.getByRole('status')).toHaveTextContent('two');
    await waitFor(() => expect(here(after)).toBe('/list?f=two'));
  });

  test('a change not yet written when the user navigates elsewhere is dropped, not written over the navigation', async () => {
    function Page() {
      return <Filter seen={() => {}} />;
    }
    const router = mount(<Page />, '/list');
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    await act(() => router.navigate('/'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The route element is the same component for every path here, so it stays mounted, its write still pending.
    expect(here(router)).toBe('/');
    expect(screen.getByRole('status')).toHaveTextContent('unset');
  });
});

describe('RelativeTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('every relative time on screen moves on from one shared clock, which stops with the last of them', () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:10Z') });
    const setInterval = vi.spyOn(window, 'setInterval');
    const clearInterval = vi.spyOn(window, 'clearInterval');
    const at = Date.now() - 60_000;
    const view = render(
      <>
        {Array.from({ length: 30 }, (_, index) => (
          <RelativeTime key={index} timestamp={at} />
        ))}
      </>,
    );
    expect(setInterval).toHaveBeenCalledTimes(1);
    const times = () => [...view.container.querySelectorAll('time')].map((time) => time.textContent);
    expect(new Set(times())).toEqual(new Set(['1 min. ago']));
    act(() => {
      vi.advanceTimersByTime(RELATIVE_TIME_TICK_MS * 4);
    });
    expect(new Set(times())).toEqual(new Set(['3 min. ago']));
    expect(clearInterval).not.toHaveBeenCalled();
    view.unmount();
    expect(clearInterval).toHaveBeenCalledTimes(1);
  });
});
