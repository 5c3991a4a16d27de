/**
 * The workspace's panel sizes, as percentages per panel id. In localStorage
 * (not the settings table) because the layout must be known synchronously on
 * the first render, or the panels would jump after an IndexedDB read.
 */
export type PanelLayout = Record<string, number>;

export const LAYOUT_STORAGE_KEY = 'crucible.workspace-layout.v1';
export const PANEL_IDS = ['chats', 'chat', 'panel'] as const;

function isLayout(value: unknown): value is PanelLayout {
  if (!value || typeof value !== 'object') return false;
  const entries = Object.entries(value);
  return (
    PANEL_IDS.every((id) => id in value) &&
    entries.every(([, size]) => typeof size === 'number' && Number.isFinite(size) && size >= 0 && size <= 100) &&
    Math.abs(entries.reduce((sum, [, size]) => sum + (size as number), 0) - 100) < 1
  );
}

export function readPanelLayout(): PanelLayout | undefined {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(LAYOUT_STORAGE_KEY) ?? 'null');
    return isLayout(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function savePanelLayout(layout: PanelLayout): void {
  if (!isLayout(layout)) return;
  try {
    localStorage.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Storage full or disabled: the layout just is not remembered.
  }
}

/**
 * First-visit sizes: the panel gets half the width (tables of constraints and
 * candidates need it), the chat list stays in view down to 1024 px (184 px
 * there) so no action hides behind a toggle. The viewport is a parameter so a
 * future breakpoint-specific default has one place to go.
 */
export function defaultPanelLayout(_viewportWidth: number): PanelLayout {
  return { chats: 18, chat: 32, panel: 50 };
}
