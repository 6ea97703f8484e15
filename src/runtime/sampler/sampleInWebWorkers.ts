import type { StanData } from "../model";
import { runChainsOnWorkers, type WorkerHandle } from "./chainScheduler";
import type { Fit } from "./fit";
import { RunRecorder } from "./runRecorder";
import { resolveOptions, type SampleOptions } from "./sampleOptions";
import { CHAIN_WORKER_FLAG, type FromChainWorker } from "./workerProtocol";

export interface WebSampleOptions extends SampleOptions {
  /** Worker script; default the model module itself (it must call `serveModelIfWebChainWorker(model)`). */
  workerUrl?: string | URL;
}

function webWorker(script: string | URL): WorkerHandle {
  const worker = new Worker(script, { type: "module", name: CHAIN_WORKER_FLAG });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener("message", (event) => handler(event.data as FromChainWorker)),
    onFailure: (handler) =>
      worker.addEventListener("error", (event) => handler(new Error(event.message || "chain worker failed"))),
    terminate: () => worker.terminate(),
  };
}

/**
 * Browser counterpart of `sampleModule`: one module Web Worker per core (default
 * `navigator.hardwareConcurrency`), same protocol, same draws for the same seed. Interrupting
 * needs cross-origin isolation for SharedArrayBuffer; without it chains run to the end.
 */
export async function sampleInWebWorkers(moduleUrl: string | URL, data: StanData, options: WebSampleOptions = {}): Promise<Fit> {
  const { configs, seed, chains } = resolveOptions(options);
  const available = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  const cores = options.cores ?? Math.min(chains, available);
  const recorder = new RunRecorder(configs, seed, options.seed === undefined, {}, options.onProgress);
  const stopFlag = typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : undefined;
  const workers = Array.from({ length: Math.min(cores, chains) }, () => webWorker(options.workerUrl ?? moduleUrl));
  try {
    await runChainsOnWorkers(workers, { runId: `web-${Date.now()}`, moduleUrl: String(moduleUrl), data, configs, stopFlag }, recorder);
  } finally {
    for (const worker of workers) worker.terminate();
  }
  return recorder.fit();
}
