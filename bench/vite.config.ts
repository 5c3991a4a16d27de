import path from 'node:path';
import { defineConfig } from 'vite';

/** Outside the source tree, so neither lint nor git sees the minified output. */
export const BENCH_OUT_DIR = path.resolve(import.meta.dirname, '../node_modules/.cache/crucible-bench');

// A separate bench page, so the app bundle carries no benchmark code.
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: './',
  build: { outDir: BENCH_OUT_DIR, emptyOutDir: true },
  worker: { format: 'es' },
  logLevel: 'warn',
});
