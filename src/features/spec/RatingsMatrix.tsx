import { memo, useMemo, useState } from 'react';
import { type Constraint, type Dimension, ratingKey } from '../../domain';
import { Section, useHighlights, useSpecDiff } from './editor';
import { SpecGrid, type GridColumn, type GridGroup, type GridRow } from './SpecGrid';
import { parseRating, RATING_RULE } from './validation';

function groupOf(dimension: Dimension): GridGroup {
  return {
    id: dimension.id,
    name: dimension.name,
    rows: dimension.options.map((option) => ({
      id: option.id,
      name: option.name,
      title: `${dimension.name} / ${option.name}${option.description ? `: ${option.description}` : ''}`,
    })),
  };
}

/** Options as rows by dimension; one column per constraint or attribute. */
export function optionGroups(dimensions: readonly Dimension[]): GridGroup[] {
  return dimensions.map(groupOf);
}

interface GroupsMemo {
  dimensions: readonly Dimension[];
  groups: GridGroup[];
  /** Each dimension's group with what it was built from (names and descriptions). */
  byId: ReadonlyMap<string, { key: string; group: GridGroup }>;
}

function buildGroups(dimensions: readonly Dimension[], previous: GroupsMemo | null): GroupsMemo {
  const byId = new Map<string, { key: string; group: GridGroup }>();
  const groups = dimensions.map((dimension) => {
    const key = JSON.stringify([dimension.name, dimension.options.map((o) => [o.id, o.name, o.description])]);
    const cached = previous?.byId.get(dimension.id);
    const entry = cached && cached.key === key ? cached : { key, group: groupOf(dimension) };
    byId.set(dimension.id, entry);
    return entry.group;
  });
  const same = previous !== null && groups.length === previous.groups.length && groups.every((group, i) => group === previous.groups[i]);
  return { dimensions, groups: same ? previous.groups : groups, byId };
}

/**
 * optionGroups, keeping each group (and its rows) while its dimension's names and descriptions stay the same,
 * and the array while every group stays: a rating changes its option's object, not the option's row in the grid.
 */
export function useOptionGroups(dimensions: readonly Dimension[]): GridGroup[] {
  const [memo, setMemo] = useState<GroupsMemo>(() => buildGroups(dimensions, null));
  if (memo.dimensions !== dimensions) {
    const next = buildGroups(dimensions, memo);
    setMemo(next);
    return next.groups;
  }
  return memo.groups;
}

const ratingLabel = (option: GridRow, constraint: GridColumn) => `Rating of ${option.name} on ${constraint.name}`;

/** Options are rows, constraints are columns; an empty cell is "not rated", and looks it. */
export const RatingsMatrix = memo(function RatingsMatrix({
  constraints,
  dimensions,
}: {
  constraints: Constraint[];
  dimensions: Dimension[];
}) {
  const diff = useSpecDiff();
  const highlights = useHighlights();
  const groups = useOptionGroups(dimensions);
  // Computed constraints take their score from a formula, so they have no ratings column.
  const rated = useMemo(() => constraints.filter((c) => !c.quantity), [constraints]);
  const columns: GridColumn[] = useMemo(() => rated.map((c) => ({ id: c.id, name: c.name, title: c.description || undefined })), [rated]);
  const ratings = useMemo(() => new Map(dimensions.flatMap((d) => d.options.map((o) => [o.id, o.ratings] as const))), [dimensions]);
  const options = groups.flatMap((g) => g.rows);
  const total = options.length * columns.length;
  let count = 0;
  for (const option of options) for (const column of columns) if (ratings.get(option.id)?.[column.id] !== undefined) count++;
  if (!options.length || !columns.length) {
    return (
      <Section title="Ratings">
        <p className="spec-empty">
          {constraints.length && options.length
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
        dataKey={dimensions}
        rowValues={(optionId) => ratings.get(optionId)}
        changeOf={(optionId, constraintId) => {
          const change = diff?.ratings.get(ratingKey(optionId, constraintId));
          return change ? { before: change.before ?? null } : undefined;
        }}
        highlighted={(optionId, constraintId) => highlights.has(optionId) && highlights.has(constraintId)}
        cellLabel={ratingLabel}
        emptyText="not rated"
        parse={parseRating}
        rule={RATING_RULE}
        toOp={(optionId, constraintId, rating) => ({ op: 'setRating', optionId, constraintId, rating })}
      />
    </Section>
  );
});
