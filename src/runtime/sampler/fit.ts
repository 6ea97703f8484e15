import type { ChainPhase, ChainSummary } from "./runChain";

/** One chain's output: its summary plus every saved row (sampler columns then model columns). */
export interface ChainResult extends ChainSummary {
  /** Post-warmup rows in iteration order. */
  rows: Float64Array[];
  /** Warmup rows (only with `saveWarmup`). */
  warmupRows: Float64Array[];
}

/** Collects the rows of one chain as they arrive: all columns, or the `kept` indices only. */
export class ChainCollector {
  readonly rows: Float64Array[] = [];
  readonly warmupRows: Float64Array[] = [];

  constructor(private readonly kept: Int32Array | null = null) {}

  add(row: Float64Array, phase: ChainPhase): void {
    const kept = this.kept;
    const copy = kept === null ? Float64Array.from(row) : Float64Array.from(kept, (i) => row[i]);
    (phase === "warmup" ? this.warmupRows : this.rows).push(copy);
  }

  finish(summary: ChainSummary): ChainResult {
    return { ...summary, rows: this.rows, warmupRows: this.warmupRows };
  }
}

/** The result of a run: per-chain rows plus lookup of draws by column or variable name. */
export class Fit {
  private readonly index = new Map<string, number>();

  constructor(
    /** Sampler columns (`lp__` … `energy__`) followed by the model's CmdStan column names. */
    readonly columnNames: readonly string[],
    readonly chains: readonly ChainResult[],
    /** The seed actually used (the user's, or the one drawn for them). */
    readonly seed: number,
  ) {
    columnNames.forEach((name, i) => this.index.set(name, i));
  }

  /** Column indices of `name`: an exact column (`b.1`, `lp__`) or every element of a variable (`b`). */
  columnsOf(name: string): number[] {
    const exact = this.index.get(name);
    if (exact !== undefined) return [exact];
    const prefix = `${name}.`;
    const matches: number[] = [];
    this.columnNames.forEach((column, i) => {
      if (column.startsWith(prefix) && /^[0-9.]+$/.test(column.slice(prefix.length))) matches.push(i);
    });
    if (matches.length === 0) throw new RangeError(`No column or variable named '${name}' in this fit.`);
    return matches;
  }

  /**
   * Post-warmup draws of all chains, chain after chain. For a scalar column, one value per draw;
   * for a variable with several elements, draw-major: draw i holds its elements (in column
   * order) at i·k … i·k + k − 1.
   */
  draws(name: string): Float64Array {
    const columns = this.columnsOf(name);
    const total = this.chains.reduce((n, c) => n + c.rows.length, 0);
    const out = new Float64Array(total * columns.length);
    let k = 0;
    for (const chain of this.chains) {
      for (const row of chain.rows) for (const c of columns) out[k++] = row[c];
    }
    return out;
  }

  /** Post-warmup draws of one column, one array per chain (the shape diagnostics want). */
  drawsByChain(column: string): Float64Array[] {
    const c = this.index.get(column);
    if (c === undefined) throw new RangeError(`No column named '${column}' in this fit.`);
    return this.chains.map((chain) => Float64Array.from(chain.rows, (row) => row[c]));
  }

  get numDivergent(): number {
    return this.chains.reduce((n, c) => n + c.samplingDivergences, 0);
  }
}
