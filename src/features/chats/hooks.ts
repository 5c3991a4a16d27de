import { useLiveQuery } from 'dexie-react-hooks';
import { getChat, getRun, listChats, getUsableProvider } from '../../db';

export function useChats(projectId: string, includeArchived: boolean) {
  return useLiveQuery(() => listChats(projectId, { includeArchived }), [projectId, includeArchived]);
}

/** The parent chat and linked run, for the header's lineage links. */
export function useChatContext(parentChatId: string | null | undefined, runId: string | null | undefined) {
  return useLiveQuery(async () => {
    const [parent, run] = await Promise.all([parentChatId ? getChat(parentChatId) : undefined, runId ? getRun(runId) : undefined]);
    return { parent: parent ?? null, run: run ?? null };
  }, [parentChatId, runId]);
}

/** Whether a language model can answer free text now (`undefined` while loading); follows Settings → Models live. */
export function useUsableProvider() {
  return useLiveQuery(async () => {
    try {
      return await getUsableProvider();
    } catch {
      return { status: 'none' as const };
    }
  }, []);
}
