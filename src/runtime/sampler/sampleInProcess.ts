import { columnNames, type ModelInstance } from "../model";
import type { Fit } from "./fit";
import { runChain } from "./runChain";
import { RunRecorder, type RunOutputOptions } from "./runRecorder";
import { resolveOptions, type SampleOptions } from "./sampleOptions";

/** CSV/JSON written as the run goes, and the columns the fit keeps (see `RunOutputOptions`). */
export interface InProcessOptions extends SampleOptions, RunOutputOptions {}

/** Runs the chains one after another on this thread (tests, and browsers without workers). */
export function sampleInProcess(model: ModelInstance, options: InProcessOptions = {}): Fit {
  const { configs, seed } = resolveOptions(options);
  const recorder = new RunRecorder(configs, seed, options.seed === undefined, { csv: options.csv, json: options.json, keepColumn: options.keepColumn }, options.onProgress);
  const modelColumns = columnNames(model.variables);
  try {
    for (const config of configs) {
      const chain = config.chain;
      recorder.started(chain, model.name, model.dim, modelColumns);
      const summary = runChain(model, config, {
        onRow: (row, phase) => recorder.row(chain, row, phase),
        onAdaptationEnd: (stepSize, inverseMetric) => recorder.adaptation(chain, stepSize, inverseMetric),
        onIteration: options.onProgress
          ? (iteration, phase, divergences) => recorder.progress(chain, iteration, phase, divergences)
          : undefined,
      });
      recorder.done(chain, summary);
    }
  } catch (error) {
    recorder.abortAll();
    throw error;
  }
  return recorder.fit();
}
