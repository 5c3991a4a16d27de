import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db, deleteSetting, getSetting, listSettingsWithPrefix, putSetting, StorageFullError } from '../../src/db';

const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

beforeEach(async () => {
  await db.delete();
  await db.open();
});
afterEach(() => vi.restoreAllMocks());

describe('settings', () => {
  it('stores, reads back, lists by prefix and deletes values', async () => {
    await putSetting('transfer.sampleProjectId', 'p1');
    await putSetting('streamingReply:m1', { chatId: 'c1' });
    await putSetting('streamingReply:m2', { chatId: 'c2' });
    expect(await getSetting('transfer.sampleProjectId')).toBe('p1');
    expect(await getSetting('never.set')).toBeUndefined();
    expect((await listSettingsWithPrefix('streamingReply:')).map((setting) => setting.key)).toEqual([
      'streamingReply:m1',
      'streamingReply:m2',
    ]);
    await deleteSetting('streamingReply:m1');
    expect(await getSetting('streamingReply:m1')).toBeUndefined();
  });

  it('turns a write refused for quota into StorageFullError and keeps the old value', async () => {
    await putSetting('transfer.backupReminderSnoozedUntil', 1);
    vi.spyOn(db.settings, 'put').mockRejectedValueOnce(quotaExceeded());
    await expect(putSetting('transfer.backupReminderSnoozedUntil', 2)).rejects.toBeInstanceOf(StorageFullError);
    expect(await getSetting('transfer.backupReminderSnoozedUntil')).toBe(1);
  });

  it('guards a delete the same way', async () => {
    await putSetting('k', 'kept');
    vi.spyOn(db.settings, 'delete').mockRejectedValueOnce(quotaExceeded());
    await expect(deleteSetting('k')).rejects.toBeInstanceOf(StorageFullError);
    expect(await getSetting('k')).toBe('kept');
  });
});
