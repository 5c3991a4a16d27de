import { beforeEach, describe, expect, it } from 'vitest';
import { createProject, db } from '../../src/db';
import { finishModelReply, replyLockName, startModelReply, sweepInterruptedReplies } from '../../src/db/modelReplies';
import { parseModelReplyMeta } from '../../src/domain/modelMessage';
import { FakeLocks } from '../support/fakeLocks';

const stateOf = async (messageId: string) => parseModelReplyMeta((await db.messages.get(messageId))?.meta)?.state;

/** A reply streaming under its lock, as a tab starts one: the lock is taken before the reply is written. */
async function streamingReply(chatId: string, locks: FakeLocks, turnId: string) {
  const lockName = replyLockName(turnId);
  const release = locks.hold(lockName);
  const { replyMessage } = await startModelReply(chatId, `question ${turnId}`, { providerName: 'Fake', model: 'm' }, lockName);
  return { messageId: replyMessage.id, release };
}

describe('the start-up sweep of streaming model replies', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('marks a reply nobody holds interrupted at once', async () => {
    const { chat } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const { messageId, release } = await streamingReply(chat.id, locks, 't1');
    release();
    const sweep = await sweepInterruptedReplies(locks);
    expect(sweep.interrupted).toEqual([messageId]);
    expect(await stateOf(messageId)).toBe('interrupted');
  });

  it('spares a reply whose lock is held, and marks it interrupted once the holder lets go without finishing it (its tab closed)', async () => {
    const { chat } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const { messageId, release } = await streamingReply(chat.id, locks, 't1');
    const sweep = await sweepInterruptedReplies(locks);
    expect(sweep.interrupted).toEqual([]);
    expect(await stateOf(messageId)).toBe('streaming');
    // The closing tab's lock goes away only now, after the sweep looked.
    release();
    await sweep.watched;
    expect(await stateOf(messageId)).toBe('interrupted');
  });

  it('leaves a reply alone that its tab finished before letting go of the lock', async () => {
    const { chat } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const { messageId, release } = await streamingReply(chat.id, locks, 't1');
    const sweep = await sweepInterruptedReplies(locks);
    await finishModelReply(messageId, 'All of it.', { kind: 'modelReply', providerName: 'Fake', model: 'm', state: 'done' });
    release();
    await sweep.watched;
    expect(await stateOf(messageId)).toBe('done');
  });

  it('does not mistake a reply another tab starts while the locks are listed for an orphan', async () => {
    const { chat } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    let late: string | null = null;
    locks.afterSnapshot = async () => {
      // Another tab takes the new reply's lock and writes it: the snapshot already taken does not list that lock.
      locks.afterSnapshot = null;
      late = (await streamingReply(chat.id, locks, 'late')).messageId;
    };
    const sweep = await sweepInterruptedReplies(locks);
    expect(late).not.toBeNull();
    expect(sweep.interrupted).toEqual([]);
    expect(await stateOf(late!)).toBe('streaming');
  });

  it('settles only the orphan when a live reply and an orphan are both on record', async () => {
    const { chat } = await createProject({ title: 'P' });
    const locks = new FakeLocks();
    const live = await streamingReply(chat.id, locks, 'live');
    const orphan = await streamingReply(chat.id, locks, 'orphan');
    orphan.release();
    const sweep = await sweepInterruptedReplies(locks);
    expect(sweep.interrupted).toEqual([orphan.messageId]);
    expect(await stateOf(live.messageId)).toBe('streaming');
    live.release();
    await sweep.watched;
    expect(await stateOf(live.messageId)).toBe('interrupted');
  });
});
