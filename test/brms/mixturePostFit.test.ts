/**
 * loo(), log_lik and posterior_epred of mixture(gaussian, gaussian) fits equal brms 2.18's on the
 * same draws: in test/fixtures/brms-postfit/mixture-fit (the simplex theta) and mixture-theta-fit
 * (`theta2 ~ z`, brms's softmax of the theta predictors), draws.csv is a stan2ts run of the folder's
 * model.R, and log_lik.csv, loo.txt and epred.csv are brms's functions on those draws
 * (`Rscript mixture-fromDraws.R` in brms-postfit: a brmsfit made of the stored draws, no Stan compile).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile } from "../../src/brms/index";
import { ModelLogLik, ObservationModel } from "../../src/brms/postFit/observationModel";
import type { FitDraws } from "../../src/brms/postFit/runPostFit";
import type { PooledDraws } from "../../src/brms/postFit/summaries";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { brmsDrawsCsv, postFitOnDraws } from "./helpers";

const FOLDERS = ["mixture-fit", "mixture-theta-fit"];
const folderOf = (name: string) => join(__dirname, "../fixtures/brms-postfit", name);

function pooled(draws: FitDraws): PooledDraws {
  return { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
}

async function load(name: string) {
  const folder = folderOf(name);
  return { folder, build: await buildFromScriptFile(join(folder, "model.R")), draws: brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")) };
}

describe("mixture post-fit on stored draws equals brms 2.18's (brms-postfit/mixture-fromDraws.R)", () => {
  it.each(FOLDERS)("%s: log_lik of the first 8 rows, every draw, to 1e-8", async (name) => {
    const { folder, build, draws } = await load(name);
    const logLik = new ModelLogLik(build.model, pooled(draws), build.model.responses);
    const expected = (parse(readFileSync(join(folder, "log_lik.csv"), "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 8; i++) {
      const ll = logLik.logLik(i);
      expect(ll.length).toBe(expected.length);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
  });

  it.each(FOLDERS)("%s: print(loo(fit)) byte for byte", async (name) => {
    const { folder, build, draws } = await load(name);
    expect(postFitOnDraws(build, draws, 1).text).toBe(readFileSync(join(folder, "loo.txt"), "utf8"));
  });

  it.each(FOLDERS)("%s: posterior_epred per observation (the theta-weighted mean) to 1e-8", async (name) => {
    const { folder, build, draws } = await load(name);
    const observations = new ObservationModel(build.model, pooled(draws), build.model.responses[0]);
    const expected = (parse(readFileSync(join(folder, "epred.csv"), "utf8"), { from_line: 2 }) as string[][]).map((r) => Number(r[0]));
    expect(expected).toHaveLength(observations.n);
    expected.forEach((value, i) => {
      const epred = observations.epred(i);
      const mean = epred.reduce((a, v) => a + v, 0) / epred.length;
      expect(Math.abs(mean - value), `row ${i + 1}`).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(value)));
    });
  });

  it.each(FOLDERS)("%s: posterior_predict draws the component, then the response: its mean over all rows and draws is the mean of posterior_epred", async (name) => {
    const { build, draws } = await load(name);
    const observations = new ObservationModel(build.model, pooled(draws), build.model.responses[0]);
    const all = Array.from({ length: observations.draws }, (_, s) => s);
    const replications = observations.predict(all, new Xoshiro128(5));
    const values = replications.flatMap((draw) => [...draw]);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    let epredTotal = 0;
    for (let i = 0; i < observations.n; i++) epredTotal += observations.epred(i).reduce((a, v) => a + v, 0) / observations.draws;
    // the 80000 replications of a bimodal response: their mean within 5 standard errors of the expected mean
    expect(Math.abs(mean - epredTotal / observations.n)).toBeLessThan((5 * sd) / Math.sqrt(values.length));
  });
});
