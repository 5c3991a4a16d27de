import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium against the built app served by `vite preview`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/browser/**/*.browser.test.ts'],
    globalSetup: ['tests/browser/globalSetup.ts'],
    // Two files at a time: each drives its own Chromium with its own profile (its own IndexedDB and service worker)
    // against the one preview server, and most of a browser test is waiting on the page, so two overlap well on the
    // 2-core CI machine (CI=true): 587 s one at a time, 427 s two at a time, all passing under a load average of 9.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
