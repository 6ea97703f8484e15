/**
 * Gaussian likelihoods from per-group sufficient statistics: a source-level rewrite of the typed
 * program, run before lowering, so the reverse-mode pass differentiates the result like any other
 * Stan code.
 *
 * A normal likelihood whose location is affine in the parameters with data coefficients,
 *
 *     mu[n] = Σ_t  x_t[n] · θ_t(G[n])        (θ_t: a scalar, a coefficient vector, or v[G[n]])
 *     target += normal_lpdf(Y | mu, sigma)   (or normal_id_glm_lpdf, or `Y ~ normal(…)`)
 *
 * with one scale for all rows, only needs, per level g of the grouping index G, the quadratic form
 * Σ_{n: G[n] = g} (Y[n] − x[n]·φ_g)² in the group's coefficient vector φ_g. Transformed data computes
 * each group's design cross-products S_g = Σ x xᵀ once; a gradient then costs O(groups · P²) instead
 * of O(rows · P). For the lecture's m1 (13 033 rows, 193 people, P = 4) that is the difference
 * between a pass over the data and a pass over the people.
 *
 * The quadratic form is expanded around a reference φ*_g (the group's ridge-regularised least-squares
 * fit), not around 0:  RSS_g(φ) = r0_g − 2 dᵀh_g + dᵀS_g d  with d = φ − φ*_g, r0_g = RSS_g(φ*_g) and
 * h_g = Σ x (Y − x·φ*_g), both summed directly over the rows. The identity is exact for any φ*; near
 * the least-squares fit h_g ≈ 0 and r0_g is the smallest residual sum, so the sum has no cancellation
 * (expanding around 0 would subtract Σ Y² from itself and lose digits on badly scaled data).
 *
 * Two more scales: a scale per row built like the location (brms's `sigma ~ 1 + (1 | g)`, through
 * `sigma = exp(sigma)`), when its linear predictor is one number per group; and
 * multi_normal_cholesky with a location assembled row by row from R such vectors (brms's
 * multivariate models with residual correlation), where the responses' designs are stacked and
 * each response pair's residual cross-products are weighted by the precision from the Cholesky
 * factor.
 *
 * Transformed data also decides, once, whether the statistics are used (`ssK_use__`): only when every
 * coefficient, response and statistic is finite, every group index is in range (and the responses'
 * indices agree), a row scale is constant within each group, and there are fewer groups than
 * rows / P. Otherwise the model block runs the original statements, so Stan's errors and
 * rejections come out unchanged. The original statements stay in the `else` branch of the
 * generated code, where a reader can compare the two.
 */
import type {
  Program,
  Stmt,
  Typed,
  TypedExpr,
  TypedProgram,
  TypedStmt,
  VarDecl,
} from "../ast/ast";
import { printExpr } from "../ast/printer";
import type { Span } from "../common/span";
import { parseStan } from "../parse/parseStan";

/** One block of columns of the per-row design and the parameters it multiplies. */
interface Term {
  /** Stan text of the row's coefficient (scalar), or of its row of coefficients (row_vector), at row `n__`. */
  readonly coef: string;
  /** Number of columns: absent for one column, else Stan int text (e.g. `cols(Xc)`). */
  readonly width?: string;
  /** Stan text of the parameter value for group `g__`: a scalar, or a vector for a block. */
  readonly value: string;
}

/** The location's affine form. */
interface AffineLocation {
  readonly terms: Term[];
  /** Data parts of the location at row `n__` (Stan text, signs included). */
  readonly offsets: string[];
  /** The grouping index (a data int array) and the number of groups, when a term is grouped. */
  group?: { readonly index: string; readonly count: string };
}

interface Likelihood {
  readonly fn: "normal_lpdf" | "normal_id_glm_lpdf" | "multi_normal_cholesky_lpdf";
  readonly propto: boolean;
  readonly y: TypedExpr;
  readonly mu: TypedExpr;
  /** The scale; for multi_normal_cholesky, the Cholesky factor of the covariance. */
  readonly sigma: TypedExpr;
  /** normal_id_glm's design matrix and coefficients. */
  readonly glm?: { readonly x: TypedExpr; readonly beta: TypedExpr };
}

const DATA_ORIGINS = new Set(["data", "transformed data"]);

/** Thrown inside the matcher when a statement does not have the shape; caught per candidate. */
class NoMatch extends Error {}

function fail(): never {
  throw new NoMatch();
}

/**
 * Rewrites every matching likelihood of `typed`'s model block in `untyped` (the same program before
 * type checking). Returns undefined when nothing matched.
 */
export function rewriteGaussianSufficientStats(typed: TypedProgram, untyped: Program): Program | undefined {
  if (!typed.model || !untyped.model) return undefined;
  const decls = collectDecls(typed);
  const counter = { next: 1 };
  const transformedData: Stmt[] = [];
  const model = rewriteList(typed.model.stmts, untyped.model.stmts, decls, counter, transformedData);
  if (counter.next === 1) return undefined;
  const td = untyped.transformedData;
  return {
    ...untyped,
    transformedData: {
      span: td?.span ?? untyped.model.span,
      stmts: [...(td?.stmts ?? []), ...transformedData],
    },
    model: { span: untyped.model.span, stmts: model },
  };
}

/** Declarations of the data, transformed data, parameters and transformed parameters blocks. */
function collectDecls(p: TypedProgram): Map<string, { decl: VarDecl<Typed>; block: string }> {
  const out = new Map<string, { decl: VarDecl<Typed>; block: string }>();
  const add = (block: string, stmts: readonly TypedStmt[] | undefined) => {
    for (const s of stmts ?? []) if (s.kind === "VarDecl") out.set(s.name, { decl: s, block });
  };
  add("data", p.data?.stmts);
  add("transformed data", p.transformedData?.stmts);
  add("parameters", p.parameters?.stmts);
  add("transformed parameters", p.transformedParameters?.stmts);
  return out;
}

type Decls = ReturnType<typeof collectDecls>;

function rewriteList(
  typed: readonly TypedStmt[],
  untyped: readonly Stmt[],
  decls: Decls,
  counter: { next: number },
  transformedData: Stmt[],
): Stmt[] {
  const out: Stmt[] = [];
  let i = 0;
  while (i < typed.length) {
    const s = typed[i];
    const lik = likelihoodOf(s);
    if (lik) {
      const match = tryMatch(typed, i, lik, decls);
      if (match) {
        // the region [match.first, i] became out's tail: replace it
        const k = counter.next++;
        const hoisted = new Set(match.hoisted);
        const region = untyped.slice(match.first, i + 1).filter((_, j) => !hoisted.has(match.first + j));
        out.splice(out.length - (i - match.first), i - match.first);
        out.push(...match.hoisted.map((j) => untyped[j]));
        const generated = generateCode(k, lik, match);
        const parsed = parseStan(`transformed data {\n${generated.transformedData}\n}\nmodel {\n${generated.model}\n}\n`, s.span.file).program;
        const span = s.span;
        transformedData.push(...parsed.transformedData!.stmts.map((x) => respan(x, span)));
        const branch = respan(parsed.model!.stmts[0], span) as Extract<Stmt, { kind: "IfElse" }>;
        out.push({ ...branch, otherwise: { kind: "Block", span, stmts: region } });
        i++;
        continue;
      }
    }
    out.push(rewriteNested(s, untyped[i], decls, counter, transformedData));
    i++;
  }
  return out;
}

/** Looks for likelihoods inside blocks and conditionals (not loops: a per-iteration likelihood is a different shape). */
function rewriteNested(
  typed: TypedStmt,
  untyped: Stmt,
  decls: Decls,
  counter: { next: number },
  transformedData: Stmt[],
): Stmt {
  if (typed.kind === "Block" && untyped.kind === "Block")
    return { ...untyped, stmts: rewriteList(typed.stmts, untyped.stmts, decls, counter, transformedData) };
  if (typed.kind === "IfElse" && untyped.kind === "IfElse") {
    const then = rewriteNested(typed.then, untyped.then, decls, counter, transformedData);
    const otherwise =
      typed.otherwise && untyped.otherwise
        ? rewriteNested(typed.otherwise, untyped.otherwise, decls, counter, transformedData)
        : untyped.otherwise;
    return { ...untyped, then, otherwise };
  }
  return untyped;
}

// ---------------------------------------------------------------------------------------------
// Matching

function likelihoodOf(s: TypedStmt): Likelihood | undefined {
  let fn: string;
  let args: readonly TypedExpr[];
  let propto: boolean;
  if (s.kind === "TargetPlus" && s.expr.kind === "FunctionCall" && s.expr.conditional) {
    fn = s.expr.name;
    args = s.expr.args;
    propto = false;
  } else if (s.kind === "Tilde" && !s.truncation) {
    fn = `${s.distribution}_lpdf`;
    args = [s.lhs, ...s.args];
    propto = true;
  } else return undefined;
  if (fn === "normal_lpdf" && args.length === 3) return { fn, propto, y: args[0], mu: args[1], sigma: args[2] };
  if (fn === "normal_id_glm_lpdf" && args.length === 5)
    return { fn, propto, y: args[0], mu: args[2], sigma: args[4], glm: { x: args[1], beta: args[3] } };
  if (fn === "multi_normal_cholesky_lpdf" && args.length === 3) return { fn, propto, y: args[0], mu: args[1], sigma: args[2] };
  return undefined;
}

const isScalar = (e: TypedExpr) => e.meta.type.arrayDims === 0 && (e.meta.type.base === "real" || e.meta.type.base === "int");
const isData = (e: TypedExpr) => e.meta.adLevel === "data";

/** A variable declared in the data or transformed data block. */
function isDataVariable(e: TypedExpr): e is Extract<TypedExpr, { kind: "Variable" }> {
  return e.kind === "Variable" && DATA_ORIGINS.has(e.meta.origin ?? "");
}

/** A scale that varies by row: built like the location, optionally through `s = exp(s)`. */
interface RowScale {
  readonly location: AffineLocation;
  readonly link: "identity" | "log";
}

interface Match {
  /** Index of the region's first statement (a local's declaration, or the likelihood). */
  readonly first: number;
  /** Statements of the region that build none of the locals: they run before either branch. */
  readonly hoisted: readonly number[];
  /** One location per response (one for normal, R for multi_normal_cholesky). */
  readonly responses: readonly AffineLocation[];
  /** A scale per row (normal_lpdf only); absent when the scale is one value for all rows. */
  readonly scale?: RowScale;
}

const isLocal = (e: TypedExpr): e is Extract<TypedExpr, { kind: "Variable" }> =>
  e.kind === "Variable" && (e.meta.origin === "model" || e.meta.origin === "local");

const newBuild = (): LocalBuild => ({ location: { terms: [], offsets: [] }, link: "identity", linked: false });

function tryMatch(stmts: readonly TypedStmt[], at: number, lik: Likelihood, decls: Decls): Match | undefined {
  try {
    const y = lik.y;
    const multivariate = lik.fn === "multi_normal_cholesky_lpdf";
    if (!isDataVariable(y) || y.meta.type.base !== "vector" || y.meta.type.arrayDims !== (multivariate ? 1 : 0)) fail();
    const locals = new Map<string, LocalBuild>();
    const mu = lik.mu;
    const sigma = lik.sigma;
    let responses: AffineLocation[];
    let assembled: Assembled | undefined;
    let scale: LocalBuild | undefined;
    if (multivariate) {
      // array[N] vector[R] Mu, filled row by row from R local vectors
      if (!isLocal(mu) || mu.meta.type.base !== "vector" || mu.meta.type.arrayDims !== 1) fail();
      if (sigma.meta.type.base !== "matrix" || sigma.meta.type.arrayDims !== 0) fail();
      assembled = assembledFrom(stmts, at, mu.name);
      for (const part of assembled.parts) {
        if (locals.has(part)) fail();
        locals.set(part, newBuild());
      }
      responses = assembled.parts.map((part) => locals.get(part)!.location);
    } else {
      const location: AffineLocation = { terms: [], offsets: [] };
      if (lik.glm) {
        const { x, beta } = lik.glm;
        if (!isDataVariable(x) || x.meta.type.base !== "matrix" || x.meta.type.arrayDims !== 0) fail();
        if (beta.kind !== "Variable" || beta.meta.type.base !== "vector") fail();
        location.terms.push(blockTerm(x, beta));
      }
      if (isLocal(mu)) locals.set(mu.name, { location, link: "identity", linked: false });
      else if (isScalar(mu) || mu.meta.type.base === "vector") vectorTerms(mu, 1, location);
      else fail();
      if (!isScalar(sigma)) {
        // only normal_lpdf takes a scale per row, and then only a local built like the location
        if (lik.glm || !isLocal(sigma) || sigma.meta.type.base !== "vector" || locals.has(sigma.name)) fail();
        scale = newBuild();
        locals.set(sigma.name, scale);
      }
      responses = [location];
    }
    const region = locals.size > 0 ? matchLocals(stmts, at, locals, assembled, decls) : { first: at, hoisted: [] };
    const names = [...locals.keys(), ...(assembled ? [assembled.name] : [])];
    if (scale === undefined && mentionsAny(sigma, names)) fail();
    // the locals must not be read after the likelihood
    for (const name of names) if (stmts.slice(at + 1).some((s) => mentions(s, name))) fail();
    // one grouping for all: the same number of groups (index arrays may differ; data load compares them)
    const groups = [...responses, ...(scale ? [scale.location] : [])].flatMap((l) => (l.group ? [l.group] : []));
    if (groups.some((g) => g.count !== groups[0].count)) fail();
    return { ...region, responses, scale: scale && { location: scale.location, link: scale.link } };
  } catch (e) {
    if (e instanceof NoMatch) return undefined;
    throw e;
  }
}

interface LocalBuild {
  readonly location: AffineLocation;
  link: "identity" | "log";
  /** `s = exp(s)` has run: no further updates may follow. */
  linked: boolean;
}

/** multi_normal_cholesky's location: `array[N] vector[R] Mu;` and `for (n in 1:N) Mu[n] = [a[n], b[n]]';`. */
interface Assembled {
  readonly name: string;
  readonly parts: readonly string[];
  readonly declIndex: number;
  readonly fillIndex: number;
}

function assembledFrom(stmts: readonly TypedStmt[], at: number, name: string): Assembled {
  let declIndex = -1;
  let fillIndex = -1;
  let parts: string[] = [];
  for (let j = 0; j < at; j++) {
    const s = stmts[j];
    if (s.kind === "VarDecl" && s.name === name) {
      if (s.init || s.declType.arrayDims.length !== 1) fail();
      declIndex = j;
    } else if (s.kind === "For" && rowLoopTarget(s) === name) {
      if (fillIndex >= 0) fail();
      fillIndex = j;
      const body = loopBody(s);
      if (body.kind !== "Assign" || body.op !== "=" || !isRowIndexed(body.lhs, name, s.variable)) fail();
      let rhs = body.rhs;
      if (rhs.kind === "FunctionCall" && rhs.name === "transpose" && rhs.args.length === 1) rhs = rhs.args[0];
      else if (rhs.kind === "Transpose") rhs = rhs.operand;
      else fail();
      if (rhs.kind !== "RowVectorLiteral" || rhs.elements.length < 1) fail();
      parts = rhs.elements.map((e) => {
        if (e.kind !== "Indexed" || e.target.kind !== "Variable" || !isRowIndexed(e, e.target.name, s.variable)) fail();
        return e.target.name;
      });
      if (s.lower.kind !== "IntLiteral" || s.lower.text !== "1") fail();
    } else if (mentions(s, name)) fail();
  }
  if (declIndex < 0 || fillIndex < 0) fail();
  return { name, parts, declIndex, fillIndex };
}

/** `x[n]` with n the loop variable. */
function isRowIndexed(e: TypedExpr, name: string, loopVar: string): boolean {
  return (
    e.kind === "Indexed" &&
    e.target.kind === "Variable" &&
    e.target.name === name &&
    e.indices.length === 1 &&
    e.indices[0].kind === "Single" &&
    e.indices[0].expr.kind === "Variable" &&
    e.indices[0].expr.name === loopVar
  );
}

/**
 * The region from the first local's declaration to the likelihood. Each statement is a declaration
 * of one of `locals` or an affine update of one (`s = exp(s)` may end a scale's), the assembled
 * location's declaration or fill loop, or touches none of them: such statements (m2's `LSigma`) run
 * before both branches, so they may not assign anything the location statements read.
 */
function matchLocals(
  stmts: readonly TypedStmt[],
  at: number,
  locals: Map<string, LocalBuild>,
  assembled: Assembled | undefined,
  decls: Decls,
): { first: number; hoisted: number[] } {
  const names = [...locals.keys(), ...(assembled ? [assembled.name] : [])];
  let first = assembled ? Math.min(assembled.declIndex, assembled.fillIndex) : at;
  const sizes = new Map<string, string>();
  for (let j = at - 1; j >= 0 && sizes.size < locals.size; j--) {
    const s = stmts[j];
    if (s.kind === "VarDecl" && locals.has(s.name)) {
      first = Math.min(first, j);
      const t = s.declType;
      if (t.base !== "vector" || t.arrayDims.length > 0 || t.transform.kind !== "none") fail();
      const size = t.sizes[0];
      if (!size || !isData(size) || !onlyDataNames(size)) fail();
      sizes.set(s.name, printExpr(size));
    }
  }
  if (sizes.size < locals.size) fail();
  const hoisted: number[] = [];
  const located: TypedStmt[] = [];
  for (let j = first; j < at; j++) {
    const s = stmts[j];
    if (assembled && (j === assembled.declIndex || j === assembled.fillIndex)) continue;
    if (s.kind === "VarDecl" && locals.has(s.name)) {
      if (!s.init || mentionsAny(s.init, names)) fail();
      located.push(s);
      vectorTerms(s.init, 1, locals.get(s.name)!.location);
      continue;
    }
    if (!mentionsAny(s, names)) {
      hoisted.push(j);
      continue;
    }
    located.push(s);
    if (s.kind === "Assign" && s.lhs.kind === "Variable" && locals.has(s.lhs.name)) {
      const build = locals.get(s.lhs.name)!;
      if (build.linked) fail();
      if (s.op === "+=" && !mentionsAny(s.rhs, names)) {
        vectorTerms(s.rhs, 1, build.location);
        continue;
      }
      // s = exp(s): the log link of brms's distributional sigma
      if (s.op === "=" && s.rhs.kind === "FunctionCall" && s.rhs.name === "exp" && s.rhs.args.length === 1 && s.rhs.args[0].kind === "Variable" && s.rhs.args[0].name === s.lhs.name) {
        build.link = "log";
        build.linked = true;
        continue;
      }
      fail();
    }
    if (s.kind === "For") {
      const name = rowLoopTarget(s);
      const build = name === undefined ? undefined : locals.get(name);
      if (!build || build.linked) fail();
      rowLoop(s, name!, sizes.get(name!)!, names, build.location, decls);
      continue;
    }
    fail();
  }
  // moving a statement before the location's own statements must not change what they read
  const assignedByHoisted = hoisted.flatMap((j) => assignedNames(stmts[j]));
  if (located.some((s) => mentionsAny(s, assignedByHoisted))) fail();
  return { first, hoisted };
}

/** Names a statement assigns (declarations excluded: nothing earlier can read them). */
function assignedNames(s: TypedStmt): string[] {
  const out: string[] = [];
  walk(s, (n) => {
    const node = n as unknown as TypedStmt;
    if (node.kind === "Assign") {
      let lhs = node.lhs;
      while (lhs.kind === "Indexed") lhs = lhs.target;
      if (lhs.kind === "Variable") out.push(lhs.name);
    }
  });
  return out;
}

/** A loop's single statement, through blocks that hold only it. */
function loopBody(s: Extract<TypedStmt, { kind: "For" }>): TypedStmt {
  let body: TypedStmt = s.body;
  while (body.kind === "Block" && body.stmts.length === 1) body = body.stmts[0];
  return body;
}

/** The local a `for (n in …) x[n] += …;` loop updates. */
function rowLoopTarget(s: Extract<TypedStmt, { kind: "For" }>): string | undefined {
  const body = loopBody(s);
  if (body.kind !== "Assign" || body.lhs.kind !== "Indexed" || body.lhs.target.kind !== "Variable") return undefined;
  return body.lhs.target.name;
}

/** `for (n in 1:N) mu[n] += Σ products;` */
function rowLoop(s: Extract<TypedStmt, { kind: "For" }>, name: string, size: string, locals: readonly string[], location: AffineLocation, decls: Decls): void {
  if (s.lower.kind !== "IntLiteral" || s.lower.text !== "1" || printExpr(s.upper) !== size) fail();
  const body = loopBody(s);
  if (body.kind !== "Assign" || body.op !== "+=" || !isRowIndexed(body.lhs, name, s.variable)) fail();
  if (mentionsAny(body.rhs, locals)) fail();
  rowTerms(body.rhs, 1, s.variable, location, decls);
}

/** A vector-valued (or broadcast scalar) addend of the location. */
function vectorTerms(e: TypedExpr, sign: 1 | -1, location: AffineLocation): void {
  switch (e.kind) {
    case "Paren":
      return vectorTerms(e.inner, sign, location);
    case "PrefixOp":
      if (e.op === "-") return vectorTerms(e.operand, (-sign) as 1 | -1, location);
      if (e.op === "+") return vectorTerms(e.operand, sign, location);
      return fail();
    case "BinaryOp":
      if (e.op === "+" || e.op === "-") {
        vectorTerms(e.left, sign, location);
        vectorTerms(e.right, (e.op === "-" ? -sign : sign) as 1 | -1, location);
        return;
      }
      if (e.op === "*" && isDataVariable(e.left) && e.left.meta.type.base === "matrix" && e.left.meta.type.arrayDims === 0 && e.right.kind === "Variable" && e.right.meta.type.base === "vector" && !isData(e.right)) {
        location.terms.push(blockTerm(e.left, e.right, sign));
        return;
      }
      break;
    case "FunctionCall":
      // rep_vector(c, N): c on every row (a constant offset when c is data)
      if (e.name === "rep_vector" && e.args.length === 2 && isScalar(e.args[0])) {
        if (!isZeroLiteral(e.args[0])) vectorTerms(e.args[0], sign, location);
        return;
      }
      break;
    case "Variable":
      if (isDataVariable(e) && e.meta.type.base === "vector" && e.meta.type.arrayDims === 0) {
        location.offsets.push(signed(sign, `${e.name}[n__]`));
        return;
      }
      break;
  }
  if (isScalar(e)) {
    if (isData(e)) {
      if (!onlyDataNames(e)) fail();
      location.offsets.push(signed(sign, printExpr(e)));
    } else location.terms.push({ coef: sign === 1 ? "1" : "-1", value: printExpr(e) });
    return;
  }
  fail();
}

function blockTerm(x: TypedExpr, beta: TypedExpr, sign: 1 | -1 = 1): Term {
  const name = printExpr(x);
  return { coef: sign === 1 ? `${name}[n__]` : `-${name}[n__]`, width: `cols(${name})`, value: printExpr(beta) };
}

/** A scalar addend of `mu[n]` in the row loop over `loopVar`. */
function rowTerms(e: TypedExpr, sign: 1 | -1, loopVar: string, location: AffineLocation, decls: Decls): void {
  if (e.kind === "Paren") return rowTerms(e.inner, sign, loopVar, location, decls);
  if (e.kind === "PrefixOp" && (e.op === "-" || e.op === "+")) return rowTerms(e.operand, (e.op === "-" ? -sign : sign) as 1 | -1, loopVar, location, decls);
  if (e.kind === "BinaryOp" && (e.op === "+" || e.op === "-")) {
    rowTerms(e.left, sign, loopVar, location, decls);
    rowTerms(e.right, (e.op === "-" ? -sign : sign) as 1 | -1, loopVar, location, decls);
    return;
  }
  if (!isScalar(e)) fail();
  const factors: TypedExpr[] = [];
  const flatten = (f: TypedExpr): void => {
    if (f.kind === "BinaryOp" && f.op === "*") {
      flatten(f.left);
      flatten(f.right);
    } else if (f.kind === "Paren" && f.inner.kind === "BinaryOp" && f.inner.op === "*") flatten(f.inner);
    else factors.push(f);
  };
  flatten(e);
  const dataFactors = factors.filter(isData);
  const paramFactors = factors.filter((f) => !isData(f));
  for (const f of dataFactors) if (!onlyDataNames(f, loopVar)) fail();
  const coefText = (extra: string[]) => {
    const parts = [...extra, ...dataFactors.map((f) => `(${printExpr(renameVariable(f, loopVar, "n__"))})`)];
    const text = parts.length === 0 ? "1" : parts.join(" * ");
    return sign === 1 ? text : `-(${text})`;
  };
  if (paramFactors.length === 0) {
    location.offsets.push(coefText([]));
    return;
  }
  if (paramFactors.length !== 1) fail();
  const p = paramFactors[0];
  const grouped = groupedRead(p, loopVar, decls);
  if (grouped) {
    if (location.group && (location.group.index !== grouped.index || location.group.count !== grouped.count)) fail();
    location.group = { index: grouped.index, count: grouped.count };
    location.terms.push({ coef: coefText([]), value: `${grouped.vector}[g__]` });
    return;
  }
  if (mentions(p, loopVar)) fail();
  location.terms.push({ coef: coefText([]), value: `(${printExpr(p)})` });
}

/** `v[G[n]]` with v a parameter-dependent vector declared with a data size, G a data int array. */
function groupedRead(p: TypedExpr, loopVar: string, decls: Decls): { vector: string; index: string; count: string } | undefined {
  if (p.kind !== "Indexed" || p.target.kind !== "Variable" || p.indices.length !== 1 || p.indices[0].kind !== "Single") return undefined;
  const idx = p.indices[0].expr;
  if (idx.kind !== "Indexed" || !isDataVariable(idx.target) || idx.target.meta.type.base !== "int" || idx.target.meta.type.arrayDims !== 1) return undefined;
  if (idx.indices.length !== 1 || idx.indices[0].kind !== "Single" || idx.indices[0].expr.kind !== "Variable" || idx.indices[0].expr.name !== loopVar) return undefined;
  const decl = decls.get(p.target.name);
  if (!decl || decl.block === "data" || decl.block === "transformed data") return undefined;
  const t = decl.decl.declType;
  if (t.base !== "vector" || t.arrayDims.length > 0 || t.sizes.length !== 1 || !onlyDataNames(t.sizes[0])) return undefined;
  return { vector: p.target.name, index: idx.target.name, count: printExpr(t.sizes[0]) };
}

// ---------------------------------------------------------------------------------------------
// Code generation (Stan text, parsed and attributed to the likelihood's line)

/** Column layout of a list of terms: each term's first column (Stan int text) and the total width. */
function columns(terms: readonly Term[]): { starts: string[]; width: string } {
  // one-column terms are counted, not spelled out (`1 + 1 + … + 1` would make the program's
  // text quadratic in the number of terms): an offset is a number plus the block widths before it
  const starts: string[] = [];
  const sum = (count: number, widths: readonly string[]) =>
    widths.length === 0 ? String(count) : count === 0 ? widths.join(" + ") : `${widths.join(" + ")} + ${count}`;
  let count = 1;
  const widths: string[] = [];
  for (const t of terms) {
    starts.push(sum(count, widths));
    if (t.width === undefined) count++;
    else widths.push(t.width);
  }
  return { starts, width: terms.length === 0 ? "0" : sum(count - 1, widths) };
}

/**
 * One statement per term: `line(column, valueOrCoefficient)` for a one-column term, and the same
 * inside `for (k__ in 1:width)` over its columns for a block (`x[k__]` of the block's vector).
 */
function perColumn(
  terms: readonly Term[],
  starts: readonly string[],
  indent: string,
  of: (t: Term) => string,
  line: (column: string, x: string) => string,
): string {
  return terms
    .map((t, i) => (t.width ? `${indent}for (k__ in 1:${t.width}) ${line(`${starts[i]} + k__ - 1`, `${of(t)}[k__]`)}` : `${indent}${line(starts[i], of(t))}`))
    .join("\n");
}

function generateCode(k: number, lik: Likelihood, match: Match): { transformedData: string; model: string } {
  const p = `ss${k}_`;
  const N = `${p}N__`;
  const G = `${p}G__`;
  const P = `${p}P__`;
  const S = `${p}Ps__`;
  const responses = match.responses;
  const R = responses.length;
  const scale = match.scale;
  const y = printExpr(lik.y);
  const multivariate = lik.fn === "multi_normal_cholesky_lpdf";
  // the stacked design: response r's columns follow those of responses 1 … r−1
  const layouts = responses.map((loc) => columns(loc.terms));
  // one block per response (with a column → response map) unless it is one univariate response
  const stacked = multivariate || R > 1;
  const blockWidth = (r: number) => (stacked ? `${p}P${r + 1}__` : P);
  const blockOffset = (r: number) => (r === 0 ? "0" : Array.from({ length: r }, (_, q) => blockWidth(q)).join(" + "));
  const column = (r: number, start: string) => (r === 0 ? start : `${blockOffset(r)} + ${start}`);
  const groupIndexes = [...new Set([...responses, ...(scale ? [scale.location] : [])].flatMap((l) => (l.group ? [l.group.index] : [])))];
  const groupCount = [...responses, ...(scale ? [scale.location] : [])].find((l) => l.group)?.group?.count ?? "1";
  const responseAt = (r: number) => {
    const value = multivariate ? `${y}[n__, ${r + 1}]` : `${y}[n__]`;
    const offsets = responses[r].offsets;
    return offsets.length ? `${value} - (${offsets.join(" + ")})` : value;
  };
  // a row scale's data offsets become one more column whose parameter is 1
  const scaleTerms = scale ? [...scale.location.terms, ...(scale.location.offsets.length ? [{ coef: `(${scale.location.offsets.join(" + ")})`, value: "1" }] : [])] : [];
  const scaleColumns = columns(scaleTerms);
  const widths = !stacked
      ? `  int ${P} = ${layouts[0].width};`
      : `${layouts.map((l, r) => `  int ${blockWidth(r)} = ${l.width};`).join("\n")}
  int ${P} = ${layouts.map((_, r) => blockWidth(r)).join(" + ")};
  // the response each column belongs to
  array[${P}] int ${p}resp__;`;
  const respFill = !stacked
      ? ""
      : `
${layouts.map((_, r) => `  for (i__ in 1:${blockWidth(r)}) ${p}resp__[${column(r, "i__")}] = ${r + 1};`).join("\n")}`;
  const scaleDecls = scale
    ? `
  int ${S} = ${scaleColumns.width};
  // the scale's coefficients, the same on every row of a group (checked below)
  matrix[${S}, ${G}] ${p}C__;
  array[${G}] int ${p}first__;`
    : "";
  const scaleRow = scale
    ? `
      if (${p}g__[n__] >= 1 && ${p}g__[n__] <= ${G}) {
        vector[${S}] c__;
${perColumn(scaleTerms, scaleColumns.starts, "        ", (t) => t.coef, (c, x) => `c__[${c}] = ${x};`)}
        for (i__ in 1:${S}) if (is_nan(c__[i__]) || is_inf(c__[i__])) ${p}use__ = 0;
        if (${p}n__[${p}g__[n__]] == 0) {
          ${p}C__[, ${p}g__[n__]] = c__;
          ${p}first__[${p}g__[n__]] = n__;
        } else {
          for (i__ in 1:${S}) if (c__[i__] != ${p}C__[i__, ${p}g__[n__]]) ${p}use__ = 0;
        }
      }`
    : "";
  const sameGroups = groupIndexes
    .slice(1)
    .map((index) => `\n      if (${index}[n__] != ${p}g__[n__]) ${p}use__ = 0;`)
    .join("");
  const designRow = responses
    .map((loc, r) => perColumn(loc.terms, layouts[r].starts.map((st) => column(r, st)), "      ", (t) => t.coef, (c, x) => `${p}D__[${c}, n__] = ${x};`))
    .join("\n");
  const referenceFits = responses
    .map(
      (_, r) => `        {
          matrix[${blockWidth(r)}, ${blockWidth(r)}] A__;
          vector[${blockWidth(r)}] b__;
          real ridge__ = 1e-300;
          for (j__ in 1:${blockWidth(r)}) {
            b__[j__] = ${p}Sy__[${column(r, "j__")}, g__];
            for (i__ in 1:${blockWidth(r)}) A__[i__, j__] = ${p}S__[g__, ${column(r, "i__")}, ${column(r, "j__")}];
          }
          for (i__ in 1:${blockWidth(r)}) ridge__ += 1e-10 * A__[i__, i__];
          for (i__ in 1:${blockWidth(r)}) A__[i__, i__] += ridge__;
          b__ = inverse(A__) * b__;
          for (i__ in 1:${blockWidth(r)}) ${p}ref__[${column(r, "i__")}, g__] = b__[i__];
        }`,
    )
    .join("\n");
  const residuals = responses
    .map((_, r) => `        e__[${r + 1}] = ${p}y__[${r + 1}, n__];
        for (i__ in 1:${blockWidth(r)}) e__[${r + 1}] -= ${p}D__[${column(r, "i__")}, n__] * ${p}ref__[${column(r, "i__")}, ${p}g__[n__]];`)
    .join("\n");
  const transformedData = `
  int ${N} = ${multivariate ? `size(${y})` : `rows(${y})`};
  int ${G} = ${groupCount};
${widths}
  array[${G}] matrix[${P}, ${P}] ${p}S__;
  matrix[${P}, ${G}] ${p}ref__;
  array[${R}] matrix[${P}, ${G}] ${p}h__;
  array[${R}, ${R}] vector[${G}] ${p}r0__;
  // the residual sums over all groups, for the scales shared by every group
  matrix[${R}, ${R}] ${p}r0total__;
  vector[${G}] ${p}n__ = rep_vector(0, ${G});${scaleDecls}
  int ${p}use__ = ${G} * ${P} < ${N};${respFill}
  {
    matrix[${P}, ${N}] ${p}D__;
    matrix[${R}, ${N}] ${p}y__;
    array[${N}] int ${p}g__;
    matrix[${P}, ${G}] ${p}Sy__ = rep_matrix(0, ${P}, ${G});
    for (n__ in 1:${N}) {
      ${p}g__[n__] = ${groupIndexes.length ? `${groupIndexes[0]}[n__]` : "1"};${sameGroups}
      if (${p}g__[n__] < 1 || ${p}g__[n__] > ${G}) ${p}use__ = 0;
${responses.map((_, r) => `      ${p}y__[${r + 1}, n__] = ${responseAt(r)};`).join("\n")}
      for (r__ in 1:${R}) if (is_nan(${p}y__[r__, n__]) || is_inf(${p}y__[r__, n__])) ${p}use__ = 0;
${designRow}
      for (i__ in 1:${P}) if (is_nan(${p}D__[i__, n__]) || is_inf(${p}D__[i__, n__])) ${p}use__ = 0;${scaleRow}
      if (${p}g__[n__] >= 1 && ${p}g__[n__] <= ${G}) ${p}n__[${p}g__[n__]] += 1;
    }
    if (${p}use__) {
      for (g__ in 1:${G}) ${p}S__[g__] = rep_matrix(0, ${P}, ${P});
      for (n__ in 1:${N}) {
        for (j__ in 1:${P}) {
          ${p}Sy__[j__, ${p}g__[n__]] += ${p}D__[j__, n__] * ${p}y__[${multivariate ? `${p}resp__[j__]` : "1"}, n__];
          for (i__ in 1:${P}) ${p}S__[${p}g__[n__], i__, j__] += ${p}D__[i__, n__] * ${p}D__[j__, n__];
        }
      }
      // each response's least-squares fit per group (ridge-regularised): the reference point
      for (g__ in 1:${G}) {
${referenceFits}
      }
      for (s__ in 1:${R}) {
        ${p}h__[s__] = rep_matrix(0, ${P}, ${G});
        for (r__ in 1:${R}) ${p}r0__[r__, s__] = rep_vector(0, ${G});
      }
      for (n__ in 1:${N}) {
        vector[${R}] e__;
${residuals}
        for (s__ in 1:${R}) {
          for (r__ in 1:${R}) ${p}r0__[r__, s__, ${p}g__[n__]] += e__[r__] * e__[s__];
          for (i__ in 1:${P}) ${p}h__[s__, i__, ${p}g__[n__]] += ${p}D__[i__, n__] * e__[s__];
        }
      }
      for (s__ in 1:${R}) for (r__ in 1:${R}) ${p}r0total__[r__, s__] = sum(${p}r0__[r__, s__]);
      // statistics that overflowed (huge data): the rows name the element that does
      for (g__ in 1:${G}) {
        for (j__ in 1:${P}) {
          if (is_inf(${p}ref__[j__, g__]) || is_nan(${p}ref__[j__, g__])) ${p}use__ = 0;
          for (i__ in 1:${P}) if (is_inf(${p}S__[g__, i__, j__])) ${p}use__ = 0;
          for (s__ in 1:${R}) if (is_inf(${p}h__[s__, j__, g__]) || is_nan(${p}h__[s__, j__, g__])) ${p}use__ = 0;
        }
        for (s__ in 1:${R}) for (r__ in 1:${R}) if (is_inf(${p}r0__[r__, s__, g__]) || is_nan(${p}r0__[r__, s__, g__])) ${p}use__ = 0;
      }
    }
  }`;
  const fillCoef = responses
    .map((loc, r) =>
      perColumn(loc.terms, layouts[r].starts.map((st) => column(r, st)), "    ", (t) => t.value, (c, x) => `${p}d__[${c}, g__] = ${x} - ${p}ref__[${c}, g__];`),
    )
    .join("\n");
  const quadraticForm = (acc: string) => `    for (i__ in 1:${P}) {
      ${acc} += ${p}d__[i__, g__] * (${p}S__[g__, i__, i__] * ${p}d__[i__, g__] - 2 * ${p}h__[1, i__, g__]);
      for (j__ in (i__ + 1):${P}) ${acc} += 2 * ${p}S__[g__, i__, j__] * ${p}d__[i__, g__] * ${p}d__[j__, g__];
    }`;
  let model: string;
  if (multivariate) {
    const L = printExpr(lik.sigma);
    const keepsLogDet = !lik.propto || !isData(lik.sigma);
    // Σ_g of each response pair's quadratic form and linear term, in registers; Ω weighs them once
    const sums: string[] = [];
    const loops: string[] = [];
    const weighted: string[] = [];
    for (let r = 0; r < R; r++) {
      for (let t = 0; t < R; t++) {
        const lin = `${p}lin${r + 1}${t + 1}__`;
        sums.push(`  real ${lin} = 0;`);
        loops.push(`    for (i__ in 1:${blockWidth(r)}) ${lin} += ${p}d__[${column(r, "i__")}, g__] * ${p}h__[${t + 1}, ${column(r, "i__")}, g__];`);
        weighted.push(`2 * ${p}Omega__[${r + 1}, ${t + 1}] * ${lin}`);
      }
      for (let t = r; t < R; t++) {
        const quad = `${p}quad${r + 1}${t + 1}__`;
        sums.push(`  real ${quad} = 0;`);
        if (r === t)
          loops.push(`    for (i__ in 1:${blockWidth(r)}) {
      ${quad} += ${p}S__[g__, ${column(r, "i__")}, ${column(r, "i__")}] * ${p}d__[${column(r, "i__")}, g__] * ${p}d__[${column(r, "i__")}, g__];
      for (j__ in (i__ + 1):${blockWidth(r)}) ${quad} += 2 * ${p}S__[g__, ${column(r, "i__")}, ${column(r, "j__")}] * ${p}d__[${column(r, "i__")}, g__] * ${p}d__[${column(r, "j__")}, g__];
    }`);
        else
          loops.push(`    for (i__ in 1:${blockWidth(r)}) {
      for (j__ in 1:${blockWidth(t)}) ${quad} += ${p}S__[g__, ${column(r, "i__")}, ${column(t, "j__")}] * ${p}d__[${column(r, "i__")}, g__] * ${p}d__[${column(t, "j__")}, g__];
    }`);
        weighted.push(`${r === t ? "" : "2 * "}${p}Omega__[${r + 1}, ${t + 1}] * ${quad}`);
      }
    }
    const pairSums = `${sums.join("\n")}
  for (g__ in 1:${G}) {
${loops.join("\n")}
  }`;
    const linTerms = weighted.filter((w) => w.includes("lin"));
    const quadTerms = weighted.filter((w) => w.includes("quad"));
    const pairTotal = `-0.5 * (${p}q__ - ${linTerms.join(" - ")} + ${quadTerms.join(" + ")})${keepsLogDet ? ` - ${N} * ${p}logdet__` : ""}${lik.propto ? "" : ` - ${N} * ${R} * 0.918938533204672741780329736406`}`;
    model = `
if (${p}use__) {
  matrix[${P}, ${G}] ${p}d__;
  matrix[${R}, ${R}] ${p}L__ = ${L};
  matrix[${R}, ${R}] ${p}Linv__ = rep_matrix(0, ${R}, ${R});
  matrix[${R}, ${R}] ${p}Omega__;
  real ${p}q__ = 0;
  real ${p}logdet__ = 0;
  // the precision matrix from the Cholesky factor, by forward substitution
  for (j__ in 1:${R}) {
    for (i__ in j__:${R}) {
      real acc__ = i__ == j__;
      for (k__ in j__:(i__ - 1)) acc__ -= ${p}L__[i__, k__] * ${p}Linv__[k__, j__];
      ${p}Linv__[i__, j__] = acc__ / ${p}L__[i__, i__];
    }
  }
  for (r__ in 1:${R}) {
    ${p}logdet__ += log(${p}L__[r__, r__]);
    for (s__ in 1:${R}) {
      ${p}Omega__[r__, s__] = 0;
      for (k__ in 1:${R}) ${p}Omega__[r__, s__] += ${p}Linv__[k__, r__] * ${p}Linv__[k__, s__];
      ${p}q__ += ${p}Omega__[r__, s__] * ${p}r0total__[r__, s__];
    }
  }
  for (g__ in 1:${G}) {
${fillCoef}
  }
${pairSums}
  target += ${pairTotal};
}`;
  } else if (!scale) {
    const sigma = printExpr(lik.sigma);
    const keepsLogSigma = !lik.propto || !isData(lik.sigma);
    model = `
if (${p}use__) {
  matrix[${P}, ${G}] ${p}d__;
  real ${p}q__ = 0;
  real ${p}sigma__ = ${sigma};
  if (!(${p}sigma__ > 0)) reject("${lik.fn}: Scale parameter is ", ${p}sigma__, ", but must be positive!");
  for (g__ in 1:${G}) {
${fillCoef}
  }
  for (g__ in 1:${G}) {
${quadraticForm(`${p}q__`)}
  }
  target += -0.5 * (${p}r0total__[1, 1] + ${p}q__) / square(${p}sigma__)${keepsLogSigma ? ` - ${N} * log(${p}sigma__)` : ""}${lik.propto ? "" : ` - ${N} * 0.918938533204672741780329736406`};
}`;
  } else {
    const fillScale = perColumn(scaleTerms, scaleColumns.starts, "    ", (t) => t.value, (c, x) => `${p}eta__[g__] += ${p}C__[${c}, g__] * ${x};`);
    // '~' drops -log(sigma) only when the scale is data
    const keepsLogScale = !lik.propto || scale.location.terms.length > 0;
    const sigmaOf = scale.link === "log" ? `exp(${p}eta__[g__])` : `${p}eta__[g__]`;
    model = `
if (${p}use__) {
  matrix[${P}, ${G}] ${p}d__;
  vector[${G}] ${p}q__;
  vector[${G}] ${p}eta__;
  vector[${G}] ${p}sigma__;
  for (g__ in 1:${G}) {
${fillCoef}
    ${p}eta__[g__] = 0;
${fillScale}
  }
  for (g__ in 1:${G}) {
    ${p}q__[g__] = ${p}r0__[1, 1, g__];
${quadraticForm(`${p}q__[g__]`)}
  }
  for (g__ in 1:${G}) {
    ${p}sigma__[g__] = ${sigmaOf};
    if (${p}n__[g__] > 0 && !(${p}sigma__[g__] > 0)) reject("${lik.fn}: Scale parameter[", ${p}first__[g__], "] is ", ${p}sigma__[g__], ", but must be positive!");
    if (${p}n__[g__] > 0) target += -0.5 * ${p}q__[g__] / square(${p}sigma__[g__])${keepsLogScale ? ` - ${p}n__[g__] * log(${p}sigma__[g__])` : ""};
  }${lik.propto ? "" : `\n  target += -${N} * 0.918938533204672741780329736406;`}
}`;
  }
  return { transformedData, model };
}

// ---------------------------------------------------------------------------------------------
// Small tree helpers (the AST is plain data)

function signed(sign: 1 | -1, text: string): string {
  return sign === 1 ? `(${text})` : `-(${text})`;
}

function isZeroLiteral(e: TypedExpr): boolean {
  return (e.kind === "IntLiteral" || e.kind === "RealLiteral") && Number(e.text) === 0;
}

/** Every variable `e` reads is data or transformed data (or the loop variable `allowed`). */
function onlyDataNames(e: TypedExpr, allowed?: string): boolean {
  let ok = true;
  walk(e, (node) => {
    if (node.kind === "Variable" && node.name !== allowed && !DATA_ORIGINS.has((node.meta as Typed).origin ?? "")) ok = false;
    if (node.kind === "FunctionCall" && (node.name?.endsWith("_rng") || node.name?.endsWith("_lp"))) ok = false;
  });
  return ok;
}

function mentionsAny(node: unknown, names: readonly string[]): boolean {
  return names.some((n) => mentions(node, n));
}

function mentions(node: unknown, name: string): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.kind === "Variable" && n.name === name) found = true;
  });
  return found;
}

function walk(node: unknown, visit: (n: { kind: string; name?: string; meta?: unknown }) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (typeof o.kind === "string") visit(o as { kind: string; name?: string });
  for (const key of Object.keys(o)) if (key !== "meta" && key !== "span") walk(o[key], visit);
}

function renameVariable<T>(node: T, from: string, to: string): T {
  return mapTree(node, (o) => (o.kind === "Variable" && o.name === from ? { ...o, name: to } : o));
}

/** Every span of a parsed snippet points at the likelihood it implements (comments and errors quote that line). */
function respan<T>(node: T, span: Span): T {
  return mapTree(node, (o) => {
    const copy: Record<string, unknown> = { ...o };
    for (const key of ["span", "nameSpan", "distributionSpan"]) if (key in copy) copy[key] = span;
    if (copy.meta && typeof copy.meta === "object") copy.meta = { ...(copy.meta as object), span };
    return copy;
  });
}

function mapTree<T>(node: T, f: (o: Record<string, unknown>) => Record<string, unknown>): T {
  if (Array.isArray(node)) return node.map((x) => mapTree(x, f)) as T;
  if (node === null || typeof node !== "object") return node;
  const o = node as Record<string, unknown>;
  if ("file" in o && "start" in o && "end" in o) return node; // a span
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(o)) copy[key] = key === "meta" ? o[key] : mapTree(o[key], f);
  return f(copy) as T;
}
