/**
 * Which functions the generated code calls are *pure*: the result depends only on the arguments'
 * values, the call changes nothing, and it never throws (a domain error gives NaN or ±∞, as
 * Stan's scalar functions do outside their checks). The sweep-IR optimisations
 * (src/ir/hoistInvariantCalls.ts, src/ir/sharePureCalls.ts) may evaluate such a call once for many
 * identical calls, or earlier than written — before a loop whose body may not run, or outside the
 * branch it was written in — and get the same bits.
 *
 * V8 knows this of `Math.exp`; of our own deterministic functions (src/runtime/math/elementary)
 * and the runtime's helpers it cannot, so the table says it. A function is listed only when its
 * runtime source has no `throw` on any path and writes no memory a caller can see (the
 * elementary cores' remembered last results are invisible: the same bits either way);
 * test/primitives/purity.test.ts checks that each exists in the runtime and returns a number for
 * edge arguments without throwing. Calls not listed (kernels, `_vp` partial kernels that write
 * buffers, generators, the support helpers ending in `__`, methods) are never moved or merged.
 */

/** The deterministic elementary functions (src/runtime/math/elementary). */
const ELEMENTARY = [
  "exp", "expm1", "log", "log1p", "log1pExp", "log2", "log10", "pow", "cbrt", "hypot",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
] as const;

/** `Math` functions that are exact on every engine (the rules call them directly). */
const EXACT_MATH = ["Math.abs", "Math.sqrt", "Math.floor", "Math.ceil", "Math.trunc", "Math.min", "Math.max", "Math.sign"] as const;

/** Scalar helpers of src/runtime/math (special.ts, scalar.ts) that scalar rules call. */
const RUNTIME_HELPERS = [
  "square", "lmultiply", "inv_logit", "log_inv_logit", "log1m_inv_logit", "logit", "log1p_exp", "log1m", "log1m_exp",
  "log_diff_exp", "log_sum_exp2", "inv_cloglog", "lgamma", "tgamma", "digamma", "trigamma", "lbeta",
  "erf", "erfc", "log_erfc", "Phi", "log_Phi", "Phi_approx", "inv_Phi",
] as const;

export const PURE_FUNCTIONS: ReadonlySet<string> = new Set<string>([...ELEMENTARY, ...EXACT_MATH, ...RUNTIME_HELPERS]);

/** The runtime (non-`Math`) functions of the table, for the test that they exist and never throw. */
export const PURE_RUNTIME_FUNCTIONS: readonly string[] = [...ELEMENTARY, ...RUNTIME_HELPERS];

/** Whether a sweep-IR call of `fn` is pure (see above). */
export function isPureFunction(fn: string): boolean {
  return PURE_FUNCTIONS.has(fn);
}
