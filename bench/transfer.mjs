// Export/import at scale: the built app (dist/, or BENCH_DIST) in Chromium with
// a generated project file of ~73,000 records (20,000 messages, 300 extra runs
// with 15 candidates × 10 scenarios each). Reports, through the real UI, how
// long the import preview takes, how long the confirmed import takes to write,
// and how long an export takes to download. Run after `vite build`:
//   node bench/transfer.mjs            (RUNS=… MSGS=… to change the size)
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const dist = process.env.BENCH_DIST ?? path.join(root, 'dist');
const port = Number(process.env.BENCH_TRANSFER_PORT ?? 4394);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.RUNS ?? 300);
const MSGS = Number(process.env.MSGS ?? 20_000);

if (!existsSync(path.join(dist, 'index.html'))) {
  console.error(`${dist} has no build: build the app first (\`vite build\`).`);
  process.exit(1);
}

/** A large, valid export file grown from the frozen format-2 fixture (fresh ids, consistent references). */
function generateFile() {
  const file = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/export-format-v2.crucible.json'), 'utf8'));
  const data = file.data;
  data.project.title = 'Large project';
  data.runs = data.runs.filter((run) => run.status !== 'running' && run.status !== 'created');
  const template = data.runs.find((run) => run.status === 'completed' && run.candidateCount === 3);
  const candidates = data.candidates.filter((c) => c.runId === template.id);
  const scenarios = data.scenarios.filter((s) => s.runId === template.id);
  const evaluation = data.evaluations.find((e) => e.runId === template.id);
  let createdAt = template.createdAt;
  for (let r = 0; r < RUNS; r++) {
    const runId = randomUUID();
    const candidateIds = [];
    const scenarioIds = [];
    for (let k = 0; k < 5; k++) {
      candidates.forEach((candidate, i) => {
        const id = randomUUID();
        candidateIds.push(id);
        data.candidates.push({ ...candidate, id, runId, rank: k * candidates.length + i + 1, parentIds: [] });
      });
      scenarios.forEach((scenario, i) => {
        const id = randomUUID();
        scenarioIds.push(id);
        data.scenarios.push({ ...scenario, id, runId, index: k * scenarios.length + i });
      });
    }
    for (const candidateId of candidateIds) {
      for (const scenarioId of scenarioIds) data.evaluations.push({ ...evaluation, id: randomUUID(), runId, candidateId, scenarioId });
    }
    data.runs.push({
      ...template,
      id: runId,
      createdAt: ++createdAt,
      candidateCount: candidateIds.length,
      scenarioCount: scenarioIds.length,
      evaluationCount: candidateIds.length * scenarioIds.length,
    });
  }
  const message = data.messages.find((m) => !m.meta);
  for (let i = 0; i < MSGS; i++) {
    data.messages.push({
      ...message,
      id: randomUUID(),
      content: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
      createdAt: message.createdAt + 1_000_000 + i,
    });
  }
  const records = ['messages', 'runs', 'candidates', 'scenarios', 'evaluations'].reduce((sum, key) => sum + data[key].length, 0);
  return {
    content: JSON.stringify(file),
    records,
    counts: Object.fromEntries(['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'].map((k) => [k, data[k].length])),
  };
}

const { content, records, counts } = generateFile();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'crucible-transfer-bench-'));
const filePath = path.join(workDir, 'large.crucible.json');
writeFileSync(filePath, content);
console.log(`file: ${(content.length / 1_048_576).toFixed(1)} MB, ${records} records ${JSON.stringify(counts)}`);

const server = await preview({ root, build: { outDir: dist }, preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
const base = `http://127.0.0.1:${port}`;
let exitCode = 0;
try {
  const context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Import project…' }).waitFor();

  let started = Date.now();
  await page.getByTestId('import-file-input').setInputFiles(filePath);
  const dialog = page.getByRole('dialog', { name: 'Import “Large project”?' });
  await dialog.waitFor({ timeout: 120_000 });
  const previewMs = Date.now() - started;

  started = Date.now();
  await dialog.getByRole('button', { name: 'Import project' }).click();
  await page.waitForURL(/\/chat\//, { timeout: 600_000 });
  const importMs = Date.now() - started;

  await page.goto(`${base}/`);
  // Headless Chromium has a save picker it cannot show: the bench measures the download path.
  await page.evaluate(() => {
    window.showSaveFilePicker = undefined;
  });
  started = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600_000 }),
    page
      .getByTestId('project-card')
      .first()
      .getByRole('button', { name: /^Export/ })
      .click(),
  ]);
  await download.path();
  const exportMs = Date.now() - started;

  console.log(`import preview: ${previewMs} ms`);
  console.log(`import write:   ${importMs} ms (${Math.round(records / (importMs / 1000))} records/s)`);
  console.log(`export:         ${exportMs} ms`);
  await context.close();
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await server.close();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
