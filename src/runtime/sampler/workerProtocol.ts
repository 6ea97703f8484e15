import type { StanData } from "../model";
import type { ChainConfig, ChainPhase, ChainSummary } from "./runChain";

/**
 * Messages between the sampling host and a chain worker. Plain structured-cloneable data only,
 * so the same protocol works over Node `worker_threads` and browser Web Workers.
 */
export type ToChainWorker = {
  type: "run";
  /** Identifies the model + data pair; a worker builds one instance per run id and reuses it. */
  runId: string;
  /** URL of a module exporting `model: CompiledModel` (ignored by a model bundle serving itself). */
  moduleUrl: string;
  data: StanData;
  config: ChainConfig;
  /** Int32Array view target: a non-zero first element asks the chain to stop after its iteration. */
  stopFlag?: SharedArrayBuffer;
  /**
   * Int32Array view target: the number of this chain's `rows` messages the host has handled. The
   * worker keeps at most `MAX_BATCHES_IN_FLIGHT` batches ahead of it, so a model cheap enough to
   * outrun the host's CSV writing cannot flood the host's event loop (which would then answer no
   * signal, Ctrl-C included). Absent where SharedArrayBuffer is not available.
   */
  consumedBatches?: SharedArrayBuffer;
  /** Rows per `rows` message (a batch is also flushed after `flushMs`). */
  batchRows: number;
  flushMs: number;
  /** Post `progress` every this many iterations (and at phase ends). */
  progressEvery: number;
};

export type FromChainWorker =
  | {
      type: "started";
      chain: number;
      modelName: string;
      dim: number;
      /** Model column names (CmdStan order), without the sampler columns. */
      modelColumns: string[];
    }
  /** `count` rows of `rowLength` values each, flattened. */
  | { type: "rows"; chain: number; phase: ChainPhase; rows: Float64Array; count: number; rowLength: number }
  | { type: "adaptation"; chain: number; stepSize: number; inverseMetric: Float64Array }
  | { type: "progress"; chain: number; iteration: number; phase: ChainPhase; divergences: number }
  | { type: "done"; chain: number; summary: ChainSummary }
  | { type: "error"; chain: number; name: string; message: string; stack?: string };

/** The two operations a host needs from a message channel (a Node port or a worker global). */
export interface MessageEndpoint {
  post(message: FromChainWorker, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: ToChainWorker) => void): void;
}

/** Batches a chain worker may post before the host has handled them (see `consumedBatches`). */
export const MAX_BATCHES_IN_FLIGHT = 16;

/** Marks a Node worker (via `workerData`) or Web Worker (via its name) as a stan2ts chain worker. */
export const CHAIN_WORKER_FLAG = "stan2tsChainWorker";
