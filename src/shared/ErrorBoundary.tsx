import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorSentence } from './errorSentence';

interface Props {
  /** What failed, in the user's words: "Could not load the chat history". */
  title: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  attempt: number;
}

/** Turns a failed render or query into a readable error with Retry, never a blank screen. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(this.props.title, error, info.componentStack);
  }

  private retry = () => this.setState((state) => ({ error: null, attempt: state.attempt + 1 }));

  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="error-state">
          <strong>{this.props.title}</strong>
          <p>{errorSentence(this.state.error)}</p>
          <button type="button" onClick={this.retry}>
            Retry
          </button>
        </div>
      );
    }
    return (
      <div key={this.state.attempt} className="boundary">
        {this.props.children}
      </div>
    );
  }
}
