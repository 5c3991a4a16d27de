import { useMemo, useState } from 'react';
import { type SpecContent, countExcludedDesigns, describeExclusion } from '../../domain';
import { DiffMarker, Flash, Section, useSpecEditor } from './editor';

/** The cross-consistency list: pairs of options that cannot go together, and how many designs that excludes. */
export function IncompatibilitiesSection({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const { dimensions, incompatibilities } = spec.designSpace;
  const labels = useMemo(
    () => new Map(dimensions.flatMap((d) => d.options.map((o) => [o.id, `${d.name}: ${o.name}`] as const))),
    [dimensions],
  );
  // Counting walks the design space; with no pairs there is nothing to count (a 50-dimension space would pay for nothing).
  const count = useMemo(
    () => (incompatibilities.length ? countExcludedDesigns(spec.designSpace) : null),
    [spec.designSpace, incompatibilities.length],
  );
  const [error, setError] = useState<string | null>(null);
  if (dimensions.filter((d) => d.options.length).length < 2) return null;
  return (
    <Section
      title="Incompatible options"
      count={incompatibilities.length}
      actions={
        incompatibilities.length ? (
          <span className="matrix-progress" data-testid="excluded-designs">
            {count && describeExclusion(count)}
          </span>
        ) : undefined
      }
    >
      <p className="hint">
        Pairs of options (from different dimensions) that cannot go together. No run proposes a design that holds both.
      </p>
      {incompatibilities.length > 0 && (
        <ul className="spec-list incompatibility-list">
          {incompatibilities.map((pair) => {
            const [a, b] = pair.optionIds.map((id) => labels.get(id) ?? id) as [string, string];
            return (
              <li key={pair.id} className="spec-item incompatibility-item" data-item-id={pair.id}>
                <Flash id={pair.id} />
                <span className="pair">
                  <strong>{a}</strong> <span aria-hidden="true">×</span>
                  <span className="visually-hidden"> and </span> <strong>{b}</strong>
                </span>
                {pair.reason && <span className="reason">— {pair.reason}</span>}
                <DiffMarker diff={editor.diff?.byId.get(pair.id)} />
                {editor.editable && (
                  <button
                    type="button"
                    className="icon-button danger-quiet"
                    aria-label={`Make ${a} and ${b} compatible again`}
                    onClick={() => void editor.apply([{ op: 'removeIncompatibility', incompatibilityId: pair.id }]).then(setError)}
                  >
                    ×
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editor.editable && <AddIncompatibility spec={spec} />}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </Section>
  );
}

function OptionSelect({
  spec,
  label,
  value,
  onChange,
  excludeDimensionOf,
}: {
  spec: SpecContent;
  label: string;
  value: string;
  onChange: (id: string) => void;
  excludeDimensionOf?: string;
}) {
  const excluded = spec.designSpace.dimensions.find((d) => d.options.some((o) => o.id === excludeDimensionOf))?.id;
  return (
    <select aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{label}…</option>
      {spec.designSpace.dimensions
        .filter((d) => d.id !== excluded && d.options.length)
        .map((dimension) => (
          <optgroup key={dimension.id} label={dimension.name}>
            {dimension.options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </optgroup>
        ))}
    </select>
  );
}

function AddIncompatibility({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    if (!first || !second) {
      setError('Pick two options, from different dimensions.');
      return;
    }
    const failure = await editor.apply([{ op: 'addIncompatibility', id: editor.newId(), optionIds: [first, second], reason }]);
    setError(failure);
    if (!failure) {
      setFirst('');
      setSecond('');
      setReason('');
    }
  }
  return (
    <form
      className="spec-add-form"
      aria-label="Add incompatible pair"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <OptionSelect spec={spec} label="First option" value={first} onChange={(id) => (setFirst(id), setSecond(''))} />
      <OptionSelect spec={spec} label="Cannot go with" value={second} onChange={setSecond} excludeDimensionOf={first} />
      <input aria-label="Reason" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} />
      <button type="submit">Mark incompatible</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
