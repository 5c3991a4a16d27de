import { memo, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import {
  applySpecEdit,
  discardWhatIf,
  promoteWhatIf,
  resolveWhatIfConflict,
  SpecChangeRejectedError,
  type ChatSpecContext,
} from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import {
  newId,
  shortId,
  toSpecContent,
  type ChatSession,
  type ConflictResolution,
  type Resolution,
  type RunMode,
  type SpecContent,
  type WhatIfConflict,
  analyzeReadiness,
  type SpecOp,
  describeSpecDiff,
  diffSpecs,
  type SpecDiff,
} from '../../domain';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { AttributesSection, AttributeValuesMatrix } from './AttributesSection';
import { ConstraintsSection } from './ConstraintsSection';
import { IncompatibilitiesSection } from './IncompatibilitiesSection';
import { DesignSpaceSection } from './DesignSpaceSection';
import {
  createHighlightStore,
  HighlightContext,
  Section,
  SpecDiffContext,
  SpecEditorContext,
  useSpecEditor,
  type SpecEditor,
} from './editor';
import { GoalsSection } from './GoalsSection';
import { HistorySection } from './HistorySection';
import { useChatSpec, useChatTitles, useRecentHighlights } from './hooks';
import { RatingsMatrix } from './RatingsMatrix';
import './spec.css';
import { WorldModelSection } from './WorldModelSection';

const RESOLUTIONS: { value: Resolution; label: string }[] = [
  { value: 'coarse', label: 'Coarse' },
  { value: 'medium', label: 'Medium' },
  { value: 'fine', label: 'Fine' },
];
const MODES: { value: RunMode; label: string }[] = [
  { value: 'full_search', label: 'Full search' },
  { value: 'eval_only', label: 'Evaluate only' },
  { value: 'seeded', label: 'Seeded' },
];

/** Composed from src/app: extra tools shown above the ratings matrix (e.g. the model's "Suggest ratings"). */
export type RatingsSlot = (context: { chatId: string; spec: SpecContent; editable: boolean }) => ReactNode;

/** The Spec tab: the spec this chat sees, editable unless it is a run's snapshot. */
export function SpecPanel({ projectId, chat, ratingsSlot }: { projectId: string; chat: ChatSession; ratingsSlot?: RatingsSlot }) {
  const context = useChatSpec(chat.id);
  if (context === undefined) return <p className="muted pad">Loading the spec…</p>;
  if (context === null) return <p className="muted pad">This chat no longer exists.</p>;
  return <LoadedSpecPanel projectId={projectId} context={context} ratingsSlot={ratingsSlot} />;
}

function LoadedSpecPanel({ projectId, context, ratingsSlot }: { projectId: string; context: ChatSpecContext; ratingsSlot?: RatingsSlot }) {
  const { chat, base, world, effective, target, conflicts } = context;
  const chatTitles = useChatTitles(projectId);
  const highlights = useRecentHighlights(base.provenance, chat.id);
  const diff = useMemo(
    () => (target === 'whatif' && chat.specChanges.length ? diffSpecs(toSpecContent(base), effective) : null),
    [target, chat.specChanges.length, base, effective],
  );

  // The editor stays the same object across edits (its fields change only with the chat or its target);
  // the diff and the highlights, which change with edits, reach only the items that show them.
  const editable = target !== 'readonly';
  const chatId = chat.id;
  const editor: SpecEditor = useMemo(
    () => ({
      editable,
      newId,
      apply: async (ops: SpecOp[]) => {
        try {
          await applySpecEdit(chatId, { ops });
          return null;
        } catch (error) {
          return error instanceof SpecChangeRejectedError ? errorSentence(error) : `Not saved: ${errorSentence(error)}`;
        }
      },
    }),
    [editable, chatId],
  );
  const [highlightStore] = useState(() => createHighlightStore(highlights));
  useLayoutEffect(() => highlightStore.publish(highlights), [highlightStore, highlights]);

  const readiness = useMemo(() => analyzeReadiness(effective), [effective]);
  const { goals, constraints, designSpace, resolution, mode } = effective;

  return (
    <SpecEditorContext.Provider value={editor}>
      <SpecDiffContext.Provider value={diff}>
        <HighlightContext.Provider value={highlightStore}>
          <div className={`spec-panel spec-target-${target}`}>
            {target === 'whatif' && <WhatIfBar chatId={chat.id} diff={diff} conflicts={conflicts} />}
            {target === 'readonly' && (
              <p className="spec-banner readonly-banner">
                The spec run <code>{chat.runId ? shortId(chat.runId) : ''}</code> used — read-only. Open a what-if chat to try a change.
              </p>
            )}
            <Readiness readiness={readiness} />
            <GoalsSection goals={goals} />
            <ConstraintsSection constraints={constraints} attributes={designSpace.attributes} />
            <AttributesSection designSpace={designSpace} constraints={constraints} />
            <DesignSpaceSection dimensions={designSpace.dimensions} />
            <AttributeValuesMatrix designSpace={designSpace} />
            <IncompatibilitiesSection designSpace={designSpace} />
            {ratingsSlot?.({ chatId: chat.id, spec: effective, editable })}
            <RatingsMatrix constraints={constraints} dimensions={designSpace.dimensions} />
            <RunSettings resolution={resolution} mode={mode} diff={diff} />
            {target !== 'readonly' && (
              <WorldModelSection
                world={world}
                editable={target === 'project'}
                note={
                  target === 'whatif'
                    ? 'Shared by all chats; change it from a setup chat. What-if chats only vary the spec above.'
                    : undefined
                }
              />
            )}
            <HistorySection provenance={base.provenance} chatTitles={chatTitles} currentChatId={chat.id} />
          </div>
        </HighlightContext.Provider>
      </SpecDiffContext.Provider>
    </SpecEditorContext.Provider>
  );
}

const Readiness = memo(function Readiness({ readiness }: { readiness: ReturnType<typeof analyzeReadiness> }) {
  if (!readiness.issues.length) return <p className="spec-readiness ready">Ready for a run.</p>;
  return (
    <div className={`spec-readiness${readiness.ready ? ' weak' : ' blocked'}`} role="status">
      <strong>{readiness.ready ? 'A run is possible, but:' : 'Before a run is useful:'}</strong>
      <ul>
        {readiness.issues.map((issue) => (
          <li key={issue.code}>{issue.message}</li>
        ))}
      </ul>
    </div>
  );
});

const RunSettings = memo(function RunSettings({
  resolution,
  mode,
  diff,
}: {
  resolution: Resolution;
  mode: RunMode;
  diff: SpecDiff | null;
}) {
  const editor = useSpecEditor();
  const [error, setError] = useState<string | null>(null);
  return (
    <Section title="Run settings">
      <div className="run-settings">
        <label>
          <span className="field-label">Resolution</span>
          <select
            value={resolution}
            disabled={!editor.editable}
            onChange={(event) => void editor.apply([{ op: 'setResolution', resolution: event.target.value as Resolution }]).then(setError)}
          >
            {RESOLUTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {diff?.resolution && <span className="diff-marker diff-changed">was {diff.resolution.before}</span>}
        </label>
        <label>
          <span className="field-label">Default run mode</span>
          <select
            value={mode}
            disabled={!editor.editable}
            onChange={(event) => void editor.apply([{ op: 'setMode', mode: event.target.value as RunMode }]).then(setError)}
          >
            {MODES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {diff?.mode && <span className="diff-marker diff-changed">was {MODES.find((m) => m.value === diff.mode?.before)?.label}</span>}
        </label>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </Section>
  );
});

function WhatIfBar({ chatId, diff, conflicts }: { chatId: string; diff: SpecDiff | null; conflicts: WhatIfConflict[] }) {
  const [confirming, setConfirming] = useState<'apply' | 'discard' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lines = diff ? describeSpecDiff(diff) : [];
  async function run(action: () => Promise<unknown>) {
    setConfirming(null);
    try {
      await action();
      setError(null);
    } catch (failure) {
      setError(errorSentence(failure));
    }
  }
  const hasChanges = lines.length > 0 || conflicts.length > 0;
  return (
    <div className="spec-banner whatif-banner">
      <p>
        <strong>What-if spec.</strong>{' '}
        {lines.length
          ? `${lines.length} difference${lines.length === 1 ? '' : 's'} from the project spec, marked below. Everything else follows the project spec as it changes.`
          : 'Edits here stay in this chat; the project spec and other chats are not affected.'}
      </p>
      {conflicts.length > 0 && <ConflictList chatId={chatId} conflicts={conflicts} onError={setError} />}
      {hasChanges && (
        <div className="row-actions">
          <button
            type="button"
            className="primary"
            disabled={conflicts.length > 0 || lines.length === 0}
            aria-describedby={conflicts.length ? 'whatif-apply-blocked' : undefined}
            onClick={() => setConfirming('apply')}
          >
            Apply to project spec
          </button>
          <button type="button" onClick={() => setConfirming('discard')}>
            Discard
          </button>
          {conflicts.length > 0 && (
            <span id="whatif-apply-blocked" className="hint">
              Resolve the conflict{conflicts.length === 1 ? '' : 's'} first.
            </span>
          )}
        </div>
      )}
      {removedItems(diff).length > 0 && <p className="hint">Removed in this what-if: {removedItems(diff).join(', ')}</p>}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      {confirming === 'apply' && (
        <ConfirmDialog
          title="Apply to the project spec?"
          confirmLabel="Apply"
          onCancel={() => setConfirming(null)}
          onConfirm={() => void run(() => promoteWhatIf(chatId))}
        >
          <p>Only this what-if&apos;s own changes go into the project spec, for every chat; everything else there stays as it is:</p>
          <ul className="diff-lines">
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
      {confirming === 'discard' && (
        <ConfirmDialog
          title="Discard this what-if's changes?"
          confirmLabel="Discard"
          danger
          onCancel={() => setConfirming(null)}
          onConfirm={() => void run(() => discardWhatIf(chatId))}
        >
          <p>The chat will show the project spec again. These changes will be lost:</p>
          <ul className="diff-lines">
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Items the project spec changed after this what-if changed them: one decision each. */
function ConflictList({
  chatId,
  conflicts,
  onError,
}: {
  chatId: string;
  conflicts: WhatIfConflict[];
  onError: (message: string | null) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  async function resolve(key: string, resolution: ConflictResolution) {
    setBusy(key);
    try {
      await resolveWhatIfConflict(chatId, key, resolution);
      onError(null);
    } catch (failure) {
      onError(errorSentence(failure));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="whatif-conflicts" aria-label="Conflicts with the project spec">
      <p>
        <strong>
          {conflicts.length} conflict{conflicts.length === 1 ? '' : 's'} with the project spec.
        </strong>{' '}
        The project spec changed {conflicts.length === 1 ? 'an item' : 'items'} this what-if also changed. This what-if shows its own
        version until you choose.
      </p>
      <ul>
        {conflicts.map((conflict) => (
          <li key={conflict.key} className="whatif-conflict">
            <div>
              <span className="whatif-conflict-label">{conflict.label}</span>
              <ul className="whatif-conflict-details">
                {conflict.details.map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
              </ul>
            </div>
            <div className="row-actions">
              <button
                type="button"
                disabled={busy !== null || conflict.mine === undefined}
                title={conflict.mine === undefined ? 'This change no longer applies to the project spec' : undefined}
                aria-label={`Keep mine: ${conflict.label}`}
                onClick={() => void resolve(conflict.key, 'mine')}
              >
                Keep mine
              </button>
              <button
                type="button"
                disabled={busy !== null}
                aria-label={`Take base: ${conflict.label}`}
                onClick={() => void resolve(conflict.key, 'base')}
              >
                Take base
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function removedItems(diff: SpecDiff | null): string[] {
  return (diff?.items ?? []).filter((item) => item.status === 'removed').map((item) => `${item.kind} ${item.name}`);
}
