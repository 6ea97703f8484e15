/**
 * Ordered logistic distribution. The outcome y is Stan's category value 1..K with K − 1 = the length
 * of one cut-point vector; eta is a scalar or one value per outcome; the cut-points are one vector of
 * K − 1 increasing values, or one per outcome (an array of vectors, flat: vector n at offset n·(K − 1)).
 */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkBounded,
  checkFinite,
  domainError,
  stride,
  zero,
} from "../checks";
import { inv_logit, log1m_exp, log1p_exp, log_inv_logit } from "../special";
import { exp } from "../elementary";

const NAMES = ["Random variable", "Location parameter"];

function checkCutpoints(fn: string, c: Float64Array, offset = 0, length = c.length): void {
  for (let k = 0; k < length; k++) {
    const x = c[offset + k];
    if (!(x - x === 0)) checkFinite(fn, "Cut-points", x);
    if (k > 0 && !(x > c[offset + k - 1])) {
      domainError(
        `${fn}: Cut-points is not a valid ordered vector. The element at ${k + 1} is ${x}, but should be greater than the previous element, ${c[offset + k - 1]}`,
      );
    }
  }
}

/** log(inv_logit(a) − inv_logit(b)) for a > b, without cancellation. */
function logInvLogitDiff(a: number, b: number): number {
  return a + log1m_exp(b - a) - log1p_exp(a) - log1p_exp(b);
}

/** log(inv_logit′(x)) = log inv_logit(x) + log inv_logit(−x). */
function logInvLogitDerivative(x: number): number {
  return log_inv_logit(x) + log_inv_logit(-x);
}

function orderedLogisticLpmf(
  y: Int,
  eta: Real,
  c: Float64Array,
  cutLength: number,
  propto: boolean,
  d_eta: Partials,
  d_c: Partials,
  anyVar: boolean,
): number {
  const fn = "ordered_logistic_lpmf";
  const K = cutLength + 1;
  checkBounded(fn, "Random variable", y, 1, K);
  checkFinite(fn, "Location parameter", eta);
  const N = broadcastLength(fn, NAMES, y, eta);
  const cutCount = cutLength === 0 ? 1 : c.length / cutLength;
  if (cutCount !== 1 && cutCount !== N) {
    domainError(`${fn}: Size of cut-points array (${cutCount}) must match the number of outcomes (${N})`);
  }
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
    let gEta: number;
    if (K === 1) {
      gEta = 0;
    } else if (k === 1) {
      const x = e - c[co];
      lp += log_inv_logit(-x);
      gEta = -inv_logit(x);
      if (d_c !== null) d_c[co] -= gEta;
    } else if (k === K) {
      const x = e - c[co + K - 2];
      lp += log_inv_logit(x);
      gEta = inv_logit(-x);
      if (d_c !== null) d_c[co + K - 2] -= gEta;
    } else {
      const a = e - c[co + k - 2];
      const b = e - c[co + k - 1];
      const logP = logInvLogitDiff(a, b);
      lp += logP;
      const ga = exp(logInvLogitDerivative(a) - logP);
      const gb = -exp(logInvLogitDerivative(b) - logP);
      gEta = ga + gb;
      if (d_c !== null) {
        d_c[co + k - 2] -= ga;
        d_c[co + k - 1] -= gb;
      }
    }
    if (d_eta !== null) d_eta[n * se] += gEta;
  }
  return lp;
}

/**
 * ordered_logistic_lpmf(y | eta, c): log P(y) with P(1) = 1 − inv_logit(η − c₁),
 * P(k) = inv_logit(η − c_{k−1}) − inv_logit(η − c_k), P(K) = inv_logit(η − c_{K−1}).
 * Partials (σ = inv_logit, middle k, a = η − c_{k−1}, b = η − c_k):
 * ∂/∂eta = (σ′(a) − σ′(b))/P, ∂/∂c_{k−1} = −σ′(a)/P, ∂/∂c_k = σ′(b)/P; y = 1: ∂/∂eta = −σ(η − c₁) = −∂/∂c₁;
 * y = K: ∂/∂eta = σ(c_{K−1} − η) = −∂/∂c_{K−1}. propto drops everything when eta and c are constant.
 */
export function ordered_logistic_lpmf(y: Int, eta: Real, c: Float64Array, cutLength: number, propto: boolean): number {
  return orderedLogisticLpmf(y, eta, c, cutLength, propto, null, null, true);
}
export function ordered_logistic_lpmf_vp(
  y: Int,
  eta: Real,
  c: Float64Array,
  cutLength: number,
  propto: boolean,
  d_eta: Partials,
  d_c: Partials,
): number {
  return orderedLogisticLpmf(y, eta, c, cutLength, propto, d_eta, d_c, d_eta !== null || d_c !== null);
}

/** One draw (1..K). */
export function ordered_logistic_rng(rng: Rng, eta: number, c: Float64Array): number {
  checkFinite("ordered_logistic_rng", "Location parameter", eta);
  checkCutpoints("ordered_logistic_rng", c);
  const u = rng.uniform();
  for (let k = 0; k < c.length; k++) {
    // P(y ≤ k + 1) = 1 − inv_logit(η − c_{k+1})
    if (u < 1 - inv_logit(eta - c[k])) return k + 1;
  }
  return c.length + 1;
}
