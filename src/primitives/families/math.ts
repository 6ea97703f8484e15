/** Scalar math, vectorised elementwise over containers, plus Stan's named constants. */
import { binaryVectorized, intRealVectorized, sig, unaryVectorized } from "./helpers";

const EXTREMES = [
  sig("int", "array[] int"),
  ...["vector", "row_vector", "matrix", "array[] real"].map((t) => sig("real", t)),
];

const unary = (name: string) => ({ name, family: "math", signatures: unaryVectorized() });
const binary = (name: string) => ({ name, family: "math", signatures: binaryVectorized() });
const constant = (name: string) => ({ name, family: "constants", signatures: [sig("real")] });
const realToInt = (name: string) => ({ name, family: "math", signatures: [sig("int", "real")] });

export const mathFamily = [
  unary("exp"),
  unary("exp2"),
  unary("expm1"),
  unary("log"),
  unary("log1p"),
  unary("log1m"),
  unary("log1p_exp"),
  unary("log1m_exp"),
  unary("inv_logit"),
  unary("logit"),
  unary("log_inv_logit"),
  unary("log1m_inv_logit"),
  unary("inv_cloglog"),
  unary("Phi"),
  unary("Phi_approx"),
  unary("square"),
  unary("sqrt"),
  unary("cbrt"),
  unary("inv"),
  unary("inv_sqrt"),
  unary("inv_square"),
  unary("fabs"),
  { name: "abs", family: "math", signatures: [sig("int", "int"), ...unaryVectorized()] },
  unary("lgamma"),
  unary("tgamma"),
  unary("digamma"),
  unary("trigamma"),
  unary("sin"),
  unary("cos"),
  unary("tan"),
  unary("asin"),
  unary("acos"),
  unary("atan"),
  unary("sinh"),
  unary("cosh"),
  unary("tanh"),
  unary("asinh"),
  unary("acosh"),
  unary("atanh"),
  unary("erf"),
  unary("erfc"),
  unary("floor"),
  unary("ceil"),
  unary("round"),
  unary("trunc"),
  unary("step"),
  // log2() and log10() are also constants
  { name: "log2", family: "math", signatures: [sig("real"), ...unaryVectorized()] },
  { name: "log10", family: "math", signatures: [sig("real"), ...unaryVectorized()] },
  binary("pow"),
  binary("fmin"),
  binary("fmax"),
  binary("fdim"),
  binary("fmod"),
  binary("atan2"),
  binary("hypot"),
  binary("lbeta"),
  binary("lchoose"),
  binary("binomial_coefficient_log"),
  binary("log_diff_exp"),
  binary("log_inv_logit_diff"),
  binary("owens_t"),
  binary("gamma_p"),
  binary("gamma_q"),
  binary("lmultiply"),
  binary("multiply_log"),
  binary("falling_factorial"),
  binary("rising_factorial"),
  binary("log_falling_factorial"),
  binary("log_rising_factorial"),
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
  },
  { name: "lmgamma", family: "math", signatures: intRealVectorized() },
  { name: "bessel_first_kind", family: "math", signatures: intRealVectorized() },
  { name: "bessel_second_kind", family: "math", signatures: intRealVectorized() },
  { name: "modified_bessel_first_kind", family: "math", signatures: intRealVectorized() },
  { name: "modified_bessel_second_kind", family: "math", signatures: intRealVectorized() },
  binary("log_modified_bessel_first_kind"),
  { name: "binary_log_loss", family: "math", signatures: intRealVectorized() },
  { name: "inc_beta", family: "math", signatures: [sig("real", "real", "real", "real")] },
  {
    name: "fma",
    family: "math",
    signatures: [
      sig("real", "real", "real", "real"),
      ...["vector", "row_vector", "matrix"].flatMap((t) => [
        sig(t, t, t, t),
        sig(t, t, "real", t),
        sig(t, "real", t, t),
        sig(t, t, t, "real"),
      ]),
    ],
  },
  // min/max of two scalars, or the extreme of a container
  {
    name: "min",
    family: "math",
    signatures: [sig("int", "int", "int"), sig("real", "real", "real"), ...EXTREMES],
  },
  {
    name: "max",
    family: "math",
    signatures: [sig("int", "int", "int"), sig("real", "real", "real"), ...EXTREMES],
  },
  {
    name: "log_sum_exp",
    family: "math",
    signatures: [
      sig("real", "real", "real"),
      ...["vector", "row_vector", "matrix", "array[] real"].map((t) => sig("real", t)),
    ],
  },
  {
    name: "log_mix",
    family: "math",
    signatures: [
      // log_mix(theta, lp1, lp2) = log(theta * exp(lp1) + (1 - theta) * exp(lp2))
      sig("real", "real", "real", "real"),
      ...["vector", "row_vector", "array[] real"].flatMap((theta) =>
        ["vector", "row_vector", "array[] real", "array[] vector", "array[] row_vector"].map((lp) =>
          sig("real", theta, lp),
        ),
      ),
    ],
  },
  realToInt("is_inf"),
  realToInt("is_nan"),
  {
    name: "to_int",
    family: "math",
    signatures: [
      sig("int", "real"),
      ...["", ",", ",,"].map((d) => sig(`array[${d}] int`, `array[${d}] real`)),
    ],
  },
  constant("pi"),
  constant("e"),
  constant("sqrt2"),
  constant("positive_infinity"),
  constant("negative_infinity"),
  constant("not_a_number"),
  constant("machine_precision"),
  { name: "target", family: "constants", signatures: [sig("real")] },
];
