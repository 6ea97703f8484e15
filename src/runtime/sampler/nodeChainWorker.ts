import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { CompiledModel } from "../model";
import { type ModelLoader, serveChains } from "./chainServer";
import { CHAIN_WORKER_FLAG, type FromChainWorker, type ToChainWorker } from "./workerProtocol";

/** True inside a Node worker started by `sampleModule` (its workerData carries the flag). */
export function isNodeChainWorker(): boolean {
  return !isMainThread && parentPort !== null && (workerData as Record<string, unknown> | null)?.[CHAIN_WORKER_FLAG] === true;
}

/** Serves chain requests on this Node worker's parent port. */
export function startNodeChainWorker(loadModel: ModelLoader): void {
  const port = parentPort;
  if (!port) throw new Error("startNodeChainWorker must run inside a worker thread");
  serveChains(
    {
      post: (message: FromChainWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer),
      listen: (handler: (message: ToChainWorker) => void) => port.on("message", handler),
    },
    loadModel,
  );
}

/**
 * For a bundled model module: when this module was started as a chain worker, serve chains with
 * `model` and return true. A generated `model.js` calls this at load, so the bundle can be its own
 * worker script (`sampleModule(modelUrl, data)` without a separate worker file).
 */
export function serveModelIfChainWorker(model: CompiledModel): boolean {
  if (!isNodeChainWorker()) return false;
  startNodeChainWorker(() => model);
  return true;
}

/** Loads `model` from the module at `moduleUrl` (the generic worker's loader). */
export async function importCompiledModel(moduleUrl: string): Promise<CompiledModel> {
  const module = (await import(/* @vite-ignore */ moduleUrl)) as { model?: CompiledModel };
  if (!module.model || typeof module.model.create !== "function") {
    throw new Error(`${moduleUrl} does not export 'model' (a CompiledModel)`);
  }
  return module.model;
}
