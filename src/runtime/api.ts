/**
 * The module API every compiled `model.js` exports:
 *
 *   import { model } from "./m1.js";
 *   const fit = await model.sample(data, { chains: 4, seed: 14 });
 *   console.log(fit.summary());
 *   fit.draws("b_day01");
 *
 * `model.sample` runs chains in Node worker threads (the bundle is its own worker script), in Web
 * Workers in a browser, or on the calling thread when neither is available. Draws depend only on
 * the seed, never on where or how many chains run at once. Like the rest of the runtime this file
 * imports nothing from the compiler; brms naming arrives as data plus a printer from the bundle.
 */
import { columnNames, type CompiledModel, createInstance, type ModelInstance, type StanData } from "./model";
import { convergenceWarnings, samplerDiagnostics, summarizeVariable, type VariableSummary } from "./diagnostics/index";
import { bracketName, displayNames, displayOrder, formatSummaryTable, stanSummaryRows, type SummaryTableRow } from "./io/formatStanSummary";
import { runChainsOnWorkers, type WorkerHandle } from "./sampler/chainScheduler";
import type { Fit } from "./sampler/fit";
import { RunRecorder, type RunOutputOptions } from "./sampler/runRecorder";
import { sampleInProcess } from "./sampler/sampleInProcess";
import { resolveOptions, type SampleOptions } from "./sampler/sampleOptions";
import { CHAIN_WORKER_FLAG, type FromChainWorker } from "./sampler/workerProtocol";

export type { StanData, CompiledModel, ModelInstance };
export type { SampleOptions, ProgressEvent } from "./sampler/sampleOptions";
export type { CsvOutputOptions, CsvSink } from "./sampler/csvOutput";

/** One brms summary row as brms's `print(fit)` shows it. */
export interface BrmsVariableSummary {
  /** Estimate and Est.Error: mean and sd, or median and MAD with `robust`. */
  readonly estimate: number;
  readonly estError: number;
  /** The bounds of the central credible interval of level `prob`. */
  readonly lower: number;
  readonly upper: number;
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
}

export interface BrmsRunInfo {
  readonly chains: number;
  readonly iter: number;
  readonly warmup: number;
  readonly thin: number;
  readonly divergences?: number;
}

/** brms naming for a model built from an R script: output names and the `print(fit)` layout. */
export interface BrmsLayout {
  /** CmdStan column → brms name, in brms's `variables(fit)` order. */
  readonly outputNames: readonly { readonly stan: string; readonly brms: string }[];
  /** `print(fit)`; `data` is the Stan data the model was sampled with (sizes come from it). */
  print(summaries: ReadonlyMap<string, BrmsVariableSummary>, run: BrmsRunInfo, data: StanData, prob: number): string;
}

/** brms's `summary(fit, prob =, robust =)`: the credible intervals' level, and median/MAD instead of mean/sd. */
export interface BrmsSummaryOptions {
  readonly prob?: number;
  readonly robust?: boolean;
}

export type Parallelism = "auto" | "workers" | "in-process";

/** `csv`/`json`: one file per chain written as rows arrive; `keepColumn`: what the fit holds. */
export interface ModelSampleOptions extends SampleOptions, RunOutputOptions {
  /** Aborting stops every chain after its current iteration; the fit keeps the completed draws. */
  signal?: AbortSignal;
  /** "auto" (default): workers when the model was loaded from a bundle and the host has them. */
  parallelism?: Parallelism;
}

/** A compiled model that can also sample itself. Still a `CompiledModel` (`create` works as before). */
export interface SampleableModel extends CompiledModel {
  readonly brms?: BrmsLayout;
  sample(data: StanData, options?: ModelSampleOptions): Promise<StanFit>;
}

export interface DefineModelOptions {
  /** URL of the bundle that exports this model and serves chains when started as a worker. */
  moduleUrl?: string;
  brms?: BrmsLayout;
}

/** One row of `fit.summaryTable()`. */
export interface SummaryRow {
  /** The name users see: brms's name for brms models, otherwise `b[1]`-style. */
  readonly name: string;
  /** The CmdStan CSV column (`b.1`). */
  readonly column: string;
  readonly mean: number;
  readonly mcseMean: number;
  readonly sd: number;
  readonly mad: number;
  readonly q2_5: number;
  readonly q5: number;
  readonly q50: number;
  readonly q95: number;
  readonly q97_5: number;
  readonly essBulk: number;
  readonly essTail: number;
  readonly rhat: number;
}

export interface FitDiagnostics {
  readonly divergences: number;
  readonly treedepthHits: number;
  readonly transitions: number;
  /** E-BFMI per chain. */
  readonly ebfmi: readonly number[];
  readonly maxRhat: number;
  readonly minEssBulk: number;
  readonly minEssTail: number;
  /** Chains stopped early by an interrupt. */
  readonly interruptedChains: readonly number[];
  /** Sampler and convergence warnings (empty when every check passes). */
  readonly warnings: readonly string[];
}

const PROBS = [0.025, 0.975];

/** brms's central interval of level `prob`: (1 − prob)/2 … 1 − (1 − prob)/2 (exactly 2.5%/97.5% at 0.95). */
export function brmsIntervalProbs(prob: number): readonly number[] {
  return prob === 0.95 ? PROBS : [(1 - prob) / 2, 1 - (1 - prob) / 2];
}

/** A `print(fit)` row from a variable's summary at brmsIntervalProbs: mean and sd, or (robust) median and MAD. */
export function brmsSummaryRow(s: VariableSummary, robust: boolean): BrmsVariableSummary {
  return {
    estimate: robust ? s.median : s.mean,
    estError: robust ? s.mad : s.sd,
    lower: s.quantiles[0],
    upper: s.quantiles[1],
    rhat: s.rhat,
    essBulk: s.essBulk,
    essTail: s.essTail,
  };
}

/**
 * Draws whose transformed parameters or generated quantities the program rejected: Stan keeps the
 * draw with NaN for what the block did not produce and logs the message; one warning says how
 * many draws, in which chains, and why.
 */
function rejectionWarnings(chains: readonly { chain: number; rejectedDraws?: number; rejectionMessages?: readonly string[] }[]): string[] {
  const affected = chains.filter((c) => (c.rejectedDraws ?? 0) > 0);
  if (affected.length === 0) return [];
  const total = affected.reduce((n, c) => n + (c.rejectedDraws ?? 0), 0);
  const perChain = affected.map((c) => `chain ${c.chain}: ${c.rejectedDraws}`).join(", ");
  const messages = [...new Set(affected.flatMap((c) => c.rejectionMessages ?? []))].slice(0, 3);
  return [
    `${total} draw${total === 1 ? "" : "s"} (${perChain}) have NaN transformed parameters or generated quantities: ` +
      `the program rejected them there (the parameters are kept). ${messages.length === 1 ? "Message" : "Messages"}: ` +
      messages.map((m) => `"${m}"`).join("; "),
  ];
}

const isNode = (): boolean => {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc === "object" && proc !== null && typeof proc.versions?.node === "string";
};

/** Wraps a generated `CompiledModel` with `sample()`; the bundle entry calls this. */
export function defineModel(compiled: CompiledModel, options: DefineModelOptions = {}): SampleableModel {
  return {
    name: compiled.name,
    stanCode: compiled.stanCode,
    create: (data) => compiled.create(data),
    brms: options.brms,
    async sample(data: StanData, sampleOptions: ModelSampleOptions = {}): Promise<StanFit> {
      const fit = await runSampler(compiled, options.moduleUrl, data, sampleOptions);
      const { configs } = resolveOptions({ ...sampleOptions, seed: fit.seed, init: undefined });
      return new StanFit(compiled.name, fit, configs[0], data, options.brms);
    },
  };
}

async function runSampler(compiled: CompiledModel, moduleUrl: string | undefined, data: StanData, options: ModelSampleOptions): Promise<Fit> {
  const mode = options.parallelism ?? "auto";
  const canUseWorkers = moduleUrl !== undefined && (isNode() || typeof (globalThis as { Worker?: unknown }).Worker === "function");
  if (mode === "workers" && !canUseWorkers) {
    throw new Error("parallelism 'workers' needs the model loaded from its bundle (model.js) in Node or a browser with Web Workers");
  }
  if (mode === "in-process" || !canUseWorkers) {
    // Validate the data before sampling so a bad field is reported once, not per chain.
    return sampleInProcess(createInstance(compiled, data), options);
  }
  // Build one instance up front: data errors surface here, naming the field, before any worker starts.
  compiled.create(data);
  if (isNode()) {
    // Loaded here, not at the top: it imports Node's worker_threads, which a browser lacks.
    const { sampleModule } = await import("./sampler/sampleModule");
    return sampleModule(moduleUrl!, data, options);
  }
  return sampleWithWebWorkers(moduleUrl!, data, options);
}

let webRunCounter = 0;

/** The browser counterpart of `sampleModule`: one Web Worker per core, each loading the bundle. */
async function sampleWithWebWorkers(moduleUrl: string, data: StanData, options: ModelSampleOptions): Promise<Fit> {
  const { configs, seed, chains } = resolveOptions(options);
  const hardware = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  const cores = options.cores ?? Math.max(1, Math.min(chains, hardware));
  const recorder = new RunRecorder(configs, seed, options.seed === undefined, { csv: options.csv, json: options.json, keepColumn: options.keepColumn }, options.onProgress);
  // Posting a SharedArrayBuffer needs a cross-origin isolated page; without it Stop is unavailable.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const stopFlag = isolated && typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(4) : undefined;
  const stop = (): void => {
    if (stopFlag) Atomics.store(new Int32Array(stopFlag), 0, 1);
  };
  options.signal?.addEventListener("abort", stop);
  const WorkerCtor = (globalThis as unknown as { Worker: new (url: string, options: object) => WebWorkerLike }).Worker;
  const workers: WorkerHandle[] = Array.from({ length: Math.min(cores, chains) }, () => {
    const worker = new WorkerCtor(moduleUrl, { type: "module", name: CHAIN_WORKER_FLAG });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.addEventListener("message", (event) => handler((event as { data: FromChainWorker }).data)),
      onFailure: (handler) =>
        worker.addEventListener("error", (event) => handler(new Error((event as { message?: string }).message ?? "chain worker failed to load"))),
      terminate: () => worker.terminate(),
    };
  });
  try {
    await runChainsOnWorkers(workers, { runId: `web-run-${++webRunCounter}`, moduleUrl, data, configs, stopFlag }, recorder);
  } catch (error) {
    recorder.abortAll();
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", stop);
    for (const worker of workers) worker.terminate();
  }
  return recorder.fit();
}

interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: string, handler: (event: unknown) => void): void;
  terminate(): void;
}

/** The result of `model.sample()`: draws, summaries and diagnostics. */
export class StanFit {
  private readonly summaries = new Map<number, VariableSummary>();
  private readonly brmsToColumn = new Map<string, string>();

  constructor(
    readonly modelName: string,
    /** The runtime's raw fit: per-chain rows in CmdStan column order. */
    readonly raw: Fit,
    private readonly config: { warmup: number; samples: number; thin: number; maxTreedepth: number },
    private readonly data: StanData,
    readonly brms?: BrmsLayout,
  ) {
    for (const n of brms?.outputNames ?? []) this.brmsToColumn.set(n.brms, n.stan);
  }

  get seed(): number {
    return this.raw.seed;
  }

  get numChains(): number {
    return this.raw.chains.length;
  }

  /** Post-warmup draws per chain (fewer than requested in a chain that was interrupted). */
  get drawsPerChain(): number[] {
    return this.raw.chains.map((c) => c.rows.length);
  }

  get interrupted(): boolean {
    return this.raw.chains.some((c) => c.interrupted);
  }

  /** CmdStan column names: sampler columns (`lp__` … `energy__`) then the model's (`b.1`, …). */
  get columns(): readonly string[] {
    return this.raw.columnNames;
  }

  /** Variable names users ask for: brms names for brms models, else the CSV columns. */
  variables(): string[] {
    return this.brms ? this.brms.outputNames.map((n) => n.brms) : this.raw.columnNames.filter((c) => !c.endsWith("__") || c === "lp__");
  }

  /**
   * Post-warmup draws of all chains, chain after chain. `name` is a brms name (`b_day01`), a CSV
   * column (`b.1`), a bracketed element (`b[1]`) or a whole variable (`b`, draw-major).
   */
  draws(name: string): Float64Array {
    return this.raw.draws(this.columnFor(name));
  }

  /** Draws of one scalar, one array per chain. */
  drawsByChain(name: string): Float64Array[] {
    return this.raw.drawsByChain(this.columnFor(name));
  }

  private columnFor(name: string): string {
    const mapped = this.brmsToColumn.get(name);
    if (mapped !== undefined) return mapped;
    const bracket = /^([^[\]]+)\[([0-9,\s]+)\]$/.exec(name);
    if (bracket) return `${bracket[1]}.${bracket[2].split(",").map((s) => s.trim()).join(".")}`;
    return name;
  }

  private summaryOf(columnIndex: number): VariableSummary {
    let s = this.summaries.get(columnIndex);
    if (!s) {
      const column = this.raw.columnNames[columnIndex];
      s = summarizeVariable(bracketName(column), this.summaryDraws(column), PROBS);
      this.summaries.set(columnIndex, s);
    }
    return s;
  }

  /**
   * Post-warmup draws per chain as summaries use them: after an interrupt the chains stopped at
   * different iterations, and split R-hat/ESS need equal lengths, so the common prefix is used.
   */
  get summaryDrawsPerChain(): number {
    return Math.min(...this.raw.chains.map((c) => c.rows.length));
  }

  private summaryDraws(column: string): Float64Array[] {
    const n = this.summaryDrawsPerChain;
    return this.raw.drawsByChain(column).map((draws) => draws.subarray(0, n));
  }

  private indexOf(column: string): number {
    const i = this.raw.columnNames.indexOf(column);
    if (i < 0) throw new RangeError(`No column named '${column}' in this fit.`);
    return i;
  }

  /** Summary rows: brms variables in brms order, or every CSV column in stansummary's order. */
  summaryTable(): SummaryRow[] {
    const entries: { name: string; index: number }[] = this.brms
      ? this.brms.outputNames.map((n) => ({ name: n.brms, index: this.indexOf(n.stan) }))
      : (() => {
          const { sampler, model } = displayOrder(this.raw.columnNames);
          return [...sampler, ...model].map((index) => ({ name: bracketName(this.raw.columnNames[index]), index }));
        })();
    return entries.map(({ name, index }) => {
      const s = this.summaryOf(index);
      return {
        name,
        column: this.raw.columnNames[index],
        mean: s.mean,
        mcseMean: s.mcseMean,
        sd: s.sd,
        mad: s.mad,
        q2_5: s.quantiles[0],
        q5: s.q5,
        q50: s.q50,
        q95: s.q95,
        q97_5: s.quantiles[1],
        essBulk: s.essBulk,
        essTail: s.essTail,
        rhat: s.rhat,
      };
    });
  }

  /** The run's configuration as rstan/brms count it. */
  runInfo(): BrmsRunInfo {
    const { warmup, samples, thin } = this.config;
    return { chains: this.numChains, iter: warmup + samples, warmup, thin, divergences: this.raw.numDivergent };
  }

  /** brms's `print(fit)` (`summary(fit, prob, robust)`) for brms models, otherwise a CmdStan `stansummary` table. */
  summary(options: BrmsSummaryOptions = {}): string {
    if (this.brms) return this.brmsSummary(options);
    return this.stanSummary();
  }

  /**
   * CmdStan `stansummary` layout; for brms models (also available for them) the model rows are
   * brms's variables under brms's names, as in the report and `stan2ts summary`.
   */
  stanSummary(options: { sigFigs?: number } = {}): string {
    const names = this.raw.columnNames;
    const rows: SummaryTableRow[] = this.brms
      ? [
          ...displayOrder(names).sampler.map((index) => ({ name: names[index], column: names[index], summary: this.summaryOf(index) })),
          ...this.brms.outputNames
            .filter((n) => !n.stan.endsWith("__")) // lp__ is among the sampler rows
            .map((n) => ({ name: n.brms, column: n.stan, summary: this.summaryOf(this.indexOf(n.stan)) })),
        ]
      : stanSummaryRows(names, names.map((_, i) => this.summaryOf(i)));
    const { warmup, samples, thin } = this.config;
    return formatSummaryTable(rows, {
      modelName: this.modelName,
      numChains: this.numChains,
      numSamples: samples,
      numWarmup: warmup,
      thin,
      totalDraws: this.summaryDrawsPerChain * this.numChains,
      warmupSeconds: this.raw.chains.map((c) => c.warmupSeconds),
      samplingSeconds: this.raw.chains.map((c) => c.samplingSeconds),
      sigFigs: options.sigFigs,
    });
  }

  private brmsSummary({ prob = 0.95, robust = false }: BrmsSummaryOptions): string {
    const layout = this.brms!;
    // the default 0.95 reads the cached 2.5%/97.5% summaries
    const probs = brmsIntervalProbs(prob);
    // every scalar the print can show (b_, sd_, cor_, sigma, a family's shape, nu, phi, zi, hu, …), not
    // the group-level effects r_* (hundreds, and never printed) nor the log densities
    const notPrinted = /^(r_|lprior$|lp__$)/;
    const summaries = new Map<string, BrmsVariableSummary>();
    for (const n of layout.outputNames) {
      if (notPrinted.test(n.brms)) continue;
      const s = probs === PROBS ? this.summaryOf(this.indexOf(n.stan)) : summarizeVariable(bracketName(n.stan), this.summaryDraws(n.stan), probs);
      summaries.set(n.brms, brmsSummaryRow(s, robust));
    }
    return layout.print(summaries, this.runInfo(), this.data, prob);
  }

  /** Divergences, tree-depth hits, E-BFMI, and R-hat/ESS warnings over the model's variables. */
  diagnostics(): FitDiagnostics {
    const column = (name: string) => this.indexOf(name);
    const [treedepth, divergent, energy] = ["treedepth__", "divergent__", "energy__"].map(column);
    const perChain = this.raw.chains.map((c) => ({
      treedepth: Float64Array.from(c.rows, (r) => r[treedepth]),
      divergent: Float64Array.from(c.rows, (r) => r[divergent]),
      energy: Float64Array.from(c.rows, (r) => r[energy]),
    }));
    const sampler = samplerDiagnostics(perChain, this.config.maxTreedepth);
    const rows = this.parameterSummaries();
    const convergence = convergenceWarnings(rows, this.numChains);
    const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));
    const interruptedChains = this.raw.chains.filter((c) => c.interrupted).map((c) => c.chain);
    return {
      divergences: sampler.divergences,
      treedepthHits: sampler.treedepthHits,
      transitions: sampler.transitions,
      ebfmi: sampler.ebfmi,
      maxRhat: Math.max(-Infinity, ...finite(rows.map((s) => s.rhat))),
      minEssBulk: Math.min(Infinity, ...finite(rows.map((s) => s.essBulk))),
      minEssTail: Math.min(Infinity, ...finite(rows.map((s) => s.essTail))),
      interruptedChains,
      warnings: [...sampler.warnings, ...rejectionWarnings(this.raw.chains), ...convergence],
    };
  }

  /**
   * Summaries of the variables convergence is judged on: every model column that varies (constant
   * columns such as a correlation matrix's diagonal have no R-hat), named as users see them.
   */
  parameterSummaries(): VariableSummary[] {
    const names = this.raw.columnNames;
    const brmsName = new Map<string, string>();
    for (const n of this.brms?.outputNames ?? []) brmsName.set(n.stan, n.brms);
    const out: VariableSummary[] = [];
    names.forEach((column, i) => {
      if (column.endsWith("__")) return;
      if (this.brms && !brmsName.has(column)) return;
      const s = this.summaryOf(i);
      out.push(brmsName.has(column) ? { ...s, name: brmsName.get(column)! } : s);
    });
    return out;
  }

  /** A JSON-ready export: settings, per-chain adaptation and every saved draw. */
  /** Per CSV column, the name users see: brms's for a brms model's variables, else Stan's `b[1]`. */
  variableNames(): string[] {
    return displayNames(this.raw.columnNames, new Map((this.brms?.outputNames ?? []).map((n) => [n.stan, n.brms])));
  }

  toJSON(): object {
    return {
      model: this.modelName,
      seed: this.seed,
      warmup: this.config.warmup,
      samples: this.config.samples,
      thin: this.config.thin,
      columns: this.raw.columnNames,
      // The names the summary, the report and `stan2ts summary` show, one per column.
      variables: this.variableNames(),
      brmsNames: this.brms ? Object.fromEntries(this.brms.outputNames.map((n) => [n.stan, n.brms])) : undefined,
      chains: this.raw.chains.map((c) => ({
        chain: c.chain,
        stepSize: c.stepSize,
        metric: c.metric,
        inverseMetric: Array.from(c.inverseMetric),
        warmupSeconds: c.warmupSeconds,
        samplingSeconds: c.samplingSeconds,
        divergences: c.samplingDivergences,
        interrupted: c.interrupted,
        draws: c.rows.map((r) => Array.from(r)),
      })),
    };
  }
}

export { columnNames };
