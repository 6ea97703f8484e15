/**
 * Stan's constraint transforms, identical to the Stan Reference Manual's "Constraint Transforms"
 * chapter (Stan 2.37), so a point on the unconstrained scale means the same thing here as in Stan.
 *
 * Every transform has four entry points:
 * - `<name>_constrain(out, theta, offset, …)` reads the free values `theta[offset …]`, writes the
 *   constrained value into `out` (matrices column-major) and returns the log absolute Jacobian
 *   determinant of the map.
 * - `<name>_constrain_adj(out, outAdj, theta, offset, …, lpAdj, thetaAdj, …)` ACCUMULATES into
 *   `thetaAdj[offset …]` (same layout as `theta`) the gradient of `⟨outAdj, out⟩ + lpAdj · logJ`;
 *   `lpAdj` is 1 when the Jacobian is part of the target and 0 when it is not. `out` must hold the
 *   forward result for the same `theta`. Bounds that are parameters get their adjoints accumulated
 *   into `<bound>Adj` (length 1 for a scalar bound, summed over elements; length n for elementwise).
 * - `<name>_unconstrain(thetaOut, offset, x, …, name)` inverts the map (for inits) and throws
 *   `StanDomainError` naming the variable and the violated constraint.
 * - `<name>_free_size(dims)` is the number of unconstrained values.
 *
 * The four scalar transforms also have `_scalar` forms on plain numbers for inlined generated code.
 */
import { StanDomainError } from "../model";
import { atanh, cosh, exp, log, log1pExp, tanh } from "./elementary";

/** A bound or offset/multiplier: one number for every element, or one per element. */
export type Bound = number | Float64Array;

/** Stan's CONSTRAINT_TOLERANCE for checking simplexes, unit vectors, correlation matrices, … */
const CONSTRAINT_TOLERANCE = 1e-8;
const LOG_2 = Math.LN2;

function boundAt(b: Bound, i: number): number {
  return typeof b === "number" ? b : b[i];
}

/** Adds `v` to the bound adjoint slot of element i (slot 0 when the bound is one scalar). */
function addBoundAdj(adj: Float64Array | null, b: Bound, i: number, v: number): void {
  if (adj === null) return;
  if (typeof b === "number") adj[0] += v;
  else adj[i] += v;
}

function invLogit(y: number): number {
  if (y >= 0) return 1 / (1 + exp(-y));
  const e = exp(y);
  return e / (1 + e);
}

/** log(1 − tanh²y) = −2 log cosh y, without cancellation for large |y|. */
function logOneMinusTanhSquared(y: number): number {
  const a = Math.abs(y);
  return -2 * (a + log1pExp(-2 * a) - LOG_2);
}

function elementName(name: string, i: number, n: number, scalar: boolean): string {
  return scalar && n === 1 ? name : `${name}[${i + 1}]`;
}

function checkFinite(x: number, name: string): void {
  if (!Number.isFinite(x)) throw new StanDomainError(`${name} is ${x}, but must be finite`);
}

function matrixElementName(name: string, i: number, j: number): string {
  return `${name}[${i + 1},${j + 1}]`;
}

// Module-level workspaces grow to the largest size seen, so repeated calls allocate nothing.
// One slot per role, so a kernel never hands a workspace to a helper that also uses it.
const WS_MATRIX = 0; // L in corr_matrix / cov_matrix
const WS_MATRIX_ADJ = 1; // L̄ in corr_matrix / cov_matrix
const WS_VECTOR = 2; // row scales, simplex z̄, log x
const workspaces: Float64Array[] = [
  new Float64Array(16),
  new Float64Array(16),
  new Float64Array(16),
];
function work(slot: number, n: number): Float64Array {
  if (workspaces[slot].length < n) workspaces[slot] = new Float64Array(n);
  return workspaces[slot];
}

// ───────────────────────────── lower bound: x = lb + exp(y), log J = y ─────────────────────────────

/** x = lb + exp(y); lb = −∞ means no bound (identity). */
export function lower_bound_constrain_scalar(y: number, lb: number): number {
  return lb === -Infinity ? y : lb + exp(y);
}
/** log J = y (0 when lb = −∞). */
export function lower_bound_log_jacobian_scalar(y: number, lb: number): number {
  return lb === -Infinity ? 0 : y;
}
/**
 * Returns ∂/∂y of `xAdj · x + lpAdj · log J`: xAdj · exp(y) + lpAdj. ∂x/∂lb = 1 goes into `lbAdj[0]`.
 */
export function lower_bound_constrain_scalar_adj(
  y: number,
  lb: number,
  xAdj: number,
  lpAdj: number,
  lbAdj: Float64Array | null,
): number {
  if (lb === -Infinity) return xAdj;
  if (lbAdj !== null) lbAdj[0] += xAdj;
  return xAdj * exp(y) + lpAdj;
}
/** y = log(x − lb); throws if x < lb or x = lb (the free value would be −∞). */
export function lower_bound_unconstrain_scalar(x: number, lb: number, name: string): number {
  checkFinite(x, name);
  if (lb === -Infinity) return x;
  if (!(x >= lb))
    throw new StanDomainError(`lower bound violated: ${name} is ${x}, but must be ≥ ${lb}`);
  if (x === lb)
    throw new StanDomainError(
      `${name} is ${x}, on its lower bound; its unconstrained value would be −∞`,
    );
  return log(x - lb);
}

/** Elementwise x_i = lb_i + exp(y_i); returns Σ y_i. */
export function lower_bound_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  lb: Bound,
): number {
  let logJ = 0;
  for (let i = 0; i < n; i++) {
    const y = theta[offset + i];
    const b = boundAt(lb, i);
    if (b === -Infinity) out[i] = y;
    else {
      out[i] = b + exp(y);
      logJ += y;
    }
  }
  return logJ;
}
/** ȳ_i += x̄_i · exp(y_i) + lpAdj;  l̄b_i += x̄_i. */
export function lower_bound_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  lb: Bound,
  lpAdj: number,
  thetaAdj: Float64Array,
  lbAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    const b = boundAt(lb, i);
    if (b === -Infinity) {
      thetaAdj[offset + i] += outAdj[i];
      continue;
    }
    thetaAdj[offset + i] += outAdj[i] * exp(theta[offset + i]) + lpAdj;
    addBoundAdj(lbAdj, lb, i, outAdj[i]);
  }
}
export function lower_bound_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  n: number,
  lb: Bound,
  name: string,
): void {
  for (let i = 0; i < n; i++)
    thetaOut[offset + i] = lower_bound_unconstrain_scalar(
      x[i],
      boundAt(lb, i),
      elementName(name, i, n, false),
    );
}
export function lower_bound_free_size(n: number): number {
  return n;
}

// ───────────────────────────── upper bound: x = ub − exp(y), log J = y ─────────────────────────────

/** x = ub − exp(y); ub = +∞ means no bound. */
export function upper_bound_constrain_scalar(y: number, ub: number): number {
  return ub === Infinity ? y : ub - exp(y);
}
export function upper_bound_log_jacobian_scalar(y: number, ub: number): number {
  return ub === Infinity ? 0 : y;
}
/** Returns ∂/∂y = −xAdj · exp(y) + lpAdj; ∂x/∂ub = 1 goes into `ubAdj[0]`. */
export function upper_bound_constrain_scalar_adj(
  y: number,
  ub: number,
  xAdj: number,
  lpAdj: number,
  ubAdj: Float64Array | null,
): number {
  if (ub === Infinity) return xAdj;
  if (ubAdj !== null) ubAdj[0] += xAdj;
  return -xAdj * exp(y) + lpAdj;
}
/** y = log(ub − x). */
export function upper_bound_unconstrain_scalar(x: number, ub: number, name: string): number {
  checkFinite(x, name);
  if (ub === Infinity) return x;
  if (!(x <= ub))
    throw new StanDomainError(`upper bound violated: ${name} is ${x}, but must be ≤ ${ub}`);
  if (x === ub)
    throw new StanDomainError(
      `${name} is ${x}, on its upper bound; its unconstrained value would be −∞`,
    );
  return log(ub - x);
}
export function upper_bound_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  ub: Bound,
): number {
  let logJ = 0;
  for (let i = 0; i < n; i++) {
    const y = theta[offset + i];
    const b = boundAt(ub, i);
    if (b === Infinity) out[i] = y;
    else {
      out[i] = b - exp(y);
      logJ += y;
    }
  }
  return logJ;
}
/** ȳ_i += −x̄_i · exp(y_i) + lpAdj;  ūb_i += x̄_i. */
export function upper_bound_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  ub: Bound,
  lpAdj: number,
  thetaAdj: Float64Array,
  ubAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    const b = boundAt(ub, i);
    if (b === Infinity) {
      thetaAdj[offset + i] += outAdj[i];
      continue;
    }
    thetaAdj[offset + i] += -outAdj[i] * exp(theta[offset + i]) + lpAdj;
    addBoundAdj(ubAdj, ub, i, outAdj[i]);
  }
}
export function upper_bound_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  n: number,
  ub: Bound,
  name: string,
): void {
  for (let i = 0; i < n; i++)
    thetaOut[offset + i] = upper_bound_unconstrain_scalar(
      x[i],
      boundAt(ub, i),
      elementName(name, i, n, false),
    );
}
export function upper_bound_free_size(n: number): number {
  return n;
}

// ─────────────── lower and upper bound: x = lb + (ub − lb) · inv_logit(y) ───────────────
// log J = log(ub − lb) + log inv_logit(y) + log(1 − inv_logit(y)). As in Stan, an infinite bound
// falls back to the one-sided transform (both infinite: identity).

function checkLowerUpper(lb: number, ub: number): void {
  if (!(lb < ub))
    throw new StanDomainError(
      `lower_upper_bound: lower bound is ${lb}, but must be less than upper bound ${ub}`,
    );
}

export function lower_upper_bound_constrain_scalar(y: number, lb: number, ub: number): number {
  if (ub === Infinity) return lower_bound_constrain_scalar(y, lb);
  if (lb === -Infinity) return upper_bound_constrain_scalar(y, ub);
  checkLowerUpper(lb, ub);
  return lb + (ub - lb) * invLogit(y);
}
export function lower_upper_bound_log_jacobian_scalar(y: number, lb: number, ub: number): number {
  if (ub === Infinity) return lower_bound_log_jacobian_scalar(y, lb);
  if (lb === -Infinity) return upper_bound_log_jacobian_scalar(y, ub);
  const a = Math.abs(y);
  return log(ub - lb) - a - 2 * log1pExp(-a);
}
/**
 * With s = inv_logit(y), d = ub − lb: returns ∂/∂y = xAdj · d·s(1 − s) + lpAdj · (1 − 2s);
 * l̄b += xAdj · (1 − s) − lpAdj / d;  ūb += xAdj · s + lpAdj / d.
 */
export function lower_upper_bound_constrain_scalar_adj(
  y: number,
  lb: number,
  ub: number,
  xAdj: number,
  lpAdj: number,
  lbAdj: Float64Array | null,
  ubAdj: Float64Array | null,
): number {
  if (ub === Infinity) return lower_bound_constrain_scalar_adj(y, lb, xAdj, lpAdj, lbAdj);
  if (lb === -Infinity) return upper_bound_constrain_scalar_adj(y, ub, xAdj, lpAdj, ubAdj);
  const s = invLogit(y);
  const d = ub - lb;
  if (lbAdj !== null) lbAdj[0] += xAdj * (1 - s) - lpAdj / d;
  if (ubAdj !== null) ubAdj[0] += xAdj * s + lpAdj / d;
  return xAdj * d * s * (1 - s) + lpAdj * (1 - 2 * s);
}
/** y = logit((x − lb) / (ub − lb)). */
export function lower_upper_bound_unconstrain_scalar(
  x: number,
  lb: number,
  ub: number,
  name: string,
): number {
  if (ub === Infinity) return lower_bound_unconstrain_scalar(x, lb, name);
  if (lb === -Infinity) return upper_bound_unconstrain_scalar(x, ub, name);
  checkLowerUpper(lb, ub);
  if (!(x >= lb))
    throw new StanDomainError(`lower bound violated: ${name} is ${x}, but must be ≥ ${lb}`);
  if (!(x <= ub))
    throw new StanDomainError(`upper bound violated: ${name} is ${x}, but must be ≤ ${ub}`);
  if (x === lb || x === ub)
    throw new StanDomainError(
      `${name} is ${x}, on a bound of [${lb}, ${ub}]; its unconstrained value would be infinite`,
    );
  const u = (x - lb) / (ub - lb);
  return log(u / (1 - u));
}
export function lower_upper_bound_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  lb: Bound,
  ub: Bound,
): number {
  let logJ = 0;
  for (let i = 0; i < n; i++) {
    const y = theta[offset + i];
    const l = boundAt(lb, i);
    const u = boundAt(ub, i);
    out[i] = lower_upper_bound_constrain_scalar(y, l, u);
    logJ += lower_upper_bound_log_jacobian_scalar(y, l, u);
  }
  return logJ;
}
/** Elementwise the rule of `lower_upper_bound_constrain_scalar_adj`. */
export function lower_upper_bound_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  lb: Bound,
  ub: Bound,
  lpAdj: number,
  thetaAdj: Float64Array,
  lbAdj: Float64Array | null,
  ubAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    const y = theta[offset + i];
    const l = boundAt(lb, i);
    const u = boundAt(ub, i);
    const xAdj = outAdj[i];
    if (u === Infinity) {
      thetaAdj[offset + i] += lower_bound_constrain_scalar_adj(y, l, xAdj, lpAdj, null);
      if (l !== -Infinity) addBoundAdj(lbAdj, lb, i, xAdj);
    } else if (l === -Infinity) {
      thetaAdj[offset + i] += upper_bound_constrain_scalar_adj(y, u, xAdj, lpAdj, null);
      addBoundAdj(ubAdj, ub, i, xAdj);
    } else {
      const s = invLogit(y);
      const d = u - l;
      thetaAdj[offset + i] += xAdj * d * s * (1 - s) + lpAdj * (1 - 2 * s);
      addBoundAdj(lbAdj, lb, i, xAdj * (1 - s) - lpAdj / d);
      addBoundAdj(ubAdj, ub, i, xAdj * s + lpAdj / d);
    }
  }
}
export function lower_upper_bound_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  n: number,
  lb: Bound,
  ub: Bound,
  name: string,
): void {
  for (let i = 0; i < n; i++)
    thetaOut[offset + i] = lower_upper_bound_unconstrain_scalar(
      x[i],
      boundAt(lb, i),
      boundAt(ub, i),
      elementName(name, i, n, false),
    );
}
export function lower_upper_bound_free_size(n: number): number {
  return n;
}

// ───────────────────── offset / multiplier: x = μ + σ·y, log J = log σ ─────────────────────

function checkMultiplier(sigma: number): void {
  if (!(sigma > 0 && sigma < Infinity))
    throw new StanDomainError(
      `offset_multiplier: multiplier is ${sigma}, but must be positive finite!`,
    );
}
function checkOffset(mu: number): void {
  if (!Number.isFinite(mu))
    throw new StanDomainError(`offset_multiplier: offset is ${mu}, but must be finite!`);
}

export function offset_multiplier_constrain_scalar(y: number, mu: number, sigma: number): number {
  checkOffset(mu);
  checkMultiplier(sigma);
  return mu + sigma * y;
}
export function offset_multiplier_log_jacobian_scalar(
  y: number,
  mu: number,
  sigma: number,
): number {
  return log(sigma);
}
/** Returns ∂/∂y = xAdj · σ;  μ̄ += xAdj;  σ̄ += xAdj · y + lpAdj / σ. */
export function offset_multiplier_constrain_scalar_adj(
  y: number,
  mu: number,
  sigma: number,
  xAdj: number,
  lpAdj: number,
  muAdj: Float64Array | null,
  sigmaAdj: Float64Array | null,
): number {
  if (muAdj !== null) muAdj[0] += xAdj;
  if (sigmaAdj !== null) sigmaAdj[0] += xAdj * y + lpAdj / sigma;
  return xAdj * sigma;
}
/** y = (x − μ) / σ. */
export function offset_multiplier_unconstrain_scalar(
  x: number,
  mu: number,
  sigma: number,
  name: string,
): number {
  checkOffset(mu);
  checkMultiplier(sigma);
  if (!Number.isFinite(x)) throw new StanDomainError(`${name} is ${x}, but must be finite`);
  return (x - mu) / sigma;
}
export function offset_multiplier_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  mu: Bound,
  sigma: Bound,
): number {
  let logJ = 0;
  for (let i = 0; i < n; i++) {
    const s = boundAt(sigma, i);
    out[i] = offset_multiplier_constrain_scalar(theta[offset + i], boundAt(mu, i), s);
    logJ += log(s);
  }
  return logJ;
}
/** ȳ_i += x̄_i σ_i;  μ̄_i += x̄_i;  σ̄_i += x̄_i y_i + lpAdj / σ_i. */
export function offset_multiplier_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  n: number,
  mu: Bound,
  sigma: Bound,
  lpAdj: number,
  thetaAdj: Float64Array,
  muAdj: Float64Array | null,
  sigmaAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    const y = theta[offset + i];
    const s = boundAt(sigma, i);
    thetaAdj[offset + i] += outAdj[i] * s;
    addBoundAdj(muAdj, mu, i, outAdj[i]);
    addBoundAdj(sigmaAdj, sigma, i, outAdj[i] * y + lpAdj / s);
  }
}
export function offset_multiplier_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  n: number,
  mu: Bound,
  sigma: Bound,
  name: string,
): void {
  for (let i = 0; i < n; i++)
    thetaOut[offset + i] = offset_multiplier_unconstrain_scalar(
      x[i],
      boundAt(mu, i),
      boundAt(sigma, i),
      elementName(name, i, n, false),
    );
}
export function offset_multiplier_free_size(n: number): number {
  return n;
}

// ─────────────────────────────────────── structured transforms ───────────────────────────────────────
// Arrays of structured parameters (e.g. `array[J] simplex[K]`) store element j's constrained value at
// `out[j·size …]` and its free values at `theta[offset + j·freeSize …]`: every structured kernel takes a
// trailing `outOffset` (for `_unconstrain`, `xOffset`) saying where its value starts, default 0.

// ───────────── ordered: x_0 = y_0, x_k = x_{k−1} + exp(y_k); log J = Σ_{k≥1} y_k ─────────────

export function ordered_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  if (K === 0) return 0;
  let logJ = 0;
  let prev = theta[offset];
  out[outOffset] = prev;
  for (let k = 1; k < K; k++) {
    const y = theta[offset + k];
    prev += exp(y);
    out[outOffset + k] = prev;
    logJ += y;
  }
  return logJ;
}
/** With suffix sums S_k = Σ_{i≥k} x̄_i: ȳ_0 += S_0;  ȳ_k += S_k · exp(y_k) + lpAdj (k ≥ 1). */
export function ordered_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  let suffix = 0;
  for (let k = K - 1; k >= 1; k--) {
    suffix += outAdj[outOffset + k];
    thetaAdj[offset + k] += suffix * exp(theta[offset + k]) + lpAdj;
  }
  if (K > 0) thetaAdj[offset] += suffix + outAdj[outOffset];
}
/** y_0 = x_0, y_k = log(x_k − x_{k−1}); throws unless strictly increasing. */
export function ordered_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  for (let k = 0; k < K; k++) checkFinite(x[xOffset + k], `${name}[${k + 1}]`);
  for (let k = 1; k < K; k++)
    if (!(x[xOffset + k] > x[xOffset + k - 1]))
      throw new StanDomainError(
        `${name} is not a valid ordered vector. The element at ${k + 1} is ${x[xOffset + k]}, but should be greater than the previous element, ${x[xOffset + k - 1]}`,
      );
  if (K > 0) thetaOut[offset] = x[xOffset];
  for (let k = 1; k < K; k++) thetaOut[offset + k] = log(x[xOffset + k] - x[xOffset + k - 1]);
}
export function ordered_free_size(K: number): number {
  return K;
}

// ──────── positive_ordered: x_0 = exp(y_0), x_k = x_{k−1} + exp(y_k); log J = Σ_k y_k ────────

export function positive_ordered_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  let logJ = 0;
  let prev = 0;
  for (let k = 0; k < K; k++) {
    const y = theta[offset + k];
    prev += exp(y);
    out[outOffset + k] = prev;
    logJ += y;
  }
  return logJ;
}
/** With suffix sums S_k = Σ_{i≥k} x̄_i: ȳ_k += S_k · exp(y_k) + lpAdj. */
export function positive_ordered_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  let suffix = 0;
  for (let k = K - 1; k >= 0; k--) {
    suffix += outAdj[outOffset + k];
    thetaAdj[offset + k] += suffix * exp(theta[offset + k]) + lpAdj;
  }
}
export function positive_ordered_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  for (let k = 0; k < K; k++) checkFinite(x[xOffset + k], `${name}[${k + 1}]`);
  if (K > 0 && !(x[xOffset] > 0))
    throw new StanDomainError(
      `${name} is not a valid positive_ordered vector. The element at 1 is ${x[xOffset]}, but should be positive`,
    );
  for (let k = 1; k < K; k++)
    if (!(x[xOffset + k] > x[xOffset + k - 1]))
      throw new StanDomainError(
        `${name} is not a valid positive_ordered vector. The element at ${k + 1} is ${x[xOffset + k]}, but should be greater than the previous element, ${x[xOffset + k - 1]}`,
      );
  for (let k = 0; k < K; k++)
    thetaOut[offset + k] = log(k === 0 ? x[xOffset] : x[xOffset + k] - x[xOffset + k - 1]);
}
export function positive_ordered_free_size(K: number): number {
  return K;
}

// ─────────────────────────── sum_to_zero_vector (isometric log ratio basis) ───────────────────────────
// Stan ≥ 2.36: x = V·y where V (K × (K−1)) has orthonormal columns orthogonal to the ones vector; column
// i (1-based, i = 1…K−1) is 1/√(i(i+1)) in rows 0…i−1 and −i/√(i(i+1)) in row i ("pivot coordinates").
// The map is linear with no Jacobian; its inverse is y = Vᵀx.

/** out[outOffset …] = V·y (see above); K = output length. */
function sumToZeroForward(
  out: Float64Array,
  outOffset: number,
  theta: Float64Array,
  offset: number,
  K: number,
): void {
  // x_j = Σ_{i>j} y_{i−1}/√(i(i+1)) − j · y_{j−1}/√(j(j+1)), accumulated from the last column back.
  let tail = 0;
  for (let j = K - 1; j >= 0; j--) {
    let v = tail;
    if (j >= 1) {
      const w = theta[offset + j - 1] / Math.sqrt(j * (j + 1));
      v -= j * w;
      tail += w;
    }
    out[outOffset + j] = v;
  }
}
/** thetaAdj_{i−1} += (Σ_{j<i} x̄_j − i · x̄_i) / √(i(i+1)), i.e. ȳ += Vᵀ x̄. */
function sumToZeroTranspose(
  xAdj: Float64Array,
  xOffset: number,
  K: number,
  thetaAdj: Float64Array,
  offset: number,
): void {
  let prefix = 0;
  for (let i = 1; i < K; i++) {
    prefix += xAdj[xOffset + i - 1];
    thetaAdj[offset + i - 1] += (prefix - i * xAdj[xOffset + i]) / Math.sqrt(i * (i + 1));
  }
}

export function sum_to_zero_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  sumToZeroForward(out, outOffset, theta, offset, K);
  return 0;
}
/** Linear: ȳ += Vᵀ x̄; no Jacobian term. */
export function sum_to_zero_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  sumToZeroTranspose(outAdj, outOffset, K, thetaAdj, offset);
}
export function sum_to_zero_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  let s = 0;
  for (let k = 0; k < K; k++) {
    checkFinite(x[xOffset + k], `${name}[${k + 1}]`);
    s += x[xOffset + k];
  }
  if (Math.abs(s) > CONSTRAINT_TOLERANCE)
    throw new StanDomainError(`${name} does not sum to zero. sum(${name}) = ${s}, but should be 0`);
  for (let i = 1; i < K; i++) thetaOut[offset + i - 1] = 0;
  sumToZeroTranspose(x, xOffset, K, thetaOut, offset);
}
export function sum_to_zero_free_size(K: number): number {
  return K - 1;
}

// ───────────────────────────── simplex (inverse isometric log ratio) ─────────────────────────────
// Stan ≥ 2.37 replaced the stick-breaking transform of earlier manuals (e.g. 2.21) with
// x = softmax(V·y), V the sum-to-zero basis above. With z = V·y (Σ z = 0):
// log J = Σ_k log x_k + ½ log K = −K · log_sum_exp(z) + ½ log K.

export function simplex_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  if (K === 1) {
    out[outOffset] = 1;
    return 0;
  }
  sumToZeroForward(out, outOffset, theta, offset, K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (out[outOffset + k] > max) max = out[outOffset + k];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = exp(out[outOffset + k] - max);
    out[outOffset + k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[outOffset + k] /= sum;
  return -K * (max + log(sum)) + 0.5 * log(K);
}
/** z̄_k = x_k (x̄_k − Σ_j x_j x̄_j) − lpAdj · K · x_k;  ȳ += Vᵀ z̄. */
export function simplex_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  if (K <= 1) return;
  const zAdj = work(WS_VECTOR, K);
  let dot = 0;
  for (let k = 0; k < K; k++) dot += out[outOffset + k] * outAdj[outOffset + k];
  for (let k = 0; k < K; k++) {
    const x = out[outOffset + k];
    zAdj[k] = x * (outAdj[outOffset + k] - dot) - lpAdj * K * x;
  }
  sumToZeroTranspose(zAdj, 0, K, thetaAdj, offset);
}
/** y = Vᵀ log x (V annihilates the normalising constant). Zero entries have no finite preimage. */
export function simplex_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  let s = 0;
  for (let k = 0; k < K; k++) {
    const v = x[xOffset + k];
    if (!(v >= 0) || v === Infinity)
      throw new StanDomainError(
        `${name} is not a valid simplex. ${name}[${k + 1}] = ${v}, but should be greater than or equal to 0`,
      );
    s += v;
  }
  if (Math.abs(s - 1) > CONSTRAINT_TOLERANCE)
    throw new StanDomainError(
      `${name} is not a valid simplex. sum(${name}) = ${s}, but should be 1`,
    );
  const logX = work(WS_VECTOR, K);
  for (let k = 0; k < K; k++) {
    if (x[xOffset + k] === 0)
      throw new StanDomainError(
        `${name}[${k + 1}] is 0, on the simplex boundary; its unconstrained value would be infinite`,
      );
    logX[k] = log(x[xOffset + k]);
  }
  for (let i = 1; i < K; i++) thetaOut[offset + i - 1] = 0;
  sumToZeroTranspose(logX, 0, K, thetaOut, offset);
}
export function simplex_free_size(K: number): number {
  return K - 1;
}

// ───────────────────────────── unit_vector: x = y / ‖y‖, log J = −½ yᵀy ─────────────────────────────
// (As in Stan, the "Jacobian" is the standard-normal kernel that makes the radius well defined.)

export function unit_vector_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  let sq = 0;
  for (let k = 0; k < K; k++) sq += theta[offset + k] * theta[offset + k];
  if (!(sq > 0 && sq < Infinity))
    throw new StanDomainError(
      `unit_vector_constrain: norm is ${Math.sqrt(sq)}, but must be positive finite!`,
    );
  const r = Math.sqrt(sq);
  for (let k = 0; k < K; k++) out[outOffset + k] = theta[offset + k] / r;
  return -0.5 * sq;
}
/** ȳ += (x̄ − x (xᵀx̄)) / ‖y‖ − lpAdj · y. */
export function unit_vector_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  let sq = 0;
  let dot = 0;
  for (let k = 0; k < K; k++) {
    sq += theta[offset + k] * theta[offset + k];
    dot += out[outOffset + k] * outAdj[outOffset + k];
  }
  const r = Math.sqrt(sq);
  for (let k = 0; k < K; k++)
    thetaAdj[offset + k] +=
      (outAdj[outOffset + k] - out[outOffset + k] * dot) / r - lpAdj * theta[offset + k];
}
/** y = x after checking ‖x‖ = 1 (within 1e-8 on ‖x‖²). */
export function unit_vector_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  x: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  let sq = 0;
  for (let k = 0; k < K; k++) sq += x[xOffset + k] * x[xOffset + k];
  if (!(Math.abs(sq - 1) <= CONSTRAINT_TOLERANCE))
    throw new StanDomainError(
      `${name} is not a valid unit vector. The sum of the squares of the elements should be 1, but is ${sq}`,
    );
  for (let k = 0; k < K; k++) thetaOut[offset + k] = x[xOffset + k];
}
export function unit_vector_free_size(K: number): number {
  return K;
}

// ─────────────────── correlation Cholesky factors from canonical partial correlations ───────────────────
// z = tanh(y) are canonical partial correlations. Row i of L (i ≥ 1) with s_0 = 1:
//   L[i,j] = z_ij · s_j,   s_{j+1} = s_j · √(1 − z_ij²),   L[i,i] = s_i,   L[0,0] = 1.
// cholesky_factor_corr reads the z's row by row (L[1,0], L[2,0], L[2,1], L[3,0], …); corr_matrix reads
// them column by column (L[1,0], …, L[K−1,0], L[2,1], …), as Stan does.
// With ℓ_ij = log(1 − z_ij²):
//   cholesky_factor_corr: log J = Σ ℓ_ij (tanh) + ½ Σ_{j≥1} log s_j² = Σ_ij ℓ_ij · (1 + (i − 1 − j)/2)
//   corr_matrix:          log J = Σ ℓ_ij (tanh) + ½ Σ_ij (K − j − 2) ℓ_ij = Σ_ij ℓ_ij · (1 + (K − 2 − j)/2)
// (the second sum is the Jacobian of the partial correlations → correlation matrix map, LKJ 2009 eq. 11).

function rowMajorIndex(i: number, j: number): number {
  return (i * (i - 1)) / 2 + j;
}
function colMajorIndex(i: number, j: number, K: number): number {
  return j * (K - 1) - (j * (j - 1)) / 2 + (i - j - 1);
}
function cpcIndex(i: number, j: number, K: number, rowMajor: boolean): number {
  return rowMajor ? rowMajorIndex(i, j) : colMajorIndex(i, j, K);
}
function jacobianWeight(i: number, j: number, K: number, rowMajor: boolean): number {
  return rowMajor ? 1 + (i - 1 - j) / 2 : 1 + (K - 2 - j) / 2;
}

/** Writes L (K×K) at L[LOffset …] and returns log J. */
function corrCholeskyForward(
  L: Float64Array,
  LOffset: number,
  theta: Float64Array,
  offset: number,
  K: number,
  rowMajor: boolean,
): number {
  L.fill(0, LOffset, LOffset + K * K);
  if (K === 0) return 0;
  L[LOffset] = 1;
  let logJ = 0;
  for (let i = 1; i < K; i++) {
    let s = 1;
    for (let j = 0; j < i; j++) {
      const y = theta[offset + cpcIndex(i, j, K, rowMajor)];
      L[LOffset + i + j * K] = tanh(y) * s;
      s /= cosh(y); // √(1 − tanh²y) = 1/cosh y
      logJ += jacobianWeight(i, j, K, rowMajor) * logOneMinusTanhSquared(y);
    }
    L[LOffset + i + i * K] = s;
  }
  return logJ;
}

/**
 * Reverse sweep of `corrCholeskyForward`, row by row. With c_j = √(1 − z_j²) = sech y_j:
 *   s̄ ← L̄[i,i];  for j = i−1 … 0:  ȳ_j += L̄[i,j] · s_j · c_j² − s̄ · s_j · z_j · c_j;  s̄ ← s̄ · c_j + L̄[i,j] · z_j
 * plus the Jacobian: ∂ℓ/∂y = −2 tanh y, times the weight above, times lpAdj.
 */
function corrCholeskyAdjoint(
  LAdj: Float64Array,
  LAdjOffset: number,
  theta: Float64Array,
  offset: number,
  K: number,
  rowMajor: boolean,
  lpAdj: number,
  thetaAdj: Float64Array,
): void {
  const sRow = work(WS_VECTOR, K);
  for (let i = 1; i < K; i++) {
    let s = 1;
    for (let j = 0; j < i; j++) {
      sRow[j] = s;
      s /= cosh(theta[offset + cpcIndex(i, j, K, rowMajor)]);
    }
    let sAdj = LAdj[LAdjOffset + i + i * K];
    for (let j = i - 1; j >= 0; j--) {
      const idx = offset + cpcIndex(i, j, K, rowMajor);
      const y = theta[idx];
      const z = tanh(y);
      const c = 1 / cosh(y);
      const lAdj = LAdj[LAdjOffset + i + j * K];
      thetaAdj[idx] +=
        lAdj * sRow[j] * c * c -
        sAdj * sRow[j] * z * c -
        lpAdj * jacobianWeight(i, j, K, rowMajor) * 2 * z;
      sAdj = sAdj * c + lAdj * z;
    }
  }
}

/** Cholesky factor of a correlation matrix → partial correlations → y = atanh(z). */
function corrCholeskyInverse(
  thetaOut: Float64Array,
  offset: number,
  L: Float64Array,
  LOffset: number,
  K: number,
  rowMajor: boolean,
): void {
  for (let i = 1; i < K; i++) {
    let remaining = 1;
    for (let j = 0; j < i; j++) {
      const l = L[LOffset + i + j * K];
      const z = l / Math.sqrt(remaining);
      remaining -= l * l;
      thetaOut[offset + cpcIndex(i, j, K, rowMajor)] = atanh(z);
    }
  }
}

export function cholesky_factor_corr_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  return corrCholeskyForward(out, outOffset, theta, offset, K, true);
}
/** Reverse sweep given in `corrCholeskyAdjoint` (rows are independent). */
export function cholesky_factor_corr_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  corrCholeskyAdjoint(outAdj, outOffset, theta, offset, K, true, lpAdj, thetaAdj);
}
/** Checks lower-triangular, positive diagonal, unit-length rows (within 1e-8); then y = atanh of the partial correlations. */
export function cholesky_factor_corr_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  L: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const v = L[xOffset + i + j * K];
      checkFinite(v, matrixElementName(name, i, j));
      if (j > i && v !== 0)
        throw new StanDomainError(
          `${name} is not lower triangular; ${matrixElementName(name, i, j)} = ${v}, but should be 0`,
        );
    }
    const d = L[xOffset + i + i * K];
    if (!(d > 0))
      throw new StanDomainError(
        `${name} is not a valid Cholesky factor; ${matrixElementName(name, i, i)} = ${d}, but should be positive`,
      );
    let sq = 0;
    for (let j = 0; j <= i; j++) sq += L[xOffset + i + j * K] * L[xOffset + i + j * K];
    if (!(Math.abs(sq - 1) <= CONSTRAINT_TOLERANCE))
      throw new StanDomainError(
        `${name} is not a valid Cholesky factor of a correlation matrix; row ${i + 1} has squared length ${sq}, but should be 1`,
      );
  }
  corrCholeskyInverse(thetaOut, offset, L, xOffset, K, true);
}
export function cholesky_factor_corr_free_size(K: number): number {
  return (K * (K - 1)) / 2;
}

// ─────────────────────────── corr_matrix: Ω = L·Lᵀ, L from partial correlations ───────────────────────────

export function corr_matrix_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  const L = work(WS_MATRIX, K * K);
  const logJ = corrCholeskyForward(L, 0, theta, offset, K, false);
  lowerSelfTranspose(out, outOffset, L, K);
  return logJ;
}
/** Ω = L·Lᵀ ⇒ L̄ = (Ω̄ + Ω̄ᵀ)·L (lower part), then the partial-correlation reverse sweep. */
export function corr_matrix_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  const L = work(WS_MATRIX, K * K);
  corrCholeskyForward(L, 0, theta, offset, K, false);
  const LAdj = lowerSelfTransposeAdjoint(outAdj, outOffset, L, K);
  corrCholeskyAdjoint(LAdj, 0, theta, offset, K, false, lpAdj, thetaAdj);
}
/** Checks symmetric, unit diagonal (within 1e-8) and positive definite; then inverts via the Cholesky factor. */
export function corr_matrix_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  Omega: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  checkSymmetric(Omega, xOffset, K, name);
  for (let k = 0; k < K; k++) {
    const d = Omega[xOffset + k + k * K];
    if (!(Math.abs(d - 1) <= CONSTRAINT_TOLERANCE))
      throw new StanDomainError(
        `${name} is not a valid correlation matrix. ${matrixElementName(name, k, k)} is ${d}, but should be near 1`,
      );
  }
  const L = choleskyOrThrow(Omega, xOffset, K, name);
  corrCholeskyInverse(thetaOut, offset, L, 0, K, false);
}
export function corr_matrix_free_size(K: number): number {
  return (K * (K - 1)) / 2;
}

// ─────────────── cholesky_factor_cov[M, N]: lower-triangular, positive diagonal = exp(y) ───────────────
// Free values row by row: rows 0…N−1 give L[m,0…m−1] then log L[m,m]; rows N…M−1 give L[m,0…N−1].
// log J = Σ_m y(L[m,m]).

/** Free index of the diagonal L[m,m] (m < N). */
function covDiagIndex(m: number): number {
  return (m * (m + 1)) / 2 + m;
}

export function cholesky_factor_cov_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  M: number,
  N: number,
  outOffset = 0,
): number {
  out.fill(0, outOffset, outOffset + M * N);
  let pos = offset;
  let logJ = 0;
  for (let m = 0; m < N; m++) {
    for (let n = 0; n < m; n++) out[outOffset + m + n * M] = theta[pos++];
    const y = theta[pos++];
    out[outOffset + m + m * M] = exp(y);
    logJ += y;
  }
  for (let m = N; m < M; m++) for (let n = 0; n < N; n++) out[outOffset + m + n * M] = theta[pos++];
  return logJ;
}
/** Off-diagonal: ȳ += L̄[m,n];  diagonal: ȳ += L̄[m,m] · L[m,m] + lpAdj. */
export function cholesky_factor_cov_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  M: number,
  N: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  let pos = offset;
  for (let m = 0; m < N; m++) {
    for (let n = 0; n < m; n++) thetaAdj[pos++] += outAdj[outOffset + m + n * M];
    thetaAdj[pos] += outAdj[outOffset + m + m * M] * exp(theta[pos]) + lpAdj;
    pos++;
  }
  for (let m = N; m < M; m++)
    for (let n = 0; n < N; n++) thetaAdj[pos++] += outAdj[outOffset + m + n * M];
}
export function cholesky_factor_cov_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  L: Float64Array,
  M: number,
  N: number,
  name: string,
  xOffset = 0,
): void {
  if (M < N)
    throw new StanDomainError(
      `${name}: cholesky_factor_cov needs at least as many rows (${M}) as columns (${N})`,
    );
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      const v = L[xOffset + m + n * M];
      checkFinite(v, matrixElementName(name, m, n));
      if (n > m && v !== 0)
        throw new StanDomainError(
          `${name} is not lower triangular; ${matrixElementName(name, m, n)} = ${v}, but should be 0`,
        );
      if (n === m && !(v > 0))
        throw new StanDomainError(
          `${name} is not a valid Cholesky factor; ${matrixElementName(name, m, m)} = ${v}, but should be positive`,
        );
    }
  let pos = offset;
  for (let m = 0; m < N; m++) {
    for (let n = 0; n < m; n++) thetaOut[pos++] = L[xOffset + m + n * M];
    thetaOut[pos++] = log(L[xOffset + m + m * M]);
  }
  for (let m = N; m < M; m++) for (let n = 0; n < N; n++) thetaOut[pos++] = L[xOffset + m + n * M];
}
export function cholesky_factor_cov_free_size(M: number, N: number): number {
  return (N * (N + 1)) / 2 + (M - N) * N;
}

// ─────────────────── cov_matrix[K]: Σ = L·Lᵀ, L = cholesky_factor_cov[K, K] transform ───────────────────
// log J = K log 2 + Σ_k (K − k + 1) · y(L[k,k])   (k 0-based; Jacobian of L ↦ LLᵀ is 2^K Π L_kk^{K−k}).

export function cov_matrix_constrain(
  out: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  outOffset = 0,
): number {
  const L = work(WS_MATRIX, K * K);
  cholesky_factor_cov_constrain(L, theta, offset, K, K);
  lowerSelfTranspose(out, outOffset, L, K);
  let logJ = K * LOG_2;
  for (let k = 0; k < K; k++) logJ += (K - k + 1) * theta[offset + covDiagIndex(k)];
  return logJ;
}
/** Σ = L·Lᵀ ⇒ L̄ = (Σ̄ + Σ̄ᵀ)·L (lower part); then as cholesky_factor_cov, with lpAdj · (K − k + 1) on diagonals. */
export function cov_matrix_constrain_adj(
  out: Float64Array,
  outAdj: Float64Array,
  theta: Float64Array,
  offset: number,
  K: number,
  lpAdj: number,
  thetaAdj: Float64Array,
  outOffset = 0,
): void {
  const L = work(WS_MATRIX, K * K);
  cholesky_factor_cov_constrain(L, theta, offset, K, K);
  const LAdj = lowerSelfTransposeAdjoint(outAdj, outOffset, L, K);
  cholesky_factor_cov_constrain_adj(L, LAdj, theta, offset, K, K, 0, thetaAdj);
  for (let k = 0; k < K; k++) thetaAdj[offset + covDiagIndex(k)] += lpAdj * (K - k + 1);
}
export function cov_matrix_unconstrain(
  thetaOut: Float64Array,
  offset: number,
  Sigma: Float64Array,
  K: number,
  name: string,
  xOffset = 0,
): void {
  checkSymmetric(Sigma, xOffset, K, name);
  const L = choleskyOrThrow(Sigma, xOffset, K, name);
  let pos = offset;
  for (let m = 0; m < K; m++) {
    for (let n = 0; n < m; n++) thetaOut[pos++] = L[m + n * K];
    thetaOut[pos++] = log(L[m + m * K]);
  }
}
export function cov_matrix_free_size(K: number): number {
  return (K * (K + 1)) / 2;
}

// ───────────────────────────────────────── shared helpers ─────────────────────────────────────────

/** out[outOffset …] = L·Lᵀ for lower-triangular K×K L (column-major). */
function lowerSelfTranspose(
  out: Float64Array,
  outOffset: number,
  L: Float64Array,
  K: number,
): void {
  for (let i = 0; i < K; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i + k * K] * L[j + k * K];
      out[outOffset + i + j * K] = s;
      out[outOffset + j + i * K] = s;
    }
}
/** Returns (in the L̄ workspace) L̄ = (C̄ + C̄ᵀ)·L restricted to the lower triangle, for C = L·Lᵀ. */
function lowerSelfTransposeAdjoint(
  CAdj: Float64Array,
  CAdjOffset: number,
  L: Float64Array,
  K: number,
): Float64Array {
  const LAdj = work(WS_MATRIX_ADJ, K * K);
  LAdj.fill(0, 0, K * K);
  for (let i = 0; i < K; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = j; m < K; m++)
        s += (CAdj[CAdjOffset + i + m * K] + CAdj[CAdjOffset + m + i * K]) * L[m + j * K];
      LAdj[i + j * K] = s;
    }
  return LAdj;
}

function checkSymmetric(A: Float64Array, AOffset: number, K: number, name: string): void {
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++) {
      const v = A[AOffset + i + j * K];
      checkFinite(v, matrixElementName(name, i, j));
      const mirror = A[AOffset + j + i * K];
      if (j < i && !(Math.abs(v - mirror) <= CONSTRAINT_TOLERANCE))
        throw new StanDomainError(
          `${name} is not symmetric. ${matrixElementName(name, i, j)} = ${v}, but ${matrixElementName(name, j, i)} = ${mirror}`,
        );
    }
}

/** Cholesky factor of a symmetric matrix (new array; unconstrain is not a hot path). */
function choleskyOrThrow(A: Float64Array, AOffset: number, K: number, name: string): Float64Array {
  const L = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    let d = A[AOffset + j + j * K];
    for (let k = 0; k < j; k++) d -= L[j + k * K] * L[j + k * K];
    if (!(d > 0)) throw new StanDomainError(`${name} is not positive definite`);
    const ljj = Math.sqrt(d);
    L[j + j * K] = ljj;
    for (let i = j + 1; i < K; i++) {
      let s = A[AOffset + i + j * K];
      for (let k = 0; k < j; k++) s -= L[i + k * K] * L[j + k * K];
      L[i + j * K] = s / ljj;
    }
  }
  return L;
}
