import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { readMessageMeta, type ChatSession, type Message, type Project } from '../domain';
import { ArchivedChatBanner } from '../features/chats/ArchivedChatBanner';
import { ChatSwitcher } from '../features/chats/ChatSwitcher';
import { ChatView } from '../features/chats/ChatView';
import { ModelReplyCard } from '../features/chats/ModelReplyCard';
import { SpecProposalCard } from '../features/chats/SpecProposalCard';
import {
  AnalysisRunActions,
  ProjectMap,
  RunCompare,
  RunDetail,
  RunHistory,
  RunResultsActions,
  RunSummaryCard,
  WhatIfPreviewCard,
  type RunStarter,
} from '../features/history';
import { RunLauncher } from '../features/runs/RunLauncher';
import { RunResults } from '../features/runs/RunResults';
import { rerun, startOnce, startRunFromChat } from '../features/runs/runActions';
import { RatingAssistant } from '../features/assist';
import { SpecPanel } from '../features/spec/SpecPanel';
import { SpecUpdateCard } from '../features/spec/SpecUpdateCard';
import { ErrorBoundary } from '../shared/ErrorBoundary';
import { UnreadablePart } from '../shared/UnreadablePart';
import type { PanelTab } from '../shared/links';
import { appLinks } from './links';
import { NotFound } from './NotFound';
import { SearchButton } from './SearchLayer';
import { WorkspaceLayout } from './WorkspaceLayout';
import { loadWorkspaceRecords, takeWorkspaceRecords } from './workspaceReads';
import { AppLink } from '../shared/navigation';

export type WorkspaceView = 'chat' | 'run' | 'candidate' | 'runDetail' | 'compare' | 'map';

/** The panel's tabs, in order. A feature that adds a tab adds it here (and to PanelTab in src/shared/links.ts). */
export const PANEL_TABS: { id: PanelTab; label: string }[] = [
  { id: 'spec', label: 'Spec' },
  { id: 'runs', label: 'Runs' },
  { id: 'results', label: 'Results' },
];

/** Lets the history feature start runs through the runs feature's executor. */
const runStarter: RunStarter = {
  rerun,
  // A fresh random seed each time, so a double click is caught by the candidate it seeds from, not by the seed.
  seededRun: ({ projectId, chatId, run, candidate }) =>
    startOnce(JSON.stringify(['seeded', chatId, candidate.id]), () =>
      startRunFromChat({
        projectId,
        chatId,
        mode: 'seeded',
        config: {
          numCandidates: run.config.numCandidates,
          numScenarios: run.config.numScenarios,
          seed: Math.floor(Math.random() * 2 ** 31),
        },
        seedCandidate: candidate,
      }),
    ),
};

/** The card for a message's meta: drawn from the parsed meta, or an UnreadablePart when it does not match its kind. */
function renderMeta(message: Message) {
  const reading = readMessageMeta(message.meta);
  if (reading.status === 'unreadable') return <UnreadablePart kind={reading.kind} />;
  if (reading.status !== 'rendered') return null;
  switch (reading.meta.kind) {
    case 'specDelta':
      return <SpecUpdateCard message={message} />;
    case 'runSummary':
      return <RunSummaryCard message={message} />;
    case 'whatIfPreview':
      return <WhatIfPreviewCard message={message} />;
    case 'modelReply':
      return <ModelReplyCard message={message} />;
    case 'specProposal':
      return <SpecProposalCard message={message} />;
    default:
      return null;
  }
}

/** `/project/:projectId/chat/:chatId[/...]`: switcher, chat and the tabbed panel, all restored from the URL. */
export function WorkspaceRoute({ view }: { view: WorkspaceView }) {
  const { projectId = '', chatId = '' } = useParams();
  // Read ahead while the app started, when this is the page's first screen: then the first render is the workspace.
  const [readAhead] = useState(() => takeWorkspaceRecords(projectId, chatId));
  const loaded = useLiveQuery(() => loadWorkspaceRecords(projectId, chatId), [projectId, chatId], readAhead);

  if (!loaded) return <p className="muted pad">Loading workspace…</p>;
  if (!loaded.project) return <NotFound what="project" />;
  if (!loaded.chat) return <NotFound what="chat" backTo={appLinks.project(projectId)} backLabel={`Open “${loaded.project.title}”`} />;
  return <Workspace project={loaded.project} chat={loaded.chat} view={view} />;
}

/** What the Results and Runs tabs act on when the URL names no run: an analysis chat's own run. */
function discussedRun(chat: ChatSession): { runId: string; candidateId?: string } | null {
  return chat.mode === 'analysis' && chat.runId ? { runId: chat.runId, candidateId: chat.candidateId ?? undefined } : null;
}

function Workspace({ project, chat, view }: { project: Project; chat: ChatSession; view: WorkspaceView }) {
  const params = useParams();
  const [search] = useSearchParams();
  const requestedTab = search.get('tab') as PanelTab | null;
  const discussed = discussedRun(chat);
  const tab: PanelTab =
    view === 'chat'
      ? requestedTab && PANEL_TABS.some((t) => t.id === requestedTab)
        ? requestedTab
        : discussed
          ? 'results'
          : 'spec'
      : view === 'runDetail' || view === 'compare' || view === 'map'
        ? 'runs'
        : 'results';
  // The run route names its run; otherwise an analysis chat shows the run it discusses.
  const resultsRunId = params.runId ?? discussed?.runId;
  const resultsCandidateId = params.runId ? params.candidateId : discussed?.candidateId;

  return (
    <WorkspaceLayout
      topbar={
        <>
          <AppLink to={appLinks.home()} className="home-link" title="All projects">
            <img src="/favicon.svg" alt="" width={22} height={22} /> Int Crucible
          </AppLink>
          <span className="crumb-sep" aria-hidden="true">
            /
          </span>
          <span className="project-title" title={project.title}>
            {project.title}
          </span>
          <span className="topbar-search">
            <SearchButton />
          </span>
        </>
      }
      topbarEnd={
        <AppLink to={appLinks.settings()} className="button-link layout-toggle">
          Settings
        </AppLink>
      }
      chats={
        <ErrorBoundary title="Could not load the chats">
          <ChatSwitcher projectId={project.id} activeChatId={chat.id} />
        </ErrorBoundary>
      }
      chat={
        <ErrorBoundary title="Could not load the chat history">
          <ArchivedChatBanner chat={chat} />
          <ChatView chat={chat} renderMeta={renderMeta} openAtMessageId={search.get('message')} />
        </ErrorBoundary>
      }
      tabs={PANEL_TABS.map((item) => ({ ...item, to: appLinks.chat(project.id, chat.id, item.id) }))}
      selectedTab={tab}
      urlShowsPanel={view !== 'chat' || requestedTab !== null || discussed !== null}
      panel={
        <ErrorBoundary title={`Could not load the ${tab} panel`}>
          {tab === 'spec' && (
            <SpecPanel projectId={project.id} chat={chat} ratingsSlot={(slot) => <RatingAssistant key={slot.chatId} {...slot} />} />
          )}
          {tab === 'runs' && view === 'runDetail' && params.runId && (
            <RunDetail projectId={project.id} chat={chat} runId={params.runId} starter={runStarter} />
          )}
          {tab === 'runs' && view === 'compare' && <RunCompare projectId={project.id} chat={chat} runA={params.runA} runB={params.runB} />}
          {tab === 'runs' && view === 'map' && <ProjectMap projectId={project.id} chat={chat} />}
          {tab === 'runs' && view !== 'runDetail' && view !== 'compare' && view !== 'map' && (
            <>
              {discussed ? (
                <AnalysisRunActions chat={chat} runId={discussed.runId} starter={runStarter} />
              ) : (
                <RunLauncher projectId={project.id} chat={chat} />
              )}
              <RunHistory projectId={project.id} chat={chat} />
            </>
          )}
          {tab === 'results' && (
            <>
              <RunResultsActions
                projectId={project.id}
                chat={chat}
                runId={resultsRunId}
                candidateId={resultsCandidateId}
                starter={runStarter}
              />
              <RunResults projectId={project.id} chat={chat} runId={resultsRunId} candidateId={resultsCandidateId} />
            </>
          )}
        </ErrorBoundary>
      }
    />
  );
}
