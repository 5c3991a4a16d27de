/**
 * The one error model. Every error the app throws on purpose is a
 * CrucibleError: it names its layer and a code from that layer's union, and
 * carries the typed data its sentence needs. The UI turns (layer, code,
 * details) into words in one place (src/shared/errorSentence.ts); an error's
 * own `message` is for the console and for tests, not for the screen.
 *
 * The codes and their details live here, in the domain, because the UI's
 * sentence map may import only the domain, and because an engine error
 * crosses the worker boundary as plain data (ErrorRecord) that the page words.
 *
 * Some details hold a `reason`: a sentence a parser or validator wrote about
 * the user's own input ("There is no dimension named "Batery". Did you mean
 * "Battery"?"). Those are worded where the input is understood; the code still
 * says what kind of failure it is.
 */

import type { ProviderConfig } from './provider';

/** What a model error's sentence says of the provider (never its key). */
export type ProviderIdentity = Pick<ProviderConfig, 'name' | 'baseUrl' | 'preset'>;

export type ErrorLayer = 'domain' | 'db' | 'engine' | 'llm' | 'feature';

/** A reason written about the user's input, shown as it is. */
export interface Reason {
  reason: string;
}

export interface DomainErrorDetails {
  /** A text the user typed or pasted is longer than the app stores. */
  input_too_long: { what: 'Messages' | 'Titles'; length: number; limit: number };
  /** A refused edit of a run's name, tags or notes. */
  run_label_invalid: Reason & {
    problem: 'run-name-too-long' | 'run-tag-empty' | 'run-tag-too-long' | 'run-tags-too-many' | 'run-notes-too-long';
  };
  /** A quantity formula that cannot be read. */
  formula_invalid: Reason & { problem: 'syntax' | 'unknown_attribute' | 'unknown_function' | 'bad_arguments' | 'too_long' };
  /** A spec change (delta) that the spec does not allow. */
  delta_invalid: Reason & { opIndex: number };
}

export interface DbErrorDetails {
  /** The browser refused a write for lack of space; the transaction was aborted, nothing partial remains. */
  storage_full: Record<string, never>;
  /** A record the action needs no longer exists (deleted in another tab, or an old link). */
  not_found: { what: string; id: string };
  /** Results arrived for a run that already ended (cancelled, failed, interrupted). */
  run_not_running: { runId: string; status: string };
  /** A spec change the spec refuses; nothing was written. */
  spec_change_rejected: Reason;
  /** A what-if cannot be applied while items conflict with the project spec. */
  what_if_conflicts: { count: number };
  /** A spec proposal that was already applied, discarded or marked stale. */
  proposal_not_open: { status: string };
  /** A message whose proposal cannot be read. */
  proposal_unreadable: { messageId: string };
  /** A model-provider form value the app cannot use. */
  provider_input_invalid: Reason;
  /** The stored providers do not pass validation. */
  providers_unreadable: Record<string, never>;
  /** The API keys are locked with a passphrase that was not entered in this tab. */
  keys_locked: Record<string, never>;
  /** The passphrase does not open the key vault. */
  wrong_passphrase: Record<string, never>;
  /** The database broke one of its own rules (a bug, never the user's input). */
  integrity_broken: { what: string };
}

export interface EngineErrorDetails {
  /** The spec lacks what a run needs (constraints, dimensions, options). */
  spec_incomplete: Reason;
  /** A line of notation the Architect cannot apply; `fix` is the usage, `suggestion` a close known name. */
  notation_invalid: Reason & { fix: string | null; suggestion: string | null };
  /** A line that starts with no known command word. */
  unknown_command: { head: string };
  /** An analysis question the analysis Architect cannot answer as asked. */
  analysis_invalid: Reason;
  /** A re-rank with weights that are not allowed. */
  rerank_invalid: Reason;
  /** The run was cancelled. */
  cancelled: Record<string, never>;
  /** The pipeline broke one of its own rules (a bug, never the user's input). */
  invariant_broken: { what: string };
  /** A stage failed with an error that is not ours (a plug-in stage, or a bug); `what` is its own text. */
  unexpected_failure: { what: string };
  /** The engine worker stopped without answering (its own text goes to the console only). */
  worker_crashed: Record<string, never>;
  /** The browser could not start the engine worker. */
  worker_not_started: { detail: string };
}

export interface LlmErrorDetails {
  cors_or_unreachable: LlmFailure;
  mixed_content: LlmFailure;
  offline: LlmFailure;
  unauthorized: LlmFailure;
  forbidden: LlmFailure;
  not_found: LlmFailure;
  rate_limited: LlmFailure;
  server_error: LlmFailure;
  bad_request: LlmFailure;
  bad_response: LlmFailure;
  aborted: LlmFailure;
  invalid_output: LlmFailure;
  timeout: LlmFailure;
}

/** What the model path knows about a failed call. */
export interface LlmFailure {
  status: number | null;
  /** The server's own words (its error.message) or our validation sentences; shown under the sentence. */
  detail: string | null;
  retryable: boolean;
  /** Whether the host answered something (a probe saw it alive). */
  reachable: boolean | null;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs: number | null;
}

export interface FeatureErrorDetails {
  /** The model could not write the run's scenarios, so no run was started; `cause` is the model error that stopped it. */
  model_scenarios_failed: { provider: ProviderIdentity; cause: ErrorRecordOf<'llm'> };
  /** The model path's code could not be loaded (offline before it was ever cached); `during` says what did not start. */
  model_code_unavailable: { during: 'run' | 'reply' | 'suggestion' };
  /** A record the screen needs no longer exists. */
  record_gone: { what: 'run' | 'seed-candidate' };
  /** A screen was put together wrongly (a hook outside its provider, a route without its parameter): a bug. */
  wiring_broken: { what: string };
}

export type DomainErrorCode = keyof DomainErrorDetails;
export type DbErrorCode = keyof DbErrorDetails;
export type EngineErrorCode = keyof EngineErrorDetails;
export type LlmErrorCode = keyof LlmErrorDetails;
export type FeatureErrorCode = keyof FeatureErrorDetails;

interface DetailsByLayer {
  domain: DomainErrorDetails;
  db: DbErrorDetails;
  engine: EngineErrorDetails;
  llm: LlmErrorDetails;
  feature: FeatureErrorDetails;
}

/** Every (layer, code, details) the app can raise, as plain data: what crosses a worker boundary, and what the UI words. */
export type ErrorRecord = {
  [L in ErrorLayer]: { [C in keyof DetailsByLayer[L]]: { layer: L; code: C; details: DetailsByLayer[L][C] } }[keyof DetailsByLayer[L]];
}[ErrorLayer];

export type ErrorRecordOf<L extends ErrorLayer> = Extract<ErrorRecord, { layer: L }>;

// The code lists, for tests that walk every code (a Record keeps them complete).
const codeList = <T extends object>(record: Record<keyof T, true>) => Object.keys(record) as (keyof T)[];
export const ERROR_CODES: { [L in ErrorLayer]: (keyof DetailsByLayer[L])[] } = {
  domain: codeList<DomainErrorDetails>({ input_too_long: true, run_label_invalid: true, formula_invalid: true, delta_invalid: true }),
  db: codeList<DbErrorDetails>({
    storage_full: true,
    not_found: true,
    run_not_running: true,
    spec_change_rejected: true,
    what_if_conflicts: true,
    proposal_not_open: true,
    proposal_unreadable: true,
    provider_input_invalid: true,
    providers_unreadable: true,
    keys_locked: true,
    wrong_passphrase: true,
    integrity_broken: true,
  }),
  engine: codeList<EngineErrorDetails>({
    spec_incomplete: true,
    notation_invalid: true,
    unknown_command: true,
    analysis_invalid: true,
    rerank_invalid: true,
    cancelled: true,
    invariant_broken: true,
    unexpected_failure: true,
    worker_crashed: true,
    worker_not_started: true,
  }),
  llm: codeList<LlmErrorDetails>({
    cors_or_unreachable: true,
    mixed_content: true,
    offline: true,
    unauthorized: true,
    forbidden: true,
    not_found: true,
    rate_limited: true,
    server_error: true,
    bad_request: true,
    bad_response: true,
    aborted: true,
    invalid_output: true,
    timeout: true,
  }),
  feature: codeList<FeatureErrorDetails>({
    model_scenarios_failed: true,
    model_code_unavailable: true,
    record_gone: true,
    wiring_broken: true,
  }),
};

/** The console text of an error: its reason when it has one, else layer/code and the data. */
function consoleText(layer: ErrorLayer, code: string, details: object): string {
  const reason = (details as Partial<Reason>).reason;
  if (typeof reason === 'string' && reason) return reason;
  const data = Object.keys(details).length ? ` ${JSON.stringify(details)}` : '';
  return `${layer}/${code}${data}`;
}

/**
 * The base of every error the app throws on purpose. Only this class extends
 * Error directly (a test checks it); each layer has its own base below.
 */
export abstract class CrucibleError<
  L extends ErrorLayer = ErrorLayer,
  C extends keyof DetailsByLayer[L] = keyof DetailsByLayer[L],
> extends Error {
  readonly layer: L;
  readonly code: C;
  readonly details: DetailsByLayer[L][C];

  protected constructor(layer: L, code: C, details: DetailsByLayer[L][C], options?: { cause?: unknown }) {
    super(consoleText(layer, String(code), details as object), options?.cause === undefined ? undefined : { cause: options.cause });
    this.layer = layer;
    this.code = code;
    this.details = details;
    // Not new.target.name: the production build renames classes.
    this.name = `CrucibleError[${layer}/${String(code)}]`;
  }

  /** The plain-data form (for postMessage, or for the UI's sentence map). */
  toRecord(): ErrorRecord {
    return { layer: this.layer, code: this.code, details: this.details } as ErrorRecord;
  }
}

export class DomainError<C extends DomainErrorCode = DomainErrorCode> extends CrucibleError<'domain', C> {
  constructor(code: C, details: DomainErrorDetails[C], options?: { cause?: unknown }) {
    super('domain', code, details, options);
  }
}

export class DbError<C extends DbErrorCode = DbErrorCode> extends CrucibleError<'db', C> {
  constructor(code: C, details: DbErrorDetails[C], options?: { cause?: unknown }) {
    super('db', code, details, options);
  }
}

export class EngineError<C extends EngineErrorCode = EngineErrorCode> extends CrucibleError<'engine', C> {
  constructor(code: C, details: EngineErrorDetails[C], options?: { cause?: unknown }) {
    super('engine', code, details, options);
  }
}

export class FeatureError<C extends FeatureErrorCode = FeatureErrorCode> extends CrucibleError<'feature', C> {
  constructor(code: C, details: FeatureErrorDetails[C], options?: { cause?: unknown }) {
    super('feature', code, details, options);
  }
}

/** The model path's base (src/llm/errors.ts LlmError extends it). */
export abstract class LlmErrorBase<C extends LlmErrorCode = LlmErrorCode> extends CrucibleError<'llm', C> {
  protected constructor(code: C, details: LlmErrorDetails[C], options?: { cause?: unknown }) {
    super('llm', code, details, options);
  }
}

/** Any of the app's errors, whatever its layer. */
export type AnyCrucibleError = { [L in ErrorLayer]: CrucibleError<L> }[ErrorLayer];

export function isCrucibleError(error: unknown): error is AnyCrucibleError {
  return error instanceof CrucibleError;
}

const LAYERS: ReadonlySet<string> = new Set<ErrorLayer>(['domain', 'db', 'engine', 'llm', 'feature']);

/** A CrucibleError or its plain-data form (e.g. one that came back from a worker), as an ErrorRecord; else null. */
export function asErrorRecord(value: unknown): ErrorRecord | null {
  if (value instanceof CrucibleError) return value.toRecord();
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as { layer?: unknown; code?: unknown; details?: unknown };
  if (typeof candidate.layer !== 'string' || !LAYERS.has(candidate.layer)) return null;
  const codes = ERROR_CODES[candidate.layer as ErrorLayer] as string[];
  if (typeof candidate.code !== 'string' || !codes.includes(candidate.code)) return null;
  if (typeof candidate.details !== 'object' || candidate.details === null) return null;
  return candidate as ErrorRecord;
}
