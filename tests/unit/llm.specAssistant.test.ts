// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptySpecContent, type SpecContent } from '../../src/domain';
import { applySpecDelta, emptyWorldModelContent, specOpSchema, type SpecDelta } from '../../src/domain/specDelta';
import { generateStructured, streamChat, type ProviderConfig, type StreamEvent } from '../../src/llm';
import { checkProposal, PROPOSE_TOOL, remapNewIds, runSpecChat, specSystemPrompt, type SpecChatRequest } from '../../src/llm/specAssistant';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../support/fakeOpenAIServer';
import { counterIds, handExampleSpec } from './engine.fixtures';

let fake: FakeOpenAI;
let provider: ProviderConfig;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  provider = { id: 'p1', name: 'Fake', preset: 'custom', baseUrl: fake.url, apiKey: null, defaultModel: 'fake-small' };
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setSupportsJsonSchema(true);
});

const isDeltaRequest = (request: RecordedRequest) =>
  Boolean(request.body?.response_format) || JSON.stringify(request.body?.tool_choice ?? '').includes('spec_delta');
const isReplyRequest = (request: RecordedRequest) => !isDeltaRequest(request);

const PARAGRAPH =
  'We are building a notes app that must work fully offline and should stay cheap to host. Storage could be IndexedDB or OPFS; OPFS is better offline.';

const GOOD_DELTA: SpecDelta = {
  ops: [
    { op: 'addConstraint', id: 'new-1', name: 'Offline-first', description: 'works with no network', weight: 100 },
    { op: 'addConstraint', id: 'new-2', name: 'Low cost', description: '', weight: 40 },
    { op: 'addDimension', id: 'new-3', name: 'Storage', description: '' },
    { op: 'addOption', dimensionId: 'new-3', id: 'new-4', name: 'IndexedDB', description: '', cost: 1 },
    { op: 'addOption', dimensionId: 'new-3', id: 'new-5', name: 'OPFS', description: '', cost: 2 },
    { op: 'setRating', optionId: 'new-5', constraintId: 'new-1', rating: 0.9 },
  ],
};

function request(spec: SpecContent = emptySpecContent(), extra: Partial<SpecChatRequest> = {}): SpecChatRequest {
  return {
    streamChat,
    generateStructured,
    base: { provider },
    mode: 'setup',
    spec,
    world: emptyWorldModelContent(),
    history: [],
    userText: PARAGRAPH,
    newId: counterIds('app'),
    ...extra,
  };
}

describe('the model Architect of a setup chat', () => {
  it('streams its reply, signals a proposal, then gives a delta that is validated and re-keyed with app ids', async () => {
    fake.script(isReplyRequest, {
      kind: 'toolCalls',
      content: 'I would add two constraints and a Storage dimension with IndexedDB and OPFS.',
      calls: [{ name: PROPOSE_TOOL.name, arguments: { change: 'add Offline-first, Low cost and a Storage dimension' } }],
    });
    fake.script(isDeltaRequest, { kind: 'json', value: GOOD_DELTA, chunkSize: 7 });
    const events: StreamEvent[] = [];
    const phases: string[] = [];
    const result = await runSpecChat(
      request(emptySpecContent(), { onEvent: (event) => events.push(event), onPhase: (phase) => phases.push(phase) }),
    );

    expect(result.content).toBe('I would add two constraints and a Storage dimension with IndexedDB and OPFS.');
    expect(
      events
        .filter((e) => e.type === 'content')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe(result.content);
    expect(phases).toEqual(['reply', 'proposal']);
    expect(result.proposal?.summary).toBe('+2 constraints, +1 dimension, +2 options, 1 rating set');
    const ids = result.proposal!.delta.ops.flatMap((op) => ('id' in op ? [op.id] : []));
    expect(ids.every((id) => id.startsWith('app-'))).toBe(true);
    const applied = applySpecDelta(emptySpecContent(), result.proposal!.delta);
    expect(applied.ok && applied.spec.designSpace.dimensions[0]!.options[1]!.ratings).toEqual({ [ids[0]!]: 0.9 });
    expect(result.usage?.totalTokens).toBe(38);

    const [reply, delta] = fake.chatRequests();
    expect(reply!.body).toMatchObject({ tool_choice: 'auto' });
    expect((reply!.body!.messages as Array<{ role: string; content: string }>)[0]!.content).toContain('The spec now (JSON, with ids)');
    expect(delta!.body!.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'spec_delta', strict: true } });
    const schema = (
      delta!.body!.response_format as {
        json_schema: { schema: { properties: { ops: { items: { oneOf?: unknown[]; anyOf?: unknown[] } } } } };
      }
    ).json_schema.schema;
    const variants = schema.properties.ops.items.oneOf ?? schema.properties.ops.items.anyOf ?? [];
    expect(variants.length).toBe(specOpSchema.options.length);
  });

  it('feeds a delta that fails the dry run back once, with the sentence, and keeps the corrected one', async () => {
    const spec = handExampleSpec();
    fake.script(isReplyRequest, {
      kind: 'toolCalls',
      content: 'Offline-first should count less.',
      calls: [{ name: PROPOSE_TOOL.name, arguments: { change: 'weight 40' } }],
    });
    const constraintId = spec.constraints[0]!.id;
    fake.script(isDeltaRequest, { kind: 'json', value: { ops: [{ op: 'updateConstraint', constraintId, weight: 140 }] } }, { times: 1 });
    fake.script((r) => isDeltaRequest(r) && JSON.stringify(r.body).includes('does not fit'), {
      kind: 'json',
      value: { ops: [{ op: 'updateConstraint', constraintId, weight: 40 }] },
    });
    const result = await runSpecChat(request(spec));
    expect(result.proposal?.details).toEqual([`weight ${spec.constraints[0]!.name} 100 (hard) → 40`]);
    const repair = fake.chatRequests()[2]!;
    const lastUser = (repair.body!.messages as Array<{ role: string; content: string }>).at(-1)!.content;
    expect(lastUser).toContain('ops[0] (updateConstraint): Weight 140');
  });

  it('gives up after the repair round with invalid_output listing the problems', async () => {
    fake.script(isReplyRequest, {
      kind: 'toolCalls',
      content: 'Rate it.',
      calls: [{ name: PROPOSE_TOOL.name, arguments: { change: 'a rating' } }],
    });
    fake.script(isDeltaRequest, {
      kind: 'json',
      value: { ops: [{ op: 'setRating', optionId: 'nope', constraintId: 'nope', rating: 0.5 }] },
    });
    await expect(runSpecChat(request())).rejects.toMatchObject({
      code: 'invalid_output',
      detail: expect.stringContaining('There is no option with id nope'),
    });
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('answers a question without proposing anything (one request)', async () => {
    fake.script(isReplyRequest, { kind: 'text', text: 'A constraint is something a design must serve; its weight says how much.' });
    const result = await runSpecChat(request());
    expect(result).toMatchObject({ proposal: null, content: 'A constraint is something a design must serve; its weight says how much.' });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('uses a forced tool call for the delta where the server lacks json_schema', async () => {
    fake.setSupportsJsonSchema(false);
    fake.script(isReplyRequest, {
      kind: 'toolCalls',
      content: 'Adding it.',
      calls: [{ name: PROPOSE_TOOL.name, arguments: { change: 'goal' } }],
    });
    fake.script((r) => JSON.stringify(r.body?.tool_choice ?? '').includes('spec_delta'), {
      kind: 'toolCalls',
      calls: [{ name: 'spec_delta', arguments: { ops: [{ op: 'addGoal', id: 'g', text: 'Works offline' }] } }],
    });
    const result = await runSpecChat(request());
    expect(result.proposal?.summary).toBe('+1 goal');
  });
});

describe('proposal checks', () => {
  it('refuse world-model ops in a what-if chat', () => {
    const check = checkProposal(
      { ops: [{ op: 'addWorldItem', section: 'actors', id: 'a', name: 'Tech', description: '' }] },
      { mode: 'whatif', spec: emptySpecContent(), world: emptyWorldModelContent() },
    );
    expect(check.problems[0]).toMatch(/cannot be changed in a what-if chat/);
  });

  it('re-key new ids and the ops that refer to them, leaving existing ids alone', () => {
    const remapped = remapNewIds(
      {
        ops: [
          { op: 'addOption', dimensionId: 'existing-dim', id: 'n1', name: 'X', description: '', cost: 1 },
          { op: 'setRating', optionId: 'n1', constraintId: 'existing-c', rating: 0.5 },
        ],
      },
      counterIds('fresh'),
    );
    expect(remapped.ops).toEqual([
      { op: 'addOption', dimensionId: 'existing-dim', id: 'fresh-1', name: 'X', description: '', cost: 1 },
      { op: 'setRating', optionId: 'fresh-1', constraintId: 'existing-c', rating: 0.5 },
    ]);
  });

  it('the system prompt carries the spec with ids and says what-if chats cannot touch the world model', () => {
    const spec = handExampleSpec();
    const prompt = specSystemPrompt({ mode: 'whatif', spec, world: emptyWorldModelContent() });
    expect(prompt).toContain(`"id": "${spec.constraints[0]!.id}"`);
    expect(prompt).toContain('world model');
    expect(prompt).not.toContain('"worldModel"');
  });
});

describe('re-keying covers every op that adds or names an item', () => {
  it('attributes, values, the cost attribute and incompatibilities follow their new ids', () => {
    const remapped = remapNewIds(
      {
        ops: [
          { op: 'addAttribute', id: 'a1', key: 'mass', name: 'Mass', unit: 'g' },
          { op: 'setAttributeValue', optionId: 'opt-existing', attributeId: 'a1', value: 120 },
          { op: 'setCostAttribute', attributeId: 'a1' },
          { op: 'addIncompatibility', id: 'x1', optionIds: ['opt-existing', 'opt-other'], reason: 'too heavy' },
          { op: 'removeIncompatibility', incompatibilityId: 'x1' },
        ],
      },
      counterIds('fresh'),
    );
    expect(remapped.ops).toEqual([
      { op: 'addAttribute', id: 'fresh-1', key: 'mass', name: 'Mass', unit: 'g' },
      { op: 'setAttributeValue', optionId: 'opt-existing', attributeId: 'fresh-1', value: 120 },
      { op: 'setCostAttribute', attributeId: 'fresh-1' },
      { op: 'addIncompatibility', id: 'fresh-2', optionIds: ['opt-existing', 'opt-other'], reason: 'too heavy' },
      { op: 'removeIncompatibility', incompatibilityId: 'fresh-2' },
    ]);
  });
});
