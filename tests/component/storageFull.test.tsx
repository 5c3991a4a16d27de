import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { StorageFullBanner } from '../../src/app/StorageFullBanner';
import { createProject, db, setChatArchived, StorageFullError } from '../../src/db';

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
