import {
  type NamedItem,
  type WorldModel,
  WORLD_SECTION_SINGULAR,
  WORLD_MODEL_SECTIONS,
  type WorldModelSection as SectionName,
} from '../../domain';
import { AddRow } from './AddRow';
import { CommitField, Flash, Section, useHighlights, useSpecEditor } from './editor';
import { uniqueName } from './validation';

const TITLES: Record<SectionName, string> = {
  actors: 'Actors',
  mechanisms: 'Mechanisms',
  resources: 'Resources',
  assumptions: 'Assumptions',
  simplifications: 'Simplifications',
};

/** The world model is shared by every chat; `editable` is false in what-if chats so they cannot leak into it. */
export function WorldModelSection({ world, editable, note }: { world: WorldModel; editable: boolean; note?: string }) {
  const total = WORLD_MODEL_SECTIONS.reduce((sum, section) => sum + world[section].length, 0);
  return (
    <Section title="World model" count={total}>
      {note && <p className="hint">{note}</p>}
      <div className="world-grid">
        {WORLD_MODEL_SECTIONS.map((section) => (
          <WorldList key={section} section={section} items={world[section]} editable={editable} />
        ))}
      </div>
    </Section>
  );
}

function WorldList({ section, items, editable }: { section: SectionName; items: NamedItem[]; editable: boolean }) {
  const editor = useSpecEditor();
  const highlights = useHighlights();
  const singular = WORLD_SECTION_SINGULAR[section];
  return (
    <div className="world-list">
      <h4>{TITLES[section]}</h4>
      {items.length === 0 && <p className="spec-empty small">none</p>}
      <ul className="spec-list">
        {items.map((item) => (
          <li key={item.id} className="spec-item world-item" data-item-id={item.id} data-highlighted={highlights.has(item.id) || undefined}>
            <Flash id={item.id} />
            {editable ? (
              <>
                <div className="constraint-head">
                  <CommitField
                    className="grow"
                    label={`${singular} name`}
                    hideLabel
                    value={item.name}
                    validate={uniqueName(
                      singular,
                      items.filter((i) => i.id !== item.id).map((i) => i.name),
                    )}
                    onCommit={(next) => editor.apply([{ op: 'updateWorldItem', section, itemId: item.id, name: next }])}
                  />
                  <button
                    type="button"
                    className="icon-button danger-quiet"
                    aria-label={`Remove ${singular} ${item.name}`}
                    onClick={() => void editor.apply([{ op: 'removeWorldItem', section, itemId: item.id }])}
                  >
                    ×
                  </button>
                </div>
                <CommitField
                  label={`Description of ${item.name}`}
                  hideLabel
                  placeholder="Description (optional)"
                  value={item.description}
                  onCommit={(description) => editor.apply([{ op: 'updateWorldItem', section, itemId: item.id, description }])}
                />
              </>
            ) : (
              <p className="world-readonly">
                <strong>{item.name}</strong>
                {item.description && <span className="muted"> — {item.description}</span>}
              </p>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <AddRow
          label={`New ${singular}`}
          placeholder={`New ${singular}`}
          buttonLabel="Add"
          validate={uniqueName(
            singular,
            items.map((i) => i.name),
          )}
          ops={(name, id) => [{ op: 'addWorldItem', section, id, name, description: '' }]}
        />
      )}
    </div>
  );
}
