import { Component, type ReactNode } from 'react';
import { useLocation, type Location } from 'react-router';
import { errorSentence } from '../shared/errorSentence';

interface State {
  error: unknown;
  location: Location;
}

/**
 * What a route's render error shows when no boundary inside it caught it: the
 * screen React Router's data router showed by default (a heading, the error in
 * words, and the stack folded away for a bug report), cleared by the next navigation. The app renders its
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
    const stack = error instanceof Error ? error.stack : null;
    return (
      <div role="alert" className="error-state">
        <h2>Unexpected Application Error!</h2>
        <p>{errorSentence(error)}</p>
        {stack ? (
          <details>
            <summary>Details for a bug report</summary>
            <pre>{stack}</pre>
          </details>
        ) : null}
      </div>
    );
  }
}

export function RouteErrorBoundary({ children }: { children: ReactNode }) {
  return <Boundary location={useLocation()}>{children}</Boundary>;
}
