import type { WebLockManager } from '../../src/db/webLocks';

/** An in-memory lock manager: exclusive locks by name, granted in turn, with a hook between the listing and its reply. */
export class FakeLocks implements WebLockManager {
  private readonly holders = new Map<string, Promise<void>>();
  /** Runs after `query` has taken its snapshot and before it returns it (another tab acting in between). */
  afterSnapshot: (() => Promise<void>) | null = null;

  hold(name: string): () => void {
    let release!: () => void;
    this.holders.set(
      name,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.holders.delete(name);
      release();
    };
  }

  async query() {
    const held = [...this.holders.keys()].map((name) => ({ name }));
    await this.afterSnapshot?.();
    return { held };
  }

  async request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    while (this.holders.has(name)) await this.holders.get(name);
    const release = this.hold(name);
    try {
      return await callback();
    } finally {
      release();
    }
  }
}
