import { useState } from 'react';
import type { Dimension } from '../../domain';
import { AddRow } from './AddRow';
import { CommitField, DiffMarker, Flash, Section, useSpecEditor } from './editor';
import { COST_RULE, parseCost, uniqueName, validateCost } from './validation';
import { VirtualList, type MeasureProps } from './VirtualList';

/** A dimension card holds its option rows, so fewer of them make a long list. */
const LONG_DIMENSIONS = 12;

export function DesignSpaceSection({ dimensions }: { dimensions: Dimension[] }) {
  const editor = useSpecEditor();
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
          <DimensionCard
            key={dimension.id}
            measure={measure}
            dimension={dimension}
            otherNames={dimensions.filter((d) => d.id !== dimension.id).map((d) => d.name)}
          />
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
}

function DimensionCard({
  dimension,
  otherNames,
  measure,
}: {
  dimension: Dimension;
  otherNames: string[];
  measure?: MeasureProps | undefined;
}) {
  const editor = useSpecEditor();
  return (
    <div
      {...measure}
      className={`spec-item dimension-card${editor.diff?.byId.has(dimension.id) ? ' differs' : ''}`}
      data-item-id={dimension.id}
      data-highlighted={editor.highlights.has(dimension.id) || undefined}
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
      <DiffMarker diff={editor.diff?.byId.get(dimension.id)} />
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
            {dimension.options.map((option) => {
              const others = dimension.options.filter((o) => o.id !== option.id).map((o) => o.name);
              const update = (change: { name?: string; description?: string; cost?: number }) =>
                editor.apply([{ op: 'updateOption', optionId: option.id, ...change }]);
              return (
                <tr
                  key={option.id}
                  className="option-row"
                  data-item-id={option.id}
                  data-highlighted={editor.highlights.has(option.id) || undefined}
                >
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
                    <DiffMarker diff={editor.diff?.byId.get(option.id)} />
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
            })}
          </tbody>
        </table>
      )}
      {editor.editable && <AddOption dimension={dimension} />}
    </div>
  );
}

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
