// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamChat, type ProviderConfig, type StreamEvent } from '../../src/llm';
import { always, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAIServer';

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p1', name: 'Fake', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('streamChat', () => {
  it('streams content deltas and reports usage', async () => {
    fake.script(always, { kind: 'text', text: 'Hello there, engineer.', chunkSize: 3 });
    const events: StreamEvent[] = [];
    const result = await streamChat({ provider, messages: [{ role: 'user', content: 'hi' }], onEvent: (event) => events.push(event) });
    expect(result.content).toBe('Hello there, engineer.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 7, totalTokens: 19 });
    expect(result.model).toBe('fake-small');
    expect(events.filter((event) => event.type === 'content').map((event) => (event as { text: string }).text).join('')).toBe('Hello there, engineer.');
    expect(events.length).toBeGreaterThan(3);
    const sent = fake.chatRequests()[0]!;
    expect(sent.body).toMatchObject({ model: 'fake-small', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
  });
});
