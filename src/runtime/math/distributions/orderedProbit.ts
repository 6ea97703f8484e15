/**
 * Ordered probit distribution. The outcome y is Stan's category value 1..K with K − 1 = the length
 * of one cut-point vector; eta is a scalar or one value per outcome; the cut-points are one vector,
 * or one vector per outcome (an array of vectors, flattened: vector n at offset n·(K − 1)).
 */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  checkBounded,
  checkFinite,
  domainError,
  formatStanNumber,
  stride,
  zero,
} from "../checks";
import { LOG_SQRT_TWO_PI, log_Phi, log_diff_exp } from "../special";
import { exp } from "../elementary";

function count(x: Int | Real): number {
  return typeof x === "number" ? 1 : x.length;
}

function checkCutpoints(fn: string, c: Float64Array, offset: number, length: number): void {
  for (let k = 0; k < length; k++) {
    const x = c[offset + k];
    if (!(x - x === 0)) domainError(`${fn}: Cut-points is ${formatStanNumber(x)}, but must be finite!`);
    if (k > 0 && !(x > c[offset + k - 1])) {
      domainError(
        `${fn}: Cut-points is not a valid ordered vector. The element at ${k + 1} is ${formatStanNumber(x)}, but should be greater than the previous element, ${formatStanNumber(c[offset + k - 1])}`,
      );
    }
  }
}

/** log φ(x), the standard normal log density. */
function logPhiDensity(x: number): number {
  return -0.5 * x * x - LOG_SQRT_TWO_PI;
}

function orderedProbitLpmf(
  y: Int,
  eta: Real,
  c: Float64Array,
  cutLength: number,
  propto: boolean,
  d_eta: Partials,
  d_c: Partials,
  anyVar: boolean,
): number {
  const fn = "ordered_probit_lpmf";
  const K = cutLength + 1;
  const N = count(y);
  const cutCount = cutLength === 0 ? 1 : c.length / cutLength;
  if (typeof eta !== "number" && eta.length !== N) {
    domainError(`${fn}: Size of location parameter (${eta.length}) must match the number of outcomes (${N})`);
  }
  if (cutCount !== 1 && cutCount !== N) {
    domainError(`${fn}: Size of cut-points array (${cutCount}) must match the number of outcomes (${N})`);
  }
  checkBounded(fn, "Random variable", y as Real | Int32Array, 1, K);
  checkFinite(fn, "Location parameter", eta);
  for (let m = 0; m < cutCount; m++) checkCutpoints(fn, c, m * cutLength, cutLength);
  zero(d_eta);
  zero(d_c);
  if (propto && !anyVar) return 0;
  const se = stride(eta);
  const cutStep = cutCount === 1 ? 0 : cutLength;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const k = at(y, n); // 1..K
    const e = at(eta, n);
    const co = n * cutStep;
    if (K === 1) continue;
    let gEta: number;
    if (k === 1) {
      // P = Φ(c₁ − η)
      const x = c[co] - e;
      const logP = log_Phi(x);
      lp += logP;
      const h = exp(logPhiDensity(x) - logP);
      gEta = -h;
      if (d_c !== null) d_c[co] += h;
    } else if (k === K) {
      // P = Φ(η − c_{K−1})
      const x = e - c[co + K - 2];
      const logP = log_Phi(x);
      lp += logP;
      const h = exp(logPhiDensity(x) - logP);
      gEta = h;
      if (d_c !== null) d_c[co + K - 2] -= h;
    } else {
      // P = Φ(a) − Φ(b) = Φ(−b) − Φ(−a), a = η − c_{k−1} > b = η − c_k: the form away from 1
      const a = e - c[co + k - 2];
      const b = e - c[co + k - 1];
      const logP = a + b > 0 ? log_diff_exp(log_Phi(-b), log_Phi(-a)) : log_diff_exp(log_Phi(a), log_Phi(b));
      lp += logP;
      const ga = exp(logPhiDensity(a) - logP);
      const gb = exp(logPhiDensity(b) - logP);
      gEta = ga - gb;
      if (d_c !== null) {
        d_c[co + k - 2] -= ga;
        d_c[co + k - 1] += gb;
      }
    }
    if (d_eta !== null) d_eta[n * se] += gEta;
  }
  return lp;
}

/**
 * ordered_probit_lpmf(y | eta, c) = Σ_n log P(y_n) with P(1) = Φ(c₁ − η), P(k) = Φ(η − c_{k−1}) − Φ(η − c_k),
 * P(K) = Φ(η − c_{K−1}). Partials (middle k, a = η − c_{k−1}, b = η − c_k): ∂/∂eta = (φ(a) − φ(b))/P,
 * ∂/∂c_{k−1} = −φ(a)/P, ∂/∂c_k = φ(b)/P; y = 1: ∂/∂eta = −φ(c₁ − η)/P = −∂/∂c₁; y = K: ∂/∂eta =
 * φ(η − c_{K−1})/P = −∂/∂c_{K−1}. `cutLength` = K − 1. propto drops everything when eta and c are constant.
 */
export function ordered_probit_lpmf(y: Int, eta: Real, c: Float64Array, cutLength: number, propto: boolean): number {
  return orderedProbitLpmf(y, eta, c, cutLength, propto, null, null, true);
}
export function ordered_probit_lpmf_vp(
  y: Int,
  eta: Real,
  c: Float64Array,
  cutLength: number,
  propto: boolean,
  d_eta: Partials,
  d_c: Partials,
): number {
  return orderedProbitLpmf(y, eta, c, cutLength, propto, d_eta, d_c, d_eta !== null || d_c !== null);
}

/** One draw (1..K): the latent η + z, z ~ N(0, 1), falls in category 1 + #{k : c_k < η + z}. */
export function ordered_probit_rng(rng: Rng, eta: number, c: Float64Array): number {
  const fn = "ordered_probit_rng";
  checkFinite(fn, "Location parameter", eta);
  checkCutpoints(fn, c, 0, c.length);
  const latent = eta + rng.normal();
  let k = 1;
  for (let j = 0; j < c.length; j++) if (c[j] < latent) k++;
  return k;
}
