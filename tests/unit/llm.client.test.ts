// @vitest-environment node
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { describeLlmError } from '../../src/shared/llmErrorText';
import { generateStructured, listModels, LlmError, streamChat, testConnection, type ProviderConfig, type StreamEvent } from '../../src/llm';
import { CompletionStream } from '../../src/llm/completionStream';
import { mixedContentBlocked } from '../../src/llm/http';
import { always, lastUserText, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  fake = await startFakeOpenAI({ ollamaTags: ['only-in-tags:latest'] });
  provider = { id: 'p1', name: 'Fake', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setSupportsJsonSchema(true);
  fake.setRequireKey(null);
  fake.setModels(['fake-small', 'fake-large']);
});

const ask = (extra: Partial<Parameters<typeof streamChat>[0]> = {}) =>
  streamChat({ provider, messages: [{ role: 'user', content: 'hi' }], ...extra });

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LlmError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('streamChat', () => {
  it('streams content deltas and reports usage', async () => {
    fake.script(always, { kind: 'text', text: 'Hello there, engineer.', chunkSize: 3 });
    const events: StreamEvent[] = [];
    const result = await ask({ onEvent: (event) => events.push(event) });
    expect(result).toEqual({
      content: 'Hello there, engineer.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 12, completionTokens: 7, totalTokens: 19 },
      model: 'fake-small',
    });
    expect(
      events
        .filter((event) => event.type === 'content')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Hello there, engineer.');
    expect(events.length).toBe(8);
    expect(fake.chatRequests()[0]!.body).toMatchObject({
      model: 'fake-small',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('sends only Content-Type and, with a key, Authorization (no x-stainless-* or other preflight-forcing headers)', async () => {
    await ask();
    await ask({ provider: { ...provider, apiKey: 'sk-test' } });
    const [withoutKey, withKey] = fake.chatRequests();
    const custom = (headers: Record<string, string>) =>
      Object.keys(headers)
        .filter(
          (name) =>
            ![
              'host',
              'connection',
              'content-length',
              'accept',
              'accept-language',
              'accept-encoding',
              'sec-fetch-mode',
              'user-agent',
            ].includes(name),
        )
        .sort();
    expect(custom(withoutKey!.headers)).toEqual(['content-type']);
    expect(custom(withKey!.headers)).toEqual(['authorization', 'content-type']);
    expect(withKey!.headers.authorization).toBe('Bearer sk-test');
  });

  it('assembles tool-call arguments split across chunks', async () => {
    const args = { query: 'top 3 designs', limit: 3, nested: { ok: true, text: 'ünïcode ✓' } };
    fake.script(always, {
      kind: 'toolCalls',
      calls: [
        { name: 'top', arguments: args },
        { name: 'why', arguments: { id: 'c1' } },
      ],
      fragmentSize: 3,
    });
    const events: StreamEvent[] = [];
    const result = await ask({
      tools: [{ name: 'top', description: 'x', parameters: { type: 'object' } }],
      onEvent: (event) => events.push(event),
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['top', args],
      ['why', { id: 'c1' }],
    ]);
    expect(result.toolCalls[0]!.id).toMatch(/^call_fake_/);
    expect(events.filter((event) => event.type === 'toolCall').length).toBeGreaterThan(10);
    expect(fake.chatRequests()[0]!.body!.tools).toEqual([
      { type: 'function', function: { name: 'top', description: 'x', parameters: { type: 'object' } } },
    ]);
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    fake.script(always, { kind: 'text', text: 'after the wait' });
    fake.script(always, { kind: 'error', status: 429, retryAfterSeconds: 0.05 }, { times: 1 });
    const events: StreamEvent[] = [];
    const result = await ask({ onEvent: (event) => events.push(event) });
    expect(result.content).toBe('after the wait');
    expect(events[0]).toEqual({ type: 'retry', attempt: 1, reason: 'rate_limited', delayMs: 50 });
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('gives up after two retries of a 500', async () => {
    fake.script(always, { kind: 'error', status: 500, message: 'model crashed' });
    const error = await rejection(ask());
    expect(error).toMatchObject({ code: 'server_error', status: 500, detail: 'model crashed' });
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('never retries 401, and says it is the key', async () => {
    fake.setRequireKey('right');
    const error = await rejection(ask({ provider: { ...provider, apiKey: 'wrong' } }));
    expect(error.code).toBe('unauthorized');
    expect(fake.chatRequests()).toHaveLength(1);
    expect(describeLlmError(error, { ...provider, preset: 'openai' }).sentence).toMatch(/rejected the API key \(401/);
  });

  it('does not retry a failure after the first token (a retry would repeat text already shown)', async () => {
    fake.script(always, { kind: 'text', text: 'abcdefghijkl', chunkSize: 2, failAfterChunks: 2 });
    const events: StreamEvent[] = [];
    const error = await rejection(ask({ onEvent: (event) => events.push(event) }));
    expect(error.code).toBe('server_error');
    expect(events.map((event) => event.type)).toEqual(['content', 'content']);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('does not retry a connection dropped mid-stream', async () => {
    fake.script(always, { kind: 'text', text: 'abcdefghijkl', chunkSize: 2, dropAfterChunks: 3, delayMs: 5 });
    const error = await rejection(ask());
    expect(error).toMatchObject({ code: 'server_error', retryable: false });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('a 404 for an unknown model is not retried', async () => {
    const error = await rejection(ask({ model: 'nope' }));
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
    expect(error.detail).toContain('model "nope" not found');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('stops mid-stream when aborted, and the server sees the client leave', async () => {
    fake.script(always, { kind: 'text', text: 'x'.repeat(200), chunkSize: 1, delayMs: 10 });
    const controller = new AbortController();
    let received = '';
    const promise = ask({
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'content') received += event.text;
        if (received.length === 5) controller.abort();
      },
    });
    const error = await rejection(promise);
    expect(error.code).toBe('aborted');
    expect(received.length).toBeGreaterThanOrEqual(5);
    expect(received.length).toBeLessThan(200);
    await expect.poll(() => fake.chatRequests()[0]!.aborted).toBe(true);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('an abort during the retry wait stops at once', async () => {
    fake.script(always, { kind: 'error', status: 429, retryAfterSeconds: 30 });
    const controller = new AbortController();
    const started = Date.now();
    const promise = ask({ signal: controller.signal, onEvent: (event) => event.type === 'retry' && controller.abort() });
    expect((await rejection(promise)).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads a server that ignores stream:true and answers one JSON completion', async () => {
    fake.script(always, { kind: 'text', text: 'whole answer', ignoreStream: true });
    const events: StreamEvent[] = [];
    const result = await ask({ onEvent: (event) => events.push(event) });
    expect(result).toMatchObject({ content: 'whole answer', finishReason: 'stop', usage: { totalTokens: 19 } });
    expect(events).toEqual([{ type: 'content', text: 'whole answer' }]);
  });

  it('a network failure on an unused port is cors_or_unreachable, retried twice', async () => {
    const dead = { ...provider, baseUrl: 'http://127.0.0.1:9/v1' };
    const events: StreamEvent[] = [];
    const error = await rejection(
      streamChat({ provider: dead, messages: [{ role: 'user', content: 'x' }], onEvent: (event) => events.push(event) }),
    );
    expect(error.code).toBe('cors_or_unreachable');
    expect(events.map((event) => event.type)).toEqual(['retry', 'retry']);
  });
});

// A recorded stream: content with multi-byte characters, two tool calls in fragments, usage, [DONE] — plus
// CRLF line endings and an SSE comment, which real servers send.
const RECORDED =
  [
    ': keep-alive',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"role":"assistant","content":"Kälte −10 °C "},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"content":"❄️ ok"},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"top","arguments":""}}]},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"n\\": "}}]},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"why","arguments":"{}"}}]},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"3}"}}]},"finish_reason":null}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
    'data: {"id":"c","object":"chat.completion.chunk","model":"rec","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}',
    'data: [DONE]',
  ].join('\r\n\r\n') + '\r\n\r\n';

function parseSplit(bytes: Uint8Array, cuts: number[]) {
  const events: StreamEvent[] = [];
  const stream = new CompletionStream('requested', (event) => events.push(event));
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    stream.feedBytes(bytes.slice(start, cut));
    start = cut;
  }
  const result = stream.end();
  const joined = {
    content: events
      .filter((e) => e.type === 'content')
      .map((e) => (e as { text: string }).text)
      .join(''),
  };
  return { result, joined };
}

describe('SSE parsing', () => {
  const bytes = new TextEncoder().encode(RECORDED);
  const whole = parseSplit(bytes, []);

  it('parses the recorded stream', () => {
    expect(whole.result).toEqual({
      content: 'Kälte −10 °C ❄️ ok',
      toolCalls: [
        { id: 'call_a', name: 'top', arguments: '{"n": 3}' },
        { id: 'call_b', name: 'why', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      usage: { promptTokens: 5, completionTokens: 9, totalTokens: 14 },
      model: 'rec',
    });
  });

  it('gives the same result however the bytes are split (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const split = parseSplit(
          bytes,
          [...cuts].sort((a, b) => a - b),
        );
        expect(split.result).toEqual(whole.result);
        expect(split.joined).toEqual(whole.joined);
      }),
      { numRuns: 300 },
    );
  });

  it('a stream whose last event lacks the blank line still yields it', () => {
    const stream = new CompletionStream('m');
    stream.feedText('data: {"choices":[{"index":0,"delta":{"content":"tail"}}]}');
    expect(stream.end().content).toBe('tail');
  });

  it('a non-JSON event is a bad_response', () => {
    const stream = new CompletionStream('m');
    expect(() => stream.feedText('data: <html>\n\n')).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('listModels and testConnection', () => {
  it('lists /v1/models; Ollama also /api/tags', async () => {
    expect(await listModels(provider)).toEqual(['fake-small', 'fake-large']);
    expect(await listModels({ ...provider, preset: 'ollama' })).toEqual(['fake-small', 'fake-large', 'only-in-tags:latest']);
    expect(fake.requests.map((request) => request.path)).toEqual(['/v1/models', '/v1/models', '/api/tags']);
    expect(fake.requests.every((request) => request.headers['content-type'] === undefined)).toBe(true);
  });

  it('passes, and says when the chosen model is not on the list', async () => {
    expect(await testConnection(provider)).toEqual({ ok: true, models: ['fake-small', 'fake-large'], modelFound: true });
    expect(await testConnection({ ...provider, defaultModel: 'gone' })).toMatchObject({ ok: true, modelFound: false });
  });

  it('diagnoses a wrong key, a wrong path and a dead address', async () => {
    fake.setRequireKey('right');
    const unauthorized = await testConnection({ ...provider, apiKey: 'wrong' });
    expect(unauthorized).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401 } });
    fake.setRequireKey(null);
    const wrongPath = await testConnection({ ...provider, baseUrl: fake.origin + '/v2' });
    expect(wrongPath).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const dead = await testConnection({ ...provider, preset: 'ollama', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(dead).toMatchObject({ ok: false, error: { code: 'cors_or_unreachable', reachable: false } });
    if (dead.ok) throw new Error('unreachable');
    expect(describeLlmError(dead.error, { ...provider, preset: 'ollama', baseUrl: 'http://127.0.0.1:9/v1' }).fix).toMatch(/ollama serve/);
  });

  it('describes every code with a sentence, and the CORS fixes per server', () => {
    const refused = new LlmError('cors_or_unreachable', 'x', { reachable: true });
    expect(describeLlmError(refused, { ...provider, preset: 'ollama' }).fix).toMatch(/OLLAMA_ORIGINS=/);
    expect(describeLlmError(refused, { ...provider, preset: 'lmstudio' }).fix).toMatch(/Enable CORS.*--cors/);
    // This page is http (jsdom): the refusal is the app's own policy, not the browser's mixed-content rule.
    expect(describeLlmError(new LlmError('mixed_content', 'x'), provider).sentence).toMatch(
      /plain-http model servers only on this computer/,
    );
    expect(describeLlmError(new LlmError('offline', 'x')).sentence).toMatch(/offline/);
    expect(describeLlmError(new LlmError('not_found', 'x'), provider).sentence).toMatch(/no such model or path/);
  });
});

describe('plain http under the Content-Security-Policy', () => {
  it('refuses a plain-http address off this computer only when the page carries the policy', () => {
    expect(mixedContentBlocked('http://192.168.1.20:11434/v1')).toBe(false);
    // A page with the built app's policy in its head (this file runs in node: a stand-in document).
    vi.stubGlobal('document', {
      querySelector: (selector: string) => (selector === 'meta[http-equiv="Content-Security-Policy"]' ? {} : null),
    });
    try {
      expect(mixedContentBlocked('http://192.168.1.20:11434/v1')).toBe(true);
      expect(mixedContentBlocked('http://localhost:11434/v1')).toBe(false);
      expect(mixedContentBlocked('http://127.0.0.1:8080/v1')).toBe(false);
      // No IPv6 literal can stand in a CSP source, so the policy blocks [::1]; the app says so before calling.
      expect(mixedContentBlocked('http://[::1]:1234/v1')).toBe(true);
      expect(mixedContentBlocked('http://127.0.0.2:8080/v1')).toBe(true);
      expect(mixedContentBlocked('https://api.example.com/v1')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('generateStructured', () => {
  const schema = z.object({ ratings: z.array(z.object({ option: z.string(), score: z.number().min(0).max(1) })).min(1) });

  it('sends response_format json_schema built from the zod schema and returns the validated value', async () => {
    fake.script(always, { kind: 'json', value: { ratings: [{ option: 'LiPo', score: 0.7 }] } });
    const result = await generateStructured({ provider, messages: [{ role: 'user', content: 'rate' }], name: 'ratings', schema });
    expect(result).toMatchObject({ value: { ratings: [{ option: 'LiPo', score: 0.7 }] }, attempts: 1, usage: { totalTokens: 19 } });
    const format = fake.chatRequests()[0]!.body!.response_format as {
      type: string;
      json_schema: { name: string; strict: boolean; schema: { properties: Record<string, unknown> } };
    };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.name).toBe('ratings');
    expect(format.json_schema.strict).toBe(true);
    expect(Object.keys(format.json_schema.schema.properties)).toEqual(['ratings']);
  });

  it('feeds validation errors back once and accepts the repaired answer', async () => {
    fake.script(always, { kind: 'json', value: { ratings: [{ option: 'LiPo', score: 0.4 }] } });
    fake.script(always, { kind: 'json', value: { ratings: [{ option: 'LiPo', score: 7 }] } }, { times: 1 });
    const result = await generateStructured({ provider, messages: [{ role: 'user', content: 'rate' }], name: 'ratings', schema });
    expect(result.attempts).toBe(2);
    expect(result.value.ratings[0]!.score).toBe(0.4);
    expect(result.usage?.totalTokens).toBe(38);
    const repair = fake.chatRequests()[1]!;
    expect(lastUserText(repair)).toMatch(/ratings\[0\]\.score: Too big/);
  });

  it('runs semantic checks too, and after a failed repair throws invalid_output with the errors as sentences', async () => {
    fake.script(always, { kind: 'json', value: { ratings: [{ option: 'Unobtainium', score: 0.5 }] } });
    const error = await rejection(
      generateStructured({
        provider,
        messages: [{ role: 'user', content: 'rate' }],
        name: 'ratings',
        schema,
        validate: (value) =>
          value.ratings
            .filter((rating) => rating.option !== 'LiPo')
            .map((rating) => `"${rating.option}" is not an option of this design space.`),
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_output', detail: '"Unobtainium" is not an option of this design space.' });
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('falls back to a forced tool call when the server rejects response_format', async () => {
    fake.setSupportsJsonSchema(false);
    fake.script(always, { kind: 'toolCalls', calls: [{ name: 'ratings', arguments: { ratings: [{ option: 'NiMH', score: 0.2 }] } }] });
    const result = await generateStructured({ provider, messages: [{ role: 'user', content: 'rate' }], name: 'ratings', schema });
    expect(result.value.ratings[0]!.option).toBe('NiMH');
    const [first, second] = fake.chatRequests();
    expect(first!.body!.response_format).toBeDefined();
    expect(second!.body!.response_format).toBeUndefined();
    expect(second!.body!.tool_choice).toEqual({ type: 'function', function: { name: 'ratings' } });
    expect((second!.body!.tools as Array<{ function: { name: string } }>)[0]!.function.name).toBe('ratings');
  });

  it('accepts JSON wrapped in a fence', async () => {
    fake.script(always, { kind: 'text', text: 'Here you go:\n```json\n{"ratings":[{"option":"A","score":1}]}\n```' });
    const result = await generateStructured({ provider, messages: [{ role: 'user', content: 'rate' }], name: 'ratings', schema });
    expect(result.value.ratings[0]!.option).toBe('A');
  });
});

describe('listModels for Ollama', () => {
  it('does not paper over a refused key with /api/tags', async () => {
    fake.setRequireKey('right');
    const error = await rejection(listModels({ ...provider, preset: 'ollama', apiKey: 'wrong' }));
    expect(error.code).toBe('unauthorized');
  });

  it('falls back to /api/tags when /v1/models is missing', async () => {
    fake.setOpenAIModelsEnabled(false);
    expect((await rejection(listModels(provider))).code).toBe('not_found');
    const names = await listModels({ ...provider, preset: 'ollama' });
    expect(names).toEqual(['fake-small', 'fake-large', 'only-in-tags:latest']);
  });
});
