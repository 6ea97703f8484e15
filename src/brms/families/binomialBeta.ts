/**
 * Families built on the binomial and beta distributions: beta_binomial, zero_inflated_binomial,
 * zero_inflated_beta_binomial, zero_inflated_beta and zero_one_inflated_beta, with the density
 * functions brms 2.18 adds for the inflated ones (built as AST with brms's names and parameters).
 */
import type { Expr, Stmt } from "../../ast/ast";
import { INT, REAL } from "../../ast/ast";
import * as b from "../stanBuilders";
import { phi, zeroDpar } from "./dpars";
import type { FamilySpec, LikelihoodContext } from "./family";
import { functionDef, ifReturn, ret, type Param } from "./functionDefs";
import { countFunctions, type CountBase } from "./inflated";

const v = b.v;
const UNIT_LINKS = ["logit", "probit", "probit_approx", "cloglog", "identity", "log"];

const countOfTrials = (y: number, trials?: number) =>
  !Number.isInteger(y) || y < 0 ? "not a non-negative integer" : trials !== undefined && y > trials ? `more than its ${trials} trials` : undefined;

/** A predicted zero probability brms keeps on the logit scale: the density's `_logit` variant. */
const logitVariant = (ctx: LikelihoodContext, dpar: string) => (ctx.isPredicted(dpar) && ctx.dparLink(dpar) === "logit" ? "_logit" : "");

// ---------------------------------------------------------------------------------------------
// beta_binomial

const betaBinomial: FamilySpec = {
  name: "beta_binomial",
  aliases: ["beta_binomial"],
  links: UNIT_LINKS,
  dpars: [phi],
  response: "int",
  checkResponse: countOfTrials,
  responseRequirement: "non-negative integers no larger than trials()",
  additions: ["trials"],
  likelihood: (ctx) => ({
    dist: "beta_binomial",
    args: [ctx.trials(), b.bin("*", ctx.dpar("mu"), ctx.dpar("phi")), b.bin("*", b.paren(b.bin("-", b.int(1), ctx.dpar("mu"))), ctx.dpar("phi"))],
    perRow: true,
  }),
};

// ---------------------------------------------------------------------------------------------
// zero_inflated_binomial

const binomialBase: CountBase = {
  stem: "binomial",
  dist: "binomial",
  logDist: "binomial_logit",
  logSuffix: "_blogit",
  meanName: "theta",
  leading: ["trials"],
  extra: [],
  positiveMass: () => {
    throw new Error("internal: brms 2.18 has no hurdle binomial family");
  },
};

const zeroInflatedBinomial: FamilySpec = {
  name: "zero_inflated_binomial",
  aliases: ["zero_inflated_binomial"],
  links: UNIT_LINKS,
  dpars: [zeroDpar("zi")],
  response: "int",
  checkResponse: countOfTrials,
  responseRequirement: "non-negative integers no larger than trials()",
  additions: ["trials"],
  builtInLink: { link: "logit", dist: "zero_inflated_binomial_blogit" },
  builtInDparLinks: { zi: "logit" },
  functions: () => countFunctions("zero_inflated", binomialBase),
  likelihood: (ctx, builtIn) => ({
    dist: `zero_inflated_binomial${builtIn ? binomialBase.logSuffix : ""}${logitVariant(ctx, "zi")}`,
    args: [ctx.trials(), ctx.dpar("mu"), ctx.dpar("zi")],
    perRow: true,
  }),
};

/** beta_binomial with zero inflation: `_lpmf`/`_logit_lpmf` (zi as a probability or on the logit scale), lccdf, lcdf. */
function zeroInflatedBetaBinomialFunctions() {
  const params: Param[] = [["y", INT], ["trials", INT], ["mu", REAL], ["phi", REAL], ["zi", REAL]];
  const shapes = () => [b.bin("*", v("mu"), v("phi")), b.bin("*", b.paren(b.bin("-", b.int(1), v("mu"))), v("phi"))];
  const betaBinomialAt = (y: Expr) => b.lpdf("beta_binomial_lpmf", y, v("trials"), ...shapes());
  const densities = [false, true].map((logit) =>
    functionDef(`zero_inflated_beta_binomial${logit ? "_logit" : ""}_lpmf`, REAL, params, [
      ifReturn(
        b.bin("==", v("y"), b.int(0)),
        [ret(b.call("log_sum_exp", bernoulli(logit, 1, "zi"), b.bin("+", bernoulli(logit, 0, "zi"), betaBinomialAt(b.int(0)))))],
        b.block([ret(b.bin("+", bernoulli(logit, 0, "zi"), betaBinomialAt(v("y"))))]),
      ),
    ]),
  );
  const lccdf = functionDef("zero_inflated_beta_binomial_lccdf", REAL, params, [
    ret(b.bin("+", bernoulli(false, 0, "zi"), b.lpdf("beta_binomial_lccdf", v("y"), v("trials"), ...shapes()))),
  ]);
  const lcdf = functionDef("zero_inflated_beta_binomial_lcdf", REAL, params, [
    ret(b.call("log1m_exp", b.lpdf("zero_inflated_beta_binomial_lccdf", v("y"), v("trials"), v("mu"), v("phi"), v("zi")))),
  ]);
  return [...densities, lccdf, lcdf];
}

const zeroInflatedBetaBinomial: FamilySpec = {
  name: "zero_inflated_beta_binomial",
  aliases: ["zero_inflated_beta_binomial"],
  links: UNIT_LINKS,
  dpars: [phi, zeroDpar("zi")],
  response: "int",
  checkResponse: countOfTrials,
  responseRequirement: "non-negative integers no larger than trials()",
  additions: ["trials"],
  builtInDparLinks: { zi: "logit" },
  functions: zeroInflatedBetaBinomialFunctions,
  likelihood: (ctx) => ({
    dist: `zero_inflated_beta_binomial${logitVariant(ctx, "zi")}`,
    args: [ctx.trials(), ctx.dpar("mu"), ctx.dpar("phi"), ctx.dpar("zi")],
    perRow: true,
  }),
};

// ---------------------------------------------------------------------------------------------
// zero_inflated_beta, zero_one_inflated_beta

/** `row_vector[2] shape = [mu * phi, (1 - mu) * phi];`: the beta's two shapes from mean and precision. */
const betaShapes = (): Stmt =>
  b.decl("row_vector", "shape", {
    sizes: [b.int(2)],
    init: b.rowVector(b.bin("*", v("mu"), v("phi")), b.bin("*", b.paren(b.bin("-", b.int(1), v("mu"))), v("phi"))),
  });
const shapeArgs = () => [b.idx(v("shape"), b.int(1)), b.idx(v("shape"), b.int(2))];
const bernoulli = (logit: boolean, value: 0 | 1, p: string): Expr => b.lpdf(logit ? "bernoulli_logit_lpmf" : "bernoulli_lpmf", b.int(value), v(p));

function zeroInflatedBetaFunctions() {
  const params: Param[] = [["y", REAL], ["mu", REAL], ["phi", REAL], ["zi", REAL]];
  const densities = [false, true].map((logit) =>
    functionDef(`zero_inflated_beta${logit ? "_logit" : ""}_lpdf`, REAL, params, [
      betaShapes(),
      ifReturn(
        b.bin("==", v("y"), b.int(0)),
        [ret(bernoulli(logit, 1, "zi"))],
        b.block([ret(b.bin("+", bernoulli(logit, 0, "zi"), b.lpdf("beta_lpdf", v("y"), ...shapeArgs())))]),
      ),
    ]),
  );
  const lccdf = functionDef("zero_inflated_beta_lccdf", REAL, params, [
    betaShapes(),
    ret(b.bin("+", bernoulli(false, 0, "zi"), b.lpdf("beta_lccdf", v("y"), ...shapeArgs()))),
  ]);
  const lcdf = functionDef("zero_inflated_beta_lcdf", REAL, params, [
    ret(b.call("log1m_exp", b.lpdf("zero_inflated_beta_lccdf", v("y"), v("mu"), v("phi"), v("zi")))),
  ]);
  return [...densities, lccdf, lcdf];
}

const zeroInflatedBeta: FamilySpec = {
  name: "zero_inflated_beta",
  aliases: ["zero_inflated_beta"],
  links: UNIT_LINKS,
  dpars: [phi, zeroDpar("zi")],
  response: "real",
  checkResponse: (y) => (y >= 0 && y < 1 ? undefined : "not in [0, 1)"),
  responseRequirement: "numbers from 0 up to (not including) 1",
  additions: [],
  builtInDparLinks: { zi: "logit" },
  functions: zeroInflatedBetaFunctions,
  likelihood: (ctx) => ({
    dist: `zero_inflated_beta${logitVariant(ctx, "zi")}`,
    args: [ctx.dpar("mu"), ctx.dpar("phi"), ctx.dpar("zi")],
    perRow: true,
  }),
};

/** zoi is the probability of a 0 or 1, coi that it is a 1 given it is one of them. */
function zeroOneInflatedBetaFunctions() {
  const bothOnes = (y: 0 | 1) => ret(b.bin("+", bernoulli(false, 1, "zoi"), bernoulli(false, y, "coi")));
  return [
    functionDef("zero_one_inflated_beta_lpdf", REAL, [["y", REAL], ["mu", REAL], ["phi", REAL], ["zoi", REAL], ["coi", REAL]], [
      betaShapes(),
      ifReturn(
        b.bin("==", v("y"), b.int(0)),
        [bothOnes(0)],
        ifReturn(
          b.bin("==", v("y"), b.int(1)),
          [bothOnes(1)],
          b.block([ret(b.bin("+", bernoulli(false, 0, "zoi"), b.lpdf("beta_lpdf", v("y"), ...shapeArgs())))]),
        ),
      ),
    ]),
  ];
}

const zeroOneInflatedBeta: FamilySpec = {
  name: "zero_one_inflated_beta",
  aliases: ["zero_one_inflated_beta"],
  links: UNIT_LINKS,
  dpars: [phi, zeroDpar("zoi"), zeroDpar("coi")],
  response: "real",
  checkResponse: (y) => (y >= 0 && y <= 1 ? undefined : "not in [0, 1]"),
  responseRequirement: "numbers from 0 to 1",
  additions: [],
  functions: zeroOneInflatedBetaFunctions,
  likelihood: (ctx) => ({
    dist: "zero_one_inflated_beta",
    args: [ctx.dpar("mu"), ctx.dpar("phi"), ctx.dpar("zoi"), ctx.dpar("coi")],
    perRow: true,
  }),
};

export const BINOMIAL_BETA_FAMILIES: readonly FamilySpec[] = [betaBinomial, zeroInflatedBinomial, zeroInflatedBetaBinomial, zeroInflatedBeta, zeroOneInflatedBeta];
