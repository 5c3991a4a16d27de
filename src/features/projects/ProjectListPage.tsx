import { useState, type FormEvent, type ReactNode } from 'react';
import { createProject, deleteProject, describeProjectContents, updateProjectDetails, type ProjectContents } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { Project } from '../../domain';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { useLinks } from '../../shared/links';
import { RelativeTime } from '../../shared/RelativeTime';
import { useProjects } from './hooks';
import './projects.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

interface Props {
  /** Extra actions composed in by the app (import/export, sample project). */
  toolbar?: ReactNode;
  /** Extra per-project actions (export). */
  projectActions?: (project: Project) => ReactNode;
  /** Banners above the list (backup reminder). */
  notices?: ReactNode;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function ProjectListPage({ toolbar, projectActions, notices }: Props) {
  const projects = useProjects();
  const navigate = useAppNavigate();
  const links = useLinks();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  async function handleCreate(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) {
      setError('Give the project a title.');
      return;
    }
    setCreating(true);
    try {
      const { project, chat } = await createProject({ title, description });
      navigate(links.chat(project.id, chat.id));
    } catch (failure) {
      setError(errorSentence(failure));
      setCreating(false);
    }
  }

  return (
    <main className="project-list-page">
      <header className="page-header">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <div>
            <h1>Int Crucible</h1>
            <p className="muted">Your projects, stored on this device.</p>
          </div>
        </div>
        <div className="toolbar">
          {toolbar}
          <AppLink to={links.settings()} className="button-link">
            Settings
          </AppLink>
        </div>
      </header>
      {notices}
      <section className="card new-project" aria-labelledby="new-project-heading">
        <h2 id="new-project-heading">New project</h2>
        <form onSubmit={(event) => void handleCreate(event)} className="new-project-form">
          <label>
            Title
            <input
              value={title}
              onChange={(event) => {
                setTitle(event.target.value);
                setError(null);
              }}
              placeholder="e.g. Storage and sync for an offline-first app"
              maxLength={200}
            />
          </label>
          <label>
            Description
            <input
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              placeholder="What are you deciding?"
              maxLength={5000}
            />
          </label>
          <button type="submit" className="primary" disabled={creating}>
            Create project
          </button>
        </form>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
      </section>
      <section aria-labelledby="projects-heading">
        <h2 id="projects-heading">Projects</h2>
        {projects === undefined ? (
          <p className="muted">Loading…</p>
        ) : projects.length === 0 ? (
          <p className="empty-state">No projects yet. Create one above, or open the sample project.</p>
        ) : (
          <ul className="project-grid">
            {projects.map((project) => (
              <ProjectCard key={project.id} project={project} extraActions={projectActions?.(project)} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function ProjectCard({ project, extraActions }: { project: Project; extraActions?: ReactNode }) {
  const links = useLinks();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(project.title);
  const [description, setDescription] = useState(project.description);
  const [error, setError] = useState<string | null>(null);
  const [pendingDelete, setPendingDelete] = useState<ProjectContents | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await updateProjectDetails(project.id, { title, description });
      setEditing(false);
      setError(null);
    } catch (failure) {
      setError(title.trim() ? errorSentence(failure) : 'The title must not be empty.');
    }
  }

  return (
    <li className="card project-card" data-testid="project-card">
      {editing ? (
        <form onSubmit={(event) => void save(event)} className="project-edit">
          <label>
            Title
            <input value={title} onChange={(event) => setTitle(event.target.value)} autoFocus />
          </label>
          <label>
            Description
            <input value={description} onChange={(event) => setDescription(event.target.value)} />
          </label>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <div className="row-actions">
            <button type="submit" className="primary">
              Save
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false);
                setTitle(project.title);
                setDescription(project.description);
                setError(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <h3>
            <AppLink to={links.project(project.id)}>{project.title}</AppLink>
          </h3>
          {project.description && <p className="project-description">{project.description}</p>}
          <p className="project-stats muted">
            {plural(project.chatCount, 'chat')} · {plural(project.runCount, 'run')} · updated{' '}
            <RelativeTime timestamp={project.updatedAt} prefix="updated " />
          </p>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <div className="row-actions">
            <button type="button" onClick={() => setEditing(true)}>
              Rename
            </button>
            {extraActions}
            <button
              type="button"
              className="danger-quiet"
              onClick={() => {
                describeProjectContents(project.id).then(setPendingDelete, (failure: unknown) => setError(errorSentence(failure)));
              }}
            >
              Delete
            </button>
          </div>
        </>
      )}
      {pendingDelete && (
        <ConfirmDialog
          title={`Delete “${project.title}”?`}
          confirmLabel="Delete project"
          danger
          onCancel={() => setPendingDelete(null)}
          onConfirm={() => {
            setPendingDelete(null);
            deleteProject(project.id).catch((failure: unknown) => setError(errorSentence(failure)));
          }}
        >
          <p>
            This permanently deletes {plural(pendingDelete.chats, 'chat')}, {plural(pendingDelete.messages, 'message')},{' '}
            {plural(pendingDelete.runs, 'run')} and {plural(pendingDelete.candidates, 'candidate')}, plus the problem spec. Export the
            project first if you may want it back.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
