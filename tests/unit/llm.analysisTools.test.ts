// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { respondAnalysis } from '../../src/engine/analysis';
import { streamChat, type ChatRequest, type ChatResult, type ProviderConfig } from '../../src/llm';
import { ANALYSIS_TOOLS, answerAnalysisQuestion, executeAnalysisTool, runToolLoop } from '../../src/llm/analysisTools';
import { always, startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../support/fakeOpenAIServer';
import { completedRunData } from './analysis.fixtures';
import { handExampleSpec } from './engine.fixtures';

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p1', name: 'Fake', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const handRun = () => completedRunData(handExampleSpec(), { numCandidates: 4, numScenarios: 1 });
const wire = (request: RecordedRequest) =>
  (request.body?.messages ?? []) as Array<{ role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }>;
const hasToolResults = (request: RecordedRequest) => wire(request).some((message) => message.role === 'tool');

describe('analysis tools', () => {
  it('return exactly what the analysis command returns, and say what is wrong with bad arguments', async () => {
    const data = await handRun();
    const top = await executeAnalysisTool(data, null, { name: 'top_candidates', arguments: '{"count":2}' });
    expect(top).toBe((await respondAnalysis({ data, userText: 'top 2' })).text);
    const why = await executeAnalysisTool(data, null, { name: 'why_candidate', arguments: '{"candidate":"#2"}' });
    expect(why).toBe((await respondAnalysis({ data, userText: 'why #2' })).text);
    const whatIf = await executeAnalysisTool(data, null, {
      name: 'what_if_weights',
      arguments: JSON.stringify({ changes: [{ constraint: 'Offline-first', weight: 40 }] }),
    });
    expect(whatIf).toContain("'Offline-first' weight 100 → 40");
    expect(await executeAnalysisTool(data, null, { name: 'top_candidates', arguments: '{"count":0}' })).toMatch(
      /^Error: bad arguments for top_candidates \(count:/,
    );
    expect(await executeAnalysisTool(data, null, { name: 'why_candidate', arguments: '{"candidate":"#9"}' })).toMatch(
      /^Error: There is no #9/,
    );
    expect(await executeAnalysisTool(data, null, { name: 'delete_run', arguments: '{}' })).toMatch(/^Error: there is no tool "delete_run"/);
    expect(await executeAnalysisTool(data, null, { name: 'top_candidates', arguments: '{count:' })).toBe(
      'Error: the arguments of top_candidates are not valid JSON.',
    );
  });

  it('are described to the model with JSON schemas from their zod schemas', () => {
    const names = ANALYSIS_TOOLS.map((tool) => tool.name);
    expect(names).toEqual([
      'run_summary',
      'top_candidates',
      'why_candidate',
      'compare_candidates',
      'list_scenarios',
      'scenario_results',
      'what_if_weights',
    ]);
    expect(ANALYSIS_TOOLS[1]!.parameters).toMatchObject({
      type: 'object',
      properties: { count: { type: 'integer', minimum: 1, maximum: 50 } },
      required: ['count'],
    });
  });
});

describe('the tool loop against the fake server', () => {
  it('sends tool calls back as role:tool messages with their ids, then streams the final answer', async () => {
    const data = await handRun();
    const topText = (await respondAnalysis({ data, userText: 'top 2' })).text;
    const first = [...data.candidates].sort((a, b) => a.rank - b.rank)[0]!;
    const I = first.scores.I.toFixed(2);
    fake.script((request) => !hasToolResults(request), {
      kind: 'toolCalls',
      calls: [
        { id: 'call_top', name: 'top_candidates', arguments: { count: 2 } },
        { id: 'call_why', name: 'why_candidate', arguments: { candidate: '#1' } },
      ],
      fragmentSize: 3,
    });
    fake.script(hasToolResults, {
      kind: 'text',
      text: `#1 ${first.label} leads with I=${I}.`,
      chunkSize: 5,
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    });

    const rounds: number[] = [];
    const answer = await answerAnalysisQuestion({
      streamChat,
      base: { provider },
      data,
      focusCandidateId: null,
      history: [],
      question: 'Which candidate is best and why?',
      onEvent: (event, round) => event.type === 'content' && rounds.push(round),
    });

    expect(answer.content).toBe(`#1 ${first.label} leads with I=${I}.`);
    expect(answer.rounds).toBe(2);
    expect(new Set(rounds)).toEqual(new Set([2]));
    expect(answer.toolResults.map((record) => record.tool)).toEqual(['top_candidates', 'why_candidate']);
    expect(answer.toolResults[0]!.result).toBe(topText);
    expect(answer.unsupportedNumbers).toEqual([]);
    // Usage adds up over both rounds (the first used the fake's default 19 tokens).
    expect(answer.usage).toEqual({ promptTokens: 112, completionTokens: 27, totalTokens: 139 });

    const [ask, followUp] = fake.chatRequests();
    expect((ask!.body!.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toContain('what_if_weights');
    expect(ask!.body!.tool_choice).toBe('auto');
    expect(wire(ask!)[0]!.role).toBe('system');
    expect(wire(ask!)[0]!.content).not.toMatch(/\d\.\d\d/);
    const sent = wire(followUp!);
    const assistant = sent.find((message) => message.role === 'assistant')!;
    expect(assistant.tool_calls).toEqual([
      { id: 'call_top', type: 'function', function: { name: 'top_candidates', arguments: '{"count":2}' } },
      { id: 'call_why', type: 'function', function: { name: 'why_candidate', arguments: '{"candidate":"#1"}' } },
    ]);
    expect(sent.filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, message.content])).toEqual([
      ['call_top', topText],
      ['call_why', answer.toolResults[1]!.result],
    ]);
  });

  it('flags an answer whose numbers are not in the tool results', async () => {
    const data = await handRun();
    fake.script((request) => !hasToolResults(request), { kind: 'toolCalls', calls: [{ name: 'top_candidates', arguments: { count: 1 } }] });
    fake.script(hasToolResults, { kind: 'text', text: 'The best candidate has I=9.87, which is 42% better than the rest.' });
    const answer = await answerAnalysisQuestion({
      streamChat,
      base: { provider },
      data,
      focusCandidateId: null,
      history: [],
      question: 'How good is the best one?',
    });
    expect(answer.unsupportedNumbers).toEqual(['9.87', '42%']);
  });

  it('is bounded: after the last tool round the model must answer without tools', async () => {
    const calls: ChatRequest[] = [];
    const stub = async (request: ChatRequest): Promise<ChatResult> => {
      calls.push(request);
      const toolCalls = request.tools ? [{ id: `c${calls.length}`, name: 'run_summary', arguments: '{}' }] : [];
      return {
        content: request.tools ? '' : 'Done.',
        toolCalls,
        finishReason: request.tools ? 'tool_calls' : 'stop',
        usage: null,
        model: 'stub',
      };
    };
    const result = await runToolLoop({
      streamChat: stub,
      base: { provider },
      messages: [{ role: 'user', content: 'loop forever' }],
      tools: ANALYSIS_TOOLS,
      execute: async () => 'summary text',
      maxToolRounds: 3,
    });
    expect(calls.map((call) => Boolean(call.tools))).toEqual([true, true, true, false]);
    expect(result).toMatchObject({ content: 'Done.', rounds: 4 });
    expect(result.toolResults).toHaveLength(3);
  });

  it('passes an abort through', async () => {
    const data = await handRun();
    fake.script(always, { kind: 'text', text: 'A very slow answer that will be stopped.', chunkSize: 2, delayMs: 40 });
    const controller = new AbortController();
    const pending = answerAnalysisQuestion({
      streamChat,
      base: { provider, signal: controller.signal },
      data,
      focusCandidateId: null,
      history: [],
      question: 'Slow?',
      onEvent: (event) => event.type === 'content' && controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});
