import { memo, useMemo, useState } from 'react';
import { ATTRIBUTE_KEY_PATTERN, type Attribute, type Constraint, type SpecContent, formulaMentionsKey, ratingKey } from '../../domain';
import { CommitField, DiffMarker, Flash, Section, useHighlight, useSpecDiff, useSpecEditor } from './editor';
import { useOptionGroups } from './RatingsMatrix';
import { SpecGrid, type GridColumn, type GridRow } from './SpecGrid';
import { uniqueName } from './validation';

const KEY_RULE = 'A key starts with a letter or _ and holds only letters, digits and _ (e.g. energy_wh); formulas use it.';
const VALUE_RULE = 'A value is a number, e.g. 0.8 or -3 (leave empty for "no value").';

function suggestKey(name: string, taken: readonly string[]): string {
  let key =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'value';
  if (/^\d/.test(key)) key = `_${key}`;
  const base = key;
  for (let n = 2; taken.includes(key); n++) key = `${base}_${n}`;
  return key;
}

function parseValue(text: string): number | null {
  const trimmed = text.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : null;
}

/** Attributes (name, formula key, unit) and where R (cost) comes from. */
export const AttributesSection = memo(function AttributesSection({
  designSpace,
  constraints,
}: {
  designSpace: SpecContent['designSpace'];
  constraints: Constraint[];
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const { attributes, costAttributeId } = designSpace;
  const [error, setError] = useState<string | null>(null);
  return (
    <Section title="Attributes" count={attributes.length}>
      <p className="hint">
        Numbers options carry (mass, energy, price). Computed constraints use them by key; R can come from one of them.
      </p>
      {attributes.length > 0 && (
        <table className="options-table attributes-table">
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Key (in formulas)</th>
              <th scope="col">Unit</th>
              {editor.editable && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {attributes.map((attribute) => (
              <AttributeRow key={attribute.id} attribute={attribute} attributes={attributes} constraints={constraints} />
            ))}
          </tbody>
        </table>
      )}
      {editor.editable && <AddAttribute attributes={attributes} />}
      <label className="cost-source">
        <span className="field-label">Cost (R) comes from</span>
        <select
          aria-label="Cost (R) comes from"
          value={costAttributeId ?? ''}
          disabled={!editor.editable}
          onChange={(event) => void editor.apply([{ op: 'setCostAttribute', attributeId: event.target.value || null }]).then(setError)}
        >
          <option value="">each option’s cost (summed)</option>
          {attributes.map((attribute) => (
            <option key={attribute.id} value={attribute.id}>
              {attribute.name} (summed{attribute.unit ? `, ${attribute.unit}` : ''})
            </option>
          ))}
        </select>
        {diff?.costSource && <span className="diff-marker diff-changed">was {diff.costSource.before}</span>}
      </label>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </Section>
  );
});

function AttributeRow({
  attribute,
  attributes,
  constraints,
}: {
  attribute: Attribute;
  attributes: Attribute[];
  constraints: Constraint[];
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const highlighted = useHighlight(attribute.id) !== undefined;
  const others = attributes.filter((a) => a.id !== attribute.id);
  const [error, setError] = useState<string | null>(null);
  const update = (change: { name?: string; key?: string; unit?: string }) =>
    editor.apply([{ op: 'updateAttribute', attributeId: attribute.id, ...change }]);
  const usedBy = constraints.filter((c) => c.quantity && formulaMentionsKey(c.quantity.expression, attribute.key));
  return (
    <tr className="option-row" data-item-id={attribute.id} data-highlighted={highlighted || undefined}>
      <td className="flash-host">
        <Flash id={attribute.id} />
        {editor.editable ? (
          <CommitField
            label="Attribute name"
            hideLabel
            value={attribute.name}
            validate={uniqueName(
              'attribute',
              others.map((a) => a.name),
            )}
            onCommit={(name) => update({ name })}
          />
        ) : (
          attribute.name
        )}
        <DiffMarker diff={diff?.byId.get(attribute.id)} />
      </td>
      <td>
        {editor.editable ? (
          <CommitField
            label={`Key of ${attribute.name}`}
            hideLabel
            value={attribute.key}
            validate={(text) => (ATTRIBUTE_KEY_PATTERN.test(text.trim()) ? null : KEY_RULE)}
            onCommit={(key) => update({ key })}
          />
        ) : (
          <code>{attribute.key}</code>
        )}
      </td>
      <td>
        {editor.editable ? (
          <CommitField
            label={`Unit of ${attribute.name}`}
            hideLabel
            placeholder="none"
            value={attribute.unit}
            onCommit={(unit) => update({ unit })}
          />
        ) : (
          attribute.unit
        )}
      </td>
      {editor.editable && (
        <td>
          <button
            type="button"
            className="icon-button danger-quiet"
            aria-label={`Remove attribute ${attribute.name}`}
            title={usedBy.length ? `Used by ${usedBy.map((c) => c.name).join(', ')}` : undefined}
            onClick={() => void editor.apply([{ op: 'removeAttribute', attributeId: attribute.id }]).then(setError)}
          >
            ×
          </button>
          {error && (
            <span role="alert" className="field-error">
              {error}
            </span>
          )}
        </td>
      )}
    </tr>
  );
}

function AddAttribute({ attributes }: { attributes: readonly Attribute[] }) {
  const editor = useSpecEditor();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [unit, setUnit] = useState('');
  const [error, setError] = useState<string | null>(null);
  const suggested = suggestKey(
    name,
    attributes.map((a) => a.key),
  );
  async function add() {
    const chosenKey = key.trim() || suggested;
    const problem =
      uniqueName(
        'attribute',
        attributes.map((a) => a.name),
      )(name) ?? (ATTRIBUTE_KEY_PATTERN.test(chosenKey) ? null : KEY_RULE);
    if (problem) {
      setError(problem);
      return;
    }
    const failure = await editor.apply([{ op: 'addAttribute', id: editor.newId(), key: chosenKey, name, unit }]);
    setError(failure);
    if (!failure) {
      setName('');
      setKey('');
      setUnit('');
    }
  }
  return (
    <form
      className="spec-add-form"
      aria-label="Add attribute"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <input
        aria-label="New attribute name"
        placeholder="New attribute, e.g. Mass"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <input
        aria-label="New attribute key"
        className="key-input"
        placeholder={name ? suggested : 'key'}
        value={key}
        onChange={(event) => setKey(event.target.value)}
      />
      <input
        aria-label="New attribute unit"
        className="unit-input"
        placeholder="unit"
        value={unit}
        onChange={(event) => setUnit(event.target.value)}
      />
      <button type="submit">Add attribute</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}

const valueLabel = (option: GridRow, attribute: GridColumn) => `${attribute.name} of ${option.name}`;

/** Options are rows, attributes columns; an empty cell is "no value" (it counts 0 in a sum). */
export const AttributeValuesMatrix = memo(function AttributeValuesMatrix({ designSpace }: { designSpace: SpecContent['designSpace'] }) {
  const diff = useSpecDiff();
  const { attributes, dimensions } = designSpace;
  const groups = useOptionGroups(dimensions);
  const columns: GridColumn[] = useMemo(() => attributes.map((a) => ({ id: a.id, name: a.name, unit: a.unit || undefined })), [attributes]);
  const values = useMemo(() => new Map(dimensions.flatMap((d) => d.options.map((o) => [o.id, o.attributes] as const))), [dimensions]);
  if (!attributes.length || !dimensions.some((d) => d.options.length)) return null;
  return (
    <Section title="Attribute values">
      <p className="hint">
        Each option’s value per attribute. Empty means no value: it counts 0 in a sum and is skipped by min, max and mean.
      </p>
      <SpecGrid
        label="Attribute values"
        groups={groups}
        columns={columns}
        dataKey={designSpace}
        rowValues={(optionId) => values.get(optionId)}
        changeOf={(optionId, attributeId) => {
          const change = diff?.values.get(ratingKey(optionId, attributeId));
          return change ? { before: change.before ?? null } : undefined;
        }}
        cellLabel={valueLabel}
        emptyText="no value"
        parse={parseValue}
        rule={VALUE_RULE}
        toOp={(optionId, attributeId, value) => ({ op: 'setAttributeValue', optionId, attributeId, value })}
      />
    </Section>
  );
});
