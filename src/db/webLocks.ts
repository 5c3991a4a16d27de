/**
 * The part of `navigator.locks` the start-up sweeps use (tests pass a fake). A tab holds a run's or a streaming
 * reply's Web Lock while it works on it, so another tab can tell live work from work a closed tab left behind.
 */
export interface WebLockManager {
  query(): Promise<{ held?: { name?: string }[] }>;
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Names of the locks held when asked (a snapshot: a lock may be taken or let go of the moment after). */
export async function heldLockNames(locks: WebLockManager | undefined): Promise<Set<string>> {
  const snapshot = locks ? await locks.query() : { held: [] };
  return new Set((snapshot.held ?? []).flatMap((lock) => (lock.name ? [lock.name] : [])));
}
