import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useNavigate, type NavigateFunction } from 'react-router';
import { NavigateProvider, type AppNavigate, type NavigateOptions } from '../shared/navigation';

/**
 * Hands features one navigate function for the app's whole life. The router's navigate changes with the URL, and
 * every component that asks for it re-renders when the URL does; this component takes those re-renders alone and
 * passes on a stable function that calls the current one.
 */
export function RouterNavigation({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const current = useRef<NavigateFunction>(navigate);
  // A layout effect, as the router's own: a navigation from a child's effect then already uses the newest function.
  useLayoutEffect(() => {
    current.current = navigate;
  }, [navigate]);
  const [stable] = useState<AppNavigate>(() => (to: string, options?: NavigateOptions) => void current.current(to, options));
  return <NavigateProvider value={stable}>{children}</NavigateProvider>;
}
