/**
 * A small synthetic `sample --output-dir` for the report tests, written with the project's own
 * CmdStan CSV writer from draws with known distributions: an m3-like brms model with a person
 * intercept and a person-level log-sigma, their correlation, and a few divergent transitions.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutputName } from "../../src/brms/outputNames";
import { CmdStanCsvWriter } from "../../src/runtime/io/index";
import { brmsNamesJson } from "../../src/views/brmsNames";
import { SAMPLER_COLUMNS } from "../../src/views/fitDir";

export const LEVELS = 8;
export const CHAINS = 4;
export const DRAWS = 250;
export const B_DAY01_MEAN = 0.5;
export const B_SIGMA_INTERCEPT_MEAN = -0.4;
/** Divergent transitions: (chain index, 0-based draw index). */
export const DIVERGENT: readonly [number, number][] = [[0, 10], [2, 100], [2, 101]];

/** Level k's log-sigma deviation has mean log(k / 4), so level k ranks k-th. */
export const levelLogSigmaMean = (k: number) => Math.log(k / 4);

export function brmsNames(levels = LEVELS): OutputName[] {
  const names: OutputName[] = [
    { stan: "b.1", brms: "b_day01" },
    { stan: "sd_1.1", brms: "sd_record_id__Intercept" },
    { stan: "sd_1.2", brms: "sd_record_id__sigma_Intercept" },
  ];
  for (let k = 1; k <= levels; k++) names.push({ stan: `r_1_1.${k}`, brms: `r_record_id[${k},Intercept]` });
  for (let k = 1; k <= levels; k++) names.push({ stan: `r_1_sigma_2.${k}`, brms: `r_record_id__sigma[${k},Intercept]` });
  names.push(
    { stan: "lprior", brms: "lprior" },
    { stan: "b_Intercept", brms: "b_Intercept" },
    { stan: "b_sigma_Intercept", brms: "b_sigma_Intercept" },
    { stan: "cor_1.1", brms: "cor_record_id__Intercept__sigma_Intercept" },
    { stan: "lp__", brms: "lp__" },
  );
  return names;
}

/** Seeded standard normals (mulberry32 + Box–Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `levels` and `draws` default to the small test size; a bench can ask for the lecture's 193 people. */
export function writeSyntheticFit(dir: string, options: { brms: boolean; levels?: number; draws?: number }): void {
  mkdirSync(dir, { recursive: true });
  const levels = options.levels ?? LEVELS;
  const draws = options.draws ?? DRAWS;
  const modelColumns = ["b.1", "sd_1.1", "sd_1.2"];
  for (let k = 1; k <= levels; k++) modelColumns.push(`z_1.1.${k}`); // internal: not in the name map
  for (let k = 1; k <= levels; k++) modelColumns.push(`r_1_1.${k}`);
  for (let k = 1; k <= levels; k++) modelColumns.push(`r_1_sigma_2.${k}`);
  modelColumns.push("lprior", "b_Intercept", "b_sigma_Intercept", "cor_1.1");
  const columns = [...SAMPLER_COLUMNS, ...modelColumns];
  for (let chain = 0; chain < CHAINS; chain++) {
    const z = normals(1000 + chain);
    let text = "";
    const writer = new CmdStanCsvWriter((piece) => (text += piece));
    writer.writeHeader({ modelName: "m3", seed: 14, numSamples: draws, numWarmup: 100, id: chain + 1, numChains: 1 }, columns);
    writer.writeAdaptation(0.3, { kind: "diag", values: new Array(modelColumns.length - 1).fill(1) });
    for (let i = 0; i < draws; i++) {
      const divergent = DIVERGENT.some(([c, d]) => c === chain && d === i) ? 1 : 0;
      const values: number[] = [-100 + z(), 0.9, 0.3, 4, 15, divergent, 110 + z()];
      values.push(B_DAY01_MEAN + 0.1 * z(), Math.abs(0.5 + 0.05 * z()), Math.abs(0.3 + 0.05 * z()));
      for (let k = 1; k <= levels; k++) values.push(z());
      for (let k = 1; k <= levels; k++) values.push((0.4 * (k - (levels + 1) / 2)) / (levels / 4) + 0.05 * z());
      for (let k = 1; k <= levels; k++) values.push(levelLogSigmaMean(k) + 0.05 * z());
      values.push(-5 + 0.1 * z(), 0.1 * z(), B_SIGMA_INTERCEPT_MEAN + 0.05 * z(), Math.tanh(0.3 + 0.1 * z()));
      writer.writeRow(values);
    }
    writer.writeTiming(1, 2);
    writeFileSync(join(dir, `output_${chain + 1}.csv`), text);
  }
  if (options.brms) writeFileSync(join(dir, "brms.json"), brmsNamesJson(brmsNames(levels), "N_A.std ~ 1 + day01 + (1 |i| record_id), sigma ~ 1 + (1 |i| record_id)"));
}

/**
 * A run of a real brms model's output columns (`outputNames(model)`): standard-normal draws for
 * every column, 2 chains, with its brms.json, to check that the report finds the model's terms.
 */
export function writeFitForNames(dir: string, names: readonly OutputName[], formula: string, draws = 40): void {
  mkdirSync(dir, { recursive: true });
  const model = names.map((n) => n.stan).filter((s) => s !== "lp__");
  const columns = [...SAMPLER_COLUMNS, ...model];
  for (let chain = 0; chain < 2; chain++) {
    const z = normals(7 + chain);
    let text = "";
    const writer = new CmdStanCsvWriter((piece) => (text += piece));
    writer.writeHeader({ modelName: "brms_model", seed: 1, numSamples: draws, numWarmup: draws, id: chain + 1 }, columns);
    writer.writeAdaptation(0.5, { kind: "unit" });
    for (let i = 0; i < draws; i++) writer.writeRow([-10 + z(), 0.9, 0.5, 3, 7, 0, 12 + z(), ...model.map(() => z())]);
    writeFileSync(join(dir, `output_${chain + 1}.csv`), text);
  }
  writeFileSync(join(dir, "brms.json"), brmsNamesJson(names, formula));
}
