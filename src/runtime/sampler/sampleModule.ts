/**
 * Sampling in Node worker threads. Node's modules are imported when sampling starts, not at the
 * top, so the runtime stays importable (and bundleable) in a browser, where this never runs.
 */
import type { StanData } from "../model";
import { runChainsOnWorkers, type WorkerHandle } from "./chainScheduler";
import type { Fit } from "./fit";
import { RunRecorder, type RunOutputOptions } from "./runRecorder";
import { resolveOptions, type SampleOptions } from "./sampleOptions";
import { CHAIN_WORKER_FLAG, type FromChainWorker } from "./workerProtocol";

export interface ModuleSampleOptions extends SampleOptions, RunOutputOptions {
  /**
   * Worker script: a bundled `chainWorker.js`, which imports `moduleUrl` itself. Default: the model
   * module itself, which must call `serveModelIfChainWorker(model)` at load (generated bundles do).
   */
  workerUrl?: string | URL;
  /** Aborting stops every chain after its current iteration; the fit keeps the completed draws. */
  signal?: AbortSignal;
}

/** The Node APIs this module uses. */
interface NodeApis {
  readonly availableParallelism: () => number;
  readonly pathToFileURL: (path: string) => URL;
  readonly Worker: typeof import("node:worker_threads").Worker;
}

async function nodeApis(): Promise<NodeApis> {
  const [os, url, threads] = await Promise.all([import("node:os"), import("node:url"), import("node:worker_threads")]);
  return { availableParallelism: os.availableParallelism, pathToFileURL: url.pathToFileURL, Worker: threads.Worker };
}

function toUrl(location: string | URL, { pathToFileURL }: NodeApis): URL {
  if (location instanceof URL) return location;
  return /^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)
    ? new URL(location)
    : pathToFileURL(location);
}

function nodeWorker(script: URL, { Worker }: NodeApis): WorkerHandle {
  const worker = new Worker(script, { workerData: { [CHAIN_WORKER_FLAG]: true } });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.on("message", (message: FromChainWorker) => handler(message)),
    onFailure: (handler) => {
      worker.on("error", handler);
      worker.on("exit", (code) => {
        if (code !== 0) handler(new Error(`chain worker exited with code ${code}`));
      });
    },
    terminate: () => {
      void worker.terminate();
    },
  };
}

let runCounter = 0;

/**
 * Samples the model exported (as `model`) by the module at `moduleUrl`, one Node worker thread per
 * core. Each worker builds its own instance from `data`. Draws depend only on the seed, never on
 * `cores`.
 */
export async function sampleModule(moduleUrl: string | URL, data: StanData, options: ModuleSampleOptions = {}): Promise<Fit> {
  const { configs, seed, chains } = resolveOptions(options);
  const node = await nodeApis();
  const cores = options.cores ?? Math.min(chains, node.availableParallelism());
  if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be a positive integer, got ${cores}`);
  const moduleHref = toUrl(moduleUrl, node).href;
  const script = toUrl(options.workerUrl ?? moduleUrl, node);
  const recorder = new RunRecorder(configs, seed, options.seed === undefined, { csv: options.csv, json: options.json, keepColumn: options.keepColumn }, options.onProgress);
  const stopFlag = new SharedArrayBuffer(4);
  const stop = (): void => {
    Atomics.store(new Int32Array(stopFlag), 0, 1);
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop);

  const workers = Array.from({ length: Math.min(cores, chains) }, () => nodeWorker(script, node));
  try {
    await runChainsOnWorkers(workers, { runId: `run-${process.pid}-${++runCounter}`, moduleUrl: moduleHref, data, configs, stopFlag }, recorder);
  } catch (error) {
    recorder.abortAll();
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", stop);
    for (const worker of workers) worker.terminate();
  }
  return recorder.fit();
}
