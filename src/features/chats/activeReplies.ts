/**
 * The model replies this tab is streaming right now, so their Stop button can
 * abort them and the composer can wait. (Another tab's streams are not here:
 * their replies show as streaming elsewhere.)
 */
import { useSyncExternalStore } from 'react';

interface ActiveReply {
  chatId: string;
  controller: AbortController;
  /** Set when the user pressed Stop, so the abort is reported as stopped, not failed. */
  stopRequested: boolean;
}

const active = new Map<string, ActiveReply>();
const listeners = new Set<() => void>();
let version = 0;

function notify(): void {
  version += 1;
  for (const listener of listeners) listener();
}

export function registerActiveReply(messageId: string, chatId: string, controller: AbortController): void {
  active.set(messageId, { chatId, controller, stopRequested: false });
  notify();
}

export function unregisterActiveReply(messageId: string): void {
  if (active.delete(messageId)) notify();
}

/** Aborts the request; the reply keeps what arrived and is marked stopped. */
export function stopReply(messageId: string): boolean {
  const reply = active.get(messageId);
  if (!reply) return false;
  reply.stopRequested = true;
  reply.controller.abort();
  return true;
}

export function wasStopped(messageId: string): boolean {
  return active.get(messageId)?.stopRequested ?? false;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while this tab streams `messageId`. */
export function useIsStreamingHere(messageId: string): boolean {
  useSyncExternalStore(subscribe, () => version);
  return active.has(messageId);
}

/** True while this tab streams any reply in `chatId`. */
export function useChatIsStreaming(chatId: string): boolean {
  useSyncExternalStore(subscribe, () => version);
  for (const reply of active.values()) if (reply.chatId === chatId) return true;
  return false;
}
