// @vitest-environment node
// The one error model (src/domain/errors.ts): every error the app throws on purpose is a CrucibleError with a layer
// and a code, every code has a sentence (src/shared/errorSentence.ts), and no screen shows an error's own message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  KeysLockedError,
  NotFoundError,
  ProposalNotOpenError,
  ProviderInputError,
  RunNotRunningError,
  SpecChangeRejectedError,
  StorageFullError,
  WhatIfConflictsError,
  WrongPassphraseError,
} from '../../src/db';
import {
  asErrorRecord,
  type AnyCrucibleError,
  CrucibleError,
  ERROR_CODES,
  FeatureError,
  InputTooLongError,
  RunLabelError,
  type DbErrorDetails,
  type DomainErrorDetails,
  type EngineErrorDetails,
  type ErrorLayer,
  type ErrorRecord,
  type FeatureErrorDetails,
  type LlmErrorDetails,
  type LlmFailure,
  type Run,
} from '../../src/domain';
import { CancelledError, compileSpec, createWorkerHandler, SpecError, type WorkerToMain } from '../../src/engine';
import { NotationError, resolveDimension } from '../../src/engine/architect/names';
import { UnknownCommandError } from '../../src/engine/architect/notation';
import { RerankError } from '../../src/engine/analysis/rerank';
import { LlmError } from '../../src/llm';
import { errorFix, errorSentence, recordSentence, STORAGE_FULL_SENTENCE } from '../../src/shared/errorSentence';
import { handExampleSpec } from './engine.fixtures';

const ROOT = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const SOURCES = sourceFiles(ROOT).map((file) => ({ file: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }));

const failure = (overrides: Partial<LlmFailure> = {}): LlmFailure => ({
  status: null,
  detail: null,
  retryable: false,
  reachable: null,
  retryAfterMs: null,
  ...overrides,
});

// One example of every code's details. The mapped types make this list complete: a new code without an example
// does not compile, so the sentence test below walks every code there is.
const EXAMPLES: { [L in ErrorLayer]: { [C in keyof DetailsOf<L>]: DetailsOf<L>[C] } } = {
  domain: {
    input_too_long: { what: 'Titles', length: 10_000, limit: 120 },
    run_label_invalid: { problem: 'run-tag-empty', reason: 'A tag needs at least one letter or digit.' },
    formula_invalid: { problem: 'syntax', reason: "The formula 'a +' is not complete." },
    delta_invalid: { opIndex: 0, reason: 'There is no constraint with id c9.' },
  },
  db: {
    storage_full: {},
    not_found: { what: 'Run', id: 'r1' },
    run_not_running: { runId: 'r1', status: 'interrupted' },
    spec_change_rejected: { reason: 'Weights are whole numbers from 0 to 100.' },
    what_if_conflicts: { count: 2 },
    proposal_not_open: { status: 'applied' },
    proposal_unreadable: { messageId: 'm1' },
    provider_input_invalid: { reason: 'Give the provider a name.' },
    providers_unreadable: {},
    keys_locked: {},
    wrong_passphrase: {},
    integrity_broken: { what: 'a result row belongs to run r2, not r1' },
  },
  engine: {
    spec_incomplete: { reason: 'The spec has no constraints, so there is nothing to score designs against.' },
    notation_invalid: { reason: 'There is no dimension named "Batery". Did you mean "Battery"?', fix: null, suggestion: 'Battery' },
    unknown_command: { head: 'frobnicate' },
    analysis_invalid: { reason: 'There is no candidate #9 in this run.' },
    rerank_invalid: { reason: 'Weight 140 is not allowed: use a whole number from 0 to 100.' },
    cancelled: {},
    invariant_broken: { what: 'the ranker left out candidate A' },
    unexpected_failure: { what: 'language model unavailable' },
    worker_crashed: {},
    worker_not_started: { detail: 'SecurityError' },
  },
  llm: {
    cors_or_unreachable: failure({ reachable: false }),
    mixed_content: failure(),
    offline: failure(),
    unauthorized: failure({ status: 401 }),
    forbidden: failure({ status: 403 }),
    not_found: failure({ status: 404 }),
    rate_limited: failure({ status: 429, retryable: true }),
    server_error: failure({ status: 500, retryable: true }),
    bad_request: failure({ status: 400 }),
    bad_response: failure(),
    aborted: failure(),
    invalid_output: failure(),
    timeout: failure({ retryable: true }),
  },
  feature: {
    model_scenarios_failed: {
      provider: { name: 'Local Ollama', baseUrl: 'http://localhost:11434/v1', preset: 'ollama' },
      cause: { layer: 'llm', code: 'unauthorized', details: failure({ status: 401 }) },
    },
    model_code_unavailable: { during: 'run' },
    record_gone: { what: 'seed-candidate' },
    wiring_broken: { what: 'useLinks() needs a <LinksProvider>' },
  },
};

type DetailsOf<L extends ErrorLayer> = {
  domain: DomainErrorDetails;
  db: DbErrorDetails;
  engine: EngineErrorDetails;
  llm: LlmErrorDetails;
  feature: FeatureErrorDetails;
}[L];

function everyRecord(): ErrorRecord[] {
  return (Object.keys(ERROR_CODES) as ErrorLayer[]).flatMap((layer) =>
    (ERROR_CODES[layer] as string[]).map(
      (code) => ({ layer, code, details: (EXAMPLES[layer] as Record<string, unknown>)[code] }) as ErrorRecord,
    ),
  );
}

/** A sentence a user can read: words, ending in punctuation, no data dumps, no holes. */
function expectReadable(sentence: string, label: string) {
  expect(sentence, label).toMatch(/^[A-Z"“]/);
  expect(sentence, label).toMatch(/[.!?)"”]$/);
  expect(sentence, label).not.toMatch(/\{"|\[\{|undefined|\[object|null\b|NaN/);
  expect(sentence, label).not.toMatch(/^(domain|db|engine|llm|feature)\//);
}

describe('the error model', () => {
  it('has an example for every code, and the lists match the unions', () => {
    for (const layer of Object.keys(ERROR_CODES) as ErrorLayer[]) {
      expect(Object.keys(EXAMPLES[layer]).sort(), layer).toEqual([...(ERROR_CODES[layer] as string[])].sort());
    }
    expect(everyRecord().length).toBe(43);
  });

  it('gives every code of every layer a readable sentence', () => {
    for (const record of everyRecord()) {
      const label = `${record.layer}/${record.code}`;
      const sentence = recordSentence(record);
      expectReadable(sentence, label);
      // The record's plain form (as it crosses a worker, or is cloned into storage) reads the same.
      expect(errorSentence(structuredClone(record)), label).toBe(sentence);
    }
  });

  it('words the sentences from the details, not from fixed text', () => {
    expect(recordSentence({ layer: 'domain', code: 'input_too_long', details: { what: 'Messages', length: 85_000, limit: 20_000 } })).toBe(
      'Messages can be at most 20,000 characters; this one has 85,000. Split it into several messages.',
    );
    expect(recordSentence({ layer: 'db', code: 'what_if_conflicts', details: { count: 1 } })).toMatch(/1 conflict with .*for it before/);
    expect(recordSentence({ layer: 'db', code: 'what_if_conflicts', details: { count: 3 } })).toMatch(/3 conflicts with .*for each before/);
    expect(recordSentence({ layer: 'feature', code: 'model_scenarios_failed', details: EXAMPLES.feature.model_scenarios_failed })).toMatch(
      /^Local Ollama could not make scenarios, so no run was started: Local Ollama \(http:\/\/localhost:11434\/v1\) rejected the API key \(401 Unauthorized\)\. Local servers usually need no key/,
    );
  });

  it('knows every error class the layers throw, by layer and code', () => {
    const thrown: [AnyCrucibleError, ErrorLayer, string][] = [
      [new InputTooLongError('Titles', 121, 120), 'domain', 'input_too_long'],
      [new RunLabelError('run-tag-empty', 'A tag needs at least one letter or digit.'), 'domain', 'run_label_invalid'],
      [new StorageFullError(), 'db', 'storage_full'],
      [new NotFoundError('Chat', 'c1'), 'db', 'not_found'],
      [new SpecChangeRejectedError('No.'), 'db', 'spec_change_rejected'],
      [new WhatIfConflictsError(2), 'db', 'what_if_conflicts'],
      [new ProposalNotOpenError('applied'), 'db', 'proposal_not_open'],
      [new ProviderInputError('Give the provider a name.'), 'db', 'provider_input_invalid'],
      [new KeysLockedError(), 'db', 'keys_locked'],
      [new WrongPassphraseError(), 'db', 'wrong_passphrase'],
      [new SpecError('The spec has no constraints.'), 'engine', 'spec_incomplete'],
      [new NotationError('Put the description after a colon.', 'describe constraint <name>: <description>'), 'engine', 'notation_invalid'],
      [new UnknownCommandError('frobnicate'), 'engine', 'unknown_command'],
      [new RerankError('Weight 140 is not allowed.'), 'engine', 'rerank_invalid'],
      [new CancelledError(), 'engine', 'cancelled'],
      [new LlmError('unauthorized', 'The model server answered 401.', { status: 401 }), 'llm', 'unauthorized'],
      [new FeatureError('record_gone', { what: 'run' }), 'feature', 'record_gone'],
    ];
    for (const [error, layer, code] of thrown) {
      expect(error, code).toBeInstanceOf(CrucibleError);
      expect(error, code).toBeInstanceOf(Error);
      expect({ layer: error.layer, code: error.code }, error.name).toEqual({ layer, code });
      expect(ERROR_CODES[layer] as string[]).toContain(code);
      expect(asErrorRecord(error)).toEqual({ layer, code, details: error.details });
      expectReadable(errorSentence(error), code);
      expect(errorSentence(error)).toBe(recordSentence(error.toRecord()));
    }
    // The RunNotRunningError is made from the run row it refused.
    const refused = new RunNotRunningError({ id: 'r1', status: 'cancelled' } as Run);
    expect(errorSentence(refused)).toBe('This run is cancelled, so its results were not saved.');
  });

  it('never shows zod’s JSON dump, a quota refusal or a foreign error raw', () => {
    const zodFailure = z.object({ title: z.string().max(120) }).safeParse({ title: 'x'.repeat(10_000) }).error;
    expect(zodFailure?.message).toMatch(/^\[/);
    expect(errorSentence(zodFailure)).not.toMatch(/[[{]/);
    expect(errorSentence(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe(STORAGE_FULL_SENTENCE);
    expect(errorSentence(new TypeError('Failed to fetch'))).toBe('Failed to fetch.');
    expect(errorSentence('plain text')).toBe('plain text.');
    expect(errorSentence(new Error(''))).toBe('Error.');
  });

  it('rejects look-alike records: a wrong layer, an unknown code or missing details are not ours', () => {
    expect(asErrorRecord({ layer: 'db', code: 'storage_full', details: {} })).not.toBeNull();
    expect(asErrorRecord({ layer: 'ui', code: 'storage_full', details: {} })).toBeNull();
    expect(asErrorRecord({ layer: 'db', code: 'no_such_code', details: {} })).toBeNull();
    expect(asErrorRecord({ layer: 'db', code: 'storage_full' })).toBeNull();
    expect(asErrorRecord(new Error('db/storage_full'))).toBeNull();
  });

  it('carries a notation’s suggestion and usage as data, not inside the message', () => {
    const spec = handExampleSpec();
    const near = spec.designSpace.dimensions[0]!.name;
    const typo = `${near.slice(0, -1)}x`;
    let caught: unknown = null;
    try {
      resolveDimension(spec, typo);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotationError);
    expect((caught as NotationError).details.suggestion).toBe(near);
    const usage = new NotationError('Put the description after a colon.', 'describe constraint <name>: <description>');
    expect(errorFix(usage)).toBe('describe constraint <name>: <description>');
    expect(errorFix(new LlmError('offline', 'offline'))).toMatch(/Reconnect/);
    expect(errorFix(new StorageFullError())).toBeNull();
  });

  it('sends a pipeline failure from the worker as an error record the page can word', async () => {
    const posted: WorkerToMain[] = [];
    const handle = createWorkerHandler((message) => posted.push(message));
    const empty = { ...handExampleSpec(), constraints: [] };
    expect(() => compileSpec(empty)).toThrow(SpecError);
    await handle({
      type: 'start',
      input: {
        runId: 'r1',
        projectId: 'p1',
        spec: empty,
        mode: 'full_search',
        config: { numCandidates: 3, numScenarios: 2, seed: 1 },
        seedCandidate: null,
      },
    });
    const failed = posted.find((message) => message.type === 'failed');
    expect(failed).toMatchObject({ type: 'failed', runId: 'r1', error: { layer: 'engine', code: 'spec_incomplete' } });
    expect(errorSentence(failed && failed.type === 'failed' ? failed.error : null)).toMatch(/no constraints/);
    await handle({ type: 'bogus', runId: 'r2' });
    expect(posted.at(-1)).toMatchObject({ type: 'failed', runId: 'r2', error: { layer: 'engine', code: 'invariant_broken' } });
  });
});

describe('the codebase keeps to the error model', () => {
  it('has one class that extends Error: CrucibleError', () => {
    const extending = SOURCES.filter(({ text }) => /\bextends Error\b/.test(text)).map(({ file }) => file);
    expect(extending).toEqual([path.join('domain', 'errors.ts')]);
  });

  it('throws no bare Error', () => {
    const bare = SOURCES.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, index) => (/\bnew Error\(/.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(bare).toEqual([]);
  });

  it('shows no caught error’s own message on screen: features, app and shared word errors through errorSentence', () => {
    const raw = SOURCES.filter(({ file }) => /^(features|app|shared)\//.test(file) && !file.endsWith('errorSentence.ts')).flatMap(
      ({ file, text }) =>
        text.split('\n').flatMap((line, index) =>
          // Allowed: the console, and a browser's own words put inside one of our sentences as its detail.
          /(?<![.\w])(error|failure|caught|err|e)\.message\b/.test(line) && !/console\.|detail/i.test(line)
            ? [`${file}:${index + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(raw).toEqual([]);
  });
});
