import { scenarioSchema, type ScenarioType } from '../domain';
import { SpecError } from './model';
import { streamFor, STREAM_SCENARIOS, uniform, type Random } from './prng';
import type { ScenarioDraft, ScenarioGenerator, StageContext } from './types';

/** Scenario 0 of every run, built-in or made by a model: the spec exactly as stated. A fresh object each time, so no run shares one. */
export function baselineScenario(): ScenarioDraft {
  return {
    index: 0,
    name: 'Baseline',
    description: 'Every constraint at its stated weight and every option at its stated rating.',
    type: 'normal_operation',
    focus: [],
    weight: 1,
    weightMultipliers: {},
    ratingShifts: {},
    attributeScales: {},
  };
}

/**
 * One template per scenario type. Scenario k ≥ 1 takes template (k−1) mod 4 and
 * stresses constraint (k−1) mod T of the T highest-weight ones.
 *   multiplier: applied to the focus constraints' weights
 *   band:       ratings shift uniformly within ±band (failure_mode: focus ratings only shift down)
 *   weight:     the scenario's weight in the mean over scenarios
 */
export const SCENARIO_TEMPLATES: readonly {
  type: ScenarioType;
  multiplier: number;
  band: number;
  weight: number;
  focusCount: 1 | 2;
}[] = [
  { type: 'stress_test', multiplier: 2, band: 0.1, weight: 1, focusCount: 1 },
  { type: 'edge_case', multiplier: 1.5, band: 0.15, weight: 0.75, focusCount: 2 },
  { type: 'failure_mode', multiplier: 3, band: 0.25, weight: 0.5, focusCount: 1 },
  { type: 'normal_operation', multiplier: 1.25, band: 0.05, weight: 1, focusCount: 1 },
];

/** How many of the top-weight constraints the scenarios rotate through: max(3, ⌈C/2⌉), at most the positive-weight count. */
export function stressTargetCount(weights: readonly number[]): number {
  const positive = weights.filter((weight) => weight > 0).length;
  if (positive === 0) return Math.min(weights.length, Math.max(3, Math.ceil(weights.length / 2)));
  return Math.min(positive, Math.max(3, Math.ceil(weights.length / 2)));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function describe(type: ScenarioType, names: string[], multiplier: number, band: number): { name: string; description: string } {
  const quoted = names.map((name) => `'${name}'`).join(' and ');
  const shake = `option ratings are uncertain by up to ±${band.toFixed(2)}`;
  switch (type) {
    case 'stress_test':
      return {
        name: `Stress: ${names.join(' + ')}`,
        description: `Demand on ${quoted} peaks: its weight counts ×${multiplier}, and ${shake}.`,
      };
    case 'edge_case':
      return {
        name: `Edge case: ${names.join(' + ')}`,
        description: `${quoted} matter at the same time (weights ×${multiplier}), and ${shake}.`,
      };
    case 'failure_mode':
      return {
        name: `Failure: ${names.join(' + ')}`,
        description: `Something goes wrong around ${quoted}: weight ×${multiplier}, its ratings may fall by up to ${band.toFixed(2)}, other ratings shift by up to ±${band.toFixed(2)}.`,
      };
    case 'normal_operation':
      return {
        name: `Everyday drift: ${names.join(' + ')}`,
        description: `Normal use with ${quoted} slightly more important (×${multiplier}); ${shake}.`,
      };
  }
}

/** Deterministic scenario generator: baseline first, then seeded stress scenarios. */
export class BuiltInScenarioGenerator implements ScenarioGenerator {
  async generate(context: StageContext): Promise<ScenarioDraft[]> {
    const { model, input } = context;
    const random: Random = streamFor(input.config.seed, STREAM_SCENARIOS);
    const constraints = model.constraints;
    const C = constraints.length;
    const byWeight = constraints.map((_, c) => c).sort((a, b) => constraints[b]!.weight - constraints[a]!.weight || a - b);
    const targets = byWeight.slice(0, stressTargetCount(constraints.map((c) => c.weight)));
    const scenarios: ScenarioDraft[] = [baselineScenario()];
    // Scenario k ≥ 1 takes the (template, target) pair j = k − 1: template j mod 4, target (⌊j/4⌋ + j mod 4) mod T,
    // so the first 4·T scenarios are all different pairs; after that a "round n" repeats them with fresh draws.
    const pairs = SCENARIO_TEMPLATES.length * targets.length;
    for (let k = 1; k < input.config.numScenarios; k++) {
      const j = k - 1;
      const template = SCENARIO_TEMPLATES[j % SCENARIO_TEMPLATES.length]!;
      const targetIndex = (Math.floor(j / SCENARIO_TEMPLATES.length) + (j % SCENARIO_TEMPLATES.length)) % targets.length;
      const round = Math.floor(j / pairs) + 1;
      const first = targets[targetIndex]!;
      const focusIndexes = [first];
      if (template.focusCount === 2 && targets.length > 1) focusIndexes.push(targets[(targetIndex + 1) % targets.length]!);
      const weightMultipliers: Record<string, number> = {};
      for (const c of focusIndexes) weightMultipliers[constraints[c]!.id] = template.multiplier;
      const focused = new Set(focusIndexes);
      const ratingShifts: Record<string, Record<string, number>> = {};
      model.dimensions.forEach((dimension, d) => {
        dimension.options.forEach((option, o) => {
          const g = model.offsets[d]! + o;
          const shifts: Record<string, number> = {};
          for (let c = 0; c < C; c++) {
            // Draw for every pair, rated or not, so the stream does not depend on which ratings exist.
            const draw =
              template.type === 'failure_mode' && focused.has(c)
                ? uniform(random, -template.band, 0)
                : uniform(random, -template.band, template.band);
            if (model.rated[g * C + c]) {
              const shift = round3(draw);
              if (shift !== 0) shifts[constraints[c]!.id] = shift;
            }
          }
          if (Object.keys(shifts).length > 0) ratingShifts[option.id] = shifts;
        });
      });
      // Quantities: the attributes a focused quantity constraint uses get a scale drawn in 1 ± band
      // (failure mode: only 1 − band..1), so "Flight range" under stress sees e.g. energy ×0.92.
      const attributeScales: Record<string, number> = {};
      for (const c of focusIndexes) {
        const compiled = model.quantities[c];
        if (!compiled) continue;
        for (const a of compiled.referenced) {
          const id = compiled.attributeIds[a]!;
          if (attributeScales[id] !== undefined) continue;
          const draw =
            template.type === 'failure_mode' ? uniform(random, -template.band, 0) : uniform(random, -template.band, template.band);
          const scale = round3(1 + draw);
          if (scale !== 1 && scale > 0) attributeScales[id] = scale;
        }
      }
      const names = focusIndexes.map((c) => constraints[c]!.name);
      const described = describe(template.type, names, template.multiplier, template.band);
      const scaled = Object.entries(attributeScales).map(
        ([id, scale]) => `${model.attributes.find((a) => a.id === id)?.name ?? id} ×${scale}`,
      );
      scenarios.push({
        index: k,
        name: round > 1 ? `${described.name} (round ${round})` : described.name,
        description: scaled.length > 0 ? `${described.description} Quantities: ${scaled.join(', ')}.` : described.description,
        type: template.type,
        focus: names,
        weight: template.weight,
        weightMultipliers,
        ratingShifts,
        attributeScales,
      });
      context.progress(k / input.config.numScenarios, `Generated ${k + 1} of ${input.config.numScenarios} scenarios`);
      await context.checkpoint();
    }
    return scenarios;
  }
}

/**
 * Returns the scenarios handed in with the input (PipelineInput.providedScenarios),
 * re-indexed by position so scenario 0 is whatever came first.
 */
export class ProvidedScenarioGenerator implements ScenarioGenerator {
  async generate(context: StageContext): Promise<ScenarioDraft[]> {
    const provided = context.input.providedScenarios ?? [];
    const draftSchema = scenarioSchema.omit({ id: true, runId: true, projectId: true });
    const scenarios = provided.map((scenario, index) => {
      const parsed = draftSchema.safeParse({ ...scenario, index });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SpecError(
          `Provided scenario ${index + 1} ('${scenario.name}') is not usable: ${issue?.path.join('.') || 'scenario'} ${issue?.message ?? ''}`.trim(),
        );
      }
      return parsed.data;
    });
    await context.checkpoint();
    return scenarios;
  }
}
