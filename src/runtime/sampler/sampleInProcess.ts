import { columnNames, type ModelInstance } from "../model";
import { ChainCollector, Fit } from "./fit";
import { runChain, SAMPLER_COLUMNS } from "./runChain";
import { resolveOptions, type SampleOptions } from "./sampleOptions";

/** Runs the chains one after another on this thread (tests, and browsers without workers). */
export function sampleInProcess(model: ModelInstance, options: SampleOptions = {}): Fit {
  const { configs, seed } = resolveOptions(options);
  const results = configs.map((config) => {
    const collector = new ChainCollector();
    const totalIterations = config.warmup + config.samples;
    const onProgress = options.onProgress;
    const summary = runChain(model, config, {
      onRow: (row, phase) => collector.add(row, phase),
      onIteration: onProgress
        ? (iteration, phase, divergences) =>
            onProgress({ chain: config.chain, iteration, totalIterations, phase, divergences, done: false })
        : undefined,
    });
    onProgress?.({
      chain: config.chain,
      iteration: totalIterations,
      totalIterations,
      phase: "sampling",
      divergences: summary.samplingDivergences,
      done: true,
    });
    return collector.finish(summary);
  });
  return new Fit([...SAMPLER_COLUMNS, ...columnNames(model.variables)], results, seed);
}
