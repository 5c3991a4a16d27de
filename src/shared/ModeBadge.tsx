import { CHAT_MODE_LABELS, type ChatMode } from '../domain';

const MODE_ICONS: Record<ChatMode, string> = {
  setup: '⚙',
  analysis: '◔',
  whatif: '⑂',
};

export function ModeBadge({ mode }: { mode: ChatMode }) {
  return (
    <span className={`badge mode-badge mode-${mode}`} title={`${CHAT_MODE_LABELS[mode]} chat`}>
      <span aria-hidden="true" className="mode-icon">
        {MODE_ICONS[mode]}
      </span>
      {CHAT_MODE_LABELS[mode]}
    </span>
  );
}
