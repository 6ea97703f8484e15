/**
 * Sampling agreement with brms's own fit, one model per family: each fixture folder of
 * test/fixtures/brms-families with a fit.json (brms 2.18 run through rstan: 4 chains × 1000
 * post-warmup draws, recorded by `Rscript fit.R <folder>` there) is sampled by stan2ts, and every
 * variable's posterior mean and sd must agree with brms's to |z| < 4, where z divides the
 * difference by the two runs' Monte Carlo standard errors combined,
 *   z = (ours − brms) / sqrt(mcse_ours² + mcse_brms²).
 * Short chains on 40 rows keep each model to seconds. A brms run with many divergences (as
 * inverse.gaussian's default 1/mu^2 link gives on these data) is no reference: its fixture is
 * fitted with another link instead (`inverse_gaussian-log`).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stanDataToJson } from "../../src/brms/index";
import { defineModel } from "../../src/runtime/api";
import { mcseMean, mcseSd } from "../../src/runtime/diagnostics/convergence";
import { loadCompiled } from "../models/gradientCheck";
import { brmsFixtures } from "./helpers";

const ROOT = new URL("../fixtures/brms-families/", import.meta.url).pathname;
const fixtures = brmsFixtures(ROOT);
const FITTED = fixtures.names.filter((f) => existsSync(`${ROOT}${f}/fit.json`));

/** The z beyond which a difference is more than Monte Carlo error. */
const Z_LIMIT = 4;
const SAMPLING = { parallelism: "in-process", chains: 4, warmup: 500, samples: 1000, seed: 20261206 } as const;

interface BrmsSummary {
  readonly mean: number;
  readonly sd: number;
  readonly mcse_mean: number;
  readonly mcse_sd: number;
}

interface BrmsFit {
  readonly command: string;
  /** Divergent transitions of brms's 4000 post-warmup draws. */
  readonly divergent: number;
  readonly variables: Record<string, BrmsSummary>;
}

/** A reference run with more divergences than this is no reference (1% of its draws). */
const MAX_REFERENCE_DIVERGENCES = 40;

/**
 * Variables brms computes in R after sampling, absent from the Stan output: gen_extreme_value's
 * `xi` from `tmp_xi` when xi has no formula (see families.test.ts).
 */
const computedAfterSampling = (fixture: string): string[] => (fixture.startsWith("gen_extreme_value") && !fixture.endsWith("-xi") ? ["xi"] : []);

const mean = (x: ArrayLike<number>[]) => {
  let s = 0;
  let n = 0;
  for (const c of x) for (let i = 0; i < c.length; i++, n++) s += c[i];
  return s / n;
};

const sd = (x: ArrayLike<number>[]) => {
  const m = mean(x);
  let s = 0;
  let n = 0;
  for (const c of x) for (let i = 0; i < c.length; i++, n++) s += (c[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
};

describe("brms families: stan2ts samples what brms's own fit samples", () => {
  it("has brms fits recorded", () => {
    expect(FITTED.length).toBeGreaterThanOrEqual(10);
  });

  it.each(FITTED)("%s: every posterior mean and sd within 4 MCSE of brms's", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/fit.json`, "utf8")) as BrmsFit;
    expect(oracle.divergent, `divergences of ${oracle.command}`).toBeLessThanOrEqual(MAX_REFERENCE_DIVERGENCES);
    const b = await fixtures.build(fixture);
    const compiled = await loadCompiled(b.stanCode, `${fixture.replace(/[^a-z]/g, "_")}.stan`);
    const fit = await defineModel(compiled).sample(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>, SAMPLING);
    const ours = new Set(b.outputNames.map((n) => n.brms));
    const unmatched = Object.keys(oracle.variables).filter((name) => !ours.has(name) && !computedAfterSampling(fixture).includes(name));
    expect(unmatched, "brms variables stan2ts lacks").toEqual([]);
    const disagreements: string[] = [];
    for (const { stan, brms } of b.outputNames) {
      const theirs = oracle.variables[brms];
      expect(theirs, `${brms} in ${oracle.command}`).toBeDefined();
      const chains = fit.drawsByChain(stan);
      const zMean = (mean(chains) - theirs.mean) / Math.hypot(mcseMean(chains), theirs.mcse_mean);
      const zSd = (sd(chains) - theirs.sd) / Math.hypot(mcseSd(chains), theirs.mcse_sd);
      if (!(Math.abs(zMean) < Z_LIMIT && Math.abs(zSd) < Z_LIMIT)) {
        disagreements.push(`${brms}: mean ${mean(chains)} vs ${theirs.mean} (z ${zMean.toFixed(2)}), sd ${sd(chains)} vs ${theirs.sd} (z ${zSd.toFixed(2)})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
