/**
 * Gaussian likelihoods from per-group sufficient statistics: an AST → AST rewrite between type
 * checking and lowering. It reads the typed program, builds the statements of the statistics as
 * Stan AST nodes (each carrying the span of the likelihood it implements, so comments and runtime
 * errors name that Stan line) and returns the untyped program, which the driver type-checks
 * again; the reverse-mode pass then differentiates the result like any other Stan code.
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
import type { Expr, Program, Stmt, Typed, TypedExpr, TypedProgram, TypedStmt, VarDecl } from "../ast/ast";
import { copyExpr, nodeBuilder, sameExpr, type NodeBuilder } from "../ast/build";
import type { Span } from "../common/span";

/** One block of columns of the per-row design and the parameters it multiplies. */
interface Term {
  /** The row's coefficient (scalar), or its row of coefficients (row_vector, maybe negated), at row `n__`. */
  readonly coef: Expr;
  /** Number of columns: absent for one column, else an int expression (e.g. `cols(Xc)`). */
  readonly width?: Expr;
  /** The parameter value for group `g__`: a scalar, or a vector for a block. */
  readonly value: Expr;
}

/** The location's affine form. */
interface AffineLocation {
  readonly terms: Term[];
  /** Data parts of the location at row `n__`, signs included. */
  readonly offsets: Expr[];
  /** The grouping index (a data int array) and the number of groups, when a term is grouped. */
  group?: { readonly index: string; readonly count: Expr };
}

/** What building nodes for one likelihood needs: its span (via the builder) and the program's declarations. */
interface Site {
  readonly b: NodeBuilder;
  readonly span: Span;
  readonly decls: Decls;
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
  // first every likelihood that matches, with the statements that build its location
  const matches = new Map<number, { lik: Likelihood; match: Match; site: Site }>();
  const located = new Set<number>();
  typed.forEach((s, i) => {
    const lik = likelihoodOf(s);
    if (!lik) return;
    // every node built for this likelihood carries its span
    const site: Site = { b: nodeBuilder(s.span), span: s.span, decls };
    const match = tryMatch(typed, i, lik, site);
    if (!match) return;
    matches.set(i, { lik, match, site });
    for (const j of regionOf(match, i)) located.add(j);
  });
  // then each likelihood becomes `if (ssK_use__) { statistics } else { its location's statements and itself }`;
  // the other statements stay in order (those between a location's statements run before the branch)
  const out: Stmt[] = [];
  typed.forEach((s, i) => {
    const found = matches.get(i);
    if (found) {
      const { lik, match, site } = found;
      const name = statisticNames(counter.next++);
      const layout = layoutOf(lik, match, name, site);
      transformedData.push(...statisticsStatements(layout, site));
      // the original statements stay, for the data the statistics cannot serve
      const region = [...regionOf(match, i).map((j) => untyped[j]), untyped[i]];
      out.push(site.b.ifElse(site.b.v(name("use__")), site.b.block(likelihoodStatements(layout, site)), site.b.block(region)));
    } else if (!located.has(i)) out.push(rewriteNested(s, untyped[i], decls, counter, transformedData));
  });
  return out;
}

/** Indices of the statements that build a match's location (its region less the hoisted ones). */
function regionOf(match: Match, at: number): number[] {
  const hoisted = new Set(match.hoisted);
  const out: number[] = [];
  for (let j = match.first; j < at; j++) if (!hoisted.has(j)) out.push(j);
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

function tryMatch(stmts: readonly TypedStmt[], at: number, lik: Likelihood, site: Site): Match | undefined {
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
        location.terms.push(blockTerm(x, beta, 1, site));
      }
      if (isLocal(mu)) locals.set(mu.name, { location, link: "identity", linked: false });
      else if (isScalar(mu) || mu.meta.type.base === "vector") vectorTerms(mu, 1, location, site);
      else fail();
      if (!isScalar(sigma)) {
        // only normal_lpdf takes a scale per row, and then only a local built like the location
        if (lik.glm || !isLocal(sigma) || sigma.meta.type.base !== "vector" || locals.has(sigma.name)) fail();
        scale = newBuild();
        locals.set(sigma.name, scale);
      }
      responses = [location];
    }
    const region = locals.size > 0 ? matchLocals(stmts, at, locals, assembled, site) : { first: at, hoisted: [] };
    const names = [...locals.keys(), ...(assembled ? [assembled.name] : [])];
    if (scale === undefined && mentionsAny(sigma, names)) fail();
    // the locals must not be read after the likelihood
    for (const name of names) if (stmts.slice(at + 1).some((s) => mentions(s, name))) fail();
    // one grouping for all: the same number of groups (index arrays may differ; data load compares them)
    const groups = [...responses, ...(scale ? [scale.location] : [])].flatMap((l) => (l.group ? [l.group] : []));
    if (groups.some((g) => !sameExpr(g.count, groups[0].count))) fail();
    // under '~' a density of data alone is a constant Stan drops: the rows add nothing, nor may the statistics
    const dependsOnParameters = responses.some((l) => l.terms.length > 0) || (scale ? scale.location.terms.length > 0 : !isData(sigma));
    if (lik.propto && !dependsOnParameters) fail();
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
  site: Site,
): { first: number; hoisted: number[] } {
  const names = [...locals.keys(), ...(assembled ? [assembled.name] : [])];
  let first = assembled ? Math.min(assembled.declIndex, assembled.fillIndex) : at;
  const sizes = new Map<string, TypedExpr>();
  for (let j = at - 1; j >= 0 && sizes.size < locals.size; j--) {
    const s = stmts[j];
    if (s.kind === "VarDecl" && locals.has(s.name)) {
      first = Math.min(first, j);
      const t = s.declType;
      if (t.base !== "vector" || t.arrayDims.length > 0 || t.transform.kind !== "none") fail();
      const size = t.sizes[0];
      if (!size || !isData(size) || !onlyDataNames(size)) fail();
      sizes.set(s.name, size);
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
      vectorTerms(s.init, 1, locals.get(s.name)!.location, site);
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
        vectorTerms(s.rhs, 1, build.location, site);
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
      rowLoop(s, name!, sizes.get(name!)!, names, build.location, site);
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
function rowLoop(s: Extract<TypedStmt, { kind: "For" }>, name: string, size: TypedExpr, locals: readonly string[], location: AffineLocation, site: Site): void {
  if (s.lower.kind !== "IntLiteral" || s.lower.text !== "1" || !sameExpr(s.upper, size)) fail();
  const body = loopBody(s);
  if (body.kind !== "Assign" || body.op !== "+=" || !isRowIndexed(body.lhs, name, s.variable)) fail();
  if (mentionsAny(body.rhs, locals)) fail();
  rowTerms(body.rhs, 1, s.variable, location, site);
}

/** A vector-valued (or broadcast scalar) addend of the location. */
function vectorTerms(e: TypedExpr, sign: 1 | -1, location: AffineLocation, site: Site): void {
  const { b, span } = site;
  switch (e.kind) {
    case "Paren":
      return vectorTerms(e.inner, sign, location, site);
    case "PrefixOp":
      if (e.op === "-") return vectorTerms(e.operand, (-sign) as 1 | -1, location, site);
      if (e.op === "+") return vectorTerms(e.operand, sign, location, site);
      return fail();
    case "BinaryOp":
      if (e.op === "+" || e.op === "-") {
        vectorTerms(e.left, sign, location, site);
        vectorTerms(e.right, (e.op === "-" ? -sign : sign) as 1 | -1, location, site);
        return;
      }
      if (e.op === "*" && isDataVariable(e.left) && e.left.meta.type.base === "matrix" && e.left.meta.type.arrayDims === 0 && e.right.kind === "Variable" && e.right.meta.type.base === "vector" && !isData(e.right)) {
        location.terms.push(blockTerm(e.left, e.right, sign, site));
        return;
      }
      break;
    case "FunctionCall":
      // rep_vector(c, N): c on every row (a constant offset when c is data)
      if (e.name === "rep_vector" && e.args.length === 2 && isScalar(e.args[0])) {
        if (!isZeroLiteral(e.args[0])) vectorTerms(e.args[0], sign, location, site);
        return;
      }
      break;
    case "Variable":
      if (isDataVariable(e) && e.meta.type.base === "vector" && e.meta.type.arrayDims === 0) {
        location.offsets.push(signed(sign, b.idx(b.v(e.name), b.v("n__")), b));
        return;
      }
      break;
  }
  if (isScalar(e)) {
    if (isData(e)) {
      if (!onlyDataNames(e)) fail();
      location.offsets.push(signed(sign, copyExpr(e, span), b));
    } else {
      if (readsTarget(e)) fail();
      location.terms.push({ coef: sign === 1 ? b.int(1) : b.neg(b.int(1)), value: copyExpr(e, span) });
    }
    return;
  }
  fail();
}

/** `x * beta`: one column per coefficient, the row `x[n__]` (negated when subtracted). */
function blockTerm(x: TypedExpr, beta: TypedExpr, sign: 1 | -1, site: Site): Term {
  const { b, span } = site;
  const row = b.idx(copyExpr(x, span), b.v("n__"));
  return { coef: sign === 1 ? row : b.neg(row), width: b.call("cols", copyExpr(x, span)), value: copyExpr(beta, span) };
}

/** A scalar addend of `mu[n]` in the row loop over `loopVar`. */
function rowTerms(e: TypedExpr, sign: 1 | -1, loopVar: string, location: AffineLocation, site: Site): void {
  const { b, span } = site;
  if (e.kind === "Paren") return rowTerms(e.inner, sign, loopVar, location, site);
  if (e.kind === "PrefixOp" && (e.op === "-" || e.op === "+")) return rowTerms(e.operand, (e.op === "-" ? -sign : sign) as 1 | -1, loopVar, location, site);
  if (e.kind === "BinaryOp" && (e.op === "+" || e.op === "-")) {
    rowTerms(e.left, sign, loopVar, location, site);
    rowTerms(e.right, (e.op === "-" ? -sign : sign) as 1 | -1, loopVar, location, site);
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
  // the product of the data factors at row n__, each parenthesised as written
  const atRow = (name: string) => (name === loopVar ? b.v("n__") : undefined);
  const product = dataFactors.map((f) => b.paren(copyExpr(f, span, atRow))).reduce<Expr | undefined>((acc, f) => (acc ? b.bin("*", acc, f) : f), undefined) ?? b.int(1);
  const coef = sign === 1 ? product : b.neg(b.paren(product));
  if (paramFactors.length === 0) {
    location.offsets.push(coef);
    return;
  }
  // one scalar parameter factor (a vector one, as in `X[n] * b`, is a different design)
  if (paramFactors.length !== 1 || !isScalar(paramFactors[0]) || readsTarget(paramFactors[0])) fail();
  const p = paramFactors[0];
  const grouped = groupedRead(p, loopVar, site.decls);
  if (grouped) {
    if (location.group && (location.group.index !== grouped.index || !sameExpr(location.group.count, grouped.count))) fail();
    location.group = { index: grouped.index, count: copyExpr(grouped.count, span) };
    location.terms.push({ coef, value: b.idx(b.v(grouped.vector), b.v("g__")) });
    return;
  }
  if (mentions(p, loopVar)) fail();
  location.terms.push({ coef, value: b.paren(copyExpr(p, span)) });
}

/** `v[G[n]]` with v a parameter-dependent vector declared with a data size, G a data int array. */
function groupedRead(p: TypedExpr, loopVar: string, decls: Decls): { vector: string; index: string; count: TypedExpr } | undefined {
  if (p.kind !== "Indexed" || p.target.kind !== "Variable" || p.indices.length !== 1 || p.indices[0].kind !== "Single") return undefined;
  const idx = p.indices[0].expr;
  if (idx.kind !== "Indexed" || !isDataVariable(idx.target) || idx.target.meta.type.base !== "int" || idx.target.meta.type.arrayDims !== 1) return undefined;
  if (idx.indices.length !== 1 || idx.indices[0].kind !== "Single" || idx.indices[0].expr.kind !== "Variable" || idx.indices[0].expr.name !== loopVar) return undefined;
  const decl = decls.get(p.target.name);
  if (!decl || decl.block === "data" || decl.block === "transformed data") return undefined;
  const t = decl.decl.declType;
  if (t.base !== "vector" || t.arrayDims.length > 0 || t.sizes.length !== 1 || !onlyDataNames(t.sizes[0])) return undefined;
  return { vector: p.target.name, index: idx.target.name, count: t.sizes[0] };
}

// ---------------------------------------------------------------------------------------------
// Code generation: AST nodes, each with the likelihood's span

/** log(√(2π)), the normal density's constant. */
const LOG_SQRT_TWO_PI = "0.918938533204672741780329736406";

/** The names of one rewrite's variables, `ss<k>_…`, numbered in program order. */
function statisticNames(k: number): (suffix: string) => string {
  return (suffix) => `ss${k}_${suffix}`;
}

/** An int expression as the list of its addends (`1 + cols(Xc) + k__`), summed left to right. */
type Addends = readonly Expr[];

/** Column layout of a list of terms: each term's first column and the total width. */
interface Columns {
  readonly starts: readonly Addends[];
  readonly width: Addends;
}

function columns(terms: readonly Term[], b: NodeBuilder): Columns {
  // one-column terms are counted, not listed (`1 + 1 + … + 1` made the program quadratic in the
  // number of terms: 24 MB of AST for 400 coefficients): an offset is the widths of the blocks
  // before it plus a number
  const addends = (count: number, widths: readonly Expr[]): Addends =>
    count === 0 && widths.length > 0 ? [...widths] : [...widths, b.int(count)];
  const starts: Addends[] = [];
  let count = 1;
  const widths: Expr[] = [];
  for (const t of terms) {
    starts.push(addends(count, widths));
    if (t.width === undefined) count++;
    else widths.push(t.width);
  }
  return { starts, width: terms.length === 0 ? [b.int(0)] : addends(count - 1, widths) };
}

/** Everything both blocks' code is laid out from. */
interface Layout {
  readonly lik: Likelihood;
  readonly name: (suffix: string) => string;
  readonly responses: readonly AffineLocation[];
  readonly scale?: RowScale;
  readonly multivariate: boolean;
  /** One block of columns per response (with a column → response map) unless it is one univariate response. */
  readonly stacked: boolean;
  /** Each response's columns within its block. */
  readonly blocks: readonly Columns[];
  /** The row scale's terms; its data offsets become one more column whose parameter is 1. */
  readonly scaleTerms: readonly Term[];
  readonly scaleColumns: Columns;
  /** The grouping index arrays (one, or one per response when they differ by name). */
  readonly groupIndexes: readonly string[];
  readonly groupCount: Expr;
}

function layoutOf(lik: Likelihood, match: Match, name: (suffix: string) => string, { b }: Site): Layout {
  const { responses, scale } = match;
  const multivariate = lik.fn === "multi_normal_cholesky_lpdf";
  const offsetColumn = (offsets: readonly Expr[]): Term[] => (offsets.length ? [{ coef: b.paren(b.sum(...offsets)), value: b.int(1) }] : []);
  const scaleTerms = scale ? [...scale.location.terms, ...offsetColumn(scale.location.offsets)] : [];
  const groups = [...responses, ...(scale ? [scale.location] : [])].flatMap((l) => (l.group ? [l.group] : []));
  return {
    lik,
    name,
    responses,
    scale,
    multivariate,
    stacked: multivariate || responses.length > 1,
    blocks: responses.map((loc) => columns(loc.terms, b)),
    scaleTerms,
    scaleColumns: columns(scaleTerms, b),
    groupIndexes: [...new Set(groups.map((g) => g.index))],
    groupCount: groups[0]?.count ?? b.int(1),
  };
}

/** Response r's number of columns. */
function blockWidth(L: Layout, r: number, b: NodeBuilder): Expr {
  return b.v(L.stacked ? L.name(`P${r + 1}__`) : L.name("P__"));
}

/** Column `start` of response r in the stacked design: response r's columns follow those of responses 1 … r−1. */
function stackedColumn(L: Layout, r: number, start: Addends, b: NodeBuilder): Addends {
  return [...Array.from({ length: r }, (_, q) => blockWidth(L, q, b)), ...start];
}

/** Element k of a block's row or coefficient vector: `x[n__][k]`, and `-x[n__][k]` for a negated row. */
function element(e: Expr, k: Expr, b: NodeBuilder): Expr {
  return e.kind === "PrefixOp" && e.op === "-" ? b.neg(element(e.operand, k, b)) : b.idx(e, k);
}

/**
 * One statement per term: `line(column, valueOrCoefficient)` for a one-column term, and the same
 * inside `for (k__ in 1:width)` over its columns for a block (element `k__` of the block's vector).
 */
function perColumn(
  terms: readonly Term[],
  starts: readonly Addends[],
  of: (t: Term) => Expr,
  line: (column: Expr, x: Expr) => Stmt,
  b: NodeBuilder,
): Stmt[] {
  const k = b.v("k__");
  return terms.map((t, i) =>
    t.width ? b.forLoop("k__", b.int(1), t.width, line(b.bin("-", b.sum(...starts[i], k), b.int(1)), element(of(t), k, b))) : line(b.sum(...starts[i]), of(t)),
  );
}

/** Loop variables and the small pieces every generated statement uses. */
function vocabulary(L: Layout, b: NodeBuilder) {
  const ss = (suffix: string) => b.v(L.name(suffix));
  return {
    ss,
    one: b.int(1),
    zero: b.int(0),
    n: b.v("n__"),
    g: b.v("g__"),
    i: b.v("i__"),
    j: b.v("j__"),
    k: b.v("k__"),
    r: b.v("r__"),
    s: b.v("s__"),
    N: ss("N__"),
    G: ss("G__"),
    P: ss("P__"),
    R: b.int(L.responses.length),
    /** `ssK_use__ = 0;`: the data do not allow the statistics. */
    refuse: (): Stmt => b.assign(ss("use__"), b.int(0)),
    /** Column `start` of response r, as one int expression. */
    column: (r: number, start: Addends): Expr => b.sum(...stackedColumn(L, r, start, b)),
    width: (r: number): Expr => blockWidth(L, r, b),
  };
}

/**
 * Transformed data: the design, the statistics per group, and whether to use them. In Stan (for
 * m1; `printProgram` of the pass's result shows it whole):
 *
 *     int ss1_N__ = rows(Y);  int ss1_G__ = N_1;  int ss1_P__ = cols(Xc) + 1 + 1 + 1;
 *     array[ss1_G__] matrix[ss1_P__, ss1_P__] ss1_S__;  matrix[ss1_P__, ss1_G__] ss1_ref__;  …
 *     int ss1_use__ = ss1_G__ * ss1_P__ < ss1_N__;
 *     {
 *       for (n__ in 1:ss1_N__) {   // the group, response and design row; every check of the data
 *         ss1_g__[n__] = J_1[n__];  ss1_y__[1, n__] = Y[n__];
 *         for (k__ in 1:cols(Xc)) ss1_D__[1 + k__ - 1, n__] = Xc[n__][k__];  ss1_D__[1 + cols(Xc), n__] = 1;  …
 *       }
 *       if (ss1_use__) { S_g = Σ D Dᵀ; the reference fits ref_g; h_g and r0_g from their residuals; overflow checks }
 *     }
 */
function statisticsStatements(L: Layout, { b, span }: Site): Stmt[] {
  const { lik, name, responses, scale, multivariate } = L;
  const { ss, one, zero, n, g, i, j, r, s, N, G, P, R, refuse, column, width } = vocabulary(L, b);
  const Ps = ss("Ps__");
  const gn = b.idx(ss("g__"), n);
  const inRange = b.bin("&&", b.bin(">=", gn, one), b.bin("<=", gn, G));
  const nanOrInf = (x: Expr) => b.bin("||", b.call("is_nan", x), b.call("is_inf", x));
  const infOrNan = (x: Expr) => b.bin("||", b.call("is_inf", x), b.call("is_nan", x));
  const y = copyExpr(lik.y, span);
  const responseAt = (q: number): Expr => {
    const value = multivariate ? b.idx(y, n, b.int(q + 1)) : b.idx(y, n);
    const offsets = responses[q].offsets;
    return offsets.length ? b.bin("-", value, b.paren(b.sum(...offsets))) : value;
  };

  const out: Stmt[] = [
    b.decl("int", name("N__"), { init: b.call(multivariate ? "size" : "rows", y) }),
    b.decl("int", name("G__"), { init: L.groupCount }),
  ];
  if (!L.stacked) out.push(b.decl("int", name("P__"), { init: b.sum(...L.blocks[0].width) }));
  else {
    L.blocks.forEach((block, q) => out.push(b.decl("int", name(`P${q + 1}__`), { init: b.sum(...block.width) })));
    out.push(b.decl("int", name("P__"), { init: b.sum(...L.blocks.map((_, q) => width(q))) }));
    // the response each column belongs to
    out.push(b.decl("int", name("resp__"), { arrayDims: [P] }));
  }
  out.push(
    b.decl("matrix", name("S__"), { sizes: [P, P], arrayDims: [G] }),
    b.decl("matrix", name("ref__"), { sizes: [P, G] }),
    b.decl("matrix", name("h__"), { sizes: [P, G], arrayDims: [R] }),
    b.decl("vector", name("r0__"), { sizes: [G], arrayDims: [R, R] }),
    // the residual sums over all groups, for the scales shared by every group
    b.decl("matrix", name("r0total__"), { sizes: [R, R] }),
    b.decl("vector", name("n__"), { sizes: [G], init: b.call("rep_vector", zero, G) }),
  );
  if (scale) {
    out.push(
      b.decl("int", name("Ps__"), { init: b.sum(...L.scaleColumns.width) }),
      // the scale's coefficients, the same on every row of a group (checked below)
      b.decl("matrix", name("C__"), { sizes: [Ps, G] }),
      b.decl("int", name("first__"), { arrayDims: [G] }),
    );
  }
  out.push(b.decl("int", name("use__"), { init: b.bin("<", b.bin("*", G, P), N) }));
  if (L.stacked) L.blocks.forEach((_, q) => out.push(b.forLoop("i__", one, width(q), b.assign(b.idx(ss("resp__"), column(q, [i])), b.int(q + 1)))));

  // one pass over the rows: the design, the responses, and every check of the data
  const scaleRow = (): Stmt => {
    const c = b.v("c__");
    return b.ifElse(
      inRange,
      b.block([
        b.decl("vector", "c__", { sizes: [Ps] }),
        ...perColumn(L.scaleTerms, L.scaleColumns.starts, (t) => t.coef, (col, x) => b.assign(b.idx(c, col), x), b),
        b.forLoop("i__", one, Ps, b.ifElse(nanOrInf(b.idx(c, i)), refuse())),
        b.ifElse(
          b.bin("==", b.idx(ss("n__"), gn), zero),
          b.block([b.assign(b.idx(ss("C__"), "all", gn), c), b.assign(b.idx(ss("first__"), gn), n)]),
          b.block([b.forLoop("i__", one, Ps, b.ifElse(b.bin("!=", b.idx(c, i), b.idx(ss("C__"), i, gn)), refuse()))]),
        ),
      ]),
    );
  };
  const perRow: Stmt[] = [
    b.assign(gn, L.groupIndexes.length ? b.idx(b.v(L.groupIndexes[0]), n) : one),
    ...L.groupIndexes.slice(1).map((index) => b.ifElse(b.bin("!=", b.idx(b.v(index), n), gn), refuse())),
    b.ifElse(b.bin("||", b.bin("<", gn, one), b.bin(">", gn, G)), refuse()),
    ...responses.map((_, q) => b.assign(b.idx(ss("y__"), b.int(q + 1), n), responseAt(q))),
    b.forLoop("r__", one, R, b.ifElse(nanOrInf(b.idx(ss("y__"), r, n)), refuse())),
    ...responses.flatMap((loc, q) =>
      perColumn(loc.terms, L.blocks[q].starts.map((start) => stackedColumn(L, q, start, b)), (t) => t.coef, (col, x) => b.assign(b.idx(ss("D__"), col, n), x), b),
    ),
    b.forLoop("i__", one, P, b.ifElse(nanOrInf(b.idx(ss("D__"), i, n)), refuse())),
    ...(scale ? [scaleRow()] : []),
    b.ifElse(inRange, b.assign(b.idx(ss("n__"), gn), one, "+=")),
  ];

  // each response's least-squares fit per group (ridge-regularised): the reference point
  const referenceFit = (q: number): Stmt => {
    const [A, rhs, ridge] = [b.v("A__"), b.v("b__"), b.v("ridge__")];
    return b.block([
      b.decl("matrix", "A__", { sizes: [width(q), width(q)] }),
      b.decl("vector", "b__", { sizes: [width(q)] }),
      b.decl("real", "ridge__", { init: b.real("1e-300") }),
      b.forLoop(
        "j__",
        one,
        width(q),
        b.block([
          b.assign(b.idx(rhs, j), b.idx(ss("Sy__"), column(q, [j]), g)),
          b.forLoop("i__", one, width(q), b.assign(b.idx(A, i, j), b.idx(ss("S__"), g, column(q, [i]), column(q, [j])))),
        ]),
      ),
      b.forLoop("i__", one, width(q), b.assign(ridge, b.bin("*", b.real("1e-10"), b.idx(A, i, i)), "+=")),
      b.forLoop("i__", one, width(q), b.assign(b.idx(A, i, i), ridge, "+=")),
      b.assign(rhs, b.bin("*", b.call("inverse", A), rhs)),
      b.forLoop("i__", one, width(q), b.assign(b.idx(ss("ref__"), column(q, [i]), g), b.idx(rhs, i))),
    ]);
  };
  const e = b.v("e__");
  const residual = (q: number): Stmt[] => [
    b.assign(b.idx(e, b.int(q + 1)), b.idx(ss("y__"), b.int(q + 1), n)),
    b.forLoop("i__", one, width(q), b.assign(b.idx(e, b.int(q + 1)), b.bin("*", b.idx(ss("D__"), column(q, [i]), n), b.idx(ss("ref__"), column(q, [i]), gn)), "-=")),
  ];
  const statistics: Stmt[] = [
    b.forLoop("g__", one, G, b.assign(b.idx(ss("S__"), g), b.call("rep_matrix", zero, P, P))),
    b.forLoop(
      "n__",
      one,
      N,
      b.block([
        b.forLoop(
          "j__",
          one,
          P,
          b.block([
            b.assign(b.idx(ss("Sy__"), j, gn), b.bin("*", b.idx(ss("D__"), j, n), b.idx(ss("y__"), multivariate ? b.idx(ss("resp__"), j) : one, n)), "+="),
            b.forLoop("i__", one, P, b.assign(b.idx(ss("S__"), gn, i, j), b.bin("*", b.idx(ss("D__"), i, n), b.idx(ss("D__"), j, n)), "+=")),
          ]),
        ),
      ]),
    ),
    b.forLoop("g__", one, G, b.block(responses.map((_, q) => referenceFit(q)))),
    b.forLoop(
      "s__",
      one,
      R,
      b.block([
        b.assign(b.idx(ss("h__"), s), b.call("rep_matrix", zero, P, G)),
        b.forLoop("r__", one, R, b.assign(b.idx(ss("r0__"), r, s), b.call("rep_vector", zero, G))),
      ]),
    ),
    b.forLoop(
      "n__",
      one,
      N,
      b.block([
        b.decl("vector", "e__", { sizes: [R] }),
        ...responses.flatMap((_, q) => residual(q)),
        b.forLoop(
          "s__",
          one,
          R,
          b.block([
            b.forLoop("r__", one, R, b.assign(b.idx(ss("r0__"), r, s, gn), b.bin("*", b.idx(e, r), b.idx(e, s)), "+=")),
            b.forLoop("i__", one, P, b.assign(b.idx(ss("h__"), s, i, gn), b.bin("*", b.idx(ss("D__"), i, n), b.idx(e, s)), "+=")),
          ]),
        ),
      ]),
    ),
    b.forLoop("s__", one, R, b.forLoop("r__", one, R, b.assign(b.idx(ss("r0total__"), r, s), b.call("sum", b.idx(ss("r0__"), r, s))))),
    // statistics that overflowed (huge data): the rows name the element that does
    b.forLoop(
      "g__",
      one,
      G,
      b.block([
        b.forLoop(
          "j__",
          one,
          P,
          b.block([
            b.ifElse(infOrNan(b.idx(ss("ref__"), j, g)), refuse()),
            b.forLoop("i__", one, P, b.ifElse(b.call("is_inf", b.idx(ss("S__"), g, i, j)), refuse())),
            b.forLoop("s__", one, R, b.ifElse(infOrNan(b.idx(ss("h__"), s, j, g)), refuse())),
          ]),
        ),
        b.forLoop("s__", one, R, b.forLoop("r__", one, R, b.ifElse(infOrNan(b.idx(ss("r0__"), r, s, g)), refuse()))),
      ]),
    ),
  ];
  out.push(
    b.block([
      b.decl("matrix", name("D__"), { sizes: [P, N] }),
      b.decl("matrix", name("y__"), { sizes: [R, N] }),
      b.decl("int", name("g__"), { arrayDims: [N] }),
      b.decl("matrix", name("Sy__"), { sizes: [P, G], init: b.call("rep_matrix", zero, P, G) }),
      b.forLoop("n__", one, N, b.block(perRow)),
      b.ifElse(ss("use__"), b.block(statistics)),
    ]),
  );
  return out;
}

/**
 * The model block's branch taken when `ssK_use__`: the likelihood from the statistics. For one
 * scale (m1):
 *
 *     real ss1_sigma__ = sigma;  (reject unless positive)
 *     for (g__ in 1:ss1_G__) ss1_d__[, g__] = φ_g − ss1_ref__[, g__];   (one statement per term)
 *     for (g__ in 1:ss1_G__) ss1_q__ += dᵀ (S_g d − 2 h_g);
 *     target += -0.5 * (ss1_r0total__[1, 1] + ss1_q__) / square(ss1_sigma__) - ss1_N__ * log(ss1_sigma__) …;
 */
function likelihoodStatements(L: Layout, site: Site): Stmt[] {
  const { b } = site;
  const { lik, name, responses } = L;
  const { ss, one, zero, g, i, j, N, G, P } = vocabulary(L, b);
  const d = ss("d__");
  // each group's coefficients relative to its reference fit
  const fillCoef = responses.flatMap((loc, q) =>
    perColumn(
      loc.terms,
      L.blocks[q].starts.map((start) => stackedColumn(L, q, start, b)),
      (t) => t.value,
      (col, x) => b.assign(b.idx(d, col, g), b.bin("-", x, b.idx(ss("ref__"), col, g))),
      b,
    ),
  );
  if (L.multivariate) return multivariateStatements(L, site, fillCoef);
  const quadraticForm = (acc: Expr): Stmt =>
    b.forLoop(
      "i__",
      one,
      P,
      b.block([
        b.assign(acc, b.bin("*", b.idx(d, i, g), b.paren(b.bin("-", b.bin("*", b.idx(ss("S__"), g, i, i), b.idx(d, i, g)), b.bin("*", b.int(2), b.idx(ss("h__"), one, i, g))))), "+="),
        b.forLoop("j__", b.paren(b.bin("+", i, one)), P, b.assign(acc, b.product(b.int(2), b.idx(ss("S__"), g, i, j), b.idx(d, i, g), b.idx(d, j, g)), "+=")),
      ]),
    );
  const halfNegative = b.neg(b.real("0.5"));
  const scale = L.scale;
  if (!scale) {
    const sigma = ss("sigma__");
    // '~' drops -N log(sigma) only when the scale is data
    const keepsLogSigma = !lik.propto || !isData(lik.sigma);
    let total = b.bin("/", b.bin("*", halfNegative, b.paren(b.bin("+", b.idx(ss("r0total__"), one, one), ss("q__")))), b.call("square", sigma));
    if (keepsLogSigma) total = b.bin("-", total, b.bin("*", N, b.call("log", sigma)));
    if (!lik.propto) total = b.bin("-", total, b.bin("*", N, b.real(LOG_SQRT_TWO_PI)));
    return [
      b.decl("matrix", name("d__"), { sizes: [P, G] }),
      b.decl("real", name("q__"), { init: zero }),
      b.decl("real", name("sigma__"), { init: copyExpr(lik.sigma, site.span) }),
      b.ifElse(b.not(b.paren(b.bin(">", sigma, zero))), b.reject(b.str(`${lik.fn}: Scale parameter is `), sigma, b.str(", but must be positive!"))),
      b.forLoop("g__", one, G, b.block(fillCoef)),
      b.forLoop("g__", one, G, b.block([quadraticForm(ss("q__"))])),
      b.targetPlus(total),
    ];
  }
  const [q, eta, sigma, count] = [ss("q__"), ss("eta__"), ss("sigma__"), ss("n__")];
  const fillScale = perColumn(L.scaleTerms, L.scaleColumns.starts, (t) => t.value, (col, x) => b.assign(b.idx(eta, g), b.bin("*", b.idx(ss("C__"), col, g), x), "+="), b);
  // '~' drops -log(sigma) only when the scale is data
  const keepsLogScale = !lik.propto || scale.location.terms.length > 0;
  let groupTotal = b.bin("/", b.bin("*", halfNegative, b.idx(q, g)), b.call("square", b.idx(sigma, g)));
  if (keepsLogScale) groupTotal = b.bin("-", groupTotal, b.bin("*", b.idx(count, g), b.call("log", b.idx(sigma, g))));
  const hasRows = b.bin(">", b.idx(count, g), zero);
  return [
    b.decl("matrix", name("d__"), { sizes: [P, G] }),
    b.decl("vector", name("q__"), { sizes: [G] }),
    b.decl("vector", name("eta__"), { sizes: [G] }),
    b.decl("vector", name("sigma__"), { sizes: [G] }),
    b.forLoop("g__", one, G, b.block([...fillCoef, b.assign(b.idx(eta, g), zero), ...fillScale])),
    b.forLoop("g__", one, G, b.block([b.assign(b.idx(q, g), b.idx(ss("r0__"), one, one, g)), quadraticForm(b.idx(q, g))])),
    b.forLoop(
      "g__",
      one,
      G,
      b.block([
        b.assign(b.idx(sigma, g), scale.link === "log" ? b.call("exp", b.idx(eta, g)) : b.idx(eta, g)),
        b.ifElse(
          b.bin("&&", hasRows, b.not(b.paren(b.bin(">", b.idx(sigma, g), zero)))),
          b.reject(b.str(`${lik.fn}: Scale parameter[`), b.idx(ss("first__"), g), b.str("] is "), b.idx(sigma, g), b.str(", but must be positive!")),
        ),
        b.ifElse(hasRows, b.targetPlus(groupTotal)),
      ]),
    ),
    ...(lik.propto ? [] : [b.targetPlus(b.bin("*", b.neg(N), b.real(LOG_SQRT_TWO_PI)))]),
  ];
}

/**
 * multi_normal_cholesky: −½ Σ_{r,s} Ω_rs E_rs − N log|L|, with Ω = (L Lᵀ)⁻¹ from the Cholesky
 * factor and E_rs each response pair's residual cross-products summed over the groups (in
 * registers; Ω weighs them once).
 */
function multivariateStatements(L: Layout, { b, span }: Site, fillCoef: readonly Stmt[]): Stmt[] {
  const { lik, name, responses } = L;
  const { ss, one, zero, g, i, j, k, r, s, N, G, P, R, column, width } = vocabulary(L, b);
  const [d, S, h, Omega, Lf, Linv] = [ss("d__"), ss("S__"), ss("h__"), ss("Omega__"), ss("L__"), ss("Linv__")];
  const keepsLogDet = !lik.propto || !isData(lik.sigma);
  const sums: Stmt[] = [];
  const loops: Stmt[] = [];
  const linear: Expr[] = [];
  const quadratic: Expr[] = [];
  const count = responses.length;
  for (let p = 0; p < count; p++) {
    const at = (x: Expr) => column(p, [x]);
    for (let t = 0; t < count; t++) {
      const lin = name(`lin${p + 1}${t + 1}__`);
      sums.push(b.decl("real", lin, { init: zero }));
      loops.push(b.forLoop("i__", one, width(p), b.assign(b.v(lin), b.bin("*", b.idx(d, at(i), g), b.idx(h, b.int(t + 1), at(i), g)), "+=")));
      linear.push(b.product(b.int(2), b.idx(Omega, b.int(p + 1), b.int(t + 1)), b.v(lin)));
    }
    for (let t = p; t < count; t++) {
      const quad = name(`quad${p + 1}${t + 1}__`);
      const atT = (x: Expr) => column(t, [x]);
      sums.push(b.decl("real", quad, { init: zero }));
      if (p === t)
        loops.push(
          b.forLoop(
            "i__",
            one,
            width(p),
            b.block([
              b.assign(b.v(quad), b.product(b.idx(S, g, at(i), at(i)), b.idx(d, at(i), g), b.idx(d, at(i), g)), "+="),
              b.forLoop("j__", b.paren(b.bin("+", i, one)), width(p), b.assign(b.v(quad), b.product(b.int(2), b.idx(S, g, at(i), at(j)), b.idx(d, at(i), g), b.idx(d, at(j), g)), "+=")),
            ]),
          ),
        );
      else
        loops.push(
          b.forLoop(
            "i__",
            one,
            width(p),
            b.block([b.forLoop("j__", one, width(t), b.assign(b.v(quad), b.product(b.idx(S, g, at(i), atT(j)), b.idx(d, at(i), g), b.idx(d, atT(j), g)), "+="))]),
          ),
        );
      const omega = b.idx(Omega, b.int(p + 1), b.int(t + 1));
      quadratic.push(p === t ? b.product(omega, b.v(quad)) : b.product(b.int(2), omega, b.v(quad)));
    }
  }
  let residuals = ss("q__");
  for (const term of linear) residuals = b.bin("-", residuals, term);
  for (const term of quadratic) residuals = b.bin("+", residuals, term);
  let total = b.bin("*", b.neg(b.real("0.5")), b.paren(residuals));
  if (keepsLogDet) total = b.bin("-", total, b.bin("*", N, ss("logdet__")));
  if (!lik.propto) total = b.bin("-", total, b.product(N, R, b.real(LOG_SQRT_TWO_PI)));
  return [
    b.decl("matrix", name("d__"), { sizes: [P, G] }),
    b.decl("matrix", name("L__"), { sizes: [R, R], init: copyExpr(lik.sigma, span) }),
    b.decl("matrix", name("Linv__"), { sizes: [R, R], init: b.call("rep_matrix", zero, R, R) }),
    b.decl("matrix", name("Omega__"), { sizes: [R, R] }),
    b.decl("real", name("q__"), { init: zero }),
    b.decl("real", name("logdet__"), { init: zero }),
    // the precision matrix from the Cholesky factor, by forward substitution
    b.forLoop(
      "j__",
      one,
      R,
      b.block([
        b.forLoop(
          "i__",
          j,
          R,
          b.block([
            b.decl("real", "acc__", { init: b.bin("==", i, j) }),
            b.forLoop("k__", j, b.paren(b.bin("-", i, one)), b.assign(b.v("acc__"), b.bin("*", b.idx(Lf, i, k), b.idx(Linv, k, j)), "-=")),
            b.assign(b.idx(Linv, i, j), b.bin("/", b.v("acc__"), b.idx(Lf, i, i))),
          ]),
        ),
      ]),
    ),
    b.forLoop(
      "r__",
      one,
      R,
      b.block([
        b.assign(ss("logdet__"), b.call("log", b.idx(Lf, r, r)), "+="),
        b.forLoop(
          "s__",
          one,
          R,
          b.block([
            b.assign(b.idx(Omega, r, s), zero),
            b.forLoop("k__", one, R, b.assign(b.idx(Omega, r, s), b.bin("*", b.idx(Linv, k, r), b.idx(Linv, k, s)), "+=")),
            b.assign(ss("q__"), b.bin("*", b.idx(Omega, r, s), b.idx(ss("r0total__"), r, s)), "+="),
          ]),
        ),
      ]),
    ),
    b.forLoop("g__", one, G, b.block(fillCoef)),
    ...sums,
    b.forLoop("g__", one, G, b.block(loops)),
    b.targetPlus(total),
  ];
}

// ---------------------------------------------------------------------------------------------
// Small tree helpers (the AST is plain data)

/** `(e)`, or `-(e)` for a subtracted part. */
function signed(sign: 1 | -1, e: Expr, b: NodeBuilder): Expr {
  return sign === 1 ? b.paren(e) : b.neg(b.paren(e));
}

function isZeroLiteral(e: TypedExpr): boolean {
  return (e.kind === "IntLiteral" || e.kind === "RealLiteral") && Number(e.text) === 0;
}

/**
 * Every variable `e` reads is data or transformed data (or the loop variable `allowed`), and it
 * calls nothing that only the model block may call or that draws random numbers: it can move to
 * transformed data.
 */
function onlyDataNames(e: TypedExpr, allowed?: string): boolean {
  let ok = true;
  walk(e, (node) => {
    if (node.kind === "Variable" && node.name !== allowed && !DATA_ORIGINS.has((node.meta as Typed).origin ?? "")) ok = false;
    if (node.kind === "FunctionCall" && MODEL_ONLY_SUFFIXES.some((suffix) => node.name?.endsWith(suffix))) ok = false;
  });
  return ok;
}

/** Calls that cannot move to transformed data: random numbers, and what only the model block may call. */
const MODEL_ONLY_SUFFIXES = ["_rng", "_lp", "_lupdf", "_lupmf"];

/**
 * Whether `e` calls an `_lp` function or reads `target()`: the statistics evaluate a parameter
 * term once per group, not once per row, which is only the same when evaluating it changes and
 * reads nothing of the target.
 */
function readsTarget(e: TypedExpr): boolean {
  let found = false;
  walk(e, (node) => {
    if (node.kind === "FunctionCall" && (node.name === "target" || node.name?.endsWith("_lp"))) found = true;
  });
  return found;
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
