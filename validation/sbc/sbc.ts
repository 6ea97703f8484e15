/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018).
 *
 * For each replication: draw parameters from the prior and data given them (the model's simulator),
 * sample the posterior, and record the rank of each prior draw among L thinned posterior draws.
 * When the sampler draws from the right posterior, each rank is uniform on {0, …, L}; the ranks
 * are binned and tested with a chi-square test, and shown as histograms.
 */
import { Random } from "../../scripts/random";
import { gamma_q } from "../../src/runtime/math/special";
import type { CompiledModel, StanData } from "../../src/runtime/model";
import { essBulk } from "../../src/runtime/diagnostics/index";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import type { SampleOptions } from "../../src/runtime/sampler/sampleOptions";
import { loadStanFile, loadStanModel } from "../loadModel";

export interface Simulation {
  readonly data: StanData;
  /** Prior draws by CmdStan column name (`b.1`, `sd_1.2`, `cor_1.1`): the quantities ranked. */
  readonly truth: Readonly<Record<string, number>>;
}

export interface SbcModel {
  readonly name: string;
  /** Stan program: a repository-relative path, or inline source. */
  readonly program: { readonly path: string } | { readonly source: string; readonly file: string };
  /** Draws parameters from the program's prior, then data from its likelihood. */
  simulate(rng: Random): Simulation;
  /** Sampler settings for this model (e.g. a higher adaptDelta). */
  readonly sampling?: Partial<Pick<SampleOptions, "adaptDelta" | "maxTreedepth" | "metric">>;
}

export interface SbcOptions {
  replications: number;
  /** Posterior draws each prior draw is ranked among; ranks take L + 1 values. */
  rankDraws: number;
  /** Keep every thin-th draw, so that L thinned draws are close to independent. */
  thin: number;
  warmup: number;
  /** Number of histogram bins for the chi-square test; must divide L + 1. */
  bins: number;
  seed: number;
  onReplication?: (index: number, seconds: number) => void;
}

export interface ParameterCalibration {
  readonly name: string;
  /** One rank in 0..L per completed replication. */
  readonly ranks: number[];
  readonly binCounts: number[];
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Mean over replications of bulk ESS / L: ranks are only uniform when the L draws are close to independent. */
  readonly meanEssRatio: number;
}

export interface SbcResult {
  readonly model: string;
  readonly options: Omit<SbcOptions, "onReplication">;
  readonly parameters: ParameterCalibration[];
  /** Replications whose sampler failed (no ranks recorded). */
  readonly failures: { index: number; message: string }[];
  readonly divergentReplications: number;
  readonly seconds: number;
}

/** Rank of `value` among `draws`: draws strictly below, plus a random share of exact ties. */
export function rankOf(value: number, draws: ArrayLike<number>, rng: Random): number {
  let below = 0;
  let ties = 0;
  for (let i = 0; i < draws.length; i++) {
    if (draws[i] < value) below++;
    else if (draws[i] === value) ties++;
  }
  return below + (ties > 0 ? Math.floor(rng.uniform() * (ties + 1)) : 0);
}

/** Pearson chi-square test of ranks in 0..L against uniform, in `bins` equal bins. */
export function uniformityTest(ranks: readonly number[], rankDraws: number, bins: number): { binCounts: number[]; chiSquare: number; pValue: number } {
  const values = rankDraws + 1;
  if (values % bins !== 0) throw new RangeError(`bins (${bins}) must divide L + 1 (${values})`);
  const width = values / bins;
  const binCounts = new Array<number>(bins).fill(0);
  for (const r of ranks) {
    if (!(r >= 0 && r <= rankDraws)) throw new RangeError(`rank ${r} outside 0..${rankDraws}`);
    binCounts[Math.floor(r / width)]++;
  }
  const expected = ranks.length / bins;
  let chiSquare = 0;
  for (const count of binCounts) chiSquare += (count - expected) ** 2 / expected;
  const pValue = ranks.length === 0 ? NaN : gamma_q((bins - 1) / 2, chiSquare / 2);
  return { binCounts, chiSquare, pValue };
}

export async function loadSbcModel(model: SbcModel): Promise<CompiledModel> {
  const loaded = "path" in model.program ? await loadStanFile(model.program.path) : await loadStanModel(model.program.source, model.program.file);
  return loaded.model;
}

export async function runSbc(model: SbcModel, options: SbcOptions): Promise<SbcResult> {
  const compiled = await loadSbcModel(model);
  const started = performance.now();
  const ranks = new Map<string, number[]>();
  const essRatios = new Map<string, number[]>();
  const failures: { index: number; message: string }[] = [];
  let divergentReplications = 0;
  const tieRng = new Random(`${options.seed}:${model.name}:ties`);
  for (let index = 0; index < options.replications; index++) {
    const replicationStart = performance.now();
    const { data, truth } = model.simulate(new Random(`${options.seed}:${model.name}:${index}`));
    try {
      const instance = compiled.create(data);
      const fit = sampleInProcess(instance, {
        chains: 1,
        warmup: options.warmup,
        samples: options.rankDraws * options.thin,
        thin: options.thin,
        seed: (options.seed + index * 7919) >>> 0,
        ...model.sampling,
      });
      if (fit.numDivergent > 0) divergentReplications++;
      for (const [name, value] of Object.entries(truth)) {
        const draws = fit.draws(name);
        if (draws.length !== options.rankDraws) throw new Error(`${name}: expected ${options.rankDraws} draws, got ${draws.length}`);
        if (!ranks.has(name)) {
          ranks.set(name, []);
          essRatios.set(name, []);
        }
        ranks.get(name)!.push(rankOf(value, draws, tieRng));
        const ess = essBulk([draws]);
        essRatios.get(name)!.push(Number.isFinite(ess) ? ess / options.rankDraws : 1);
      }
    } catch (error) {
      failures.push({ index, message: error instanceof Error ? error.message : String(error) });
    }
    options.onReplication?.(index, (performance.now() - replicationStart) / 1000);
  }
  const parameters: ParameterCalibration[] = [...ranks.entries()].map(([name, r]) => {
    const test = uniformityTest(r, options.rankDraws, options.bins);
    const ratios = essRatios.get(name)!;
    return {
      name,
      ranks: r,
      ...test,
      degreesOfFreedom: options.bins - 1,
      meanEssRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    };
  });
  const { onReplication: _, ...kept } = options;
  return { model: model.name, options: kept, parameters, failures, divergentReplications, seconds: (performance.now() - started) / 1000 };
}

/** Bonferroni: flag a test when p < familyAlpha / number of tests in the study. */
export function bonferroniThreshold(results: readonly SbcResult[], familyAlpha: number): number {
  const tests = results.reduce((n, r) => n + r.parameters.length, 0);
  return familyAlpha / Math.max(1, tests);
}

export function flaggedParameters(result: SbcResult, threshold: number): ParameterCalibration[] {
  return result.parameters.filter((p) => !(p.pValue >= threshold));
}
