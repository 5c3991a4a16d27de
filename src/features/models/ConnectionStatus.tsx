import type { ConnectionResult, ProviderConfig } from '../../llm';
import { describeLlmError } from '../../shared/llmErrorText';

export type ConnectionView =
  | { state: 'idle' }
  | { state: 'testing' }
  | { state: 'done'; result: ConnectionResult; provider: ProviderConfig };

/** What Test connection found, as one sentence plus the fix. */
export function ConnectionStatus({ view }: { view: ConnectionView }) {
  if (view.state === 'idle') return null;
  if (view.state === 'testing')
    return (
      <p className="connection-status" role="status">
        Testing the connection…
      </p>
    );
  const { result, provider } = view;
  if (result.ok) {
    const model = provider.defaultModel.trim();
    return (
      <div
        className={`connection-status ${result.modelFound ? 'connection-ok' : 'connection-warn'}`}
        role="status"
        data-testid="connection-status"
      >
        <p className="connection-sentence">
          {result.models.length === 0
            ? 'Connected, but the server lists no models.'
            : `Connected: the server lists ${result.models.length} model${result.models.length === 1 ? '' : 's'}.`}
          {model && result.modelFound && ` “${model}” is among them.`}
        </p>
        {!result.modelFound && (
          <p className="connection-fix">
            {model
              ? `“${model}” is not on the server's list (a request for it would get 404): pick one of the listed models.`
              : result.models.length === 0
                ? provider.preset === 'ollama'
                  ? 'Download one first, e.g. `ollama pull llama3.2`.'
                  : 'Load a model in the server first.'
                : 'Choose a default model from the list.'}
          </p>
        )}
      </div>
    );
  }
  const described = describeLlmError(result.error, provider);
  return (
    <div className="connection-status connection-error" role="alert" data-testid="connection-status">
      <p className="connection-sentence">{described.sentence}</p>
      {described.fix && <p className="connection-fix">{described.fix}</p>}
      {result.error.detail && <p className="connection-detail">Server said: {result.error.detail}</p>}
    </div>
  );
}
