/**
 * brms's categorical family and its matrix-response relatives multinomial and dirichlet: ncat
 * categories, the first (in R's level order, or cbind()'s first column) the reference; every other
 * category c gets its own linear predictor `mu<c>` on the logit scale — the main formula unless
 * `mu<c> ~ …` gives one — and mu is the vector [0, mu2[n], …]' the density reads. Which dpars exist
 * depends on the data, so the model builder asks `withCategories` for the family of one
 * response's categories.
 */
import type { FunctionDef, Stmt } from "../../ast/ast";
import { INT, REAL, VECTOR } from "../../ast/ast";
import { makeNames } from "../names";
import * as b from "../stanBuilders";
import { phi } from "./dpars";
import type { DparSpec, FamilySpec } from "./family";
import { functionDef, ret, type Param } from "./functionDefs";


/**
 * brms's name of the linear predictor of a category: `mu` and the level (`mucar`, `mu2`), made a
 * Stan name as brms's make_stan_names does (R's make.names, then "." and "_" dropped):
 * `very good` → `muverygood`, `so-so` → `musoso`. (make.names's unique suffixes never arise: the
 * model builder refuses labels this would merge or that hold non-ASCII letters, see categoryLabels.)
 */
export function categoryDparName(level: string): string {
  return makeNames(`mu${level}`).replace(/[._]/g, "");
}

function categoryDpar(level: string): DparSpec {
  return { name: categoryDparName(level), links: ["logit"], interceptPrior: "student_t(3, 0, 2.5)" };
}

/** `real name(<y>, vector mu[, real phi]) { return <body>; }`: brms's softmax densities. */
function softmaxDensity(name: string, yType: typeof INT, extra: string[], body: Stmt): FunctionDef {
  return functionDef(name, REAL, [["y", yType], ["mu", VECTOR], ...extra.map((e): Param => [e, REAL])], [body]);
}

export const categorical: FamilySpec = {
  name: "categorical",
  aliases: ["categorical"],
  links: ["logit"],
  dpars: [],
  response: "int",
  checkResponse: () => undefined,
  responseRequirement: "categories (text or numbers)",
  additions: [],
  categories: true,
  likelihood: (ctx) => ({ dist: "categorical_logit", args: [ctx.dpar("mu")], perRow: true }),
};

export const multinomial: FamilySpec = {
  name: "multinomial",
  aliases: ["multinomial"],
  links: ["logit"],
  dpars: [],
  response: "int",
  checkResponse: () => undefined,
  responseRequirement: "non-negative integer counts summing to trials()",
  additions: ["trials"],
  categories: true,
  matrixResponse: {
    checkRow: (values, trials) => {
      if (values.some((y) => !Number.isInteger(y) || y < 0)) return "not made of non-negative integers";
      const total = values.reduce((s, y) => s + y, 0);
      return trials !== undefined && total !== trials ? `a total of ${total}, not its ${trials} trials` : undefined;
    },
  },
  functions: () => [
    softmaxDensity("multinomial_logit2_lpmf", { base: "int", arrayDims: 1 }, [], ret(b.lpdf("multinomial_lpmf", b.v("y"), b.call("softmax", b.v("mu"))))),
  ],
  likelihood: (ctx) => ({ dist: "multinomial_logit2", args: [ctx.dpar("mu")], perRow: true }),
};

export const dirichlet: FamilySpec = {
  name: "dirichlet",
  aliases: ["dirichlet"],
  links: ["logit"],
  dpars: [phi],
  response: "real",
  checkResponse: () => undefined,
  responseRequirement: "proportions in (0, 1) summing to 1",
  additions: [],
  categories: true,
  matrixResponse: {
    // brms compares the row sums with 1 by all.equal (relative tolerance 1.5e-8).
    checkRow: (values) =>
      values.some((y) => !(y > 0 && y < 1))
        ? "not made of proportions strictly between 0 and 1"
        : Math.abs(values.reduce((s, y) => s + y, 0) - 1) > 1.5e-8
          ? `summing to ${values.reduce((s, y) => s + y, 0)}, not 1`
          : undefined,
  },
  functions: () => [
    softmaxDensity("dirichlet_logit_lpdf", VECTOR, ["phi"], ret(b.lpdf("dirichlet_lpdf", b.v("y"), b.bin("*", b.call("softmax", b.v("mu")), b.v("phi"))))),
  ],
  likelihood: (ctx) => ({ dist: "dirichlet_logit", args: [ctx.dpar("mu"), ctx.dpar("phi")], perRow: true }),
};

/** The family `base` for a response with these categories (the first is the reference); its own dpars follow the categories'. */
export function withCategories(base: FamilySpec, levels: readonly string[]): FamilySpec {
  const categoryDpars = levels.slice(1).map(categoryDpar);
  return {
    ...base,
    dpars: [...categoryDpars, ...base.dpars],
    builtInDparLinks: Object.fromEntries(categoryDpars.map((d) => [d.name, "logit"])),
    dparTransform: (ctx, N) => {
      const n = () => b.v("n");
      const row = b.call("transpose", b.rowVector(b.int(0), ...categoryDpars.map((d) => b.idx(ctx.dpar(d.name), n()))));
      return {
        decls: [b.decl("vector", ctx.dataName("mu"), { sizes: [b.v(ctx.dataName("ncat"))], arrayDims: [N] })],
        statements: [b.forLoop("n", b.int(1), N, [b.assign(b.idx(b.v(ctx.dataName("mu")), n()), row)])],
      };
    },
  };
}
