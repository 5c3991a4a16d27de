import { createContext, useContext, useId, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { FeatureError, type SpecOp, type ItemDiff, type SpecDiff, describeItemDiff } from '../../domain';
import type { Highlight } from './hooks';

/**
 * What every part of the Spec tab needs to edit. It stays the same object while the chat and
 * its target stay the same, so an edit does not re-render every section through the context:
 * what changes with each edit (the diff, the highlights) has its own context or store.
 */
export interface SpecEditor {
  editable: boolean;
  /** Validates and writes the ops as one change; resolves to an error message, or null when saved. */
  apply: (ops: SpecOp[]) => Promise<string | null>;
  newId: () => string;
}

export const SpecEditorContext = createContext<SpecEditor | null>(null);

export function useSpecEditor(): SpecEditor {
  const editor = useContext(SpecEditorContext);
  if (!editor) throw new FeatureError('wiring_broken', { what: 'useSpecEditor must be used inside SpecEditorContext' });
  return editor;
}

/** Differences from the project spec (what-if chats only; null elsewhere). */
export const SpecDiffContext = createContext<SpecDiff | null>(null);

export function useSpecDiff(): SpecDiff | null {
  return useContext(SpecDiffContext);
}

/**
 * The items changed recently in this chat, as a store: an item subscribes to its own id, so a
 * new highlight re-renders the items it touches, not every item of the spec.
 */
export interface HighlightStore {
  current: ReadonlyMap<string, Highlight>;
  subscribe: (listener: () => void) => () => void;
  /** Publishes a new map (after the render that computed it). */
  publish: (highlights: ReadonlyMap<string, Highlight>) => void;
}

export function createHighlightStore(initial: ReadonlyMap<string, Highlight>): HighlightStore {
  const listeners = new Set<() => void>();
  const store: HighlightStore = {
    current: initial,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish: (highlights) => {
      if (highlights === store.current) return;
      store.current = highlights;
      for (const listener of listeners) listener();
    },
  };
  return store;
}

const NO_HIGHLIGHTS: ReadonlyMap<string, Highlight> = new Map();
const NO_HIGHLIGHT_STORE = createHighlightStore(NO_HIGHLIGHTS);

export const HighlightContext = createContext<HighlightStore>(NO_HIGHLIGHT_STORE);

/** The newest highlight of the item, or undefined; re-renders only when that changes. */
export function useHighlight(id: string): Highlight | undefined {
  const store = useContext(HighlightContext);
  return useSyncExternalStore(store.subscribe, () => store.current.get(id));
}

/** Every highlight (for a component that marks many items, e.g. the ratings grid). */
export function useHighlights(): ReadonlyMap<string, Highlight> {
  const store = useContext(HighlightContext);
  return useSyncExternalStore(store.subscribe, () => store.current);
}

/** Returns an error message for a value that must not be saved, or null. */
export type Validator = (text: string) => string | null;

interface CommitFieldProps {
  label: string;
  value: string;
  /** Receives the validated text; resolves to an error message (e.g. a duplicate name) or null. */
  onCommit: (text: string) => Promise<string | null>;
  validate?: Validator;
  placeholder?: string;
  className?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  /** Hides the label visually; it stays for screen readers and tests. */
  hideLabel?: boolean;
  disabled?: boolean;
  /** Keeps the error short (e.g. inside a matrix cell) and shows it as a tooltip too. */
  compactError?: boolean;
}

/**
 * A text field that saves on Enter or when it loses focus. An invalid value is
 * never saved: it stays in the field, marked, with a message saying what is allowed.
 */
export function CommitField({
  label,
  value,
  onCommit,
  validate,
  placeholder,
  className,
  inputMode,
  hideLabel,
  disabled,
  compactError,
}: CommitFieldProps) {
  const [draft, setDraft] = useState(value);
  const [seenValue, setSeenValue] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const errorId = useId();
  // Follow outside changes (the Architect, another tab) unless the user is mid-edit with an error showing.
  if (value !== seenValue) {
    setSeenValue(value);
    if (!error) setDraft(value);
  }

  async function commit() {
    if (saving) return;
    if (draft === value) {
      setError(null);
      return;
    }
    const problem = validate?.(draft) ?? null;
    if (problem) {
      setError(problem);
      return;
    }
    setSaving(true);
    const failure = await onCommit(draft);
    setSaving(false);
    // On success the draft already shows the new value; the live query brings the stored one right after.
    setError(failure);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void commit();
    } else if (event.key === 'Escape') {
      setDraft(value);
      setError(null);
    }
  }

  return (
    <label className={`commit-field${className ? ` ${className}` : ''}`}>
      <span className={hideLabel ? 'visually-hidden' : 'field-label'}>{label}</span>
      <input
        value={draft}
        placeholder={placeholder}
        inputMode={inputMode}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        title={compactError && error ? error : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          if (error) setError(null);
        }}
        onBlur={() => void commit()}
        onKeyDown={onKeyDown}
      />
      {error && (
        <span id={errorId} role="alert" className={`field-error${compactError ? ' compact' : ''}`}>
          {error}
        </span>
      )}
    </label>
  );
}

/** The faint yellow wash over an item the current chat changed a moment ago. */
export function Flash({ id }: { id: string }) {
  const highlight = useHighlight(id);
  if (!highlight) return null;
  return <span key={highlight.entryId} className="spec-flash" aria-hidden="true" style={{ animationDelay: `-${highlight.ageMs}ms` }} />;
}

/** "weight 90 → 40" beside an item that differs from the project spec. */
export function DiffMarker({ diff }: { diff: ItemDiff | undefined }) {
  if (!diff) return null;
  return <span className={`diff-marker diff-${diff.status}`}>{describeItemDiff(diff)}</span>;
}

/** Under a section's heading in a what-if: the section's order differs from the project's. */
export function OrderDiffNote({ order }: { order: { before: string; after: string } | null | undefined }) {
  if (!order) return null;
  return (
    <p className="diff-marker diff-changed order-diff" title={`Project order: ${order.before}`}>
      Reordered in this what-if. Project order: {order.before}
    </p>
  );
}

export function Section({ title, children, count, actions }: { title: string; children: ReactNode; count?: number; actions?: ReactNode }) {
  const headingId = useId();
  return (
    <section className="spec-section" aria-labelledby={headingId}>
      <header className="spec-section-header">
        <h3 id={headingId}>
          {title}
          {count !== undefined && <span className="spec-count">{count}</span>}
        </h3>
        {actions}
      </header>
      {children}
    </section>
  );
}
