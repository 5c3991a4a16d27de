import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { applySpecEdit, getUsableProvider, SpecChangeRejectedError } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { SpecContent } from '../../domain';
import { missingCells, opFor, stillMissing } from './missingCells';
import { buildMessages, checkSuggestions, suggestionSchema, toSuggestions, type Suggestion } from './ratingPrompt';
import { describeLlmError } from '../../shared/llmErrorText';

type Decision = 'pending' | 'accepted' | 'rejected';
type State =
  | { phase: 'idle' }
  | { phase: 'asking'; controller: AbortController }
  | { phase: 'failed'; sentence: string; fix: string | null; detail: string | null }
  | { phase: 'proposal'; suggestions: Suggestion[]; decisions: Decision[]; model: string; note: string | null };

function formatValue(suggestion: Suggestion): string {
  return suggestion.cell.kind === 'rating'
    ? suggestion.value.toFixed(2).replace(/0$/, '')
    : `${suggestion.value}${suggestion.cell.unit ? ` ${suggestion.cell.unit}` : ''}`;
}

/** "Suggest ratings": the model proposes missing ratings and attribute values; the user decides cell by cell. */
export function RatingAssistant({ chatId, spec, editable }: { chatId: string; spec: SpecContent; editable: boolean }) {
  const usable = useLiveQuery(() => getUsableProvider(), []);
  const cells = useMemo(() => missingCells(spec), [spec]);
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [applyError, setApplyError] = useState<string | null>(null);
  // Applying reads the spec as it is then, not as it was when the model was asked.
  const latestSpec = useRef(spec);
  useEffect(() => {
    latestSpec.current = spec;
  }, [spec]);

  if (!editable || usable === undefined) return null;
  if (state.phase === 'idle' && cells.length === 0) return null;

  async function ask() {
    if (usable?.status !== 'ready') return;
    const controller = new AbortController();
    setApplyError(null);
    setState({ phase: 'asking', controller });
    const llm = await import('../../llm');
    try {
      const result = await llm.generateStructured({
        provider: usable.provider,
        messages: buildMessages(spec, cells),
        name: 'matrix_suggestions',
        schema: suggestionSchema,
        validate: (answer) => checkSuggestions(answer, cells),
        temperature: 0.2,
        signal: controller.signal,
      });
      const suggestions = toSuggestions(result.value, cells);
      const left = cells.length - suggestions.length;
      setState({
        phase: 'proposal',
        suggestions,
        decisions: suggestions.map(() => 'pending'),
        model: `${usable.provider.name} · ${usable.provider.defaultModel}`,
        note:
          suggestions.length === 0
            ? 'The model had no suggestion for these cells.'
            : left > 0
              ? `${left} cell${left === 1 ? '' : 's'} left empty by the model.`
              : null,
      });
    } catch (error) {
      if (error instanceof llm.LlmError) {
        if (error.code === 'aborted') {
          setState({ phase: 'idle' });
          return;
        }
        const described = describeLlmError(error, usable.provider);
        setState({ phase: 'failed', sentence: described.sentence, fix: described.fix, detail: error.detail });
      } else {
        setState({ phase: 'failed', sentence: `The suggestion failed: ${errorSentence(error)}`, fix: null, detail: null });
      }
    }
  }

  function decide(index: number, decision: Decision) {
    if (state.phase !== 'proposal') return;
    setState({ ...state, decisions: state.decisions.map((current, position) => (position === index ? decision : current)) });
  }

  async function applyAccepted() {
    if (state.phase !== 'proposal') return;
    const accepted = state.suggestions.filter((_, index) => state.decisions[index] === 'accepted');
    // A cell the user filled meanwhile keeps the user's value.
    const fresh = accepted.filter((suggestion) => stillMissing(latestSpec.current, suggestion.cell));
    if (fresh.length === 0) {
      setApplyError(accepted.length ? 'Those cells were filled meanwhile; nothing to apply.' : 'Accept at least one suggestion first.');
      return;
    }
    try {
      await applySpecEdit(chatId, { ops: fresh.map((suggestion) => opFor(suggestion.cell, suggestion.value)) }, 'agent');
      setState({ phase: 'idle' });
      setApplyError(
        fresh.length < accepted.length
          ? `${accepted.length - fresh.length} accepted cell(s) were filled meanwhile and kept their value.`
          : null,
      );
    } catch (error) {
      setApplyError(error instanceof SpecChangeRejectedError ? errorSentence(error) : `Not saved: ${errorSentence(error)}`);
    }
  }

  const ratingCount = cells.filter((cell) => cell.kind === 'rating').length;
  const attributeCount = cells.length - ratingCount;
  return (
    <section className="rating-assistant" aria-label="Rating assistant">
      {state.phase !== 'proposal' && (
        <div className="assist-bar">
          <span className="muted">
            {ratingCount} rating{ratingCount === 1 ? '' : 's'}
            {attributeCount ? ` and ${attributeCount} attribute value${attributeCount === 1 ? '' : 's'}` : ''} missing.
          </span>
          {usable.status === 'ready' ? (
            state.phase === 'asking' ? (
              <>
                <span role="status">Asking {usable.provider.name}…</span>
                <button type="button" onClick={() => state.controller.abort()}>
                  Stop
                </button>
              </>
            ) : (
              <button type="button" onClick={() => void ask()}>
                Suggest ratings
              </button>
            )
          ) : usable.status === 'locked' ? (
            <span className="hint">Unlock the model keys in Settings → Models to get suggestions.</span>
          ) : (
            <span className="hint">Connect a model in Settings → Models to get suggested ratings.</span>
          )}
        </div>
      )}
      {state.phase === 'failed' && (
        <div className="assist-error" role="alert">
          <p>{state.sentence}</p>
          {state.fix && <p>{state.fix}</p>}
          {state.detail && <p className="assist-detail">{state.detail}</p>}
        </div>
      )}
      {state.phase === 'proposal' && (
        <div className="assist-proposal">
          <div className="assist-bar">
            <strong>Suggested by {state.model}</strong>
            <span className="muted">Nothing changes until you apply.</span>
          </div>
          {state.note && <p className="hint">{state.note}</p>}
          <ul className="assist-list" aria-label="Suggested values">
            {state.suggestions.map((suggestion, index) => {
              const decision = state.decisions[index];
              return (
                <li key={suggestion.cell.label} className={`assist-item assist-${decision}`} data-testid="suggestion">
                  <div className="assist-cell">
                    <span className="assist-where">
                      {suggestion.cell.optionLabel} × {suggestion.cell.targetName}
                    </span>
                    <span className="assist-value">{formatValue(suggestion)}</span>
                    <span className="assist-rationale">{suggestion.rationale}</span>
                  </div>
                  <div className="row-actions">
                    <button
                      type="button"
                      aria-pressed={decision === 'accepted'}
                      onClick={() => decide(index, decision === 'accepted' ? 'pending' : 'accepted')}
                    >
                      {decision === 'accepted' ? 'Accepted' : 'Accept'}
                    </button>
                    <button
                      type="button"
                      aria-pressed={decision === 'rejected'}
                      onClick={() => decide(index, decision === 'rejected' ? 'pending' : 'rejected')}
                    >
                      {decision === 'rejected' ? 'Rejected' : 'Reject'}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="row-actions">
            <button
              type="button"
              onClick={() =>
                setState({ ...state, decisions: state.decisions.map((decision) => (decision === 'rejected' ? decision : 'accepted')) })
              }
            >
              Accept all
            </button>
            <button type="button" className="primary" onClick={() => void applyAccepted()}>
              Apply {state.decisions.filter((decision) => decision === 'accepted').length} accepted
            </button>
            <button type="button" onClick={() => setState({ phase: 'idle' })}>
              Discard
            </button>
          </div>
        </div>
      )}
      {applyError && (
        <p className="form-error" role="alert">
          {applyError}
        </p>
      )}
    </section>
  );
}
