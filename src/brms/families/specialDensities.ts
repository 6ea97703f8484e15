/**
 * Families whose densities brms 2.18 writes as Stan functions of its own: gen_extreme_value (with
 * the rescaling of its shape xi), inverse.gaussian and von_mises. The functions are built as AST,
 * with brms's names, parameters and expressions, so the program equals make_stancode's.
 */
import type { Expr, Stmt } from "../../ast/ast";
import { REAL, VECTOR } from "../../ast/ast";
import * as b from "../stanBuilders";
import { shape, sigma } from "./dpars";
import type { DparSpec, FamilySpec } from "./family";
import { functionDef, ifReturn, ret, transpose, type Param } from "./functionDefs";

const anyReal = () => undefined;
const positive = (y: number) => (y > 0 ? undefined : "not greater than 0");

const v = b.v;
const real = (...names: string[]): Param[] => names.map((n): Param => [n, REAL]);

// ---------------------------------------------------------------------------------------------
// gen_extreme_value

/**
 * xi without a formula is sampled unbounded as `tmp_xi` and mapped into the interval where every
 * response has positive density (brms's `scale_xi`); with a formula it is used as predicted.
 */
const xi: DparSpec = { name: "xi", links: ["log1p", "identity"], scalarPrior: "normal(0, 2.5)", interceptPrior: "normal(0, 4)", stanParameter: "tmp_xi" };

/** `(y - mu) / sigma`, standardised. */
const standardised = (op: "/" | "./") => b.bin(op, b.paren(b.bin("-", v("y"), v("mu"))), v("sigma"));
const minusLogSigma = () => b.neg(b.call("log", v("sigma")));

function gevFunctions() {
  const params = real("y", "mu", "sigma", "xi");
  const xDecl = () => b.decl("real", "x", { init: standardised("/") });
  const xiIsZero = () => b.bin("==", v("xi"), b.int(0));
  const lpdf = functionDef("gen_extreme_value_lpdf", REAL, params, [
    xDecl(),
    ifReturn(
      xiIsZero(),
      [ret(b.bin("-", b.bin("-", minusLogSigma(), v("x")), b.call("exp", b.neg(v("x")))))],
      b.block([
        b.decl("real", "t", { init: b.bin("+", b.int(1), b.bin("*", v("xi"), v("x"))) }),
        b.decl("real", "inv_xi", { init: b.bin("/", b.int(1), v("xi")) }),
        ret(
          b.bin(
            "-",
            b.bin("-", minusLogSigma(), b.bin("*", b.paren(b.bin("+", b.int(1), v("inv_xi"))), b.call("log", v("t")))),
            b.call("pow", v("t"), b.neg(v("inv_xi"))),
          ),
        ),
      ]),
    ),
  ]);
  const lcdf = functionDef("gen_extreme_value_lcdf", REAL, params, [
    xDecl(),
    ifReturn(
      xiIsZero(),
      [ret(b.neg(b.call("exp", b.neg(v("x")))))],
      b.block([ret(b.neg(b.call("pow", b.bin("+", b.int(1), b.bin("*", v("xi"), v("x"))), b.bin("/", b.neg(b.int(1)), v("xi")))))]),
    ),
  ]);
  const lccdf = functionDef("gen_extreme_value_lccdf", REAL, params, [
    ret(b.call("log1m_exp", b.lpdf("gen_extreme_value_lcdf", v("y"), v("mu"), v("sigma"), v("xi")))),
  ]);
  /** xi rescaled to lie between the two bounds -1/min(x) and -1/max(x) of the standardised responses. */
  const scaleXi = (name: string, sigmaType: typeof REAL, divide: "/" | "./") =>
    functionDef(name, REAL, [["xi", REAL], ["y", VECTOR], ["mu", VECTOR], ["sigma", sigmaType]], [
      b.decl("vector", "x", { sizes: [b.call("rows", v("y"))], init: standardised(divide) }),
      b.decl("vector", "bounds", {
        sizes: [b.int(2)],
        init: transpose(b.rowVector(b.neg(b.call("inv", b.call("min", v("x")))), b.neg(b.call("inv", b.call("max", v("x")))))),
      }),
      b.decl("real", "lb", { init: b.call("min", v("bounds")) }),
      b.decl("real", "ub", { init: b.call("max", v("bounds")) }),
      ret(b.bin("+", b.bin("*", b.call("inv_logit", v("xi")), b.paren(b.bin("-", v("ub"), v("lb")))), v("lb"))),
    ]);
  return [lpdf, lcdf, lccdf, scaleXi("scale_xi", REAL, "/"), scaleXi("scale_xi_vector", VECTOR, "./")];
}

const genExtremeValue: FamilySpec = {
  name: "gen_extreme_value",
  aliases: ["gen_extreme_value"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma, xi],
  response: "real",
  checkResponse: anyReal,
  responseRequirement: "real numbers",
  additions: [],
  functions: gevFunctions,
  dparTransform: (ctx) => {
    if (ctx.isPredicted("xi")) return { decls: [], statements: [] };
    const scale = ctx.isPredicted("sigma") ? "scale_xi_vector" : "scale_xi";
    // Non-gaussian models are univariate, so the response is `Y`.
    return {
      decls: [b.decl("real", "xi")],
      statements: [b.assign(ctx.dpar("xi"), b.call(scale, v(xi.stanParameter!), v("Y"), ctx.dpar("mu"), ctx.dpar("sigma")))],
    };
  },
  likelihood: (ctx) => ({ dist: "gen_extreme_value", args: [ctx.dpar("mu"), ctx.dpar("sigma"), ctx.dpar("xi")], perRow: true }),
};

// ---------------------------------------------------------------------------------------------
// inverse.gaussian

function inverseGaussianFunctions() {
  const params = real("y", "mu", "shape");
  const logNormaliser = () => b.call("log", b.bin("/", v("shape"), b.paren(b.bin("*", b.int(2), b.call("pi")))));
  const halfShape = () => b.bin("*", b.real("0.5"), v("shape"));
  const lpdf = functionDef("inv_gaussian_lpdf", REAL, params, [
    ret(
      b.bin(
        "-",
        b.bin("-", b.bin("*", b.real("0.5"), logNormaliser()), b.bin("*", b.real("1.5"), b.call("log", v("y")))),
        b.bin("*", halfShape(), b.call("square", b.bin("/", b.paren(b.bin("-", v("y"), v("mu"))), b.paren(b.bin("*", v("mu"), b.call("sqrt", v("y"))))))),
      ),
    ),
  ]);
  const vectorLpdf = functionDef("inv_gaussian_vector_lpdf", REAL, [["y", VECTOR], ["mu", VECTOR], ["shape", REAL]], [
    ret(
      b.bin(
        "-",
        b.bin(
          "-",
          b.bin("*", b.bin("*", b.real("0.5"), b.call("rows", v("y"))), logNormaliser()),
          b.bin("*", b.real("1.5"), b.call("sum", b.call("log", v("y")))),
        ),
        b.bin("*", halfShape(), b.call("dot_self", b.bin("./", b.paren(b.bin("-", v("y"), v("mu"))), b.paren(b.bin(".*", v("mu"), b.call("sqrt", v("y"))))))),
      ),
    ),
  ]);
  // Phi(±sqrt(shape / y) (y / mu ∓ 1)) and the weight exp(2 shape / mu) of the second term.
  const phiTerm = (sign: 1 | -1) => {
    const rootShape = sign === 1 ? b.call("sqrt", v("shape")) : b.neg(b.call("sqrt", v("shape")));
    const ratio = b.paren(b.bin(sign === 1 ? "-" : "+", b.bin("/", v("y"), v("mu")), b.int(1)));
    return b.call("Phi", b.bin("*", b.bin("/", rootShape, b.call("sqrt", v("y"))), ratio));
  };
  const weighted = () => b.bin("*", b.call("exp", b.bin("/", b.bin("*", b.int(2), v("shape")), v("mu"))), phiTerm(-1));
  const lcdf = functionDef("inv_gaussian_lcdf", REAL, params, [ret(b.call("log", b.bin("+", phiTerm(1), weighted())))]);
  const lccdf = functionDef("inv_gaussian_lccdf", REAL, params, [ret(b.call("log1m", b.bin("-", phiTerm(1), weighted())))]);
  return [lpdf, vectorLpdf, lcdf, lccdf];
}

const inverseGaussian: FamilySpec = {
  name: "inverse.gaussian",
  aliases: ["inverse.gaussian"],
  links: ["1/mu^2", "inverse", "identity", "log", "softplus"],
  dpars: [shape],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  functions: inverseGaussianFunctions,
  likelihood: (ctx) => {
    const perRow = ctx.isPredicted("shape");
    return { dist: perRow ? "inv_gaussian" : "inv_gaussian_vector", args: [ctx.dpar("mu"), ctx.dpar("shape")], perRow };
  },
};

// ---------------------------------------------------------------------------------------------
// von_mises

const kappa: DparSpec = { name: "kappa", links: ["log", "identity", "softplus"], lb: "0", scalarPrior: "gamma(2, 0.01)", interceptPrior: "normal(5.0, 0.8)" };

/** Above this precision brms replaces the von Mises density by its normal limit. */
const VON_MISES_NORMAL_LIMIT = 100;

function vonMisesFunctions() {
  const link = (name: string, param: string, body: Expr) => functionDef(name, VECTOR, [[param, VECTOR]], [ret(body)]);
  const density = (name: string, type: typeof REAL) => {
    const body: Stmt = ifReturn(
      b.bin("<", v("kappa"), b.int(VON_MISES_NORMAL_LIMIT)),
      [ret(b.lpdf("von_mises_lpdf", v("y"), v("mu"), v("kappa")))],
      b.block([ret(b.lpdf("normal_lpdf", v("y"), v("mu"), b.call("sqrt", b.bin("/", b.int(1), v("kappa")))))]),
    );
    return functionDef(name, REAL, [["y", type], ["mu", type], ["kappa", REAL]], [body]);
  };
  return [
    link("tan_half", "x", b.call("tan", b.bin("/", v("x"), b.int(2)))),
    link("inv_tan_half", "y", b.bin("*", b.int(2), b.call("atan", v("y")))),
    density("von_mises_real_lpdf", REAL),
    density("von_mises_vector_lpdf", VECTOR),
  ];
}

const vonMises: FamilySpec = {
  name: "von_mises",
  aliases: ["von_mises"],
  links: ["tan_half", "identity"],
  dpars: [kappa],
  response: "real",
  checkResponse: (y) => (Math.abs(y) <= Math.PI ? undefined : "outside [-pi, pi]"),
  responseRequirement: "angles between -pi and pi",
  additions: [],
  functions: vonMisesFunctions,
  likelihood: (ctx) => {
    const perRow = ctx.isPredicted("kappa");
    return { dist: perRow ? "von_mises_real" : "von_mises_vector", args: [ctx.dpar("mu"), ctx.dpar("kappa")], perRow };
  },
};

export const SPECIAL_DENSITY_FAMILIES: readonly FamilySpec[] = [genExtremeValue, inverseGaussian, vonMises];
