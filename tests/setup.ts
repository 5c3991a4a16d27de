import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { afterEach, beforeAll } from 'vitest';

beforeAll(async () => {
  if (typeof document !== 'undefined') {
    // IndexedDB round trips through live queries (and a whole sample import) can exceed a few seconds on a busy 2-core machine;
    // a wait ends as soon as its condition holds, so a long ceiling costs nothing when the machine is quiet.
    const { configure } = await import('@testing-library/react');
    configure({ asyncUtilTimeout: 15_000 });
  }
});

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(async () => {
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react');
    cleanup();
  }
});
