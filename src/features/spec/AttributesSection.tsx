import { useMemo, useState } from 'react';
import { ATTRIBUTE_KEY_PATTERN, type Attribute, type SpecContent, formulaMentionsKey, ratingKey } from '../../domain';
import { CommitField, DiffMarker, Flash, Section, useSpecEditor } from './editor';
import { optionGroups } from './RatingsMatrix';
import { SpecGrid, type GridColumn } from './SpecGrid';
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
export function AttributesSection({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const { attributes, costAttributeId } = spec.designSpace;
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
              <AttributeRow key={attribute.id} attribute={attribute} spec={spec} />
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
        {editor.diff?.costSource && <span className="diff-marker diff-changed">was {editor.diff.costSource.before}</span>}
      </label>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </Section>
  );
}

function AttributeRow({ attribute, spec }: { attribute: Attribute; spec: SpecContent }) {
  const editor = useSpecEditor();
  const others = spec.designSpace.attributes.filter((a) => a.id !== attribute.id);
  const [error, setError] = useState<string | null>(null);
  const update = (change: { name?: string; key?: string; unit?: string }) =>
    editor.apply([{ op: 'updateAttribute', attributeId: attribute.id, ...change }]);
  const usedBy = spec.constraints.filter((c) => c.quantity && formulaMentionsKey(c.quantity.expression, attribute.key));
  return (
    <tr className="option-row" data-item-id={attribute.id} data-highlighted={editor.highlights.has(attribute.id) || undefined}>
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
        <DiffMarker diff={editor.diff?.byId.get(attribute.id)} />
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

/** Options are rows, attributes columns; an empty cell is "no value" (it counts 0 in a sum). */
export function AttributeValuesMatrix({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const { attributes, dimensions } = spec.designSpace;
  const groups = useMemo(() => optionGroups(spec), [spec]);
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
        dataKey={spec}
        valueOf={(optionId, attributeId) => values.get(optionId)?.[attributeId]}
        changeOf={(optionId, attributeId) => {
          const change = editor.diff?.values.get(ratingKey(optionId, attributeId));
          return change ? { before: change.before ?? null } : undefined;
        }}
        cellLabel={(option, attribute) => `${attribute.name} of ${option.name}`}
        emptyText="no value"
        parse={parseValue}
        rule={VALUE_RULE}
        toOp={(optionId, attributeId, value) => ({ op: 'setAttributeValue', optionId, attributeId, value })}
      />
    </Section>
  );
}
