import Dexie from 'dexie';
import type { Candidate, Evaluation, Scenario } from '../domain';
import { db } from './database';

/** Ranked best first via the [runId+rank] index. */
export async function listCandidates(runId: string): Promise<Candidate[]> {
  return db.candidates.where('[runId+rank]').between([runId, Dexie.minKey], [runId, Dexie.maxKey]).toArray();
}

export async function getCandidate(candidateId: string): Promise<Candidate | undefined> {
  return db.candidates.get(candidateId);
}

export async function listScenarios(runId: string): Promise<Scenario[]> {
  const scenarios = await db.scenarios.where('runId').equals(runId).toArray();
  return scenarios.sort((a, b) => a.index - b.index);
}

export async function listEvaluations(runId: string): Promise<Evaluation[]> {
  return db.evaluations.where('runId').equals(runId).toArray();
}
