/**
 * Sampling agreement with brms's own fit, one model per family: each fixture folder of
 * test/fixtures/brms-families (and three of test/fixtures/brms-additions, and brms-ordinal's
 * cumulative-thres-gr) with a fit.json (brms 2.18
 * run through rstan: 4 chains × 1000 post-warmup draws, recorded by `Rscript fit.R <folder>` there;
 * the command is in the file) is sampled by stan2ts, and every variable's posterior mean and sd must
 * agree with brms's to |z| < 4, where z divides the difference by the two runs' Monte Carlo standard
 * errors combined (familyAgreement.ts). The brms runs since December 2026 were compiled with the
 * repository's .Makevars-fit (R_MAKEVARS_USER; -O1 without -g: quicker to compile, same model).
 * A brms run that is no reference is refused: many divergences (as inverse.gaussian's default
 * 1/mu^2 link gives on these data), R-hat at or above 1.05 or a bulk ESS under 400 (poisson's sqrt
 * link is bimodal in the intercept's sign): its fixture is fitted with another model of the family
 * instead (`inverse_gaussian-log`, `poisson-string`). exgaussian's fits of the shared data diverged
 * (127 and 344 divergences: beta near 0 without skew in 40 rows); `exgaussian-skewed` fits 150 rows
 * with an exponential tail (data-exgaussian.csv), where brms's run has none.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sampleAgreement } from "./familyAgreement";
import { brmsFixtures } from "./helpers";

const FAMILIES = new URL("../fixtures/brms-families/", import.meta.url).pathname;
const ADDITIONS = new URL("../fixtures/brms-additions/", import.meta.url).pathname;
const ORDINAL = new URL("../fixtures/brms-ordinal/", import.meta.url).pathname;
const MONOTONIC = new URL("../fixtures/brms-mo/", import.meta.url).pathname;
const MIXTURE = new URL("../fixtures/brms-mixture/", import.meta.url).pathname;
const GAUSSIAN_PROCESS = new URL("../fixtures/brms-gp/", import.meta.url).pathname;
const NONLINEAR_MORE = new URL("../fixtures/brms-nlmore/", import.meta.url).pathname;
const fitted = (root: string) => brmsFixtures(root).names.filter((f) => existsSync(`${root}${f}/fit.json`));

/** The z beyond which a difference is more than Monte Carlo error. */
const Z_LIMIT = 4;
/** A reference run with more divergences than this is no reference (1% of its draws). */
const MAX_REFERENCE_DIVERGENCES = 40;
/**
 * Convergence a reference run needs: bulk ESS as Vehtari et al. 2021 recommend for 4 chains, R-hat
 * their older 1.05 (beta_binomial's brms run reaches 1.011 on its group terms; the z uses its MCSE).
 */
const MAX_REFERENCE_RHAT = 1.05;
const MIN_REFERENCE_ESS_BULK = 400;

/**
 * `skip`: variables of a fixture whose values are not comparable between the runs. A model with simplexes
 * (mo()'s simo_k) has lp__ on different scales: lp__ holds the transform's log Jacobian, and rstan
 * 2.21 maps simplexes by stick-breaking where stan2ts (as Stan ≥ 2.37) uses the inverse isometric
 * log ratio; the constrained parameters' posterior, compared variable by variable, is the same.
 */
function describeAgreement(title: string, root: string, minFitted: number, skip: (fixture: string) => readonly string[] = () => []): void {
  const FITTED = fitted(root);
  describe(title, () => {
    it("has brms fits recorded", () => {
      expect(FITTED.length).toBeGreaterThanOrEqual(minFitted);
    });

    it.each(FITTED)("%s: every posterior mean and sd within 4 MCSE of brms's", async (fixture) => {
      const agreement = await sampleAgreement(root, fixture);
      const { oracle } = agreement;
      expect(oracle.divergent, `divergences of ${oracle.command}`).toBeLessThanOrEqual(MAX_REFERENCE_DIVERGENCES);
      // a constant (ordinal families' disc = 1) has no R-hat, ESS or MCSE ("NA"): it must be equal
      const constant = (s: { readonly sd: number }) => s.sd === 0;
      const unconverged = Object.entries(oracle.variables)
        .filter(([, s]) => !constant(s) && !(s.rhat < MAX_REFERENCE_RHAT && s.ess_bulk >= MIN_REFERENCE_ESS_BULK))
        .map(([name, s]) => `${name}: R-hat ${s.rhat}, bulk ESS ${s.ess_bulk}`);
      expect(unconverged, `convergence of ${oracle.command}`).toEqual([]);
      expect(agreement.unmatched, "brms variables stan2ts lacks").toEqual([]);
      expect(agreement.missing, `stan2ts variables ${oracle.command} lacks`).toEqual([]);
      const disagreements = agreement.variables
        .filter((v) => !skip(fixture).includes(v.brms))
        .filter((v) => (constant(v.theirs) ? !(v.ours.sd === 0 && v.ours.mean === v.theirs.mean) : !(Math.abs(v.zMean) < Z_LIMIT && Math.abs(v.zSd) < Z_LIMIT)))
        .map((v) => `${v.brms}: mean ${v.ours.mean} vs ${v.theirs.mean} (z ${v.zMean.toFixed(2)}), sd ${v.ours.sd} vs ${v.theirs.sd} (z ${v.zSd.toFixed(2)})`);
      expect(disagreements).toEqual([]);
    });
  });
}

describeAgreement("brms families: stan2ts samples what brms's own fit samples", FAMILIES, 10);
describeAgreement("brms addition terms: stan2ts samples what brms's own fit samples", ADDITIONS, 0);
describeAgreement("brms ordinal families: stan2ts samples what brms's own fit samples", ORDINAL, 1);
// mo(): `mo-main` (mo() of an ordered factor and of whole numbers, with a slope): bsp and both simplexes;
// mm(): `mm-weights` (weighted multi-membership intercept and slope, correlated)
describeAgreement("brms monotonic effects and multi-membership: stan2ts samples what brms's own fit samples", MONOTONIC, 1, (fixture) => (fixture.startsWith("mo-") ? ["lp__"] : []));
// mixture(): `mixture-gaussian` (two gaussian components, ordered intercepts, the simplex theta; well separated in
// data.csv, brms's run: 0 divergences, R-hat <= 1.005). Its simplex theta puts lp__ on different scales, as with mo() above.
describeAgreement("brms mixture families: stan2ts samples what brms's own fit samples", MIXTURE, 1, () => ["lp__"]);
// gp(): `gp-agreement` (y ~ gp(x), exact GP of 27 distinct covariate rows, adapt_delta = 0.99: at 0.8 brms's
// run had 54 divergences and bulk ESS 354, no reference): sdgp, lscale and every zgp
describeAgreement("brms Gaussian processes: stan2ts samples what brms's own fit samples", GAUSSIAN_PROCESS, 1);
// non-linear formulas beyond univariate families: `nl-multivariate` (a non-linear response with a group term in an
// nlpar beside a linear one, residual correlations)
describeAgreement("brms non-linear formulas in multivariate, ordinal and categorical models: stan2ts samples what brms's own fit samples", NONLINEAR_MORE, 1);
