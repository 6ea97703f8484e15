/** Scalar-valued reductions of vectors, with partials (`_vp` writes ∂result/∂argument). */
import { type Partials, domainError, zero } from "./checks";
import { inv_logit, log_sum_exp2, log_sum_exp_vector } from "./special";
import { exp, log, log1p } from "./elementary";

/** sum(x) = Σ x_i. ∂/∂x_i = 1. */
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
export function sum_vp(x: Float64Array, d_x: Partials): number {
  if (d_x !== null) d_x.fill(1);
  return sum(x);
}

/** mean(x) = Σ x_i / n. ∂/∂x_i = 1/n. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) domainError("mean: x has size 0, but must have a non-zero size");
  return sum(x) / x.length;
}
export function mean_vp(x: Float64Array, d_x: Partials): number {
  const m = mean(x);
  if (d_x !== null) d_x.fill(1 / x.length);
  return m;
}

/** Sample variance Σ (x_i − x̄)² / (n − 1). ∂/∂x_i = 2 (x_i − x̄)/(n − 1). */
export function variance(x: ArrayLike<number>): number {
  if (x.length === 0) domainError("variance: x has size 0, but must have a non-zero size");
  if (x.length === 1) return 0;
  const m = sum(x) / x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return s / (x.length - 1);
}
export function variance_vp(x: Float64Array, d_x: Partials): number {
  const v = variance(x);
  if (d_x !== null) {
    if (x.length === 1) d_x[0] = 0;
    else {
      const m = sum(x) / x.length;
      for (let i = 0; i < x.length; i++) d_x[i] = (2 * (x[i] - m)) / (x.length - 1);
    }
  }
  return v;
}

/** Sample standard deviation √variance(x). ∂/∂x_i = (x_i − x̄)/((n − 1) sd). */
export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}
export function sd_vp(x: Float64Array, d_x: Partials): number {
  const s = sd(x);
  if (d_x !== null) {
    if (x.length === 1 || s === 0) d_x.fill(0);
    else {
      const m = sum(x) / x.length;
      for (let i = 0; i < x.length; i++) d_x[i] = (x[i] - m) / ((x.length - 1) * s);
    }
  }
  return s;
}

function checkSameLength(fn: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    domainError(`${fn}: size of x (${a.length}) and size of y (${b.length}) must match in size`);
}

/** dot_product(a, b) = Σ a_i b_i. ∂/∂a = b, ∂/∂b = a. */
export function dot_product(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength("dot_product", a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
export function dot_product_vp(
  a: Float64Array,
  b: Float64Array,
  d_a: Partials,
  d_b: Partials,
): number {
  const v = dot_product(a, b);
  if (d_a !== null) d_a.set(b);
  if (d_b !== null) d_b.set(a);
  return v;
}

/** dot_self(x) = Σ x_i². ∂/∂x = 2x. */
export function dot_self(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
export function dot_self_vp(x: Float64Array, d_x: Partials): number {
  if (d_x !== null) for (let i = 0; i < x.length; i++) d_x[i] = 2 * x[i];
  return dot_self(x);
}

/** log_sum_exp of a vector, or of two scalars. Vector partials: ∂/∂x = softmax(x). */
export function log_sum_exp(x: ArrayLike<number>): number;
export function log_sum_exp(a: number, b: number): number;
export function log_sum_exp(a: number | ArrayLike<number>, b?: number): number {
  return typeof a === "number" ? log_sum_exp2(a, b as number) : log_sum_exp_vector(a);
}
export function log_sum_exp_vp(x: Float64Array, d_x: Partials): number {
  const lse = log_sum_exp_vector(x);
  if (d_x !== null) {
    if (lse === -Infinity) d_x.fill(0);
    else for (let i = 0; i < x.length; i++) d_x[i] = exp(x[i] - lse);
  }
  return lse;
}

function logMixScalarCheck(theta: number): void {
  if (!(theta >= 0 && theta <= 1)) {
    domainError(`log_mix: theta is ${theta}, but must be in the interval [0, 1]`);
  }
}

/**
 * log_mix(theta, lambda1, lambda2) = log(θ e^{λ₁} + (1 − θ) e^{λ₂}), or, for vectors,
 * log_mix(theta, lambda) = log Σ θ_k e^{λ_k}.
 */
export function log_mix(theta: number, lambda1: number, lambda2: number): number;
export function log_mix(theta: Float64Array, lambda: Float64Array): number;
export function log_mix(
  theta: number | Float64Array,
  l1: number | Float64Array,
  l2?: number,
): number {
  if (typeof theta === "number")
    return log_mix_vp(theta, l1 as number, l2 as number, null, null, null);
  return log_mix_vp(theta, l1 as Float64Array, null, null);
}

/**
 * Partials, scalar form: with p = θ e^{λ₁ − v}, q = (1 − θ) e^{λ₂ − v} (v the value):
 * ∂/∂theta = (e^{λ₁} − e^{λ₂})/e^{v}, ∂/∂lambda1 = p, ∂/∂lambda2 = q.
 * Vector form: ∂/∂theta_k = e^{λ_k − v}, ∂/∂lambda_k = θ_k e^{λ_k − v}.
 */
export function log_mix_vp(
  theta: number,
  lambda1: number,
  lambda2: number,
  d_theta: Partials,
  d_lambda1: Partials,
  d_lambda2: Partials,
): number;
export function log_mix_vp(
  theta: Float64Array,
  lambda: Float64Array,
  d_theta: Partials,
  d_lambda: Partials,
): number;
export function log_mix_vp(
  theta: number | Float64Array,
  a: number | Float64Array,
  b: number | Partials,
  c: Partials,
  d?: Partials,
  e?: Partials,
): number {
  if (typeof theta === "number") {
    const l1 = a as number;
    const l2 = b as number;
    logMixScalarCheck(theta);
    const v = log_sum_exp2(log(theta) + l1, log1p(-theta) + l2);
    const d_theta = c;
    const d_l1 = d ?? null;
    const d_l2 = e ?? null;
    if (d_theta !== null) d_theta[0] = exp(l1 - v) - exp(l2 - v);
    if (d_l1 !== null || d_l2 !== null) {
      // share of the first component, computed on the logit scale to stay inside [0, 1]
      const w =
        theta === 0
          ? 0
          : theta === 1
            ? 1
            : inv_logit(log(theta) - log1p(-theta) + l1 - l2);
      if (d_l1 !== null) d_l1[0] = w;
      if (d_l2 !== null) d_l2[0] = 1 - w;
    }
    return v;
  }
  const lambda = a as Float64Array;
  const d_theta = b as Partials;
  const d_lambda = c;
  if (theta.length !== lambda.length) {
    domainError(
      `log_mix: size of theta (${theta.length}) and size of lambda (${lambda.length}) must match in size`,
    );
  }
  let max = -Infinity;
  for (let k = 0; k < theta.length; k++) {
    if (!(theta[k] >= 0 && theta[k] <= 1))
      domainError(`log_mix: theta[${k + 1}] is ${theta[k]}, but must be in the interval [0, 1]`);
    const t = log(theta[k]) + lambda[k];
    if (t > max) max = t;
  }
  let s = 0;
  for (let k = 0; k < theta.length; k++) s += theta[k] * exp(lambda[k] - max);
  const v = max + log(s);
  zero(d_theta);
  zero(d_lambda);
  for (let k = 0; k < theta.length; k++) {
    const r = exp(lambda[k] - v);
    if (d_theta !== null) d_theta[k] = r;
    if (d_lambda !== null) d_lambda[k] = theta[k] * r;
  }
  return v;
}
