/**
 * stan2ts's sampling of a brms fixture against brms's own fit (the folder's fit.json, written by
 * test/fixtures/brms-families/fit.R): for every variable, the difference of posterior means and of
 * sds over the two runs' Monte Carlo standard errors combined,
 *   z = (ours − brms) / sqrt(mcse_ours² + mcse_brms²).
 * Used by familyAgreement.slow.test.ts and by agreementReport.ts (several seeds, printed).
 */
import { readFileSync } from "node:fs";
import { stanDataToJson } from "../../src/brms/index";
import { defineModel, type FitDiagnostics } from "../../src/runtime/api";
import { mcseMean, mcseSd } from "../../src/runtime/diagnostics/convergence";
import { loadCompiled } from "../models/gradientCheck";
import { brmsFixtures } from "./helpers";

/**
 * The run length of brms's own fits (1000 warmup iterations, 1000 draws, 4 chains); on 40 rows each
 * model takes seconds. (With 500 warmup iterations hurdle_gamma's run at this seed was a 5-MCSE
 * outlier of stan2ts's own 40-seed mean of b_Intercept, |z| 4.68 against brms: see the report of
 * the brmsagree branch; its density and gradient match an independent implementation.)
 */
export const AGREEMENT_SAMPLING = { parallelism: "in-process", chains: 4, warmup: 1000, samples: 1000, seed: 20261206 } as const;

export interface BrmsSummary {
  readonly mean: number;
  readonly sd: number;
  readonly mcse_mean: number;
  readonly mcse_sd: number;
  readonly ess_bulk: number;
  readonly rhat: number;
}

export interface BrmsFit {
  readonly command: string;
  /** Divergent transitions of brms's 4000 post-warmup draws. */
  readonly divergent: number;
  readonly variables: Record<string, BrmsSummary>;
}

export interface VariableAgreement {
  readonly brms: string;
  readonly ours: { readonly mean: number; readonly sd: number };
  readonly theirs: BrmsSummary;
  readonly zMean: number;
  readonly zSd: number;
}

export interface Agreement {
  readonly oracle: BrmsFit;
  /** brms variables stan2ts has no output for. */
  readonly unmatched: readonly string[];
  /** stan2ts outputs fit.json lacks. */
  readonly missing: readonly string[];
  readonly variables: readonly VariableAgreement[];
  readonly diagnostics: FitDiagnostics;
}

const pooledMean = (x: ArrayLike<number>[]) => {
  let s = 0;
  let n = 0;
  for (const c of x) for (let i = 0; i < c.length; i++, n++) s += c[i];
  return s / n;
};

const pooledSd = (x: ArrayLike<number>[]) => {
  const m = pooledMean(x);
  let s = 0;
  let n = 0;
  for (const c of x) for (let i = 0; i < c.length; i++, n++) s += (c[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
};

/** Samples `fixture` of the folder `root` with `seed` and compares it with the folder's fit.json. */
/**
 * `signOf`: a variable whose sign is arbitrary (an s() coefficient, its column's sign LAPACK's choice)
 * is compared after multiplying stan2ts's draws by this (±1).
 */
export async function sampleAgreement(root: string, fixture: string, seed: number = AGREEMENT_SAMPLING.seed, signOf: (brms: string) => number = () => 1): Promise<Agreement> {
  const oracle = JSON.parse(readFileSync(`${root}${fixture}/fit.json`, "utf8")) as BrmsFit;
  const b = await brmsFixtures(root).build(fixture);
  const compiled = await loadCompiled(b.samplingCode, `${fixture.replace(/[^a-z]/g, "_")}.stan`);
  // brm(control = list(adapt_delta = )) of the fixture applies to both runs
  const adaptDelta = b.model.script.sampling.adaptDelta;
  const fit = await defineModel(compiled).sample(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>, { ...AGREEMENT_SAMPLING, seed, ...(adaptDelta !== undefined ? { adaptDelta } : {}) });
  const ours = new Set(b.outputNames.map((n) => n.brms));
  const unmatched = Object.keys(oracle.variables).filter((name) => !ours.has(name));
  const missing = b.outputNames.filter(({ brms }) => oracle.variables[brms] === undefined).map(({ brms }) => brms);
  const variables = b.outputNames
    .filter(({ brms }) => oracle.variables[brms] !== undefined)
    .map(({ stan, brms }) => {
      const theirs = oracle.variables[brms];
      const chains = fit.drawsByChain(stan);
      const mean = signOf(brms) * pooledMean(chains);
      const sd = pooledSd(chains);
      return {
        brms,
        ours: { mean, sd },
        theirs,
        zMean: (mean - theirs.mean) / Math.hypot(mcseMean(chains), theirs.mcse_mean),
        zSd: (sd - theirs.sd) / Math.hypot(mcseSd(chains), theirs.mcse_sd),
      };
    });
  return { oracle, unmatched, missing, variables, diagnostics: fit.diagnostics() };
}
