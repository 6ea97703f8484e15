/**
 * A short sampling check that stan2ts's non-linear brms model recovers the parameters of data
 * simulated from it: exponential decay y = a · exp(−b · x) + noise, with b varying by group.
 * Each posterior mean lies within 4 posterior sds of the truth (the posterior sd is much larger
 * than the Monte Carlo error of 1000 draws).
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/random";
import { stanDataToJson } from "../../src/brms/index";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { loadCompiled } from "../models/gradientCheck";
import { buildFrom } from "./helpers";

describe("brms non-linear models recover simulated parameters", () => {
  it("exponential decay: a, b, the group sd of b and sigma", async () => {
    const rng = new Random("brms nonlinear decay recovery");
    const truth = { a: 5, b: 0.4, sdB: 0.1, sigma: 0.3 };
    const groups = ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"];
    const offsets = groups.map(() => rng.normal(0, truth.sdB));
    const lines = ["x,g,y"];
    for (let n = 0; n < 320; n++) {
      const k = n % groups.length;
      const x = rng.uniformRange(0, 6);
      const y = truth.a * Math.exp(-(truth.b + offsets[k]) * x) + rng.normal(0, truth.sigma);
      lines.push(`${x.toFixed(4)},${groups[k]},${y.toFixed(5)}`);
    }
    const b = buildFrom(
      `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE), data = d,\n` +
        `  prior = c(prior(normal(4, 2), nlpar = "a"), prior(normal(0.5, 0.5), nlpar = "b", lb = 0)))\n`,
      lines.join("\n") + "\n",
    );
    const model = await loadCompiled(b.stanCode, "decay.stan");
    const instance = model.create(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>);
    const fit = sampleInProcess(instance, { chains: 2, warmup: 500, samples: 500, seed: 7 });
    expect(fit.numDivergent).toBeLessThan(10);
    const stanName = (brms: string) => b.outputNames.find((n) => n.brms === brms)!.stan;
    const expected: Record<string, number> = { b_a_Intercept: truth.a, b_b_Intercept: truth.b, sigma: truth.sigma };
    for (const [name, value] of Object.entries(expected)) {
      const draws = Array.from(fit.draws(stanName(name)));
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1));
      expect(Math.abs(mean - value), `${name}: posterior ${mean.toFixed(4)} ± ${sd.toFixed(4)}, truth ${value}`).toBeLessThan(4 * sd);
    }
    // Eight groups say little about the sd; its posterior must still cover the truth.
    const sd = Array.from(fit.draws(stanName("sd_g__b_Intercept"))).sort((x, y) => x - y);
    expect(sd[Math.floor(0.01 * sd.length)]).toBeLessThan(truth.sdB);
    expect(sd[Math.floor(0.99 * sd.length)]).toBeGreaterThan(truth.sdB);
  }, 300_000);
});
