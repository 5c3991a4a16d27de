import { useRef, type KeyboardEvent } from 'react';
import { AppLink, useAppNavigate } from './navigation';

export interface TabItem<Id extends string> {
  id: Id;
  label: string;
  /** A tab that is a place (its own URL) renders as a link; one without `to` only calls onSelect. */
  to?: string;
}

/** The id of the element with role=tab for `id`, for a tabpanel's aria-labelledby. */
export function tabElementId(idPrefix: string, id: string): string {
  return `${idPrefix}-tab-${id}`;
}

/**
 * The WAI-ARIA tabs pattern with automatic activation: one tab stop (roving
 * tabindex); Left/Right move and select, Home/End go to the first/last tab.
 * Tabs that have a URL stay links, so they can be opened in a new tab and
 * the URL keeps restoring the selection.
 */
export function TabList<Id extends string>({
  label,
  idPrefix,
  tabs,
  selected,
  panelId,
  onSelect,
  className = 'panel-tabs',
}: {
  label: string;
  idPrefix: string;
  tabs: readonly TabItem<Id>[];
  selected: Id;
  panelId: string;
  onSelect?: (id: Id) => void;
  className?: string;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const navigate = useAppNavigate();

  function activate(tab: TabItem<Id>) {
    onSelect?.(tab.id);
    if (tab.to) navigate(tab.to);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>, index: number) {
    const last = tabs.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const tab = tabs[target]!;
    activate(tab);
    listRef.current?.ownerDocument.getElementById(tabElementId(idPrefix, tab.id))?.focus();
  }

  return (
    <div ref={listRef} className={className} role="tablist" aria-label={label}>
      {tabs.map((tab, index) => {
        const isSelected = tab.id === selected;
        const common = {
          id: tabElementId(idPrefix, tab.id),
          role: 'tab',
          'aria-selected': isSelected,
          'aria-controls': panelId,
          tabIndex: isSelected ? 0 : -1,
          className: `panel-tab${isSelected ? ' active' : ''}`,
          onKeyDown: (event: KeyboardEvent<HTMLElement>) => onKeyDown(event, index),
        } as const;
        return tab.to ? (
          <AppLink key={tab.id} {...common} to={tab.to} onClick={() => onSelect?.(tab.id)}>
            {tab.label}
          </AppLink>
        ) : (
          <button key={tab.id} type="button" {...common} onClick={() => activate(tab)}>
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
