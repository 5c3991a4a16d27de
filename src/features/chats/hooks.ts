import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { getChat, getRun, listChats, getUsableProvider } from '../../db';
import { takeChatList } from './readAhead';

/** The project's chats, most recently active first; the first render uses the list read ahead for it, if it is in. */
export function useChats(projectId: string, includeArchived: boolean) {
  const [readAhead] = useState(() => takeChatList(projectId, includeArchived));
  return useLiveQuery(() => listChats(projectId, { includeArchived }), [projectId, includeArchived], readAhead);
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
