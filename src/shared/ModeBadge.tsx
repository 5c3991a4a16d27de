import { CHAT_MODE_LABELS, type ChatMode } from '../domain';

// Inline SVG rather than glyphs: symbol characters are missing from many system fonts.
const MODE_ICON_PATHS: Record<ChatMode, string> = {
  setup: 'M3 4h10M3 8h10M3 12h10M6 2.5v3M10 6.5v3M5 10.5v3',
  analysis: 'M3 13V9M7 13V5M11 13V7M2 13.5h12',
  whatif: 'M5 2.5v11M5 9c0-3 6-2 6-5.5M11 3.5v0M5 13.5v0',
};

export function ModeIcon({ mode }: { mode: ChatMode }) {
  return (
    <svg
      className="mode-icon"
      width="12"
      height="12"
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
    >
      <path d={MODE_ICON_PATHS[mode]} />
      {mode === 'whatif' && <circle cx="11" cy="3.5" r="1.6" />}
    </svg>
  );
}

export function ModeBadge({ mode }: { mode: ChatMode }) {
  return (
    <span className={`badge mode-badge mode-${mode}`} title={`${CHAT_MODE_LABELS[mode]} chat`}>
      <ModeIcon mode={mode} />
      {CHAT_MODE_LABELS[mode]}
    </span>
  );
}
