import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Kept apart from vite.config.ts so the PWA plugin never loads under test.
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.test.ts', 'tests/component/**/*.test.tsx', 'tests/component/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 20000,
    // Vitest's default is one worker fewer than the cores: a single worker on the 2-core CI machine (230 s). Two
    // take 132 s there, all passing; a larger machine keeps the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
