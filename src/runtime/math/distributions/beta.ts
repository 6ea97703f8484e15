/** Beta distribution: density and rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkBounded,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { digamma, lbeta, lgamma } from "../special";
import { gammaDraw } from "./rngSupport";
import { log, log1p } from "../elementary";

const NAMES = ["Random variable", "First shape parameter", "Second shape parameter"];

function betaLpdf(
  y: Real,
  a: Real,
  b: Real,
  propto: boolean,
  d_y: Partials,
  d_a: Partials,
  d_b: Partials,
  yVar: boolean,
  aVar: boolean,
  bVar: boolean,
): number {
  const fn = "beta_lpdf";
  checkPositiveFinite(fn, NAMES[1], a);
  checkPositiveFinite(fn, NAMES[2], b);
  checkBounded(fn, NAMES[0], y, 0, 1);
  const N = broadcastLength(fn, NAMES, y, a, b);
  zero(d_y);
  zero(d_a);
  zero(d_b);
  if (propto && !yVar && !aVar && !bVar) return 0;
  const inA = !propto || aVar;
  const inB = !propto || bVar;
  const inAB = inA || inB;
  const inLogY = !propto || yVar || aVar;
  const inLog1mY = !propto || yVar || bVar;
  const sy = stride(y);
  const sa = stride(a);
  const sb = stride(b);
  let lp = 0;
  // The shapes' special-function terms of the previous element, reused while (a, b) repeats (always
  // for scalar shapes): a helper call per element costs time and a boxed double.
  let lastA = Number.NaN;
  let lastB = Number.NaN;
  let normaliser = 0; // the kept part of −log B(a, b)
  let psiA = 0;
  let psiB = 0;
  let psiAB = 0;
  const wantPsi = d_a !== null || d_b !== null;
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    const av = at(a, n);
    const bv = at(b, n);
    const logY = log(v);
    const log1mY = log1p(-v);
    if (av !== lastA || bv !== lastB) {
      lastA = av;
      lastB = bv;
      // Stan keeps each of lgamma(a + b), lgamma(a), lgamma(b) by which shapes vary; together they are −lbeta.
      if (inA && inB) normaliser = -lbeta(av, bv);
      else if (inAB) normaliser = lgamma(av + bv) - (inA ? lgamma(av) : lgamma(bv));
      if (wantPsi) {
        psiAB = digamma(av + bv);
        if (d_a !== null) psiA = digamma(av);
        if (d_b !== null) psiB = digamma(bv);
      }
    }
    if (inAB) lp += normaliser;
    if (inLogY && av !== 1) lp += (av - 1) * logY;
    if (inLog1mY && bv !== 1) lp += (bv - 1) * log1mY;
    if (d_y !== null) d_y[n * sy] += (av - 1) / v - (bv - 1) / (1 - v);
    if (d_a !== null) d_a[n * sa] += logY - psiA + psiAB;
    if (d_b !== null) d_b[n * sb] += log1mY - psiB + psiAB;
  }
  return lp;
}

/**
 * beta_lpdf(y | a, b) = Σ (a − 1) log y + (b − 1) log(1 − y) − log B(a, b).
 * Partials: ∂/∂y = (a − 1)/y − (b − 1)/(1 − y), ∂/∂a = log y − ψ(a) + ψ(a + b),
 * ∂/∂b = log(1 − y) − ψ(b) + ψ(a + b). propto keeps lgamma(a + b) iff a or b varies, lgamma(a) iff a,
 * lgamma(b) iff b, (a − 1) log y iff y or a, (b − 1) log(1 − y) iff y or b.
 */
export function beta_lpdf(y: Real, a: Real, b: Real, propto: boolean): number {
  return betaLpdf(y, a, b, propto, null, null, null, true, true, true);
}
export function beta_lpdf_vp(
  y: Real,
  a: Real,
  b: Real,
  propto: boolean,
  d_y: Partials,
  d_a: Partials,
  d_b: Partials,
): number {
  return betaLpdf(y, a, b, propto, d_y, d_a, d_b, d_y !== null, d_a !== null, d_b !== null);
}

export function beta_rng(rng: Rng, a: number, b: number): number {
  checkPositiveFinite("beta_rng", NAMES[1], a);
  checkPositiveFinite("beta_rng", NAMES[2], b);
  const x = gammaDraw(rng, a);
  return x / (x + gammaDraw(rng, b));
}
