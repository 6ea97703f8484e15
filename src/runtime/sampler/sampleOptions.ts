import type { AdaptationCompat } from "../adaptation/windowSchedule";
import { DEFAULT_WINDOWS } from "../adaptation/windowSchedule";
import type { StanData } from "../model";
import type { MetricKind } from "../nuts/metric";
import { randomSeed, seedToUint32 } from "../rng/xoshiro128";
import type { ChainConfig, ChainPhase } from "./runChain";

/** A progress event of one chain (the progress display consumes these). */
export interface ProgressEvent {
  chain: number;
  /** Iterations done, counting warmup and sampling together. */
  iteration: number;
  totalIterations: number;
  phase: ChainPhase;
  divergences: number;
  done: boolean;
}

export interface SampleOptions {
  /** Number of chains (default 4). */
  chains?: number;
  /** Chains run at the same time (default min(chains, available cores)); results do not depend on it. */
  cores?: number;
  warmup?: number;
  samples?: number;
  thin?: number;
  /** Unsigned 32-bit seed; drawn at random (and reported in the fit) when absent. */
  seed?: number;
  adaptDelta?: number;
  maxTreedepth?: number;
  metric?: MetricKind;
  stepSize?: number;
  stepSizeJitter?: number;
  /** Init radius (default 2) or constrained initial values as Stan JSON (one object for all chains or one per chain). */
  init?: number | StanData | StanData[];
  /** Starting inverse metric (diag: D values; dense: D×D row-major). */
  inverseMetric?: number[];
  saveWarmup?: boolean;
  /** false: no adaptation (step size stays `stepSize`, metric stays as given). Default true. */
  adaptEngaged?: boolean;
  /** Short-warmup behaviour, see `WindowSchedule` (default "intended"). */
  adaptCompat?: AdaptationCompat;
  initBuffer?: number;
  termBuffer?: number;
  window?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ResolvedOptions {
  chains: number;
  seed: number;
  configs: ChainConfig[];
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;

/** Validates options with messages naming the option, and builds one config per chain. */
export function resolveOptions(options: SampleOptions): ResolvedOptions {
  const chains = options.chains ?? 4;
  check(isCount(chains, 1), `chains must be a positive integer, got ${chains}`);
  const warmup = options.warmup ?? 1000;
  check(isCount(warmup, 0), `warmup must be a non-negative integer, got ${warmup}`);
  const samples = options.samples ?? 1000;
  check(isCount(samples, 0), `samples must be a non-negative integer, got ${samples}`);
  const thin = options.thin ?? 1;
  check(isCount(thin, 1), `thin must be a positive integer, got ${thin}`);
  const adaptDelta = options.adaptDelta ?? 0.8;
  check(adaptDelta > 0 && adaptDelta < 1, `adaptDelta must be strictly between 0 and 1, got ${adaptDelta}`);
  const maxTreedepth = options.maxTreedepth ?? 10;
  check(isCount(maxTreedepth, 1), `maxTreedepth must be a positive integer, got ${maxTreedepth}`);
  const metric = options.metric ?? "diag";
  check(["unit", "diag", "dense"].includes(metric), `metric must be "unit", "diag" or "dense", got ${String(metric)}`);
  const stepSize = options.stepSize ?? 1;
  check(stepSize > 0 && Number.isFinite(stepSize), `stepSize must be positive, got ${stepSize}`);
  const jitter = options.stepSizeJitter ?? 0;
  check(jitter >= 0 && jitter <= 1, `stepSizeJitter must be in [0, 1], got ${jitter}`);
  const seed = options.seed === undefined ? randomSeed() : seedToUint32(options.seed);
  const init = options.init ?? 2;
  if (Array.isArray(init)) check(init.length === chains, `init gives ${init.length} sets of values for ${chains} chains`);
  if (typeof init === "number") check(init >= 0 && Number.isFinite(init), `init radius must be non-negative, got ${init}`);
  const windows = {
    initBuffer: options.initBuffer ?? DEFAULT_WINDOWS.initBuffer,
    termBuffer: options.termBuffer ?? DEFAULT_WINDOWS.termBuffer,
    window: options.window ?? DEFAULT_WINDOWS.window,
  };
  for (const [name, value] of Object.entries(windows)) {
    check(isCount(value, 0), `${name} must be a non-negative integer, got ${value}`);
  }

  const configs: ChainConfig[] = [];
  for (let chain = 1; chain <= chains; chain++) {
    configs.push({
      chain,
      seed,
      warmup,
      samples,
      thin,
      saveWarmup: options.saveWarmup ?? false,
      adaptDelta,
      maxTreedepth,
      metric,
      stepSize,
      stepSizeJitter: jitter,
      init: Array.isArray(init) ? init[chain - 1] : init,
      inverseMetric: options.inverseMetric,
      adaptEngaged: options.adaptEngaged ?? true,
      adaptCompat: options.adaptCompat ?? "intended",
      ...windows,
    });
  }
  return { chains, seed, configs };
}
