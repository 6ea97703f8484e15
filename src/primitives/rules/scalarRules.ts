/**
 * Gradient rules for scalar functions of scalars, keyed by Stan name (JAX-style: one entry per
 * primitive, one partial per argument). Generated code inlines both the value and the partials;
 * each partial is also stated in plain math for the comment next to the adjoint statement.
 * Applied to containers, these functions are elementwise (the lowering loops over elements).
 */

export interface ScalarRule {
  readonly name: string;
  readonly arity: number;
  /** JS for the value, from JS for the arguments. */
  readonly value: (a: readonly string[]) => string;
  /** JS for ∂value/∂argument i; `out` is JS for the value itself (for exp-like rules). Absent: integer-valued / piecewise constant. */
  readonly partials?: (a: readonly string[], out: string) => readonly string[];
  /** Plain-math statement of each partial, for comments. */
  readonly math?: readonly string[];
  /** Runtime math functions the generated code must import. */
  readonly imports?: readonly string[];
  /** Integer result when every argument is an integer (abs, min, max, …). */
  readonly intWhenIntArgs?: boolean;
  /** Integer result always (int_step, …). */
  readonly alwaysInt?: boolean;
  /** Only accepts integer arguments (choose). */
  readonly intArgsOnly?: boolean;
}

const rules: ScalarRule[] = [];
function def(rule: ScalarRule): void {
  rules.push(rule);
}

/** Arguments arrive parenthesised unless atomic; a function-call template does not need that. */
function unwrap(s: string): string {
  if (!s.startsWith("(") || !s.endsWith(")")) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0 && i < s.length - 1) return s;
  }
  return s.slice(1, -1);
}
const M = (f: string) => (a: readonly string[]) => `Math.${f}(${a.map(unwrap).join(", ")})`;
const call = (f: string) => (a: readonly string[]) => `${f}(${a.map(unwrap).join(", ")})`;

def({ name: "exp", arity: 1, value: M("exp"), partials: (_a, out) => [out], math: ["∂/∂x exp(x) = exp(x)"] });
def({ name: "log", arity: 1, value: M("log"), partials: (a) => [`1 / ${a[0]}`], math: ["∂/∂x log(x) = 1 / x"] });
def({ name: "sqrt", arity: 1, value: M("sqrt"), partials: (_a, out) => [`0.5 / ${out}`], math: ["∂/∂x sqrt(x) = 1 / (2 sqrt(x))"] });
def({
  name: "square",
  arity: 1,
  // x * x for a name; a call otherwise, so the argument is computed once
  value: (a) => (/^[\w$.]+(\[[^\]]*\])?$/.test(a[0]) ? `${a[0]} * ${a[0]}` : `square(${unwrap(a[0])})`),
  partials: (a) => [`2 * ${a[0]}`],
  math: ["∂/∂x x² = 2x"],
  imports: ["square"],
});
def({ name: "inv", arity: 1, value: (a) => `1 / ${a[0]}`, partials: (a) => [`-1 / (${a[0]} * ${a[0]})`], math: ["∂/∂x 1/x = −1/x²"] });
def({ name: "inv_sqrt", arity: 1, value: (a) => `1 / Math.sqrt(${a[0]})`, partials: (a, out) => [`-0.5 * ${out} / ${a[0]}`], math: ["∂/∂x x^(−1/2) = −x^(−3/2)/2"] });
def({ name: "inv_square", arity: 1, value: (a) => `1 / (${a[0]} * ${a[0]})`, partials: (a, out) => [`-2 * ${out} / ${a[0]}`], math: ["∂/∂x x^(−2) = −2x^(−3)"] });
def({ name: "expm1", arity: 1, value: M("expm1"), partials: (a) => [`Math.exp(${a[0]})`], math: ["∂/∂x (exp(x) − 1) = exp(x)"] });
def({ name: "log1p", arity: 1, value: M("log1p"), partials: (a) => [`1 / (1 + ${a[0]})`], math: ["∂/∂x log(1 + x) = 1 / (1 + x)"] });
def({ name: "log2", arity: 1, value: M("log2"), partials: (a) => [`1 / (${a[0]} * Math.LN2)`], math: ["∂/∂x log₂(x) = 1 / (x log 2)"] });
def({ name: "log10", arity: 1, value: M("log10"), partials: (a) => [`1 / (${a[0]} * Math.LN10)`], math: ["∂/∂x log₁₀(x) = 1 / (x log 10)"] });
def({ name: "exp2", arity: 1, value: (a) => `Math.pow(2, ${a[0]})`, partials: (_a, out) => [`${out} * Math.LN2`], math: ["∂/∂x 2^x = 2^x log 2"] });
def({ name: "cbrt", arity: 1, value: M("cbrt"), partials: (_a, out) => [`1 / (3 * ${out} * ${out})`], math: ["∂/∂x x^(1/3) = 1 / (3 x^(2/3))"] });
def({ name: "sin", arity: 1, value: M("sin"), partials: (a) => [`Math.cos(${a[0]})`], math: ["∂/∂x sin(x) = cos(x)"] });
def({ name: "cos", arity: 1, value: M("cos"), partials: (a) => [`-Math.sin(${a[0]})`], math: ["∂/∂x cos(x) = −sin(x)"] });
def({ name: "tan", arity: 1, value: M("tan"), partials: (_a, out) => [`1 + ${out} * ${out}`], math: ["∂/∂x tan(x) = 1 + tan²(x)"] });
def({ name: "asin", arity: 1, value: M("asin"), partials: (a) => [`1 / Math.sqrt(1 - ${a[0]} * ${a[0]})`], math: ["∂/∂x asin(x) = 1 / sqrt(1 − x²)"] });
def({ name: "acos", arity: 1, value: M("acos"), partials: (a) => [`-1 / Math.sqrt(1 - ${a[0]} * ${a[0]})`], math: ["∂/∂x acos(x) = −1 / sqrt(1 − x²)"] });
def({ name: "atan", arity: 1, value: M("atan"), partials: (a) => [`1 / (1 + ${a[0]} * ${a[0]})`], math: ["∂/∂x atan(x) = 1 / (1 + x²)"] });
def({ name: "sinh", arity: 1, value: M("sinh"), partials: (a) => [`Math.cosh(${a[0]})`], math: ["∂/∂x sinh(x) = cosh(x)"] });
def({ name: "cosh", arity: 1, value: M("cosh"), partials: (a) => [`Math.sinh(${a[0]})`], math: ["∂/∂x cosh(x) = sinh(x)"] });
def({ name: "tanh", arity: 1, value: M("tanh"), partials: (_a, out) => [`1 - ${out} * ${out}`], math: ["∂/∂x tanh(x) = 1 − tanh²(x)"] });
def({ name: "asinh", arity: 1, value: M("asinh"), partials: (a) => [`1 / Math.sqrt(${a[0]} * ${a[0]} + 1)`], math: ["∂/∂x asinh(x) = 1 / sqrt(x² + 1)"] });
def({ name: "acosh", arity: 1, value: M("acosh"), partials: (a) => [`1 / Math.sqrt(${a[0]} * ${a[0]} - 1)`], math: ["∂/∂x acosh(x) = 1 / sqrt(x² − 1)"] });
def({ name: "atanh", arity: 1, value: M("atanh"), partials: (a) => [`1 / (1 - ${a[0]} * ${a[0]})`], math: ["∂/∂x atanh(x) = 1 / (1 − x²)"] });
def({
  name: "atan2",
  arity: 2,
  value: M("atan2"),
  partials: (a) => [`${a[1]} / (${a[0]} * ${a[0]} + ${a[1]} * ${a[1]})`, `-${a[0]} / (${a[0]} * ${a[0]} + ${a[1]} * ${a[1]})`],
  math: ["∂/∂y atan2(y, x) = x / (x² + y²)", "∂/∂x atan2(y, x) = −y / (x² + y²)"],
});
def({ name: "fabs", arity: 1, value: M("abs"), partials: (a) => [`Math.sign(${a[0]})`], math: ["∂/∂x |x| = sign(x)"] });
def({ name: "abs", arity: 1, value: M("abs"), partials: (a) => [`Math.sign(${a[0]})`], math: ["∂/∂x |x| = sign(x)"], intWhenIntArgs: true });
def({
  name: "pow",
  arity: 2,
  value: M("pow"),
  partials: (a, out) => [`${a[1]} * Math.pow(${a[0]}, ${a[1]} - 1)`, `${out} * Math.log(${a[0]})`],
  math: ["∂/∂x x^y = y x^(y−1)", "∂/∂y x^y = x^y log x"],
});
def({
  name: "fmin",
  arity: 2,
  value: M("min"),
  partials: (a) => [`(${a[0]} <= ${a[1]} ? 1 : 0)`, `(${a[0]} <= ${a[1]} ? 0 : 1)`],
  math: ["∂/∂x min(x, y) = [x ≤ y]", "∂/∂y min(x, y) = [x > y]"],
});
def({
  name: "fmax",
  arity: 2,
  value: M("max"),
  partials: (a) => [`(${a[0]} >= ${a[1]} ? 1 : 0)`, `(${a[0]} >= ${a[1]} ? 0 : 1)`],
  math: ["∂/∂x max(x, y) = [x ≥ y]", "∂/∂y max(x, y) = [x < y]"],
});
def({
  name: "fdim",
  arity: 2,
  value: (a) => `Math.max(${a[0]} - ${a[1]}, 0)`,
  partials: (a) => [`(${a[0]} > ${a[1]} ? 1 : 0)`, `(${a[0]} > ${a[1]} ? -1 : 0)`],
  math: ["∂/∂x max(x − y, 0) = [x > y]", "∂/∂y max(x − y, 0) = −[x > y]"],
});
def({
  name: "hypot",
  arity: 2,
  value: M("hypot"),
  partials: (a, out) => [`${a[0]} / ${out}`, `${a[1]} / ${out}`],
  math: ["∂/∂x hypot(x, y) = x / hypot", "∂/∂y hypot(x, y) = y / hypot"],
});
def({
  name: "fma",
  arity: 3,
  value: (a) => `${a[0]} * ${a[1]} + ${a[2]}`,
  partials: (a) => [a[1], a[0], "1"],
  math: ["∂/∂x (xy + z) = y", "∂/∂y (xy + z) = x", "∂/∂z (xy + z) = 1"],
});
def({
  name: "lgamma",
  arity: 1,
  value: call("lgamma"),
  partials: (a) => [`digamma(${a[0]})`],
  math: ["∂/∂x lgamma(x) = digamma(x)"],
  imports: ["lgamma", "digamma"],
});
def({
  name: "tgamma",
  arity: 1,
  value: call("tgamma"),
  partials: (a, out) => [`${out} * digamma(${a[0]})`],
  math: ["∂/∂x Γ(x) = Γ(x) digamma(x)"],
  imports: ["tgamma", "digamma"],
});
def({ name: "digamma", arity: 1, value: call("digamma"), partials: (a) => [`trigamma(${a[0]})`], math: ["∂/∂x digamma(x) = trigamma(x)"], imports: ["digamma", "trigamma"] });
def({
  name: "lbeta",
  arity: 2,
  value: call("lbeta"),
  partials: (a) => [`digamma(${a[0]}) - digamma(${a[0]} + ${a[1]})`, `digamma(${a[1]}) - digamma(${a[0]} + ${a[1]})`],
  math: ["∂/∂a lbeta(a, b) = ψ(a) − ψ(a + b)", "∂/∂b lbeta(a, b) = ψ(b) − ψ(a + b)"],
  imports: ["lbeta", "digamma"],
});
def({
  name: "lchoose",
  arity: 2,
  value: call("lchoose"),
  partials: (a) => [`digamma(${a[0]} + 1) - digamma(${a[0]} - ${a[1]} + 1)`, `digamma(${a[0]} - ${a[1]} + 1) - digamma(${a[1]} + 1)`],
  math: ["∂/∂n lchoose(n, k) = ψ(n + 1) − ψ(n − k + 1)", "∂/∂k lchoose(n, k) = ψ(n − k + 1) − ψ(k + 1)"],
  imports: ["lchoose", "digamma"],
});
def({ name: "choose", arity: 2, value: call("choose"), imports: ["choose"], alwaysInt: true, intArgsOnly: true });
def({
  name: "erf",
  arity: 1,
  value: call("erf"),
  partials: (a) => [`1.1283791670955126 * Math.exp(-${a[0]} * ${a[0]})`],
  math: ["∂/∂x erf(x) = 2/√π exp(−x²)"],
  imports: ["erf"],
});
def({
  name: "erfc",
  arity: 1,
  value: call("erfc"),
  partials: (a) => [`-1.1283791670955126 * Math.exp(-${a[0]} * ${a[0]})`],
  math: ["∂/∂x erfc(x) = −2/√π exp(−x²)"],
  imports: ["erfc"],
});
def({
  name: "Phi",
  arity: 1,
  value: call("Phi"),
  partials: (a) => [`0.3989422804014327 * Math.exp(-0.5 * ${a[0]} * ${a[0]})`],
  math: ["∂/∂x Φ(x) = φ(x)"],
  imports: ["Phi"],
});
def({
  name: "Phi_approx",
  arity: 1,
  value: call("Phi_approx"),
  partials: (a, out) => [`${out} * (1 - ${out}) * (1.5976 + 0.21168 * ${a[0]} * ${a[0]})`],
  math: ["∂/∂x inv_logit(0.07056x³ + 1.5976x) = p(1 − p)(0.21168x² + 1.5976)"],
  imports: ["Phi_approx"],
});
def({
  name: "inv_Phi",
  arity: 1,
  value: call("inv_Phi"),
  partials: (_a, out) => [`2.5066282746310002 * Math.exp(0.5 * ${out} * ${out})`],
  math: ["∂/∂p Φ⁻¹(p) = 1 / φ(Φ⁻¹(p))"],
  imports: ["inv_Phi"],
});
def({
  name: "log_Phi",
  arity: 1,
  value: call("log_Phi"),
  partials: (a, out) => [`0.3989422804014327 * Math.exp(-0.5 * ${a[0]} * ${a[0]} - ${out})`],
  math: ["∂/∂x log Φ(x) = φ(x) / Φ(x)"],
  imports: ["log_Phi"],
});
def({
  name: "inv_logit",
  arity: 1,
  value: call("inv_logit"),
  partials: (_a, out) => [`${out} * (1 - ${out})`],
  math: ["∂/∂x logit⁻¹(x) = p(1 − p)"],
  imports: ["inv_logit"],
});
def({ name: "logit", arity: 1, value: call("logit"), partials: (a) => [`1 / (${a[0]} * (1 - ${a[0]}))`], math: ["∂/∂p logit(p) = 1 / (p(1 − p))"], imports: ["logit"] });
def({
  name: "log_inv_logit",
  arity: 1,
  value: call("log_inv_logit"),
  partials: (a) => [`1 - inv_logit(${a[0]})`],
  math: ["∂/∂x log logit⁻¹(x) = 1 − logit⁻¹(x)"],
  imports: ["log_inv_logit", "inv_logit"],
});
def({
  name: "log1m_inv_logit",
  arity: 1,
  value: call("log1m_inv_logit"),
  partials: (a) => [`-inv_logit(${a[0]})`],
  math: ["∂/∂x log(1 − logit⁻¹(x)) = −logit⁻¹(x)"],
  imports: ["log1m_inv_logit", "inv_logit"],
});
def({ name: "log1m", arity: 1, value: call("log1m"), partials: (a) => [`-1 / (1 - ${a[0]})`], math: ["∂/∂x log(1 − x) = −1 / (1 − x)"], imports: ["log1m"] });
def({
  name: "log1p_exp",
  arity: 1,
  value: call("log1p_exp"),
  partials: (a) => [`inv_logit(${a[0]})`],
  math: ["∂/∂x log(1 + exp(x)) = logit⁻¹(x)"],
  imports: ["log1p_exp", "inv_logit"],
});
def({
  name: "log1m_exp",
  arity: 1,
  value: call("log1m_exp"),
  partials: (a) => [`-1 / Math.expm1(-${a[0]})`],
  math: ["∂/∂x log(1 − exp(x)) = −1 / (exp(−x) − 1)"],
  imports: ["log1m_exp"],
});
def({
  name: "log_diff_exp",
  arity: 2,
  value: call("log_diff_exp"),
  partials: (a, out) => [`Math.exp(${a[0]} - ${out})`, `-Math.exp(${a[1]} - ${out})`],
  math: ["∂/∂x log(eˣ − eʸ) = eˣ / (eˣ − eʸ)", "∂/∂y log(eˣ − eʸ) = −eʸ / (eˣ − eʸ)"],
  imports: ["log_diff_exp"],
});
def({
  name: "log_sum_exp",
  arity: 2,
  value: call("log_sum_exp2"),
  partials: (a, out) => [`Math.exp(${a[0]} - ${out})`, `Math.exp(${a[1]} - ${out})`],
  math: ["∂/∂x log(eˣ + eʸ) = eˣ / (eˣ + eʸ)", "∂/∂y log(eˣ + eʸ) = eʸ / (eˣ + eʸ)"],
  imports: ["log_sum_exp2"],
});
def({
  name: "log_mix",
  arity: 3,
  value: (a) => `log_sum_exp2(Math.log(${a[0]}) + ${a[1]}, Math.log1p(-${a[0]}) + ${a[2]})`,
  partials: (a, out) => [
    `Math.exp(${a[1]} - ${out}) - Math.exp(${a[2]} - ${out})`,
    `${a[0]} * Math.exp(${a[1]} - ${out})`,
    `(1 - ${a[0]}) * Math.exp(${a[2]} - ${out})`,
  ],
  math: [
    "∂/∂θ log(θ e^a + (1 − θ) e^b) = (e^a − e^b) / mix",
    "∂/∂a log_mix = θ e^a / mix",
    "∂/∂b log_mix = (1 − θ) e^b / mix",
  ],
  imports: ["log_sum_exp2"],
});
def({
  name: "binary_log_loss",
  arity: 2,
  value: (a) => `(${a[0]} ? -Math.log(${a[1]}) : -Math.log1p(-${a[1]}))`,
  partials: (a) => ["0", `(${a[0]} ? -1 / ${a[1]} : 1 / (1 - ${a[1]}))`],
  math: ["(integer argument)", "∂/∂p = −1/p if y else 1/(1 − p)"],
});
def({ name: "floor", arity: 1, value: M("floor"), partials: () => ["0"], math: ["∂/∂x floor(x) = 0"] });
def({ name: "ceil", arity: 1, value: M("ceil"), partials: () => ["0"], math: ["∂/∂x ceil(x) = 0"] });
def({ name: "round", arity: 1, value: M("round"), partials: () => ["0"], math: ["∂/∂x round(x) = 0"] });
def({ name: "trunc", arity: 1, value: M("trunc"), partials: () => ["0"], math: ["∂/∂x trunc(x) = 0"] });
def({ name: "step", arity: 1, value: (a) => `(${a[0]} < 0 ? 0 : 1)`, partials: () => ["0"], math: ["∂/∂x step(x) = 0"] });
def({ name: "int_step", arity: 1, value: (a) => `(${a[0]} > 0 ? 1 : 0)`, alwaysInt: true });
def({ name: "is_inf", arity: 1, value: (a) => `(Math.abs(${a[0]}) === Infinity ? 1 : 0)`, alwaysInt: true });
def({ name: "is_nan", arity: 1, value: (a) => `(Number.isNaN(${a[0]}) ? 1 : 0)`, alwaysInt: true });
def({
  name: "logical_negation",
  arity: 1,
  value: (a) => `(${a[0]} ? 0 : 1)`,
  alwaysInt: true,
});

export const SCALAR_RULES: ReadonlyMap<string, ScalarRule> = new Map(rules.map((r) => [r.name, r]));

/** Stan's scalar constants (`pi()`, `e()`, …) as JS expressions. */
export const CONSTANTS: ReadonlyMap<string, string> = new Map([
  ["pi", "Math.PI"],
  ["e", "Math.E"],
  ["sqrt2", "Math.SQRT2"],
  ["log2", "Math.LN2"],
  ["log10", "Math.LN10"],
  ["not_a_number", "NaN"],
  ["positive_infinity", "Infinity"],
  ["negative_infinity", "-Infinity"],
  ["machine_precision", "Number.EPSILON"],
]);
