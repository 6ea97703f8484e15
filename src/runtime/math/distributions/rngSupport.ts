/** Shared samplers behind the `_rng` functions. */
import type { Rng } from "../../model";
import { lgamma } from "../special";
import { exp, log, pow } from "../elementary";

/** Gamma(shape, 1) by Marsaglia & Tsang's squeeze method; shape < 1 via the U^{1/shape} boost. */
export function gammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) {
    const u = rng.uniform();
    return gammaDraw(rng, shape + 1) * pow(u > 0 ? u : Number.MIN_VALUE, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
  }
}

/**
 * Poisson(lambda): multiplication of uniforms for small means, and for large means the
 * transformed-rejection method with squeeze (Hörmann's PTRS).
 */
export function poissonDraw(rng: Rng, lambda: number): number {
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = exp(-lambda);
    let k = 0;
    let p = rng.uniform();
    while (p > limit) {
      k++;
      p *= rng.uniform();
    }
    return k;
  }
  const logLambda = log(lambda);
  const b = 0.931 + 2.53 * Math.sqrt(lambda);
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      log(v) + log(invAlpha) - log(a / (us * us) + b) <=
      -lambda + k * logLambda - lgamma(k + 1)
    ) {
      return k;
    }
  }
}

/** Binomial(n, p): a sum of Bernoulli draws for small n, Knuth's order-statistic recursion for large n. */
export function binomialDraw(rng: Rng, n: number, p: number): number {
  if (p <= 0 || n === 0) return 0;
  if (p >= 1) return n;
  if (n < 64) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
    return k;
  }
  // Knuth's recursion: the a-th order statistic of n uniforms is Beta(a, n + 1 − a).
  const a = 1 + Math.floor(n / 2);
  const b = n + 1 - a;
  const ga = gammaDraw(rng, a);
  const x = ga / (ga + gammaDraw(rng, b));
  if (x >= p) return binomialDraw(rng, a - 1, p / x);
  return a + binomialDraw(rng, b - 1, (p - x) / (1 - x));
}
