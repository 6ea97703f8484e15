import { CmdStanCsvWriter, type AdaptedMetric, type CsvConfig, type CsvMetricKind } from "../io/cmdstanCsvWriter";
import { WindowSchedule } from "../adaptation/windowSchedule";
import type { ChainConfig, ChainSummary } from "./runChain";

/** Where one chain's CmdStan CSV goes; `write` is called as the run goes. */
export interface CsvSink {
  write(text: string): void;
  close?(): void;
}

export interface CsvOutputOptions {
  /** Opens the sink for a chain (1-based), e.g. `openFileSink(join(dir, \`${name}_${chain}.csv\`))`. */
  open(chain: number, modelName: string): CsvSink;
  /** Header fields the sampler cannot know: data file name, output file, start time, versions. */
  header?: Partial<CsvConfig>;
}

const METRIC_NAMES: Record<ChainConfig["metric"], CsvMetricKind> = { unit: "unit_e", diag: "diag_e", dense: "dense_e" };

/** Streams one chain into a CmdStan CSV: header at start, rows as they come, adaptation block, timing. */
export class ChainCsvStream {
  private readonly writer: CmdStanCsvWriter;

  constructor(
    private readonly sink: CsvSink,
    private readonly config: ChainConfig,
    private readonly dim: number,
  ) {
    this.writer = new CmdStanCsvWriter((text) => sink.write(text));
  }

  start(modelName: string, columns: readonly string[], options: CsvOutputOptions, numChains: number, seedIsDefault: boolean): void {
    const c = this.config;
    const notes: string[] = [];
    if (c.adaptEngaged && c.warmup > 0 && c.metric !== "unit") {
      const schedule = new WindowSchedule(c.warmup, c, c.adaptCompat);
      notes.push(...schedule.messages);
    }
    const header: CsvConfig = {
      modelName,
      seed: c.seed,
      seedIsDefault,
      numSamples: c.samples,
      numWarmup: c.warmup,
      saveWarmup: c.saveWarmup,
      thin: c.thin,
      adaptEngaged: c.adaptEngaged,
      delta: c.adaptDelta,
      initBuffer: c.initBuffer,
      termBuffer: c.termBuffer,
      window: c.window,
      maxDepth: c.maxTreedepth,
      metric: METRIC_NAMES[c.metric],
      stepsize: c.stepSize,
      stepsizeJitter: c.stepSizeJitter,
      numChains,
      id: c.chain,
      init: typeof c.init === "number" ? c.init : "user",
      ...options.header,
      notes: [...notes, ...(options.header?.notes ?? [])],
    };
    this.writer.writeHeader(header, columns);
  }

  row(values: ArrayLike<number>): void {
    this.writer.writeRow(values);
  }

  adaptation(stepSize: number, inverseMetric: ArrayLike<number>): void {
    let metric: AdaptedMetric;
    if (this.config.metric === "unit") metric = { kind: "unit" };
    else if (this.config.metric === "diag") metric = { kind: "diag", values: inverseMetric };
    else metric = { kind: "dense", values: inverseMetric, dim: this.dim };
    this.writer.writeAdaptation(stepSize, metric);
  }

  finish(summary: ChainSummary): void {
    this.writer.writeTiming(summary.warmupSeconds, summary.samplingSeconds);
    this.sink.close?.();
  }

  /** Closes the sink without a footer (the chain failed); completed rows stay written. */
  abort(): void {
    this.sink.close?.();
  }
}
