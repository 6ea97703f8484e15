/**
 * The families stan2ts implements, one entry each, in the shape of `FamilySpec`. Densities,
 * parameterisations, links and default priors follow brms 2.18 (its family definitions,
 * `def_dprior` and the likelihood code it generates), checked against make_stancode output in
 * test/fixtures/brms-families/.
 */
import type { Expr, FunctionDef, Stmt } from "../../ast/ast";
import { VECTOR } from "../../ast/ast";
import { syntheticSpan } from "../../common/span";
import * as b from "../stanBuilders";
import { alpha, beta, ndt, nu, phi, shape, sigma } from "./dpars";
import type { FamilySpec } from "./family";
import { BINOMIAL_BETA_FAMILIES } from "./binomialBeta";
import { INFLATED_FAMILIES } from "./inflated";
import { ORDINAL_FAMILIES } from "./ordinal";
import { categorical, dirichlet, multinomial } from "./categorical";
import { SPECIAL_DENSITY_FAMILIES } from "./specialDensities";
import { wiener } from "./wiener";
import { asymLaplace } from "./asymLaplace";

const span = syntheticSpan("<brms>");

const UNIT_LINKS = ["logit", "probit", "probit_approx", "cloglog"];

const anyReal = () => undefined;
const positive = (y: number) => (y > 0 ? undefined : "not greater than 0");
const count = (y: number) => (Number.isInteger(y) && y >= 0 ? undefined : "not a non-negative integer");

/** `vector name(vector y) { return body; }`: the logm1 link and its inverse, which brms adds for `nu`. */
function vectorFunction(name: string, body: Expr): FunctionDef {
  return {
    kind: "FunctionDef",
    span,
    name,
    nameSpan: span,
    returnType: VECTOR,
    params: [{ name: "y", type: VECTOR, dataOnly: false, span }],
    body: b.block([{ kind: "Return", span, value: body }]),
  };
}

function logm1Functions(): FunctionDef[] {
  return [
    vectorFunction("logm1", b.call("log", b.bin("-", b.v("y"), b.real("1.0")))),
    vectorFunction("expp1", b.bin("+", b.call("exp", b.v("y")), b.real("1.0"))),
  ];
}

/** `a / b` row by row, `a ./ b` between vectors (brms's `div_op`). */
function divide(vectorised: boolean, left: Expr, right: Expr): Expr {
  return b.bin(vectorised ? "./" : "/", left, right);
}

const gaussian: FamilySpec = {
  name: "gaussian",
  aliases: ["gaussian"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma],
  response: "real",
  checkResponse: anyReal,
  responseRequirement: "real numbers",
  additions: [],
  cdfs: true,
  glm: { link: "identity", dist: "normal_id_glm", extraArgs: (ctx) => [ctx.dpar("sigma")] },
  likelihood: (ctx) => ({ dist: "normal", args: [ctx.dpar("mu"), ctx.dpar("sigma")], perRow: false }),
};

const student: FamilySpec = {
  name: "student",
  aliases: ["student"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma, nu],
  response: "real",
  checkResponse: anyReal,
  responseRequirement: "real numbers",
  additions: [],
  cdfs: true,
  functions: logm1Functions,
  likelihood: (ctx) => ({ dist: "student_t", args: [ctx.dpar("nu"), ctx.dpar("mu"), ctx.dpar("sigma")], perRow: false }),
};

/**
 * brms parameterises skew_normal by its mean: with delta = alpha / sqrt(1 + alpha^2), the scale is
 * omega = sigma / sqrt(1 - 2/pi delta^2) and the location mu - omega delta sqrt(2/pi).
 */
const skewNormal: FamilySpec = {
  name: "skew_normal",
  aliases: ["skew_normal"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma, alpha],
  response: "real",
  checkResponse: anyReal,
  responseRequirement: "real numbers",
  additions: [],
  cdfs: true,
  dparTransform: (ctx, N) => {
    const alphaPerRow = ctx.isPredicted("alpha");
    const omegaPerRow = alphaPerRow || ctx.isPredicted("sigma");
    const row = (e: Expr, perRow: boolean) => (perRow ? b.idx(e, b.v("n")) : e);
    const delta = (perRow: boolean) => row(b.v("delta"), perRow);
    const omega = (perRow: boolean) => row(b.v("omega"), perRow);
    const at = (name: string, perRow: boolean) => (perRow && ctx.isPredicted(name) ? b.idx(ctx.dpar(name), b.v("n")) : ctx.dpar(name));
    const sqrt2OverPi = () => b.call("sqrt", b.bin("/", b.int(2), b.call("pi")));
    const deltaValue = (perRow: boolean) => b.bin("/", at("alpha", perRow), b.call("sqrt", b.bin("+", b.int(1), b.bin("^", at("alpha", perRow), b.int(2)))));
    const omegaValue = (perRow: boolean) =>
      b.bin("/", at("sigma", perRow), b.call("sqrt", b.bin("-", b.int(1), b.bin("*", b.bin("^", sqrt2OverPi(), b.int(2)), b.bin("^", delta(alphaPerRow), b.int(2))))));
    const typed = (perRow: boolean, name: string) => (perRow ? b.decl("vector", name, { sizes: [N] }) : b.decl("real", name));
    const statements: Stmt[] = [];
    if (!alphaPerRow) statements.push(b.assign(delta(false), deltaValue(false)));
    if (!omegaPerRow) statements.push(b.assign(omega(false), omegaValue(false)));
    const loop: Stmt[] = [];
    if (alphaPerRow) loop.push(b.assign(delta(true), deltaValue(true)));
    if (omegaPerRow) loop.push(b.assign(omega(true), omegaValue(true)));
    const muAt = b.idx(ctx.dpar("mu"), b.v("n"));
    loop.push(b.assign(muAt, b.bin("-", muAt, b.bin("*", b.bin("*", omega(omegaPerRow), delta(alphaPerRow)), sqrt2OverPi()))));
    statements.push(b.forLoop("n", b.int(1), N, loop));
    return { decls: [typed(alphaPerRow, "delta"), typed(omegaPerRow, "omega")], statements };
  },
  likelihood: (ctx) => {
    const omegaPerRow = ctx.isPredicted("alpha") || ctx.isPredicted("sigma");
    const omega = ctx.rowwise && omegaPerRow ? b.idx(b.v("omega"), b.v("n")) : b.v("omega");
    return { dist: "skew_normal", args: [ctx.dpar("mu"), omega, ctx.dpar("alpha")], perRow: false };
  },
};

const lognormal: FamilySpec = {
  name: "lognormal",
  aliases: ["lognormal"],
  links: ["identity", "inverse", "softplus"],
  dpars: [sigma],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  cdfs: true,
  logScale: true,
  likelihood: (ctx) => ({ dist: "lognormal", args: [ctx.dpar("mu"), ctx.dpar("sigma")], perRow: false }),
};

const shiftedLognormal: FamilySpec = {
  name: "shifted_lognormal",
  aliases: ["shifted_lognormal"],
  links: ["identity", "inverse", "softplus"],
  dpars: [sigma, ndt],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  logScale: true,
  needsMinY: true,
  likelihood: (ctx) => ({ dist: "lognormal", args: [ctx.dpar("mu"), ctx.dpar("sigma")], shift: ctx.dpar("ndt"), perRow: false }),
};

const exgaussian: FamilySpec = {
  name: "exgaussian",
  aliases: ["exgaussian"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma, beta],
  response: "real",
  checkResponse: anyReal,
  responseRequirement: "real numbers",
  additions: [],
  cdfs: true,
  likelihood: (ctx) => ({
    dist: "exp_mod_normal",
    args: [b.bin("-", ctx.dpar("mu"), ctx.dpar("beta")), ctx.dpar("sigma"), b.call("inv", ctx.dpar("beta"))],
    perRow: false,
  }),
};

const gamma: FamilySpec = {
  name: "gamma",
  aliases: ["Gamma", "gamma"],
  links: ["log", "identity", "inverse", "softplus"],
  calledDefaultLink: "inverse",
  dpars: [shape],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  cdfs: true,
  likelihood: (ctx) => {
    const perRow = ctx.rowwise || ctx.isPredicted("shape");
    return { dist: "gamma", args: [ctx.dpar("shape"), divide(!perRow, ctx.dpar("shape"), ctx.dpar("mu"))], perRow };
  },
};

const weibull: FamilySpec = {
  name: "weibull",
  aliases: ["weibull"],
  links: ["log", "identity", "inverse", "softplus"],
  dpars: [shape],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  cdfs: true,
  likelihood: (ctx) => {
    const dot = !ctx.rowwise && ctx.isPredicted("shape");
    const scale = divide(dot, ctx.dpar("mu"), b.call("tgamma", b.bin("+", b.int(1), divide(dot, b.int(1), ctx.dpar("shape")))));
    return { dist: "weibull", args: [ctx.dpar("shape"), scale], perRow: false };
  },
};

const frechet: FamilySpec = {
  name: "frechet",
  aliases: ["frechet"],
  links: ["log", "identity", "inverse", "softplus"],
  dpars: [nu],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  cdfs: true,
  functions: logm1Functions,
  likelihood: (ctx) => {
    const dot = !ctx.rowwise && ctx.isPredicted("nu");
    const scale = divide(dot, ctx.dpar("mu"), b.call("tgamma", b.bin("-", b.int(1), divide(dot, b.int(1), ctx.dpar("nu")))));
    return { dist: "frechet", args: [ctx.dpar("nu"), scale], perRow: false };
  },
};

const exponential: FamilySpec = {
  name: "exponential",
  aliases: ["exponential"],
  links: ["log", "identity", "inverse", "softplus"],
  dpars: [],
  response: "real",
  checkResponse: positive,
  responseRequirement: "positive numbers",
  additions: [],
  cdfs: true,
  likelihood: (ctx) => ({ dist: "exponential", args: [b.call("inv", ctx.dpar("mu"))], perRow: false }),
};

const betaFamily: FamilySpec = {
  name: "beta",
  aliases: ["Beta", "beta"],
  links: UNIT_LINKS,
  dpars: [phi],
  response: "real",
  checkResponse: (y) => (y > 0 && y < 1 ? undefined : "not strictly between 0 and 1"),
  responseRequirement: "numbers strictly between 0 and 1",
  additions: [],
  likelihood: (ctx) => ({
    dist: "beta",
    args: [b.bin("*", ctx.dpar("mu"), ctx.dpar("phi")), b.bin("*", b.paren(b.bin("-", b.int(1), ctx.dpar("mu"))), ctx.dpar("phi"))],
    perRow: ctx.isPredicted("phi"),
  }),
};

const bernoulli: FamilySpec = {
  name: "bernoulli",
  aliases: ["bernoulli"],
  links: [...UNIT_LINKS, "identity", "log"],
  dpars: [],
  response: "int",
  checkResponse: (y) => (y === 0 || y === 1 ? undefined : "neither 0 nor 1"),
  responseRequirement: "0 or 1",
  additions: [],
  builtInLink: { link: "logit", dist: "bernoulli_logit" },
  glm: { link: "logit", dist: "bernoulli_logit_glm", extraArgs: () => [] },
  likelihood: (ctx, builtIn) => ({ dist: builtIn ? "bernoulli_logit" : "bernoulli", args: [ctx.dpar("mu")], perRow: false }),
};

const binomial: FamilySpec = {
  name: "binomial",
  aliases: ["binomial"],
  links: [...UNIT_LINKS, "identity", "log"],
  dpars: [],
  response: "int",
  checkResponse: (y, trials) =>
    !Number.isInteger(y) || y < 0 ? "not a non-negative integer" : trials !== undefined && y > trials ? `more than its ${trials} trials` : undefined,
  responseRequirement: "non-negative integers no larger than trials()",
  additions: ["trials"],
  builtInLink: { link: "logit", dist: "binomial_logit" },
  likelihood: (ctx, builtIn) => ({ dist: builtIn ? "binomial_logit" : "binomial", args: [ctx.trials(), ctx.dpar("mu")], perRow: false }),
};

const poisson: FamilySpec = {
  name: "poisson",
  aliases: ["poisson"],
  links: ["log", "identity", "sqrt", "softplus"],
  dpars: [],
  response: "int",
  checkResponse: count,
  responseRequirement: "non-negative integers",
  additions: [],
  cdfs: true,
  rateScaled: [],
  builtInLink: { link: "log", dist: "poisson_log" },
  glm: { link: "log", dist: "poisson_log_glm", extraArgs: () => [] },
  likelihood: (ctx, builtIn) => ({ dist: builtIn ? "poisson_log" : "poisson", args: [ctx.dpar("mu")], perRow: false }),
};

const negbinomial: FamilySpec = {
  name: "negbinomial",
  aliases: ["negbinomial"],
  links: ["log", "identity", "sqrt", "softplus"],
  dpars: [shape],
  response: "int",
  checkResponse: count,
  responseRequirement: "non-negative integers",
  additions: [],
  cdfs: true,
  rateScaled: ["shape"],
  builtInLink: { link: "log", dist: "neg_binomial_2_log" },
  glm: { link: "log", dist: "neg_binomial_2_log_glm", extraArgs: (ctx) => [ctx.dpar("shape")] },
  likelihood: (ctx, builtIn) => ({ dist: builtIn ? "neg_binomial_2_log" : "neg_binomial_2", args: [ctx.dpar("mu"), ctx.dpar("shape")], perRow: false }),
};

const geometric: FamilySpec = {
  name: "geometric",
  aliases: ["geometric"],
  links: ["log", "identity", "sqrt", "softplus"],
  dpars: [],
  response: "int",
  checkResponse: count,
  responseRequirement: "non-negative integers",
  additions: [],
  cdfs: true,
  // brms 2.18 has no GLM form for geometric (its use_glm_primitive lists gaussian, bernoulli, poisson, negbinomial).
  builtInLink: { link: "log", dist: "neg_binomial_2_log" },
  likelihood: (ctx, builtIn) => ({ dist: builtIn ? "neg_binomial_2_log" : "neg_binomial_2", args: [ctx.dpar("mu"), b.int(1)], perRow: false }),
};

export const FAMILIES: readonly FamilySpec[] = [
  gaussian, student, skewNormal, lognormal, shiftedLognormal, exgaussian, gamma, weibull, frechet, exponential, betaFamily,
  bernoulli, binomial, poisson, negbinomial, geometric, ...INFLATED_FAMILIES, ...ORDINAL_FAMILIES, categorical, multinomial, dirichlet,
  ...SPECIAL_DENSITY_FAMILIES, ...BINOMIAL_BETA_FAMILIES, wiener, asymLaplace,
];

/** brms families stan2ts recognises but does not implement yet, so their use gets a clear message. */
export const UNSUPPORTED_FAMILIES: readonly string[] = [
  "logistic_normal", "cox",
  "exgaussian2", "negbinomial2", "discrete_weibull", "com_poisson", "zero_inflated_asym_laplace", "hurdle_cumulative",
];

export function findFamily(name: string): FamilySpec | undefined {
  return FAMILIES.find((f) => f.aliases.includes(name) || f.name === name);
}
