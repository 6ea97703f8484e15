/**
 * Every family's log_lik, posterior_epred and posterior_predict, and the addition terms cens(),
 * trunc() and weights(), against brms 2.18's own R functions on fixed parameters
 * (test/fixtures/brms-postfit/family-postfit.json, recorded by `Rscript family-postfit.R` in that
 * folder: brms:::log_lik_<family>, brms:::posterior_epred_<family> and posterior_epred_trunc, the mean, variance and
 * fourth central moment of 40000 brms:::posterior_predict_<family> draws).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { familyKernel, KERNEL_FAMILIES, type RowData } from "../../src/brms/postFit/familyKernels";
import { rowLogLik, truncatedDraw } from "../../src/brms/postFit/observationModel";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";

interface Case {
  name: string;
  family: string;
  link: string | null;
  y: number;
  Y: number[] | null;
  trials: number | null;
  dpars: Record<string, number[]>;
  data: { cens?: number; rcens?: number; lb?: number; ub?: number; weights?: number } | [];
  thres: number[][] | null;
  /** wiener: the decision (dec()). */
  dec?: number | null;
  /** `"-Inf"` where R's density is 0 (a wiener response at or below ndt). */
  log_lik: (number | string)[];
  epred?: number[];
  predict?: { n: number; mean: number; var: number; m4: number };
}

const cases = JSON.parse(readFileSync(join(__dirname, "../fixtures/brms-postfit/family-postfit.json"), "utf8")) as Case[];
const dataOf = (c: Case) => (Array.isArray(c.data) ? {} : c.data);
const kernelOf = (c: Case) => familyKernel(c.family, c.link ?? "logit")!;

/** The parameters and row data of draw s, as ObservationModel hands them to the kernels. */
function drawOf(c: Case, s: number): { params: Record<string, number>; row: RowData } {
  const params = Object.fromEntries(Object.entries(c.dpars).map(([name, values]) => [name, values[s]]));
  const eta = "mu2" in c.dpars ? [0, ...Object.keys(c.dpars).filter((n) => /^mu\d/.test(n)).map((n) => c.dpars[n][s])] : undefined;
  return { params, row: { trials: c.trials ?? 0, thres: c.thres?.[s], eta, yRow: c.Y ?? undefined, dec: c.dec ?? undefined } };
}

function moments(values: Float64Array): { mean: number; var: number; m4: number } {
  const n = values.length;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of values) {
    m2 += (v - mean) ** 2;
    m4 += (v - mean) ** 4;
  }
  return { mean, var: m2 / (n - 1), m4: m4 / n };
}

describe("every family's observation model equals brms 2.18's R functions (Rscript family-postfit.R)", () => {
  it("covers every family stan2ts evaluates", () => {
    expect([...new Set(cases.map((c) => c.family))].sort()).toEqual([...KERNEL_FAMILIES].sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: log_lik to 1e-10 relative", (_, c) => {
    const kernel = kernelOf(c);
    const data = dataOf(c);
    c.log_lik.forEach((recorded, s) => {
      const { params, row } = drawOf(c, s);
      const got = rowLogLik(kernel, c.y, params, row, { cens: data.cens, rcens: data.rcens, weight: data.weights });
      const expected = typeof recorded === "string" ? Number(recorded.replace("Inf", "Infinity")) : recorded;
      if (!Number.isFinite(expected)) expect(got).toBe(expected);
      else expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(expected)));
    });
  });

  const withEpred = cases.filter((c) => c.epred != null);
  it.each(withEpred.map((c) => [c.name, c] as const))("%s: posterior_epred (trunc(): posterior_epred_trunc) to 1e-10 relative", (_, c) => {
    const kernel = kernelOf(c);
    const data = dataOf(c);
    const truncated = data.lb !== undefined || data.ub !== undefined;
    // brms sums a truncated count distribution up to 3 max(mu) over every draw at most
    const ub = Math.min(data.ub ?? Infinity, kernel.discrete ? 3 * Math.max(...c.dpars.mu) : Infinity);
    c.epred!.forEach((expected, s) => {
      const { params, row } = drawOf(c, s);
      const got = truncated ? kernel.truncatedEpred!(params, row, data.lb ?? -Infinity, ub) : kernel.epred(params, row);
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(expected)));
    });
  });

  const withPredict = cases.filter((c) => c.predict != null);
  it.each(withPredict.map((c) => [c.name, c] as const))("%s: posterior_predict's mean and variance within 5 standard errors of brms's", (_, c) => {
    const kernel = kernelOf(c);
    const { params, row } = drawOf(c, 0);
    const data = dataOf(c);
    const rng = new Xoshiro128(2026);
    const n = c.predict!.n;
    const truncated = data.lb !== undefined || data.ub !== undefined;
    const values = Float64Array.from({ length: n }, () =>
      truncated ? truncatedDraw(kernel, rng, params, row, data.lb ?? -Infinity, data.ub ?? Infinity) : kernel.draw!(rng, params, row),
    );
    // inside the bounds, or (counts, brms's rdiscrete: all five tries missed) just outside the one missed
    const lb = data.lb ?? -Infinity;
    const ub = data.ub ?? Infinity;
    if (truncated) expect(values.every((v) => (v >= lb && v <= ub) || v === lb - 1e-10 || v === ub + 1e-10)).toBe(true);
    const got = moments(values);
    const r = c.predict!;
    expect(Math.abs(got.mean - r.mean)).toBeLessThan(5 * Math.sqrt(r.var / n + got.var / n));
    expect(Math.abs(got.var - r.var)).toBeLessThan(5 * Math.sqrt((r.m4 - r.var ** 2) / n + (got.m4 - got.var ** 2) / n));
  });
});

describe("truncated means with one open end", () => {
  it("gaussian truncated below only and above only: mu ± sigma φ(z) / tail probability", () => {
    const kernel = familyKernel("gaussian", "identity")!;
    const p = { mu: 0.3, sigma: 1.4 };
    const row = { trials: 0 };
    // E[Y | Y > 1] = mu + sigma φ(z)/(1 − Φ(z)), z = (1 − mu)/sigma; R: 0.3 + 1.4 * dnorm(0.5) / pnorm(0.5, lower.tail = FALSE)
    expect(kernel.truncatedEpred!(p, row, 1, Infinity)).toBeCloseTo(0.3 + (1.4 * 0.3520653267642995) / 0.3085375387259869, 12);
    expect(kernel.truncatedEpred!(p, row, -Infinity, 1)).toBeCloseTo(0.3 - (1.4 * 0.3520653267642995) / 0.6914624612740131, 12);
  });
});
