import { useState } from 'react';
import type { Goal } from '../../domain';
import { CommitField, DiffMarker, Flash, Section, useSpecEditor } from './editor';
import { requireName } from './validation';

export function GoalsSection({ goals }: { goals: Goal[] }) {
  const editor = useSpecEditor();
  return (
    <Section title="Goals" count={goals.length}>
      {goals.length === 0 && <p className="spec-empty">No goals yet. Goals say what the design must achieve.</p>}
      <ol className="spec-list goal-list">
        {goals.map((goal, index) => (
          <li key={goal.id} className={`spec-item goal-item${editor.diff?.byId.has(goal.id) ? ' differs' : ''}`} data-item-id={goal.id} data-highlighted={editor.highlights.has(goal.id) || undefined}>
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
        ))}
      </ol>
      {editor.editable && <AddGoal />}
    </Section>
  );
}

function AddGoal() {
  const editor = useSpecEditor();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    if (!text.trim()) {
      setError('Write the goal first; it must not be empty.');
      return;
    }
    const failure = await editor.apply([{ op: 'addGoal', id: editor.newId(), text }]);
    setError(failure);
    if (!failure) setText('');
  }
  return (
    <form
      className="spec-add-row"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <input aria-label="New goal" placeholder="New goal, e.g. Works fully offline" value={text} onChange={(event) => setText(event.target.value)} />
      <button type="submit">Add goal</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
