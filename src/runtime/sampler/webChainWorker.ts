import type { CompiledModel } from "../model";
import { type ModelLoader, serveChains } from "./chainServer";
import { CHAIN_WORKER_FLAG, type FromChainWorker, type ToChainWorker } from "./workerProtocol";

interface WorkerScope {
  name?: string;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", handler: (event: MessageEvent) => void): void;
}

/** True inside a browser Web Worker created with `{ name: "stan2tsChainWorker" }`. */
export function isWebChainWorker(): boolean {
  const scope = globalThis as unknown as Partial<WorkerScope>;
  const workerScope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return workerScope !== undefined && scope instanceof workerScope && scope.name === CHAIN_WORKER_FLAG;
}

/** Serves chain requests in a browser Web Worker (same protocol as the Node worker). */
export function startWebChainWorker(loadModel: ModelLoader): void {
  const scope = globalThis as unknown as WorkerScope;
  serveChains(
    {
      post: (message: FromChainWorker, transfer?: ArrayBuffer[]) => scope.postMessage(message, transfer ?? []),
      listen: (handler: (message: ToChainWorker) => void) =>
        scope.addEventListener("message", (event) => handler(event.data as ToChainWorker)),
    },
    loadModel,
  );
}

/** Browser counterpart of `serveModelIfChainWorker`. */
export function serveModelIfWebChainWorker(model: CompiledModel): boolean {
  if (!isWebChainWorker()) return false;
  startWebChainWorker(() => model);
  return true;
}
