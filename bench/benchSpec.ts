import type { SpecContent } from '../src/domain';
import { mulberry32 } from '../src/engine/prng';

/** The benchmark space: 10 dimensions × 4 options (1,048,576 designs), 8 constraints (2 hard). */
export function benchSpec(seed = 2024): SpecContent {
  const random = mulberry32(seed);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const constraints: SpecContent['constraints'] = Array.from({ length: 8 }, (_, c) => ({
    id: `c${c}`,
    name: `Constraint ${c + 1}`,
    description: '',
    weight: c < 2 ? 100 : 20 + Math.floor(random() * 70),
    combine: 'mean',
    quantity: null,
  }));
  const dimensions = Array.from({ length: 10 }, (_, d) => ({
    id: `d${d}`,
    name: `Dimension ${d + 1}`,
    description: '',
    options: Array.from({ length: 4 }, (_, o) => ({
      id: `d${d}o${o}`,
      name: `Option ${d + 1}${'abcd'[o]}`,
      description: '',
      cost: 1 + Math.floor(random() * 9),
      ratings: Object.fromEntries(constraints.map((constraint) => [constraint.id, round2(0.25 + random() * 0.75)])),
      attributes: {},
    })),
  }));
  return { goals: [], constraints, resolution: 'medium', mode: 'full_search', designSpace: { dimensions, attributes: [], incompatibilities: [], costAttributeId: null } };
}
