/**
 * The model scenario stage, seen from the run panel: asks the provider for scenarios before the run is written,
 * and turns a model failure into a typed error (model_scenarios_failed, worded with its fix) so no run is left half-made. The model code is
 * loaded only when a run asks for it.
 */
import { FeatureError, type ErrorRecordOf, type SpecContent, type StageImplementations } from '../../domain';
import type { ScenarioDraft } from '../../engine';
import type { ProviderConfig } from '../../llm/types';

/** The scenario stage's own bound (src/llm/scenarioStage.ts SCENARIO_BOUNDS.maxScenarios), kept here so the panel needs no model code. */
export const MODEL_SCENARIO_LIMIT = 8;

export function modelScenarioMaker(provider: ProviderConfig, numScenarios: number, onAsking: () => void) {
  // The run's scenario count includes the baseline, which the stage adds itself.
  const count = Math.min(MODEL_SCENARIO_LIMIT, Math.max(1, numScenarios - 1));
  return async (
    spec: SpecContent,
  ): Promise<{
    scenarios: ScenarioDraft[];
    implementation: StageImplementations['scenarioGenerator'];
  }> => {
    onAsking();
    const llm = await import('../../llm').catch(() => {
      throw new FeatureError('model_code_unavailable', { during: 'run' });
    });
    try {
      const made = await llm.generateModelScenarios({ provider, spec, count });
      return { scenarios: made.scenarios, implementation: made.implementation };
    } catch (error) {
      if (!llm.isLlmError(error)) throw error;
      const identity = { name: provider.name, baseUrl: provider.baseUrl, preset: provider.preset };
      throw new FeatureError(
        'model_scenarios_failed',
        { provider: identity, cause: error.toRecord() as ErrorRecordOf<'llm'> },
        { cause: error },
      );
    }
  };
}
