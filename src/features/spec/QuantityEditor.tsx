import { useState } from 'react';
import {
  isHard,
  type Attribute,
  type Constraint,
  type ConstraintQuantity,
  describeQuantity,
  validateQuantity,
  COMBINE_LABEL,
} from '../../domain';
import { useSpecEditor } from './editor';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** How a rated constraint's options combine; a hard one is always weakest link, and says so. */
export function CombineControl({ constraint }: { constraint: Constraint }) {
  const editor = useSpecEditor();
  const [error, setError] = useState<string | null>(null);
  if (constraint.quantity) return null;
  const hard = isHard(constraint);
  if (!editor.editable || hard) {
    return (
      <p className="combine-readonly">
        Options combine by <strong>{hard ? 'weakest link (hard)' : COMBINE_LABEL[constraint.combine]}</strong>
      </p>
    );
  }
  return (
    <label
      className="combine-control"
      title="Weighted mean: a good option makes up for a poor one. Weakest link: the worst chosen option decides."
    >
      <span className="field-label">Options combine by</span>
      <select
        aria-label={`How options combine on ${constraint.name}`}
        value={constraint.combine}
        onChange={(event) =>
          void editor
            .apply([{ op: 'updateConstraint', constraintId: constraint.id, combine: event.target.value as Constraint['combine'] }])
            .then(setError)
        }
      >
        <option value="mean">weighted mean</option>
        <option value="weakest">weakest link</option>
      </select>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </label>
  );
}

interface Draft {
  expression: string;
  comparator: ConstraintQuantity['comparator'];
  threshold: string;
  unit: string;
  margin: string;
}

function toDraft(quantity: ConstraintQuantity | null): Draft {
  return quantity
    ? {
        expression: quantity.expression,
        comparator: quantity.comparator,
        threshold: String(quantity.threshold),
        unit: quantity.unit,
        margin: String(quantity.margin),
      }
    : { expression: '', comparator: 'atLeast', threshold: '', unit: '', margin: '' };
}

/** The draft as a quantity, or the sentence that says what is wrong with it. */
export function checkDraft(draft: Draft, attributes: readonly Attribute[]): { quantity: ConstraintQuantity } | { problem: string } {
  if (!draft.expression.trim()) return { problem: 'Write a formula over attribute keys, e.g. energy_wh / mass.' };
  if (!NUMBER.test(draft.threshold.trim())) return { problem: 'The threshold must be a number, e.g. 30.' };
  if (!NUMBER.test(draft.margin.trim()) || Number(draft.margin) <= 0) {
    return { problem: 'The margin must be a number above 0: how far past the threshold satisfaction reaches 1.' };
  }
  const quantity: ConstraintQuantity = {
    expression: draft.expression.trim(),
    comparator: draft.comparator,
    threshold: Number(draft.threshold),
    unit: draft.unit.trim(),
    margin: Number(draft.margin),
  };
  const problem = validateQuantity(quantity, attributes);
  return problem ? { problem: problem.charAt(0).toUpperCase() + problem.slice(1) } : { quantity };
}

/** "Scored from ratings | a formula", and the formula's fields with a live validation sentence. */
export function QuantityEditor({ constraint, attributes }: { constraint: Constraint; attributes: readonly Attribute[] }) {
  const editor = useSpecEditor();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => toDraft(constraint.quantity));
  const [error, setError] = useState<string | null>(null);
  const quantity = constraint.quantity;

  if (!editor.editable) {
    return quantity ? <p className="quantity-readonly">Computed: {describeQuantity(quantity)}</p> : null;
  }
  if (!open) {
    return (
      <div className="quantity-summary">
        {quantity ? (
          <span className="formula-text">Computed: {describeQuantity(quantity)}</span>
        ) : (
          <span className="muted">Scored from ratings.</span>
        )}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setDraft(toDraft(quantity));
            setError(null);
            setOpen(true);
          }}
        >
          {quantity ? 'Edit formula' : 'Compute from attributes…'}
        </button>
        {quantity && (
          <button
            type="button"
            className="link-button"
            onClick={() => void editor.apply([{ op: 'setConstraintQuantity', constraintId: constraint.id, quantity: null }]).then(setError)}
          >
            Score from ratings instead
          </button>
        )}
        {error && (
          <span role="alert" className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  }
  const checked = checkDraft(draft, attributes);
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  async function save() {
    if ('problem' in checked) return;
    const failure = await editor.apply([{ op: 'setConstraintQuantity', constraintId: constraint.id, quantity: checked.quantity }]);
    setError(failure);
    if (!failure) setOpen(false);
  }
  return (
    <form
      className="quantity-editor"
      aria-label={`Formula of ${constraint.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label className="quantity-expression">
        <span className="field-label">Formula</span>
        <input
          aria-label={`Formula of ${constraint.name}`}
          placeholder={
            attributes.length
              ? `e.g. ${attributes
                  .map((a) => a.key)
                  .slice(0, 2)
                  .join(' / ')}`
              : 'define attributes first'
          }
          value={draft.expression}
          spellCheck={false}
          aria-invalid={'problem' in checked && draft.expression.trim() ? true : undefined}
          onChange={(event) => set({ expression: event.target.value })}
        />
      </label>
      <label>
        <span className="field-label">Must be</span>
        <select
          aria-label={`Comparator of ${constraint.name}`}
          value={draft.comparator}
          onChange={(event) => set({ comparator: event.target.value as Draft['comparator'] })}
        >
          <option value="atLeast">at least (≥)</option>
          <option value="atMost">at most (≤)</option>
        </select>
      </label>
      <label>
        <span className="field-label">Threshold</span>
        <input
          aria-label={`Threshold of ${constraint.name}`}
          className="num-input"
          inputMode="decimal"
          value={draft.threshold}
          onChange={(event) => set({ threshold: event.target.value })}
        />
      </label>
      <label>
        <span className="field-label">Unit</span>
        <input
          aria-label={`Unit of ${constraint.name}`}
          className="unit-input"
          value={draft.unit}
          onChange={(event) => set({ unit: event.target.value })}
        />
      </label>
      <label>
        <span className="field-label">Margin</span>
        <input
          aria-label={`Margin of ${constraint.name}`}
          className="num-input"
          inputMode="decimal"
          value={draft.margin}
          onChange={(event) => set({ margin: event.target.value })}
        />
      </label>
      <p className={`quantity-check${'problem' in checked ? ' problem' : ' ok'}`} role="status">
        {'problem' in checked
          ? checked.problem
          : `Satisfied (0.5) at ${checked.quantity.threshold}${checked.quantity.unit ? ` ${checked.quantity.unit}` : ''}, fully (1) at ${
              checked.quantity.comparator === 'atLeast'
                ? checked.quantity.threshold + checked.quantity.margin
                : checked.quantity.threshold - checked.quantity.margin
            }${checked.quantity.unit ? ` ${checked.quantity.unit}` : ''}.`}
      </p>
      <div className="row-actions">
        <button type="submit" className="primary" disabled={'problem' in checked}>
          Save formula
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
