interface Props {
  onReload: () => void;
  onDismiss: () => void;
}

/**
 * Shown when a new version has been downloaded. The new version only takes
 * over when the user chooses to reload, so nothing changes under them mid-work.
 */
export function UpdatePrompt({ onReload, onDismiss }: Props) {
  return (
    <div className="update-prompt" role="status" aria-live="polite">
      <span>
        <strong>Update available — reload</strong> to use the new version. Your data stays as it is.
      </span>
      <div className="row-actions">
        <button type="button" className="primary" onClick={onReload}>
          Reload
        </button>
        <button type="button" onClick={onDismiss}>
          Later
        </button>
      </div>
    </div>
  );
}
