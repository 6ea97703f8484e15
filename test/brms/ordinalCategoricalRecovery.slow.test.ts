/**
 * Short sampling checks that stan2ts's brms ordinal, categorical, multinomial and dirichlet models recover the parameters
 * of data simulated from them: each posterior mean lies within 4 posterior sds of the truth (the
 * posterior sd is much larger than the Monte Carlo error of 1000 draws). sratio/cratio/acat are
 * not sampled: their programs do not compile yet (see ordinalFamilies.test.ts).
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/random";
import { stanDataToJson } from "../../src/brms/index";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { loadCompiled } from "../models/gradientCheck";
import { buildFrom } from "./helpers";

const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

/** Samples the script's model on `csv` and checks each named CmdStan column's posterior against its truth. */
async function expectRecovery(call: string, csv: string, truth: Record<string, number>): Promise<void> {
  const b = buildFrom(script(call), csv);
  const model = await loadCompiled(b.stanCode, "recovery.stan");
  const instance = model.create(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>);
  const fit = sampleInProcess(instance, { chains: 2, warmup: 500, samples: 500, seed: 11 });
  expect(fit.numDivergent).toBe(0);
  for (const [column, value] of Object.entries(truth)) {
    const draws = Array.from(fit.draws(column));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1));
    expect(Math.abs(mean - value), `${column}: posterior ${mean.toFixed(3)} ± ${sd.toFixed(3)}, truth ${value}`).toBeLessThan(4 * sd);
  }
}

describe("brms ordinal and categorical models recover simulated parameters", () => {
  it("cumulative (logit): thresholds and slope", async () => {
    const rng = new Random("brms cumulative recovery");
    const thresholds = [-1, 0, 1.2];
    const lines = ["x,yo"];
    for (let n = 0; n < 400; n++) {
      const x = rng.normal(0, 1);
      const latent = 0.8 * x + rng.logistic();
      lines.push(`${x.toFixed(4)},${1 + thresholds.filter((t) => latent > t).length}`);
    }
    await expectRecovery("yo ~ x, family = cumulative()", lines.join("\n") + "\n", { "b_Intercept.1": -1, "b_Intercept.2": 0, "b_Intercept.3": 1.2, "b.1": 0.8 });
  });

  it("cumulative (probit) with a predicted disc", async () => {
    const rng = new Random("brms cumulative disc recovery");
    const thresholds = [-0.5, 0.5];
    const lines = ["x,z,yo"];
    for (let n = 0; n < 600; n++) {
      const x = rng.normal(0, 1);
      const z = rng.uniformRange(0, 1);
      // disc scales the latent variable's precision: latent ~ normal(mu, 1 / disc).
      const disc = Math.exp(0.5 * z);
      const latent = 0.7 * x + rng.stdNormal() / disc;
      lines.push(`${x.toFixed(4)},${z.toFixed(4)},${1 + thresholds.filter((t) => latent > t).length}`);
    }
    await expectRecovery('bf(yo ~ x, disc ~ 0 + z), family = cumulative("probit")', lines.join("\n") + "\n", {
      "b_Intercept.1": -0.5,
      "b_Intercept.2": 0.5,
      "b.1": 0.7,
      "b_disc.1": 0.5,
    });
  });

  it("categorical: one intercept and slope per non-reference category", async () => {
    const rng = new Random("brms categorical recovery");
    const lines = ["x,yc"];
    for (let n = 0; n < 600; n++) {
      const x = rng.normal(0, 1);
      const eta = [0, 0.3 + 0.9 * x, -0.2 - 0.6 * x];
      const k = rng.categorical(eta.map(Math.exp));
      lines.push(`${x.toFixed(4)},${["bus", "car", "train"][k - 1]}`);
    }
    await expectRecovery("yc ~ x, family = categorical()", lines.join("\n") + "\n", {
      b_mucar_Intercept: 0.3,
      "b_mucar.1": 0.9,
      b_mutrain_Intercept: -0.2,
      "b_mutrain.1": -0.6,
    });
  });

  it("multinomial: counts from the same category predictors", async () => {
    const rng = new Random("brms multinomial recovery");
    const lines = ["x,nt,n1,n2,n3"];
    for (let n = 0; n < 300; n++) {
      const x = rng.normal(0, 1);
      const weights = [0, 0.3 + 0.9 * x, -0.2 - 0.6 * x].map(Math.exp);
      const trials = rng.integer(5, 15);
      const counts = [0, 0, 0];
      for (let t = 0; t < trials; t++) counts[rng.categorical(weights) - 1]++;
      lines.push(`${x.toFixed(4)},${trials},${counts.join(",")}`);
    }
    await expectRecovery("cbind(n1, n2, n3) | trials(nt) ~ x, family = multinomial()", lines.join("\n") + "\n", {
      b_mun2_Intercept: 0.3,
      "b_mun2.1": 0.9,
      b_mun3_Intercept: -0.2,
      "b_mun3.1": -0.6,
    });
  });

  it("dirichlet: proportions with precision phi", async () => {
    const rng = new Random("brms dirichlet recovery");
    const lines = ["x,p1,p2,p3"];
    for (let n = 0; n < 300; n++) {
      const x = rng.normal(0, 1);
      const weights = [0, 0.3 + 0.9 * x, -0.2 - 0.6 * x].map(Math.exp);
      const total = weights.reduce((a, w) => a + w, 0);
      const p = rng.dirichlet(weights.map((w) => (20 * w) / total));
      lines.push(`${x.toFixed(4)},${p.map((v) => v.toPrecision(17)).join(",")}`);
    }
    await expectRecovery("cbind(p1, p2, p3) ~ x, family = dirichlet()", lines.join("\n") + "\n", {
      b_mup2_Intercept: 0.3,
      "b_mup2.1": 0.9,
      b_mup3_Intercept: -0.2,
      "b_mup3.1": -0.6,
      phi: 20,
    });
  });
});
