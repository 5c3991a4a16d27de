import type { PlacedResponse } from './protocol';
import type { SearchFilters } from './searchIndex';
import type { SearchService } from './searchService';

/** Runs a query and adds what the palette needs to show and open each hit: titles and the chat to open. */
export function answer(service: SearchService, query: string, filters: SearchFilters): PlacedResponse {
  const started = performance.now();
  const response = service.search(query, filters);
  const homeChats: Record<string, string | null> = {};
  const projectTitles: Record<string, string> = {};
  const chatTitles: Record<string, string> = {};
  for (const group of response.groups) {
    for (const { document } of group.hits) {
      if (!(document.projectId in homeChats)) {
        homeChats[document.projectId] = service.homeChatOf(document.projectId);
        projectTitles[document.projectId] = service.projectTitle(document.projectId) ?? 'Untitled project';
      }
      const chat = document.chatId ? service.chat(document.chatId) : undefined;
      if (chat) chatTitles[chat.id] = chat.title;
    }
  }
  return { ...response, homeChats, projectTitles, chatTitles, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}
