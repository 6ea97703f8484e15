import type { ChainConfig, ChainPhase, ChainSummary } from "./runChain";
import { SAMPLER_COLUMNS } from "./runChain";
import { ChainCollector, Fit } from "./fit";
import { ChainCsvStream, type CsvOutputOptions } from "./csvOutput";
import type { ProgressEvent } from "./sampleOptions";

/**
 * The host side of a run, shared by in-process and worker sampling: turns chain events into the
 * Fit, the per-chain CSV streams and progress events.
 */
export class RunRecorder {
  private columns: string[] | null = null;
  private readonly collectors = new Map<number, ChainCollector>();
  private readonly csv = new Map<number, ChainCsvStream>();
  private readonly results = new Map<number, ReturnType<ChainCollector["finish"]>>();

  constructor(
    private readonly configs: readonly ChainConfig[],
    private readonly seed: number,
    private readonly seedIsDefault: boolean,
    private readonly csvOptions?: CsvOutputOptions,
    private readonly onProgress?: (event: ProgressEvent) => void,
  ) {}

  private config(chain: number): ChainConfig {
    return this.configs[chain - 1];
  }

  started(chain: number, modelName: string, dim: number, modelColumns: readonly string[]): void {
    this.columns ??= [...SAMPLER_COLUMNS, ...modelColumns];
    this.collectors.set(chain, new ChainCollector());
    if (this.csvOptions) {
      const stream = new ChainCsvStream(this.csvOptions.open(chain, modelName), this.config(chain), dim);
      stream.start(modelName, this.columns, this.csvOptions, this.configs.length, this.seedIsDefault);
      this.csv.set(chain, stream);
    }
  }

  row(chain: number, row: Float64Array, phase: ChainPhase): void {
    this.collectors.get(chain)!.add(row, phase);
    this.csv.get(chain)?.row(row);
  }

  adaptation(chain: number, stepSize: number, inverseMetric: Float64Array): void {
    this.csv.get(chain)?.adaptation(stepSize, inverseMetric);
  }

  progress(chain: number, iteration: number, phase: ChainPhase, divergences: number, done = false): void {
    const c = this.config(chain);
    this.onProgress?.({ chain, iteration, totalIterations: c.warmup + c.samples, phase, divergences, done });
  }

  done(chain: number, summary: ChainSummary): void {
    this.results.set(chain, this.collectors.get(chain)!.finish(summary));
    this.csv.get(chain)?.finish(summary);
    this.csv.delete(chain);
    const c = this.config(chain);
    this.progress(chain, summary.interrupted ? 0 : c.warmup + c.samples, "sampling", summary.samplingDivergences, true);
  }

  /** Closes any CSV still open (after a failure), keeping the rows written so far. */
  abortAll(): void {
    for (const stream of this.csv.values()) stream.abort();
    this.csv.clear();
  }

  fit(): Fit {
    const chains = [...this.results.keys()].sort((a, b) => a - b).map((k) => this.results.get(k)!);
    return new Fit(this.columns ?? [...SAMPLER_COLUMNS], chains, this.seed);
  }
}
