import { useState } from 'react';
import type { SpecOp } from '../../domain';
import { useSpecEditor } from './editor';

interface Props {
  label: string;
  placeholder: string;
  buttonLabel: string;
  /** The rule the text must meet; returns the message to show, or null. */
  validate: (text: string) => string | null;
  /** The ops that add the item under a fresh id. */
  ops: (text: string, id: string) => SpecOp[];
}

/** One text field that adds an item through a validated delta; invalid text is never saved. */
export function AddRow({ label, placeholder, buttonLabel, validate, ops }: Props) {
  const editor = useSpecEditor();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    const problem = validate(text);
    if (problem) {
      setError(problem);
      return;
    }
    const failure = await editor.apply(ops(text, editor.newId()));
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
      <input aria-label={label} placeholder={placeholder} value={text} onChange={(event) => setText(event.target.value)} />
      <button type="submit">{buttonLabel}</button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
