// The servers the Settings → Models form offers, with their OpenAI-compatible /v1 roots.
import type { ProviderPreset } from './types';

export interface PresetInfo {
  preset: ProviderPreset;
  label: string;
  baseUrl: string;
  /** Local servers need no key; hosted ones do. */
  needsKey: boolean;
}

export const PROVIDER_PRESETS: readonly PresetInfo[] = [
  { preset: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', needsKey: false },
  { preset: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', needsKey: false },
  { preset: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://localhost:8080/v1', needsKey: false },
  { preset: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true },
  { preset: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
  { preset: 'custom', label: 'Other OpenAI-compatible server', baseUrl: '', needsKey: false },
];

const CUSTOM: PresetInfo = { preset: 'custom', label: 'Other OpenAI-compatible server', baseUrl: '', needsKey: false };

export function presetFor(preset: ProviderPreset): PresetInfo {
  return PROVIDER_PRESETS.find((candidate) => candidate.preset === preset) ?? CUSTOM;
}
