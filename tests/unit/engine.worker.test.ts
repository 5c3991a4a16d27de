// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createWorkerHandler, type Designer, type WorkerToMain } from '../../src/engine';
import { counterIds, handExampleSpec, inputFor, randomSpec } from './engine.fixtures';

function harness(options: Parameters<typeof createWorkerHandler>[1] = {}) {
  const messages: WorkerToMain[] = [];
  const listeners: ((message: WorkerToMain) => void)[] = [];
  const handle = createWorkerHandler(
    (message) => {
      messages.push(message);
      for (const listener of listeners) listener(message);
    },
    { newId: counterIds(), ...options },
  );
  return { messages, handle, onMessage: (listener: (message: WorkerToMain) => void) => listeners.push(listener) };
}

describe('engine worker protocol', () => {
  it('reports progress through every stage, in order, then done with the results', async () => {
    const { messages, handle } = harness();
    await handle({
      type: 'start',
      input: inputFor(randomSpec({ dimensions: 7, options: 4, constraints: 5, seed: 2 }), { numCandidates: 5, numScenarios: 4 }),
    });
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(4);
    expect([...new Set(progress.map((m) => m.stage))]).toEqual(['scenarios', 'design', 'evaluate', 'rank']);
    const fractions = progress.map((m) => m.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    const last = messages.at(-1)!;
    expect(last.type).toBe('done');
    if (last.type !== 'done') return;
    expect(last.runId).toBe('run-1');
    expect(last.result.candidates).toHaveLength(5);
    expect(last.result.evaluations).toHaveLength(20);
    expect(Object.keys(last.result.metrics.phaseTimingsMs)).toEqual(['scenarios', 'design', 'evaluate', 'rank']);
  });

  it('cancels a run mid-way: "cancelled" and no results', async () => {
    const { messages, handle, onMessage } = harness({ yieldEveryMs: 0 });
    let cancelSent = false;
    onMessage((message) => {
      if (message.type === 'progress' && message.stage === 'design' && message.fraction > 0.05 && !cancelSent) {
        cancelSent = true;
        void handle({ type: 'cancel', runId: 'run-1' });
      }
    });
    await handle({
      type: 'start',
      input: inputFor(randomSpec({ dimensions: 9, options: 4, constraints: 4, seed: 4 }), { numCandidates: 5 }),
    });
    expect(cancelSent).toBe(true);
    expect(messages.at(-1)).toEqual({ type: 'cancelled', runId: 'run-1' });
    expect(messages.some((m) => m.type === 'done')).toBe(false);
    const lastProgress = messages.filter((m) => m.type === 'progress').at(-1)!;
    expect(lastProgress.type === 'progress' && lastProgress.fraction).toBeLessThan(0.7);
  });

  it('cancels only the named run', async () => {
    const { messages, handle } = harness({ yieldEveryMs: 0 });
    const spec = randomSpec({ dimensions: 8, options: 4, constraints: 4, seed: 5 });
    const first = handle({ type: 'start', input: { ...inputFor(spec), runId: 'a' } });
    const second = handle({ type: 'start', input: { ...inputFor(spec), runId: 'b' } });
    await handle({ type: 'cancel', runId: 'a' });
    await Promise.all([first, second]);
    const finals = messages.filter((m) => m.type !== 'progress').map((m) => [m.runId, m.type]);
    expect(finals).toEqual(
      expect.arrayContaining([
        ['a', 'cancelled'],
        ['b', 'done'],
      ]),
    );
  });

  it('reports failure with a clear message for a spec that cannot run', async () => {
    const { messages, handle } = harness();
    await handle({ type: 'start', input: inputFor({ ...handExampleSpec(), constraints: [] }) });
    expect(messages).toEqual([
      {
        type: 'failed',
        runId: 'run-1',
        error: {
          layer: 'engine',
          code: 'spec_incomplete',
          details: { reason: 'The spec has no constraints, so there is nothing to score designs against.' },
        },
      },
    ]);
  });

  it('reports a failing stage as failed, not done', async () => {
    const broken: Designer = {
      design: () => Promise.reject(new Error('language model unavailable')),
    };
    const { messages, handle } = harness({ stages: { designer: broken } });
    await handle({ type: 'start', input: inputFor(handExampleSpec()) });
    expect(messages.at(-1)).toEqual({
      type: 'failed',
      runId: 'run-1',
      error: { layer: 'engine', code: 'unexpected_failure', details: { what: 'language model unavailable' } },
    });
  });

  it('answers an unknown message with failed instead of throwing', async () => {
    const { messages, handle } = harness();
    await handle({ type: 'explode', runId: 'x' });
    expect(messages).toEqual([
      {
        type: 'failed',
        runId: 'x',
        error: { layer: 'engine', code: 'invariant_broken', details: { what: 'unknown message to the engine worker: explode' } },
      },
    ]);
  });
});
