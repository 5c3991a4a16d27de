import type { Constraint, Dimension, RunConfig, SpecContent } from '../../src/domain';
import { mulberry32 } from '../../src/engine';
import type { PipelineInput } from '../../src/engine';

/** Sequential ids so two runs can be compared field by field. */
export function counterIds(prefix = 'id'): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

/**
 * The hand-computed example of docs/engine.md: 2 dimensions × 2 options,
 * 'Offline-first' (weight 100, hard) and 'Speed' (weight 50).
 */
export function handExampleSpec(): SpecContent {
  return {
    goals: [{ id: 'g1', text: 'A notes app that works offline' }],
    constraints: [
      { id: 'offline', name: 'Offline-first', description: '', weight: 100, combine: 'mean', quantity: null },
      { id: 'speed', name: 'Speed', description: '', weight: 50, combine: 'mean', quantity: null },
    ],
    resolution: 'medium',
    mode: 'full_search',
    designSpace: {
      attributes: [],
      incompatibilities: [],
      costAttributeId: null,
      dimensions: [
        {
          id: 'storage',
          name: 'Storage',
          description: '',
          options: [
            { id: 'idb', name: 'IndexedDB', description: '', cost: 2, ratings: { offline: 0.9, speed: 0.4 }, attributes: {} },
            { id: 'remote', name: 'Remote API', description: '', cost: 1, ratings: { offline: 0.1, speed: 0.8 }, attributes: {} },
          ],
        },
        {
          id: 'ui',
          name: 'UI',
          description: '',
          options: [
            { id: 'light', name: 'Light UI', description: '', cost: 1, ratings: { offline: 0.6, speed: 0.9 }, attributes: {} },
            { id: 'heavy', name: 'Heavy UI', description: '', cost: 3, ratings: { offline: 0.8, speed: 0.3 }, attributes: {} },
          ],
        },
      ],
    },
  };
}

/** A reproducible random spec: `dimensions` × `options`, `constraints` constraints (the first `hard` of them hard). */
export function randomSpec(args: { dimensions: number; options: number; constraints: number; hard?: number; seed?: number }): SpecContent {
  const random = mulberry32(args.seed ?? 7);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const constraints: Constraint[] = Array.from({ length: args.constraints }, (_, c) => ({
    id: `c${c}`,
    name: `Constraint ${c}`,
    description: '',
    weight: c < (args.hard ?? 0) ? 100 : 10 + Math.floor(random() * 80),
    combine: 'mean',
    quantity: null,
  }));
  const dimensions: Dimension[] = Array.from({ length: args.dimensions }, (_, d) => ({
    id: `d${d}`,
    name: `Dimension ${d}`,
    description: '',
    options: Array.from({ length: args.options }, (_, o) => ({
      id: `d${d}o${o}`,
      name: `Option ${d}.${o}`,
      description: '',
      cost: 1 + Math.floor(random() * 9),
      ratings: Object.fromEntries(constraints.map((constraint) => [constraint.id, round2(0.2 + random() * 0.8)])),
      attributes: {},
    })),
  }));
  return {
    goals: [],
    constraints,
    resolution: 'medium',
    mode: 'full_search',
    designSpace: { dimensions, attributes: [], incompatibilities: [], costAttributeId: null },
  };
}

export function inputFor(spec: SpecContent, config: Partial<RunConfig> = {}, extra: Partial<PipelineInput> = {}): PipelineInput {
  return {
    runId: 'run-1',
    projectId: 'project-1',
    spec,
    mode: spec.mode,
    config: { numCandidates: 5, numScenarios: 4, seed: 42, ...config },
    ...extra,
  };
}
