import { useRef, useState, type ReactNode } from 'react';
import { Group, Panel, Separator, useGroupRef, usePanelRef, type Layout } from 'react-resizable-panels';
import { useLocation } from 'react-router';
import { TabList, tabElementId, type TabItem } from '../shared/TabList';
import { SlotOutlet, SlotPortal, useSlotHost } from '../shared/SlotHost';
import { useMediaQuery } from '../shared/useMediaQuery';
import { NARROW_QUERY } from './layoutQuery';
import { defaultPanelLayout, readPanelLayout, savePanelLayout } from './layoutStore';

export { NARROW_QUERY };
export const COMPOSER_ID = 'composer-input';
const PANEL_ID = 'workspace-panel';

type NarrowPane = 'chat' | 'panel';

export interface WorkspaceLayoutProps<Tab extends string> {
  /** Home link and project title, left of the layout controls. */
  topbar: ReactNode;
  /** Right end of the top bar (Settings). */
  topbarEnd?: ReactNode;
  chats: ReactNode;
  chat: ReactNode;
  /** The panel's tabs (Spec, Runs, Results...); other features add theirs to the list the route passes. */
  tabs: readonly TabItem<Tab>[];
  selectedTab: Tab;
  /** What the selected tab shows. */
  panel: ReactNode;
  /** On a phone, whether the URL asks for the panel (a run, a candidate, a ?tab=) rather than the chat. */
  urlShowsPanel: boolean;
}

/**
 * The workspace shell: chat list | chat | panel, resizable and collapsible
 * (sizes persist), with a focus mode that gives the panel the whole width; on
 * a phone, one column and a switcher. It only arranges slots, so a new tab or
 * panel needs no change here.
 */
export function WorkspaceLayout<Tab extends string>(props: WorkspaceLayoutProps<Tab>) {
  const narrow = useMediaQuery(NARROW_QUERY);
  const chatsHost = useSlotHost('slot-host');
  const chatHost = useSlotHost('slot-host');
  const panelHost = useSlotHost('slot-host');
  const slots = {
    ...props,
    chats: <SlotOutlet host={chatsHost} />,
    chat: <SlotOutlet host={chatHost} />,
    panel: <SlotOutlet host={panelHost} />,
  };
  // The layout comes first: React runs layout effects in tree order, so its outlets adopt the hosts before the
  // slots' own layout effects run. A virtualised list in a slot then measures itself in the document and draws its
  // rows in the first frame, rather than measuring a detached host (0 × 0) and drawing them a frame or two later.
  return (
    <>
      {narrow ? <NarrowWorkspace {...slots} /> : <WideWorkspace {...slots} />}
      <SlotPortal host={chatsHost}>{props.chats}</SlotPortal>
      <SlotPortal host={chatHost}>{props.chat}</SlotPortal>
      <SlotPortal host={panelHost}>{props.panel}</SlotPortal>
    </>
  );
}

function focusComposer() {
  // The chat may have just been shown; wait for it to mount.
  requestAnimationFrame(() => document.getElementById(COMPOSER_ID)?.focus());
}

function SkipLink({ onBeforeSkip }: { onBeforeSkip?: () => void }) {
  return (
    <a
      className="skip-link"
      href={`#${COMPOSER_ID}`}
      onClick={(event) => {
        event.preventDefault();
        onBeforeSkip?.();
        focusComposer();
      }}
    >
      Skip to the message box
    </a>
  );
}

function WideWorkspace<Tab extends string>({ topbar, topbarEnd, chats, chat, tabs, selectedTab, panel }: WorkspaceLayoutProps<Tab>) {
  const groupRef = useGroupRef();
  const chatsRef = usePanelRef();
  const chatRef = usePanelRef();
  const [initialLayout] = useState<Layout>(() => readPanelLayout() ?? defaultPanelLayout(window.innerWidth));
  const [collapsed, setCollapsed] = useState({ chats: (initialLayout.chats ?? 0) === 0, chat: (initialLayout.chat ?? 0) === 0 });
  const [focused, setFocused] = useState(false);
  // Read by onLayoutChanged, which runs inside toggleFocus's setLayout, before a re-render could update `focused`.
  const focusedNow = useRef(false);
  /** The layout to go back to when focus mode ends. */
  const beforeFocus = useRef<Layout | null>(null);

  // Without ResizeObserver (old engines, jsdom) the library cannot measure; the same slots then sit in a fixed row.
  const resizable = typeof window.ResizeObserver === 'function';

  function toggleFocus() {
    const group = groupRef.current;
    // The collapsed (inert) state follows the layout set here at once, whether or not the panels report a resize.
    if (!focused) {
      beforeFocus.current = group?.getLayout() ?? null;
      focusedNow.current = true;
      setFocused(true);
      group?.setLayout({ chats: 0, chat: 0, panel: 100 });
      setCollapsed({ chats: true, chat: true });
    } else {
      focusedNow.current = false;
      setFocused(false);
      const previous = beforeFocus.current;
      const restore = previous && (previous.panel ?? 100) < 100 ? previous : defaultPanelLayout(window.innerWidth);
      group?.setLayout(restore);
      setCollapsed(resizable ? { chats: (restore.chats ?? 0) < 0.5, chat: (restore.chat ?? 0) < 0.5 } : { chats: false, chat: false });
    }
  }

  function toggleChats() {
    if (focused) toggleFocus();
    const panelHandle = chatsRef.current;
    if (!resizable || !panelHandle) setCollapsed((state) => ({ ...state, chats: !state.chats }));
    else if (panelHandle.isCollapsed()) panelHandle.expand();
    else panelHandle.collapse();
  }

  function showChat() {
    if (focused) toggleFocus();
    else if (chatRef.current?.isCollapsed()) chatRef.current.expand();
  }

  const chatsSlot = (
    <aside id="workspace-chats" className="workspace-left" aria-label="Chat list" inert={collapsed.chats}>
      {chats}
    </aside>
  );
  const chatSlot = (
    <main className="workspace-centre" inert={collapsed.chat}>
      {chat}
    </main>
  );
  const panelSlot = (
    <aside className="workspace-right" aria-label="Project panel">
      <div className="panel-header">
        <TabList label="Panel" idPrefix="panel" tabs={tabs} selected={selectedTab} panelId={PANEL_ID} />
      </div>
      <div className="panel-body" id={PANEL_ID} role="tabpanel" aria-labelledby={tabElementId('panel', selectedTab)} tabIndex={0}>
        {panel}
      </div>
    </aside>
  );

  return (
    <div className={`workspace workspace-wide${focused ? ' workspace-focused' : ''}`}>
      <SkipLink onBeforeSkip={showChat} />
      <header className="workspace-topbar">
        <button
          type="button"
          className="icon-button layout-toggle"
          aria-pressed={!collapsed.chats}
          aria-controls="workspace-chats"
          onClick={toggleChats}
          title={collapsed.chats ? 'Show the chat list' : 'Hide the chat list'}
        >
          <span aria-hidden="true">☰</span> Chats
        </button>
        {topbar}
        <span className="topbar-spacer" />
        <button type="button" className="layout-toggle" aria-pressed={focused} onClick={toggleFocus}>
          {focused ? 'Exit focus' : 'Focus panel'}
        </button>
        {topbarEnd}
      </header>
      {resizable ? (
        <Group
          className="workspace-panels"
          orientation="horizontal"
          groupRef={groupRef}
          defaultLayout={initialLayout}
          onLayoutChanged={(layout) => {
            // Focus mode is a moment, not a preference: what persists is the layout the user dragged to.
            if (!focusedNow.current) savePanelLayout(layout);
          }}
        >
          <Panel
            id="chats"
            panelRef={chatsRef}
            collapsible
            collapsedSize={0}
            minSize="180px"
            maxSize="30%"
            // The size passed in is the new one; asking the handle here can still answer for the old layout.
            onResize={(size) => setCollapsed((state) => ({ ...state, chats: size.asPercentage < 0.5 }))}
          >
            {chatsSlot}
          </Panel>
          <Separator className="panel-separator" aria-label="Resize the chat list" />
          <Panel
            id="chat"
            panelRef={chatRef}
            collapsible
            collapsedSize={0}
            minSize="300px"
            onResize={(size) => setCollapsed((state) => ({ ...state, chat: size.asPercentage < 0.5 }))}
          >
            {chatSlot}
          </Panel>
          <Separator className="panel-separator" aria-label="Resize the chat and the panel" />
          <Panel id="panel" minSize="360px">
            {panelSlot}
          </Panel>
        </Group>
      ) : (
        <div className="workspace-panels workspace-static">
          {!collapsed.chats && chatsSlot}
          {!collapsed.chat && chatSlot}
          {panelSlot}
        </div>
      )}
    </div>
  );
}

type NarrowTab<Tab extends string> = Tab | 'chat';

function NarrowWorkspace<Tab extends string>({
  topbar,
  topbarEnd,
  chats,
  chat,
  tabs,
  selectedTab,
  panel,
  urlShowsPanel,
}: WorkspaceLayoutProps<Tab>) {
  const location = useLocation();
  const locationKey = location.pathname + location.search;
  const [pane, setPane] = useState<NarrowPane>(urlShowsPanel ? 'panel' : 'chat');
  const [seenLocation, setSeenLocation] = useState(locationKey);
  const [chatsOpen, setChatsOpen] = useState(false);
  // Following a link (a run, a tab, another chat) shows what it points at.
  if (seenLocation !== locationKey) {
    setSeenLocation(locationKey);
    setPane(urlShowsPanel ? 'panel' : 'chat');
    setChatsOpen(false);
  }

  const switcherTabs: TabItem<NarrowTab<Tab>>[] = [{ id: 'chat', label: 'Chat' }, ...tabs];
  const selected: NarrowTab<Tab> = pane === 'chat' ? 'chat' : selectedTab;

  return (
    <div className="workspace workspace-narrow">
      <SkipLink
        onBeforeSkip={() => {
          setChatsOpen(false);
          setPane('chat');
        }}
      />
      <header className="workspace-topbar">
        <button
          type="button"
          className="icon-button layout-toggle"
          aria-expanded={chatsOpen}
          aria-controls="workspace-chats"
          onClick={() => setChatsOpen((open) => !open)}
        >
          <span aria-hidden="true">☰</span> Chats
        </button>
        {topbar}
        <span className="topbar-spacer" />
        {topbarEnd}
      </header>
      <TabList
        label="Workspace"
        idPrefix="narrow"
        className="panel-tabs narrow-switcher"
        tabs={switcherTabs}
        selected={selected}
        panelId={PANEL_ID}
        onSelect={(id) => setPane(id === 'chat' ? 'chat' : 'panel')}
      />
      {chatsOpen && (
        <aside id="workspace-chats" className="workspace-left narrow-drawer" aria-label="Chat list">
          {chats}
        </aside>
      )}
      <div
        className={`narrow-pane${chatsOpen ? ' hidden-under-drawer' : ''}`}
        id={PANEL_ID}
        role="tabpanel"
        aria-labelledby={tabElementId('narrow', selected)}
        inert={chatsOpen}
      >
        {pane === 'chat' ? (
          <main className="workspace-centre">{chat}</main>
        ) : (
          <aside className="workspace-right panel-body" aria-label="Project panel">
            {panel}
          </aside>
        )}
      </div>
    </div>
  );
}
