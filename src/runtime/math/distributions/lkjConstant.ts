/**
 * The LKJ normalising constant c(η, K) shared by lkj_corr_lpdf and lkj_corr_cholesky_lpdf, and its
 * η-derivative, plus memoised forms the kernels call on every evaluation.
 */
import { LOG_PI, LOG_TWO, digamma, lgamma } from "../special";

/**
 * log of the LKJ normalising constant c(η, K) exactly as Stan 2.21 computes it:
 * η ≠ 1: (K−1)·lgamma(η + (K−1)/2) − Σ_{k=1}^{K−1} [(k/2) log π + lgamma(η + (K−1−k)/2)];
 * η = 1: −Σ_{k=1}^{⌊(K−1)/2⌋} lgamma(2k) − (odd K: (K²−1)/4 log π − (K−1)²/4 log 2 − (K−1) lgamma((K+1)/2);
 *        even K: K(K−2)/4 log π + (3K²−4K)/4 log 2 + K lgamma(K/2) − (K−1) lgamma(K)).
 */
export function lkj_log_constant(eta: number, K: number): number {
  const Km1 = K - 1;
  if (eta === 1) {
    let c = 0;
    for (let k = 1; k <= Math.floor(Km1 / 2); k++) c -= lgamma(2 * k);
    if (K % 2 === 1) {
      c -= 0.25 * (K * K - 1) * LOG_PI - 0.25 * Km1 * Km1 * LOG_TWO - Km1 * lgamma(0.5 * (K + 1));
    } else {
      c -=
        0.25 * K * (K - 2) * LOG_PI +
        0.25 * (3 * K * K - 4 * K) * LOG_TWO +
        K * lgamma(0.5 * K) -
        Km1 * lgamma(K);
    }
    return c;
  }
  let c = Km1 * lgamma(eta + 0.5 * Km1);
  for (let k = 1; k <= Km1; k++) c -= 0.5 * k * LOG_PI + lgamma(eta + 0.5 * (Km1 - k));
  return c;
}

/** ∂c(η, K)/∂η = (K−1) ψ(η + (K−1)/2) − Σ_{k=1}^{K−1} ψ(η + (K−1−k)/2) (the same at η = 1: both branches agree). */
export function lkj_log_constant_deta(eta: number, K: number): number {
  const Km1 = K - 1;
  let d = Km1 * digamma(eta + 0.5 * Km1);
  for (let k = 1; k <= Km1; k++) d -= digamma(eta + 0.5 * (Km1 - k));
  return d;
}

// c(η, K) and ∂c/∂η memoised per (η, K): a model's LKJ shapes are usually constants, so the lgamma /
// digamma sums run once per shape instead of once per evaluation (each of those calls returns a boxed
// double, i.e. allocates). A few slots, replaced round-robin; a varying η simply misses every time.
// Kernels read the slot's entries directly: a helper returning the double would box it again.
const LKJ_CACHE_SLOTS = 8;
const cachedEta = new Float64Array(LKJ_CACHE_SLOTS).fill(Number.NaN);
const cachedK = new Int32Array(LKJ_CACHE_SLOTS).fill(-1);
/** c(η, K) of the slot `lkjConstantSlot` returned. */
export const lkjCachedConstant = new Float64Array(LKJ_CACHE_SLOTS);
/** ∂c(η, K)/∂η of the slot `lkjConstantSlot` returned (filled when asked for with `withDeta`). */
export const lkjCachedConstantDeta = new Float64Array(LKJ_CACHE_SLOTS);
let nextCacheSlot = 0;

/** Cache slot holding c(η, K), and ∂c/∂η too when `withDeta` (NaN marks "not computed yet"). */
export function lkjConstantSlot(eta: number, K: number, withDeta: boolean): number {
  let slot = -1;
  for (let i = 0; i < LKJ_CACHE_SLOTS; i++) {
    if (cachedEta[i] === eta && cachedK[i] === K) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    slot = nextCacheSlot;
    nextCacheSlot = (nextCacheSlot + 1) % LKJ_CACHE_SLOTS;
    cachedEta[slot] = eta;
    cachedK[slot] = K;
    lkjCachedConstant[slot] = lkj_log_constant(eta, K);
    lkjCachedConstantDeta[slot] = Number.NaN;
  }
  if (withDeta && Number.isNaN(lkjCachedConstantDeta[slot])) {
    lkjCachedConstantDeta[slot] = lkj_log_constant_deta(eta, K);
  }
  return slot;
}
