import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium against the built app served by `vite preview`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/browser/**/*.browser.test.ts'],
    globalSetup: ['tests/browser/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
