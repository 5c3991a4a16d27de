/**
 * The typed messages between the app (main thread) and the engine worker.
 * Everything is plain data, cloned by postMessage.
 */
import type { ErrorRecord } from '../domain';
import type { PipelineResult } from './pipeline';
import type { PipelineInput, PipelineStage } from './types';

export type MainToWorker = { type: 'start'; input: PipelineInput } | { type: 'cancel'; runId: string };

export type WorkerToMain =
  | { type: 'progress'; runId: string; stage: PipelineStage; fraction: number; message: string }
  | { type: 'done'; runId: string; result: PipelineResult }
  | { type: 'cancelled'; runId: string }
  /** The error as plain data (the page words it); a fault that is not ours arrives as engine/invariant_broken. */
  | { type: 'failed'; runId: string; error: ErrorRecord };

export function isMainToWorker(value: unknown): value is MainToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; runId?: unknown; input?: unknown };
  if (message.type === 'cancel') return typeof message.runId === 'string';
  if (message.type === 'start') {
    const input = message.input as { runId?: unknown } | undefined;
    return typeof input === 'object' && input !== null && typeof input.runId === 'string';
  }
  return false;
}
