import { displayNames } from "../io/formatStanSummary";
import type { CsvSink } from "./csvOutput";
import type { ChainConfig, ChainPhase, ChainSummary } from "./runChain";

/** Where one chain's JSON goes, and fit-level fields to record in it (e.g. brms names). */
export interface JsonOutputOptions {
  /** Opens the sink for a chain (1-based). */
  open(chain: number, modelName: string): CsvSink;
  /** Extra top-level fields, written after `columns` (values must be JSON-serialisable). */
  fields?: Record<string, unknown>;
}

/** Rows are written once this many characters are buffered (and at the end). */
const FLUSH_CHARS = 1 << 20;

/**
 * Streams one chain's post-warmup draws as JSON while the chain runs, so no draw is kept for it:
 * the document has the layout of `StanFit.toJSON()` with this one chain in `chains`, the chain's
 * adaptation and timing after its draws (they are known only at the end). Numbers are written as
 * `JSON.stringify` writes them (NaN and ±Inf as null), as `toJSON` gives them.
 */
export class ChainJsonStream {
  private buffer: string[] = [];
  private buffered = 0;
  private rows = 0;

  constructor(
    private readonly sink: CsvSink,
    private readonly config: ChainConfig,
  ) {}

  start(modelName: string, columns: readonly string[], fields: Record<string, unknown> = {}): void {
    const c = this.config;
    // the names users see, one per column, as toJSON's `variables`: brms's where given, else Stan's `b[1]`
    const variables = displayNames(columns, new Map(Object.entries((fields.brmsNames ?? {}) as Record<string, string>)));
    const head: Record<string, unknown> = { model: modelName, seed: c.seed, warmup: c.warmup, samples: c.samples, thin: c.thin, columns, variables, ...fields };
    const text = JSON.stringify(head);
    this.emit(`${text.slice(0, -1)},"chains":[{"chain":${c.chain},"draws":[`);
  }

  row(values: ArrayLike<number>, phase: ChainPhase): void {
    if (phase !== "sampling") return;
    this.emit((this.rows++ > 0 ? "," : "") + JSON.stringify(Array.from(values)));
  }

  finish(summary: ChainSummary): void {
    const tail = {
      stepSize: summary.stepSize,
      metric: summary.metric,
      inverseMetric: Array.from(summary.inverseMetric),
      warmupSeconds: summary.warmupSeconds,
      samplingSeconds: summary.samplingSeconds,
      divergences: summary.samplingDivergences,
      interrupted: summary.interrupted,
    };
    this.emit(`],${JSON.stringify(tail).slice(1)}]}\n`);
    this.flush();
    this.sink.close?.();
  }

  /** Writes what is buffered and closes the sink (the chain failed; the file stays incomplete). */
  abort(): void {
    this.flush();
    this.sink.close?.();
  }

  private emit(text: string): void {
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) this.sink.write(this.buffer.join(""));
    this.buffer = [];
    this.buffered = 0;
  }
}
