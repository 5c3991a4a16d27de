import { Fragment } from 'react';
import type { SpecContent } from '../../domain';
import { ratingKey } from '../../domain/specDiff';
import { CommitField, Flash, Section, useSpecEditor } from './editor';
import { parseRating, validateRating } from './validation';

/** Options are rows, constraints are columns; an empty cell is "not rated", and looks it. */
export function RatingsMatrix({ spec }: { spec: SpecContent }) {
  const editor = useSpecEditor();
  const options = spec.designSpace.dimensions.flatMap((d) => d.options);
  // Computed constraints take their score from a formula, so they have no ratings column.
  const constraints = spec.constraints.filter((c) => !c.quantity);
  const total = options.length * constraints.length;
  const rated = options.reduce((sum, o) => sum + constraints.filter((c) => o.ratings[c.id] !== undefined).length, 0);
  if (!options.length || !constraints.length) {
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
      actions={<span className="matrix-progress">{rated === total ? 'all rated' : `${rated} of ${total} rated`}</span>}
    >
      <p className="hint">How well each option serves each constraint, from 0 to 1. Empty cells are not rated yet.</p>
      <div className="matrix-scroll">
        <table className="ratings-matrix">
          <thead>
            <tr>
              <th scope="col">Option</th>
              {constraints.map((constraint) => (
                <th scope="col" key={constraint.id} title={constraint.description || undefined}>
                  {constraint.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.designSpace.dimensions.map((dimension) => (
              <Fragment key={dimension.id}>
                <tr className="matrix-group">
                  <th scope="rowgroup" colSpan={constraints.length + 1}>
                    {dimension.name}
                  </th>
                </tr>
                {dimension.options.map((option) => (
                  <tr key={option.id}>
                    <th scope="row">{option.name}</th>
                    {constraints.map((constraint) => {
                      const value = option.ratings[constraint.id];
                      const change = editor.diff?.ratings.get(ratingKey(option.id, constraint.id));
                      const label = `Rating of ${option.name} on ${constraint.name}`;
                      return (
                        <td
                          key={constraint.id}
                          className={`rating-cell${value === undefined ? ' unrated' : ''}${change ? ' changed' : ''}`}
                          data-highlighted={(editor.highlights.has(option.id) && editor.highlights.has(constraint.id)) || undefined}
                          title={change ? `project spec: ${change.before ?? 'not rated'}` : value === undefined ? 'Not rated' : undefined}
                        >
                          {editor.highlights.has(option.id) && editor.highlights.has(constraint.id) && <Flash id={option.id} />}
                          {editor.editable ? (
                            <CommitField
                              label={label}
                              hideLabel
                              compactError
                              inputMode="decimal"
                              placeholder="not rated"
                              value={value === undefined ? '' : String(value)}
                              validate={validateRating}
                              onCommit={(text) =>
                                editor.apply([
                                  {
                                    op: 'setRating',
                                    optionId: option.id,
                                    constraintId: constraint.id,
                                    rating: text.trim() ? parseRating(text) : null,
                                  },
                                ])
                              }
                            />
                          ) : (
                            <span aria-label={label}>{value ?? 'not rated'}</span>
                          )}
                          {change && <span className="cell-was">was {change.before ?? '—'}</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
