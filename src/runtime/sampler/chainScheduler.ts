import type { StanData } from "../model";
import type { ChainConfig } from "./runChain";
import type { RunRecorder } from "./runRecorder";
import type { FromChainWorker, ToChainWorker } from "./workerProtocol";

/** A started worker as the scheduler sees it (Node `Worker` or browser `Worker`, adapted). */
export interface WorkerHandle {
  post(message: ToChainWorker): void;
  onMessage(handler: (message: FromChainWorker) => void): void;
  /** The worker died (uncaught error or exit before finishing). */
  onFailure(handler: (error: Error) => void): void;
  terminate(): void;
}

/** The error a chain reported, re-created with the worker's error name (e.g. StanDataError). */
export class ChainError extends Error {
  constructor(
    readonly chain: number,
    name: string,
    message: string,
    /** The stack inside the worker (for internal errors; user errors need only the message). */
    readonly workerStack?: string,
  ) {
    super(message);
    this.name = name;
  }
}

export interface ScheduleRequest {
  runId: string;
  moduleUrl: string;
  data: StanData;
  configs: readonly ChainConfig[];
  stopFlag?: SharedArrayBuffer;
  batchRows?: number;
  flushMs?: number;
  progressEvery?: number;
}

/**
 * Hands chains to the workers, one at a time per worker, in chain order, and forwards every
 * message to the recorder. Resolves when all chains are done; rejects on the first failure.
 * Which worker runs which chain does not change any draw: each chain has its own RNG stream.
 */
export function runChainsOnWorkers(workers: readonly WorkerHandle[], request: ScheduleRequest, recorder: RunRecorder): Promise<void> {
  const pending = [...request.configs];
  let remaining = pending.length;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    // Per chain: how many of its row batches have been handled (the workers' flow control).
    const consumed = new Map<number, Int32Array>();
    const dispatch = (worker: WorkerHandle): void => {
      const config = pending.shift();
      if (!config) return;
      // Shared memory works exactly where the stop flag does.
      const consumedBatches = request.stopFlag ? new SharedArrayBuffer(4) : undefined;
      if (consumedBatches) consumed.set(config.chain, new Int32Array(consumedBatches));
      worker.post({
        type: "run",
        runId: request.runId,
        moduleUrl: request.moduleUrl,
        data: request.data,
        config,
        stopFlag: request.stopFlag,
        consumedBatches,
        batchRows: request.batchRows ?? 100,
        flushMs: request.flushMs ?? 500,
        progressEvery: request.progressEvery ?? Math.max(1, Math.min(100, Math.floor((config.warmup + config.samples) / 100))),
      });
    };
    for (const worker of workers) {
      worker.onMessage((message) => {
        if (settled) return;
        try {
          switch (message.type) {
            case "started":
              recorder.started(message.chain, message.modelName, message.dim, message.modelColumns);
              break;
            case "rows":
              for (let r = 0; r < message.count; r++) {
                const row = message.rows.subarray(r * message.rowLength, (r + 1) * message.rowLength);
                recorder.row(message.chain, row, message.phase);
              }
              {
                const handled = consumed.get(message.chain);
                if (handled) {
                  Atomics.add(handled, 0, 1);
                  Atomics.notify(handled, 0);
                }
              }
              break;
            case "adaptation":
              recorder.adaptation(message.chain, message.stepSize, message.inverseMetric);
              break;
            case "progress":
              recorder.progress(message.chain, message.iteration, message.phase, message.divergences);
              break;
            case "done":
              recorder.done(message.chain, message.summary);
              remaining--;
              if (remaining === 0) {
                settled = true;
                resolve();
              } else {
                dispatch(worker);
              }
              break;
            case "error":
              fail(new ChainError(message.chain, message.name, `Chain ${message.chain}: ${message.message}`, message.stack));
              break;
          }
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
      worker.onFailure(fail);
    }
    if (remaining === 0) {
      settled = true;
      resolve();
      return;
    }
    for (const worker of workers) dispatch(worker);
  });
}
