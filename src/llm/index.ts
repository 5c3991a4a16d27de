// The model path's public surface. Features load it lazily: `const llm = await import('../../llm')`.
export type * from './types';
export { LlmError, isLlmError, type LlmErrorCode } from './errors';
export { streamChat, chatBody } from './client';
export { listModels, testConnection, type ConnectionResult } from './models';
export {
  generateStructured,
  jsonSchemaOf,
  extractJson,
  type StructuredRequest,
  type StructuredResult,
  type StructuredStrategy,
} from './structured';
export { PROVIDER_PRESETS, presetFor, type PresetInfo } from './presets';
export { generateModelScenarios, checkModelScenarios, toScenarioDrafts, type ModelScenarioResult } from './scenarioStage';
