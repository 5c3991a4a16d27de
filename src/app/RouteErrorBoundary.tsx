import { Component, type ReactNode } from 'react';
import { useLocation, type Location } from 'react-router';

interface State {
  error: unknown;
  location: Location;
}

/**
 * What a route's render error shows when no boundary inside it caught it: the
 * same screen React Router's data router showed by default (a heading, the
 * message and the stack), cleared by the next navigation. The app renders its
 * routes with the declarative router, which has no boundary of its own.
 */
class Boundary extends Component<{ location: Location; children: ReactNode }, State> {
  override state: State = { error: undefined, location: this.props.location };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: { location: Location }, state: State): Partial<State> | null {
    return props.location !== state.location ? { error: undefined, location: props.location } : null;
  }

  override componentDidCatch(error: unknown): void {
    console.error('React Router caught the following error during render', error);
  }

  override render() {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    const stack = error instanceof Error ? error.stack : null;
    return (
      <>
        <h2>Unexpected Application Error!</h2>
        <h3>{message}</h3>
        {stack ? <pre>{stack}</pre> : null}
      </>
    );
  }
}

export function RouteErrorBoundary({ children }: { children: ReactNode }) {
  return <Boundary location={useLocation()}>{children}</Boundary>;
}
