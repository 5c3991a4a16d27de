import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { StorageFullBanner } from '../../src/app/StorageFullBanner';
import { createProject, db, getSetting, setChatArchived, StorageFullError } from '../../src/db';
import { dismissStorageFull } from '../../src/shared/storageFullNotice';
import { installLayoutStubs, renderApp } from './render';

function rejectUnhandled(reason: unknown) {
  const event = new Event('unhandledrejection', { cancelable: true }) as Event & { reason: unknown };
  event.reason = reason;
  window.dispatchEvent(event);
  return event;
}

describe('storage-full safety net', () => {
  test('a write refused for quota shows a clear banner and the data stays as it was', async () => {
    await db.delete();
    await db.open();
    const { chat } = await createProject({ title: 'P' });
    render(<StorageFullBanner />);
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const spy = vi.spyOn(db.chatSessions, 'put').mockRejectedValueOnce(quota);
    const failure = await setChatArchived(chat.id, true).catch((error: unknown) => error);
    spy.mockRestore();
    expect(failure).toBeInstanceOf(StorageFullError);
    act(() => {
      rejectUnhandled(failure);
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Storage is full');
    expect((await db.chatSessions.get(chat.id))?.archivedAt).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('other rejections are left to their own handlers', () => {
    render(<StorageFullBanner />);
    let event: Event | undefined;
    act(() => {
      event = rejectUnhandled(new Error('something else'));
    });
    expect(event!.defaultPrevented).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('settings behind the quota guard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    dismissStorageFull();
  });

  test('snoozing the backup reminder on a full disk shows the storage-full banner and stores nothing', async () => {
    installLayoutStubs();
    await db.delete();
    await db.open();
    await createProject({ title: 'Unsaved work' });
    render(<StorageFullBanner />);
    renderApp('/');
    const reminder = await screen.findByRole('complementary', { name: 'Backup reminder' });
    vi.spyOn(db.settings, 'put').mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    await userEvent.setup().click(within(reminder).getByRole('button', { name: 'Remind me next week' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Storage is full');
    expect(await getSetting('transfer.backupReminderSnoozedUntil')).toBeUndefined();
    expect(screen.getByRole('complementary', { name: 'Backup reminder' })).toBeInTheDocument();
  });
});
