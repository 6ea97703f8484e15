/**
 * Scalar functions of scalars that generated code may inline, each with its derivative helpers:
 * a unary `f` has `f_d(x)` = f′(x); a binary `f(a, b)` has `f_d1(a, b)` = ∂f/∂a and `f_d2(a, b)` = ∂f/∂b.
 * Where Stan has a name for the derivative it is used too (lgamma_d = digamma).
 * `SCALAR_RULES` lists every function with its derivative helpers (the primitive registry reads it).
 */
import {
  INV_SQRT_TWO_PI,
  SQRT_PI,
  SQRT_TWO_PI,
  Phi,
  Phi_approx,
  digamma,
  erf,
  erfc,
  inv_Phi,
  inv_logit,
  lbeta,
  lchoose,
  lgamma,
  log1m,
  log1m_exp,
  log1m_inv_logit,
  log1p_exp,
  log_diff_exp,
  log_inv_logit,
  log_sum_exp2,
  logit,
  tgamma,
  trigamma,
} from "./special";

// ---- exponentials and logarithms
export const exp = Math.exp;
export const exp_d = Math.exp;
export const exp2 = (x: number): number => Math.pow(2, x);
export const exp2_d = (x: number): number => Math.pow(2, x) * Math.LN2;
export const log = Math.log;
export const log_d = (x: number): number => 1 / x;
export const log2 = Math.log2;
export const log2_d = (x: number): number => 1 / (x * Math.LN2);
export const log10 = Math.log10;
export const log10_d = (x: number): number => 1 / (x * Math.LN10);
export const log1p = Math.log1p;
export const log1p_d = (x: number): number => 1 / (1 + x);
export const expm1 = Math.expm1;
export const expm1_d = Math.exp;
export const log1m_d = (x: number): number => -1 / (1 - x);
/** d/dx log(1 − eˣ) = −1/expm1(−x). */
export const log1m_exp_d = (x: number): number => -1 / Math.expm1(-x);
/** d/dx log(1 + eˣ) = inv_logit(x). */
export const log1p_exp_d = inv_logit;
/** ∂/∂a log(eᵃ − eᵇ) = −1/expm1(b − a). */
export const log_diff_exp_d1 = (a: number, b: number): number => -1 / Math.expm1(b - a);
/** ∂/∂b log(eᵃ − eᵇ) = −1/expm1(a − b). */
export const log_diff_exp_d2 = (a: number, b: number): number => -1 / Math.expm1(a - b);
/** ∂/∂a log(eᵃ + eᵇ) = inv_logit(a − b). */
export const log_sum_exp_d1 = (a: number, b: number): number => (a === b ? 0.5 : inv_logit(a - b));
export const log_sum_exp_d2 = (a: number, b: number): number => (a === b ? 0.5 : inv_logit(b - a));
/** a · log b, with 0 · log 0 = 0. */
export const lmultiply = (a: number, b: number): number =>
  a === 0 && b === 0 ? 0 : a * Math.log(b);
export const lmultiply_d1 = (_a: number, b: number): number => Math.log(b);
export const lmultiply_d2 = (a: number, b: number): number => a / b;
export const multiply_log = lmultiply;
export const multiply_log_d1 = lmultiply_d1;
export const multiply_log_d2 = lmultiply_d2;

// ---- powers
export const sqrt = Math.sqrt;
export const sqrt_d = (x: number): number => 0.5 / Math.sqrt(x);
export const cbrt = Math.cbrt;
export const cbrt_d = (x: number): number => 1 / (3 * Math.cbrt(x) * Math.cbrt(x));
export const square = (x: number): number => x * x;
export const square_d = (x: number): number => 2 * x;
export const pow = Math.pow;
/** ∂/∂x xʸ = y·x^{y−1}. */
export const pow_d1 = (x: number, y: number): number => (y === 0 ? 0 : y * Math.pow(x, y - 1));
/** ∂/∂y xʸ = xʸ log x (0 at x = 0). */
export const pow_d2 = (x: number, y: number): number =>
  x === 0 ? 0 : Math.pow(x, y) * Math.log(x);
export const inv = (x: number): number => 1 / x;
export const inv_d = (x: number): number => -1 / (x * x);
export const inv_sqrt = (x: number): number => 1 / Math.sqrt(x);
export const inv_sqrt_d = (x: number): number => -0.5 / (x * Math.sqrt(x));
export const inv_square = (x: number): number => 1 / (x * x);
export const inv_square_d = (x: number): number => -2 / (x * x * x);
export const hypot = Math.hypot;
export const hypot_d1 = (a: number, b: number): number => a / Math.hypot(a, b);
export const hypot_d2 = (a: number, b: number): number => b / Math.hypot(a, b);

// ---- gamma family
export const lgamma_d = digamma;
export const digamma_d = trigamma;
/** d/dx Γ(x) = Γ(x) ψ(x). */
export const tgamma_d = (x: number): number => tgamma(x) * digamma(x);
export const lbeta_d1 = (a: number, b: number): number => digamma(a) - digamma(a + b);
export const lbeta_d2 = (a: number, b: number): number => digamma(b) - digamma(a + b);
export const lchoose_d1 = (n: number, k: number): number => digamma(n + 1) - digamma(n - k + 1);
export const lchoose_d2 = (n: number, k: number): number => digamma(n - k + 1) - digamma(k + 1);

// ---- logistic and normal-cdf family
/** d/dx inv_logit(x) = p(1 − p), formed as e^{−|x|}/(1 + e^{−|x|})² so the tails do not round to 0. */
export const inv_logit_d = (x: number): number => {
  const e = Math.exp(-Math.abs(x));
  return e / ((1 + e) * (1 + e));
};
/** d/dx log inv_logit(x) = 1 − inv_logit(x) = inv_logit(−x). */
export const log_inv_logit_d = (x: number): number => inv_logit(-x);
/** d/dx log(1 − inv_logit(x)) = −inv_logit(x). */
export const log1m_inv_logit_d = (x: number): number => -inv_logit(x);
/** d/dp logit(p) = 1/(p(1 − p)). */
export const logit_d = (p: number): number => 1 / (p * (1 - p));
/** d/dx Φ(x) = φ(x). */
export const Phi_d = (x: number): number => INV_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
/** d/dx Phi_approx(x) = p(1 − p)(3·0.07056 x² + 1.5976). */
export const Phi_approx_d = (x: number): number =>
  inv_logit_d(0.07056 * x * x * x + 1.5976 * x) * (0.21168 * x * x + 1.5976);
/** d/dp Φ⁻¹(p) = 1/φ(Φ⁻¹(p)). */
export const inv_Phi_d = (p: number): number => {
  const x = inv_Phi(p);
  return SQRT_TWO_PI * Math.exp(0.5 * x * x);
};
export const erf_d = (x: number): number => (2 / SQRT_PI) * Math.exp(-x * x);
export const erfc_d = (x: number): number => (-2 / SQRT_PI) * Math.exp(-x * x);

// ---- trigonometric and hyperbolic
export const sin = Math.sin;
export const sin_d = Math.cos;
export const cos = Math.cos;
export const cos_d = (x: number): number => -Math.sin(x);
export const tan = Math.tan;
export const tan_d = (x: number): number => 1 / (Math.cos(x) * Math.cos(x));
export const asin = Math.asin;
export const asin_d = (x: number): number => 1 / Math.sqrt(1 - x * x);
export const acos = Math.acos;
export const acos_d = (x: number): number => -1 / Math.sqrt(1 - x * x);
export const atan = Math.atan;
export const atan_d = (x: number): number => 1 / (1 + x * x);
/** Stan's atan2(y, x). ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²). */
export const atan2 = Math.atan2;
export const atan2_d1 = (y: number, x: number): number => x / (x * x + y * y);
export const atan2_d2 = (y: number, x: number): number => -y / (x * x + y * y);
export const sinh = Math.sinh;
export const sinh_d = Math.cosh;
export const cosh = Math.cosh;
export const cosh_d = Math.sinh;
export const tanh = Math.tanh;
export const tanh_d = (x: number): number => {
  const t = Math.tanh(x);
  return 1 - t * t;
};
export const asinh = Math.asinh;
export const asinh_d = (x: number): number => 1 / Math.sqrt(x * x + 1);
export const acosh = Math.acosh;
export const acosh_d = (x: number): number => 1 / Math.sqrt(x * x - 1);
export const atanh = Math.atanh;
export const atanh_d = (x: number): number => 1 / (1 - x * x);

// ---- piecewise functions (derivatives where they are differentiable; Stan's choice at ties)
export const fabs = Math.abs;
/** d/dx |x| = sign(x), 0 at 0. */
export const fabs_d = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
export const abs = Math.abs;
export const abs_d = fabs_d;
/** fmin ignores a NaN argument, as C's fmin does; at a tie the second argument is returned. */
export const fmin = (a: number, b: number): number =>
  Number.isNaN(a) ? b : Number.isNaN(b) ? a : a < b ? a : b;
export const fmin_d1 = (a: number, b: number): number => (Number.isNaN(b) || a < b ? 1 : 0);
export const fmin_d2 = (a: number, b: number): number => (Number.isNaN(b) || a < b ? 0 : 1);
export const fmax = (a: number, b: number): number =>
  Number.isNaN(a) ? b : Number.isNaN(b) ? a : a > b ? a : b;
export const fmax_d1 = (a: number, b: number): number => (Number.isNaN(b) || a > b ? 1 : 0);
export const fmax_d2 = (a: number, b: number): number => (Number.isNaN(b) || a > b ? 0 : 1);
/** fdim(a, b) = max(a − b, 0). */
export const fdim = (a: number, b: number): number => (a > b ? a - b : 0);
export const fdim_d1 = (a: number, b: number): number => (a > b ? 1 : 0);
export const fdim_d2 = (a: number, b: number): number => (a > b ? -1 : 0);
/** C's fmod: a − trunc(a/b)·b. ∂/∂a = 1, ∂/∂b = −trunc(a/b). */
export const fmod = (a: number, b: number): number => a % b;
export const fmod_d1 = (_a: number, _b: number): number => 1;
export const fmod_d2 = (a: number, b: number): number => -Math.trunc(a / b);
/** Stan's step(x): 0 for x < 0, else 1. */
export const step = (x: number): number => (x < 0 ? 0 : 1);
export const step_d = (_x: number): number => 0;
/** Stan's int_step(x): 1 for x > 0, else 0. */
export const int_step = (x: number): number => (x > 0 ? 1 : 0);
export const int_step_d = (_x: number): number => 0;
export const floor = Math.floor;
export const floor_d = (_x: number): number => 0;
export const ceil = Math.ceil;
export const ceil_d = (_x: number): number => 0;
export const round = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));
export const round_d = (_x: number): number => 0;
export const trunc = Math.trunc;
export const trunc_d = (_x: number): number => 0;

export interface ScalarRule {
  readonly arity: 1 | 2;
  readonly f: (a: number, b: number) => number;
  /** One derivative helper per argument, and its exported name. */
  readonly partials: readonly {
    readonly name: string;
    readonly fn: (a: number, b: number) => number;
  }[];
}

function unary(f: (x: number) => number, name: string, d: (x: number) => number): ScalarRule {
  return { arity: 1, f: (a) => f(a), partials: [{ name, fn: (a) => d(a) }] };
}
function binary(
  f: (a: number, b: number) => number,
  n1: string,
  d1: (a: number, b: number) => number,
  n2: string,
  d2: (a: number, b: number) => number,
): ScalarRule {
  return {
    arity: 2,
    f,
    partials: [
      { name: n1, fn: d1 },
      { name: n2, fn: d2 },
    ],
  };
}

/** Every differentiable scalar function by Stan name, with the names of its derivative helpers. */
export const SCALAR_RULES: Readonly<Record<string, ScalarRule>> = {
  exp: unary(exp, "exp_d", exp_d),
  exp2: unary(exp2, "exp2_d", exp2_d),
  log: unary(log, "log_d", log_d),
  log2: unary(log2, "log2_d", log2_d),
  log10: unary(log10, "log10_d", log10_d),
  log1p: unary(log1p, "log1p_d", log1p_d),
  expm1: unary(expm1, "expm1_d", expm1_d),
  log1m: unary(log1m, "log1m_d", log1m_d),
  log1m_exp: unary(log1m_exp, "log1m_exp_d", log1m_exp_d),
  log1p_exp: unary(log1p_exp, "log1p_exp_d", log1p_exp_d),
  log_diff_exp: binary(
    log_diff_exp,
    "log_diff_exp_d1",
    log_diff_exp_d1,
    "log_diff_exp_d2",
    log_diff_exp_d2,
  ),
  log_sum_exp: binary(
    log_sum_exp2,
    "log_sum_exp_d1",
    log_sum_exp_d1,
    "log_sum_exp_d2",
    log_sum_exp_d2,
  ),
  lmultiply: binary(lmultiply, "lmultiply_d1", lmultiply_d1, "lmultiply_d2", lmultiply_d2),
  multiply_log: binary(
    multiply_log,
    "multiply_log_d1",
    multiply_log_d1,
    "multiply_log_d2",
    multiply_log_d2,
  ),
  sqrt: unary(sqrt, "sqrt_d", sqrt_d),
  cbrt: unary(cbrt, "cbrt_d", cbrt_d),
  square: unary(square, "square_d", square_d),
  pow: binary(pow, "pow_d1", pow_d1, "pow_d2", pow_d2),
  inv: unary(inv, "inv_d", inv_d),
  inv_sqrt: unary(inv_sqrt, "inv_sqrt_d", inv_sqrt_d),
  inv_square: unary(inv_square, "inv_square_d", inv_square_d),
  hypot: binary(hypot, "hypot_d1", hypot_d1, "hypot_d2", hypot_d2),
  lgamma: unary(lgamma, "lgamma_d", lgamma_d),
  digamma: unary(digamma, "digamma_d", digamma_d),
  tgamma: unary(tgamma, "tgamma_d", tgamma_d),
  lbeta: binary(lbeta, "lbeta_d1", lbeta_d1, "lbeta_d2", lbeta_d2),
  lchoose: binary(lchoose, "lchoose_d1", lchoose_d1, "lchoose_d2", lchoose_d2),
  inv_logit: unary(inv_logit, "inv_logit_d", inv_logit_d),
  log_inv_logit: unary(log_inv_logit, "log_inv_logit_d", log_inv_logit_d),
  log1m_inv_logit: unary(log1m_inv_logit, "log1m_inv_logit_d", log1m_inv_logit_d),
  logit: unary(logit, "logit_d", logit_d),
  Phi: unary(Phi, "Phi_d", Phi_d),
  Phi_approx: unary(Phi_approx, "Phi_approx_d", Phi_approx_d),
  inv_Phi: unary(inv_Phi, "inv_Phi_d", inv_Phi_d),
  erf: unary(erf, "erf_d", erf_d),
  erfc: unary(erfc, "erfc_d", erfc_d),
  sin: unary(sin, "sin_d", sin_d),
  cos: unary(cos, "cos_d", cos_d),
  tan: unary(tan, "tan_d", tan_d),
  asin: unary(asin, "asin_d", asin_d),
  acos: unary(acos, "acos_d", acos_d),
  atan: unary(atan, "atan_d", atan_d),
  atan2: binary(atan2, "atan2_d1", atan2_d1, "atan2_d2", atan2_d2),
  sinh: unary(sinh, "sinh_d", sinh_d),
  cosh: unary(cosh, "cosh_d", cosh_d),
  tanh: unary(tanh, "tanh_d", tanh_d),
  asinh: unary(asinh, "asinh_d", asinh_d),
  acosh: unary(acosh, "acosh_d", acosh_d),
  atanh: unary(atanh, "atanh_d", atanh_d),
  fabs: unary(fabs, "fabs_d", fabs_d),
  abs: unary(abs, "abs_d", abs_d),
  fmin: binary(fmin, "fmin_d1", fmin_d1, "fmin_d2", fmin_d2),
  fmax: binary(fmax, "fmax_d1", fmax_d1, "fmax_d2", fmax_d2),
  fdim: binary(fdim, "fdim_d1", fdim_d1, "fdim_d2", fdim_d2),
  fmod: binary(fmod, "fmod_d1", fmod_d1, "fmod_d2", fmod_d2),
  step: unary(step, "step_d", step_d),
  int_step: unary(int_step, "int_step_d", int_step_d),
  floor: unary(floor, "floor_d", floor_d),
  ceil: unary(ceil, "ceil_d", ceil_d),
  round: unary(round, "round_d", round_d),
  trunc: unary(trunc, "trunc_d", trunc_d),
};
