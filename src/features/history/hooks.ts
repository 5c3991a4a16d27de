import { useLiveQuery } from 'dexie-react-hooks';
import { getChat, getRun, getSpec, listChats, listRuns, type RunQuery } from '../../db';
import { whatIfSpec, type ChatSession, type Run } from '../../domain';

/** Every chat of the project (archived too), in ONE query: titles for the origin column and the chat picker. */
export function useProjectChats(projectId: string) {
  return useLiveQuery(() => listChats(projectId, { includeArchived: true }), [projectId]);
}

export function chatIndex(chats: readonly ChatSession[] | undefined): Map<string, ChatSession> {
  return new Map((chats ?? []).map((chat) => [chat.id, chat]));
}

/** One page of runs, newest first, from the indexed query. */
export function useRunPage(query: RunQuery) {
  const { projectId, chatSessionId, status, mode, tag, offset, limit } = query;
  return useLiveQuery(
    () => listRuns({ projectId, chatSessionId, status, mode, tag, offset, limit }),
    [projectId, chatSessionId, status, mode, tag, offset, limit],
  );
}

/** `null` once loaded and missing. */
export function useRun(runId: string | undefined) {
  return useLiveQuery(async () => (runId ? ((await getRun(runId)) ?? null) : null), [runId]);
}

/**
 * The spec a run from the run's origin chat would use now: the project spec
 * plus that chat's what-if changes. Falls back to the project spec when the
 * chat is gone.
 */
export function useCurrentSpecFor(run: Run | null | undefined) {
  return useLiveQuery(async () => {
    if (!run) return null;
    const [base, chat] = await Promise.all([getSpec(run.projectId), run.chatSessionId ? getChat(run.chatSessionId) : undefined]);
    if (!base) return null;
    return { spec: whatIfSpec(base, chat?.mode === 'whatif' ? chat.specChanges : null), chat: chat ?? null };
  }, [run?.id, run?.projectId, run?.chatSessionId]);
}
