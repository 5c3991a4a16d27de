import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type KeyboardEvent } from 'react';
import { changeRunTags, listRunTags, updateRunLabels } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { RUN_NAME_MAX, RUN_NOTES_MAX, RUN_TAG_MAX, RunLabelError, tagKey, type Run, type RunLabelEdit } from '../../domain';

/**
 * The run's name, tags and notes, edited where they are shown. Each field
 * saves on its own (Enter or leaving the field; notes also on Ctrl+Enter) as
 * one write; Escape puts the stored value back. A refused edit keeps the
 * draft and says why in a sentence.
 */
export function RunLabelsEditor({ run }: { run: Run }) {
  const ids = useId();
  const projectTags = useLiveQuery(() => listRunTags(run.projectId), [run.projectId]);
  const [nameDraft, setNameDraft] = useState<string | null>(null);
  const [notesDraft, setNotesDraft] = useState<string | null>(null);
  const [tagDraft, setTagDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function save(write: () => Promise<unknown>, what: string): Promise<boolean> {
    setError(null);
    try {
      await write();
      setSaved(`${what} saved.`);
      return true;
    } catch (failure) {
      setSaved(null);
      setError(failure instanceof RunLabelError ? errorSentence(failure) : `${what} not saved: ${errorSentence(failure)}`);
      return false;
    }
  }

  const saveLabels = (edit: RunLabelEdit, what: string) => save(() => updateRunLabels(run.id, edit), what);

  async function commitName() {
    if (nameDraft === null) return;
    if (nameDraft.trim() === run.name) return setNameDraft(null);
    if (await saveLabels({ name: nameDraft }, 'Name')) setNameDraft(null);
  }

  async function commitNotes() {
    if (notesDraft === null) return;
    if (notesDraft === run.notes) return setNotesDraft(null);
    if (await saveLabels({ notes: notesDraft }, 'Notes')) setNotesDraft(null);
  }

  async function addTags(text: string) {
    const added = text
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    if (!added.length) return;
    // The field clears at once so the next tag can be typed while this one saves; a refusal puts the text back.
    setTagDraft('');
    if (!(await save(() => changeRunTags(run.id, { add: added }), 'Tags'))) setTagDraft((draft) => draft || text);
  }

  const removeTag = (tag: string) => void save(() => changeRunTags(run.id, { remove: [tag] }), 'Tags');

  function onNameKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void commitName();
    } else if (event.key === 'Escape' && nameDraft !== null) {
      event.preventDefault();
      setNameDraft(null);
      setError(null);
    }
  }

  function onTagKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      void addTags(tagDraft);
    } else if (event.key === 'Backspace' && tagDraft === '' && run.tags.length) {
      // As in every chip input: Backspace in the empty field takes the last chip off.
      event.preventDefault();
      removeTag(run.tags.at(-1)!);
    } else if (event.key === 'Escape' && tagDraft) {
      event.preventDefault();
      setTagDraft('');
    }
  }

  function onNotesKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void commitNotes();
    } else if (event.key === 'Escape' && notesDraft !== null) {
      event.preventDefault();
      setNotesDraft(null);
      setError(null);
    }
  }

  const suggestions = (projectTags ?? []).filter(({ tag }) => !run.tags.some((own) => tagKey(own) === tagKey(tag)));

  return (
    <div className="run-labels" role="group" aria-label="Name, tags and notes">
      <label className="run-label-field">
        <span>Name</span>
        <input
          type="text"
          aria-label="Run name"
          placeholder="Name this run"
          value={nameDraft ?? run.name}
          maxLength={RUN_NAME_MAX * 2}
          onChange={(event) => setNameDraft(event.target.value)}
          onKeyDown={onNameKey}
          onBlur={() => void commitName()}
        />
      </label>
      <div className="run-label-field">
        <span id={`${ids}-tags`}>Tags</span>
        <div className="tag-editor">
          <ul className="tag-chips" aria-labelledby={`${ids}-tags`}>
            {run.tags.map((tag) => (
              <li key={tag} className="tag-chip">
                <span>{tag}</span>
                <button type="button" className="chip-remove" aria-label={`Remove tag ${tag}`} onClick={() => removeTag(tag)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <input
            type="text"
            aria-label="Add a tag"
            placeholder={run.tags.length ? 'Add tag' : 'Add a tag (Enter)'}
            list={`${ids}-known-tags`}
            value={tagDraft}
            maxLength={RUN_TAG_MAX * 2}
            onChange={(event) => setTagDraft(event.target.value)}
            onKeyDown={onTagKey}
            onBlur={() => void addTags(tagDraft)}
          />
          <datalist id={`${ids}-known-tags`}>
            {suggestions.map(({ tag, count }) => (
              <option key={tag} value={tag}>{`${count} run${count === 1 ? '' : 's'}`}</option>
            ))}
          </datalist>
        </div>
      </div>
      <label className="run-label-field run-label-notes">
        <span>Notes</span>
        <textarea
          aria-label="Notes"
          placeholder="What this run is for, what you learned (saved when you leave the field, or Ctrl+Enter)"
          rows={3}
          value={notesDraft ?? run.notes}
          maxLength={RUN_NOTES_MAX * 2}
          onChange={(event) => setNotesDraft(event.target.value)}
          onKeyDown={onNotesKey}
          onBlur={() => void commitNotes()}
        />
      </label>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : (
        <p role="status" className="hint run-labels-status">
          {saved ?? ''}
        </p>
      )}
    </div>
  );
}
