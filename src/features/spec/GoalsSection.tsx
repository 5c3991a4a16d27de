import { memo } from 'react';
import type { Goal } from '../../domain';
import { AddRow } from './AddRow';
import { CommitField, DiffMarker, OrderDiffNote, Flash, Section, useHighlight, useSpecDiff, useSpecEditor } from './editor';
import { requireName } from './validation';
import { LONG_LIST, VirtualList, type MeasureProps } from './VirtualList';

const requireGoal = requireName('goal');

export const GoalsSection = memo(function GoalsSection({ goals }: { goals: Goal[] }) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  // Every number is as wide as the longest ("5000."), so the fields line up past goal 9, 99 and 999.
  const numberWidth = `${String(goals.length).length + 1}ch`;
  return (
    <Section title="Goals" count={goals.length}>
      <OrderDiffNote order={diff?.goalOrder} />
      {goals.length === 0 && <p className="spec-empty">No goals yet. Goals say what the design must achieve.</p>}
      <VirtualList
        as="ol"
        className="spec-list goal-list"
        label={`Goals, ${goals.length.toLocaleString('en-US')}`}
        items={goals}
        getKey={(goal) => goal.id}
        estimateSize={36}
        gap={6}
        threshold={LONG_LIST}
        renderItem={(goal, index, measure) => (
          <GoalRow key={goal.id} goal={goal} index={index} last={index === goals.length - 1} numberWidth={numberWidth} measure={measure} />
        )}
      />
      {editor.editable && (
        <AddRow
          label="New goal"
          placeholder="New goal, e.g. Works fully offline"
          buttonLabel="Add goal"
          validate={(text) => (text.trim() ? null : 'Write the goal first; it must not be empty.')}
          ops={(text, id) => [{ op: 'addGoal', id, text }]}
        />
      )}
    </Section>
  );
});

/** One goal; rendered again only when the goal, its place or its highlight changes. */
const GoalRow = memo(function GoalRow({
  goal,
  index,
  last,
  numberWidth,
  measure,
}: {
  goal: Goal;
  index: number;
  last: boolean;
  numberWidth: string;
  measure: MeasureProps | undefined;
}) {
  const editor = useSpecEditor();
  const diff = useSpecDiff();
  const highlighted = useHighlight(goal.id) !== undefined;
  return (
    <li
      {...measure}
      className={`spec-item goal-item${diff?.byId.has(goal.id) ? ' differs' : ''}`}
      data-item-id={goal.id}
      data-highlighted={highlighted || undefined}
    >
      <Flash id={goal.id} />
      <span className="goal-number" style={{ minWidth: numberWidth }}>
        {index + 1}.
      </span>
      {editor.editable ? (
        <CommitField
          label={`Goal ${index + 1}`}
          hideLabel
          value={goal.text}
          validate={requireGoal}
          onCommit={(text) => editor.apply([{ op: 'updateGoal', goalId: goal.id, text }])}
        />
      ) : (
        <span className="goal-text">{goal.text}</span>
      )}
      <DiffMarker diff={diff?.byId.get(goal.id)} />
      {editor.editable && (
        <span className="item-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Move goal ${index + 1} up`}
            disabled={index === 0}
            onClick={() => void editor.apply([{ op: 'moveGoal', goalId: goal.id, toIndex: index - 1 }])}
          >
            ↑
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move goal ${index + 1} down`}
            disabled={last}
            onClick={() => void editor.apply([{ op: 'moveGoal', goalId: goal.id, toIndex: index + 1 }])}
          >
            ↓
          </button>
          <button
            type="button"
            className="icon-button danger-quiet"
            aria-label={`Remove goal ${index + 1}`}
            onClick={() => void editor.apply([{ op: 'removeGoal', goalId: goal.id }])}
          >
            ×
          </button>
        </span>
      )}
    </li>
  );
});
