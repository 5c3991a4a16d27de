import type { Goal } from '../../domain';
import { AddRow } from './AddRow';
import { CommitField, DiffMarker, OrderDiffNote, Flash, Section, useSpecEditor } from './editor';
import { requireName } from './validation';
import { LONG_LIST, VirtualList } from './VirtualList';

export function GoalsSection({ goals }: { goals: Goal[] }) {
  const editor = useSpecEditor();
  return (
    <Section title="Goals" count={goals.length}>
      <OrderDiffNote order={editor.diff?.goalOrder} />
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
          <li
            key={goal.id}
            {...measure}
            className={`spec-item goal-item${editor.diff?.byId.has(goal.id) ? ' differs' : ''}`}
            data-item-id={goal.id}
            data-highlighted={editor.highlights.has(goal.id) || undefined}
          >
            <Flash id={goal.id} />
            <span className="goal-number">{index + 1}.</span>
            {editor.editable ? (
              <CommitField
                label={`Goal ${index + 1}`}
                hideLabel
                value={goal.text}
                validate={requireName('goal')}
                onCommit={(text) => editor.apply([{ op: 'updateGoal', goalId: goal.id, text }])}
              />
            ) : (
              <span className="goal-text">{goal.text}</span>
            )}
            <DiffMarker diff={editor.diff?.byId.get(goal.id)} />
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
                  disabled={index === goals.length - 1}
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
}
