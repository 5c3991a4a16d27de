import { memo, useMemo, useState } from 'react';
import type { DesignOption, Dimension } from '../../domain';
import { AddRow } from './AddRow';
import { CommitField, DiffMarker, Flash, Section, useHighlight, useSpecDiff, useSpecEditor } from './editor';
import { COST_RULE, parseCost, uniqueName, validateCost } from './validation';
import { VirtualList, type MeasureProps } from './VirtualList';

/** A dimension card holds its option rows, so fewer of them make a long list. */
const LONG_DIMENSIONS = 12;

export const DesignSpaceSection = memo(function DesignSpaceSection({ dimensions }: { dimensions: Dimension[] }) {
  const editor = useSpecEditor();
  // The same array while the names stay the same, so a change inside one dimension re-renders that card only.
  const names = useStableList(dimensions.map((d) => d.name));
  return (
    <Section title="Design space" count={dimensions.length}>
      {dimensions.length === 0 && (
        <p className="spec-empty">No dimensions yet. A dimension is one decision (e.g. Storage) with options to choose from.</p>
      )}
      <VirtualList
        as="div"
        className="dimension-list"
        label={`Dimensions, ${dimensions.length.toLocaleString('en-US')}`}
        items={dimensions}
        getKey={(dimension) => dimension.id}
        estimateSize={260}
        gap={8}
        threshold={LONG_DIMENSIONS}
        renderItem={(dimension, _index, measure) => (
          <DimensionCard key={dimension.id} measure={measure} dimension={dimension} index={_index} names={names} />
        )}
      />
      {editor.editable && (
        <AddRow
          label="New dimension"
          placeholder="New dimension, e.g. Storage"
          buttonLabel="Add dimension"
          validate={uniqueName(
            'dimension',
            dimensions.map((d) => d.name),
          )}
          ops={(name, id) => [{ op: 'addDimension', id, name, description: '' }]}
        />
      )}
    </Section>
  );
});

/** Keeps the previous array while the new one holds the same strings in the same order. */
function useStableList(list: string[]): string[] {
  const key = JSON.stringify(list);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the list's content
  return useMemo(() => list, [key]);
}

const DimensionCard = memo(function DimensionCard({
  dimension,
  index,
  names,
  measure,
}: {
  dimension: Dimension;
  index: number;
  /** Every dimension's name, in order (this one's is at index). */
  names: string[];
  measure?: MeasureProps | undefined;
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const highlighted = useHighlight(dimension.id) !== undefined;
  const otherNames = names.filter((_, at) => at !== index);
  const optionNames = useStableList(dimension.options.map((o) => o.name));
  return (
    <div
      {...measure}
      className={`spec-item dimension-card${diff?.byId.has(dimension.id) ? ' differs' : ''}`}
      data-item-id={dimension.id}
      data-highlighted={highlighted || undefined}
    >
      <Flash id={dimension.id} />
      <div className="constraint-head">
        {editor.editable ? (
          <CommitField
            className="grow dimension-name"
            label="Dimension name"
            hideLabel
            value={dimension.name}
            validate={uniqueName('dimension', otherNames)}
            onCommit={(name) => editor.apply([{ op: 'updateDimension', dimensionId: dimension.id, name }])}
          />
        ) : (
          <strong>{dimension.name}</strong>
        )}
        {editor.editable && (
          <button
            type="button"
            className="icon-button danger-quiet"
            aria-label={`Remove dimension ${dimension.name}`}
            onClick={() => void editor.apply([{ op: 'removeDimension', dimensionId: dimension.id }])}
          >
            ×
          </button>
        )}
      </div>
      <DiffMarker diff={diff?.byId.get(dimension.id)} />
      {editor.editable ? (
        <CommitField
          label={`Description of ${dimension.name}`}
          hideLabel
          placeholder="Description (optional)"
          value={dimension.description}
          onCommit={(description) => editor.apply([{ op: 'updateDimension', dimensionId: dimension.id, description }])}
        />
      ) : (
        dimension.description && <p className="constraint-description">{dimension.description}</p>
      )}
      {dimension.options.length === 0 ? (
        <p className="spec-empty">No options yet: a run needs at least one per dimension.</p>
      ) : (
        <table className="options-table">
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Cost
              </th>
              {editor.editable && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {dimension.options.map((option, at) => (
              <OptionRow key={option.id} option={option} index={at} names={optionNames} />
            ))}
          </tbody>
        </table>
      )}
      {editor.editable && <AddOption dimension={dimension} />}
    </div>
  );
});

const OptionRow = memo(function OptionRow({ option, index, names }: { option: DesignOption; index: number; names: string[] }) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const highlighted = useHighlight(option.id) !== undefined;
  const others = names.filter((_, at) => at !== index);
  const update = (change: { name?: string; description?: string; cost?: number }) =>
    editor.apply([{ op: 'updateOption', optionId: option.id, ...change }]);
  return (
    <tr className="option-row" data-item-id={option.id} data-highlighted={highlighted || undefined}>
      <td className="flash-host">
        <Flash id={option.id} />
        {editor.editable ? (
          <CommitField
            label="Option name"
            hideLabel
            value={option.name}
            validate={uniqueName('option', others)}
            onCommit={(name) => update({ name })}
          />
        ) : (
          option.name
        )}
        <DiffMarker diff={diff?.byId.get(option.id)} />
      </td>
      <td>
        {editor.editable ? (
          <CommitField
            label={`Description of ${option.name}`}
            hideLabel
            placeholder="—"
            value={option.description}
            onCommit={(description) => update({ description })}
          />
        ) : (
          option.description
        )}
      </td>
      <td className="num">
        {editor.editable ? (
          <CommitField
            className="cost-field"
            label={`Cost of ${option.name}`}
            hideLabel
            inputMode="decimal"
            value={String(option.cost)}
            validate={validateCost}
            onCommit={(text) => update({ cost: parseCost(text) ?? option.cost })}
          />
        ) : (
          option.cost
        )}
      </td>
      {editor.editable && (
        <td>
          <button
            type="button"
            className="icon-button danger-quiet"
            aria-label={`Remove option ${option.name}`}
            onClick={() => void editor.apply([{ op: 'removeOption', optionId: option.id }])}
          >
            ×
          </button>
        </td>
      )}
    </tr>
  );
});

function AddOption({ dimension }: { dimension: Dimension }) {
  const editor = useSpecEditor();
  const [name, setName] = useState('');
  const [cost, setCost] = useState('1');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    const problem =
      uniqueName(
        'option',
        dimension.options.map((o) => o.name),
      )(name) ?? validateCost(cost);
    if (problem) {
      setError(problem);
      return;
    }
    const failure = await editor.apply([
      { op: 'addOption', dimensionId: dimension.id, id: editor.newId(), name, description: '', cost: parseCost(cost) ?? 1 },
    ]);
    setError(failure);
    if (!failure) {
      setName('');
      setCost('1');
    }
  }
  return (
    <form
      className="spec-add-row"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <input
        aria-label={`New option for ${dimension.name}`}
        placeholder="New option"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <input
        aria-label={`Cost of the new ${dimension.name} option`}
        className="cost-input"
        inputMode="decimal"
        value={cost}
        aria-invalid={error === COST_RULE || undefined}
        onChange={(event) => setCost(event.target.value)}
      />
      <button type="submit">Add option</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
