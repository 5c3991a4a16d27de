import { emptySpecContent, emptyWorldModel, newChatSession, newId, projectSchema, type ChatSession, type Project } from '../domain';
import { monotonicNow } from './clock';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';

export interface NewProjectInput {
  title: string;
  description?: string;
}

/** Creates the project with its empty spec, world model and first "Setup" chat, all or nothing. */
export async function createProject(input: NewProjectInput): Promise<{ project: Project; chat: ChatSession }> {
  const now = monotonicNow();
  const project = projectSchema.parse({
    id: newId(),
    title: input.title,
    description: input.description ?? '',
    createdAt: now,
    updatedAt: now,
    chatCount: 1,
    runCount: 0,
    lastExportedAt: null,
    baselineRunId: null,
  });
  const chat = newChatSession({ id: newId(), projectId: project.id, title: 'Setup', mode: 'setup', createdAt: now });
  await guardedWrite(() =>
    db.transaction('rw', [db.projects, db.specs, db.worldModels, db.chatSessions], async () => {
      await db.projects.add(project);
      await db.specs.add({ projectId: project.id, ...emptySpecContent(), provenance: [], updatedAt: now });
      await db.worldModels.add(emptyWorldModel(project.id, now));
      await db.chatSessions.add(chat);
    }),
  );
  return { project, chat };
}

export async function getProject(id: string): Promise<Project | undefined> {
  return db.projects.get(id);
}

/** Most recently updated first. */
export async function listProjects(): Promise<Project[]> {
  return db.projects.orderBy('updatedAt').reverse().toArray();
}

export async function updateProjectDetails(id: string, changes: { title?: string; description?: string }): Promise<Project> {
  return guardedWrite(() =>
    db.transaction('rw', db.projects, async () => {
      const current = await db.projects.get(id);
      if (!current) throw new NotFoundError('Project', id);
      const next = projectSchema.parse({ ...current, ...changes, updatedAt: monotonicNow() });
      await db.projects.put(next);
      return next;
    }),
  );
}

export interface ProjectContents {
  chats: number;
  messages: number;
  runs: number;
  candidates: number;
}

/** What deleting the project would remove, for the confirmation dialog. */
export async function describeProjectContents(projectId: string): Promise<ProjectContents> {
  const [chats, messages, runs, candidates] = await Promise.all([
    db.chatSessions.where('projectId').equals(projectId).count(),
    db.messages.where('projectId').equals(projectId).count(),
    db.runs.where('projectId').equals(projectId).count(),
    db.candidates.where('projectId').equals(projectId).count(),
  ]);
  return { chats, messages, runs, candidates };
}

export async function deleteProject(projectId: string): Promise<void> {
  await guardedWrite(() =>
    db.transaction(
      'rw',
      [db.projects, db.specs, db.worldModels, db.chatSessions, db.messages, db.runs, db.candidates, db.scenarios, db.evaluations],
      async () => {
        await Promise.all([
          db.messages.where('projectId').equals(projectId).delete(),
          db.evaluations.where('projectId').equals(projectId).delete(),
          db.scenarios.where('projectId').equals(projectId).delete(),
          db.candidates.where('projectId').equals(projectId).delete(),
          db.runs.where('projectId').equals(projectId).delete(),
          db.chatSessions.where('projectId').equals(projectId).delete(),
          db.specs.delete(projectId),
          db.worldModels.delete(projectId),
          db.projects.delete(projectId),
        ]);
      },
    ),
  );
}

/** Bumps the project's activity time; call inside the caller's transaction. */
export async function touchProject(projectId: string, now: number, counters?: { chats?: number; runs?: number }): Promise<void> {
  await db.projects
    .where('id')
    .equals(projectId)
    .modify((project) => {
      project.updatedAt = Math.max(project.updatedAt, now);
      if (counters?.chats) project.chatCount = Math.max(0, project.chatCount + counters.chats);
      if (counters?.runs) project.runCount = Math.max(0, project.runCount + counters.runs);
    });
}
