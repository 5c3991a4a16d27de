import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { afterEach, beforeAll } from 'vitest';

beforeAll(async () => {
  if (typeof document !== 'undefined') {
    // IndexedDB round trips through live queries can exceed the 1 s default on a busy 2-core CI machine.
    const { configure } = await import('@testing-library/react');
    configure({ asyncUtilTimeout: 5000 });
  }
});

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(async () => {
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react');
    cleanup();
  }
});
