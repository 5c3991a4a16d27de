import { memo, useState } from 'react';
import { HARD_WEIGHT, isHard, type Attribute, type Constraint } from '../../domain';
import { CommitField, DiffMarker, OrderDiffNote, Flash, Section, useHighlight, useSpecDiff, useSpecEditor } from './editor';
import { CombineControl, QuantityEditor } from './QuantityEditor';
import { parseWholeWeight, uniqueName, validateWeight, WEIGHT_RULE } from './validation';
import { VirtualList, type MeasureProps } from './VirtualList';

/** A constraint card is tall (weight, slider, formula), so a dozen already make a long list. */
const LONG_CONSTRAINTS = 12;

export const ConstraintsSection = memo(function ConstraintsSection({
  constraints,
  attributes,
}: {
  constraints: Constraint[];
  attributes: Attribute[];
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  return (
    <Section title="Constraints" count={constraints.length}>
      <OrderDiffNote order={diff?.constraintOrder} />
      {constraints.length === 0 && (
        <p className="spec-empty">No constraints yet. Constraints are what candidates are scored on; weight 100 makes one hard.</p>
      )}
      <VirtualList
        className="spec-list"
        label={`Constraints, ${constraints.length.toLocaleString('en-US')}`}
        items={constraints}
        getKey={(constraint) => constraint.id}
        estimateSize={150}
        gap={6}
        threshold={LONG_CONSTRAINTS}
        renderItem={(constraint, _index, measure) => (
          <ConstraintCard key={constraint.id} measure={measure} constraint={constraint} attributes={attributes} constraints={constraints} />
        )}
      />
      {editor.editable && <AddConstraint names={constraints.map((c) => c.name)} />}
    </Section>
  );
});

const ConstraintCard = memo(function ConstraintCard({
  constraint,
  constraints,
  attributes,
  measure,
}: {
  constraint: Constraint;
  /** All of them, for the names this one must not take. */
  constraints: Constraint[];
  attributes: Attribute[];
  measure?: MeasureProps | undefined;
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const highlighted = useHighlight(constraint.id) !== undefined;
  const others = constraints.filter((c) => c.id !== constraint.id).map((c) => c.name);
  const update = (change: { name?: string; description?: string; weight?: number }) =>
    editor.apply([{ op: 'updateConstraint', constraintId: constraint.id, ...change }]);
  return (
    <li
      {...measure}
      className={`spec-item constraint-card${diff?.byId.has(constraint.id) ? ' differs' : ''}`}
      data-item-id={constraint.id}
      data-highlighted={highlighted || undefined}
    >
      <Flash id={constraint.id} />
      <div className="constraint-head">
        {editor.editable ? (
          <CommitField
            className="grow"
            label="Constraint name"
            hideLabel
            value={constraint.name}
            validate={uniqueName('constraint', others)}
            onCommit={(name) => update({ name })}
          />
        ) : (
          <strong className="constraint-name">{constraint.name}</strong>
        )}
        {!editor.editable && isHard(constraint) && <span className="badge hard-badge">hard</span>}
        {editor.editable && (
          <button
            type="button"
            className="icon-button danger-quiet"
            aria-label={`Remove constraint ${constraint.name}`}
            onClick={() => void editor.apply([{ op: 'removeConstraint', constraintId: constraint.id }])}
          >
            ×
          </button>
        )}
      </div>
      <DiffMarker diff={diff?.byId.get(constraint.id)} />
      <WeightControl constraint={constraint} onCommit={(weight) => update({ weight })} />
      <CombineControl constraint={constraint} />
      <QuantityEditor key={JSON.stringify(constraint.quantity)} constraint={constraint} attributes={attributes} />
      {editor.editable ? (
        <CommitField
          label="Description"
          hideLabel
          placeholder="Description (optional)"
          value={constraint.description}
          onCommit={(description) => update({ description })}
        />
      ) : (
        constraint.description && <p className="constraint-description">{constraint.description}</p>
      )}
    </li>
  );
});

function WeightControl({ constraint, onCommit }: { constraint: Constraint; onCommit: (weight: number) => Promise<string | null> }) {
  const editor = useSpecEditor();
  const [sliding, setSliding] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = sliding ?? constraint.weight;
  // The slider saves when released, not on every step, so History gets one entry per change.
  async function release() {
    if (sliding === null) return;
    const value = sliding;
    setSliding(null);
    if (value !== constraint.weight) setError(await onCommit(value));
  }
  if (!editor.editable) {
    return (
      <p className="weight-readonly">
        weight <strong>{constraint.weight}</strong>
        {isHard(constraint) && ' (hard)'}
      </p>
    );
  }
  return (
    <div className="weight-control">
      <input
        type="range"
        min={0}
        max={HARD_WEIGHT}
        step={1}
        aria-label={`Weight of ${constraint.name} (slider)`}
        value={shown}
        onChange={(event) => setSliding(Number(event.target.value))}
        onPointerUp={() => void release()}
        onKeyUp={() => void release()}
        onBlur={() => void release()}
      />
      <CommitField
        className="weight-number"
        label={`Weight of ${constraint.name}`}
        hideLabel
        inputMode="numeric"
        value={String(constraint.weight)}
        validate={validateWeight}
        onCommit={(text) => onCommit(parseWholeWeight(text) ?? constraint.weight)}
      />
      <span className={`weight-label${shown >= HARD_WEIGHT ? ' is-hard' : ''}`}>{shown >= HARD_WEIGHT ? 'hard' : `${shown}/100`}</span>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function AddConstraint({ names }: { names: string[] }) {
  const editor = useSpecEditor();
  const [name, setName] = useState('');
  const [weight, setWeight] = useState('50');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    const problem = uniqueName('constraint', names)(name) ?? (validateWeight(weight) ? WEIGHT_RULE : null);
    if (problem) {
      setError(problem);
      return;
    }
    const failure = await editor.apply([
      { op: 'addConstraint', id: editor.newId(), name, description, weight: parseWholeWeight(weight) ?? 50 },
    ]);
    setError(failure);
    if (!failure) {
      setName('');
      setWeight('50');
      setDescription('');
    }
  }
  return (
    <form
      className="spec-add-form"
      aria-label="Add constraint"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <input
        aria-label="New constraint name"
        placeholder="New constraint, e.g. Offline-first"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <input
        aria-label="New constraint weight"
        className="weight-input"
        inputMode="numeric"
        value={weight}
        aria-invalid={error === WEIGHT_RULE || undefined}
        onChange={(event) => setWeight(event.target.value)}
      />
      <input
        aria-label="New constraint description"
        placeholder="Description (optional)"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <button type="submit">Add constraint</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
