/**
 * brms's ordinal families — cumulative, sratio (stopping ratio), cratio (continuation ratio) and
 * acat (adjacent category) — with their links. The response is a category 1..nthres + 1; mu has no
 * intercept of its own but a vector of nthres thresholds (`Intercept`, ordered for cumulative); the
 * discrimination `disc` is fixed at 1 unless it has a formula. brms 2.18 writes each family/link
 * density as a Stan function `<family>_<link>_lpmf(y | mu, disc, thres)` plus a `_merged` variant
 * for grouped thresholds; these builders make the same trees (parameter names are brms's).
 */
import type { Expr, FunctionDef, Stmt } from "../../ast/ast";
import { INT, REAL, VECTOR } from "../../ast/ast";
import { syntheticSpan } from "../../common/span";
import * as b from "../stanBuilders";
import type { DparSpec, FamilySpec } from "./family";
import { functionDef, ret } from "./functionDefs";

const span = syntheticSpan("<brms>");

export type OrdinalKind = "cumulative" | "sratio" | "cratio" | "acat";

/**
 * How a family sets its thresholds against the linear predictor mu (brms's family specials
 * "thres_minus_eta" and "eta_minus_thres"): cumulative and sratio read disc * (thres[k] − mu),
 * cratio and acat disc * (mu − thres[k]). The Stan densities below, the post-fit kernels and coef()'s
 * pairing of thresholds with a group's intercept (threshold − effect, or effect − threshold) read it here.
 */
export type ThresholdCombination = "thresholds-minus-eta" | "eta-minus-thresholds";

export const THRESHOLD_COMBINATION: Readonly<Record<OrdinalKind, ThresholdCombination>> = {
  cumulative: "thresholds-minus-eta",
  sratio: "thresholds-minus-eta",
  cratio: "eta-minus-thresholds",
  acat: "eta-minus-thresholds",
};

export const isOrdinalKind = (family: string): family is OrdinalKind => Object.hasOwn(THRESHOLD_COMBINATION, family);

/** `thres − mu` or `mu − thres`, as the family combines them (a number: the post-fit kernels). */
export function thresholdDifference(kind: OrdinalKind, threshold: number, mu: number): number {
  return THRESHOLD_COMBINATION[kind] === "thresholds-minus-eta" ? threshold - mu : mu - threshold;
}

/** The links brms 2.18 offers the ordinal families, in its order (the first is the default). */
export const ORDINAL_LINKS = ["logit", "probit", "probit_approx", "cloglog", "cauchit"];

/**
 * The discrimination: a constant 1 (brms's `real disc = 1;`) unless predicted, then on the log
 * scale with the intercept prior brms gives it.
 */
export const disc: DparSpec = { name: "disc", links: ["log", "identity"], lb: "0", fixedValue: "1", interceptPrior: "normal(0, 1)" };

const INT_ARRAY = { base: "int", arrayDims: 1 } as const;

const v = b.v;
const at = (name: string, index: Expr) => b.idx(v(name), index);
/** `thres - mu` or `mu - thres` (the family's THRESHOLD_COMBINATION) as brms writes it. */
const difference = (kind: OrdinalKind, threshold: Expr) =>
  THRESHOLD_COMBINATION[kind] === "thresholds-minus-eta" ? b.bin("-", threshold, v("mu")) : b.bin("-", v("mu"), threshold);
/** `disc * (thres - mu)` or `disc * (mu - thres)`. */
const scaled = (kind: OrdinalKind, threshold: Expr) => b.bin("*", v("disc"), b.paren(difference(kind, threshold)));
const nthresPlus1 = () => b.bin("+", v("nthres"), b.int(1));

/** `vector cloglog(vector p)`, `cauchit`/`inv_cauchit`: the link helpers brms adds with these links. */
function linkFunctions(link: string): FunctionDef[] {
  const vectorFn = (name: string, param: string, value: Expr) => functionDef(name, VECTOR, [[param, VECTOR]], [ret(value)]);
  if (link === "cloglog") return [vectorFn("cloglog", "p", b.call("log", b.neg(b.call("log1m", v("p")))))];
  if (link === "cauchit") {
    return [
      vectorFn("cauchit", "p", b.call("tan", b.bin("*", b.call("pi"), b.paren(b.bin("-", v("p"), b.real("0.5")))))),
      vectorFn("inv_cauchit", "y", b.bin("+", b.bin("/", b.call("atan", v("y")), b.call("pi")), b.real("0.5"))),
    ];
  }
  return [];
}

/** The inverse link as brms calls it on one real (`Phi`, `inv_cloglog`, …). */
const INVERSE: Record<string, string> = { probit: "Phi", probit_approx: "Phi_approx", cloglog: "inv_cloglog", cauchit: "inv_cauchit", logit: "inv_logit" };

function cumulativeBody(link: string): Stmt[] {
  const cut = (index: Expr) => scaled("cumulative", at("thres", index));
  const first = () => b.bin("==", v("y"), b.int(1));
  const last = () => b.bin("==", v("y"), nthresPlus1());
  const previous = () => b.bin("-", v("y"), b.int(1));
  if (link === "logit") {
    return [
      b.ifElse(
        first(),
        b.block([ret(b.call("log_inv_logit", cut(b.int(1))))]),
        b.ifElse(
          last(),
          b.block([ret(b.call("log1m_inv_logit", cut(v("nthres"))))]),
          b.block([ret(b.call("log_diff_exp", b.call("log_inv_logit", cut(v("y"))), b.call("log_inv_logit", cut(previous()))))]),
        ),
      ),
    ];
  }
  const F = (e: Expr) => b.call(INVERSE[link], e);
  return [
    b.decl("real", "p"),
    b.ifElse(
      first(),
      b.block([b.assign(v("p"), F(cut(b.int(1))))]),
      b.ifElse(
        last(),
        b.block([b.assign(v("p"), b.bin("-", b.int(1), F(cut(v("nthres")))))]),
        b.block([b.assign(v("p"), b.bin("-", F(cut(v("y"))), F(cut(previous()))))]),
      ),
    ),
    ret(b.call("log", v("p"))),
  ];
}

/** log q[k] of a sequential model: the log probability of stopping (sratio) or continuing (cratio) past k. */
function sequentialTerm(kind: "sratio" | "cratio", link: string): Expr {
  const k = () => v("k");
  const diff = () => difference(kind, at("thres", k()));
  const e = () => b.bin("*", v("disc"), b.paren(diff()));
  const stdCdf = (dist: string) => b.lpdf(`${dist}_${kind === "sratio" ? "lccdf" : "lcdf"}`, e(), b.int(0), b.int(1));
  switch (link) {
    case "logit":
      return b.call(kind === "sratio" ? "log1m_inv_logit" : "log_inv_logit", e());
    case "probit":
      return stdCdf("normal");
    case "cauchit":
      return stdCdf("cauchy");
    case "cloglog":
      return kind === "sratio" ? b.neg(b.call("exp", e())) : b.call("log1m_exp", b.neg(b.call("exp", e())));
    case "probit_approx": {
      const approx = b.bin(
        "+",
        b.bin("*", b.real("0.07056"), b.call("pow", e(), b.real("3.0"))),
        b.bin("*", b.bin("*", b.real("1.5976"), v("disc")), b.paren(diff())),
      );
      return b.call(kind === "sratio" ? "log1m_inv_logit" : "log_inv_logit", approx);
    }
  }
  throw new Error(`internal: no ${kind} term for the link ${link}`);
}

function sequentialBody(kind: "sratio" | "cratio", link: string): Stmt[] {
  const k = () => v("k");
  const pk = () => at("p", k());
  return [
    b.decl("vector", "p", { sizes: [nthresPlus1()] }),
    b.decl("vector", "q", { sizes: [v("nthres")] }),
    b.decl("int", "k", { init: b.int(1) }),
    {
      kind: "While",
      span,
      condition: b.bin("<=", k(), b.call("min", v("y"), v("nthres"))),
      body: b.block([
        b.assign(at("q", k()), sequentialTerm(kind, link)),
        b.assign(pk(), b.call("log1m_exp", at("q", k()))),
        plainFor("kk", b.int(1), b.paren(b.bin("-", k(), b.int(1))), b.assign(pk(), b.bin("+", pk(), at("q", v("kk"))))),
        b.assign(k(), b.int(1), "+="),
      ]),
    },
    b.ifThen(b.bin("==", v("y"), nthresPlus1()), [b.assign(at("p", nthresPlus1()), b.call("sum", v("q")))]),
    ret(at("p", v("y"))),
  ];
}

/** A for loop whose body is one statement without braces, as brms writes its inner loops. */
function plainFor(variable: string, lower: Expr, upper: Expr, body: Stmt): Stmt {
  return { kind: "For", span, variable, lower, upper, body };
}

function acatBody(link: string): Stmt[] {
  if (link === "logit") {
    return [
      b.decl("vector", "p", {
        sizes: [nthresPlus1()],
        init: b.call("append_row", b.int(0), b.call("cumulative_sum", scaled("acat", v("thres")))),
      }),
      ret(b.bin("-", at("p", v("y")), b.call("log_sum_exp", v("p")))),
    ];
  }
  const pk = () => at("p", v("k"));
  return [
    b.decl("vector", "p", { sizes: [nthresPlus1()] }),
    b.decl("vector", "q", { sizes: [v("nthres")] }),
    plainFor("k", b.int(1), b.paren(v("nthres")), b.assign(at("q", v("k")), b.call(INVERSE[link], scaled("acat", at("thres", v("k")))))),
    b.forLoop("k", b.int(1), b.paren(nthresPlus1()), [
      b.assign(pk(), b.real("1.0")),
      plainFor("kk", b.int(1), b.paren(b.bin("-", v("k"), b.int(1))), b.assign(pk(), b.bin("*", pk(), at("q", v("kk"))))),
      plainFor("kk", v("k"), b.paren(v("nthres")), b.assign(pk(), b.bin("*", pk(), b.paren(b.bin("-", b.int(1), at("q", v("kk"))))))),
    ]),
    ret(b.bin("-", b.call("log", at("p", v("y"))), b.call("log", b.call("sum", v("p"))))),
  ];
}

/** `thres[j[1]:j[2]]`. */
function mergedThresholds(): Expr {
  return {
    kind: "Indexed",
    meta: { span },
    target: v("thres"),
    indices: [{ kind: "Between", lower: at("j", b.int(1)), upper: at("j", b.int(2)) }],
  };
}

export function ordinalFunctions(kind: OrdinalKind, link: string): FunctionDef[] {
  const name = `${kind}_${link}`;
  const nthres: Stmt = b.decl("int", "nthres", { init: b.call("num_elements", v("thres")) });
  const body = kind === "cumulative" ? cumulativeBody(link) : kind === "acat" ? acatBody(link) : sequentialBody(kind, link);
  const params: [string, typeof REAL][] = [["y", INT], ["mu", REAL], ["disc", REAL], ["thres", VECTOR]];
  const out = [
    ...linkFunctions(link),
    functionDef(`${name}_lpmf`, REAL, params, [nthres, ...body]),
    functionDef(`${name}_merged_lpmf`, REAL, [...params, ["j", INT_ARRAY]], [ret(b.lpdf(`${name}_lpmf`, v("y"), v("mu"), v("disc"), mergedThresholds()))]),
  ];
  if (kind === "cumulative" && link === "logit") {
    out.push(
      functionDef("ordered_logistic_merged_lpmf", REAL, [["y", INT], ["mu", REAL], ["thres", VECTOR], ["j", INT_ARRAY]], [
        ret(b.lpdf("ordered_logistic_lpmf", v("y"), v("mu"), mergedThresholds())),
      ]),
    );
  }
  return out;
}

function ordinalFamily(kind: OrdinalKind): FamilySpec {
  return {
    name: kind,
    aliases: [kind],
    links: ORDINAL_LINKS,
    dpars: [disc],
    response: "int",
    checkResponse: (y) => (Number.isInteger(y) && y >= 1 ? undefined : "not a positive integer"),
    responseRequirement: "positive integers (categories 1, 2, …)",
    additions: [],
    thresholds: { ordered: kind === "cumulative" },
    // brms's inv_cauchit takes a vector, but these densities call it on a real: Stan rejects the program.
    unusableLinks: kind === "cumulative" || kind === "acat" ? { cauchit: "brms 2.18's Stan code for it calls inv_cauchit on a real, which Stan rejects" } : undefined,
    functions: (link) => ordinalFunctions(kind, link),
    likelihood: (ctx) => {
      const thresholds = ctx.thresholds?.() ?? { vector: v("Intercept"), categorySpecific: false };
      // Grouped thresholds: the `_merged` density takes all of them and the row's slice (Jthres[n]).
      const merged = thresholds.groupIndex ? "_merged" : "";
      const slice = thresholds.groupIndex ? [thresholds.groupIndex] : [];
      // With a constant disc and thresholds shared by every row (no cs()), cumulative-logit is Stan's own ordered_logistic.
      if (kind === "cumulative" && ctx.dparLink("mu") === "logit" && !ctx.isPredicted("disc") && !thresholds.categorySpecific) {
        return { dist: `ordered_logistic${merged}`, args: [ctx.dpar("mu"), thresholds.vector, ...slice], perRow: true };
      }
      return { dist: `${kind}_${ctx.dparLink("mu")}${merged}`, args: [ctx.dpar("mu"), ctx.dpar("disc"), thresholds.vector, ...slice], perRow: true };
    },
  };
}

export const ORDINAL_FAMILIES: readonly FamilySpec[] = (["cumulative", "sratio", "cratio", "acat"] as const).map(ordinalFamily);
