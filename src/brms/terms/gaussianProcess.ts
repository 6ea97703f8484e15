/**
 * brms's Gaussian-process terms `gp(x1, …, by = , k = , c = , iso = , scale = )` (brms 2.18).
 *
 * Each gp() term of a linear predictor is a latent function of its covariates with a squared
 * exponential kernel (marginal sd `sdgp`, length scales `lscale`), added to the predictor:
 *  - exact: the distinct covariate rows (brms's Jgp maps each observation to its row, `Xgp` holds
 *    them) get `gp_pred = cholesky_decompose(K + 1e-12 I) * zgp` with standard normal `zgp`;
 *  - approximate (`k` basis functions per dimension, boundary factor `c`): the Hilbert-space basis
 *    of the centred covariates on [-L, L], L = c · max(1, range), `gp_pred = Xgp * (sqrt(spd) .* zgp)`
 *    where spd is the kernel's spectral density at the basis's square-root eigenvalues `slambda`.
 * With `scale = TRUE` (the default) the covariates are divided by the largest distance between two
 * distinct rows. `by = f` (a factor) makes one sub-GP per level on that level's rows (`Igp`,
 * `Cgp`); a numeric `by` multiplies the GP by it. `iso = FALSE` gives each dimension its own
 * length scale. The default length-scale prior is an inverse gamma that puts 1 % of its mass below
 * the smallest and 1 % above the largest distance (brms's def_lscale_prior; own solver below).
 */
import { fail } from "../../common/diagnostics";
import { syntheticSpan, type Span } from "../../common/span";
import type { Expr, FunctionDef, StanType, Stmt } from "../../ast/ast";
import { INT, REAL, VECTOR } from "../../ast/ast";
import { cholesky_decompose } from "../../runtime/math/linalg";
import { gamma_p, gamma_q } from "../../runtime/math/special";
import type { StanDataValue } from "../buildStanData";
import { columnHint, type DataFrame } from "../dataFrame";
import { ret } from "../families/functionDefs";
import { coefName, withSuffix } from "../names";
import { deparseR, formatRNumber, type RArg, type RExpr } from "../rAst";
import * as b from "../stanBuilders";
import { factorLevels } from "./levels";

/** One sub-GP: the whole term, or one level of a factor `by`. */
export interface GaussianProcessPart {
  /** Factor `by` only: the 1-based observation rows of this level (brms's Igp). */
  readonly rows?: Int32Array;
  /** Factor `by`: 1 on each of `rows` (Cgp); numeric `by`: the by-variable on every row. */
  readonly contrasts?: Float64Array;
  /** Each (sub-GP) observation's 1-based distinct covariate row (brms's Jgp). */
  readonly groups: Int32Array;
  /** The distinct covariate rows (scaled), each of length D, in order of first appearance. */
  readonly points: readonly Float64Array[];
  /** The scaling divisor (largest distance between the unscaled rows); 1 with scale = FALSE. */
  readonly dmax: number;
  /** Column means of `points` (the approximate GP's centring). */
  readonly centres: readonly number[];
  /** Approximate GP: basis function values (points × k^D, row-major per point) and sqrt eigenvalues (k^D × D). */
  readonly basis?: { readonly values: readonly Float64Array[]; readonly sqrtEigenvalues: readonly Float64Array[] };
}

export interface GaussianProcessTerm {
  readonly span: Span;
  /** brms's label: `gp` + the covariates' names (+ the by-variable's), cleaned: `gpx`, `gpxx2`, `gpxf`. */
  readonly label: string;
  readonly covariates: readonly string[];
  readonly by?: { readonly column: string; readonly kind: "factor"; readonly levels: readonly string[] } | { readonly column: string; readonly kind: "numeric" };
  readonly iso: boolean;
  readonly scale: boolean;
  /** Approximate GP: basis functions per dimension and boundary factors per dimension. */
  readonly approximate?: { readonly k: number; readonly c: readonly number[] };
  readonly parts: readonly GaussianProcessPart[];
  /** The coef of each sub-GP's sdgp (brms's sfx1): the label, with the level for a factor by (`gpxfa`). */
  readonly sdCoefs: readonly string[];
  /** Per sub-GP, the coef of each length scale (brms's sfx2): sdCoefs[j], or it followed by each covariate when not iso. */
  readonly lscaleCoefs: readonly (readonly string[])[];
  /** brms's default prior of each length scale, same shape as lscaleCoefs. */
  readonly lscalePriors: readonly (readonly string[])[];
}

/** True for a `gp(...)` call. */
export function isGaussianProcessCall(e: RExpr): e is Extract<RExpr, { kind: "Call" }> {
  return e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "gp";
}

const ARGUMENTS = ["by", "k", "cov", "iso", "gr", "cmc", "scale", "c"];

/** A constant number written in R (`20`, `5/4`, `-1`). */
function constantNumber(e: RExpr, what: string): number {
  switch (e.kind) {
    case "Num":
      return e.value;
    case "Paren":
      return constantNumber(e.inner, what);
    case "Unary":
      return e.op === "-" ? -constantNumber(e.operand, what) : constantNumber(e.operand, what);
    case "Binary": {
      const l = constantNumber(e.left, what);
      const r = constantNumber(e.right, what);
      if (e.op === "+") return l + r;
      if (e.op === "-") return l - r;
      if (e.op === "*") return l * r;
      if (e.op === "/") return l / r;
      if (e.op === "^") return l ** r;
      break;
    }
  }
  return fail("Semantic error", e.span, `gp() argument '${what}' must be a number here, not '${deparseR(e)}'.`);
}

function logicalArg(a: RArg): boolean {
  if (a.value.kind === "Bool") return a.value.value;
  return fail("Semantic error", a.value.span, `gp() argument '${a.name}' must be TRUE or FALSE.`);
}

/** The numbers of a `c = 5/4` or `c = c(1.2, 1.5)` argument. */
function numberList(e: RExpr): number[] {
  if (e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "c") return e.args.map((a) => constantNumber(a.value, "c"));
  return [constantNumber(e, "c")];
}

/** A data column's numbers on the rows, or brms's message for a predictor that is not numeric. */
function numericColumn(name: string, span: Span, frame: DataFrame, rows: Int32Array): Float64Array {
  const column = frame.columns.get(name);
  if (!column) fail("Data error", span, `The variable '${name}' is not a column of the data (${frame.source}).`, columnHint(frame));
  if (column.kind !== "numeric") fail("Data error", span, "Predictors of Gaussian processes should be numeric vectors.", [`'${name}' holds text.`]);
  return Float64Array.from(rows, (r) => column.values[r]);
}

/** Squared Euclidean distance of two rows. */
function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += (a[d] - b[d]) ** 2;
  return s;
}

/**
 * brms's default length-scale prior for the covariate rows `points` (one dimension or several):
 * `inv_gamma(a, b)` with P(l < lb) = P(l > ub) = 0.01, where ub is the largest distance between two
 * rows and lb the smallest non-zero one (at least ub / 100); a, b rounded to 6 decimals. Solved by
 * Newton's method on (log a, log b) from (0, 0), as brms's nleqslv starts; where it does not
 * converge, brms's fallback normal(0, 0.5).
 */
export function defaultLengthScalePrior(points: readonly Float64Array[]): string {
  let largest = 0;
  let smallest = Infinity;
  for (let i = 0; i < points.length; i++) {
    for (let j = 0; j < points.length; j++) {
      const dq = squaredDistance(points[i], points[j]);
      if (dq > largest) largest = dq;
      if (dq > 0 && dq < smallest) smallest = dq;
    }
  }
  const ub = Math.sqrt(largest);
  const lb = Math.max(Math.sqrt(smallest), 0.01 * ub);
  const solution = solveInverseGamma(lb, ub);
  if (!solution) return "normal(0, 0.5)";
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  return `inv_gamma(${formatRNumber(round6(solution[0]))}, ${formatRNumber(round6(solution[1]))})`;
}

/** Shape and scale of the inverse gamma with 1 % of its mass below `lb` and 1 % above `ub`, or undefined. */
function solveInverseGamma(lb: number, ub: number): [number, number] | undefined {
  const target = Math.log(0.01);
  // l ~ InvGamma(a, b) ⇔ 1/l ~ Gamma(a, rate b): P(l < lb) = Q(a, b/lb), P(l > ub) = P(a, b/ub)
  const residual = (u: number, v: number): [number, number] => {
    const a = Math.exp(u);
    const rate = Math.exp(v);
    return [Math.log(gamma_q(a, rate / lb)) - target, Math.log(gamma_p(a, rate / ub)) - target];
  };
  let u = 0;
  let v = 0;
  let f = residual(u, v);
  const norm = (r: readonly number[]) => Math.hypot(r[0], r[1]);
  for (let iteration = 0; iteration < 200; iteration++) {
    if (!Number.isFinite(norm(f))) return undefined;
    if (norm(f) < 1e-13) return [Math.exp(u), Math.exp(v)];
    // central-difference Jacobian
    const h = 1e-6;
    const du1 = residual(u + h, v);
    const du0 = residual(u - h, v);
    const dv1 = residual(u, v + h);
    const dv0 = residual(u, v - h);
    const J = [
      [(du1[0] - du0[0]) / (2 * h), (dv1[0] - dv0[0]) / (2 * h)],
      [(du1[1] - du0[1]) / (2 * h), (dv1[1] - dv0[1]) / (2 * h)],
    ];
    const det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
    if (!Number.isFinite(det) || det === 0) return undefined;
    const stepU = (J[1][1] * f[0] - J[0][1] * f[1]) / det;
    const stepV = (-J[1][0] * f[0] + J[0][0] * f[1]) / det;
    // backtracking: halve the Newton step until the residual shrinks
    let t = 1;
    let next: [number, number] = residual(u - stepU, v - stepV);
    while (!(norm(next) < norm(f)) && t > 1e-10) {
      t /= 2;
      next = residual(u - t * stepU, v - t * stepV);
    }
    if (!(norm(next) < norm(f))) return norm(f) < 1e-9 ? [Math.exp(u), Math.exp(v)] : undefined;
    u -= t * stepU;
    v -= t * stepV;
    f = next;
  }
  return norm(f) < 1e-9 ? [Math.exp(u), Math.exp(v)] : undefined;
}

/** brms's approximate-GP basis on centred rows: sin basis functions on [-L, L] and the square roots of their eigenvalues. */
function approximateBasis(points: readonly Float64Array[], k: number, c: readonly number[]): GaussianProcessPart["basis"] {
  const D = c.length;
  const L = c.map((cd, d) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, p[d]);
      hi = Math.max(hi, p[d]);
    }
    return cd * Math.max(1, hi - lo);
  });
  // expand.grid order: the first dimension's index runs fastest
  const combos: number[][] = [];
  for (let m = 0; m < k ** D; m++) {
    const combo: number[] = [];
    let rest = m;
    for (let d = 0; d < D; d++) {
      combo.push((rest % k) + 1);
      rest = Math.floor(rest / k);
    }
    combos.push(combo);
  }
  const values = points.map((p) =>
    Float64Array.from(combos, (combo) => {
      let product = 1;
      for (let d = 0; d < D; d++) product *= (1 / Math.sqrt(L[d])) * Math.sin(((combo[d] * Math.PI) / (2 * L[d])) * (p[d] + L[d]));
      return product;
    }),
  );
  const sqrtEigenvalues = combos.map((combo) => Float64Array.from(combo, (m, d) => Math.sqrt(((m * Math.PI) / (2 * L[d])) ** 2)));
  return { values, sqrtEigenvalues };
}

/** One sub-GP's data from the covariate rows it covers (brms's .data_gp). */
function gaussianProcessPart(X: readonly Float64Array[], scale: boolean, span: Span, approximate: GaussianProcessTerm["approximate"], extra: { rows?: Int32Array; contrasts?: Float64Array }): GaussianProcessPart {
  // distinct rows in order of first appearance; each observation's row number
  const firstOf = new Map<string, number>();
  const distinct: Float64Array[] = [];
  const groups = Int32Array.from(X, (x) => {
    const key = Array.from(x).join(",");
    let index = firstOf.get(key);
    if (index === undefined) {
      distinct.push(x);
      index = distinct.length;
      firstOf.set(key, index);
    }
    return index;
  });
  let dmax = 1;
  if (scale) {
    let largest = 0;
    for (const p of distinct) for (const q of distinct) largest = Math.max(largest, squaredDistance(p, q));
    dmax = Math.sqrt(largest);
    if (!(dmax > 0)) fail("Data error", span, "Could not scale GP covariates. Please set 'scale' to FALSE in 'gp'.", ["All rows of the GP's covariates are equal, so their largest distance is 0."]);
  }
  const points = distinct.map((p) => p.map((x) => x / dmax));
  const D = points[0]?.length ?? 0;
  const centres = Array.from({ length: D }, (_, d) => points.reduce((s, p) => s + p[d], 0) / points.length);
  const basis = approximate ? approximateBasis(points.map((p) => p.map((x, d) => x - centres[d])), approximate.k, approximate.c) : undefined;
  return { ...extra, groups, points, dmax, centres, ...(basis ? { basis } : {}) };
}

/**
 * The gp() terms of one linear predictor on the observation rows `rows`: their data, names and
 * default length-scale priors, brms 2.18's way. Arguments stan2ts does not build are refused
 * with their cause.
 */
export function gaussianProcessTerms(calls: readonly Extract<RExpr, { kind: "Call" }>[], frame: DataFrame, rows: Int32Array): GaussianProcessTerm[] {
  return calls.map((call) => gaussianProcessTerm(call, frame, rows));
}

function gaussianProcessTerm(call: Extract<RExpr, { kind: "Call" }>, frame: DataFrame, rows: Int32Array): GaussianProcessTerm {
  const covariateArgs = call.args.filter((a) => a.name === undefined);
  const named = new Map<string, RArg>();
  for (const a of call.args) {
    if (a.name === undefined) continue;
    if (!ARGUMENTS.includes(a.name)) fail("Semantic error", a.nameSpan ?? a.span, `gp() argument '${a.name}' is not a brms 2.18 gp() argument.`, [`gp() takes the covariates and ${ARGUMENTS.join(", ")}.`]);
    named.set(a.name, a);
  }
  if (covariateArgs.length === 0) fail("Semantic error", call.span, "gp() needs at least one covariate, as in gp(x).");
  const covariates = covariateArgs.map((a) => {
    if (a.value.kind !== "Name") fail("Semantic error", a.value.span, `gp() of '${deparseR(a.value)}' is not supported: stan2ts takes data columns as gp() covariates.`, ["Compute the variable with mutate() first."]);
    return { name: a.value.name, span: a.value.span };
  });
  const cov = named.get("cov");
  if (cov && !(cov.value.kind === "Str" && cov.value.value === "exp_quad")) {
    // brms 2.18's gp(): cov <- match.arg(cov, choices = c("exp_quad"))
    fail("Semantic error", cov.value.span, "'arg' should be “exp_quad”", [`brms 2.18's gp() has only the squared exponential kernel (cov = "exp_quad"), not ${deparseR(cov.value)}.`]);
  }
  const gr = named.get("gr");
  if (gr && !logicalArg(gr)) fail("Semantic error", gr.span, "gp(gr = FALSE) is not supported by stan2ts: it builds brms's default gr = TRUE (one latent value per distinct covariate row).");
  const cmc = named.get("cmc");
  if (cmc && !logicalArg(cmc)) fail("Semantic error", cmc.span, "gp(cmc = FALSE) is not supported by stan2ts: it builds brms's default cmc = TRUE (one GP per level of the by-factor).");
  const isoArg = named.get("iso");
  const iso = covariates.length === 1 || !isoArg || logicalArg(isoArg);
  const scaleArg = named.get("scale");
  const scale = !scaleArg || logicalArg(scaleArg);
  let approximate: GaussianProcessTerm["approximate"];
  const kArg = named.get("k");
  if (kArg && kArg.value.kind !== "NA") {
    const k = Math.trunc(constantNumber(kArg.value, "k"));
    if (k < 1) fail("Semantic error", kArg.value.span, "'k' must be positive.");
    const cArg = named.get("c");
    if (!cArg) fail("Semantic error", call.span, "'c' must be specified for approximate GPs. A good default could be c = 5/4 but we are still working on providing better recommendations.");
    let c = numberList(cArg.value);
    if (c.length === 1) c = covariates.map(() => c[0]);
    if (c.length !== covariates.length) fail("Semantic error", cArg.value.span, "'c' must be of the same length as the number of covariates.");
    if (c.some((x) => x <= 0)) fail("Semantic error", cArg.value.span, "'c' must be positive.");
    approximate = { k, c };
  }
  const columns = covariates.map((cv) => numericColumn(cv.name, cv.span, frame, rows));
  const X = Array.from(rows, (_, i) => Float64Array.from(columns, (col) => col[i]));
  let label = `gp${coefName(covariates.map((cv) => cv.name).join(""))}`;
  const byArg = named.get("by");
  let by: GaussianProcessTerm["by"];
  let parts: GaussianProcessPart[];
  let sdCoefs: string[];
  if (byArg && byArg.value.kind !== "NA") {
    if (byArg.value.kind !== "Name") fail("Semantic error", byArg.value.span, "gp(by = ) takes a data column.");
    const column = byArg.value.name;
    const data = frame.columns.get(column);
    if (!data) fail("Data error", byArg.value.span, `The variable '${column}' is not a column of the data (${frame.source}).`, columnHint(frame));
    label += coefName(column);
    if (data.kind === "character") {
      const values = Array.from(rows, (r) => data.values[r] ?? "NA");
      const levels = data.factor ? data.factor.levels.filter((l) => values.includes(l)) : factorLevels(values).levels;
      by = { column, kind: "factor", levels };
      parts = levels.map((level) => {
        const own = Int32Array.from(values.flatMap((v, i) => (v === level ? [i + 1] : [])));
        return gaussianProcessPart(Array.from(own, (i) => X[i - 1]), scale, call.span, approximate, { rows: own, contrasts: new Float64Array(own.length).fill(1) });
      });
      sdCoefs = levels.map((level) => `${label}${coefName(level)}`);
    } else {
      by = { column, kind: "numeric" };
      parts = [gaussianProcessPart(X, scale, call.span, approximate, { contrasts: Float64Array.from(rows, (r) => data.values[r]) })];
      sdCoefs = [label];
    }
  } else {
    parts = [gaussianProcessPart(X, scale, call.span, approximate, {})];
    sdCoefs = [label];
  }
  const lscaleCoefs = sdCoefs.map((coef) => (iso ? [coef] : covariates.map((cv) => `${coef}${cv.name}`)));
  const lscalePriors = parts.map((part) => (iso ? [defaultLengthScalePrior(part.points)] : covariates.map((_, d) => defaultLengthScalePrior(part.points.map((p) => Float64Array.of(p[d]))))));
  return { span: call.span, label, covariates: covariates.map((cv) => cv.name), ...(by ? { by } : {}), iso, scale, ...(approximate ? { approximate } : {}), parts, sdCoefs, lscaleCoefs, lscalePriors };
}

// ---------------------------------------------------------------------------------------------
// Stan code

/** Stan names of the i-th (1-based) gp() term of a predictor with prefix `prefix`. */
export function gaussianProcessNames(prefix: string, i: number) {
  const n = (name: string) => `${withSuffix(name, prefix)}_${i}`;
  const part = (name: string, term: GaussianProcessTerm, j: number) => (term.by?.kind === "factor" ? `${n(name)}_${j + 1}` : n(name));
  return {
    Kgp: n("Kgp"),
    Dgp: n("Dgp"),
    NBgp: n("NBgp"),
    Ngp: n("Ngp"),
    Nsubgp: n("Nsubgp"),
    sdgp: n("sdgp"),
    lscale: n("lscale"),
    /** Names that are one per sub-GP with a factor by (`Xgp_1_2`), else one per term (`Xgp_1`). */
    part,
  };
}

const SPAN = syntheticSpan("<brms>");

function param(name: string, type: StanType, dataOnly = false) {
  return { name, type, dataOnly, span: SPAN };
}

function fn(name: string, returnType: StanType, params: ReturnType<typeof param>[], body: Stmt[]): FunctionDef {
  return { kind: "FunctionDef", span: SPAN, name, nameSpan: SPAN, returnType, params, body: b.block(body) };
}

const VECTOR_ARRAY: StanType = { base: "vector", arrayDims: 1 };
const INT_ARRAY: StanType = { base: "int", arrayDims: 1 };

/** brms 2.18's functions for GP terms: the exact GP, the spectral density, and its range helpers (which brms always adds with them). */
export function gaussianProcessFunctions(): FunctionDef[] {
  const v = b.v;
  const i1 = b.int(1);
  const lscaleAt = (k: Expr) => b.idx(v("lscale"), k);
  const exactGp = fn("gp", VECTOR, [param("x", VECTOR_ARRAY, true), param("sdgp", REAL), param("lscale", VECTOR), param("zgp", VECTOR)], [
    b.decl("int", "Dls", { init: b.call("rows", v("lscale")) }),
    b.decl("int", "N", { init: b.call("size", v("x")) }),
    b.decl("matrix", "cov", { sizes: [v("N"), v("N")] }),
    b.ifElse(
      b.bin("==", v("Dls"), i1),
      b.block([b.assign(v("cov"), b.call("gp_exp_quad_cov", v("x"), v("sdgp"), lscaleAt(i1)))]),
      b.block([
        b.assign(v("cov"), b.call("gp_exp_quad_cov", b.idx(v("x"), "all", i1), v("sdgp"), lscaleAt(i1))),
        b.forLoop("d", b.int(2), v("Dls"), [b.assign(v("cov"), b.bin(".*", v("cov"), b.call("gp_exp_quad_cov", b.idx(v("x"), "all", v("d")), i1, lscaleAt(v("d")))))]),
      ]),
    ),
    b.forLoop("n", i1, v("N"), [b.assign(b.idx(v("cov"), v("n"), v("n")), b.real("1e-12"), "+=")]),
    ret(b.bin("*", b.call("cholesky_decompose", v("cov")), v("zgp"))),
  ]);
  const sqrtTwoPi = b.call("sqrt", b.bin("*", b.int(2), b.call("pi")));
  const spd = fn("spd_cov_exp_quad", VECTOR, [param("x", VECTOR_ARRAY, true), param("sdgp", REAL), param("lscale", VECTOR)], [
    b.decl("int", "NB", { init: b.idx(b.call("dims", v("x")), i1) }),
    b.decl("int", "D", { init: b.idx(b.call("dims", v("x")), b.int(2)) }),
    b.decl("int", "Dls", { init: b.call("rows", v("lscale")) }),
    b.decl("vector", "out", { sizes: [v("NB")] }),
    b.ifElse(
      b.bin("==", v("Dls"), i1),
      b.block([
        b.decl("real", "constant", { init: b.bin("*", b.call("square", v("sdgp")), b.bin("^", b.paren(b.bin("*", sqrtTwoPi, lscaleAt(i1))), v("D"))) }),
        b.decl("real", "neg_half_lscale2", { init: b.bin("*", b.neg(b.real("0.5")), b.call("square", lscaleAt(i1))) }),
        b.forLoop("m", i1, v("NB"), [b.assign(b.idx(v("out"), v("m")), b.bin("*", v("constant"), b.call("exp", b.bin("*", v("neg_half_lscale2"), b.call("dot_self", b.idx(v("x"), v("m")))))))]),
      ]),
      b.block([
        b.decl("real", "constant", { init: b.bin("*", b.bin("*", b.call("square", v("sdgp")), b.bin("^", sqrtTwoPi, v("D"))), b.call("prod", v("lscale"))) }),
        b.decl("vector", "neg_half_lscale2", { sizes: [v("Dls")], init: b.bin("*", b.neg(b.real("0.5")), b.call("square", v("lscale"))) }),
        b.forLoop("m", i1, v("NB"), [
          b.assign(b.idx(v("out"), v("m")), b.bin("*", v("constant"), b.call("exp", b.call("dot_product", v("neg_half_lscale2"), b.call("square", b.idx(v("x"), v("m"))))))),
        ]),
      ]),
    ),
    ret(v("out")),
  ]);
  const inRange = b.bin("&&", b.bin(">=", b.idx(v("x"), v("i")), v("start")), b.bin("<=", b.idx(v("x"), v("i")), v("end")));
  const rangeParams = () => [param("x", INT_ARRAY), param("start", INT), param("end", INT)];
  const overX = (body: Stmt[]) => b.forLoop("i", i1, b.call("size", v("x")), body);
  const sizeRange = fn("size_range", INT, rangeParams(), [b.decl("int", "out", { init: b.int(0) }), overX([b.assign(v("out"), b.paren(inRange), "+=")]), ret(v("out"))]);
  const whichRange = fn("which_range", INT_ARRAY, rangeParams(), [
    b.decl("int", "out", { arrayDims: [b.call("size_range", v("x"), v("start"), v("end"))] }),
    b.decl("int", "j", { init: i1 }),
    overX([b.ifThen(inRange, [b.assign(b.idx(v("out"), v("j")), v("i")), b.assign(v("j"), i1, "+=")])]),
    ret(v("out")),
  ]);
  const startAtOne = fn("start_at_one", INT_ARRAY, [param("x", INT_ARRAY), param("start", INT)], [
    b.decl("int", "out", { arrayDims: [b.call("size", v("x"))] }),
    overX([b.assign(b.idx(v("out"), v("i")), b.bin("+", b.bin("-", b.idx(v("x"), v("i")), v("start")), i1))]),
    ret(v("out")),
  ]);
  return [exactGp, spd, sizeRange, whichRange, startAtOne];
}

/** The latent rows' count of sub-GP j: `Nsubgp_1` or, with a factor by, `Nsubgp_1[j]`. */
function latentRows(term: GaussianProcessTerm, names: ReturnType<typeof gaussianProcessNames>, j: number): Expr {
  return term.by?.kind === "factor" ? b.idx(b.v(names.Nsubgp), b.int(j + 1)) : b.v(names.Nsubgp);
}

/** Data declarations of a predictor's gp() terms, in brms's order. */
export function gaussianProcessDataDecls(terms: readonly GaussianProcessTerm[], prefix: string, N: Expr): Stmt[] {
  const out: Stmt[] = [];
  const one = () => b.int(1);
  terms.forEach((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    out.push(b.decl("int", n.Kgp, { lower: one() }), b.decl("int", n.Dgp, { lower: one() }));
    if (term.approximate) out.push(b.decl("int", n.NBgp, { lower: one() }));
    const J = term.parts.map((_, j) => j);
    const factor = term.by?.kind === "factor";
    if (factor) {
      out.push(b.decl("int", n.Ngp, { lower: one(), arrayDims: [b.v(n.Kgp)] }));
      const Ngp = (j: number) => b.idx(b.v(n.Ngp), b.int(j + 1));
      for (const j of J) out.push(b.decl("int", n.part("Igp", term, j), { lower: one(), arrayDims: [Ngp(j)] }), b.decl("vector", n.part("Cgp", term, j), { sizes: [Ngp(j)] }));
      out.push(b.decl("int", n.Nsubgp, { lower: one(), arrayDims: [b.v(n.Kgp)] }));
      for (const j of J) out.push(b.decl("int", n.part("Jgp", term, j), { lower: one(), arrayDims: [Ngp(j)] }));
    } else {
      out.push(b.decl("int", n.Nsubgp, { lower: one() }), b.decl("int", n.part("Jgp", term, 0), { lower: one(), arrayDims: [N] }));
      if (term.by) out.push(b.decl("vector", n.part("Cgp", term, 0), { sizes: [N] }));
    }
    for (const j of J) {
      if (term.approximate) {
        out.push(b.decl("matrix", n.part("Xgp", term, j), { sizes: [latentRows(term, n, j), b.v(n.NBgp)] }));
        out.push(b.decl("vector", n.part("slambda", term, j), { sizes: [b.v(n.Dgp)], arrayDims: [b.v(n.NBgp)] }));
      } else {
        out.push(b.decl("vector", n.part("Xgp", term, j), { sizes: [b.v(n.Dgp)], arrayDims: [latentRows(term, n, j)] }));
      }
    }
  });
  return out;
}

/** Parameters: sdgp, lscale, then each sub-GP's zgp. */
export function gaussianProcessParameters(terms: readonly GaussianProcessTerm[], prefix: string): Stmt[] {
  return terms.flatMap((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    const zero = () => b.int(0);
    return [
      b.decl("vector", n.sdgp, { sizes: [b.v(n.Kgp)], lower: zero() }),
      b.decl("vector", n.lscale, { sizes: [term.iso ? b.int(1) : b.v(n.Dgp)], arrayDims: [b.v(n.Kgp)], lower: zero() }),
      ...term.parts.map((_, j) => b.decl("vector", n.part("zgp", term, j), { sizes: [term.approximate ? b.v(n.NBgp) : latentRows(term, n, j)] })),
    ];
  });
}

/** The model block's GP values, before the linear predictors: `rgp` (approximate) and `gp_pred` of each sub-GP. */
export function gaussianProcessPredictions(terms: readonly GaussianProcessTerm[], prefix: string): Stmt[] {
  return terms.flatMap((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    const J = term.parts.map((_, j) => j);
    const sd = (j: number) => b.idx(b.v(n.sdgp), b.int(j + 1));
    const lscale = (j: number) => b.idx(b.v(n.lscale), b.int(j + 1));
    const scaled = term.approximate
      ? J.map((j) =>
          b.decl("vector", n.part("rgp", term, j), {
            sizes: [b.v(n.NBgp)],
            init: b.bin(".*", b.call("sqrt", b.call("spd_cov_exp_quad", b.v(n.part("slambda", term, j)), sd(j), lscale(j))), b.v(n.part("zgp", term, j))),
          }),
        )
      : [];
    const predictions = J.map((j) =>
      b.decl("vector", n.part("gp_pred", term, j), {
        sizes: [latentRows(term, n, j)],
        init: term.approximate ? b.bin("*", b.v(n.part("Xgp", term, j)), b.v(n.part("rgp", term, j))) : b.call("gp", b.v(n.part("Xgp", term, j)), sd(j), lscale(j), b.v(n.part("zgp", term, j))),
      }),
    );
    return [...scaled, ...predictions];
  });
}

/** The terms added to the whole predictor vector: `gp_pred_1[Jgp_1]`, `Cgp_1 .* gp_pred_1[Jgp_1]` (numeric by). */
export function gaussianProcessEtaTerms(terms: readonly GaussianProcessTerm[], prefix: string): Expr[] {
  return terms.flatMap((term, i) => {
    if (term.by?.kind === "factor") return [];
    const n = gaussianProcessNames(prefix, i + 1);
    const value = b.idx(b.v(n.part("gp_pred", term, 0)), b.v(n.part("Jgp", term, 0)));
    return [term.by ? b.bin(".*", b.v(n.part("Cgp", term, 0)), value) : value];
  });
}

/** A factor by's sub-GPs, each added on its level's rows: `mu[Igp_1_1] += Cgp_1_1 .* gp_pred_1_1[Jgp_1_1];`. */
export function gaussianProcessByStatements(terms: readonly GaussianProcessTerm[], prefix: string, linear: string): Stmt[] {
  return terms.flatMap((term, i) => {
    if (term.by?.kind !== "factor") return [];
    const n = gaussianProcessNames(prefix, i + 1);
    return term.parts.map((_, j) =>
      b.assign(b.idx(b.v(linear), b.v(n.part("Igp", term, j))), b.bin(".*", b.v(n.part("Cgp", term, j)), b.idx(b.v(n.part("gp_pred", term, j)), b.v(n.part("Jgp", term, j)))), "+="),
    );
  });
}

/** The standard normal priors of the latent variables, after lprior. */
export function gaussianProcessLatentPriors(terms: readonly GaussianProcessTerm[], prefix: string): Stmt[] {
  return terms.flatMap((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    return term.parts.map((_, j) => b.targetPlus(b.call("std_normal_lpdf", b.v(n.part("zgp", term, j)))));
  });
}

/** The Stan data of a predictor's gp() terms, by name. */
export function gaussianProcessData(terms: readonly GaussianProcessTerm[], prefix: string): [string, StanDataValue][] {
  const out: [string, StanDataValue][] = [];
  terms.forEach((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    out.push([n.Dgp, { kind: "int", value: term.covariates.length }]);
    if (term.approximate) out.push([n.NBgp, { kind: "int", value: term.approximate.k ** term.covariates.length }]);
    out.push([n.Kgp, { kind: "int", value: term.parts.length }]);
    const D = term.covariates.length;
    term.parts.forEach((part, j) => {
      if (part.rows) out.push([n.part("Igp", term, j), { kind: "int[]", value: part.rows }]);
      if (part.contrasts) out.push([n.part("Cgp", term, j), { kind: "vector", value: part.contrasts }]);
      out.push([n.part("Jgp", term, j), { kind: "int[]", value: part.groups }]);
      if (part.basis) {
        const NB = part.basis.sqrtEigenvalues.length;
        const matrix = new Float64Array(part.points.length * NB);
        part.basis.values.forEach((row, r) => matrix.set(row, r * NB));
        out.push([n.part("Xgp", term, j), { kind: "matrix", rows: part.points.length, cols: NB, value: matrix }]);
        const slambda = new Float64Array(NB * D);
        part.basis.sqrtEigenvalues.forEach((row, m) => slambda.set(row, m * D));
        // an array of vectors is written as rows, like a matrix
        out.push([n.part("slambda", term, j), { kind: "matrix", rows: NB, cols: D, value: slambda }]);
      } else {
        const X = new Float64Array(part.points.length * D);
        part.points.forEach((p, r) => X.set(p, r * D));
        out.push([n.part("Xgp", term, j), { kind: "matrix", rows: part.points.length, cols: D, value: X }]);
      }
    });
    if (term.by?.kind === "factor") out.push([n.Ngp, { kind: "int[]", value: Int32Array.from(term.parts, (p) => p.rows!.length) }]);
    out.push([n.Nsubgp, term.by?.kind === "factor" ? { kind: "int[]", value: Int32Array.from(term.parts, (p) => p.points.length) } : { kind: "int", value: term.parts[0].points.length }]);
  });
  return out;
}


// ---------------------------------------------------------------------------------------------
// Post-fit: the GP's values on the model's rows, draw by draw

/**
 * The sum of a predictor's gp() terms on each of its `rows` rows, per draw (rows × draws), as the
 * model block computes it: per draw, the exact GP's `cholesky_decompose(K + 1e-12 I) * zgp` over the
 * distinct covariate rows (brms's .predictor_gp_old), or the approximate GP's basis times
 * `sqrt(spd) .* zgp`; each observation reads its row's value (Jgp), times its by-contrast.
 */
export function gaussianProcessDraws(terms: readonly GaussianProcessTerm[], prefix: string, rows: number, draws: number, drawsOf: (name: string) => Float64Array): Float64Array[] {
  const out = Array.from({ length: rows }, () => new Float64Array(draws));
  const name = (cls: string, coef: string) => `${withSuffix(cls, prefix)}_${coef}`;
  for (const term of terms) {
    term.parts.forEach((part, j) => {
      const sd = drawsOf(name("sdgp", term.sdCoefs[j]));
      const lscales = term.lscaleCoefs[j].map((coef) => drawsOf(name("lscale", coef)));
      const latentCount = part.basis ? part.basis.sqrtEigenvalues.length : part.points.length;
      const z = Array.from({ length: latentCount }, (_, k) => drawsOf(`${name("zgp", term.sdCoefs[j])}[${k + 1}]`));
      const n = part.points.length;
      const D = term.covariates.length;
      const lengthScale = (s: number, d: number) => lscales[term.iso ? 0 : d][s];
      const values = new Float64Array(n);
      const K = new Float64Array(n * n);
      const L = new Float64Array(n * n);
      for (let s = 0; s < draws; s++) {
        const variance = sd[s] ** 2;
        if (part.basis) {
          // sqrt of the spectral density at each basis function's frequencies, times its latent variable
          const weights = part.basis.sqrtEigenvalues.map((lambda, m) => {
            let exponent = 0;
            let scale = variance;
            for (let d = 0; d < D; d++) {
              const l = lengthScale(s, d);
              exponent += -0.5 * l * l * lambda[d] * lambda[d];
              scale *= Math.sqrt(2 * Math.PI) * l;
            }
            return Math.sqrt(scale * Math.exp(exponent)) * z[m][s];
          });
          part.basis.values.forEach((row, r) => {
            let v = 0;
            for (let m = 0; m < row.length; m++) v += row[m] * weights[m];
            values[r] = v;
          });
        } else {
          for (let a = 0; a < n; a++) {
            for (let c = 0; c <= a; c++) {
              let exponent = 0;
              for (let d = 0; d < D; d++) {
                const l = lengthScale(s, d);
                exponent += (part.points[a][d] - part.points[c][d]) ** 2 / (2 * l * l);
              }
              K[a * n + c] = K[c * n + a] = variance * Math.exp(-exponent) + (a === c ? 1e-12 : 0);
            }
          }
          // the runtime's Cholesky factor (column-major: L[a][c] at a + c·n; K is symmetric, so either order)
          cholesky_decompose(L, K, n);
          for (let a = 0; a < n; a++) {
            let v = 0;
            for (let c = 0; c <= a; c++) v += L[a + c * n] * z[c][s];
            values[a] = v;
          }
        }
        part.groups.forEach((g, k) => {
          const row = part.rows ? part.rows[k] - 1 : k;
          out[row][s] += (part.contrasts ? part.contrasts[k] : 1) * values[g - 1];
        });
      }
    });
  }
  return out;
}
