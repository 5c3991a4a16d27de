import type { SpecContent } from '../src/domain';
import { mulberry32 } from '../src/engine/prng';

/**
 * The benchmark space: 10 dimensions × 4 options (1,048,576 designs) by default, 8 constraints (2 hard).
 * Hard-constraint ratings lean high (0.45–1) so that, under weakest-link hard constraints and 8
 * scenarios' uncertainty, some designs stay feasible and the search has a real frontier to find.
 */
export function benchSpec(seed = 2024, dimensionCount = 10, optionCount = 4): SpecContent {
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
  const dimensions = Array.from({ length: dimensionCount }, (_, d) => ({
    id: `d${d}`,
    name: `Dimension ${d + 1}`,
    description: '',
    options: Array.from({ length: optionCount }, (_, o) => ({
      id: `d${d}o${o}`,
      name: `Option ${d + 1}.${o + 1}`,
      description: '',
      cost: 1 + Math.floor(random() * 9),
      ratings: Object.fromEntries(
        constraints.map((constraint, c) => [constraint.id, round2(c < 2 ? 0.45 + random() * 0.55 : 0.25 + random() * 0.75)]),
      ),
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
