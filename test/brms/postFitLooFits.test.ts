/**
 * loo(fit) and log_lik(fit) of real brms 2.18 fits beyond the gaussian: an ordinal model, a
 * weighted and censored weibull, a zero-inflated poisson, a negbinomial with rate(), a categorical
 * model, a hurdle gamma with a predicted hu, a truncated poisson and se(sigma = TRUE). Each folder
 * of test/fixtures/brms-postfit/loo-fits holds the fit's draws (as_draws_df), log_lik(fit) of its
 * first 8 observations and print(loo(fit)) (loo 2.5.1), recorded by `Rscript fits.R` there; fed
 * brms's draws, stan2ts must give the same log-likelihood (1e-8) and print the same text.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile } from "../../src/brms/index";
import { ObservationModel } from "../../src/brms/postFit/observationModel";
import { brmsDrawsCsv, postFitOnDraws, recordedLooOutput } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit/loo-fits");
const recorded = readdirSync(root).filter((name) => existsSync(join(root, name, "loo.txt")));

describe("loo(fit) and log_lik(fit) equal brms 2.18's on brms's own draws (loo-fits/fits.R)", () => {
  it("has the recorded fits", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(1);
  });

  it.each(recorded)("%s: log_lik of the first 8 observations, every draw, to 1e-8", async (name) => {
    const folder = join(root, name);
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const draws = brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8"));
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) });
    const expected = (parse(readFileSync(join(folder, "log_lik.csv"), "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 8; i++) {
      const ll = observations.logLik(i);
      expect(ll.length).toBe(expected.length);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
  });

  it.each(recorded)("%s: print(loo(fit)) byte for byte, and brms's warning when some k > 0.7", async (name) => {
    const folder = join(root, name);
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { text } = postFitOnDraws(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")), 1);
    expect(text).toBe(recordedLooOutput(join(folder, "loo.txt")));
  });
});
