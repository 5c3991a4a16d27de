import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { appLinks } from '../../src/app/links';
import { routeObjects } from '../../src/app/routeTable';
import { LinksProvider } from '../../src/shared/links';

/**
 * jsdom has no layout, so virtualised lists would render nothing; give
 * elements a plausible size so the virtualiser renders its first rows.
 */
export function installLayoutStubs(): void {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 400 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
}

/** Mounts the real route table at a URL in a memory router. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routeObjects, { initialEntries: [path] });
  const utils = render(
    <LinksProvider value={appLinks}>
      <RouterProvider router={router} />
    </LinksProvider>,
  );
  return { ...utils, router };
}
