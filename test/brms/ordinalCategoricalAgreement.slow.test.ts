/**
 * Sampling agrees with brms's own fit: for one model per family (cumulative, cratio, acat with a group
 * intercept, categorical, multinomial, dirichlet) and for category-specific effects (sratio-cs: `yo ~ cs(x)`, the
 * `bcs_x[k]`), every summarised variable's posterior mean and sd from stan2ts's draws
 * (4 chains × 1000 draws) is within 4 combined Monte Carlo standard errors of brms's. brms's side
 * is `<folder>/brms-fit.csv`, recorded by `Rscript ../brms-ordinal/fit.R <folder>` in the fixture
 * root (brms 2.18, rstan 2.21, 4 chains × 1000 draws, seed 1; mean, sd, mcse_mean, mcse_sd from
 * posterior 1.4).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stanDataToJson } from "../../src/brms/index";
import { mcseMean, mcseSd } from "../../src/runtime/diagnostics/convergence";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { loadCompiled } from "../models/gradientCheck";
import { brmsFixtures } from "./helpers";

const ROOTS = ["ordinal", "categorical"].map((name) => new URL(`../fixtures/brms-${name}/`, import.meta.url).pathname);
const CASES = ROOTS.flatMap((root) => brmsFixtures(root).names.filter((f) => existsSync(`${root}${f}/brms-fit.csv`)).map((fixture) => ({ root, fixture })));

interface BrmsSummary {
  readonly mean: number;
  readonly sd: number;
  readonly mcseMean: number;
  readonly mcseSd: number;
}

function readSummary(path: string): Map<string, BrmsSummary> {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const columns = header.split(",").map((c) => c.replace(/"/g, ""));
  const at = (cells: string[], name: string) => Number(cells[columns.indexOf(name)]);
  return new Map(
    lines.map((line) => {
      // The quoted variable name may hold commas (`r_g[a,Intercept]`); the numbers do not.
      const [, name, rest] = /^"([^"]*)",(.*)$/.exec(line)!;
      const cells = [name, ...rest.split(",")];
      return [name, { mean: at(cells, "mean"), sd: at(cells, "sd"), mcseMean: at(cells, "mcse_mean"), mcseSd: at(cells, "mcse_sd") }];
    }),
  );
}

describe("brms ordinal and categorical families: sampling agrees with brms's fit", () => {
  it("has brms fits for cumulative, cratio, acat, categorical, multinomial, dirichlet and cs()", () => {
    expect(CASES.map((c) => c.fixture.split("-")[0]).sort()).toEqual(expect.arrayContaining(["acat", "categorical", "cratio", "cumulative", "dirichlet", "multinomial"]));
    expect(CASES.map((c) => c.fixture)).toContain("sratio-cs");
  });

  it.each(CASES)("$fixture", async ({ root, fixture }) => {
    const theirs = readSummary(`${root}${fixture}/brms-fit.csv`);
    const build = await brmsFixtures(root).build(fixture);
    const model = await loadCompiled(build.stanCode, `${fixture.replace(/[^a-z]/g, "_")}.stan`);
    const instance = model.create(JSON.parse(stanDataToJson(build.standata)) as Record<string, unknown>);
    const fit = sampleInProcess(instance, { chains: 4, warmup: 1000, samples: 1000, seed: 20261206 });
    let compared = 0;
    for (const { stan, brms } of build.outputNames) {
      const reference = theirs.get(brms);
      // Constants (disc) have no Monte Carlo error; lprior and lp__ are not summarised.
      if (!reference || !(reference.sd > 0)) continue;
      const chains = fit.drawsByChain(stan);
      const draws = chains.flatMap((c) => Array.from(c));
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1));
      const zMean = (mean - reference.mean) / Math.hypot(mcseMean(chains), reference.mcseMean);
      const zSd = (sd - reference.sd) / Math.hypot(mcseSd(chains), reference.mcseSd);
      expect(Math.abs(zMean), `${brms} mean ${mean} vs brms ${reference.mean}`).toBeLessThan(4);
      expect(Math.abs(zSd), `${brms} sd ${sd} vs brms ${reference.sd}`).toBeLessThan(4);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(theirs.size - 1);
  });
});
