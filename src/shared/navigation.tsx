import { createContext, useContext, type ComponentPropsWithRef, type MouseEvent } from 'react';
import { FeatureError } from '../domain';

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
}

/** Goes to an app URL (always absolute: the links in AppLinks build them). The same function for the app's whole life. */
export type AppNavigate = (to: string, options?: NavigateOptions) => void;

const NavigateContext = createContext<AppNavigate | null>(null);

/**
 * Provided once by src/app from the router. Its value never changes, so a component that only navigates or links
 * does not re-render when the URL does: the router's own `useNavigate` and `Link` re-render on every URL change,
 * which made every row of a 50-run history and every chat row re-render when a filter changed.
 */
export const NavigateProvider = NavigateContext.Provider;

export function useAppNavigate(): AppNavigate {
  const navigate = useContext(NavigateContext);
  if (!navigate) throw new FeatureError('wiring_broken', { what: 'useAppNavigate() needs a <NavigateProvider> (provided by src/app)' });
  return navigate;
}

/** A press the browser should handle itself: a new tab or window, a download, or a target other than this page. */
function isBrowserHandled(event: MouseEvent<HTMLAnchorElement>, target: string | undefined): boolean {
  return (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.altKey ||
    event.ctrlKey ||
    event.shiftKey ||
    (target !== undefined && target !== '_self')
  );
}

const currentPath = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

export type AppLinkProps = Omit<ComponentPropsWithRef<'a'>, 'href'> & {
  /** An app URL from AppLinks. */
  to: string;
  /** Replace the current history entry; by default only a link to the page already shown replaces it. */
  replace?: boolean;
};

/**
 * A link inside the app: a real `<a href>` (open in a new tab, copy the address), and a client-side navigation on a
 * plain click. As the router's Link does, a link to the page already shown replaces the entry instead of adding one.
 */
export function AppLink({ to, replace, onClick, target, ...anchor }: AppLinkProps) {
  const navigate = useAppNavigate();
  return (
    <a
      {...anchor}
      href={to}
      target={target}
      onClick={(event) => {
        onClick?.(event);
        if (isBrowserHandled(event, target)) return;
        event.preventDefault();
        navigate(to, { replace: replace ?? to === currentPath() });
      }}
    />
  );
}
