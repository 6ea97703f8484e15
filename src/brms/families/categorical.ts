/**
 * brms's categorical family: an unordered response with ncat categories. The first category (in
 * R's level order) is the reference; every other category c gets its own linear predictor `mu<c>`
 * on the logit scale — the main formula unless `mu<c> ~ …` gives one — and the likelihood is
 * `categorical_logit(Y[n] | [0, mu2[n], …]')`. Which dpars exist depends on the data, so the model
 * builder asks `withCategories` for the family of one response's categories.
 */
import type { DparSpec, FamilySpec } from "./family";
import * as b from "../stanBuilders";

/** brms's name of the linear predictor of a category: `mu` and the level (`mucar`, `mu2`). */
export function categoryDparName(level: string): string {
  return `mu${level}`;
}

function categoryDpar(level: string): DparSpec {
  return { name: categoryDparName(level), links: ["logit"], interceptPrior: "student_t(3, 0, 2.5)" };
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

/** The categorical family for a response with these levels (the first is the reference). */
export function withCategories(levels: readonly string[]): FamilySpec {
  const dpars = levels.slice(1).map(categoryDpar);
  return {
    ...categorical,
    dpars,
    builtInDparLinks: Object.fromEntries(dpars.map((d) => [d.name, "logit"])),
    dparTransform: (ctx, N) => {
      const n = () => b.v("n");
      const row = b.call("transpose", b.rowVector(b.int(0), ...dpars.map((d) => b.idx(ctx.dpar(d.name), n()))));
      return {
        decls: [b.decl("vector", "mu", { sizes: [b.v("ncat")], arrayDims: [N] })],
        statements: [b.forLoop("n", b.int(1), N, [b.assign(b.idx(b.v("mu"), n()), row)])],
      };
    },
  };
}
