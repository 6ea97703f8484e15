/**
 * Sampling agreement with brms's own fit for multivariate models with non-gaussian families
 * (poisson-bernoulli), with student residual correlations (student-rescor-x: multi_student_t,
 * the shared nu) and with an ordinal response (cumulative-gaussian: cumulative with a group
 * intercept beside a gaussian response; also rescor with weights() and se(), thres(gr = ),
 * group-level cs() and a multinomial response among several): each folder of test/fixtures/brms-mv with a fit.json (brms 2.18 through rstan,
 * 4 chains × 1000 post-warmup draws, seed 1, recorded by `Rscript ../brms-families/fit.R <folder>`
 * run in test/fixtures/brms-mv, with the command in the file) is sampled by stan2ts, and every
 * variable's posterior mean and sd must agree with brms's to |z| < 4 (a constant, as nu_<resp>, to
 * brms's constant), z = (ours − brms) / sqrt(mcse_ours² + mcse_brms²), as
 * familyAgreement.slow.test.ts holds the univariate families.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stanDataToJson } from "../../src/brms/index";
import { defineModel } from "../../src/runtime/api";
import { mcseMean, mcseSd } from "../../src/runtime/diagnostics/convergence";
import { loadCompiled } from "../models/gradientCheck";
import { brmsFixtures } from "./helpers";

const ROOT = new URL("../fixtures/brms-mv/", import.meta.url).pathname;
const fixtures = brmsFixtures(ROOT);
const FITTED = fixtures.names.filter((f) => existsSync(`${ROOT}${f}/fit.json`));

const Z_LIMIT = 4;
const SAMPLING = { parallelism: "in-process", chains: 4, warmup: 500, samples: 1000, seed: 20261206 } as const;
/** A reference run with more divergences than this (1% of its draws) is no reference. */
const MAX_REFERENCE_DIVERGENCES = 40;

interface BrmsFit {
  readonly command: string;
  readonly divergent: number;
  readonly variables: Record<string, { readonly mean: number; readonly sd: number; readonly mcse_mean: number; readonly mcse_sd: number }>;
}

function pooled(chains: ArrayLike<number>[]): { mean: number; sd: number } {
  const all = chains.flatMap((c) => Array.from(c));
  const mean = all.reduce((a, x) => a + x, 0) / all.length;
  const variance = all.reduce((a, x) => a + (x - mean) ** 2, 0) / (all.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

describe("brms multivariate models: stan2ts samples what brms's own fit samples", () => {
  it("has brms fits of a non-gaussian multivariate model, of student responses with residual correlations and of an ordinal response beside a gaussian one", () => {
    expect(FITTED).toEqual(expect.arrayContaining(["poisson-bernoulli", "student-rescor-x", "cumulative-gaussian"]));
    // rescor with weights() (gaussian), weights() + se() and weights() + a sigma formula (student); thres(gr = ), group-level cs() and a multinomial response beside a gaussian one
    expect(FITTED).toEqual(expect.arrayContaining(["rescor-weights", "student-rescor-weights-se", "student-rescor-sigma", "cumulative-thres-gr-gaussian", "acat-cs-group-gaussian", "multinomial-gaussian"]));
  });

  it.each(FITTED)("%s: every posterior mean and sd within 4 MCSE of brms's", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/fit.json`, "utf8")) as BrmsFit;
    expect(oracle.divergent, `divergences of ${oracle.command}`).toBeLessThanOrEqual(MAX_REFERENCE_DIVERGENCES);
    const b = await fixtures.build(fixture);
    const compiled = await loadCompiled(b.stanCode, `mv_${fixture.replace(/[^a-z]/g, "_")}.stan`);
    const fit = await defineModel(compiled).sample(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>, SAMPLING);
    const ours = new Set(b.outputNames.map((n) => n.brms));
    expect(Object.keys(oracle.variables).filter((name) => !ours.has(name)), "brms variables stan2ts lacks").toEqual([]);
    const disagreements: string[] = [];
    for (const { stan, brms } of b.outputNames) {
      const theirs = oracle.variables[brms];
      expect(theirs, `${brms} in ${oracle.command}`).toBeDefined();
      const chains = fit.drawsByChain(stan);
      const { mean, sd } = pooled(chains);
      // A constant (student's nu_<resp> = 1 with rescor) has no Monte Carlo error: it must be the same constant.
      if (theirs.sd === 0) {
        if (!chains.every((c) => Array.from(c).every((x) => x === theirs.mean))) disagreements.push(`${brms}: not the constant ${theirs.mean} (mean ${mean}, sd ${sd})`);
        continue;
      }
      const zMean = (mean - theirs.mean) / Math.hypot(mcseMean(chains), theirs.mcse_mean);
      const zSd = (sd - theirs.sd) / Math.hypot(mcseSd(chains), theirs.mcse_sd);
      if (!(Math.abs(zMean) < Z_LIMIT && Math.abs(zSd) < Z_LIMIT)) {
        disagreements.push(`${brms}: mean ${mean} vs ${theirs.mean} (z ${zMean.toFixed(2)}), sd ${sd} vs ${theirs.sd} (z ${zSd.toFixed(2)})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
