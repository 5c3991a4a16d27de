import type { ProblemSpec, WorldModel } from '../domain';
import { db } from './database';

export async function getSpec(projectId: string): Promise<ProblemSpec | undefined> {
  return db.specs.get(projectId);
}

export async function getWorldModel(projectId: string): Promise<WorldModel | undefined> {
  return db.worldModels.get(projectId);
}
