import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createProject, db, exportProject } from '../../src/db';
import { CURRENT_FORMAT_VERSION } from '../../src/domain';
import { installLayoutStubs, renderApp } from './render';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

beforeAll(installLayoutStubs);
beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
  // The import flow is a module-level store; make sure a previous test's dialog is closed.
  const { closeImport } = await import('../../src/features/transfer/importFlow');
  closeImport();
});
afterEach(() => vi.restoreAllMocks());

async function tableRows(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of db.tables) counts[table.name] = await table.count();
  return counts;
}

async function chooseFile(content: string, name: string) {
  const user = userEvent.setup();
  const input = await screen.findByTestId('import-file-input');
  await user.upload(input, new File([content], name, { type: 'application/json' }));
}

describe('import from the project list', () => {
  test('the file picker shows a preview with counts, and Confirm opens the imported project', async () => {
    const { router } = renderApp('/');
    await screen.findByText(/No projects yet/);
    await chooseFile(fixture('export-format-v1.crucible.json'), 'order-events.crucible.json');

    const dialog = await screen.findByRole('dialog', { name: 'Import “Message queue for order events”?' });
    expect(within(dialog).getByTestId('import-count-messages')).toHaveTextContent('8');
    expect(within(dialog).getByTestId('import-count-runs')).toHaveTextContent('2');
    expect(within(dialog).getByTestId('import-count-candidates')).toHaveTextContent('3');
    expect(within(dialog).getByText(/older version of Int Crucible/)).toBeInTheDocument();
    expect(await db.projects.count()).toBe(0);

    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Import project' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/project\/[^/]+\/chat\/[^/]+$/));
    const projects = await db.projects.toArray();
    expect(projects.map((p) => p.title)).toEqual(['Message queue for order events']);
    expect(router.state.location.pathname).toContain(projects[0]!.id);
  });

  test('Cancel in the preview writes nothing', async () => {
    renderApp('/');
    await screen.findByText(/No projects yet/);
    await chooseFile(fixture('export-format-v2.crucible.json'), 'sync.crucible.json');
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/2 runs were still in progress/)).toBeInTheDocument();
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await db.projects.count()).toBe(0);
  });

  test('Cancel while the file is still being read closes the dialog for good: no preview opens later', async () => {
    renderApp('/');
    await screen.findByText(/No projects yet/);
    // The file's text arrives only when the test lets it, after the user has cancelled.
    const content = fixture('export-format-v2.crucible.json');
    let deliver: (text: string) => void = () => {};
    const held = vi.spyOn(Blob.prototype, 'text').mockImplementation(() => new Promise<string>((resolve) => (deliver = resolve)));
    await chooseFile(content, 'sync.crucible.json');
    const dialog = await screen.findByRole('dialog', { name: 'Reading “sync.crucible.json”' });
    expect(held).toHaveBeenCalled();
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    deliver(content);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await db.projects.count()).toBe(0);

    // The next file is read and previewed as usual.
    held.mockRestore();
    await chooseFile(content, 'sync.crucible.json');
    expect(await screen.findByRole('dialog', { name: /^Import/ })).toBeInTheDocument();
  });

  test('a malformed file shows its error and writes nothing', async () => {
    await createProject({ title: 'Existing' });
    const before = await tableRows();
    renderApp('/');
    await screen.findByText('Existing');
    await chooseFile('{"format":"int-crucible/project", "formatVersion": 2, "data": ', 'broken.crucible.json');
    const dialog = await screen.findByRole('dialog', { name: 'Not an Int Crucible project file' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/not valid JSON/);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/Nothing was imported/);
    expect(await tableRows()).toEqual(before);
  });

  test('a file from a newer version says so', async () => {
    renderApp('/');
    await screen.findByText(/No projects yet/);
    const newer = JSON.parse(fixture('export-format-v2.crucible.json')) as Record<string, unknown>;
    newer.formatVersion = CURRENT_FORMAT_VERSION + 1;
    await chooseFile(JSON.stringify(newer), 'future.crucible.json');
    const dialog = await screen.findByRole('dialog', { name: 'Made by a newer version of Int Crucible' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(`format version ${CURRENT_FORMAT_VERSION + 1}`);
    expect(await db.projects.count()).toBe(0);
  });

  test('invalid records are listed by record and field', async () => {
    renderApp('/');
    await screen.findByText(/No projects yet/);
    const file = JSON.parse(fixture('export-format-v2.crucible.json')) as { data: { runs: { config: { numCandidates: number } }[] } };
    file.data.runs[0]!.config.numCandidates = 500;
    await chooseFile(JSON.stringify(file), 'bad.crucible.json');
    const dialog = await screen.findByRole('dialog', { name: 'The file contains invalid records' });
    expect(within(dialog).getByRole('listitem')).toHaveTextContent(
      /runs\[0\] \(id .+\), field "config.numCandidates": numCandidates must be from 1 to 50/,
    );
    expect(await db.projects.count()).toBe(0);
  });

  test('dropping a file on the project list starts the same import', async () => {
    renderApp('/');
    await screen.findByText(/No projects yet/);
    const zone = screen.getByTestId('import-drop-zone');
    const file = new File([fixture('export-format-v2-backup.crucible.json')], 'backup.crucible.json', { type: 'application/json' });
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(await screen.findByText(/Drop a .crucible.json file/)).toBeInTheDocument();
    fireEvent.drop(zone, { dataTransfer });
    const dialog = await screen.findByRole('dialog', { name: 'Import 2 projects from a backup?' });
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Import 2 projects' }));
    await within(dialog).findByRole('heading', { name: 'Imported 2 projects' });
    expect(await db.projects.count()).toBe(2);
  });
});

describe('export and backups', () => {
  test('Export downloads <title>.crucible.json and records the export', async () => {
    const { project } = await createProject({ title: 'Sync: choices' });
    const downloads: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, blob: blobs.get(this.href)! });
    });
    renderApp('/');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Export “Sync: choices”' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.name).toBe('Sync choices.crucible.json');
    const file = JSON.parse(await downloads[0]!.blob.text()) as { data: { project: { title: string } } };
    expect(file.data.project.title).toBe('Sync: choices');
    await waitFor(async () => expect((await db.projects.get(project.id))!.lastExportedAt).not.toBeNull());
  });

  test('the backup reminder appears for never-exported projects and can be snoozed', async () => {
    await createProject({ title: 'Unsaved work' });
    renderApp('/');
    const reminder = await screen.findByRole('complementary', { name: 'Backup reminder' });
    expect(reminder).toHaveTextContent('1 project has never been exported');
    await userEvent.setup().click(within(reminder).getByRole('button', { name: 'Remind me next week' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Backup reminder' })).toBeNull());
  });

  test('no reminder when every project was exported within 14 days; a stale one is named', async () => {
    const { project } = await createProject({ title: 'Fresh' });
    await exportProject(project.id);
    renderApp('/');
    await screen.findByText('Fresh');
    expect(screen.queryByRole('complementary', { name: 'Backup reminder' })).toBeNull();
    await db.projects.update(project.id, { lastExportedAt: Date.now() - 15 * 24 * 3600_000 });
    expect(await screen.findByRole('complementary', { name: 'Backup reminder' })).toHaveTextContent(
      '1 has not been exported for over 14 days',
    );
  });
});

describe('sample project', () => {
  test('"Open the sample project" imports it and opens it; a second click reopens the same one', async () => {
    const { router } = renderApp('/');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open the sample project' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/project\/[^/]+\/chat\/[^/]+$/), { timeout: 10_000 });
    const projects = await db.projects.toArray();
    expect(projects).toHaveLength(1);
    expect(projects[0]!.title).toMatch(/^Sample: battery for a 5 kg delivery drone/);
    expect(await db.runs.where('status').equals('completed').count()).toBe(3);
    await router.navigate('/');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open the sample project' }));
    await waitFor(() => expect(router.state.location.pathname).toContain(projects[0]!.id), { timeout: 10_000 });
    expect(await db.projects.count()).toBe(1);
  });
});

describe('settings', () => {
  test('shows persistent-storage status and usage against quota, and can ask for persistence', async () => {
    const persist = vi.fn(async () => true);
    let persisted = false;
    Object.defineProperty(navigator, 'storage', {
      configurable: true,
      value: {
        persisted: async () => persisted,
        persist: async () => {
          persisted = await persist();
          return persisted;
        },
        estimate: async () => ({ usage: 5 * 1024 * 1024, quota: 2 * 1024 * 1024 * 1024 }),
      },
    });
    try {
      renderApp('/settings');
      expect(await screen.findByTestId('persistent-status')).toHaveTextContent(/Not granted/);
      expect(screen.getByTestId('storage-usage')).toHaveTextContent('5.0 MB of 2.00 GB available (<1%)');
      await userEvent.setup().click(screen.getByRole('button', { name: 'Ask the browser to keep data' }));
      await waitFor(() => expect(screen.getByTestId('persistent-status')).toHaveTextContent(/Granted/));
      expect(persist).toHaveBeenCalledOnce();
    } finally {
      Reflect.deleteProperty(navigator, 'storage');
    }
  });
});

describe('storage full', () => {
  test('an import that hits the quota says so and writes nothing', async () => {
    await createProject({ title: 'Already saved' });
    const before = await tableRows();
    renderApp('/');
    await screen.findByText('Already saved');
    await chooseFile(fixture('export-format-v2.crucible.json'), 'sync.crucible.json');
    const preview = await screen.findByRole('dialog');
    vi.spyOn(db.messages, 'bulkAdd').mockRejectedValue(new DOMException('Quota exceeded', 'QuotaExceededError'));
    await userEvent.setup().click(within(preview).getByRole('button', { name: 'Import project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Not enough storage space' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/nothing was imported and your existing projects are unchanged/);
    expect(await tableRows()).toEqual(before);
  });
});
