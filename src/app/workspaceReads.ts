/**
 * What the workspace route reads before it can draw anything: the project and the chat named by the URL. Kept
 * apart from WorkspaceRoute (a lazy chunk) so the app's start-up can read it ahead for the first screen.
 */
import { getChat, getProject } from '../db';
import type { ChatSession, Project } from '../domain';
import { readAhead, readAheadKey, takeReadAhead } from '../shared/readAhead';

export interface WorkspaceRecords {
  project: Project | null;
  /** Null when the chat does not exist or belongs to another project. */
  chat: ChatSession | null;
}

export async function loadWorkspaceRecords(projectId: string, chatId: string): Promise<WorkspaceRecords> {
  const [project, chat] = await Promise.all([getProject(projectId), getChat(chatId)]);
  return { project: project ?? null, chat: chat && chat.projectId === projectId ? chat : null };
}

const workspaceKey = (projectId: string, chatId: string) => readAheadKey<WorkspaceRecords>(`workspace:${projectId}:${chatId}`);

export function readAheadWorkspaceRecords(projectId: string, chatId: string): Promise<void> {
  return readAhead(workspaceKey(projectId, chatId), () => loadWorkspaceRecords(projectId, chatId));
}

export function takeWorkspaceRecords(projectId: string, chatId: string): WorkspaceRecords | undefined {
  return takeReadAhead(workspaceKey(projectId, chatId));
}
