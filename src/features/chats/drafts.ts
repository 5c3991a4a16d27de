/**
 * Unsent drafts per chat. localStorage is synchronous, so the draft is there
 * on the very first render after switching back or reloading.
 */
const PREFIX = 'crucible:draft:';

export function loadDraft(chatId: string): string {
  try {
    return localStorage.getItem(PREFIX + chatId) ?? '';
  } catch {
    return '';
  }
}

export function saveDraft(chatId: string, text: string): void {
  try {
    if (text) localStorage.setItem(PREFIX + chatId, text);
    else localStorage.removeItem(PREFIX + chatId);
  } catch {
    // A full or disabled localStorage only loses the draft convenience, never data.
  }
}
