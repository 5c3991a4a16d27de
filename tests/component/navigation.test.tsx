import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { memo, type ReactNode } from 'react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RouterNavigation } from '../../src/app/RouterNavigation';
import { AppLink, useAppNavigate } from '../../src/shared/navigation';
import { RELATIVE_TIME_TICK_MS, RelativeTime } from '../../src/shared/RelativeTime';

function mount(element: ReactNode, initial = '/a') {
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
