/**
 * The one place where the UI turns an error into words. Every screen that
 * shows a failure asks errorSentence (or errorFix) for it; no screen shows an
 * error's `message`. Each layer's codes map to sentences in a Record, so a new
 * code without a sentence does not compile. Import failures are values, not
 * thrown errors, and are worded beside these in ./errorText.ts.
 *
 * Sentences say what happened and, where there is one, what to do. A code
 * whose details hold a `reason` shows that reason: the parser or validator
 * that understood the user's input wrote it about that input.
 */
import {
  asErrorRecord,
  isValidationError,
  validationSentence,
  type DbErrorDetails,
  type DomainErrorDetails,
  type EngineErrorDetails,
  type ErrorRecord,
  type FeatureErrorDetails,
  type LlmErrorDetails,
  type ProviderIdentity,
} from '../domain';
import { describeLlmError } from './llmErrorText';

type SentenceMap<Details> = { [C in keyof Details]: (details: Details[C], context: SentenceContext) => string };

export interface SentenceContext {
  /** The provider a model error came from, so its sentence can name it and its fix fit it. */
  provider?: ProviderIdentity;
}

const count = (value: number) => value.toLocaleString('en-US');

const DOMAIN_SENTENCES: SentenceMap<DomainErrorDetails> = {
  input_too_long: ({ what, length, limit }) =>
    `${what} can be at most ${count(limit)} characters; this one has ${count(length)}. ` +
    (what === 'Messages' ? 'Split it into several messages.' : 'Shorten it.'),
  run_label_invalid: ({ reason }) => reason,
  formula_invalid: ({ reason }) => reason,
  delta_invalid: ({ reason }) => reason,
};

export const STORAGE_FULL_SENTENCE =
  'Storage is full: the browser refused to save more data. Nothing was changed. Free space by exporting and deleting old projects or runs.';

const DB_SENTENCES: SentenceMap<DbErrorDetails> = {
  storage_full: () => STORAGE_FULL_SENTENCE,
  not_found: ({ what, id }) => `${what} ${id} was not found; it may have been deleted in another tab.`,
  run_not_running: ({ status }) => `This run is ${status}, so its results were not saved.`,
  spec_change_rejected: ({ reason }) => reason,
  what_if_conflicts: ({ count: conflicts }) =>
    `This what-if has ${conflicts} conflict${conflicts === 1 ? '' : 's'} with the project spec. ` +
    `Choose "Keep mine" or "Take base" for ${conflicts === 1 ? 'it' : 'each'} before applying.`,
  proposal_not_open: ({ status }) => `This proposal was already ${status}; it cannot be applied or discarded again.`,
  proposal_unreadable: () => 'This message holds no readable proposal, so there is nothing to apply.',
  provider_input_invalid: ({ reason }) => reason,
  providers_unreadable: () => 'The saved model providers could not be read; delete them in Settings → Models and add them again.',
  keys_locked: () => 'The keys are locked: enter the passphrase first.',
  wrong_passphrase: () => 'That passphrase is not the one the keys were locked with.',
  integrity_broken: ({ what }) => `Int Crucible found a fault in its own data (${what}), so nothing was saved. Please report it.`,
};

const ENGINE_SENTENCES: SentenceMap<EngineErrorDetails> = {
  spec_incomplete: ({ reason }) => reason,
  notation_invalid: ({ reason }) => reason,
  unknown_command: ({ head }) => `"${head}" is not a command I know.`,
  analysis_invalid: ({ reason }) => reason,
  rerank_invalid: ({ reason }) => reason,
  cancelled: () => 'The run was cancelled.',
  invariant_broken: ({ what }) => `The engine stopped on an internal fault (${what}), so nothing was saved. Please report it.`,
  unexpected_failure: ({ what }) => asSentence(`The run stopped on an unexpected error: ${what}`),
  worker_crashed: () => 'The engine worker stopped unexpectedly. Start the run again; if it keeps happening, reload the app.',
  worker_not_started: ({ detail }) => `The browser could not start the engine worker (${detail}). Reload the app and try again.`,
};

const llmSentence = (code: keyof LlmErrorDetails) => (details: LlmErrorDetails[typeof code], context: SentenceContext) =>
  describeLlmError({ code, details }, context.provider).sentence;

const LLM_SENTENCES: SentenceMap<LlmErrorDetails> = {
  cors_or_unreachable: llmSentence('cors_or_unreachable'),
  mixed_content: llmSentence('mixed_content'),
  offline: llmSentence('offline'),
  unauthorized: llmSentence('unauthorized'),
  forbidden: llmSentence('forbidden'),
  not_found: llmSentence('not_found'),
  rate_limited: llmSentence('rate_limited'),
  server_error: llmSentence('server_error'),
  bad_request: llmSentence('bad_request'),
  bad_response: llmSentence('bad_response'),
  aborted: llmSentence('aborted'),
  invalid_output: llmSentence('invalid_output'),
  timeout: llmSentence('timeout'),
};

const MODEL_CODE_DURING = { run: 'no run was started', reply: 'no reply was written', suggestion: 'no suggestion was made' } as const;

const FEATURE_SENTENCES: SentenceMap<FeatureErrorDetails> = {
  model_scenarios_failed: ({ provider, cause }) => {
    const { sentence, fix } = describeLlmError(cause, provider);
    return `${provider.name} could not make scenarios, so no run was started: ${sentence}${fix ? ` ${fix}` : ''}`;
  },
  model_code_unavailable: ({ during }) =>
    `The model code could not be loaded, so ${MODEL_CODE_DURING[during]}. Reload the page (online, the first time) and try again.`,
  record_gone: ({ what }) =>
    what === 'run'
      ? 'This run no longer exists; it may have been deleted in another tab.'
      : 'The seed candidate of this run no longer exists, so it cannot be re-run. Start a new seeded run instead.',
  wiring_broken: ({ what }) =>
    `This screen could not be shown because of a fault in the app (${what}). Reload the page; if it persists, please report it.`,
};

const SENTENCES = {
  domain: DOMAIN_SENTENCES,
  db: DB_SENTENCES,
  engine: ENGINE_SENTENCES,
  llm: LLM_SENTENCES,
  feature: FEATURE_SENTENCES,
};

/** The sentence for one error record (a CrucibleError's data, or one that crossed a worker). */
export function recordSentence(record: ErrorRecord, context: SentenceContext = {}): string {
  const wording = (SENTENCES[record.layer] as Record<string, (details: unknown, context: SentenceContext) => string>)[record.code];
  return wording!(record.details, context);
}

function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  return /[.!?)"”]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * What to show for any failure. Our errors by code; zod's validation errors as their first issue in words (never
 * the JSON dump zod puts in `message`); a storage quota refusal as the storage-full sentence; anything else (a bug,
 * a browser refusal) by its own text, as a sentence.
 */
export function errorSentence(error: unknown, context: SentenceContext = {}): string {
  const record = asErrorRecord(error);
  if (record) return recordSentence(record, context);
  if (isValidationError(error)) return validationSentence(error);
  if (error instanceof Error) {
    if (error.name === 'QuotaExceededError') return STORAGE_FULL_SENTENCE;
    return asSentence(error.message || error.name);
  }
  return asSentence(String(error));
}

/** The follow-up a user can act on, where the error has one (a notation's usage, a model error's fix); else null. */
export function errorFix(error: unknown, context: SentenceContext = {}): string | null {
  const record = asErrorRecord(error);
  if (!record) return null;
  if (record.layer === 'engine' && record.code === 'notation_invalid') return record.details.fix;
  if (record.layer === 'llm') return describeLlmError(record, context.provider).fix;
  return null;
}
