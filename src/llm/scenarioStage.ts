// The model-backed scenario stage: the model proposes named, causal scenarios; they are validated (names resolved
// to ids, values bounded) into the engine's ScenarioDraft and handed to the run as PipelineInput.providedScenarios.
// Runs on the main thread before the worker starts, so a failure leaves nothing half-written.
import { z } from 'zod';
import type { SpecContent, StageImplementation } from '../domain';
import { baselineScenario } from '../engine/scenarios';
import type { ScenarioDraft } from '../engine/types';
import { generateStructured } from './structured';
import type { ProviderConfig, Usage } from './types';

export const SCENARIO_BOUNDS = {
  minScenarios: 1,
  maxScenarios: 8,
  weightMultiplier: [0.2, 5],
  ratingShift: [-0.5, 0.5],
  attributeScale: [0.2, 5],
  scenarioWeight: [0.1, 5],
} as const;

const modelScenarioSchema = z.object({
  scenarios: z.array(
    z.object({
      name: z.string().describe('short name with the cause, e.g. "Cold morning, −10 °C"'),
      description: z.string().describe('one sentence: what happens and why it matters'),
      type: z.enum(['stress_test', 'edge_case', 'normal_operation', 'failure_mode']),
      likelihood: z.number().describe('relative weight of this scenario, 0.1 to 5 (1 = as likely as normal operation)'),
      weightChanges: z.array(z.object({ constraint: z.string(), multiplier: z.number().describe('0.2 to 5') })),
      ratingShifts: z.array(
        z.object({
          option: z.string().describe('"Dimension / Option"'),
          constraint: z.string(),
          shift: z.number().describe('-0.5 to 0.5'),
        }),
      ),
      attributeScales: z.array(z.object({ attribute: z.string(), multiplier: z.number().describe('0.2 to 5') })),
    }),
  ),
});
export type ModelScenarioAnswer = z.infer<typeof modelScenarioSchema>;

const norm = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

interface Resolver {
  constraint(name: string): string | null;
  option(label: string): string | null;
  attribute(name: string): string | null;
}

function resolverFor(spec: SpecContent): Resolver {
  const constraints = new Map(spec.constraints.map((constraint) => [norm(constraint.name), constraint.id]));
  const qualified = new Map<string, string>();
  const bare = new Map<string, string[]>();
  for (const dimension of spec.designSpace.dimensions) {
    for (const option of dimension.options) {
      qualified.set(norm(`${dimension.name} / ${option.name}`), option.id);
      bare.set(norm(option.name), [...(bare.get(norm(option.name)) ?? []), option.id]);
    }
  }
  const attributes = new Map<string, string>();
  for (const attribute of spec.designSpace.attributes) {
    attributes.set(norm(attribute.name), attribute.id);
    attributes.set(norm(attribute.key), attribute.id);
  }
  return {
    constraint: (name) => constraints.get(norm(name)) ?? null,
    option: (label) => {
      const direct = qualified.get(norm(label.replace(/\s*\/\s*/, ' / ')));
      if (direct) return direct;
      const matches = bare.get(norm(label)) ?? [];
      return matches.length === 1 ? matches[0]! : null;
    },
    attribute: (name) => attributes.get(norm(name)) ?? null,
  };
}

const inRange = (value: number, [low, high]: readonly [number, number]) => Number.isFinite(value) && value >= low && value <= high;

/** Every problem as a sentence (fed back to the model once). */
export function checkModelScenarios(answer: ModelScenarioAnswer, spec: SpecContent): string[] {
  const resolve = resolverFor(spec);
  const problems: string[] = [];
  const { scenarios } = answer;
  if (scenarios.length < SCENARIO_BOUNDS.minScenarios || scenarios.length > SCENARIO_BOUNDS.maxScenarios) {
    problems.push(`Give between ${SCENARIO_BOUNDS.minScenarios} and ${SCENARIO_BOUNDS.maxScenarios} scenarios (got ${scenarios.length}).`);
  }
  const names = new Set<string>();
  scenarios.forEach((scenario, index) => {
    const label = `Scenario ${index + 1} ("${scenario.name}")`;
    if (!scenario.name.trim()) problems.push(`Scenario ${index + 1} needs a name.`);
    if (names.has(norm(scenario.name))) problems.push(`${label} repeats a name; names must differ.`);
    names.add(norm(scenario.name));
    if (!inRange(scenario.likelihood, SCENARIO_BOUNDS.scenarioWeight))
      problems.push(`${label}: likelihood must be between 0.1 and 5 (got ${scenario.likelihood}).`);
    if (scenario.weightChanges.length + scenario.ratingShifts.length + scenario.attributeScales.length === 0)
      problems.push(`${label} changes nothing; give at least one weight change, rating shift or attribute scale.`);
    for (const change of scenario.weightChanges) {
      if (!resolve.constraint(change.constraint)) problems.push(`${label}: there is no constraint named "${change.constraint}".`);
      if (!inRange(change.multiplier, SCENARIO_BOUNDS.weightMultiplier))
        problems.push(`${label}: the weight multiplier for "${change.constraint}" must be between 0.2 and 5 (got ${change.multiplier}).`);
    }
    for (const shift of scenario.ratingShifts) {
      if (!resolve.option(shift.option)) problems.push(`${label}: there is no option "${shift.option}" (write "Dimension / Option").`);
      if (!resolve.constraint(shift.constraint)) problems.push(`${label}: there is no constraint named "${shift.constraint}".`);
      if (!inRange(shift.shift, SCENARIO_BOUNDS.ratingShift))
        problems.push(
          `${label}: the rating shift of "${shift.option}" on "${shift.constraint}" must be between -0.5 and 0.5 (got ${shift.shift}).`,
        );
    }
    for (const scale of scenario.attributeScales) {
      if (!resolve.attribute(scale.attribute)) problems.push(`${label}: there is no attribute named "${scale.attribute}".`);
      if (!inRange(scale.multiplier, SCENARIO_BOUNDS.attributeScale))
        problems.push(`${label}: the scale of "${scale.attribute}" must be between 0.2 and 5 (got ${scale.multiplier}).`);
    }
  });
  return problems;
}

/** A checked answer → drafts, baseline first. Call only after checkModelScenarios returned no problems. */
export function toScenarioDrafts(answer: ModelScenarioAnswer, spec: SpecContent): ScenarioDraft[] {
  const resolve = resolverFor(spec);
  return [
    baselineScenario(),
    ...answer.scenarios.map((scenario, position): ScenarioDraft => {
      const weightMultipliers: Record<string, number> = {};
      const ratingShifts: Record<string, Record<string, number>> = {};
      const attributeScales: Record<string, number> = {};
      const focus = new Set<string>();
      for (const change of scenario.weightChanges) {
        weightMultipliers[resolve.constraint(change.constraint)!] = change.multiplier;
        focus.add(spec.constraints.find((constraint) => constraint.id === resolve.constraint(change.constraint))!.name);
      }
      for (const shift of scenario.ratingShifts) {
        const optionId = resolve.option(shift.option)!;
        const constraintId = resolve.constraint(shift.constraint)!;
        ratingShifts[optionId] = { ...ratingShifts[optionId], [constraintId]: shift.shift };
        focus.add(spec.constraints.find((constraint) => constraint.id === constraintId)!.name);
      }
      for (const scale of scenario.attributeScales) {
        const attributeId = resolve.attribute(scale.attribute)!;
        attributeScales[attributeId] = scale.multiplier;
        focus.add(spec.designSpace.attributes.find((attribute) => attribute.id === attributeId)!.name);
      }
      return {
        index: position + 1,
        name: scenario.name.trim(),
        description: scenario.description.trim(),
        type: scenario.type,
        focus: [...focus],
        weight: scenario.likelihood,
        weightMultipliers,
        ratingShifts,
        attributeScales,
      };
    }),
  ];
}

function promptFor(spec: SpecContent, count: number) {
  const constraints = spec.constraints
    .map((constraint) => `- ${constraint.name} (weight ${constraint.weight})${constraint.description ? `: ${constraint.description}` : ''}`)
    .join('\n');
  const options = spec.designSpace.dimensions
    .flatMap((dimension) => dimension.options.map((option) => `- ${dimension.name} / ${option.name}`))
    .join('\n');
  const attributes = spec.designSpace.attributes
    .map((attribute) => `- ${attribute.name}${attribute.unit ? ` (${attribute.unit})` : ''}`)
    .join('\n');
  return [
    {
      role: 'system' as const,
      content:
        'You write the scenarios of a trade study: concrete, named situations with a cause (weather, load, failure, market), each changing constraint weights (multipliers 0.2–5), ' +
        'option ratings (shifts −0.5…0.5) or attribute values (scales 0.2–5). Use only the names listed. Answer only with JSON matching the schema.',
    },
    {
      role: 'user' as const,
      content: `Goals:\n${spec.goals.map((goal) => `- ${goal.text}`).join('\n') || '- (none)'}\n\nConstraints:\n${constraints}\n\nOptions:\n${options}\n\nAttributes:\n${attributes || '- (none)'}\n\nPropose ${count} scenarios.`,
    },
  ];
}

export interface ModelScenarioResult {
  scenarios: ScenarioDraft[];
  implementation: Extract<StageImplementation, { kind: 'model' }>;
  usage: Usage | null;
}

/** Asks the model for scenarios; throws LlmError (invalid_output after one repair round) when it cannot. */
export async function generateModelScenarios(args: {
  provider: ProviderConfig;
  spec: SpecContent;
  count?: number;
  signal?: AbortSignal;
}): Promise<ModelScenarioResult> {
  const count = Math.min(Math.max(args.count ?? 4, SCENARIO_BOUNDS.minScenarios), SCENARIO_BOUNDS.maxScenarios);
  const result = await generateStructured({
    provider: args.provider,
    messages: promptFor(args.spec, count),
    name: 'trade_study_scenarios',
    schema: modelScenarioSchema,
    validate: (answer) => checkModelScenarios(answer, args.spec),
    temperature: 0.4,
    signal: args.signal,
  });
  return {
    scenarios: toScenarioDrafts(result.value, args.spec),
    implementation: { kind: 'model', provider: args.provider.name, model: args.provider.defaultModel },
    usage: result.usage,
  };
}
