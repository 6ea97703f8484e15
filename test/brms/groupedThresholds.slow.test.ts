/**
 * Sampling a brms model with grouped thresholds (`yo | thres(gr = g) ~ x, family = cumulative()`,
 * test/fixtures/brms-ordinal/cumulative-thres-gr): brms's _merged density gives each row its own
 * slice of the merged thresholds, a container sized at run time (see test/ir/runtimeSizes.test.ts).
 * A short seeded run must converge without divergences and land near the simulated slope.
 */
import { expect, it } from "vitest";
import { stanDataToJson } from "../../src/brms/index";
import { defineModel } from "../../src/runtime/api";
import { loadCompiled } from "../models/gradientCheck";
import { brmsFixtures } from "./helpers";

const ROOT = new URL("../fixtures/brms-ordinal/", import.meta.url).pathname;

it("samples a grouped-thresholds model (cumulative-thres-gr, a short run): converged, no divergences, a sane slope", async () => {
  const b = await brmsFixtures(ROOT).build("cumulative-thres-gr");
  const compiled = await loadCompiled(b.stanCode, "cumulative_thres_gr.stan");
  const fit = await defineModel(compiled).sample(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>, { parallelism: "in-process", chains: 2, warmup: 300, samples: 300, seed: 14 });
  const diagnostics = fit.diagnostics();
  expect(diagnostics.divergences).toBe(0);
  expect(diagnostics.maxRhat).toBeLessThan(1.05);
  expect(diagnostics.minEssBulk).toBeGreaterThan(100);
  // data.csv's latent scale has slope 0.8 (gen-data.R); 60 rows put it within about ±0.3
  const slope = fit.drawsByChain("b[1]").flatMap((c) => Array.from(c));
  const mean = slope.reduce((s, x) => s + x, 0) / slope.length;
  expect(mean).toBeGreaterThan(0.3);
  expect(mean).toBeLessThan(1.6);
  // every group's thresholds are drawn, ordered, and differ between groups (the data's group shifts)
  const firstThresholds = [1, 2, 3, 4, 5].map((g) => {
    const draws = fit.drawsByChain(`Intercept_${g}[1]`).flatMap((c) => Array.from(c));
    const second = fit.drawsByChain(`Intercept_${g}[2]`).flatMap((c) => Array.from(c));
    draws.forEach((x, i) => expect(x).toBeLessThan(second[i]));
    return draws.reduce((s, x) => s + x, 0) / draws.length;
  });
  expect(Math.max(...firstThresholds) - Math.min(...firstThresholds)).toBeGreaterThan(0.5);
});
