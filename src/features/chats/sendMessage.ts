import { appendMessage } from '../../db';
import type { ChatSession } from '../../domain';

/**
 * Sends the user's line. The Architect's reply for the chat's mode is added
 * in the same transaction once the Architect exists for that mode.
 */
export async function sendUserMessage(chat: ChatSession, text: string): Promise<void> {
  await appendMessage(chat.id, { role: 'user', content: text });
}
