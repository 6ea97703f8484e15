/**
 * brms model → Stan program AST with brms 2.18's structure (spec §3): scale_r_cor, centring in
 * transformed data, non-centred group effects, normal_id_glm_lpdf / multi_normal_cholesky_lpdf,
 * per-row sigma, lprior statements in brms's order, and the generated quantities brms adds.
 */
import type { Expr, FunctionDef, Program, Stmt } from "../ast/ast";
import { MATRIX, VECTOR } from "../ast/ast";
import { syntheticSpan } from "../common/span";
import type { BrmsModel, GroupId, Predictor, ResponseInfo } from "./buildModel";
import { withSuffix } from "./names";
import { basePrior, hasCorrelations, hasPositiveSupport, parsePrior, resolvePrior, type Element } from "./priors";
import * as b from "./stanBuilders";

const span = syntheticSpan("<brms>");

/** Stan names of one linear predictor's pieces. */
export function predictorNames(p: Predictor) {
  const s = (name: string) => withSuffix(name, p.prefix);
  return {
    K: s("K"),
    X: s("X"),
    Kc: s("Kc"),
    Xc: s("Xc"),
    meansX: s("means_X"),
    b: s("b"),
    Intercept: s("Intercept"),
    bIntercept: withSuffix("b", p.prefix) + "_Intercept",
    /** The linear-predictor vector in the model block: `mu`, `sigma`, `mu_NAstd`. */
    linear: withSuffix(p.dpar, p.resp),
  };
}

/** True when X is centred: an intercept plus at least one other column. */
export function isCentred(p: Predictor): boolean {
  return p.intercept && p.coefs.length > 0;
}

export function responseNames(model: BrmsModel, r: ResponseInfo) {
  const mv = model.multivariate;
  return {
    N: mv ? `N_${r.resp}` : "N",
    Y: mv ? `Y_${r.resp}` : "Y",
    sigma: withSuffix("sigma", r.resp),
  };
}

export const zName = (coef: { id: number; cn: number; predictor: Predictor }) => `Z_${withSuffix(String(coef.id), coef.predictor.prefix)}_${coef.cn}`;
export const rName = (coef: { id: number; cn: number; predictor: Predictor }) => `r_${withSuffix(String(coef.id), coef.predictor.prefix)}_${coef.cn}`;
export const jName = (model: BrmsModel, id: number, resp: string) => (model.multivariate ? `J_${id}_${resp}` : `J_${id}`);

/** The responses whose rows an ID's J index is needed for (in response order). */
function idResponses(model: BrmsModel, id: GroupId): ResponseInfo[] {
  return model.responses.filter((r) => id.coefs.some((c) => c.predictor.resp === r.resp));
}

function usesGlm(model: BrmsModel, r: ResponseInfo): boolean {
  return !model.rescor && !r.sigma && r.mu.coefs.length > 0;
}

export function emitStanProgram(model: BrmsModel, file = "<brms>"): Program {
  const blockOf = (stmts: Stmt[]) => ({ span, stmts });
  const functions = model.ids.some(hasCorrelations) ? { span, defs: [scaleRCor()] } : { span, defs: [] };
  return {
    file,
    functions,
    data: blockOf(dataBlock(model)),
    transformedData: blockOf(transformedData(model)),
    parameters: blockOf(parameters(model)),
    transformedParameters: blockOf(transformedParameters(model)),
    model: blockOf(modelBlock(model)),
    generatedQuantities: blockOf(generatedQuantities(model)),
  };
}

function scaleRCor(): FunctionDef {
  const param = (name: string, type: typeof MATRIX) => ({ name, type, dataOnly: false, span });
  return {
    kind: "FunctionDef",
    span,
    name: "scale_r_cor",
    nameSpan: span,
    returnType: MATRIX,
    params: [param("z", MATRIX), param("SD", VECTOR), param("L", MATRIX)],
    body: b.block([{ kind: "Return", span, value: b.call("transpose", b.bin("*", b.call("diag_pre_multiply", b.v("SD"), b.v("L")), b.v("z"))) }]),
  };
}

const ONE = () => b.int(1);

function dataBlock(model: BrmsModel): Stmt[] {
  const out: Stmt[] = [b.decl("int", "N", { lower: ONE() })];
  for (const r of model.responses) {
    const names = responseNames(model, r);
    if (model.multivariate) out.push(b.decl("int", names.N, { lower: ONE() }));
    out.push(b.decl("vector", names.Y, { sizes: [b.v(names.N)] }));
    for (const p of [r.mu, r.sigma]) {
      if (!p || p.coefs.length === 0) continue;
      const n = predictorNames(p);
      out.push(b.decl("int", n.K, { lower: ONE() }));
      out.push(b.decl("matrix", n.X, { sizes: [b.v(names.N), b.v(n.K)] }));
    }
  }
  if (model.rescor) {
    out.push(b.decl("int", "nresp", { lower: ONE() }));
    out.push(b.decl("int", "nrescor"));
  }
  for (const id of model.ids) {
    out.push(b.decl("int", `N_${id.id}`, { lower: ONE() }));
    out.push(b.decl("int", `M_${id.id}`, { lower: ONE() }));
    for (const r of idResponses(model, id)) {
      out.push(b.decl("int", jName(model, id.id, r.resp), { lower: ONE(), arrayDims: [b.v(responseNames(model, r).N)] }));
    }
    for (const c of id.coefs) {
      const r = model.responses.find((x) => x.resp === c.predictor.resp)!;
      out.push(b.decl("vector", zName(c), { sizes: [b.v(responseNames(model, r).N)] }));
    }
    if (hasCorrelations(id)) out.push(b.decl("int", `NC_${id.id}`, { lower: ONE() }));
  }
  out.push(b.decl("int", "prior_only"));
  return out;
}

function transformedData(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const loops: Stmt[] = [];
  for (const r of model.responses) {
    const N = responseNames(model, r).N;
    for (const p of [r.mu, r.sigma]) {
      if (!p || !isCentred(p)) continue;
      const n = predictorNames(p);
      decls.push(b.decl("int", n.Kc, { init: b.bin("-", b.v(n.K), b.int(1)) }));
      decls.push(b.decl("matrix", n.Xc, { sizes: [b.v(N), b.v(n.Kc)] }));
      decls.push(b.decl("vector", n.meansX, { sizes: [b.v(n.Kc)] }));
      const iMinus1 = () => b.bin("-", b.v("i"), b.int(1));
      loops.push(
        b.forLoop("i", b.int(2), b.v(n.K), [
          b.assign(b.idx(b.v(n.meansX), iMinus1()), b.call("mean", b.idx(b.v(n.X), "all", b.v("i")))),
          b.assign(b.idx(b.v(n.Xc), "all", iMinus1()), b.bin("-", b.idx(b.v(n.X), "all", b.v("i")), b.idx(b.v(n.meansX), iMinus1()))),
        ]),
      );
    }
  }
  if (model.rescor) {
    decls.push(b.decl("vector", "Y", { sizes: [b.v("nresp")], arrayDims: [b.v("N")] }));
    loops.push(
      b.forLoop("n", b.int(1), b.v("N"), [
        b.assign(b.idx(b.v("Y"), b.v("n")), b.call("transpose", b.rowVector(...model.responses.map((r) => b.idx(b.v(responseNames(model, r).Y), b.v("n")))))),
      ]),
    );
  }
  return [...decls, ...loops];
}

function parameters(model: BrmsModel): Stmt[] {
  const out: Stmt[] = [];
  for (const r of model.responses) {
    for (const p of [r.mu, r.sigma]) {
      if (!p) continue;
      const n = predictorNames(p);
      if (p.coefs.length > 0) out.push(b.decl("vector", n.b, { sizes: [b.v(p.intercept ? n.Kc : n.K)] }));
      if (p.intercept) out.push(b.decl("real", n.Intercept));
    }
    if (!r.sigma) out.push(b.decl("real", responseNames(model, r).sigma, { lower: b.int(0) }));
  }
  if (model.rescor) out.push(b.decl("cholesky_factor_corr", "Lrescor", { sizes: [b.v("nresp")] }));
  for (const id of model.ids) {
    const M = b.v(`M_${id.id}`);
    const Nlev = b.v(`N_${id.id}`);
    out.push(b.decl("vector", `sd_${id.id}`, { sizes: [M], lower: b.int(0) }));
    if (hasCorrelations(id)) {
      out.push(b.decl("matrix", `z_${id.id}`, { sizes: [b.v(`M_${id.id}`), Nlev] }));
      out.push(b.decl("cholesky_factor_corr", `L_${id.id}`, { sizes: [b.v(`M_${id.id}`)] }));
    } else {
      out.push(b.decl("vector", `z_${id.id}`, { sizes: [Nlev], arrayDims: [b.v(`M_${id.id}`)] }));
    }
  }
  return out;
}

function transformedParameters(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const compute: Stmt[] = [];
  for (const id of model.ids) {
    const Nlev = () => b.v(`N_${id.id}`);
    if (hasCorrelations(id)) {
      decls.push(b.decl("matrix", `r_${id.id}`, { sizes: [Nlev(), b.v(`M_${id.id}`)] }));
      compute.push(b.assign(b.v(`r_${id.id}`), b.call("scale_r_cor", b.v(`z_${id.id}`), b.v(`sd_${id.id}`), b.v(`L_${id.id}`))));
    }
    for (const c of id.coefs) {
      decls.push(b.decl("vector", rName(c), { sizes: [Nlev()] }));
      compute.push(
        hasCorrelations(id)
          ? b.assign(b.v(rName(c)), b.idx(b.v(`r_${id.id}`), "all", b.int(c.cn)))
          : b.assign(b.v(rName(c)), b.paren(b.bin("*", b.idx(b.v(`sd_${id.id}`), b.int(c.cn)), b.paren(b.idx(b.v(`z_${id.id}`), b.int(c.cn)))))),
      );
    }
  }
  decls.push(b.decl("real", "lprior", { init: b.int(0) }));
  return [...decls, ...compute, ...priorStatements(model)];
}

// ---------------------------------------------------------------------------------------------
// Priors (§3.7, §3.8)

function lpriorStatement(target: Expr, prior: string, bounded: boolean, count: number): Stmt {
  const { distribution, args } = parsePrior(prior);
  const stanArgs = args.map(b.fromR);
  let expr = b.lpdf(`${distribution}_lpdf`, target, ...stanArgs);
  if (bounded && !hasPositiveSupport(distribution)) {
    // A lower bound of 0 the distribution does not respect: renormalise by the mass above 0.
    expr = b.bin("-", expr, b.bin("*", b.int(count), b.lpdf(`${distribution}_lccdf`, b.int(0), ...args.map(b.fromR))));
  }
  return b.assign(b.v("lprior"), expr, "+=");
}

/** One statement for a whole vector when all elements agree, else one per non-flat element. */
function vectorPriors(rows: BrmsModel["priors"], name: string, cls: string, elements: Element[], bounded: boolean): Stmt[] {
  if (elements.length === 0) return [];
  const resolved = elements.map((el) => resolvePrior(rows, cls, el));
  const same = resolved.every((r) => r.prior === resolved[0].prior && !r.ownCoef);
  if (same) return resolved[0].prior === "" ? [] : [lpriorStatement(b.v(name), resolved[0].prior, bounded, elements.length)];
  const out: Stmt[] = [];
  resolved.forEach((r, i) => {
    if (r.prior !== "") out.push(lpriorStatement(b.idx(b.v(name), b.int(i + 1)), r.prior, bounded, 1));
  });
  return out;
}

function priorStatements(model: BrmsModel): Stmt[] {
  const out: Stmt[] = [];
  for (const r of model.responses) {
    for (const p of [r.mu, r.sigma]) {
      if (!p) continue;
      const n = predictorNames(p);
      const dpar = p.dpar === "mu" ? "" : p.dpar;
      out.push(...vectorPriors(model.priors, n.b, "b", p.coefs.map((coef) => ({ coef, group: "", resp: r.resp, dpar })), false));
      if (p.intercept) {
        const prior = basePrior(model.priors, "Intercept", { group: "", resp: r.resp, dpar });
        if (prior !== "") out.push(lpriorStatement(b.v(n.Intercept), prior, false, 1));
      }
    }
    if (!r.sigma) {
      const prior = basePrior(model.priors, "sigma", { group: "", resp: r.resp, dpar: "" });
      if (prior !== "") out.push(lpriorStatement(b.v(responseNames(model, r).sigma), prior, true, 1));
    }
  }
  if (model.rescor) {
    const prior = basePrior(model.priors, "Lrescor", { group: "", resp: "", dpar: "" });
    if (prior !== "") out.push(lkjStatement("Lrescor", prior));
  }
  for (const id of model.ids) {
    const elements = id.coefs.map((c) => ({ coef: c.coef, group: id.group, resp: c.predictor.resp, dpar: c.predictor.dpar === "mu" ? "" : c.predictor.dpar }));
    out.push(...vectorPriors(model.priors, `sd_${id.id}`, "sd", elements, true));
    if (hasCorrelations(id)) {
      const prior = basePrior(model.priors, "L", { group: id.group, resp: "", dpar: "" });
      if (prior !== "") out.push(lkjStatement(`L_${id.id}`, prior));
    }
  }
  return out;
}

function lkjStatement(target: string, prior: string): Stmt {
  const { args } = parsePrior(prior);
  return b.assign(b.v("lprior"), b.lpdf("lkj_corr_cholesky_lpdf", b.v(target), ...args.map(b.fromR)), "+=");
}

// ---------------------------------------------------------------------------------------------
// Model block

function modelBlock(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const population: Stmt[] = [];
  const groupLoops: Stmt[] = [];
  const links: Stmt[] = [];
  const likelihood: Stmt[] = [];
  for (const r of model.responses) {
    const N = b.v(responseNames(model, r).N);
    for (const p of [r.mu, r.sigma]) {
      if (!p) continue;
      const n = predictorNames(p);
      decls.push(b.decl("vector", n.linear, { sizes: [N], init: b.call("rep_vector", b.real("0.0"), N) }));
      const glm = p.dpar === "mu" && usesGlm(model, r);
      const terms: Expr[] = [];
      if (p.intercept) terms.push(b.v(n.Intercept));
      if (p.coefs.length > 0 && !glm) terms.push(b.bin("*", b.v(p.intercept ? n.Xc : n.X), b.v(n.b)));
      if (terms.length > 0) population.push(b.assign(b.v(n.linear), terms.reduce((acc, t) => b.bin("+", acc, t)), "+="));
      if (p.groupCoefs.length > 0) {
        const sum = p.groupCoefs
          .map((c) => b.bin("*", b.idx(b.v(rName(c)), b.idx(b.v(jName(model, c.id, r.resp)), b.v("n"))), b.idx(b.v(zName(c)), b.v("n"))))
          .reduce((acc, t) => b.bin("+", acc, t));
        groupLoops.push(b.forLoop("n", b.int(1), N, [b.assign(b.idx(b.v(n.linear), b.v("n")), sum, "+=")]));
      }
      if (p.dpar === "sigma") links.push(b.assign(b.v(n.linear), b.call("exp", b.v(n.linear))));
    }
    if (!model.rescor) {
      const names = responseNames(model, r);
      const mu = predictorNames(r.mu);
      const sigma = r.sigma ? b.v(predictorNames(r.sigma).linear) : b.v(names.sigma);
      if (usesGlm(model, r)) {
        likelihood.push(
          b.targetPlus(b.lpdf("normal_id_glm_lpdf", b.v(names.Y), b.v(r.mu.intercept ? mu.Xc : mu.X), b.v(mu.linear), b.v(mu.b), sigma)),
        );
      } else {
        likelihood.push(b.targetPlus(b.lpdf("normal_lpdf", b.v(names.Y), b.v(mu.linear), sigma)));
      }
    }
  }
  if (model.rescor) {
    decls.push(b.decl("vector", "Mu", { sizes: [b.v("nresp")], arrayDims: [b.v("N")] }));
    decls.push(b.decl("vector", "sigma", { sizes: [b.v("nresp")], init: b.call("transpose", b.rowVector(...model.responses.map((r) => b.v(responseNames(model, r).sigma)))) }));
    decls.push(b.decl("matrix", "LSigma", { sizes: [b.v("nresp"), b.v("nresp")], init: b.call("diag_pre_multiply", b.v("sigma"), b.v("Lrescor")) }));
    likelihood.push(
      b.forLoop("n", b.int(1), b.v("N"), [
        b.assign(b.idx(b.v("Mu"), b.v("n")), b.call("transpose", b.rowVector(...model.responses.map((r) => b.idx(b.v(predictorNames(r.mu).linear), b.v("n")))))),
      ]),
    );
    likelihood.push(b.targetPlus(b.lpdf("multi_normal_cholesky_lpdf", b.v("Y"), b.v("Mu"), b.v("LSigma"))));
  }
  const out: Stmt[] = [b.ifThen(b.not(b.v("prior_only")), [...decls, ...population, ...groupLoops, ...links, ...likelihood])];
  out.push(b.targetPlus(b.v("lprior")));
  for (const id of model.ids) {
    if (hasCorrelations(id)) out.push(b.targetPlus(b.call("std_normal_lpdf", b.call("to_vector", b.v(`z_${id.id}`)))));
    else for (const c of id.coefs) out.push(b.targetPlus(b.call("std_normal_lpdf", b.idx(b.v(`z_${id.id}`), b.int(c.cn)))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated quantities

function upperTriangleLoop(size: string, target: string, matrix: string): Stmt {
  return b.forLoop("k", b.int(1), b.v(size), [
    b.forLoop("j", b.int(1), b.paren(b.bin("-", b.v("k"), b.int(1))), [
      b.assign(b.idx(b.v(target), b.bin("+", b.call("choose", b.bin("-", b.v("k"), b.int(1)), b.int(2)), b.v("j"))), b.idx(b.v(matrix), b.v("j"), b.v("k"))),
    ]),
  ]);
}

function generatedQuantities(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const loops: Stmt[] = [];
  for (const p of model.predictors) {
    if (!p.intercept) continue;
    const n = predictorNames(p);
    const init = isCentred(p) ? b.bin("-", b.v(n.Intercept), b.call("dot_product", b.v(n.meansX), b.v(n.b))) : b.v(n.Intercept);
    decls.push(b.decl("real", n.bIntercept, { init }));
  }
  const corr = (matrixName: string, vectorName: string, size: string, count: string, factor: string) => {
    decls.push(b.decl("corr_matrix", matrixName, { sizes: [b.v(size)], init: b.call("multiply_lower_tri_self_transpose", b.v(factor)) }));
    decls.push(b.decl("vector", vectorName, { sizes: [b.v(count)], lower: b.neg(b.int(1)), upper: b.int(1) }));
    loops.push(upperTriangleLoop(size, vectorName, matrixName));
  };
  if (model.rescor) corr("Rescor", "rescor", "nresp", "nrescor", "Lrescor");
  for (const id of model.ids) if (hasCorrelations(id)) corr(`Cor_${id.id}`, `cor_${id.id}`, `M_${id.id}`, `NC_${id.id}`, `L_${id.id}`);
  return [...decls, ...loops];
}
