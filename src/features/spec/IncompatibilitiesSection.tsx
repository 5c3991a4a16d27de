import { memo, useMemo, useState } from 'react';
import { type SpecContent, countExcludedDesigns, describeExclusion } from '../../domain';
import { DiffMarker, Flash, Section, useSpecDiff, useSpecEditor } from './editor';
import { useOptionGroups } from './RatingsMatrix';
import type { GridGroup } from './SpecGrid';

/** The cross-consistency list: pairs of options that cannot go together, and how many designs that excludes. */
export const IncompatibilitiesSection = memo(function IncompatibilitiesSection({
  designSpace,
}: {
  designSpace: SpecContent['designSpace'];
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const { dimensions, incompatibilities } = designSpace;
  // The dimensions' options by name, the same object while no name changes (a rating does not re-render the pickers).
  const catalogue = useOptionGroups(dimensions);
  const labels = useMemo(
    () => new Map(dimensions.flatMap((d) => d.options.map((o) => [o.id, `${d.name}: ${o.name}`] as const))),
    [dimensions],
  );
  // Counting walks the design space; with no pairs there is nothing to count (a 50-dimension space would pay for nothing).
  const count = useMemo(
    () => (incompatibilities.length ? countExcludedDesigns(designSpace) : null),
    [designSpace, incompatibilities.length],
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
                <DiffMarker diff={diff?.byId.get(pair.id)} />
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
      {editor.editable && <AddIncompatibility catalogue={catalogue} />}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </Section>
  );
});

function OptionSelect({
  catalogue,
  label,
  value,
  onChange,
  excludeDimensionOf,
}: {
  catalogue: readonly GridGroup[];
  label: string;
  value: string;
  onChange: (id: string) => void;
  excludeDimensionOf?: string;
}) {
  const excluded = catalogue.find((d) => d.rows.some((o) => o.id === excludeDimensionOf))?.id;
  // Hundreds of <option>s at P9 size: built once per catalogue, so typing a reason does not rebuild them.
  const choices = useMemo(
    () =>
      catalogue
        .filter((d) => d.id !== excluded && d.rows.length)
        .map((dimension) => (
          <optgroup key={dimension.id} label={dimension.name}>
            {dimension.rows.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </optgroup>
        )),
    [catalogue, excluded],
  );
  return (
    <select aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{label}…</option>
      {choices}
    </select>
  );
}

const AddIncompatibility = memo(function AddIncompatibility({ catalogue }: { catalogue: readonly GridGroup[] }) {
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
      <OptionSelect catalogue={catalogue} label="First option" value={first} onChange={(id) => (setFirst(id), setSecond(''))} />
      <OptionSelect catalogue={catalogue} label="Cannot go with" value={second} onChange={setSecond} excludeDimensionOf={first} />
      <input aria-label="Reason" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} />
      <button type="submit">Mark incompatible</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
});
