import type { ChainConfig, ChainPhase, ChainSummary } from "./runChain";
import { SAMPLER_COLUMNS } from "./runChain";
import { ChainCollector, Fit } from "./fit";
import { ChainCsvStream, type CsvOutputOptions } from "./csvOutput";
import { ChainJsonStream, type JsonOutputOptions } from "./jsonOutput";
import type { ProgressEvent } from "./sampleOptions";

/** What a run writes as it goes, and what its fit keeps. */
export interface RunOutputOptions {
  /** One CmdStan CSV per chain, written as rows arrive. */
  csv?: CsvOutputOptions;
  /** One JSON document per chain (post-warmup draws), written as rows arrive. */
  json?: JsonOutputOptions;
  /**
   * Which columns the returned fit keeps in memory (default: all). The CSV and JSON outputs always
   * get every column; a caller that needs only some (a brms summary) saves the memory of the rest.
   */
  keepColumn?: (column: string) => boolean;
}

/**
 * The host side of a run, shared by in-process and worker sampling: turns chain events into the
 * Fit, the per-chain CSV streams and progress events.
 */
export class RunRecorder {
  private columns: string[] | null = null;
  private readonly collectors = new Map<number, ChainCollector>();
  private readonly csv = new Map<number, ChainCsvStream>();
  private readonly json = new Map<number, ChainJsonStream>();
  /** Indices of the columns the fit keeps, or null for all. */
  private kept: Int32Array | null = null;
  private readonly results = new Map<number, ReturnType<ChainCollector["finish"]>>();

  constructor(
    private readonly configs: readonly ChainConfig[],
    private readonly seed: number,
    private readonly seedIsDefault: boolean,
    private readonly outputs: RunOutputOptions = {},
    private readonly onProgress?: (event: ProgressEvent) => void,
  ) {}

  private config(chain: number): ChainConfig {
    return this.configs[chain - 1];
  }

  started(chain: number, modelName: string, dim: number, modelColumns: readonly string[]): void {
    if (this.columns === null) {
      this.columns = [...SAMPLER_COLUMNS, ...modelColumns];
      const keep = this.outputs.keepColumn;
      if (keep) this.kept = Int32Array.from(this.columns.flatMap((column, i) => (keep(column) ? [i] : [])));
    }
    this.collectors.set(chain, new ChainCollector(this.kept));
    const { csv, json } = this.outputs;
    if (csv) {
      const stream = new ChainCsvStream(csv.open(chain, modelName), this.config(chain), dim);
      stream.start(modelName, this.columns, csv, this.configs.length, this.seedIsDefault);
      this.csv.set(chain, stream);
    }
    if (json) {
      const stream = new ChainJsonStream(json.open(chain, modelName), this.config(chain));
      stream.start(modelName, this.columns, json.fields);
      this.json.set(chain, stream);
    }
  }

  row(chain: number, row: Float64Array, phase: ChainPhase): void {
    this.collectors.get(chain)!.add(row, phase);
    this.csv.get(chain)?.row(row);
    this.json.get(chain)?.row(row, phase);
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
    this.json.get(chain)?.finish(summary);
    this.json.delete(chain);
    const c = this.config(chain);
    this.progress(chain, summary.interrupted ? 0 : c.warmup + c.samples, "sampling", summary.samplingDivergences, true);
  }

  /** Closes any CSV or JSON still open (after a failure), keeping the rows written so far. */
  abortAll(): void {
    for (const stream of this.csv.values()) stream.abort();
    this.csv.clear();
    for (const stream of this.json.values()) stream.abort();
    this.json.clear();
  }

  fit(): Fit {
    const chains = [...this.results.keys()].sort((a, b) => a - b).map((k) => this.results.get(k)!);
    const columns = this.columns ?? [...SAMPLER_COLUMNS];
    const kept = this.kept;
    return new Fit(kept === null ? columns : Array.from(kept, (i) => columns[i]), chains, this.seed);
  }
}
