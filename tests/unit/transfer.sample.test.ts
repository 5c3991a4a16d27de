import { beforeEach, expect, it } from 'vitest';
import { db, importFile, prepareImport } from '../../src/db';
import { SAMPLE_TITLE, buildSampleProjectFile } from '../../src/features/transfer/sample/sampleProject';
import { clearDatabase } from './transferTestData';
import { importErrorSentence } from '../../src/shared/errorText';

beforeEach(clearDatabase);

it('the sample project is a valid export file with completed engine runs, and imports without warnings', async () => {
  const file = await buildSampleProjectFile(Date.UTC(2026, 5, 1));
  const content = JSON.stringify(file);
  const prepared = await prepareImport(content);
  if (!prepared.ok) throw new Error(importErrorSentence(prepared.error));
  expect(prepared.value.warnings).toEqual([]);
  expect(prepared.value.totals).toMatchObject({ projects: 1, chats: 3, runs: 3 });

  const result = await importFile(content);
  if (!result.ok) throw new Error(importErrorSentence(result.error));
  const projectId = result.value[0]!.projectId;
  const project = await db.projects.get(projectId);
  expect(project).toMatchObject({ title: SAMPLE_TITLE, chatCount: 3, runCount: 3 });

  // What a newcomer should see the engine handle: attributes with units, a computed constraint,
  // incompatible pairs, two hard constraints and cost from the price attribute.
  const spec = (await db.specs.get(projectId))!;
  expect(spec.designSpace.attributes.every((a) => a.key && a.name)).toBe(true);
  expect(spec.designSpace.attributes.filter((a) => a.unit).length).toBeGreaterThanOrEqual(3);
  expect(spec.constraints.filter((c) => c.quantity).map((c) => c.name)).toEqual(['Flight range', 'Pack mass']);
  expect(spec.constraints.filter((c) => c.weight === 100).map((c) => c.name)).toEqual(['Flight range', 'Thermal safety']);
  expect(spec.designSpace.incompatibilities).toHaveLength(2);
  expect(spec.designSpace.attributes.find((a) => a.id === spec.designSpace.costAttributeId)?.key).toBe('price');

  const chats = await db.chatSessions.where('projectId').equals(projectId).toArray();
  expect(chats.map((c) => c.mode).sort()).toEqual(['analysis', 'setup', 'whatif']);
  expect(chats.find((c) => c.mode === 'whatif')!.specChanges.map((change) => change.kind)).toEqual(['constraint']);

  const runs = await db.runs.where('projectId').equals(projectId).sortBy('createdAt');
  expect(runs.map((r) => [r.mode, r.status])).toEqual([
    ['full_search', 'completed'],
    ['seeded', 'completed'],
    ['full_search', 'completed'],
  ]);
  for (const run of runs) {
    const candidates = await db.candidates.where('runId').equals(run.id).toArray();
    expect(candidates.length).toBe(run.candidateCount);
    expect(await db.evaluations.where('runId').equals(run.id).count()).toBe(run.evaluationCount);
    expect(run.metrics.bestI).toBe(Math.max(...candidates.filter((c) => c.status !== 'rejected').map((c) => c.scores.I)));
  }
  // Lineage: the seeded run explores around the first run's winner.
  const firstBest = (await db.candidates.where('[runId+rank]').equals([runs[0]!.id, 1]).first())!;
  const seededCandidates = await db.candidates.where('runId').equals(runs[1]!.id).toArray();
  expect(seededCandidates.every((c) => c.parentIds.includes(firstBest.id))).toBe(true);
  expect(runs[1]!.config.seedCandidateId).toBe(firstBest.id);
  // The conversation quotes the engine's actual winner.
  // The run-summary message is the app's own card format, pointing at the imported run and its winner.
  const summary = (await db.messages.where('projectId').equals(projectId).toArray()).find(
    (m) => m.meta?.kind === 'runSummary' && m.meta.runId === runs[0]!.id,
  )!;
  expect(summary.content).toContain(`Run ${runs[0]!.id.slice(0, 8)} completed`);
  expect(summary.content).toContain(`Best: ${firstBest.label} (I=${firstBest.scores.I.toFixed(2)})`);
  const top = (summary.meta!.summary as { top: { id: string }[] }).top;
  expect(top[0]!.id).toBe(firstBest.id);
});
