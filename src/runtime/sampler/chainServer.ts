import { columnNames, type CompiledModel, createInstance, type ModelInstance } from "../model";
import { type ChainPhase, runChain } from "./runChain";
import { type FromChainWorker, MAX_BATCHES_IN_FLIGHT, type MessageEndpoint, type ToChainWorker } from "./workerProtocol";

/** Loads the `CompiledModel` a run names; a model bundle serving itself ignores the URL. */
export type ModelLoader = (moduleUrl: string) => Promise<CompiledModel> | CompiledModel;

/**
 * The worker side: runs each requested chain with `runChain` and streams its rows back in
 * batches, so the host keeps every completed draw even if the worker dies. No host APIs here.
 */
export function serveChains(endpoint: MessageEndpoint, loadModel: ModelLoader): void {
  let cached: { runId: string; instance: ModelInstance } | null = null;
  // Chains arrive one at a time per worker; queue them in case the host sends ahead.
  let queue: Promise<void> = Promise.resolve();
  endpoint.listen((message) => {
    if (message.type !== "run") return;
    queue = queue.then(async () => {
      try {
        if (!cached || cached.runId !== message.runId) {
          const model = await loadModel(message.moduleUrl);
          cached = { runId: message.runId, instance: createInstance(model, message.data) };
        }
        runOne(endpoint, cached.instance, message);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        endpoint.post({ type: "error", chain: message.config.chain, name: e.name, message: e.message, stack: e.stack });
      }
    });
  });
}

function runOne(endpoint: MessageEndpoint, instance: ModelInstance, message: ToChainWorker): void {
  const { config } = message;
  const chain = config.chain;
  const modelColumns = columnNames(instance.variables);
  endpoint.post({ type: "started", chain, modelName: instance.name, dim: instance.dim, modelColumns });

  const rowLength = 7 + instance.outputLength;
  const batchRows = Math.max(1, message.batchRows);
  let batch = new Float64Array(batchRows * rowLength);
  let count = 0;
  let batchPhase: ChainPhase = "warmup";
  let lastFlush = globalThis.performance.now();
  const consumedView = message.consumedBatches ? new Int32Array(message.consumedBatches) : null;
  let sentBatches = 0;
  const flush = (): void => {
    if (count === 0) return;
    if (consumedView) {
      // Too far ahead of the host: wait for it (re-checking every 100 ms).
      for (let handled = Atomics.load(consumedView, 0); sentBatches - handled >= MAX_BATCHES_IN_FLIGHT; handled = Atomics.load(consumedView, 0)) {
        Atomics.wait(consumedView, 0, handled, 100);
      }
    }
    sentBatches++;
    const rows = batch.slice(0, count * rowLength);
    endpoint.post({ type: "rows", chain, phase: batchPhase, rows, count, rowLength }, [rows.buffer]);
    count = 0;
    lastFlush = globalThis.performance.now();
  };
  const stopView = message.stopFlag ? new Int32Array(message.stopFlag) : null;
  const progressEvery = Math.max(1, message.progressEvery);
  const totalIterations = config.warmup + config.samples;

  const summary = runChain(instance, config, {
    onRow(row, phase) {
      if (phase !== batchPhase) flush();
      batchPhase = phase;
      batch.set(row, count * rowLength);
      count++;
      if (count === batchRows) flush();
    },
    onAdaptationEnd(stepSize, inverseMetric) {
      flush();
      endpoint.post({ type: "adaptation", chain, stepSize, inverseMetric: Float64Array.from(inverseMetric) });
    },
    onIteration(iteration, phase, divergences) {
      if (iteration % progressEvery === 0 || iteration === config.warmup || iteration === totalIterations) {
        endpoint.post({ type: "progress", chain, iteration, phase, divergences });
      }
      if (count > 0 && globalThis.performance.now() - lastFlush > message.flushMs) flush();
    },
    shouldStop: stopView ? () => Atomics.load(stopView, 0) !== 0 : undefined,
  });
  flush();
  batch = new Float64Array(0);
  endpoint.post({ type: "done", chain, summary });
}

export type { FromChainWorker };
