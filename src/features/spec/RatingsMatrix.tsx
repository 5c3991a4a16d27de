import { useMemo } from 'react';
import { type SpecContent, ratingKey } from '../../domain';
import { Section, useSpecEditor } from './editor';
import { SpecGrid, type GridColumn, type GridGroup } from './SpecGrid';
import { parseRating, RATING_RULE } from './validation';

/** Options as rows by dimension; one column per constraint or attribute. */
export function optionGroups(spec: SpecContent): GridGroup[] {
  return spec.designSpace.dimensions.map((dimension) => ({
    id: dimension.id,
    name: dimension.name,
    rows: dimension.options.map((option) => ({
      id: option.id,
      name: option.name,
      title: `${dimension.name} / ${option.name}${option.description ? `: ${option.description}` : ''}`,
    })),
  }));
}

/** Options are rows, constraints are columns; an empty cell is "not rated", and looks it. */
export function RatingsMatrix({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const groups = useMemo(() => optionGroups(spec), [spec]);
  // Computed constraints take their score from a formula, so they have no ratings column.
  const rated = useMemo(() => spec.constraints.filter((c) => !c.quantity), [spec]);
  const columns: GridColumn[] = useMemo(() => rated.map((c) => ({ id: c.id, name: c.name, title: c.description || undefined })), [rated]);
  const ratings = useMemo(
    () => new Map(spec.designSpace.dimensions.flatMap((d) => d.options.map((o) => [o.id, o.ratings] as const))),
    [spec],
  );
  const options = groups.flatMap((g) => g.rows);
  const total = options.length * columns.length;
  let count = 0;
  for (const option of options) for (const column of columns) if (ratings.get(option.id)?.[column.id] !== undefined) count++;
  if (!options.length || !columns.length) {
    return (
      <Section title="Ratings">
        <p className="spec-empty">
          {spec.constraints.length && options.length
            ? 'Every constraint is computed from attributes, so there is nothing to rate.'
            : 'Ratings appear once there are constraints and options: how well (0–1) each option serves each constraint.'}
        </p>
      </Section>
    );
  }
  return (
    <Section
      title="Ratings"
      actions={<span className="matrix-progress">{count === total ? 'all rated' : `${count} of ${total} rated`}</span>}
    >
      <p className="hint">How well each option serves each constraint, from 0 to 1. Empty cells are not rated yet.</p>
      <SpecGrid
        label="Ratings"
        groups={groups}
        columns={columns}
        dataKey={spec}
        valueOf={(optionId, constraintId) => ratings.get(optionId)?.[constraintId]}
        changeOf={(optionId, constraintId) => {
          const change = editor.diff?.ratings.get(ratingKey(optionId, constraintId));
          return change ? { before: change.before ?? null } : undefined;
        }}
        highlighted={(optionId, constraintId) => editor.highlights.has(optionId) && editor.highlights.has(constraintId)}
        cellLabel={(option, constraint) => `Rating of ${option.name} on ${constraint.name}`}
        emptyText="not rated"
        parse={parseRating}
        rule={RATING_RULE}
        toOp={(optionId, constraintId, rating) => ({ op: 'setRating', optionId, constraintId, rating })}
      />
    </Section>
  );
}
