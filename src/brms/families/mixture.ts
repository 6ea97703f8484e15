/**
 * brms 2.18's finite mixtures, `mixture(gaussian, student)`, `mixture(gaussian, nmix = 3)`: component
 * k's parameters are the component family's dpars with the suffix k (`mu1`, `sigma1`, `mu2`, `nu2`),
 * then the mixing proportions `theta1`, …, `thetaK`. Like the categorical family's categories, the
 * dpars depend on the call, so `mixtureChoice` builds the family of one call. Without theta formulas
 * the proportions are the simplex `theta` (prior `dirichlet(con_theta)`) copied into `theta<k>`; with
 * formulas each predicted theta is a linear predictor, the others 0, normalised row by row (softmax).
 * With `order = "mu"` (brms's default for components of one family) the mu intercepts are the
 * elements of `ordered[K] ordered_Intercept`. The likelihood is brms's loop over rows:
 * `ps[k] = log(theta<k>) + <component k's density>`, `target += log_sum_exp(ps)`.
 */
import type { Expr, Stmt } from "../../ast/ast";
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import * as b from "../stanBuilders";
import type { DparSpec, FamilySpec, LikelihoodContext } from "./family";
import type { FamilyChoice } from "./index";

/** brms's theta<k>: identity link, logistic(0, 1) intercept prior; without a formula it comes from the simplex. */
const thetaDpar = (k: number): DparSpec => ({ name: `theta${k}`, links: ["identity"], scalarPrior: "logistic(0, 1)", interceptPrior: "logistic(0, 1)", notScalar: true });

/** `theta1`, `theta2`, …: the mixing proportions' dpar names. */
export const thetaName = (k: number) => `theta${k}`;

/** The name of component k's dpar `name` in the mixture: `mu` → `mu1`, `sigma` → `sigma1`. */
const componentDparName = (name: string, k: number) => `${name}${k}`;

/** Why a family cannot be a mixture component in stan2ts, or undefined. */
function unsupportedComponent(spec: FamilySpec): string | undefined {
  if (spec.categories || spec.thresholds) return "categorical and ordinal families are not supported as mixture components";
  if (spec.mixture) return "a mixture cannot be a component of another mixture";
  if (spec.dparTransform || spec.dpars.some((d) => d.stanParameter !== undefined || d.fixedValue !== undefined) || spec.additions.length > 0) {
    return `the ${spec.name} family is not supported as a mixture component yet`;
  }
  return undefined;
}

export interface MixtureOptions {
  /** brms's `order`: "mu" orders the intercepts of mu; undefined: "mu" when every component has the same family, else "none". */
  readonly order?: "mu" | "none";
  readonly span: Span;
}

/** The family of `mixture(<components>)`: each component's dpars suffixed with its number, then theta1..thetaK. */
export function mixtureChoice(components: readonly FamilyChoice[], options: MixtureOptions): FamilyChoice {
  const K = components.length;
  if (K < 2) fail("Semantic error", options.span, "Expecting at least 2 mixture components.", ["Give two or more families, as in mixture(gaussian, gaussian), or nmix = 2."]);
  for (const c of components) {
    const why = unsupportedComponent(c.spec);
    if (why) fail("Semantic error", c.span, `The mixture component '${c.spec.name}' is not supported: ${why}.`);
  }
  const responses = new Set(components.map((c) => c.spec.response));
  if (responses.size > 1) fail("Semantic error", options.span, "Cannot mix families with real and integer support.", ["Every component must be continuous, or every one discrete."]);
  const sameFamily = components.every((c) => c.spec.name === components[0].spec.name);
  const ordered = (options.order ?? (sameFamily ? "mu" : "none")) === "mu";
  const dpars: DparSpec[] = [];
  const dparLinks = new Map<string, string>();
  const builtInDparLinks: Record<string, string> = {};
  components.forEach((c, i) => {
    const k = i + 1;
    dpars.push({ name: componentDparName("mu", k), links: c.spec.links, componentMu: true });
    dparLinks.set(componentDparName("mu", k), c.link);
    if (c.spec.builtInLink?.link === c.link) builtInDparLinks[componentDparName("mu", k)] = c.link;
    for (const d of c.spec.dpars) {
      dpars.push({ ...d, name: componentDparName(d.name, k) });
      dparLinks.set(componentDparName(d.name, k), c.dparLinks.get(d.name) ?? d.links[0]);
    }
  });
  for (let k = 1; k <= K; k++) {
    dpars.push(thetaDpar(k));
    dparLinks.set(thetaName(k), "identity");
  }
  const spec: FamilySpec = {
    name: "mixture",
    aliases: [],
    links: ["identity"],
    dpars,
    response: components[0].spec.response,
    checkResponse: (y, trials) => components.map((c) => c.spec.checkResponse(y, trials)).find((why) => why !== undefined),
    responseRequirement: [...new Set(components.map((c) => c.spec.responseRequirement))].join(" and "),
    additions: [],
    functions: () => components.flatMap((c) => c.spec.functions?.(c.link) ?? []).filter((def, i, all) => all.findIndex((d) => d.name === def.name) === i),
    builtInDparLinks,
    // brms's "logscale" special (lognormal): data-based defaults on log(y) when any component has it
    logScale: components.some((c) => c.spec.logScale === true),
    mixture: { size: K, ordered, components: components.map((c) => ({ family: c.spec.name, link: c.link, dpars: ["mu", ...c.spec.dpars.map((d) => d.name)] })) },
    dparTransform: (ctx, N) => thetaSoftmax(ctx, N, K),
    rowLikelihood: (ctx, y, N) => mixtureLoop(ctx, y, N, components),
    likelihood: () => {
      throw new Error("internal: a mixture's likelihood is its rowLikelihood");
    },
  };
  return { spec, link: "identity", dparLinks, span: options.span };
}

/** True when some theta has a formula: then every theta is a vector on the log scale. */
const thetasPredicted = (ctx: LikelihoodContext, K: number) => Array.from({ length: K }, (_, i) => thetaName(i + 1)).some((t) => ctx.isPredicted(t));

/**
 * Theta formulas: the thetas without one are zero vectors, and each row's thetas are shifted by their
 * log-sum-exp so that exp(theta) sums to 1 (brms's `log_sum_exp_theta` loop).
 */
function thetaSoftmax(ctx: LikelihoodContext, N: Expr, K: number): { decls: Stmt[]; statements: Stmt[] } {
  if (!thetasPredicted(ctx, K)) return { decls: [], statements: [] };
  const names = Array.from({ length: K }, (_, i) => thetaName(i + 1));
  const decls: Stmt[] = names.filter((t) => !ctx.isPredicted(t)).map((t) => b.decl("vector", t, { sizes: [N], init: b.call("rep_vector", b.real("0.0"), N) }));
  decls.push(b.decl("real", "log_sum_exp_theta"));
  const at = (t: string) => b.idx(b.v(t), b.v("n"));
  const sumOfExp = names.map((t) => b.call("exp", at(t))).reduce((acc, e) => b.bin("+", acc, e));
  const loop = b.forLoop("n", b.int(1), N, [
    b.assign(b.v("log_sum_exp_theta"), b.call("log", sumOfExp)),
    ...names.map((t) => b.assign(at(t), b.bin("-", at(t), b.v("log_sum_exp_theta")))),
  ]);
  return { decls, statements: [loop] };
}

/** `for (n in 1:N) { real ps[K]; ps[k] = log(theta<k>) + <density k>; target += log_sum_exp(ps); }` */
function mixtureLoop(ctx: LikelihoodContext, y: Expr, N: Expr, components: readonly FamilyChoice[]): Stmt {
  const K = components.length;
  const predicted = thetasPredicted(ctx, K);
  const statements: Stmt[] = [b.decl("real", "ps", { arrayDims: [b.int(K)] })];
  components.forEach((c, i) => {
    const k = i + 1;
    const builtIn = c.spec.builtInLink?.link === c.link;
    const componentContext: LikelihoodContext = {
      ...ctx,
      dpar: (name) => ctx.dpar(componentDparName(name, k)),
      isPredicted: (name) => ctx.isPredicted(componentDparName(name, k)),
      dparLink: (name) => ctx.dparLink(componentDparName(name, k)),
    };
    const ll = c.spec.likelihood(componentContext, builtIn);
    const suffix = c.spec.response === "int" ? "_lpmf" : "_lpdf";
    const density = b.lpdf(`${ll.dist}${suffix}`, ll.shift ? b.bin("-", y, ll.shift) : y, ...ll.args);
    const weight = predicted ? b.idx(b.v(thetaName(k)), b.v("n")) : b.call("log", b.v(thetaName(k)));
    statements.push(b.assign(b.idx(b.v("ps"), b.int(k)), b.bin("+", weight, density)));
  });
  statements.push(b.targetPlus(b.call("log_sum_exp", b.v("ps"))));
  return b.forLoop("n", b.int(1), N, statements);
}
