// Data sets for bench/scale.mjs, generated in Node or written in the page with
// the raw IndexedDB API into the schema the app itself created.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * A large, valid export file grown from the frozen format-2 fixture (fresh ids,
 * consistent references): about 73,000 records and 75 MB at the defaults
 * (the messages are long, as a pasted design note is).
 */
export function generateLargeProjectFile({ runs = 300, messages = 20_000, messageWords = 92, title = 'Large project' } = {}) {
  const file = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/export-format-v2.crucible.json'), 'utf8'));
  const data = file.data;
  data.project.title = title;
  data.runs = data.runs.filter((run) => run.status !== 'running' && run.status !== 'created');
  const template = data.runs.find((run) => run.status === 'completed' && run.candidateCount === 3);
  const candidates = data.candidates.filter((c) => c.runId === template.id);
  const scenarios = data.scenarios.filter((s) => s.runId === template.id);
  const evaluation = data.evaluations.find((e) => e.runId === template.id);
  let createdAt = template.createdAt;
  for (let r = 0; r < runs; r++) {
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
  for (let i = 0; i < messages; i++) {
    data.messages.push({
      ...message,
      id: randomUUID(),
      content: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(messageWords)}`,
      createdAt: message.createdAt + 1_000_000 + i,
    });
  }
  const tables = ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'];
  const records = tables.reduce((sum, key) => sum + data[key].length, 0);
  return { content: JSON.stringify(file), records };
}

/** A version-1 database (the single-chat schema) of about `total` records, grown from tests/fixtures/db-v1.json. */
export function generateVersion1Tables(total = 100_000) {
  const fixture = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/db-v1.json'), 'utf8'));
  const tables = structuredClone(fixture.tables);
  const base = tables.messages.length + tables.runs.length + tables.candidates.length + tables.scenarios.length + tables.evaluations.length;
  const extra = total - base - tables.projects.length - tables.specs.length - tables.worldModels.length - tables.chatSessions.length;
  const runs = Math.floor(extra * 0.05);
  const perRun = 3;
  const messages = extra - runs * (1 + perRun * 3);
  const runTemplate = tables.runs.find((run) => run.status === 'completed') ?? tables.runs[0];
  const candidate = tables.candidates[0];
  const scenario = tables.scenarios[0];
  const evaluation = tables.evaluations[0];
  for (let r = 0; r < runs; r++) {
    const runId = `bench-v1-run-${r}`;
    tables.runs.push({ ...runTemplate, id: runId, createdAt: runTemplate.createdAt + r });
    for (let k = 0; k < perRun; k++) {
      const candidateId = `${runId}-c${k}`;
      const scenarioId = `${runId}-s${k}`;
      tables.candidates.push({ ...candidate, id: candidateId, runId, rank: k + 1 });
      tables.scenarios.push({ ...scenario, id: scenarioId, runId });
      tables.evaluations.push({ ...evaluation, id: `${runId}-e${k}`, runId, candidateId, scenarioId });
    }
  }
  const message = tables.messages[0];
  for (let m = 0; m < messages; m++) {
    tables.messages.push({ ...message, id: `bench-v1-msg-${m}`, content: `Old message ${m}`, createdAt: message.createdAt + 1000 + m });
  }
  const count = Object.values(tables).reduce((sum, rows) => sum + rows.length, 0);
  return { tables, count };
}

/**
 * A spec of 50 dimensions × 10 options × 20 constraints with 5,000 goals
 * (every option rated against every constraint), for the Spec tab at scale.
 */
export function generateLargeSpec(projectId, { dimensions = 50, options = 10, constraints = 20, goals = 5000 } = {}) {
  const constraintList = Array.from({ length: constraints }, (_, c) => ({
    id: `bench-c-${c}`,
    name: `Constraint ${c + 1}`,
    description: '',
    weight: c === 0 ? 100 : 10 + ((c * 7) % 80),
    combine: 'mean',
    quantity: null,
  }));
  return {
    projectId,
    goals: Array.from({ length: goals }, (_, g) => ({ id: `bench-g-${g}`, text: `Goal ${g + 1}: keep the design within its brief` })),
    constraints: constraintList,
    resolution: 'medium',
    mode: 'full_search',
    designSpace: {
      dimensions: Array.from({ length: dimensions }, (_, d) => ({
        id: `bench-d-${d}`,
        name: `Dimension ${d + 1}`,
        description: '',
        options: Array.from({ length: options }, (_, o) => ({
          id: `bench-d-${d}-o-${o}`,
          name: `Option ${d + 1}.${o + 1}`,
          description: '',
          cost: 1 + ((d + o) % 5),
          ratings: Object.fromEntries(constraintList.map((c, ci) => [c.id, ((d * 31 + o * 17 + ci * 7) % 11) / 10])),
          attributes: {},
        })),
      })),
      attributes: [],
      incompatibilities: [],
      costAttributeId: null,
    },
    provenance: [],
    updatedAt: Date.now(),
  };
}
