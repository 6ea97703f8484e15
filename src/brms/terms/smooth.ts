/**
 * brms's smooth terms `s(x)` (mgcv's thin plate regression splines, or cubic regression splines with bs = "cr") as brms 2.18 writes them: each
 * smooth is split (mgcvBasis.ts) into unpenalised columns, gathered over the predictor's smooths into
 * `Xs` with coefficients `bs` (class b, named `sx_1`), and penalised columns `Zs_<i>_1` whose
 * coefficients `s_<i>_1 = sds_<i>_1 * zs_<i>_1` are normal with one sd (class sds). A factor
 * by-variable makes one smooth per level (`s(x, by = f)` → `sxfa`, `sxfb`, …), a numeric one
 * multiplies the basis by it; mgcv's identifiability constraints apply as mgcv applies them.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import type { Expr, Stmt } from "../../ast/ast";
import { columnHint, type DataFrame } from "../dataFrame";
import { coefName, withSuffix } from "../names";
import { deparseR, type RExpr } from "../rAst";
import * as b from "../stanBuilders";
import { cubicRegressionBasis, cubicRegressionRows, smoothToRandom, thinPlateBasis, thinPlatePredict, TPRS_MAX_KNOTS, type CubicRegressionBasis, type RandomEffectSplit, type ThinPlateBasis } from "./mgcvBasis";

type CallExpr = Extract<RExpr, { kind: "Call" }>;

/** True for an `s(...)` call. */
export function isSmoothCall(e: RExpr): boolean {
  return e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "s";
}

/** An s() term as written. */
export interface SmoothSpec {
  /** brms's term text, R's deparse of the call (`s(x, k = 5)`): the coef of its sds prior row. */
  readonly term: string;
  readonly covariate: { readonly name: string; readonly span: Span };
  /** The basis dimension k (mgcv's default for one covariate: 10). */
  readonly k: number;
  /** mgcv's basis: thin plate regression spline (default) or cubic regression spline. */
  readonly bs: "tp" | "cr";
  readonly by?: { readonly name: string; readonly span: Span };
  readonly span: Span;
}

/** Reads s(x), s(x, k = 5), s(x, bs = "tp"), s(x, by = z); anything else is refused where it is written. */
export function parseSmoothCall(call: CallExpr): SmoothSpec {
  const positional = call.args.filter((a) => a.name === undefined);
  const named = new Map(call.args.filter((a) => a.name !== undefined).map((a) => [a.name!, a]));
  const first = positional[0];
  if (!first || first.value.kind !== "Name") {
    fail("Semantic error", first?.span ?? call.span, `'${deparseR(call)}' is not supported: s() takes a data column, as in s(x).`, ["Compute the covariate with mutate() first if it is an expression."]);
  }
  if (positional.length > 1) {
    fail("Semantic error", positional[1].span, `'${deparseR(call)}': smooths of several covariates are not supported by stan2ts yet.`, ["stan2ts builds one-dimensional smooths s(x); add them as s(x1) + s(x2)."]);
  }
  for (const [name, arg] of named) {
    if (!["k", "bs", "by"].includes(name)) {
      fail("Semantic error", arg.span, `s() argument '${name}' is not supported by stan2ts.`, ["stan2ts reads s(x), s(x, k = ), s(x, bs = \"tp\") and s(x, by = )."]);
    }
  }
  let k = 10;
  const kArg = named.get("k");
  if (kArg) {
    if (kArg.value.kind !== "Num" || !Number.isInteger(kArg.value.value)) fail("Semantic error", kArg.value.span, "s(x, k = ) takes a whole number, the basis dimension.");
    k = kArg.value.value;
    // mgcv's tp raises a k below the null space dimension + 1 to that (with a warning); brms passes it on
    if (k < 3) fail("Semantic error", kArg.value.span, `s(x, k = ${k}) is too small: a thin plate spline of one covariate needs k of at least 3.`);
  }
  const bsArg = named.get("bs");
  if (bsArg) {
    if (bsArg.value.kind !== "Str") fail("Semantic error", bsArg.value.span, 's(x, bs = ) takes the basis name in quotes, as in bs = "tp".');
    if (bsArg.value.value !== "tp" && bsArg.value.value !== "cr") {
      fail("Semantic error", bsArg.value.span, `The smooth basis bs = "${bsArg.value.value}" is not supported by stan2ts yet.`, ['stan2ts builds mgcv\'s thin plate (bs = "tp", the default) and cubic regression (bs = "cr") splines.']);
    }
  }
  const byArg = named.get("by");
  if (byArg && byArg.value.kind !== "Name") fail("Semantic error", byArg.value.span, "s(x, by = ) takes a data column.");
  const by = byArg?.value.kind === "Name" ? { name: byArg.value.name, span: byArg.value.span } : undefined;
  const bs = bsArg?.value.kind === "Str" && bsArg.value.value === "cr" ? "cr" : "tp";
  return { term: deparseR(call), covariate: { name: first.value.name, span: first.value.span }, k, bs, ...(by ? { by } : {}), span: call.span };
}

/** One smooth basis of a predictor (one per level of a factor by-variable), with its data. */
export interface SmoothTerm {
  readonly spec: SmoothSpec;
  /** brms's label for its parameters' output names: `sx`, `sxz` (by = z), `sxfa` (level a of by = f). */
  readonly label: string;
  /** The level of a factor by-variable this basis is for. */
  readonly byLevel?: string;
  /** The unpenalised columns (brms's Xs columns) and their coefficient names (`sx_1`). */
  readonly fixedNames: readonly string[];
  readonly fixed: readonly Float64Array[];
  /** The penalised columns (brms's Zs_<i>_1). */
  readonly random: readonly Float64Array[];
  /** What predictions at new covariate values need. */
  readonly basis: ThinPlateBasis | CubicRegressionBasis;
  readonly split: RandomEffectSplit;
}

/** The smooth terms of one predictor on `rows`. */
export function smoothTerms(specs: readonly SmoothSpec[], frame: DataFrame, rows: Int32Array): SmoothTerm[] {
  return specs.flatMap((spec) => {
    const x = numericValues(spec.covariate, frame, rows, "covariate of s()");
    const unique = new Set(x).size;
    if (spec.bs === "tp" && unique > TPRS_MAX_KNOTS) {
      fail("Semantic error", spec.covariate.span, `'${spec.covariate.name}' has ${unique} different values; mgcv would use a random subset of ${TPRS_MAX_KNOTS} of them as knots, which stan2ts does not reproduce.`, [
        "Round the covariate (fewer different values) or fit the model with brms itself.",
      ]);
    }
    if (unique < spec.k) {
      fail("Semantic error", spec.span, `'${spec.term}': ${spec.covariate.name} has ${unique} different values, fewer than the basis dimension k = ${spec.k}.`, [
        "mgcv's message: A term has fewer unique covariate combinations than specified maximum degrees of freedom. Give s() a smaller k.",
      ]);
    }
    if (unique === spec.k && spec.bs === "tp") fail("Semantic error", spec.span, `'${spec.term}': k = ${spec.k} equals the number of different values of ${spec.covariate.name}; stan2ts needs k below it.`, ["Give s() a smaller k."]);
    const basis = spec.bs === "cr" ? cubicRegressionBasis(x, spec.k) : thinPlateBasis(x, spec.k);
    const variables = spec.by ? `${spec.covariate.name}${spec.by.name}` : spec.covariate.name;
    const label = `s${coefName(variables)}`;
    const mgcvLabel = `s(${spec.covariate.name})`;
    if (!spec.by) return [term(spec, label, mgcvLabel, basis, smoothToRandom(basis)[0])];
    const column = frame.columns.get(spec.by.name);
    if (!column) fail("Data error", spec.by.span, `The variable '${spec.by.name}' is not a column of the data (${frame.source}).`, columnHint(frame));
    if (column.kind === "numeric") {
      const values = Float64Array.from(rows, (r) => column.values[r]);
      return [term(spec, label, `${mgcvLabel}:${spec.by.name}`, basis, smoothToRandom(basis, [{ values, factor: false }])[0])];
    }
    // a factor's levels (R's default: sorted text), those of an ordered factor but its first
    const present = new Set(Array.from(rows, (r) => column.values[r]!));
    let levels = column.factor ? column.factor.levels.filter((l) => present.has(l)) : [...present].sort(compareLevels);
    if (column.factor?.ordered && levels.length > 1) levels = levels.slice(1);
    const masks = levels.map((level) => ({ values: Float64Array.from(rows, (r) => (column.values[r] === level ? 1 : 0)), factor: true }));
    const split = smoothToRandom(basis, masks);
    return levels.map((level, i) => term(spec, `${label}${coefName(level)}`, `${mgcvLabel}:${spec.by!.name}${level}`, basis, split[i], level));
  });
}

/** R's sort of text levels in the C.UTF-8/en_US locales: case-insensitive first, lower case first among equals. */
function compareLevels(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a === b ? 0 : a > b ? -1 : 1;
}

function term(spec: SmoothSpec, label: string, mgcvLabel: string, basis: ThinPlateBasis | CubicRegressionBasis, columns: ReturnType<typeof smoothToRandom>[number], byLevel?: string): SmoothTerm {
  const toColumns = (m: readonly Float64Array[]) => Array.from({ length: m[0]?.length ?? 0 }, (_, j) => Float64Array.from(m, (row) => row[j]));
  const fixed = toColumns(columns.Xf);
  return {
    spec,
    label,
    ...(byLevel !== undefined ? { byLevel } : {}),
    fixedNames: fixed.map((_, j) => coefName(`${mgcvLabel}_${j + 1}`)),
    fixed,
    random: toColumns(columns.Zs),
    basis,
    split: columns.split,
  };
}

function numericValues(ref: { name: string; span: Span }, frame: DataFrame, rows: Int32Array, role: string): Float64Array {
  const column = frame.columns.get(ref.name);
  if (!column) fail("Data error", ref.span, `The variable '${ref.name}' is not a column of the data (${frame.source}).`, columnHint(frame));
  if (column.kind !== "numeric") fail("Data error", ref.span, `The ${role} '${ref.name}' must be numeric, but it holds text.`);
  return Float64Array.from(rows, (r) => column.values[r]);
}

/**
 * The smooth's columns at new covariate values (conditional_effects' grid): mgcv's prediction matrix
 * of the basis, times the maps brms's s2rPred applies; `by` multiplies the rows (a factor's indicator
 * for this term's level, or the numeric by-variable).
 */
export function smoothColumnsAt(t: SmoothTerm, x: ArrayLike<number>, by?: ArrayLike<number>): { fixed: Float64Array[]; random: Float64Array[] } {
  const raw = "UZ" in t.basis ? thinPlatePredict(t.basis, x) : cubicRegressionRows(t.basis, x);
  if (by) raw.forEach((row, i) => row.forEach((v, j) => (row[j] = v * by[i])));
  const apply = (map: readonly Float64Array[]) => Array.from({ length: map[0]?.length ?? 0 }, (_, j) => Float64Array.from(raw, (row) => row.reduce((s, v, l) => s + v * map[l][j], 0)));
  return { fixed: apply(t.split.toFixed), random: apply(t.split.toRandom) };
}

// ---------------------------------------------------------------------------------------------
// Stan names and code pieces (prefix p: "" for mu, the dpar and/or resp otherwise)

export function smoothNames(prefix: string) {
  const p = (name: string) => withSuffix(name, prefix);
  return {
    Ks: p("Ks"),
    Xs: p("Xs"),
    bs: p("bs"),
    nb: (i: number) => `${p("nb")}_${i}`,
    knots: (i: number) => `${p("knots")}_${i}`,
    Zs: (i: number) => `${p("Zs")}_${i}_1`,
    zs: (i: number) => `${p("zs")}_${i}_1`,
    sds: (i: number) => `${p("sds")}_${i}_1`,
    s: (i: number) => `${p("s")}_${i}_1`,
  };
}

/** The fixed-part coefficient names of all smooths (the `bs` vector's elements, class b). */
export function smoothFixedCoefs(terms: readonly SmoothTerm[]): string[] {
  return terms.flatMap((t) => t.fixedNames);
}

/** `int Ks; matrix[N, Ks] Xs;` then per smooth `int nb_i; int knots_i[nb_i]; matrix[N, knots_i[1]] Zs_i_1;`. */
export function smoothDataDecls(terms: readonly SmoothTerm[], prefix: string, N: Expr): Stmt[] {
  const n = smoothNames(prefix);
  const out: Stmt[] = [b.decl("int", n.Ks), b.decl("matrix", n.Xs, { sizes: [N, b.v(n.Ks)] })];
  terms.forEach((_, k) => {
    const i = k + 1;
    out.push(b.decl("int", n.nb(i)));
    out.push(b.decl("int", n.knots(i), { arrayDims: [b.v(n.nb(i))] }));
    out.push(b.decl("matrix", n.Zs(i), { sizes: [N, b.idx(b.v(n.knots(i)), b.int(1))] }));
  });
  return out;
}

/** `vector[Ks] bs;` then per smooth `vector[knots_i[1]] zs_i_1; real<lower=0> sds_i_1;`. */
export function smoothParameters(terms: readonly SmoothTerm[], prefix: string): Stmt[] {
  const n = smoothNames(prefix);
  const out: Stmt[] = [b.decl("vector", n.bs, { sizes: [b.v(n.Ks)] })];
  terms.forEach((_, k) => {
    const i = k + 1;
    out.push(b.decl("vector", n.zs(i), { sizes: [b.idx(b.v(n.knots(i)), b.int(1))] }));
    out.push(b.decl("real", n.sds(i), { lower: b.int(0) }));
  });
  return out;
}

/** `vector[knots_i[1]] s_i_1;` and `s_i_1 = sds_i_1 * zs_i_1;`. */
export function smoothTransformed(terms: readonly SmoothTerm[], prefix: string): { decls: Stmt[]; statements: Stmt[] } {
  const n = smoothNames(prefix);
  return {
    decls: terms.map((_, k) => b.decl("vector", n.s(k + 1), { sizes: [b.idx(b.v(n.knots(k + 1)), b.int(1))] })),
    statements: terms.map((_, k) => b.assign(b.v(n.s(k + 1)), b.bin("*", b.v(n.sds(k + 1)), b.v(n.zs(k + 1))))),
  };
}

/** The linear predictor's `Xs * bs + Zs_1_1 * s_1_1 + …`. */
export function smoothLinearTerms(terms: readonly SmoothTerm[], prefix: string): Expr[] {
  const n = smoothNames(prefix);
  return [b.bin("*", b.v(n.Xs), b.v(n.bs)), ...terms.map((_, k) => b.bin("*", b.v(n.Zs(k + 1)), b.v(n.s(k + 1))))];
}

/** `target += std_normal_lpdf(zs_i_1);` per smooth. */
export function smoothStandardNormals(terms: readonly SmoothTerm[], prefix: string): Stmt[] {
  const n = smoothNames(prefix);
  return terms.map((_, k) => b.targetPlus(b.call("std_normal_lpdf", b.v(n.zs(k + 1)))));
}

/** brms's output names: `bs_sx_1`, then per smooth `sds_sx_1`, and `s_sx_1[1]`, … */
export function smoothOutputNames(terms: readonly SmoothTerm[], prefix: string): { bs: string[]; sds: string[]; s: string[][] } {
  const p = (name: string) => withSuffix(name, prefix);
  return {
    bs: smoothFixedCoefs(terms).map((c) => `${p("bs")}_${c}`),
    sds: terms.map((t) => `${p("sds")}_${t.label}_1`),
    s: terms.map((t) => t.random.map((_, j) => `${p("s")}_${t.label}_1[${j + 1}]`)),
  };
}

/**
 * Adds a predictor's smooths to `eta`, draw by draw: Σ bs_<coef> · Xs column + Σ s_<label>_1[j] · Zs
 * column j, the columns given at one row (`fixedAt(t)`, `randomAt(t)`). `drawsOf` gives a brms
 * variable's draws.
 */
export function addSmoothDraws(
  eta: Float64Array,
  terms: readonly SmoothTerm[],
  prefix: string,
  drawsOf: (name: string) => Float64Array,
  fixedAt: (t: SmoothTerm, j: number) => number,
  randomAt: (t: SmoothTerm, j: number) => number,
): void {
  const names = smoothOutputNames(terms, prefix);
  let coef = 0;
  terms.forEach((t, k) => {
    const add = (name: string, x: number) => {
      if (x === 0) return;
      const draws = drawsOf(name);
      for (let s = 0; s < eta.length; s++) eta[s] += draws[s] * x;
    };
    t.fixed.forEach((_, j) => add(names.bs[coef++], fixedAt(t, j)));
    t.random.forEach((_, j) => add(names.s[k][j], randomAt(t, j)));
  });
}

/** The by-variable's multiplier of each grid row for a smooth: its level's indicator, the number, or 1. */
export function smoothByValues(t: SmoothTerm, frame: DataFrame, rows: Int32Array): Float64Array | undefined {
  if (!t.spec.by) return undefined;
  const column = frame.columns.get(t.spec.by.name)!;
  if (column.kind === "numeric") return Float64Array.from(rows, (r) => column.values[r]);
  return Float64Array.from(rows, (r) => (column.values[r] === t.byLevel ? 1 : 0));
}
