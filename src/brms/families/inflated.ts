/**
 * Zero-inflated and hurdle count families. brms writes their densities as Stan functions in the
 * program's functions block — for each, the four variants of mu on the response or log scale and
 * the zero probability on the probability or logit scale, plus an lccdf and lcdf — which these
 * builders reproduce as AST. The parameter names of the functions are brms's.
 */
import type { Expr, FunctionDef, Stmt } from "../../ast/ast";
import { INT, REAL } from "../../ast/ast";
import * as b from "../stanBuilders";
import { shape, sigma, zeroDpar } from "./dpars";
import type { FamilySpec } from "./family";
import { functionDef, ret, type Param } from "./functionDefs";

/** The count distribution inside: poisson(lambda), neg_binomial_2(mu, phi) or binomial(trials, theta). */
export interface CountBase {
  /** Stem of brms's function names: `poisson`, `neg_binomial`, `binomial`. */
  readonly stem: string;
  readonly dist: string;
  /** The density on the link scale (`poisson_log`, `binomial_logit`) and the suffix brms gives its variants (`_log`, `_blogit`). */
  readonly logDist: string;
  readonly logSuffix: string;
  /** Name of the mean argument on the response scale (`lambda`, `mu`, `theta`); on the link scale it is `eta`. */
  readonly meanName: string;
  /** Integer arguments before the mean (`trials`). */
  readonly leading: readonly string[];
  readonly extra: readonly string[];
  /** log P(y > 0) subtracted by a hurdle, from the mean on the response scale. */
  positiveMass(mean: Expr): Expr;
}

const poissonBase: CountBase = {
  stem: "poisson",
  dist: "poisson",
  logDist: "poisson_log",
  logSuffix: "_log",
  meanName: "lambda",
  leading: [],
  extra: [],
  positiveMass: (mean) => b.call("log1m_exp", b.neg(mean)),
};

const negbinomialBase: CountBase = {
  stem: "neg_binomial",
  dist: "neg_binomial_2",
  logDist: "neg_binomial_2_log",
  logSuffix: "_log",
  meanName: "mu",
  leading: [],
  extra: ["phi"],
  positiveMass: (mean) => b.call("log1m", b.bin("^", b.paren(b.bin("/", b.v("phi"), b.paren(b.bin("+", mean, b.v("phi"))))), b.v("phi"))),
};

type Kind = "zero_inflated" | "hurdle";

/** A `real` function of the given parameters. */
const fn = (name: string, params: readonly Param[], body: Stmt[]): FunctionDef => functionDef(name, REAL, params, body);

export function countFunctions(kind: Kind, base: CountBase): FunctionDef[] {
  const name = `${kind}_${base.stem}`;
  const zero = kind === "zero_inflated" ? "zi" : "hu";
  const leading = () => base.leading.map((e) => b.v(e));
  const leadingParams = base.leading.map((e): [string, typeof INT] => [e, INT]);
  const extra = () => base.extra.map((e) => b.v(e));
  const out: FunctionDef[] = [];
  for (const logMean of [false, true]) {
    for (const logitZero of [false, true]) {
      const mean = logMean ? "eta" : base.meanName;
      const bern = logitZero ? "bernoulli_logit_lpmf" : "bernoulli_lpmf";
      const dist = `${logMean ? base.logDist : base.dist}_lpmf`;
      const countAt = (y: Expr) => b.lpdf(dist, y, ...leading(), b.v(mean), ...extra());
      const zeroProb = (value: number) => b.lpdf(bern, b.int(value), b.v(zero));
      let ifZero: Expr;
      let otherwise: Expr;
      if (kind === "zero_inflated") {
        ifZero = b.call("log_sum_exp", zeroProb(1), b.bin("+", zeroProb(0), countAt(b.int(0))));
        otherwise = b.bin("+", zeroProb(0), countAt(b.v("y")));
      } else {
        ifZero = zeroProb(1);
        const responseMean = logMean ? b.call("exp", b.v("eta")) : b.v(mean);
        otherwise = b.bin("-", b.bin("+", zeroProb(0), countAt(b.v("y"))), base.positiveMass(responseMean));
      }
      const suffix = `${logMean ? base.logSuffix : ""}${logitZero ? "_logit" : ""}_lpmf`;
      out.push(
        fn(`${name}${suffix}`, [["y", INT], ...leadingParams, [mean, REAL], ...base.extra.map((e): [string, typeof INT] => [e, REAL]), [zero, REAL]], [
          b.ifElse(b.bin("==", b.v("y"), b.int(0)), b.block([ret(ifZero)]), b.block([ret(otherwise)])),
        ]),
      );
    }
  }
  // brms names the zero probability of the negative binomial's lccdf `hu` in both kinds.
  const cdfZero = kind === "hurdle" || base.stem === "neg_binomial" ? "hu" : "zi";
  const params: [string, typeof INT][] = [["y", INT], ...leadingParams, [base.meanName, REAL], ...base.extra.map((e): [string, typeof INT] => [e, REAL]), [cdfZero, REAL]];
  let lccdf: Expr = b.bin("+", b.lpdf("bernoulli_lpmf", b.int(0), b.v(cdfZero)), b.lpdf(`${base.dist}_lccdf`, b.v("y"), ...leading(), b.v(base.meanName), ...extra()));
  if (kind === "hurdle") lccdf = b.bin("-", lccdf, base.positiveMass(b.v(base.meanName)));
  out.push(fn(`${name}_lccdf`, params, [ret(lccdf)]));
  out.push(
    fn(`${name}_lcdf`, params, [ret(b.call("log1m_exp", b.lpdf(`${name}_lccdf`, b.v("y"), ...leading(), b.v(base.meanName), ...extra(), b.v(cdfZero))))]),
  );
  return out;
}

function countFamily(kind: Kind, base: CountBase, brmsName: string): FamilySpec {
  const zero = kind === "zero_inflated" ? "zi" : "hu";
  return {
    name: brmsName,
    aliases: [brmsName],
    links: ["log", "identity", "sqrt", "softplus"],
    dpars: base.extra.length > 0 ? [shape, zeroDpar(zero)] : [zeroDpar(zero)],
    response: "int",
    checkResponse: (y) => (Number.isInteger(y) && y >= 0 ? undefined : "not a non-negative integer"),
    responseRequirement: "non-negative integers",
    additions: [],
    builtInLink: { link: "log", dist: `${kind}_${base.stem}${base.logSuffix}` },
    builtInDparLinks: { [zero]: "logit" },
    functions: () => countFunctions(kind, base),
    likelihood: (ctx, builtIn) => {
      const logitZero = ctx.isPredicted(zero) && ctx.dparLink(zero) === "logit";
      const dist = `${kind}_${base.stem}${builtIn ? base.logSuffix : ""}${logitZero ? "_logit" : ""}`;
      const extra = base.extra.length > 0 ? [ctx.dpar("shape")] : [];
      return { dist, args: [ctx.dpar("mu"), ...extra, ctx.dpar(zero)], perRow: true };
    },
  };
}

/** Hurdle densities of a positive continuous distribution: `(real y, <args>, real hu)`, a "" and a "_logit" variant. */
function continuousHurdleFunctions(dist: string, args: readonly string[]): FunctionDef[] {
  const name = `hurdle_${dist}`;
  const params: [string, typeof INT][] = [["y", REAL], ...args.map((a): [string, typeof INT] => [a, REAL]), ["hu", REAL]];
  const argExprs = () => args.map((a) => b.v(a));
  const out = [false, true].map((logit) => {
    const bern = logit ? "bernoulli_logit_lpmf" : "bernoulli_lpmf";
    const zeroProb = (value: number) => b.lpdf(bern, b.int(value), b.v("hu"));
    return fn(`${name}${logit ? "_logit" : ""}_lpdf`, params, [
      b.ifElse(
        b.bin("==", b.v("y"), b.int(0)),
        b.block([ret(zeroProb(1))]),
        b.block([ret(b.bin("+", zeroProb(0), b.lpdf(`${dist}_lpdf`, b.v("y"), ...argExprs())))]),
      ),
    ]);
  });
  out.push(fn(`${name}_lccdf`, params, [ret(b.bin("+", b.lpdf("bernoulli_lpmf", b.int(0), b.v("hu")), b.lpdf(`${dist}_lccdf`, b.v("y"), ...argExprs())))]));
  out.push(fn(`${name}_lcdf`, params, [ret(b.call("log1m_exp", b.lpdf(`${name}_lccdf`, b.v("y"), ...argExprs(), b.v("hu"))))]));
  return out;
}

const nonNegative = (y: number) => (y >= 0 ? undefined : "negative");

const hurdleGamma: FamilySpec = {
  name: "hurdle_gamma",
  aliases: ["hurdle_gamma"],
  links: ["log", "identity", "inverse", "softplus"],
  dpars: [shape, zeroDpar("hu")],
  response: "real",
  checkResponse: nonNegative,
  responseRequirement: "non-negative numbers",
  additions: [],
  builtInDparLinks: { hu: "logit" },
  functions: () => continuousHurdleFunctions("gamma", ["alpha", "beta"]),
  likelihood: (ctx) => {
    const logit = ctx.isPredicted("hu") && ctx.dparLink("hu") === "logit";
    return { dist: `hurdle_gamma${logit ? "_logit" : ""}`, args: [ctx.dpar("shape"), b.bin("/", ctx.dpar("shape"), ctx.dpar("mu")), ctx.dpar("hu")], perRow: true };
  },
};

const hurdleLognormal: FamilySpec = {
  name: "hurdle_lognormal",
  aliases: ["hurdle_lognormal"],
  links: ["identity", "inverse", "softplus"],
  dpars: [sigma, zeroDpar("hu")],
  response: "real",
  checkResponse: nonNegative,
  responseRequirement: "non-negative numbers",
  additions: [],
  logScale: true,
  builtInDparLinks: { hu: "logit" },
  functions: () => continuousHurdleFunctions("lognormal", ["mu", "sigma"]),
  likelihood: (ctx) => {
    const logit = ctx.isPredicted("hu") && ctx.dparLink("hu") === "logit";
    return { dist: `hurdle_lognormal${logit ? "_logit" : ""}`, args: [ctx.dpar("mu"), ctx.dpar("sigma"), ctx.dpar("hu")], perRow: true };
  },
};

export const INFLATED_FAMILIES: readonly FamilySpec[] = [
  countFamily("zero_inflated", poissonBase, "zero_inflated_poisson"),
  countFamily("zero_inflated", negbinomialBase, "zero_inflated_negbinomial"),
  countFamily("hurdle", poissonBase, "hurdle_poisson"),
  countFamily("hurdle", negbinomialBase, "hurdle_negbinomial"),
  hurdleGamma,
  hurdleLognormal,
];
