/** Continuous uniform distribution: density and rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNotNan,
  domainError,
  formatStanNumber,
  stride,
  zero,
} from "../checks";
import { log } from "../elementary";

const NAMES = ["Random variable", "Lower bound parameter", "Upper bound parameter"];

function checkOrdered(fn: string, alpha: Real, beta: Real, N: number): void {
  for (let n = 0; n < N; n++) {
    const lo = at(alpha, n);
    const hi = at(beta, n);
    if (!(hi > lo)) {
      const where = typeof beta === "number" ? NAMES[2] : `${NAMES[2]}[${n + 1}]`;
      domainError(
        `${fn}: ${where} is ${formatStanNumber(hi)}, but must be greater than ${formatStanNumber(lo)}!`,
      );
    }
  }
}

function uniformLpdf(
  y: Real,
  alpha: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_beta: Partials,
  _yVar: boolean,
  alphaVar: boolean,
  betaVar: boolean,
): number {
  const fn = "uniform_lpdf";
  checkNotNan(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], alpha);
  checkFinite(fn, NAMES[2], beta);
  const N = broadcastLength(fn, NAMES, y, alpha, beta);
  checkOrdered(fn, alpha, beta, N);
  zero(d_y);
  zero(d_alpha);
  zero(d_beta);
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    if (v < at(alpha, n) || v > at(beta, n)) return -Infinity;
  }
  // y enters only through the support check, so with constant bounds nothing is left under propto.
  if (propto && !alphaVar && !betaVar) return 0;
  const sa = stride(alpha);
  const sb = stride(beta);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const width = at(beta, n) - at(alpha, n);
    lp -= log(width);
    if (d_alpha !== null) d_alpha[n * sa] += 1 / width;
    if (d_beta !== null) d_beta[n * sb] -= 1 / width;
  }
  return lp;
}

/**
 * uniform_lpdf(y | alpha, beta) = Σ −log(β − α) on [α, β], −∞ outside.
 * Partials: ∂/∂y = 0, ∂/∂alpha = 1/(β − α), ∂/∂beta = −1/(β − α). propto drops everything when the
 * bounds are constant.
 */
export function uniform_lpdf(y: Real, alpha: Real, beta: Real, propto: boolean): number {
  return uniformLpdf(y, alpha, beta, propto, null, null, null, true, true, true);
}
export function uniform_lpdf_vp(
  y: Real,
  alpha: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_beta: Partials,
): number {
  return uniformLpdf(
    y,
    alpha,
    beta,
    propto,
    d_y,
    d_alpha,
    d_beta,
    d_y !== null,
    d_alpha !== null,
    d_beta !== null,
  );
}

export function uniform_rng(rng: Rng, alpha: number, beta: number): number {
  checkFinite("uniform_rng", NAMES[1], alpha);
  checkFinite("uniform_rng", NAMES[2], beta);
  checkOrdered("uniform_rng", alpha, beta, 1);
  return alpha + (beta - alpha) * rng.uniform();
}
