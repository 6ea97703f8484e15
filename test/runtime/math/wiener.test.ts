/**
 * wiener_lpdf (src/runtime/math/distributions/wiener.ts) against Stan 2.21 and against finite
 * differences, over a grid whose standardised time u = (y − tau)/alpha² runs from 8e-5 to 46, so both
 * series (small time and large time) and several term counts are exercised.
 *
 * Reference: stan-reference/wiener.json, written by `Rscript wiener.R` in stan-reference/ (rstan
 * 2.21: log_prob and grad_log_prob of wiener.stan, whose five parameters are wiener_lpdf's arguments,
 * at each grid point; `-Inf`/`NaN` where the density underflows to 0).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { wiener_lpdf, wiener_lpdf_vp } from "../../../src/runtime/math/index";
import { StanDomainError } from "../../../src/runtime/model";
import { richardson } from "./gradientCheck";

interface ReferencePoint {
  point: [number, number, number, number, number];
  lp: number | string;
  grad: (number | string)[];
}
const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("./stan-reference/wiener.json", import.meta.url)), "utf8"),
) as ReferencePoint[];

const asNumber = (x: number | string): number => (typeof x === "number" ? x : Number(x.replace("Inf", "Infinity")));
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-8);

/** Value and the five partials at one point (all arguments parameters). */
function valueAndPartials([y, alpha, tau, beta, delta]: readonly number[]): { lp: number; grad: number[] } {
  const d = [0, 1, 2, 3, 4].map(() => new Float64Array(1));
  const lp = wiener_lpdf_vp(y, alpha, tau, beta, delta, false, d[0], d[1], d[2], d[3], d[4]);
  return { lp, grad: d.map((x) => x[0]) };
}

describe("wiener_lpdf agrees with Stan 2.21", () => {
  it("has the reference grid (189 points, 183 with a finite density)", () => {
    expect(reference.length).toBe(189);
    expect(reference.filter((r) => Number.isFinite(asNumber(r.lp))).length).toBe(183);
  });

  it("gives Stan's log density and gradient at every grid point", () => {
    const worst = { lp: 0, grad: 0 };
    for (const r of reference) {
      const expected = asNumber(r.lp);
      const { lp, grad } = valueAndPartials(r.point);
      expect(wiener_lpdf(...r.point, false)).toBe(lp);
      if (!Number.isFinite(expected)) {
        // the small-time sum underflows to 0 at u = 8e-5 with bias 0.2 or 0.5, in Stan as here
        expect(lp, `at ${r.point}`).toBe(expected);
        continue;
      }
      worst.lp = Math.max(worst.lp, rel(lp, expected));
      r.grad.forEach((g, i) => (worst.grad = Math.max(worst.grad, rel(grad[i], asNumber(g)))));
    }
    expect(worst.lp).toBeLessThan(1e-12);
    expect(worst.grad).toBeLessThan(1e-10);
  });
});

describe("wiener_lpdf's partials agree with finite differences", () => {
  it("at every grid point with a finite density", () => {
    const problems: string[] = [];
    for (const r of reference) {
      if (!Number.isFinite(asNumber(r.lp))) continue;
      const { grad } = valueAndPartials(r.point);
      for (let i = 0; i < 5; i++) {
        // steps small enough to keep y above tau and beta inside (0, 1)
        const h = i === 0 || i === 2 ? Math.min(1e-4, (r.point[0] - r.point[2]) / 20) : 1e-4 * Math.max(1, Math.abs(r.point[i]));
        const at = (t: number) => {
          const p = [...r.point] as [number, number, number, number, number];
          p[i] += t;
          return wiener_lpdf(...p, false);
        };
        const numeric = richardson(at, h);
        const error = Math.abs(grad[i] - numeric) / Math.max(Math.abs(grad[i]), Math.abs(numeric), 1e-3);
        if (!(error < 1e-6)) problems.push(`∂/∂arg${i} at ${r.point}: ${grad[i]} vs ${numeric}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("wiener_lpdf's argument checks are Stan's", () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(StanDomainError);
      return (e as Error).message;
    }
    return "no error";
  };
  it("rejects a response at or below the non-decision time", () => {
    expect(message(() => wiener_lpdf(0.3, 1, 0.3, 0.5, 0, false))).toBe(
      "wiener_lpdf: Random variable = 0.3, but must be greater than nondecision time = 0.3",
    );
  });
  it("rejects bad parameters with Stan's wording", () => {
    expect(message(() => wiener_lpdf(1, 0, 0.3, 0.5, 0, false))).toBe("wiener_lpdf: Boundary separation is 0, but must be positive!");
    expect(message(() => wiener_lpdf(1, 1, 0, 0.5, 0, false))).toBe("wiener_lpdf: Nondecision time is 0, but must be positive!");
    expect(message(() => wiener_lpdf(1, 1, 0.3, 1.5, 0, false))).toBe("wiener_lpdf: A-priori bias is 1.5, but must be in the interval [0, 1]");
    expect(message(() => wiener_lpdf(1, 1, 0.3, 0.5, Infinity, false))).toBe("wiener_lpdf: Drift rate is inf, but must be finite!");
    expect(message(() => wiener_lpdf(Number.NaN, 1, 0.3, 0.5, 0, false))).toBe("wiener_lpdf: Random variable is nan, but must be not nan!");
    expect(message(() => wiener_lpdf(Float64Array.of(1, 2), 1, Float64Array.of(0.1, 0.2, 0.3), 0.5, 0, false))).toBe(
      "wiener_lpdf: size of Nondecision time (3) and size of Random variable (2) must match in size",
    );
  });
  it("sums over containers, broadcasting scalars, and drops everything under propto when all is data", () => {
    const ys = Float64Array.of(0.5, 0.9, 2.2);
    const deltas = Float64Array.of(-1, 0.4, 1.7);
    const summed = [0, 1, 2].reduce((s, n) => s + wiener_lpdf(ys[n], 1.1, 0.2, 0.45, deltas[n], false), 0);
    expect(wiener_lpdf(ys, 1.1, 0.2, 0.45, deltas, false)).toBeCloseTo(summed, 12);
    expect(wiener_lpdf_vp(ys, 1.1, 0.2, 0.45, deltas, true, null, null, null, null, null)).toBe(0);
    expect(wiener_lpdf(new Float64Array(0), 1, 0.3, 0.5, 0, false)).toBe(0);
  });
});

describe("wiener_lpdf where the standardised time (y − tau)/alpha² leaves the doubles", () => {
  it("is −∞ with zero partials when alpha² overflows (Stan 2.21 never returns there) or underflows, and stays quick for large u", () => {
    const d = [0, 1, 2, 3, 4].map(() => new Float64Array(1));
    expect(wiener_lpdf_vp(1, 1e200, 0.3, 0.5, 0.2, false, d[0], d[1], d[2], d[3], d[4])).toBe(-Infinity);
    expect(d.map((x) => x[0])).toEqual([0, 0, 0, 0, 0]);
    expect(wiener_lpdf(1, 1e-170, 0.3, 0.5, 0.2, false)).toBe(-Infinity);
    // u = 4e9: Stan's term count is 20 370, every term underflows to 0 (log 0, in Stan too); the loop stops at the first
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(wiener_lpdf(1, 1.3e-5, 0.3, 0.5, 0.2, false)).toBe(-Infinity);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
