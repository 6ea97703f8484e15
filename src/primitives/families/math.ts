/**
 * Scalar math, vectorised elementwise over containers, plus Stan's named constants. Each scalar
 * rule gives the value and one partial per argument as formulas (`b` builds the expression), with
 * each partial also stated in plain math for the comment next to the adjoint statement.
 */
import type { ExprBuilder, FunctionSignature, Formula, PartialsFormula, Primitive, ScalarRule } from "../primitive";
import * as containerExpansions from "../expansions/containers";
import { binaryVectorized, intRealVectorized, sig, unaryVectorized } from "./helpers";
import { withTestDomains } from "./helpers";

const EXTREMES = [
  sig("int", "array[] int"),
  ...["vector", "row_vector", "matrix", "array[] real"].map((t) => sig("real", t)),
];

/** A rule whose value is the JavaScript function `js`. */
export function jsRule(arity: number, js: string, partials?: PartialsFormula, math?: readonly string[], extra: Partial<ScalarRule> = {}): ScalarRule {
  return { arity, value: { js }, partials, math, ...extra };
}
/** A rule whose value is a formula over other primitives. */
export function formulaRule(arity: number, formula: Formula, partials?: PartialsFormula, math?: readonly string[], extra: Partial<ScalarRule> = {}): ScalarRule {
  return { arity, value: { formula }, partials, math, ...extra };
}

const unary = (name: string, scalar: ScalarRule): Primitive => ({ name, family: "math", signatures: unaryVectorized(), scalar });
const binary = (name: string, scalar: ScalarRule): Primitive => ({ name, family: "math", signatures: binaryVectorized(), scalar });
const constant = (name: string, js: string): Primitive => ({ name, family: "constants", signatures: [sig("real")], constant: js });
/**
 * `falling_factorial(x, n)`-style functions with an int second argument: scalars, and containers
 * of reals paired with an int or a same-shaped int array.
 */
function realIntVectorized(): FunctionSignature[] {
  const out: FunctionSignature[] = [sig("real", "real", "int")];
  for (const dims of ["", ",", ",,"]) {
    const ints = `array[${dims}] int`;
    const reals = `array[${dims}] real`;
    out.push(sig(reals, reals, "int"), sig(reals, "real", ints), sig(reals, reals, ints));
  }
  for (const t of ["vector", "row_vector", "matrix"]) out.push(sig(t, t, "int"));
  return out;
}
/** Integer-order Bessel functions: an entry whose first argument (the order) is an int. */
const intOrder = (name: string, scalar: ScalarRule, testDomain: Primitive["testDomain"]): Primitive => ({
  name,
  family: "math",
  signatures: intRealVectorized(),
  scalar,
  testDomain,
});
// P(a, x), Q(a, x) and I_x(a, b)
const gammaPRule = (js: string) =>
  jsRule(2, js, (b, [a, x]) => [b.call("gamma_p_da__", a, x), b.call("gamma_p_dx__", a, x)], ["∂/∂a P(a, x) (series / continued fraction)", "∂/∂x P(a, x) = x^(a−1) e^(−x) / Γ(a)"]);
const gammaQRule = (js: string) =>
  jsRule(2, js, (b, [a, x]) => [b.neg(b.call("gamma_p_da__", a, x)), b.neg(b.call("gamma_p_dx__", a, x))], ["∂/∂a Q(a, x) = −∂/∂a P(a, x)", "∂/∂x Q(a, x) = −x^(a−1) e^(−x) / Γ(a)"]);
const incBetaRule = (js: string) =>
  jsRule(
    3,
    js,
    (b, [a, bb, x]) => [b.call("inc_beta_dda__", a, bb, x), b.call("inc_beta_ddb__", a, bb, x), b.call("inc_beta_ddz__", a, bb, x)],
    ["∂/∂a I_x(a, b) (continued fraction)", "∂/∂b I_x(a, b) (continued fraction)", "∂/∂x I_x(a, b) = x^(a−1) (1 − x)^(b−1) / B(a, b)"],
  );
const GAMMA_PQ_DOMAIN = [
  [0.5, 5],
  [0.2, 6],
] as const;
const INC_BETA_DOMAIN = [
  [0.5, 4],
  [0.5, 4],
  [0.1, 0.9],
] as const;

const rounding = (js: string, what: string) => jsRule(1, js, (b) => [b.num(0)], [`∂/∂x ${what}(x) = 0`]);

const SQRT_2_OVER_PI = 1.1283791670955126; // 2/√π
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/*
 * The logistic functions as formulas over one e = exp(−|x|) (and log1p(e)), with the operations of
 * the runtime's inv_logit, log_inv_logit and log1m_inv_logit (src/runtime/math/special.ts) — the
 * same bits: −|x| is x or −x exactly, and log1pExp(y) is log1p(exp(y)) bit for bit (its doc). As
 * formulas their exp and log1p are calls the sweep-IR pass share-pure-calls sees: a value and its
 * partial (log_inv_logit(x) and 1 − logit⁻¹(x)), both arms of bernoulli_logit's term and a
 * bounded parameter's transform and Jacobian then share one exp and one log1p, where the runtime
 * helpers took a log1pExp and an exp each (issue 16: the deterministic functions are calls V8
 * cannot merge).
 */
const expMinusAbs = <T>(b: ExprBuilder<T>, x: T): T => b.call("exp", b.neg(b.call("fabs", x)));

/** logit⁻¹(x) = e / (1 + e) for x < 0, else 1 / (1 + e), e = exp(−|x|). */
function invLogitFormula<T>(b: ExprBuilder<T>, [x]: readonly T[]): T {
  const e = expMinusAbs(b, x);
  return b.ifElse(b.cmp("<", x, b.num(0)), b.div(e, b.add(b.num(1), e)), b.div(b.num(1), b.add(b.num(1), e)));
}

/** log logit⁻¹(x) = x − log1p(e) for x < 0, else −log1p(e). */
function logInvLogitFormula<T>(b: ExprBuilder<T>, [x]: readonly T[]): T {
  const softplus = b.call("log1p", expMinusAbs(b, x));
  return b.ifElse(b.cmp("<", x, b.num(0)), b.sub(x, softplus), b.neg(softplus));
}

/** log(1 − logit⁻¹(x)) = log logit⁻¹(−x): −x − log1p(e) for x > 0, else −log1p(e). */
function log1mInvLogitFormula<T>(b: ExprBuilder<T>, [x]: readonly T[]): T {
  const softplus = b.call("log1p", expMinusAbs(b, x));
  return b.ifElse(b.cmp(">", x, b.num(0)), b.sub(b.neg(x), softplus), b.neg(softplus));
}

const mathFamilyEntries: Primitive[] = [
  unary("exp", jsRule(1, "exp", (_b, _a, out) => [out], ["∂/∂x exp(x) = exp(x)"])),
  unary("exp2", formulaRule(1, (b, [x]) => b.call("pow", b.num(2), x), (b, _a, out) => [b.mul(out, b.call("log2"))], ["∂/∂x 2^x = 2^x log 2"])),
  unary("expm1", jsRule(1, "expm1", (b, [x]) => [b.call("exp", x)], ["∂/∂x (exp(x) − 1) = exp(x)"])),
  unary("log", jsRule(1, "log", (b, [x]) => [b.div(b.num(1), x)], ["∂/∂x log(x) = 1 / x"])),
  unary("log1p", jsRule(1, "log1p", (b, [x]) => [b.div(b.num(1), b.add(b.num(1), x))], ["∂/∂x log(1 + x) = 1 / (1 + x)"])),
  unary("log1m", jsRule(1, "log1m", (b, [x]) => [b.div(b.num(-1), b.sub(b.num(1), x))], ["∂/∂x log(1 − x) = −1 / (1 − x)"])),
  unary("log1p_exp", jsRule(1, "log1p_exp", (b, [x]) => [b.call("inv_logit", x)], ["∂/∂x log(1 + exp(x)) = logit⁻¹(x)"])),
  unary("log1m_exp", jsRule(1, "log1m_exp", (b, [x]) => [b.div(b.num(-1), b.call("expm1", b.neg(x)))], ["∂/∂x log(1 − exp(x)) = −1 / (exp(−x) − 1)"])),
  unary("inv_logit", formulaRule(1, invLogitFormula, (b, _a, out) => [b.mul(out, b.sub(b.num(1), out))], ["∂/∂x logit⁻¹(x) = p(1 − p)"])),
  unary("logit", jsRule(1, "logit", (b, [x]) => [b.div(b.num(1), b.mul(x, b.sub(b.num(1), x)))], ["∂/∂p logit(p) = 1 / (p(1 − p))"])),
  unary("log_inv_logit", formulaRule(1, logInvLogitFormula, (b, [x]) => [b.sub(b.num(1), b.call("inv_logit", x))], ["∂/∂x log logit⁻¹(x) = 1 − logit⁻¹(x)"])),
  unary("log1m_inv_logit", formulaRule(1, log1mInvLogitFormula, (b, [x]) => [b.neg(b.call("inv_logit", x))], ["∂/∂x log(1 − logit⁻¹(x)) = −logit⁻¹(x)"])),
  { ...unary("inv_cloglog", jsRule(1, "inv_cloglog", (b, [x]) => [b.call("exp", b.sub(x, b.call("exp", x)))], ["∂/∂x (1 − exp(−eˣ)) = exp(x − eˣ)"])), testDomain: [[-3, 1.5]] },
  unary("Phi", jsRule(1, "Phi", (b, [x]) => [b.mul(b.num(INV_SQRT_2PI), b.call("exp", b.mul(b.mul(b.num(-0.5), x), x)))], ["∂/∂x Φ(x) = φ(x)"])),
  unary(
    "Phi_approx",
    jsRule(
      1,
      "Phi_approx",
      (b, [x], out) => [b.mul(b.mul(out, b.sub(b.num(1), out)), b.add(b.num(1.5976), b.mul(b.mul(b.num(0.21168), x), x)))],
      ["∂/∂x inv_logit(0.07056x³ + 1.5976x) = p(1 − p)(0.21168x² + 1.5976)"],
    ),
  ),
  unary("square", {
    arity: 1,
    // x * x for a name; a call otherwise, so the argument is computed once
    value: { js: "square", inlineForNames: (b, [x]) => b.mul(x, x) },
    partials: (b, [x]) => [b.mul(b.num(2), x)],
    math: ["∂/∂x x² = 2x"],
  }),
  unary("sqrt", jsRule(1, "Math.sqrt", (b, _a, out) => [b.div(b.num(0.5), out)], ["∂/∂x sqrt(x) = 1 / (2 sqrt(x))"])),
  unary("cbrt", jsRule(1, "cbrt", (b, _a, out) => [b.div(b.num(1), b.mul(b.mul(b.num(3), out), out))], ["∂/∂x x^(1/3) = 1 / (3 x^(2/3))"])),
  unary("inv", formulaRule(1, (b, [x]) => b.div(b.num(1), x), (b, [x]) => [b.div(b.num(-1), b.mul(x, x))], ["∂/∂x 1/x = −1/x²"])),
  unary("inv_sqrt", formulaRule(1, (b, [x]) => b.div(b.num(1), b.call("sqrt", x)), (b, [x], out) => [b.div(b.mul(b.num(-0.5), out), x)], ["∂/∂x x^(−1/2) = −x^(−3/2)/2"])),
  unary("inv_square", formulaRule(1, (b, [x]) => b.div(b.num(1), b.mul(x, x)), (b, [x], out) => [b.div(b.mul(b.num(-2), out), x)], ["∂/∂x x^(−2) = −2x^(−3)"])),
  unary("fabs", jsRule(1, "Math.abs", (b, [x]) => [b.call("sign__", x)], ["∂/∂x |x| = sign(x)"])),
  {
    name: "abs",
    family: "math",
    signatures: [sig("int", "int"), ...unaryVectorized()],
    scalar: jsRule(1, "Math.abs", (b, [x]) => [b.call("sign__", x)], ["∂/∂x |x| = sign(x)"], { intWhenIntArgs: true }),
  },
  unary("lgamma", jsRule(1, "lgamma", (b, [x]) => [b.call("digamma", x)], ["∂/∂x lgamma(x) = digamma(x)"])),
  unary("tgamma", jsRule(1, "tgamma", (b, [x], out) => [b.mul(out, b.call("digamma", x))], ["∂/∂x Γ(x) = Γ(x) digamma(x)"])),
  unary("digamma", jsRule(1, "digamma", (b, [x]) => [b.call("trigamma", x)], ["∂/∂x digamma(x) = trigamma(x)"])),
  { ...unary("trigamma", jsRule(1, "trigamma", (b, [x]) => [b.call("tetragamma__", x)], ["∂/∂x ψ₁(x) = ψ₂(x)"])), testDomain: [[0.3, 6]] },
  unary("sin", jsRule(1, "sin", (b, [x]) => [b.call("cos", x)], ["∂/∂x sin(x) = cos(x)"])),
  unary("cos", jsRule(1, "cos", (b, [x]) => [b.neg(b.call("sin", x))], ["∂/∂x cos(x) = −sin(x)"])),
  unary("tan", jsRule(1, "tan", (b, _a, out) => [b.add(b.num(1), b.mul(out, out))], ["∂/∂x tan(x) = 1 + tan²(x)"])),
  unary("asin", jsRule(1, "asin", (b, [x]) => [b.div(b.num(1), b.call("sqrt", b.sub(b.num(1), b.mul(x, x))))], ["∂/∂x asin(x) = 1 / sqrt(1 − x²)"])),
  unary("acos", jsRule(1, "acos", (b, [x]) => [b.div(b.num(-1), b.call("sqrt", b.sub(b.num(1), b.mul(x, x))))], ["∂/∂x acos(x) = −1 / sqrt(1 − x²)"])),
  unary("atan", jsRule(1, "atan", (b, [x]) => [b.div(b.num(1), b.add(b.num(1), b.mul(x, x)))], ["∂/∂x atan(x) = 1 / (1 + x²)"])),
  unary("sinh", jsRule(1, "sinh", (b, [x]) => [b.call("cosh", x)], ["∂/∂x sinh(x) = cosh(x)"])),
  unary("cosh", jsRule(1, "cosh", (b, [x]) => [b.call("sinh", x)], ["∂/∂x cosh(x) = sinh(x)"])),
  unary("tanh", jsRule(1, "tanh", (b, _a, out) => [b.sub(b.num(1), b.mul(out, out))], ["∂/∂x tanh(x) = 1 − tanh²(x)"])),
  unary("asinh", jsRule(1, "asinh", (b, [x]) => [b.div(b.num(1), b.call("sqrt", b.add(b.mul(x, x), b.num(1))))], ["∂/∂x asinh(x) = 1 / sqrt(x² + 1)"])),
  unary("acosh", jsRule(1, "acosh", (b, [x]) => [b.div(b.num(1), b.call("sqrt", b.sub(b.mul(x, x), b.num(1))))], ["∂/∂x acosh(x) = 1 / sqrt(x² − 1)"])),
  unary("atanh", jsRule(1, "atanh", (b, [x]) => [b.div(b.num(1), b.sub(b.num(1), b.mul(x, x)))], ["∂/∂x atanh(x) = 1 / (1 − x²)"])),
  unary("erf", jsRule(1, "erf", (b, [x]) => [b.mul(b.num(SQRT_2_OVER_PI), b.call("exp", b.mul(b.neg(x), x)))], ["∂/∂x erf(x) = 2/√π exp(−x²)"])),
  unary("erfc", jsRule(1, "erfc", (b, [x]) => [b.mul(b.num(-SQRT_2_OVER_PI), b.call("exp", b.mul(b.neg(x), x)))], ["∂/∂x erfc(x) = −2/√π exp(−x²)"])),
  unary("floor", rounding("Math.floor", "floor")),
  unary("ceil", rounding("Math.ceil", "ceil")),
  // Stan rounds halves away from zero (Math.round rounds them up): the runtime's round
  unary("round", rounding("round", "round")),
  unary("trunc", rounding("Math.trunc", "trunc")),
  unary("step", formulaRule(1, (b, [x]) => b.ifElse(b.cmp("<", x, b.num(0)), b.num(0), b.num(1)), (b) => [b.num(0)], ["∂/∂x step(x) = 0"])),
  // log2() and log10() are also constants
  {
    name: "log2",
    family: "math",
    signatures: [sig("real"), ...unaryVectorized()],
    constant: "Math.LN2",
    scalar: jsRule(1, "log2", (b, [x]) => [b.div(b.num(1), b.mul(x, b.call("log2")))], ["∂/∂x log₂(x) = 1 / (x log 2)"]),
  },
  {
    name: "log10",
    family: "math",
    signatures: [sig("real"), ...unaryVectorized()],
    constant: "Math.LN10",
    scalar: jsRule(1, "log10", (b, [x]) => [b.div(b.num(1), b.mul(x, b.call("log10")))], ["∂/∂x log₁₀(x) = 1 / (x log 10)"]),
  },
  binary(
    "pow",
    jsRule(2, "pow", (b, [x, y], out) => [b.mul(y, b.call("pow", x, b.sub(y, b.num(1)))), b.mul(out, b.call("log", x))], ["∂/∂x x^y = y x^(y−1)", "∂/∂y x^y = x^y log x"]),
  ),
  binary(
    "fmin",
    jsRule(
      2,
      "Math.min",
      (b, [x, y]) => [b.ifElse(b.cmp("<=", x, y), b.num(1), b.num(0)), b.ifElse(b.cmp("<=", x, y), b.num(0), b.num(1))],
      ["∂/∂x min(x, y) = [x ≤ y]", "∂/∂y min(x, y) = [x > y]"],
    ),
  ),
  binary(
    "fmax",
    jsRule(
      2,
      "Math.max",
      (b, [x, y]) => [b.ifElse(b.cmp(">=", x, y), b.num(1), b.num(0)), b.ifElse(b.cmp(">=", x, y), b.num(0), b.num(1))],
      ["∂/∂x max(x, y) = [x ≥ y]", "∂/∂y max(x, y) = [x < y]"],
    ),
  ),
  binary(
    "fdim",
    formulaRule(
      2,
      (b, [x, y]) => b.call("fmax", b.sub(x, y), b.num(0)),
      (b, [x, y]) => [b.ifElse(b.cmp(">", x, y), b.num(1), b.num(0)), b.ifElse(b.cmp(">", x, y), b.num(-1), b.num(0))],
      ["∂/∂x max(x − y, 0) = [x > y]", "∂/∂y max(x − y, 0) = −[x > y]"],
    ),
  ),
  {
    ...binary(
      "fmod",
      jsRule(2, "fmod", (b, [x, y]) => [b.num(1), b.neg(b.call("trunc", b.div(x, y)))], ["∂/∂x fmod(x, y) = 1", "∂/∂y (x − trunc(x/y) y) = −trunc(x/y)"]),
    ),
    testDomain: [
      [0.3, 0.7],
      [1.1, 1.9],
    ],
  },
  binary(
    "atan2",
    jsRule(
      2,
      "atan2",
      (b, [y, x]) => {
        const r2 = () => b.add(b.mul(y, y), b.mul(x, x));
        return [b.div(x, r2()), b.div(b.neg(y), r2())];
      },
      ["∂/∂y atan2(y, x) = x / (x² + y²)", "∂/∂x atan2(y, x) = −y / (x² + y²)"],
    ),
  ),
  binary("hypot", jsRule(2, "hypot", (b, [x, y], out) => [b.div(x, out), b.div(y, out)], ["∂/∂x hypot(x, y) = x / hypot", "∂/∂y hypot(x, y) = y / hypot"])),
  binary(
    "lbeta",
    jsRule(
      2,
      "lbeta",
      (b, [x, y]) => [b.sub(b.call("digamma", x), b.call("digamma", b.add(x, y))), b.sub(b.call("digamma", y), b.call("digamma", b.add(x, y)))],
      ["∂/∂a lbeta(a, b) = ψ(a) − ψ(a + b)", "∂/∂b lbeta(a, b) = ψ(b) − ψ(a + b)"],
    ),
  ),
  binary(
    "lchoose",
    jsRule(
      2,
      "lchoose",
      (b, [n, k]) => [
        b.sub(b.call("digamma", b.add(n, b.num(1))), b.call("digamma", b.add(b.sub(n, k), b.num(1)))),
        b.sub(b.call("digamma", b.add(b.sub(n, k), b.num(1))), b.call("digamma", b.add(k, b.num(1)))),
      ],
      ["∂/∂n lchoose(n, k) = ψ(n + 1) − ψ(n − k + 1)", "∂/∂k lchoose(n, k) = ψ(n − k + 1) − ψ(k + 1)"],
    ),
  ),
  {
    ...binary(
      "binomial_coefficient_log",
      jsRule(
        2,
        "binomial_coefficient_log",
        (b, [n, k]) => [
          b.sub(b.call("digamma", b.add(n, b.num(1))), b.call("digamma", b.add(b.sub(n, k), b.num(1)))),
          b.sub(b.call("digamma", b.add(b.sub(n, k), b.num(1))), b.call("digamma", b.add(k, b.num(1)))),
        ],
        ["∂/∂n log C(n, k) = ψ(n + 1) − ψ(n − k + 1)", "∂/∂k log C(n, k) = ψ(n − k + 1) − ψ(k + 1)"],
      ),
    ),
    testDomain: [
      [5, 9],
      [1, 4],
    ],
  },
  binary(
    "log_diff_exp",
    jsRule(
      2,
      "log_diff_exp",
      (b, [x, y], out) => [b.call("exp", b.sub(x, out)), b.neg(b.call("exp", b.sub(y, out)))],
      ["∂/∂x log(eˣ − eʸ) = eˣ / (eˣ − eʸ)", "∂/∂y log(eˣ − eʸ) = −eʸ / (eˣ − eʸ)"],
    ),
  ),
  {
    ...binary(
      "log_inv_logit_diff",
      jsRule(
        2,
        "log_inv_logit_diff",
        (b, [x, y]) => [
          b.sub(b.div(b.num(-1), b.call("expm1", b.sub(y, x))), b.call("inv_logit", x)),
          b.sub(b.div(b.num(-1), b.call("expm1", b.sub(x, y))), b.call("inv_logit", y)),
        ],
        ["∂/∂x log(logit⁻¹(x) − logit⁻¹(y)) = −1/(e^(y−x) − 1) − logit⁻¹(x)", "∂/∂y log(logit⁻¹(x) − logit⁻¹(y)) = −1/(e^(x−y) − 1) − logit⁻¹(y)"],
      ),
    ),
    testDomain: [
      [1, 3],
      [-2, 0.5],
    ],
  },
  {
    ...binary(
      "owens_t",
      jsRule(2, "owens_t", (b, [h, a]) => [b.call("owens_t_dh__", h, a), b.call("owens_t_da__", h, a)], ["∂/∂h T(h, a) = −φ(h) erf(ah/√2) / 2", "∂/∂a T(h, a) = exp(−h²(1 + a²)/2) / (2π(1 + a²))"]),
    ),
    testDomain: [
      [-3, 3],
      [-2, 2],
    ],
  },
  {
    ...binary(
      "gamma_p",
      gammaPRule("gamma_p"),
    ),
    testDomain: GAMMA_PQ_DOMAIN,
  },
  {
    ...binary(
      "gamma_q",
      gammaQRule("gamma_q"),
    ),
    testDomain: GAMMA_PQ_DOMAIN,
  },
  ...["lmultiply", "multiply_log"].map(
    (name): Primitive => ({
      ...binary(name, jsRule(2, "lmultiply", (b, [x, y]) => [b.call("log", y), b.div(x, y)], ["∂/∂x x log y = log y", "∂/∂y x log y = x / y"])),
      testDomain: [
        [-2, 2],
        [0.1, 4],
      ],
    }),
  ),
  {
    name: "falling_factorial",
    family: "math",
    signatures: [sig("int", "int", "int"), ...realIntVectorized()],
    scalar: jsRule(
      2,
      "falling_factorial",
      (b, [x, n], out) => [b.mul(out, b.sub(b.call("digamma", b.add(x, b.num(1))), b.call("digamma", b.add(b.sub(x, n), b.num(1))))), b.num(0)],
      ["∂/∂x (x)ₙ = (x)ₙ (ψ(x + 1) − ψ(x − n + 1))", "(integer argument)"],
      { intWhenIntArgs: true },
    ),
    testDomain: [
      [3.2, 6],
      [0, 3],
    ],
  },
  {
    name: "rising_factorial",
    family: "math",
    signatures: [sig("int", "int", "int"), ...realIntVectorized()],
    scalar: jsRule(
      2,
      "rising_factorial",
      (b, [x, n], out) => [b.mul(out, b.sub(b.call("digamma", b.add(x, n)), b.call("digamma", x))), b.num(0)],
      ["∂/∂x x⁽ⁿ⁾ = x⁽ⁿ⁾ (ψ(x + n) − ψ(x))", "(integer argument)"],
      { intWhenIntArgs: true },
    ),
    testDomain: [
      [0.5, 4],
      [0, 3],
    ],
  },
  {
    ...binary(
      "log_falling_factorial",
      jsRule(
        2,
        "log_falling_factorial",
        (b, [x, n]) => [b.sub(b.call("digamma", b.add(x, b.num(1))), b.call("digamma", b.add(b.sub(x, n), b.num(1)))), b.call("digamma", b.add(b.sub(x, n), b.num(1)))],
        ["∂/∂x (lΓ(x + 1) − lΓ(x − n + 1)) = ψ(x + 1) − ψ(x − n + 1)", "∂/∂n (lΓ(x + 1) − lΓ(x − n + 1)) = ψ(x − n + 1)"],
      ),
    ),
    testDomain: [
      [4, 8],
      [0.5, 3],
    ],
  },
  {
    ...binary(
      "log_rising_factorial",
      jsRule(
        2,
        "log_rising_factorial",
        (b, [x, n]) => [b.sub(b.call("digamma", b.add(x, n)), b.call("digamma", x)), b.call("digamma", b.add(x, n))],
        ["∂/∂x (lΓ(x + n) − lΓ(x)) = ψ(x + n) − ψ(x)", "∂/∂n (lΓ(x + n) − lΓ(x)) = ψ(x + n)"],
      ),
    ),
    testDomain: [
      [0.5, 4],
      [0.5, 3],
    ],
  },
  {
    name: "choose",
    family: "math",
    signatures: [
      sig("int", "int", "int"),
      ...["", ",", ",,"].flatMap((d) => {
        const ints = `array[${d}] int`;
        return [sig(ints, ints, ints), sig(ints, ints, "int"), sig(ints, "int", ints)];
      }),
    ],
    scalar: jsRule(2, "choose", undefined, undefined, { alwaysInt: true }),
  },
  intOrder("lmgamma", jsRule(2, "lmgamma", (b, [k, x]) => [b.num(0), b.call("lmgamma_dx__", k, x)], ["(integer argument)", "∂/∂x log Γₖ(x) = Σⱼ ψ(x + (1 − j)/2)"]), [
    [1, 4],
    [2, 5],
  ]),
  intOrder("bessel_first_kind", jsRule(2, "bessel_first_kind", (b, [v, x]) => [b.num(0), b.call("bessel_first_kind_dx__", v, x)], ["(integer argument)", "∂/∂x J_v(x) = (J_(v−1)(x) − J_(v+1)(x)) / 2"]), [
    [0, 4],
    [0.2, 30],
  ]),
  intOrder("bessel_second_kind", jsRule(2, "bessel_second_kind", (b, [v, x]) => [b.num(0), b.call("bessel_second_kind_dx__", v, x)], ["(integer argument)", "∂/∂x Y_v(x) = (Y_(v−1)(x) − Y_(v+1)(x)) / 2"]), [
    [0, 4],
    [0.5, 30],
  ]),
  intOrder(
    "modified_bessel_first_kind",
    jsRule(2, "modified_bessel_first_kind", (b, [v, z]) => [b.num(0), b.call("modified_bessel_first_kind_dz__", v, z)], ["(integer argument)", "∂/∂z I_v(z) = (I_(v−1)(z) + I_(v+1)(z)) / 2"]),
    [
      [0, 4],
      [-3, 5],
    ],
  ),
  intOrder(
    "modified_bessel_second_kind",
    jsRule(2, "modified_bessel_second_kind", (b, [v, z]) => [b.num(0), b.call("modified_bessel_second_kind_dz__", v, z)], ["(integer argument)", "∂/∂z K_v(z) = −(K_(v−1)(z) + K_(v+1)(z)) / 2"]),
    [
      [0, 4],
      [0.3, 5],
    ],
  ),
  {
    ...binary(
      "log_modified_bessel_first_kind",
      jsRule(
        2,
        "log_modified_bessel_first_kind",
        (b, [v, z]) => [b.call("log_modified_bessel_first_kind_dv__", v, z), b.call("log_modified_bessel_first_kind_dz__", v, z)],
        ["∂/∂v log I_v(z) (series / asymptotic expansion)", "∂/∂z log I_v(z) = I_v′(z) / I_v(z)"],
      ),
    ),
    testDomain: [
      [0, 4],
      [0.2, 8],
    ],
  },
  {
    name: "binary_log_loss",
    family: "math",
    signatures: intRealVectorized(),
    scalar: formulaRule(
      2,
      (b, [y, p]) => b.ifElse(b.cmp("!=", y, b.num(0)), b.neg(b.call("log", p)), b.neg(b.call("log1p", b.neg(p)))),
      (b, [y, p]) => [b.num(0), b.ifElse(b.cmp("!=", y, b.num(0)), b.div(b.num(-1), p), b.div(b.num(1), b.sub(b.num(1), p)))],
      ["(integer argument)", "∂/∂p = −1/p if y else 1/(1 − p)"],
    ),
  },
  {
    name: "inc_beta",
    family: "math",
    signatures: [sig("real", "real", "real", "real")],
    scalar: incBetaRule("inc_beta"),
    testDomain: INC_BETA_DOMAIN,
  },
  {
    name: "fma",
    family: "math",
    signatures: [
      sig("real", "real", "real", "real"),
      ...["vector", "row_vector", "matrix"].flatMap((t) => [sig(t, t, t, t), sig(t, t, "real", t), sig(t, "real", t, t), sig(t, t, t, "real")]),
    ],
    scalar: formulaRule(3, (b, [x, y, z]) => b.add(b.mul(x, y), z), (b, [x, y]) => [y, x, b.num(1)], ["∂/∂x (xy + z) = y", "∂/∂y (xy + z) = x", "∂/∂z (xy + z) = 1"]),
  },
  // min/max of two scalars, or the extreme of a container
  { name: "min", family: "math", signatures: [sig("int", "int", "int"), sig("real", "real", "real"), ...EXTREMES], expand: containerExpansions.min },
  { name: "max", family: "math", signatures: [sig("int", "int", "int"), sig("real", "real", "real"), ...EXTREMES], expand: containerExpansions.max },
  {
    name: "log_sum_exp",
    family: "math",
    signatures: [sig("real", "real", "real"), ...["vector", "row_vector", "matrix", "array[] real"].map((t) => sig("real", t))],
    expand: containerExpansions.log_sum_exp,
    scalar: jsRule(
      2,
      "log_sum_exp2",
      (b, [x, y], out) => [b.call("exp", b.sub(x, out)), b.call("exp", b.sub(y, out))],
      ["∂/∂x log(eˣ + eʸ) = eˣ / (eˣ + eʸ)", "∂/∂y log(eˣ + eʸ) = eʸ / (eˣ + eʸ)"],
    ),
  },
  {
    name: "log_mix",
    family: "math",
    // log_mix(theta, lp1, lp2) = log(theta * exp(lp1) + (1 - theta) * exp(lp2)). Stan's
    // log_mix(thetas, lps) over containers is not registered yet: the scalar rule cannot lower it
    // (test/primitives/everySignature.slow.test.ts found it).
    signatures: [sig("real", "real", "real", "real")],
    scalar: formulaRule(
      3,
      (b, [t, x, y]) => b.call("log_sum_exp", b.add(b.call("log", t), x), b.add(b.call("log1p", b.neg(t)), y)),
      (b, [t, x, y], out) => [
        b.sub(b.call("exp", b.sub(x, out)), b.call("exp", b.sub(y, out))),
        b.mul(t, b.call("exp", b.sub(x, out))),
        b.mul(b.sub(b.num(1), t), b.call("exp", b.sub(y, out))),
      ],
      ["∂/∂θ log(θ e^a + (1 − θ) e^b) = (e^a − e^b) / mix", "∂/∂a log_mix = θ e^a / mix", "∂/∂b log_mix = (1 − θ) e^b / mix"],
    ),
  },
  {
    name: "is_inf",
    family: "math",
    signatures: [sig("int", "real")],
    scalar: formulaRule(1, (b, [x]) => b.ifElse(b.cmp("==", b.call("fabs", x), b.num(Infinity)), b.num(1), b.num(0)), undefined, undefined, { alwaysInt: true }),
  },
  {
    name: "is_nan",
    family: "math",
    signatures: [sig("int", "real")],
    scalar: formulaRule(1, (b, [x]) => b.ifElse(b.call("number_is_nan__", x), b.num(1), b.num(0)), undefined, undefined, { alwaysInt: true }),
  },
  {
    // truncation towards zero; Stan takes data only, so there is no derivative
    name: "to_int",
    family: "math",
    signatures: [sig("int", "real"), ...["", ",", ",,"].map((d) => sig(`array[${d}] int`, `array[${d}] real`))].map((s) => ({ ...s, dataOnlyArgs: [0] })),
    scalar: jsRule(1, "to_int", undefined, undefined, { alwaysInt: true }),
  },
  constant("pi", "Math.PI"),
  constant("e", "Math.E"),
  constant("sqrt2", "Math.SQRT2"),
  constant("positive_infinity", "Infinity"),
  constant("negative_infinity", "-Infinity"),
  constant("not_a_number", "NaN"),
  constant("machine_precision", "Number.EPSILON"),
  // target() reads the accumulated log density: the lowering reads it itself
  { name: "target", family: "constants", signatures: [sig("real")], operator: true },
];

/**
 * Functions generated code and other rules use that Stan programs cannot call (no signatures;
 * names Stan reserves or that it does not define).
 */
export const internalFamily: Primitive[] = [
  { name: "sign__", family: "internal", signatures: [], scalar: jsRule(1, "Math.sign") },
  // a JavaScript boolean: only as the condition of `ifElse` in a value formula
  { name: "number_is_nan__", family: "internal", signatures: [], scalar: jsRule(1, "Number.isNaN") },
  // derivatives of special functions, for their partials (polygamma(2), incomplete gamma and beta)
  ...(
    [
      ["tetragamma__", 1, "tetragamma"],
      ["gamma_p_da__", 2, "gamma_p_da"],
      ["gamma_p_dx__", 2, "gamma_p_dx"],
      ["inc_beta_dda__", 3, "inc_beta_dda"],
      ["inc_beta_ddb__", 3, "inc_beta_ddb"],
      ["inc_beta_ddz__", 3, "inc_beta_ddz"],
      ["lmgamma_dx__", 2, "lmgamma_dx"],
      ["log_gamma_p_da__", 2, "log_gamma_p_da"],
      ["log_gamma_p_dx__", 2, "log_gamma_p_dx"],
      ["log_gamma_q_da__", 2, "log_gamma_q_da"],
      ["log_gamma_q_dx__", 2, "log_gamma_q_dx"],
      ["log_inc_beta_dda__", 3, "log_inc_beta_dda"],
      ["log_inc_beta_ddb__", 3, "log_inc_beta_ddb"],
      ["log_inc_beta_ddz__", 3, "log_inc_beta_ddz"],
      ["owens_t_dh__", 2, "owens_t_dh"],
      ["owens_t_da__", 2, "owens_t_da"],
      ["bessel_first_kind_dx__", 2, "bessel_first_kind_dx"],
      ["bessel_second_kind_dx__", 2, "bessel_second_kind_dx"],
      ["modified_bessel_first_kind_dz__", 2, "modified_bessel_first_kind_dz"],
      ["modified_bessel_second_kind_dz__", 2, "modified_bessel_second_kind_dz"],
      ["log_modified_bessel_first_kind_dv__", 2, "log_modified_bessel_first_kind_dv"],
      ["log_modified_bessel_first_kind_dz__", 2, "log_modified_bessel_first_kind_dz"],
    ] as const
  ).map(([name, arity, js]): Primitive => ({ name, family: "internal", signatures: [], scalar: jsRule(arity, js) })),
  // log P, log Q and log I on the log scale (finite where P, Q, I underflow; NaN outside the domain), for the log CDFs
  {
    name: "log_gamma_p__",
    family: "internal",
    signatures: [],
    scalar: jsRule(2, "log_gamma_p", (b, [a, x]) => [b.call("log_gamma_p_da__", a, x), b.call("log_gamma_p_dx__", a, x)], ["∂/∂a log P(a, x)", "∂/∂x log P(a, x) = x^(a−1) e^(−x) / (Γ(a) P)"]),
    testDomain: GAMMA_PQ_DOMAIN,
  },
  {
    name: "log_gamma_q__",
    family: "internal",
    signatures: [],
    scalar: jsRule(2, "log_gamma_q", (b, [a, x]) => [b.call("log_gamma_q_da__", a, x), b.call("log_gamma_q_dx__", a, x)], ["∂/∂a log Q(a, x)", "∂/∂x log Q(a, x) = −x^(a−1) e^(−x) / (Γ(a) Q)"]),
    testDomain: GAMMA_PQ_DOMAIN,
  },
  {
    name: "log_inc_beta__",
    family: "internal",
    signatures: [],
    scalar: jsRule(
      3,
      "log_inc_beta",
      (b, [a, bb, x]) => [b.call("log_inc_beta_dda__", a, bb, x), b.call("log_inc_beta_ddb__", a, bb, x), b.call("log_inc_beta_ddz__", a, bb, x)],
      ["∂/∂a log I_x(a, b)", "∂/∂b log I_x(a, b)", "∂/∂x log I_x(a, b) = x^(a−1) (1 − x)^(b−1) / (B(a, b) I)"],
    ),
    testDomain: INC_BETA_DOMAIN,
  },
  {
    name: "log_Phi",
    family: "internal",
    signatures: [],
    scalar: jsRule(1, "log_Phi", (b, [x], out) => [b.mul(b.num(INV_SQRT_2PI), b.call("exp", b.sub(b.mul(b.mul(b.num(-0.5), x), x), out)))], ["∂/∂x log Φ(x) = φ(x) / Φ(x)"]),
  },
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const mathFamily: Primitive[] = withTestDomains(mathFamilyEntries, {
  log: [[0.001, 1000]],
  log1p: [[-0.99, 100]],
  log1m: [[-100, 0.99]],
  log1m_exp: [[-20, -0.001]],
  logit: [[0.0001, 0.9999]],
  sqrt: [[0.001, 1000]],
  cbrt: [[0.05, 20]],
  inv: [[0.01, 100]],
  inv_sqrt: [[0.01, 100]],
  inv_square: [[0.01, 100]],
  lgamma: [[0.01, 50]],
  tgamma: [[0.1, 10]],
  digamma: [[0.01, 50]],
  tan: [[-1.4, 1.4]],
  asin: [[-0.99, 0.99]],
  acos: [[-0.99, 0.99]],
  acosh: [[1.01, 50]],
  atanh: [[-0.99, 0.99]],
  log2: [[0.001, 1000]],
  log10: [[0.001, 1000]],
  pow: [[0.1, 5], [-3, 3]],
  lbeta: [[0.01, 50], [0.01, 50]],
  lchoose: [[5, 20], [0.1, 4]],
  log_diff_exp: [[1, 5], [-5, 0]],
  choose: [[3, 6], [0, 3]],
  binary_log_loss: [[0, 1], [0.001, 0.999]],
  log_mix: [[0.001, 0.999]],
});
