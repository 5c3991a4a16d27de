import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { PreparedImportSummary } from '../../domain';
import { formatBytes, type EntityCounts } from '../../domain';
import { IMPORT_ERROR_TITLES, describeProblem, importErrorHint, importErrorSentence, type ImportFailure } from '../../shared/errorText';
import { useLinks } from '../../shared/links';
import { closeImport, confirmImport, getImportState, subscribeImportState } from './importFlow';
import { TransferProgressBar } from './TransferProgressBar';
import { useAppNavigate } from '../../shared/navigation';

const COUNT_LABELS: [keyof EntityCounts, string][] = [
  ['chats', 'Chats'],
  ['messages', 'Messages'],
  ['runs', 'Runs'],
  ['candidates', 'Candidates'],
  ['scenarios', 'Scenarios'],
  ['evaluations', 'Evaluations'],
];

function CountsTable({ prepared }: { prepared: PreparedImportSummary }) {
  const several = prepared.projects.length > 1;
  return (
    <table className="import-counts">
      <thead>
        <tr>
          <th scope="col">{several ? 'Project' : 'Contents'}</th>
          {several ? (
            COUNT_LABELS.map(([key, label]) => (
              <th key={key} scope="col">
                {label}
              </th>
            ))
          ) : (
            <th scope="col">Count</th>
          )}
        </tr>
      </thead>
      <tbody>
        {several ? (
          <>
            {prepared.projects.map(({ preview }, index) => (
              <tr key={index}>
                <th scope="row">{preview.title}</th>
                {COUNT_LABELS.map(([key]) => (
                  <td key={key}>{preview.counts[key]}</td>
                ))}
              </tr>
            ))}
            <tr className="import-total">
              <th scope="row">Total ({prepared.totals.projects} projects)</th>
              {COUNT_LABELS.map(([key]) => (
                <td key={key}>{prepared.totals[key]}</td>
              ))}
            </tr>
          </>
        ) : (
          COUNT_LABELS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td data-testid={`import-count-${key}`}>{prepared.totals[key]}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function ErrorBody({ error }: { error: ImportFailure }) {
  const hint = importErrorHint(error);
  return (
    <div role="alert" className="import-error" data-error-code={error.code}>
      <p>{importErrorSentence(error)}</p>
      {error.code === 'invalid-records' && (
        <>
          <ul className="import-problems">
            {error.problems.slice(0, 10).map((problem, index) => (
              <li key={index}>{describeProblem(problem)}</li>
            ))}
          </ul>
          {error.totalProblems > 10 && <p className="muted">…and {error.totalProblems - 10} more.</p>}
        </>
      )}
      {hint && <p className="muted">{hint}</p>}
    </div>
  );
}

function describeSource(prepared: PreparedImportSummary): string {
  const { info } = prepared;
  const parts = [formatBytes(prepared.sizeBytes)];
  if (info.exportedAt !== null) parts.push(`exported ${new Date(info.exportedAt).toLocaleString()}`);
  if (info.appVersion) parts.push(info.appVersion === 'sample' ? 'bundled sample' : `Int Crucible ${info.appVersion}`);
  parts.push(`format version ${info.formatVersion}`);
  return parts.join(' · ');
}

/** The modal for every import, whichever way it started. Mount once, on the project list. */
export function ImportDialog() {
  const state = useSyncExternalStore(subscribeImportState, getImportState, getImportState);
  const ref = useRef<HTMLDialogElement>(null);
  const navigate = useAppNavigate();
  const links = useLinks();
  const open = state.phase !== 'idle' && !(state.phase === 'done' && state.imported.length === 1);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  useEffect(() => {
    // One project: open it, as if it had been created here.
    if (state.phase === 'done' && state.imported.length === 1) {
      const [only] = state.imported;
      closeImport();
      navigate(links.chat(only!.projectId, only!.chatId));
    }
  }, [state, navigate, links]);

  let title = '';
  let body: ReactNode = null;
  let actions: ReactNode = null;
  switch (state.phase) {
    case 'idle':
      break;
    case 'reading':
      title = `Reading “${state.fileName}”`;
      body = <TransferProgressBar progress={state.progress} label="Reading the file" />;
      actions = (
        <button type="button" onClick={closeImport}>
          Cancel
        </button>
      );
      break;
    case 'preview': {
      const { prepared } = state;
      const single = prepared.projects.length === 1 ? prepared.projects[0] : null;
      title = single ? `Import “${single.preview.title}”?` : `Import ${prepared.projects.length} projects from a backup?`;
      body = (
        <>
          <p className="muted import-source">
            {state.fileName} · {describeSource(prepared)}
          </p>
          <CountsTable prepared={prepared} />
          {prepared.warnings.length > 0 && (
            <div className="import-warnings">
              <h3>Before you import</h3>
              <ul>
                {prepared.warnings.map((warning, index) => (
                  <li key={index}>{warning}</li>
                ))}
              </ul>
            </div>
          )}
          <p className="hint">
            {single ? 'It is added as a new project' : 'They are added as new projects'} with fresh ids; your existing projects are not
            changed.
          </p>
        </>
      );
      actions = (
        <>
          <button type="button" onClick={closeImport}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void confirmImport()}>
            {single ? 'Import project' : `Import ${prepared.projects.length} projects`}
          </button>
        </>
      );
      break;
    }
    case 'writing':
      title = 'Importing…';
      body = <TransferProgressBar progress={state.progress} label="Saving the imported records" />;
      break;
    case 'error':
      title = IMPORT_ERROR_TITLES[state.error.code];
      body = (
        <>
          <p className="muted import-source">{state.fileName}</p>
          <ErrorBody error={state.error} />
        </>
      );
      actions = (
        <button type="button" className="primary" onClick={closeImport}>
          Close
        </button>
      );
      break;
    case 'done':
      title = `Imported ${state.imported.length} projects`;
      body = (
        <ul>
          {state.imported.map((project) => (
            <li key={project.projectId}>{project.title}</li>
          ))}
        </ul>
      );
      actions = (
        <button type="button" className="primary" onClick={closeImport}>
          Done
        </button>
      );
      break;
  }

  return (
    <dialog
      ref={ref}
      className="confirm-dialog import-dialog"
      aria-labelledby="import-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        closeImport();
      }}
    >
      {open && (
        <>
          <h2 id="import-dialog-title">{title}</h2>
          {body}
          {actions && <div className="dialog-actions">{actions}</div>}
        </>
      )}
    </dialog>
  );
}
