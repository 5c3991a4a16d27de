/**
 * What a spec still lacks before a run says anything useful. Shared by the
 * Architect's replies and the Spec tab so both give the same advice.
 */
import { countExcludedDesigns } from './compatibility';
import { formulaMentionsKey } from './quantityText';
import type { SpecContent } from './spec';

export type ReadinessCode =
  | 'noGoals'
  | 'noConstraints'
  | 'noDimensions'
  | 'emptyDimension'
  | 'unratedOptions'
  | 'unratedConstraints'
  | 'missingRatings'
  | 'missingAttributeValues'
  | 'allDesignsExcluded';

export interface ReadinessIssue {
  code: ReadinessCode;
  /** Blockers make a run meaningless; warnings make it weaker. */
  severity: 'blocker' | 'warning';
  message: string;
  /** A line of Architect notation that would address it. */
  fix: string;
}

export interface Readiness {
  ready: boolean;
  issues: ReadinessIssue[];
  ratedCells: number;
  totalCells: number;
  /** The single most useful next step, in words. */
  nextStep: string;
}

function listNames(names: string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export function analyzeReadiness(spec: SpecContent): Readiness {
  const issues: ReadinessIssue[] = [];
  const dimensions = spec.designSpace.dimensions;
  const options = dimensions.flatMap((d) => d.options);
  // A quantity constraint is computed from attributes, so only rated constraints need ratings.
  const rated = spec.constraints.filter((c) => c.quantity === null);
  const constraintIds = new Set(rated.map((c) => c.id));

  if (spec.constraints.length === 0) {
    issues.push({
      code: 'noConstraints',
      severity: 'blocker',
      message: 'There are no constraints yet, so nothing can be scored.',
      fix: 'constraint: Offline-first weight 100 — must work with no network',
    });
  }
  if (dimensions.length === 0) {
    issues.push({
      code: 'noDimensions',
      severity: 'blocker',
      message: 'There are no design dimensions yet, so there is nothing to choose between.',
      fix: 'dimension Storage: IndexedDB cost 1, OPFS cost 2',
    });
  }
  const empty = dimensions.filter((d) => d.options.length === 0);
  if (empty.length) {
    issues.push({
      code: 'emptyDimension',
      severity: 'blocker',
      message: `Dimension${empty.length === 1 ? '' : 's'} ${listNames(empty.map((d) => d.name))} ha${empty.length === 1 ? 's' : 've'} no options.`,
      fix: `option ${empty[0]!.name}: <option name> cost 1`,
    });
  }
  if (spec.goals.length === 0) {
    issues.push({
      code: 'noGoals',
      severity: 'warning',
      message: 'No goals are written down yet.',
      fix: 'goal: <what the design must achieve>',
    });
  }
  if (options.length && dimensions.every((d) => d.options.length) && spec.designSpace.incompatibilities.length) {
    const count = countExcludedDesigns(spec.designSpace);
    if (count.exact && count.excluded === count.total) {
      issues.push({
        code: 'allDesignsExcluded',
        severity: 'blocker',
        message: 'The incompatibilities exclude every design, so there is nothing left to run.',
        fix: 'compatible <option> with <Dimension>/<option>',
      });
    }
  }
  for (const constraint of spec.constraints) {
    if (!constraint.quantity || !options.length) continue;
    const expression = constraint.quantity.expression;
    const missing = spec.designSpace.attributes.filter(
      (a) => formulaMentionsKey(expression, a.key) && !options.some((o) => o.attributes[a.id] !== undefined),
    );
    if (missing.length) {
      issues.push({
        code: 'missingAttributeValues',
        severity: 'warning',
        message: `The formula of ${constraint.name} uses ${listNames(missing.map((a) => a.name))}, but no option has a value for ${missing.length === 1 ? 'it' : 'them'} yet.`,
        fix: `set ${options[0]!.name} ${missing[0]!.key} 1`,
      });
    }
  }
  let ratedCells = 0;
  const totalCells = options.length * rated.length;
  if (rated.length && options.length) {
    const unratedOptions = options.filter((o) => !Object.keys(o.ratings).some((id) => constraintIds.has(id)));
    if (unratedOptions.length) {
      const constraint = rated[0]!;
      issues.push({
        code: 'unratedOptions',
        severity: 'warning',
        message: `Option${unratedOptions.length === 1 ? '' : 's'} ${listNames(unratedOptions.map((o) => o.name))} ha${unratedOptions.length === 1 ? 's' : 've'} no ratings.`,
        fix: `rate ${unratedOptions[0]!.name} ${constraint.name} 0.8`,
      });
    }
    const unratedConstraints = rated.filter((c) => !options.some((o) => o.ratings[c.id] !== undefined));
    if (unratedConstraints.length) {
      issues.push({
        code: 'unratedConstraints',
        severity: 'warning',
        message: `No option is rated on ${listNames(unratedConstraints.map((c) => c.name))}.`,
        fix: `rate ${options[0]!.name} ${unratedConstraints[0]!.name} 0.5`,
      });
    }
    for (const option of options) for (const c of rated) if (option.ratings[c.id] !== undefined) ratedCells += 1;
    if (ratedCells < totalCells && !unratedOptions.length && !unratedConstraints.length) {
      issues.push({
        code: 'missingRatings',
        severity: 'warning',
        message: `${totalCells - ratedCells} of ${totalCells} ratings are still empty.`,
        fix: 'show spec',
      });
    }
  }
  const blocker = issues.find((issue) => issue.severity === 'blocker');
  const first = blocker ?? issues[0];
  return {
    ready: !blocker,
    issues,
    ratedCells,
    totalCells,
    nextStep: first ? `${first.message} Try: ${first.fix}` : 'The spec is ready for a run.',
  };
}
