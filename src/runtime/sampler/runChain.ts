import { findInitialStepSize } from "../adaptation/initialStepSize";
import { MetricAdaptation } from "../adaptation/metricAdaptation";
import { StepSizeAdaptation } from "../adaptation/stepSizeAdaptation";
import { type AdaptationCompat, DEFAULT_WINDOWS } from "../adaptation/windowSchedule";
import { isDomainError } from "../nuts/hamiltonian";
import type { MetricKind } from "../nuts/metric";
import { NutsSampler } from "../nuts/nutsSampler";
import { PhasePoint } from "../nuts/phasePoint";
import type { ModelInstance, StanData } from "../model";
import { Xoshiro128 } from "../rng/xoshiro128";
import { initialize } from "./initialize";
import { log } from "../math/elementary";

/** The per-iteration sampler columns, in CmdStan's order. */
export const SAMPLER_COLUMNS = [
  "lp__",
  "accept_stat__",
  "stepsize__",
  "treedepth__",
  "n_leapfrog__",
  "divergent__",
  "energy__",
] as const;

/** Everything one chain needs; plain data so it can be posted to a worker. */
export interface ChainConfig {
  /** 1-based chain id; chain k uses the RNG stream jumped k times from `seed`. */
  chain: number;
  seed: number;
  warmup: number;
  samples: number;
  thin: number;
  saveWarmup: boolean;
  adaptDelta: number;
  maxTreedepth: number;
  metric: MetricKind;
  stepSize: number;
  stepSizeJitter: number;
  /** Radius of the uniform init on the unconstrained scale, or constrained values (Stan JSON). */
  init: number | StanData;
  /** Starting inverse metric (diag: D values, dense: D×D row-major); identity if absent. */
  inverseMetric?: number[];
  adaptEngaged: boolean;
  adaptCompat: AdaptationCompat;
  initBuffer: number;
  termBuffer: number;
  window: number;
}

export type ChainPhase = "warmup" | "sampling";

/** Receives a chain's output as it is produced. `row` is reused: copy it to keep it. */
export interface ChainListener {
  onRow(row: Float64Array, phase: ChainPhase): void;
  onAdaptationEnd?(stepSize: number, inverseMetric: Float64Array): void;
  /** Called after every iteration; `iteration` counts from 1 over warmup + sampling. */
  onIteration?(iteration: number, phase: ChainPhase, divergences: number): void;
  /** Polled every iteration; returning true ends the chain early (completed rows are kept). */
  shouldStop?(): boolean;
}

export interface ChainSummary {
  chain: number;
  stepSize: number;
  inverseMetric: Float64Array;
  metric: MetricKind;
  warmupSeconds: number;
  samplingSeconds: number;
  warmupDivergences: number;
  samplingDivergences: number;
  interrupted: boolean;
  /** Messages Stan would log (rejected inits, short-warmup notes). */
  messages: string[];
  /**
   * Saved draws whose transformed parameters or generated quantities the program rejected
   * (`reject()`, a failed check): as in Stan the draw is kept, the values the block did not
   * produce are NaN, and the rejection's message is reported, not dropped.
   */
  rejectedDraws: number;
  /** The first few distinct rejection messages. */
  rejectionMessages: string[];
}

/** Distinct rejection messages kept per chain (the count covers all of them). */
const MAX_REJECTION_MESSAGES = 3;

const now = (): number => globalThis.performance.now();

/**
 * Runs one chain from initialisation through warmup and sampling. Uses only the chain's own RNG
 * stream and no host APIs, so it runs the same in-process, in a Node worker or in a Web Worker.
 */
export function runChain(model: ModelInstance, config: ChainConfig, listener: ChainListener): ChainSummary {
  const messages: string[] = [];
  const rng = Xoshiro128.forChain(config.seed, config.chain);
  const theta = initialize(model, config.init, rng, messages);

  const sampler = new NutsSampler(model, config.metric, rng);
  sampler.maxDepth = config.maxTreedepth;
  sampler.stepSize = config.stepSize;
  sampler.stepSizeJitter = config.stepSizeJitter;
  if (config.inverseMetric && config.metric !== "unit") sampler.metric.setInverseMetric(config.inverseMetric);
  sampler.setPosition(theta);

  const hamiltonian = sampler.hamiltonian;
  const metric = sampler.metric;
  const scratch = new PhasePoint(model.dim);
  const adapt = config.adaptEngaged && config.warmup > 0;
  const stepAdaptation = new StepSizeAdaptation({ delta: config.adaptDelta });
  const metricAdaptation = new MetricAdaptation(
    config.metric,
    model.dim,
    config.warmup,
    { initBuffer: config.initBuffer, termBuffer: config.termBuffer, window: config.window },
    config.adaptCompat,
  );
  if (adapt) {
    messages.push(...metricAdaptation.schedule.messages);
    stepAdaptation.mu = log(10 * config.stepSize);
    sampler.stepSize = findInitialStepSize(hamiltonian, sampler.current, sampler.stepSize, rng, scratch);
  }

  let rejectedDraws = 0;
  const rejectionMessages: string[] = [];
  const row = new Float64Array(SAMPLER_COLUMNS.length + model.outputLength);
  const outputs = row.subarray(SAMPLER_COLUMNS.length);
  const emitRow = (phase: ChainPhase): void => {
    row[0] = sampler.logDensity;
    row[1] = sampler.acceptStat;
    row[2] = sampler.usedStepSize;
    row[3] = sampler.treeDepth;
    row[4] = sampler.nLeapfrog;
    row[5] = sampler.divergent ? 1 : 0;
    row[6] = sampler.energy;
    // NaN first, as Stan's writer does: what a rejected block did not write stays NaN, while the
    // parameters (written before any block runs) keep their values.
    outputs.fill(NaN);
    try {
      model.writeConstrained(sampler.current.q, rng, outputs);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      rejectedDraws++;
      const message = (error as Error).message;
      if (rejectionMessages.length < MAX_REJECTION_MESSAGES && !rejectionMessages.includes(message)) rejectionMessages.push(message);
    }
    listener.onRow(row, phase);
  };

  const thin = Math.max(1, Math.floor(config.thin));
  let warmupDivergences = 0;
  let samplingDivergences = 0;
  let interrupted = false;

  const warmupStart = now();
  for (let m = 0; m < config.warmup; m++) {
    if (listener.shouldStop?.()) {
      interrupted = true;
      break;
    }
    sampler.transition();
    if (adapt) {
      sampler.stepSize = stepAdaptation.learn(sampler.acceptStat);
      if (metricAdaptation.learn(sampler.current.q, metric.inverseMetric)) {
        metric.refactor();
        sampler.stepSize = findInitialStepSize(hamiltonian, sampler.current, sampler.stepSize, rng, scratch);
        stepAdaptation.mu = log(10 * sampler.stepSize);
        stepAdaptation.restart();
      }
    }
    if (sampler.divergent) warmupDivergences++;
    if (config.saveWarmup && m % thin === 0) emitRow("warmup");
    listener.onIteration?.(m + 1, "warmup", warmupDivergences);
  }
  if (adapt && !interrupted) {
    // With term_buffer = 0 the last window closes on the last warmup iteration and restarts the
    // dual averaging, so x̄ = 0 and Stan samples with ε = 1 (stan-dev/stan#3023). The intended
    // behaviour keeps the heuristic's ε from that restart instead.
    const restartedAtEnd = stepAdaptation.updatesSinceRestart === 0;
    if (!restartedAtEnd || config.adaptCompat === "stan") sampler.stepSize = stepAdaptation.complete();
  }
  const warmupSeconds = (now() - warmupStart) / 1000;
  if (!interrupted) listener.onAdaptationEnd?.(sampler.stepSize, metric.inverseMetric);

  const samplingStart = now();
  for (let m = 0; m < config.samples && !interrupted; m++) {
    if (listener.shouldStop?.()) {
      interrupted = true;
      break;
    }
    sampler.transition();
    if (sampler.divergent) samplingDivergences++;
    if (m % thin === 0) emitRow("sampling");
    listener.onIteration?.(config.warmup + m + 1, "sampling", samplingDivergences);
  }
  const samplingSeconds = (now() - samplingStart) / 1000;

  return {
    chain: config.chain,
    stepSize: sampler.stepSize,
    inverseMetric: Float64Array.from(metric.inverseMetric),
    metric: config.metric,
    warmupSeconds,
    samplingSeconds,
    warmupDivergences,
    samplingDivergences,
    interrupted,
    messages,
    rejectedDraws,
    rejectionMessages,
  };
}

/** Defaults for everything except chain and seed (CmdStan's). */
export function defaultChainConfig(chain: number, seed: number): ChainConfig {
  return {
    chain,
    seed,
    warmup: 1000,
    samples: 1000,
    thin: 1,
    saveWarmup: false,
    adaptDelta: 0.8,
    maxTreedepth: 10,
    metric: "diag",
    stepSize: 1,
    stepSizeJitter: 0,
    init: 2,
    adaptEngaged: true,
    adaptCompat: "intended",
    ...DEFAULT_WINDOWS,
  };
}
