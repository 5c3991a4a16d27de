/**
 * Runs the engine in a Web Worker for this tab and records each run in
 * IndexedDB: `running` while the worker works (holding the run's Web Lock, so
 * another tab starting up does not mistake it for an interrupted run), then
 * `completed` with all results, or `cancelled` / `failed` with none. On a
 * full disk the run ends `failed` with the storage-full reason, by the
 * smallest write; if even that is refused, this tab still shows it ended.
 */
import {
  beginRun,
  completeRun,
  endRunStatusOnly,
  endRunWithoutResults,
  RESULTS_STORAGE_FULL_REASON,
  runLockName,
  StorageFullError,
} from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { EngineError, newId, type Run, type RunConfig, type RunMode, type SpecContent, type StageImplementations } from '../../domain';
import type { MainToWorker, ProgressEvent, ScenarioDraft, SeedCandidate, WorkerToMain } from '../../engine';
import { announceStorageFull } from '../../shared/storageFullNotice';

/** The part of a Worker the executor uses, so tests can supply an in-process one. */
export interface EngineWorker {
  postMessage(message: MainToWorker): void;
  onmessage: ((event: MessageEvent<WorkerToMain>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface StartRunInput {
  projectId: string;
  chatSessionId: string | null;
  mode: RunMode;
  config: RunConfig;
  specSnapshot: SpecContent;
  seedCandidate?: SeedCandidate | null;
  /** Scenarios made before the run (by a model, or a re-run's stored ones): the worker uses them instead of generating. */
  providedScenarios?: ScenarioDraft[] | null;
  /** Which implementation made each stage's output, recorded in the run's metrics (built-in where unnamed). */
  stageImplementations?: Partial<StageImplementations>;
}

type Outcome = Extract<WorkerToMain, { type: 'done' | 'cancelled' | 'failed' }>;

interface ActiveRun {
  settle: (outcome: Outcome) => void;
  progress: ProgressEvent | null;
  cancelRequested: boolean;
}

export function createEngineWorker(): EngineWorker {
  return new Worker(new URL('../../engine/worker.ts', import.meta.url), {
    type: 'module',
    name: 'crucible-engine',
  });
}

export class RunExecutor {
  private worker: EngineWorker | null = null;
  private readonly active = new Map<string, ActiveRun>();
  private readonly finished = new Map<string, Promise<void>>();
  private readonly unsavedEnds = new Map<string, RunEnd>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly makeWorker: () => EngineWorker = createEngineWorker) {}

  /** Writes the run as `running`, hands it to the worker, and resolves with the run once it is stored. */
  async start(input: StartRunInput): Promise<Run> {
    const runId = newId();
    let resolveStarted!: (run: Run) => void;
    let rejectStarted!: (error: unknown) => void;
    const started = new Promise<Run>((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    const execute = async () => {
      let run: Run;
      try {
        run = await beginRun({
          id: runId,
          projectId: input.projectId,
          chatSessionId: input.chatSessionId,
          candidateId: input.mode === 'seeded' ? (input.seedCandidate?.id ?? null) : null,
          mode: input.mode,
          config: input.config,
          specSnapshot: input.specSnapshot,
        });
      } catch (error) {
        rejectStarted(error);
        return;
      }
      const outcome = new Promise<Outcome>((settle) => {
        this.active.set(runId, { settle, progress: null, cancelRequested: false });
      });
      this.notify();
      resolveStarted(run);
      try {
        this.ensureWorker().postMessage({
          type: 'start',
          input: {
            runId,
            projectId: input.projectId,
            spec: input.specSnapshot,
            mode: input.mode,
            config: input.config,
            seedCandidate: input.seedCandidate ?? null,
            ...(input.providedScenarios ? { providedScenarios: input.providedScenarios } : {}),
            ...(input.stageImplementations ? { stageImplementations: input.stageImplementations } : {}),
          },
        });
      } catch (error) {
        const detail = error instanceof Error ? error.message || error.name : String(error);
        this.settle(runId, { type: 'failed', runId, error: new EngineError('worker_not_started', { detail }).toRecord() });
      }
      await this.record(runId, await outcome);
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const finished = locks ? locks.request(runLockName(runId), execute) : execute();
    this.finished.set(
      runId,
      Promise.resolve(finished)
        .catch((error: unknown) => console.error('Run bookkeeping failed', error))
        .finally(() => this.finished.delete(runId)),
    );
    return started;
  }

  /** Asks the worker to stop; the run ends `cancelled` once the worker confirms. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run || !this.worker) return false;
    run.cancelRequested = true;
    this.notify();
    this.worker.postMessage({ type: 'cancel', runId });
    return true;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  isCancelling(runId: string): boolean {
    return this.active.get(runId)?.cancelRequested ?? false;
  }

  progressOf(runId: string): ProgressEvent | null {
    return this.active.get(runId)?.progress ?? null;
  }

  /** The end of a run this tab could not store (the disk refused even the status), or null. */
  unsavedEndOf(runId: string): RunEnd | null {
    return this.unsavedEnds.get(runId) ?? null;
  }

  /** Resolves once the run's final state is stored (tests and the re-run flow wait on it). */
  whenFinished(runId: string): Promise<void> {
    return this.finished.get(runId) ?? Promise.resolve();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  private ensureWorker(): EngineWorker {
    if (this.worker) return this.worker;
    const worker = this.makeWorker();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      // A crashed worker answers nothing more: fail its runs and start fresh next time.
      event.preventDefault?.();
      // Its own text is for developers (the console); the run says what happened and what to do.
      console.error('The engine worker stopped unexpectedly', event.message);
      const crashed = new EngineError('worker_crashed', {}).toRecord();
      this.worker = null;
      worker.terminate();
      for (const runId of [...this.active.keys()]) this.settle(runId, { type: 'failed', runId, error: crashed });
    };
    this.worker = worker;
    return worker;
  }

  private receive(message: WorkerToMain) {
    const run = this.active.get(message.runId);
    if (!run) return;
    if (message.type === 'progress') {
      run.progress = { stage: message.stage, fraction: message.fraction, message: message.message };
      this.notify();
      return;
    }
    this.settle(message.runId, message);
  }

  private settle(runId: string, outcome: Outcome) {
    this.active.get(runId)?.settle(outcome);
  }

  /**
   * Stores how the run ended. A run never stays `running` in this tab once its worker has answered: if even the
   * smallest write is refused, the end is kept in memory and shown here, and in storage the run is left `running`
   * without its lock, so the next start-up sweep (or another tab waiting on the lock) marks it interrupted.
   */
  private async record(runId: string, outcome: Outcome) {
    let end: RunEnd | null = null;
    try {
      if (outcome.type === 'done') {
        try {
          await completeRun(runId, outcome.result);
          return;
        } catch (error) {
          end = { status: 'failed', error: describeResultsFailure(error) };
        }
      } else {
        end =
          outcome.type === 'cancelled'
            ? { status: 'cancelled', error: CANCELLED_REASON }
            : { status: 'failed', error: errorSentence(outcome.error) };
      }
      await storeEnd(runId, end);
    } catch (error) {
      if (end) this.unsavedEnds.set(runId, end);
      if (!(error instanceof StorageFullError)) console.error('The end of a run could not be saved', error);
      // Results that did not fit were said already, in the sentence that fits best; any other refusal is said now.
      else if (end?.error !== RESULTS_STORAGE_FULL_REASON) announceStorageFull(errorSentence(error));
    } finally {
      this.active.delete(runId);
      this.notify();
    }
  }
}

/** How a run ended, as stored (or, when storage refused it, as this tab shows it). */
export interface RunEnd {
  status: 'cancelled' | 'failed';
  error: string;
}

const CANCELLED_REASON = 'Cancelled by the user. No results were kept.';

function describeResultsFailure(error: unknown): string {
  return error instanceof StorageFullError ? RESULTS_STORAGE_FULL_REASON : `The results could not be saved: ${errorSentence(error)}`;
}

/**
 * Writes the run's end with its summary in the chat; on a full disk, with the smallest write there is (the run's status
 * alone). Results that did not fit are said on screen at once, whether or not the status could be written.
 */
async function storeEnd(runId: string, end: RunEnd): Promise<void> {
  if (end.error === RESULTS_STORAGE_FULL_REASON) {
    announceStorageFull(RESULTS_STORAGE_FULL_REASON);
    await endRunStatusOnly(runId, end.status, end.error);
    return;
  }
  try {
    await endRunWithoutResults(runId, end.status, end.error);
  } catch (error) {
    if (!(error instanceof StorageFullError)) throw error;
    await endRunStatusOnly(runId, end.status, end.error);
  }
}

let shared: RunExecutor | null = null;

/** The tab's one executor (one worker, reused across runs). */
export function runExecutor(): RunExecutor {
  shared ??= new RunExecutor();
  return shared;
}
