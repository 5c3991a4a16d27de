import { RUN_MODE_LABELS, type Run } from '../../domain';

/** One row of the spec-and-config table: an item and its value in each run ("—" where absent). */
export interface CompareFact {
  key: string;
  group: string;
  label: string;
  values: string[];
  differs: boolean;
}

const ABSENT = '—';

/**
 * The runs' config and spec snapshots flattened to comparable rows, keyed by
 * id so a renamed constraint is one row (labelled with its latest name).
 */
export function specAndConfigFacts(runs: readonly Run[]): CompareFact[] {
  const rows = new Map<string, { group: string; label: string; values: string[] }>();
  const set = (key: string, group: string, label: string, at: number, value: string) => {
    const row = rows.get(key) ?? { group, label, values: runs.map(() => ABSENT) };
    row.label = label;
    row.values[at] = value;
    rows.set(key, row);
  };
  runs.forEach((run, at) => {
    const spec = run.specSnapshot;
    set('config:mode', 'Config', 'Mode', at, RUN_MODE_LABELS[run.mode]);
    set('config:candidates', 'Config', 'Candidates', at, String(run.config.numCandidates));
    set('config:scenarios', 'Config', 'Scenarios', at, String(run.config.numScenarios));
    set('config:seed', 'Config', 'Seed', at, String(run.config.seed));
    const scenarioStage = run.metrics.stages?.scenarioGenerator;
    set(
      'config:scenarioSource',
      'Config',
      'Scenario source',
      at,
      scenarioStage?.kind === 'model' ? `model ${scenarioStage.model}` : 'built-in',
    );
    set('spec:resolution', 'Spec', 'Resolution', at, spec.resolution);
    for (const goal of spec.goals) set(`goal:${goal.id}`, 'Goal', goal.text, at, '✓');
    for (const constraint of spec.constraints) {
      const rule = constraint.weight >= 100 ? 'hard' : `weight ${constraint.weight}`;
      set(
        `constraint:${constraint.id}`,
        'Constraint',
        constraint.name,
        at,
        `${rule} · ${constraint.combine === 'weakest' ? 'weakest link' : 'mean'}`,
      );
      if (constraint.quantity) {
        const q = constraint.quantity;
        set(
          `quantity:${constraint.id}`,
          'Formula',
          constraint.name,
          at,
          `${q.expression} ${q.comparator === 'atLeast' ? '≥' : '≤'} ${q.threshold}${q.unit ? ` ${q.unit}` : ''} ± ${q.margin}`,
        );
      }
    }
    const names = new Map(spec.constraints.map((constraint) => [constraint.id, constraint.name]));
    for (const dimension of spec.designSpace.dimensions) {
      set(`dimension:${dimension.id}`, 'Dimension', dimension.name, at, `${dimension.options.length} options`);
      for (const option of dimension.options) {
        const label = `${dimension.name}: ${option.name}`;
        set(`cost:${option.id}`, 'Cost', label, at, String(option.cost));
        for (const [constraintId, rating] of Object.entries(option.ratings))
          set(
            `rating:${option.id}:${constraintId}`,
            'Rating',
            `${label} on ${names.get(constraintId) ?? 'a removed constraint'}`,
            at,
            String(rating),
          );
        for (const [attributeId, value] of Object.entries(option.attributes ?? {})) {
          const attribute = spec.designSpace.attributes.find((item) => item.id === attributeId);
          set(
            `attribute:${option.id}:${attributeId}`,
            'Attribute',
            `${label} ${attribute?.name ?? 'attribute'}`,
            at,
            `${value}${attribute?.unit ? ` ${attribute.unit}` : ''}`,
          );
        }
      }
    }
    for (const pair of spec.designSpace.incompatibilities)
      set(`incompatible:${pair.id}`, 'Incompatible', pair.reason || pair.optionIds.join(' + '), at, '✓');
  });
  return [...rows].map(([key, row]) => ({ key, ...row, differs: row.values.some((value) => value !== row.values[0]) }));
}
