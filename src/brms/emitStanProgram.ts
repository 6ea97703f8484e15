/**
 * brms model → Stan program AST with brms 2.18's structure (spec §3): scale_r_cor, centring in
 * transformed data, non-centred group effects, normal_id_glm_lpdf / multi_normal_cholesky_lpdf,
 * per-row sigma, lprior statements in brms's order, and the generated quantities brms adds.
 */
import type { Expr, FunctionDef, Program, Stmt } from "../ast/ast";
import { arrayOf, INT, MATRIX, VECTOR, type StanType } from "../ast/ast";
import { fail } from "../common/diagnostics";
import { syntheticSpan } from "../common/span";
import { predictorsOf, type BrmsModel, type GroupCoef, type GroupId, type Predictor, type ResponseInfo } from "./buildModel";
import { INVERSE_LINK, type DparSpec, type LikelihoodContext } from "./families/family";
import { additionDataDecls, additionLikelihood, additionTransformedData, adjustedContext, blocksGlm, needsResponseScale, rowwiseAdditions, seReplacesSigma } from "./additions";
import { withSuffix } from "./names";
import { hasSharedNu } from "./sharedNu";
import { basePrior, distributionSupport, hasCorrelations, parsePrior, priorLabels, resolvePrior, type Element } from "./priors";
import { covariateDecls, nlparVectorName, nonlinearLoop } from "./nonlinear";
import { constantValue, scalarConstantPlan, vectorConstantPlan, type ConstantPlan } from "./constantPriors";
import { priorDrawStatements, type PriorDraw } from "./priorDraws";
import * as b from "./stanBuilders";
import {
  csDataDecls,
  csLinearPredictor,
  csNames,
  csParameter,
  groupIntercept,
  mergedThresholds,
  rowThresholds,
  groupThresholdCount,
  thresholdGroupDataDecls,
  thresholdGroupNames,
  thresholdGroupParameters,
  thresholdGroupTransformedData,
} from "./ordinalTerms";
import { monotonicFunction, sharedSimplexDecls, specialDataDecls, specialNames, specialParameters, specialRowTerms } from "./terms/monotonic";

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
    offsets: s("offsets"),
    /** The linear-predictor vector in the model block: `mu`, `sigma`, `mu_NAstd`, an nlpar's `nlp_a`. */
    linear: p.nlpar !== undefined ? nlparVectorName(p.prefix) : withSuffix(p.dpar, p.resp),
  };
}

/** True when X is centred: an intercept plus at least one other column (brms does not centre with grouped thresholds). */
export function isCentred(p: Predictor): boolean {
  return p.intercept && p.coefs.length > 0 && p.thresholdGroups === undefined;
}

export function responseNames(model: BrmsModel, r: ResponseInfo) {
  const mv = model.multivariate;
  return {
    N: mv ? `N_${r.resp}` : "N",
    Y: mv ? `Y_${r.resp}` : "Y",
    sigma: withSuffix("sigma", r.resp),
    trials: withSuffix("trials", r.resp),
    /** Categories and thresholds of a categorical or ordinal response (`ncat_y1`, `nthres_y1` in a multivariate model). */
    ncat: withSuffix("ncat", r.resp),
    nthres: withSuffix("nthres", r.resp),
  };
}

/** Stan name of a distributional parameter without a formula: `sigma`, `shape`, `sigma_NAstd`. */
export const scalarDparName = (dpar: DparSpec, r: ResponseInfo) => withSuffix(dpar.name, r.resp);

/** The Stan parameter behind that scalar: the dpar itself, or the one it is computed from (`tmp_xi`). */
export const scalarParameterName = (dpar: DparSpec, r: ResponseInfo) => withSuffix(dpar.stanParameter ?? dpar.name, r.resp);

/** The family's parameters in its own order, each either predicted or scalar (brms's walk over valid_dpars). */
function dparsInOrder(r: ResponseInfo): ({ predicted: Predictor } | { scalar: DparSpec })[] {
  const out: ({ predicted: Predictor } | { scalar: DparSpec })[] = [];
  for (const d of r.family.spec.dpars) {
    const predicted = r.dpars.find((p) => p.dpar === d.name);
    if (predicted) out.push({ predicted });
    // A dpar that is neither predicted nor a parameter (sigma under se()) is left out.
    else if (r.scalarDpars.includes(d)) out.push({ scalar: d });
  }
  return out;
}

export const zName = (coef: { id: number; cn: number; predictor: Predictor }) => `Z_${withSuffix(String(coef.id), coef.predictor.prefix)}_${coef.cn}`;
export const rName = (coef: { id: number; cn: number; predictor: Predictor }) => `r_${withSuffix(String(coef.id), coef.predictor.prefix)}_${coef.cn}`;
export const jName = (model: BrmsModel, id: number, resp: string) => (model.multivariate ? `J_${id}_${resp}` : `J_${id}`);
/** mm(): member k's level index and weight per row (univariate models only). */
/** mm() member k's level and weight per row: `J_1_2`, `W_1_2`; in a multivariate model with the response, `J_1_y_2`. */
export const memberJName = (model: BrmsModel, id: number, resp: string, k: number) => (model.multivariate ? `J_${id}_${resp}_${k}` : `J_${id}_${k}`);
export const memberWName = (model: BrmsModel, id: number, resp: string, k: number) => (model.multivariate ? `W_${id}_${resp}_${k}` : `W_${id}_${k}`);

/** The responses whose rows an ID's J index is needed for (in response order). */
function idResponses(model: BrmsModel, id: GroupId): ResponseInfo[] {
  return model.responses.filter((r) => id.coefs.some((c) => c.predictor.resp === r.resp));
}

/** brms's `use_glm_primitive`: a GLM density, only mu predicted, its link the GLM's, and population slopes. */
function usesGlm(model: BrmsModel, r: ResponseInfo): boolean {
  const glm = r.family.spec.glm;
  return !model.rescor && r.dpars.length === 0 && glm !== undefined && glm.link === r.mu.link && r.mu.coefs.length > 0 && !blocksGlm(r.additions);
}

/** A GLM without group terms takes the intercept (or 0) itself, so no mu vector is built. */
function glmWithoutMu(model: BrmsModel, r: ResponseInfo): boolean {
  return usesGlm(model, r) && r.mu.groupCoefs.length === 0 && r.mu.offset === undefined && !hasSpecialTerms(r.mu);
}

/** The predictor has mo() terms (brms's special terms). */
const hasSpecialTerms = (p: Predictor) => (p.special?.length ?? 0) > 0;

export function emitStanProgram(model: BrmsModel, file = "<brms>"): Program {
  const blockOf = (stmts: Stmt[]) => ({ span, stmts });
  const defs: FunctionDef[] = [];
  if (model.ids.some((id) => hasCorrelations(id) && !id.by)) defs.push(scaleRCor());
  if (model.ids.some((id) => hasCorrelations(id) && id.by)) defs.push(scaleRCorBy());
  // Each response's family functions, once per name (two responses of one family share them).
  for (const r of model.responses) {
    for (const def of r.family.spec.functions?.(r.mu.link) ?? []) if (!defs.some((d) => d.name === def.name)) defs.push(def);
  }
  // brms writes mo() after the family's functions (an ordinal family's densities come first)
  if (model.predictors.some(hasSpecialTerms)) defs.push(monotonicFunction());
  const functions = { span, defs };
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

/**
 * brms's scale_r_cor_by(z, SD, L, Jby): group-level effects whose sds and correlations depend on
 * the by-level of the grouping level (gr(g, by = h)); r has one row per grouping level.
 */
function scaleRCorBy(): FunctionDef {
  const param = (name: string, type: StanType) => ({ name, type, dataOnly: false, span });
  const i = b.v("i");
  const j = b.v("j");
  return {
    kind: "FunctionDef",
    span,
    name: "scale_r_cor_by",
    nameSpan: span,
    returnType: MATRIX,
    params: [param("z", MATRIX), param("SD", MATRIX), param("L", arrayOf(MATRIX)), param("Jby", arrayOf(INT))],
    body: b.block([
      b.decl("matrix", "r", { sizes: [b.call("cols", b.v("z")), b.call("rows", b.v("z"))] }),
      b.decl("matrix", "LC", { sizes: [b.call("rows", b.idx(b.v("L"), b.int(1))), b.call("cols", b.idx(b.v("L"), b.int(1)))], arrayDims: [b.call("size", b.v("L"))] }),
      b.forLoop("i", b.int(1), b.call("size", b.v("LC")), [b.assign(b.idx(b.v("LC"), i), b.call("diag_pre_multiply", b.idx(b.v("SD"), "all", i), b.idx(b.v("L"), i)))]),
      b.forLoop("j", b.int(1), b.call("rows", b.v("r")), [
        b.assign(b.idx(b.v("r"), j), b.call("transpose", b.bin("*", b.idx(b.v("LC"), b.idx(b.v("Jby"), j)), b.idx(b.v("z"), "all", j)))),
      ]),
      { kind: "Return", span, value: b.v("r") },
    ]),
  };
}

const ONE = () => b.int(1);

/** The prior draws sample_prior = "yes" adds, in the order of the `lprior` statements. */
export function priorDraws(model: BrmsModel): PriorDraw[] {
  const draws: PriorDraw[] = [];
  priorStatements(model, draws);
  return draws;
}

/** brms's label of a group-level coefficient inside sd/cor names: `Intercept`, `sigma_Intercept`. */
function groupCoefLabel(c: { coef: string; predictor: Predictor }): string {
  return c.predictor.prefix === "" ? c.coef : `${c.predictor.prefix}_${c.coef}`;
}

function dataBlock(model: BrmsModel): Stmt[] {
  const out: Stmt[] = [b.decl("int", "N", { lower: ONE() })];
  for (const r of model.responses) {
    const names = responseNames(model, r);
    if (model.multivariate) out.push(b.decl("int", names.N, { lower: ONE() }));
    if (r.categories) out.push(b.decl("int", names.ncat, { lower: b.int(2) }));
    if (r.responseColumns) {
      // A matrix response: int Y[N, ncat] of counts, or vector[ncat] Y[N] of proportions.
      if (r.family.spec.response === "int") out.push(b.decl("int", names.Y, { arrayDims: [b.v(names.N), b.v(names.ncat)] }));
      else out.push(b.decl("vector", names.Y, { sizes: [b.v(names.ncat)], arrayDims: [b.v(names.N)] }));
    } else if (r.family.spec.response === "int") out.push(b.decl("int", names.Y, { arrayDims: [b.v(names.N)] }));
    else out.push(b.decl("vector", names.Y, { sizes: [b.v(names.N)] }));
    if (r.trials !== undefined) out.push(b.decl("int", names.trials, { arrayDims: [b.v(names.N)] }));
    if (r.mu.thresholdGroups) out.push(...thresholdGroupDataDecls(names.N, r.resp));
    else if (r.mu.thresholds !== undefined) out.push(b.decl("int", names.nthres, { lower: b.int(2) }));
    out.push(...additionDataDecls(r.additions, r.resp, names.N, r.family.spec.response === "int"));
    for (const p of predictorsOf(r)) {
      const n = predictorNames(p);
      if (p.nonlinear) out.push(...covariateDecls(p.nonlinear, b.v(names.N), model.frame));
      if (p.coefs.length > 0) {
        out.push(b.decl("int", n.K, { lower: ONE() }));
        out.push(b.decl("matrix", n.X, { sizes: [b.v(names.N), b.v(n.K)] }));
      }
      if (p.special?.length) out.push(...specialDataDecls(p.special, p.prefix, b.v(names.N)));
      if (p.offset) out.push(b.decl("vector", n.offsets, { sizes: [b.v(names.N)] }));
      if (p.csCoefs?.length) out.push(...csDataDecls(names.N, r.resp));
    }
  }
  if (model.rescor) {
    out.push(b.decl("int", "nresp", { lower: ONE() }));
    out.push(b.decl("int", "nrescor"));
  }
  for (const id of model.ids) {
    out.push(b.decl("int", `N_${id.id}`, { lower: ONE() }));
    out.push(b.decl("int", `M_${id.id}`, { lower: ONE() }));
    if (id.multiMembership) {
      // mm(): each member's level and weight per row of the response (J_1_1, W_1_1, J_1_2, W_1_2, …)
      for (const r of idResponses(model, id)) {
        id.multiMembership.levelIndices.forEach((_, k) => {
          out.push(b.decl("int", memberJName(model, id.id, r.resp, k + 1), { lower: ONE(), arrayDims: [b.v(responseNames(model, r).N)] }));
          out.push(b.decl("real", memberWName(model, id.id, r.resp, k + 1), { arrayDims: [b.v(responseNames(model, r).N)] }));
        });
      }
    }
    for (const r of id.multiMembership ? [] : idResponses(model, id)) {
      out.push(b.decl("int", jName(model, id.id, r.resp), { lower: ONE(), arrayDims: [b.v(responseNames(model, r).N)] }));
    }
    if (id.by) {
      out.push(b.decl("int", `Nby_${id.id}`, { lower: ONE() }));
      out.push(b.decl("int", `Jby_${id.id}`, { lower: ONE(), arrayDims: [b.v(`N_${id.id}`)] }));
    }
    for (const c of id.coefs) {
      // `(mo(x) | g)` multiplies its effect by the population term's mo(), not by a Z column.
      if (c.special) continue;
      const r = model.responses.find((x) => x.resp === c.predictor.resp)!;
      // mm(): one column per member (Z_1_1_1, Z_1_1_2)
      const names = id.multiMembership ? id.multiMembership.levelIndices.map((_, k) => `${zName(c)}_${k + 1}`) : [zName(c)];
      for (const name of names) out.push(b.decl("vector", name, { sizes: [b.v(responseNames(model, r).N)] }));
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
    const names = responseNames(model, r);
    // brms's shifted families bound their shift by the smallest response.
    if (r.family.spec.needsMinY) decls.push(b.decl("real", withSuffix("min_Y", r.resp), { init: b.call("min", b.v(names.Y)) }));
    decls.push(...additionTransformedData(r.additions, r.resp, names.N));
    if (r.mu.thresholdGroups) {
      const merged = thresholdGroupTransformedData(r.resp);
      decls.push(...merged.decls);
      loops.push(...merged.statements);
    }
    const N = names.N;
    for (const p of predictorsOf(r)) {
      if (!isCentred(p)) continue;
      const n = predictorNames(p);
      // Ordinal X has no intercept column: every column is centred.
      const all = p.thresholds !== undefined;
      decls.push(b.decl("int", n.Kc, { init: all ? b.v(n.K) : b.bin("-", b.v(n.K), b.int(1)) }));
      decls.push(b.decl("matrix", n.Xc, { sizes: [b.v(N), b.v(n.Kc)] }));
      decls.push(b.decl("vector", n.meansX, { sizes: [b.v(n.Kc)] }));
      if (all) {
        loops.push(
          b.forLoop("i", b.int(1), b.v(n.K), [
            b.assign(b.idx(b.v(n.meansX), b.v("i")), b.call("mean", b.idx(b.v(n.X), "all", b.v("i")))),
            b.assign(b.idx(b.v(n.Xc), "all", b.v("i")), b.bin("-", b.idx(b.v(n.X), "all", b.v("i")), b.idx(b.v(n.meansX), b.v("i")))),
          ]),
        );
        continue;
      }
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
    // brms weights the joint density of a row by the first response's weights (rescorWeights).
    const weights = rescorWeights(model);
    if (weights) decls.push(b.decl("vector", "weights", { sizes: [b.v("N")], lower: b.int(0), init: b.v(weights) }));
    loops.push(
      b.forLoop("n", b.int(1), b.v("N"), [
        b.assign(b.idx(b.v("Y"), b.v("n")), b.call("transpose", b.rowVector(...model.responses.map((r) => b.idx(b.v(responseNames(model, r).Y), b.v("n")))))),
      ]),
    );
  }
  return [...decls, ...loops];
}

/**
 * The constant() priors' parameters by Stan name, in parameter order (constantPriors.ts). Vectors
 * follow the lprior code's choice between one class-wide statement and per-element ones.
 */
function constantPlans(model: BrmsModel): Map<string, ConstantPlan> {
  const plans = new Map<string, ConstantPlan>();
  const add = (name: string, plan: ConstantPlan | undefined) => {
    if (plan) plans.set(name, plan);
  };
  const vector = (name: string, size: Expr, cls: string, elements: Element[], bounds: Bounds) => {
    if (elements.length === 0) return;
    const resolved = elements.map((el) => resolvePrior(model.priors, cls, el));
    add(name, vectorConstantPlan(name, size, resolved, sharesOnePrior(resolved), bounds));
  };
  for (const r of model.responses) {
    const predictorPlans = (p: Predictor) => {
      const n = predictorNames(p);
      const { dpar, nlpar } = priorLabels(p);
      vector(n.b, b.v(isCentred(p) ? n.Kc : n.K), "b", p.coefs.map((coef) => ({ coef, group: "", resp: r.resp, dpar, nlpar })), classBounds(model, "b", r.resp, dpar, nlpar));
      if (p.intercept) add(n.Intercept, scalarConstantPlan(n.Intercept, basePrior(model.priors, "Intercept", { group: "", resp: r.resp, dpar }), classBounds(model, "Intercept", r.resp, dpar)));
    };
    for (const p of r.nlpars ?? []) predictorPlans(p);
    predictorPlans(r.mu);
    for (const d of dparsInOrder(r)) {
      if ("predicted" in d) predictorPlans(d.predicted);
      else if (d.scalar.fixedValue === undefined) {
        const name = scalarDparName(d.scalar, r);
        add(name, scalarConstantPlan(name, basePrior(model.priors, d.scalar.name, { group: "", resp: r.resp, dpar: "" }), classBounds(model, d.scalar.name, r.resp, "")));
      }
    }
  }
  if (hasSharedNu(model)) add("nu", scalarConstantPlan("nu", basePrior(model.priors, "nu", { group: "", resp: "", dpar: "" }), classBounds(model, "nu", "", "")));
  for (const id of model.ids) {
    // gr(by =) refuses constant sds (byGroupPriors).
    if (id.by) continue;
    const elements = id.coefs.map((c) => ({ coef: c.coef, group: id.group, resp: c.predictor.resp, ...priorLabels(c.predictor) }));
    vector(`sd_${id.id}`, b.v(`M_${id.id}`), "sd", elements, sdBounds(model));
  }
  return plans;
}

/** The parameters that hold the estimated elements of partly constant vectors (`par_b_1`), in order. */
export function estimatedElementNames(model: BrmsModel): string[] {
  return [...constantPlans(model).values()].flatMap((plan) => plan.parameters.map((decl) => (decl.kind === "VarDecl" ? decl.name : "")));
}

/** One class-wide prior decides every element (no element has its own coef prior). */
function sharesOnePrior(resolved: readonly { prior: string; ownCoef: boolean }[]): boolean {
  return resolved.every((r) => r.prior === resolved[0].prior && !r.ownCoef);
}

function parameters(model: BrmsModel): Stmt[] {
  const out: Stmt[] = [];
  const constants = constantPlans(model);
  // A constant-prior parameter leaves only its estimated elements (par_b_1) here.
  const declare = (name: string, decl: () => Stmt) => {
    const plan = constants.get(name);
    out.push(...(plan ? plan.parameters : [decl()]));
  };
  const predictorParameters = (p: Predictor, r: ResponseInfo) => {
    const n = predictorNames(p);
    const bounds = (cls: string) => classBounds(model, cls, p.resp, priorLabels(p).dpar, priorLabels(p).nlpar);
    if (p.coefs.length > 0) declare(n.b, () => b.decl("vector", n.b, { sizes: [b.v(isCentred(p) ? n.Kc : n.K)], ...declBounds(bounds("b")) }));
    const ordered = r.family.spec.thresholds?.ordered ?? false;
    if (p.thresholdGroups) out.push(...thresholdGroupParameters(n.Intercept, p.thresholdGroups, ordered, p.resp));
    else if (p.thresholds !== undefined) out.push(b.decl(ordered ? "ordered" : "vector", n.Intercept, { sizes: [b.v(responseNames(model, r).nthres)] }));
    else if (p.intercept) declare(n.Intercept, () => b.decl("real", n.Intercept, declBounds(bounds("Intercept"))));
    if (p.special?.length) out.push(...specialParameters(p.special, p.prefix));
    if (p.csCoefs?.length) out.push(csParameter(r.resp));
  };
  for (const r of model.responses) {
    for (const p of r.nlpars ?? []) predictorParameters(p, r);
    predictorParameters(r.mu, r);
    for (const d of dparsInOrder(r)) {
      if ("predicted" in d) predictorParameters(d.predicted, r);
      else if (d.scalar.fixedValue === undefined) declare(scalarParameterName(d.scalar, r), () => b.decl("real", scalarParameterName(d.scalar, r), declBounds(classBounds(model, d.scalar.name, r.resp, ""))));
    }
  }
  if (model.rescor) out.push(b.decl("cholesky_factor_corr", "Lrescor", { sizes: [b.v("nresp")] }));
  if (hasSharedNu(model)) declare("nu", () => b.decl("real", "nu", declBounds(classBounds(model, "nu", "", ""))));
  for (const id of model.ids) {
    const M = b.v(`M_${id.id}`);
    const Nlev = b.v(`N_${id.id}`);
    // gr(by =): one column of sds, and one correlation matrix, per by-level.
    if (id.by) out.push(b.decl("matrix", `sd_${id.id}`, { sizes: [M, b.v(`Nby_${id.id}`)], ...declBounds(sdBounds(model)) }));
    else declare(`sd_${id.id}`, () => b.decl("vector", `sd_${id.id}`, { sizes: [M], ...declBounds(sdBounds(model)) }));
    if (hasCorrelations(id)) {
      out.push(b.decl("matrix", `z_${id.id}`, { sizes: [b.v(`M_${id.id}`), Nlev] }));
      out.push(b.decl("cholesky_factor_corr", `L_${id.id}`, { sizes: [b.v(`M_${id.id}`)], arrayDims: id.by ? [b.v(`Nby_${id.id}`)] : [] }));
    } else {
      out.push(b.decl("vector", `z_${id.id}`, { sizes: [Nlev], arrayDims: [b.v(`M_${id.id}`)] }));
    }
  }
  return out;
}

function transformedParameters(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const compute: Stmt[] = [];
  // Grouped thresholds are merged into one vector first, as brms declares and fills it.
  for (const r of model.responses) {
    if (!r.mu.thresholdGroups) continue;
    const merged = mergedThresholds(predictorNames(r.mu).Intercept, r.mu.thresholdGroups, r.resp);
    decls.push(merged.decl);
    compute.push(...merged.statements);
  }
  // mo(x, id = ): simplexes copied from the first call with the same id
  for (const r of model.responses) {
    for (const p of predictorsOf(r)) if (p.special?.length) decls.push(...sharedSimplexDecls(p.special, p.prefix));
  }
  // Constant dpars (sigma fixed at 0 by se(), ordinal disc, nu of student with rescor) come first,
  // in the family's dpar order, as brms declares them.
  for (const r of model.responses) {
    if (seReplacesSigma(r.additions)) decls.push(b.decl("real", responseNames(model, r).sigma, { init: b.int(0) }));
    for (const d of r.scalarDpars) {
      if (d.fixedValue !== undefined) decls.push(b.decl("real", scalarDparName(d, r), { init: b.int(Number(d.fixedValue)) }));
    }
  }
  // constant() priors: the fixed parameters are declared and filled in first.
  for (const plan of constantPlans(model).values()) {
    decls.push(plan.declaration);
    compute.push(...plan.assignments);
  }
  for (const id of model.ids) {
    const Nlev = () => b.v(`N_${id.id}`);
    if (hasCorrelations(id)) {
      decls.push(b.decl("matrix", `r_${id.id}`, { sizes: [Nlev(), b.v(`M_${id.id}`)] }));
      const scaled = id.by
        ? b.call("scale_r_cor_by", b.v(`z_${id.id}`), b.v(`sd_${id.id}`), b.v(`L_${id.id}`), b.v(`Jby_${id.id}`))
        : b.call("scale_r_cor", b.v(`z_${id.id}`), b.v(`sd_${id.id}`), b.v(`L_${id.id}`));
      compute.push(b.assign(b.v(`r_${id.id}`), scaled));
    }
    for (const c of id.coefs) {
      decls.push(b.decl("vector", rName(c), { sizes: [Nlev()] }));
      // With gr(by =) each grouping level takes the sd of its by-level.
      const sd = id.by ? b.call("transpose", b.idx(b.v(`sd_${id.id}`), b.int(c.cn), b.v(`Jby_${id.id}`))) : b.idx(b.v(`sd_${id.id}`), b.int(c.cn));
      compute.push(
        hasCorrelations(id)
          ? b.assign(b.v(rName(c)), b.idx(b.v(`r_${id.id}`), "all", b.int(c.cn)))
          : b.assign(b.v(rName(c)), b.paren(b.bin(id.by ? ".*" : "*", sd, b.paren(b.idx(b.v(`z_${id.id}`), b.int(c.cn)))))),
      );
    }
  }
  decls.push(b.decl("real", "lprior", { init: b.int(0) }));
  return [...decls, ...compute, ...priorStatements(model)];
}

// ---------------------------------------------------------------------------------------------
// Priors (§3.7, §3.8)

/** A bound as Stan: a number (`0`, `-1`, `0.5`) or a transformed-data name (`min_Y`). */
function boundExpr(bound: string | undefined, resp: string): Expr | undefined {
  if (bound === undefined || bound === "") return undefined;
  if (bound.startsWith("-")) return b.neg(boundExpr(bound.slice(1), resp)!);
  if (/^\d+$/.test(bound)) return b.int(Number(bound));
  return /^[\d.]/.test(bound) ? b.real(bound) : b.v(withSuffix(bound, resp));
}

/** The bounds of a class's prior row (defaults, or the user's lb/ub), as declaration bounds and as written. */
function classBounds(model: BrmsModel, cls: string, resp: string, dpar: string, nlpar = ""): Bounds {
  const row = model.priors.find((r) => r.class === cls && r.coef === "" && r.group === "" && r.resp === resp && r.dpar === dpar && r.nlpar === nlpar);
  return boundsOf(row?.lb ?? "", row?.ub ?? "", resp);
}

/** The declaration's part of the bounds. */
function declBounds(bounds: Bounds): { lower?: Expr; upper?: Expr } {
  return { lower: bounds.lower, upper: bounds.upper };
}

function boundsOf(lb: string, ub: string, resp: string): Bounds {
  return { lower: boundExpr(lb, resp), upper: boundExpr(ub, resp), lb: lb || undefined, ub: ub || undefined };
}

/** sd vectors are positive; a user's class-wide `lb`/`ub` on sd replaces that (spec: priors.ts checkBoundedPrior). */
function sdBounds(model: BrmsModel): Bounds {
  const classRow = model.priors.find((r) => r.class === "sd" && r.coef === "" && r.group === "" && r.resp === "" && r.dpar === "" && r.nlpar === "");
  return classRow ? boundsOf(classRow.lb, classRow.ub, "") : POSITIVE;
}

interface Bounds {
  readonly lower?: Expr;
  readonly upper?: Expr;
  /** The bounds as written, to compare with the prior's own support. */
  readonly lb?: string;
  readonly ub?: string;
}

const POSITIVE: Bounds = { lower: b.int(0), lb: "0" };

/** Where sample_prior = "yes" collects a statement's prior, and the names of that draw. */
interface DrawTarget {
  readonly sink: PriorDraw[];
  readonly stanName: string;
  readonly brmsName: string;
}

function lpriorStatement(target: Expr, prior: string, bounds: Bounds, count: number, draw?: DrawTarget): Stmt {
  const { distribution, args } = parsePrior(prior);
  const stanArgs = () => args.map(b.fromR);
  draw?.sink.push({ stanName: draw.stanName, brmsName: draw.brmsName, distribution, args: stanArgs(), lower: bounds.lower, upper: bounds.upper });
  let expr = b.lpdf(`${distribution}_lpdf`, target, ...stanArgs());
  // A bound the prior's own support does not already have: renormalise by the mass inside the bounds.
  const support = distributionSupport(distribution);
  const needLower = bounds.lower !== undefined && support.lb !== bounds.lb;
  const needUpper = bounds.upper !== undefined && support.ub !== bounds.ub;
  let mass: Expr | undefined;
  if (needLower && needUpper) {
    mass = b.call("log_diff_exp", b.lpdf(`${distribution}_lcdf`, bounds.upper!, ...stanArgs()), b.lpdf(`${distribution}_lcdf`, bounds.lower!, ...stanArgs()));
  } else if (needLower) {
    mass = b.lpdf(`${distribution}_lccdf`, bounds.lower!, ...stanArgs());
  } else if (needUpper) {
    mass = b.lpdf(`${distribution}_lcdf`, bounds.upper!, ...stanArgs());
  }
  if (mass) expr = b.bin("-", expr, b.bin("*", b.int(count), mass));
  return b.assign(b.v("lprior"), expr, "+=");
}

/** One statement for a whole vector when all elements agree, else one per non-flat element. */
/** Prior draws of a vector: brms's name of the whole (`prior_sd_g`) and of element i (`prior_sd_g__x`). */
interface VectorDraws {
  readonly sink: PriorDraw[];
  readonly whole: string;
  element(i: number): string;
}

/** One statement for a whole vector when all elements agree, else one per non-flat element. */
function vectorPriors(rows: BrmsModel["priors"], name: string, cls: string, elements: Element[], bounded: Bounds, draws?: VectorDraws, whole = b.v(name)): Stmt[] {
  if (elements.length === 0) return [];
  const resolved = elements.map((el) => resolvePrior(rows, cls, el));
  const same = sharesOnePrior(resolved);
  const wholeDraw = draws && { sink: draws.sink, stanName: `prior_${name}`, brmsName: draws.whole };
  // constant() priors fix their elements instead (constantPriors.ts).
  const estimated = (prior: string) => prior !== "" && constantValue(prior) === undefined;
  if (same) return estimated(resolved[0].prior) ? [lpriorStatement(whole, resolved[0].prior, bounded, elements.length, wholeDraw)] : [];
  const out: Stmt[] = [];
  resolved.forEach((r, i) => {
    const element = draws && { sink: draws.sink, stanName: `prior_${name}__${i + 1}`, brmsName: draws.element(i) };
    if (estimated(r.prior)) out.push(lpriorStatement(b.idx(b.v(name), b.int(i + 1)), r.prior, bounded, 1, element));
  });
  return out;
}

/** The `lprior +=` statements; with `draws`, each statement's prior is also collected for sample_prior = "yes". */
function priorStatements(model: BrmsModel, draws?: PriorDraw[]): Stmt[] {
  const out: Stmt[] = [];
  const same = (name: string): DrawTarget | undefined => draws && { sink: draws, stanName: `prior_${name}`, brmsName: `prior_${name}` };
  for (const r of model.responses) {
    const predictorPriors = (p: Predictor) => {
      const n = predictorNames(p);
      const { dpar, nlpar } = priorLabels(p);
      const bDraws = draws && { sink: draws, whole: `prior_${n.b}`, element: (i: number) => `prior_${n.b}_${p.coefs[i]}` };
      out.push(...vectorPriors(model.priors, n.b, "b", p.coefs.map((coef) => ({ coef, group: "", resp: r.resp, dpar, nlpar })), classBounds(model, "b", r.resp, dpar, nlpar), bDraws));
      const groups = p.thresholdGroups;
      if (groups) {
        // One vector of thresholds per group, each with its group's priors (`class = Intercept, group = g`).
        groups.levels.forEach((group, g) => {
          const thresholds = Array.from({ length: groups.counts[g] }, (_, k) => ({ coef: String(k + 1), group, resp: r.resp, dpar }));
          // sample_prior = "yes": as without groups, per group vector (`prior_Intercept_2`, `prior_Intercept_1__3`).
          const name = groupIntercept(n.Intercept, g + 1);
          const groupDraws = draws && { sink: draws, whole: `prior_${name}`, element: (i: number) => `prior_${name}__${i + 1}` };
          out.push(...vectorPriors(model.priors, name, "Intercept", thresholds, classBounds(model, "Intercept", r.resp, dpar), groupDraws));
        });
      } else if (p.thresholds !== undefined) {
        const thresholds = Array.from({ length: p.thresholds }, (_, k) => ({ coef: String(k + 1), group: "", resp: r.resp, dpar }));
        // sample_prior = "yes": brms keeps the Stan names of threshold draws (`prior_Intercept`, `prior_Intercept__2`).
        const thresholdDraws = draws && { sink: draws, whole: `prior_${n.Intercept}`, element: (i: number) => `prior_${n.Intercept}__${i + 1}` };
        out.push(...vectorPriors(model.priors, n.Intercept, "Intercept", thresholds, classBounds(model, "Intercept", r.resp, dpar), thresholdDraws));
      } else if (p.intercept) {
        const prior = basePrior(model.priors, "Intercept", { group: "", resp: r.resp, dpar });
        if (prior !== "" && constantValue(prior) === undefined) out.push(lpriorStatement(b.v(n.Intercept), prior, classBounds(model, "Intercept", r.resp, dpar), 1, same(n.Intercept)));
      }
      // Monotonic effects: each simplex's Dirichlet (its concentration is data), then class b priors on bsp.
      if (p.special?.length) {
        const sp = specialNames(p.prefix);
        p.special.flatMap((t) => t.calls).forEach((call, i) => {
          // a shared simplex (mo(x, id = )) has its prior once, on the first call's
          if (call.sharedWith !== undefined) return;
          out.push(b.assign(b.v("lprior"), b.lpdf("dirichlet_lpdf", b.v(sp.simo(i + 1)), b.v(sp.conSimo(i + 1))), "+="));
          // sample_prior = "yes": `simplex[Jmo[i]] prior_simo_i = dirichlet_rng(con_simo_i)`
          const simo = withSuffix("simo", p.prefix);
          draws?.push({
            stanName: `prior_${sp.simo(i + 1)}`,
            brmsName: `prior_${simo}_${call.simplexCoef}`,
            distribution: "dirichlet",
            args: [b.v(sp.conSimo(i + 1))],
            simplex: { size: b.idx(b.v(sp.Jmo), b.int(i + 1)), brmsNames: Array.from({ length: call.steps }, (_, k) => `prior_${simo}_${call.simplexCoef}[${k + 1}]`) },
          });
        });
        const elements = p.special.map((t) => ({ coef: t.coef, group: "", resp: r.resp, dpar, nlpar }));
        const bspDraws = draws && { sink: draws, whole: `prior_${sp.bsp}`, element: (i: number) => `prior_${sp.bsp}_${p.special![i].coef}` };
        out.push(...vectorPriors(model.priors, sp.bsp, "b", elements, classBounds(model, "b", r.resp, dpar, nlpar), bspDraws));
      }
      // Category-specific effects: class b priors on the rows of bcs (`bcs[1]`), or on `to_vector(bcs)` as a whole.
      if (p.csCoefs?.length) {
        const elements = p.csCoefs.map((coef) => ({ coef, group: "", resp: r.resp, dpar }));
        const bcs = csNames(r.resp).bcs;
        const csDraws = draws && { sink: draws, whole: `prior_${bcs}`, element: (i: number) => `prior_${bcs}_${p.csCoefs![i]}` };
        out.push(...vectorPriors(model.priors, bcs, "b", elements, {}, csDraws, b.call("to_vector", b.v(bcs))));
      }
    };
    for (const p of r.nlpars ?? []) predictorPriors(p);
    predictorPriors(r.mu);
    for (const d of dparsInOrder(r)) {
      if ("predicted" in d) {
        predictorPriors(d.predicted);
        continue;
      }
      if (d.scalar.fixedValue !== undefined) continue;
      const prior = basePrior(model.priors, d.scalar.name, { group: "", resp: r.resp, dpar: "" });
      const bounds = classBounds(model, d.scalar.name, r.resp, "");
      const name = scalarParameterName(d.scalar, r);
      if (prior !== "" && constantValue(prior) === undefined) out.push(lpriorStatement(b.v(name), prior, bounds, 1, same(name)));
    }
  }
  if (model.rescor) {
    const prior = basePrior(model.priors, "Lrescor", { group: "", resp: "", dpar: "" });
    if (prior !== "") out.push(lkjStatement("Lrescor", prior, draws && { sink: draws, stanName: "prior_rescor", brmsName: "prior_rescor", size: b.v("nresp") }));
  }
  if (hasSharedNu(model)) {
    const prior = basePrior(model.priors, "nu", { group: "", resp: "", dpar: "" });
    if (prior !== "" && constantValue(prior) === undefined) out.push(lpriorStatement(b.v("nu"), prior, classBounds(model, "nu", "", ""), 1, same("nu")));
  }
  for (const id of model.ids) {
    const elements = id.coefs.map((c) => ({ coef: c.coef, group: id.group, resp: c.predictor.resp, ...priorLabels(c.predictor) }));
    if (id.by) {
      out.push(...byGroupPriors(model, id, elements, draws));
      continue;
    }
    const sdDraws = draws && { sink: draws, whole: `prior_sd_${id.group}`, element: (i: number) => `prior_sd_${id.group}__${groupCoefLabel(id.coefs[i])}` };
    out.push(...vectorPriors(model.priors, `sd_${id.id}`, "sd", elements, sdBounds(model), sdDraws));
    if (hasCorrelations(id)) {
      const prior = basePrior(model.priors, "L", { group: id.group, resp: "", dpar: "" });
      const corDraw = draws && { sink: draws, stanName: `prior_cor_${id.id}`, brmsName: `prior_cor_${id.group}`, size: b.v(`M_${id.id}`) };
      if (prior !== "") out.push(lkjStatement(`L_${id.id}`, prior, corDraw));
    }
  }
  return out;
}

/**
 * gr(by =): one prior on every sd of the matrix when the coefficients share it (`to_vector(sd_1)`,
 * its truncation counted once per coefficient, as brms 2.18 writes it), else one per coefficient's
 * row (`sd_1[2]`); one lkj prior per by-level's correlation matrix.
 */
function byGroupPriors(model: BrmsModel, id: GroupId, elements: Element[], draws?: PriorDraw[]): Stmt[] {
  const by = id.by!;
  const resolved = elements.map((el) => resolvePrior(model.priors, "sd", el));
  if (resolved.some((r) => constantValue(r.prior) !== undefined)) fail("Semantic error", by.span, "constant() sd priors together with gr(by = ) are not supported.");
  const shared = sharesOnePrior(resolved);
  if (model.script.samplePrior === "yes" && !shared) fail("Semantic error", by.span, 'sample_prior = "yes" together with gr(by = ) and sd priors that differ between coefficients is not supported.');
  const out: Stmt[] = [];
  if (shared) {
    // sample_prior = "yes": one draw for the whole matrix, `prior_sd_1` (brms's prior_sd_<group>).
    const draw = draws && { sink: draws, stanName: `prior_sd_${id.id}`, brmsName: `prior_sd_${id.group}` };
    if (resolved[0].prior !== "") out.push(lpriorStatement(b.call("to_vector", b.v(`sd_${id.id}`)), resolved[0].prior, sdBounds(model), elements.length, draw));
  } else {
    resolved.forEach((r, k) => {
      if (r.prior !== "") out.push(lpriorStatement(b.idx(b.v(`sd_${id.id}`), b.int(k + 1)), r.prior, sdBounds(model), 1));
    });
  }
  const lkj = hasCorrelations(id) ? basePrior(model.priors, "L", { group: id.group, resp: "", dpar: "" }) : "";
  if (lkj !== "") {
    by.levels.forEach((_, k) => {
      // sample_prior = "yes": one draw per by-level, `prior_cor_1__2` (brms's prior_cor_<group>__2).
      const draw = draws && { sink: draws, stanName: `prior_cor_${id.id}__${k + 1}`, brmsName: `prior_cor_${id.group}__${k + 1}`, size: b.v(`M_${id.id}`) };
      out.push(lkjStatement(b.idx(b.v(`L_${id.id}`), b.int(k + 1)), lkj, draw));
    });
  }
  return out;
}

function lkjStatement(target: string | Expr, prior: string, draw?: DrawTarget & { size: Expr }): Stmt {
  const { args } = parsePrior(prior);
  draw?.sink.push({ stanName: draw.stanName, brmsName: draw.brmsName, distribution: "lkj_corr", args: args.map(b.fromR), lkjSize: draw.size });
  return b.assign(b.v("lprior"), b.lpdf("lkj_corr_cholesky_lpdf", typeof target === "string" ? b.v(target) : target, ...args.map(b.fromR)), "+=");
}

// ---------------------------------------------------------------------------------------------
// Model block

function modelBlock(model: BrmsModel): Stmt[] {
  const decls: Stmt[] = [];
  const population: Stmt[] = [];
  const groupLoops: Stmt[] = [];
  const nonlinearLoops: Stmt[] = [];
  const links: Stmt[] = [];
  const likelihood: Stmt[] = [];
  for (const r of model.responses) {
    const N = b.v(responseNames(model, r).N);
    const family = r.family.spec;
    const glm = usesGlm(model, r);
    // The density applies mu's inverse link itself (poisson_log): mu stays on the link scale.
    const builtIn = family.builtInLink !== undefined && family.builtInLink.link === r.mu.link && !needsResponseScale(r.additions);
    const csGroupCoefs = r.mu.groupCoefs.filter((c) => c.category !== undefined);
    if (r.mu.csCoefs?.length || csGroupCoefs.length > 0) decls.push(csLinearPredictor(responseNames(model, r).N, (r.mu.csCoefs?.length ?? 0) > 0, r.resp));
    for (const p of predictorsOf(r)) {
      if (p.dpar === "mu" && glmWithoutMu(model, r)) continue;
      const n = predictorNames(p);
      if (p.nonlinear) decls.push(b.decl("vector", n.linear, { sizes: [N] }));
      else decls.push(b.decl("vector", n.linear, { sizes: [N], init: b.call("rep_vector", b.real("0.0"), N) }));
      const terms: Expr[] = [];
      if (p.intercept && p.thresholds === undefined) terms.push(b.v(n.Intercept));
      if (p.coefs.length > 0 && !(p.dpar === "mu" && glm)) terms.push(b.bin("*", b.v(isCentred(p) ? n.Xc : n.X), b.v(n.b)));
      if (p.offset) terms.push(b.v(n.offsets));
      // brms 2.18 adds the category-specific group effects to mucs before mu's population terms, and
      // again after them when there are any (so they count twice there); stan2ts writes the same.
      const csLoop = p.dpar === "mu" && csGroupCoefs.length > 0 ? categorySpecificGroupLoop(model, r, csGroupCoefs) : undefined;
      if (csLoop) population.push(csLoop);
      if (terms.length > 0) {
        population.push(b.assign(b.v(n.linear), terms.reduce((acc, t) => b.bin("+", acc, t)), "+="));
        if (csLoop) population.push(categorySpecificGroupLoop(model, r, csGroupCoefs));
      }
      const groupEffect = (c: GroupCoef) => b.idx(b.v(rName(c)), b.idx(b.v(jName(model, c.id, r.resp)), b.v("n")));
      const groupCoefs = p.groupCoefs.filter((c) => c.category === undefined && !c.special);
      // brms's row loop: the special terms (with their group-level deviations), then the group-level terms.
      const special = specialRowTerms(p.special ?? [], p.prefix, (coef) => p.groupCoefs.filter((c) => c.special && c.coef === coef).map(groupEffect));
      const at = (name: string) => b.idx(b.v(name), b.v("n"));
      const groupTerms = groupCoefs.flatMap((c) => {
        const mm = model.ids.find((id) => id.id === c.id)!.multiMembership;
        if (!mm) return [b.bin("*", groupEffect(c), at(zName(c)))];
        // mm(): W_1_k[n] * r_1_1[J_1_k[n]] * Z_1_1_k[n] for each member k
        return mm.levelIndices.map((_, k) =>
          b.bin("*", b.bin("*", at(memberWName(model, c.id, r.resp, k + 1)), b.idx(b.v(rName(c)), at(memberJName(model, c.id, r.resp, k + 1)))), at(`${zName(c)}_${k + 1}`)),
        );
      });
      const rowTerms = [...special, ...groupTerms];
      if (rowTerms.length > 0) {
        groupLoops.push(b.forLoop("n", b.int(1), N, [b.assign(b.idx(b.v(n.linear), b.v("n")), rowTerms.reduce((acc, t) => b.bin("+", acc, t)), "+=")]));
      }
      const inverse = INVERSE_LINK[p.link];
      // Ordinal densities take mu on the link scale.
      const keepsLinkScale = p.dpar === "mu" ? glm || builtIn || p.thresholds !== undefined : family.builtInDparLinks?.[p.dpar] === p.link;
      if (p.nonlinear) {
        // A non-linear mu is computed row by row once its nlpars are complete, inside its inverse link (nonlinear.ts).
        const nlparVector = (nlpar: string) => predictorNames(r.nlpars!.find((q) => q.nlpar === nlpar)!).linear;
        nonlinearLoops.push(nonlinearLoop(p.nonlinear, n.linear, N, nlparVector, inverse && !keepsLinkScale ? inverse : undefined));
      } else if (inverse && !keepsLinkScale) links.push(b.assign(b.v(n.linear), b.call(inverse, b.v(n.linear))));
    }
    const transform = family.dparTransform?.(dparContext(model, r, false), N);
    if (transform) {
      decls.push(...transform.decls);
      links.push(...transform.statements);
    }
    if (!model.rescor) likelihood.push(likelihoodStatement(model, r, glm, builtIn));
  }
  if (model.rescor) {
    const joint = residualCorrelationsLikelihood(model);
    decls.push(...joint.decls);
    likelihood.push(...joint.statements);
  }
  const out: Stmt[] = [b.ifThen(b.not(b.v("prior_only")), [...decls, ...population, ...groupLoops, ...nonlinearLoops, ...links, ...likelihood])];
  out.push(b.targetPlus(b.v("lprior")));
  for (const id of model.ids) {
    if (hasCorrelations(id)) out.push(b.targetPlus(b.call("std_normal_lpdf", b.call("to_vector", b.v(`z_${id.id}`)))));
    else for (const c of id.coefs) out.push(b.targetPlus(b.call("std_normal_lpdf", b.idx(b.v(`z_${id.id}`), b.int(c.cn)))));
  }
  return out;
}

/**
 * The joint density of the responses with residual correlations, as brms's multivariate predictor
 * writes it: `Mu[n]` per row, the residual scales `sigma` (per row `sigma[n]` when some response's
 * sigma varies by row: a sigma formula, or se(), which replaces or widens it), the Cholesky factor
 * `LSigma` (multi_normal_cholesky) or the covariance `Sigma` (multi_student_t, sharing `nu`), and
 * one statement for every row at once, or a loop over rows when the scale varies by row or
 * weights() weights each row.
 */
function residualCorrelationsLikelihood(model: BrmsModel): { decls: Stmt[]; statements: Stmt[] } {
  const n = () => b.v("n");
  const row = (e: Expr) => b.idx(e, n());
  // Each response's sigma as its own likelihood would read it at row n (se() applied).
  const sigmaAt = (r: ResponseInfo) => adjustedContext(dparContext(model, r, true), r.additions, r.family.spec, r.resp, false).dpar("sigma");
  const rowwiseScale = model.responses.some((r) => r.additions.se !== undefined || r.dpars.some((p) => p.dpar === "sigma"));
  const sigmaVector = b.call("transpose", b.rowVector(...model.responses.map(sigmaAt)));
  // multi_normal_cholesky reads the Cholesky factor of the residual covariance, multi_student_t the covariance itself.
  const student = hasSharedNu(model);
  const covarianceName = student ? "Sigma" : "LSigma";
  const covarianceOf = (sigma: Expr) => {
    const scaledFactor = b.call("diag_pre_multiply", sigma, b.v("Lrescor"));
    return student ? b.call("multiply_lower_tri_self_transpose", scaledFactor) : scaledFactor;
  };
  const nresp = () => b.v("nresp");
  const decls = [b.decl("vector", "Mu", { sizes: [nresp()], arrayDims: [b.v("N")] })];
  const join = [b.assign(row(b.v("Mu")), b.call("transpose", b.rowVector(...model.responses.map((r) => row(b.v(predictorNames(r.mu).linear))))))];
  if (rowwiseScale) {
    decls.push(b.decl("vector", "sigma", { sizes: [nresp()], arrayDims: [b.v("N")] }), b.decl("matrix", covarianceName, { sizes: [nresp(), nresp()], arrayDims: [b.v("N")] }));
    join.push(b.assign(row(b.v("sigma")), sigmaVector), b.assign(row(b.v(covarianceName)), covarianceOf(row(b.v("sigma")))));
  } else {
    decls.push(b.decl("vector", "sigma", { sizes: [nresp()], init: sigmaVector }), b.decl("matrix", covarianceName, { sizes: [nresp(), nresp()], init: covarianceOf(b.v("sigma")) }));
  }
  const statements = [b.forLoop("n", b.int(1), b.v("N"), join)];
  const density = (at: (e: Expr) => Expr, covariance: Expr) =>
    student ? b.lpdf("multi_student_t_lpdf", at(b.v("Y")), b.v("nu"), at(b.v("Mu")), covariance) : b.lpdf("multi_normal_cholesky_lpdf", at(b.v("Y")), at(b.v("Mu")), covariance);
  const weighted = rescorWeights(model) !== undefined;
  if (!rowwiseScale && !weighted) {
    statements.push(b.targetPlus(density((e) => e, b.v(covarianceName))));
  } else {
    const rowDensity = density(row, rowwiseScale ? row(b.v(covarianceName)) : b.v(covarianceName));
    statements.push(b.forLoop("n", b.int(1), b.v("N"), [b.targetPlus(weighted ? b.bin("*", row(b.v("weights")), b.paren(rowDensity)) : rowDensity)]));
  }
  return { decls, statements };
}

/**
 * The data weighting each row's joint density when some response has weights(): brms 2.18 takes
 * `weights_<first response>` (and its post-fit log_lik the first response's weights too). When the
 * first response has none, brms's program names data it never declares and Stan rejects it.
 */
export function rescorWeights(model: BrmsModel): string | undefined {
  if (!model.rescor) return undefined;
  const weighted = model.responses.filter((r) => r.additions.weights !== undefined);
  if (weighted.length === 0) return undefined;
  const first = model.responses[0];
  if (!first.additions.weights) {
    fail("Semantic error", weighted[0].additions.weights!.termSpan, `With residual correlations (rescor) brms 2.18 weights each row by the first response's weights, and ${first.variable} has none.`, [
      `brms's program then reads weights_${first.resp}, which it never declares, so Stan rejects it; give ${first.variable} the weights (weights(...) in its bf()) or use set_rescor(FALSE).`,
    ]);
  }
  return withSuffix("weights", first.resp);
}

/** `for (n in 1:N) { mucs[n, k] = mucs[n, k] + r_1_k[J_1[n]] * Z_1_k[n] + …; }`, one line per threshold k. */
function categorySpecificGroupLoop(model: BrmsModel, r: ResponseInfo, coefs: readonly GroupCoef[]): Stmt {
  const thresholds = [...new Set(coefs.map((c) => c.category!))].sort((a, c) => a - c);
  const cell = (k: number) => b.idx(b.v(csNames(r.resp).mucs), b.v("n"), b.int(k));
  const term = (c: GroupCoef) => b.bin("*", b.idx(b.v(rName(c)), b.idx(b.v(jName(model, c.id, r.resp)), b.v("n"))), b.idx(b.v(zName(c)), b.v("n")));
  return b.forLoop(
    "n",
    b.int(1),
    b.v(responseNames(model, r).N),
    thresholds.map((k) => b.assign(cell(k), coefs.filter((c) => c.category === k).reduce<Expr>((acc, c) => b.bin("+", acc, term(c)), cell(k)))),
  );
}

// ---------------------------------------------------------------------------------------------
// Generated quantities

/** How family code reads a response's parameters: vectors (or `x[n]` when `row`), scalars as they are. */
function dparContext(model: BrmsModel, r: ResponseInfo, row: boolean): LikelihoodContext {
  const family = r.family.spec;
  const at = (e: Expr) => (row ? b.idx(e, b.v("n")) : e);
  return {
    dpar: (name) => {
      if (name === "mu") return at(b.v(predictorNames(r.mu).linear));
      const predicted = r.dpars.find((p) => p.dpar === name);
      if (predicted) return at(b.v(predictorNames(predicted).linear));
      const scalar = family.dpars.find((d) => d.name === name);
      if (!scalar) throw new Error(`internal: the ${family.name} family reads an unknown parameter '${name}'`);
      return b.v(scalarDparName(scalar, r));
    },
    isPredicted: (name) => name === "mu" || r.dpars.some((p) => p.dpar === name),
    dparLink: (name) => (name === "mu" ? r.mu : r.dpars.find((p) => p.dpar === name))?.link ?? "identity",
    trials: () => at(b.v(responseNames(model, r).trials)),
    rowwise: row,
    dataName: (name) => withSuffix(name, r.resp),
    thresholds: () => {
      const intercept = predictorNames(r.mu).Intercept;
      if (r.mu.thresholdGroups) return { vector: b.v(`merged_${intercept}`), groupIndex: b.idx(b.v(thresholdGroupNames(r.resp).Jthres), b.v("n")), categorySpecific: false };
      const categorySpecific = (r.mu.csCoefs?.length ?? 0) > 0 || r.mu.groupCoefs.some((c) => c.category !== undefined);
      return { vector: rowThresholds(intercept, categorySpecific, r.resp), categorySpecific };
    },
  };
}

function likelihoodStatement(model: BrmsModel, r: ResponseInfo, glm: boolean, builtIn: boolean): Stmt {
  const names = responseNames(model, r);
  const family = r.family.spec;
  const suffix = family.response === "int" ? "_lpmf" : "_lpdf";
  const mu = predictorNames(r.mu);
  const vectorContext = (row: boolean) => dparContext(model, r, row);
  if (glm) {
    const alpha = r.mu.groupCoefs.length > 0 || r.mu.offset || hasSpecialTerms(r.mu) ? b.v(mu.linear) : r.mu.intercept ? b.v(mu.Intercept) : b.int(0);
    const spec = family.glm!;
    return b.targetPlus(b.lpdf(`${spec.dist}${suffix}`, b.v(names.Y), b.v(r.mu.intercept ? mu.Xc : mu.X), alpha, b.v(mu.b), ...spec.extraArgs(vectorContext(false))));
  }
  // se() and rate() change the parameters the density reads; the log link is built in when its name says so.
  const builtInLog = builtIn && family.builtInLink?.link === "log";
  const context = (row: boolean) => adjustedContext(vectorContext(row), r.additions, family, r.resp, builtInLog);
  const rowwise = rowwiseAdditions(r.additions) || family.likelihood(context(false), builtIn).perRow;
  const ll = family.likelihood(context(rowwise), builtIn);
  const y = rowwise ? b.idx(b.v(names.Y), b.v("n")) : b.v(names.Y);
  const statement = rowwiseAdditions(r.additions)
    ? additionLikelihood(r.additions, ll, suffix, y, r.resp, family.response === "int")
    : b.targetPlus(b.lpdf(`${ll.dist}${suffix}`, ll.shift ? b.bin("-", y, ll.shift) : y, ...ll.args));
  return rowwise ? b.forLoop("n", b.int(1), b.v(names.N), [statement]) : statement;
}

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
    const groups = p.thresholdGroups;
    if (groups) {
      // Grouped thresholds: X is not centred, so each group's thresholds are its parameters.
      groups.levels.forEach((_, g) => {
        const name = groupIntercept(n.Intercept, g + 1);
        decls.push(b.decl("vector", groupIntercept(n.bIntercept, g + 1), { sizes: [groupThresholdCount(p.resp, g + 1)], init: b.v(name) }));
      });
      continue;
    }
    if (p.thresholds !== undefined) {
      // Thresholds sit below the linear predictor, so centring moves them up.
      const init = isCentred(p) ? b.bin("+", b.v(n.Intercept), b.call("dot_product", b.v(n.meansX), b.v(n.b))) : b.v(n.Intercept);
      decls.push(b.decl("vector", n.bIntercept, { sizes: [b.v(withSuffix("nthres", p.resp))], init }));
      continue;
    }
    const init = isCentred(p) ? b.bin("-", b.v(n.Intercept), b.call("dot_product", b.v(n.meansX), b.v(n.b))) : b.v(n.Intercept);
    decls.push(b.decl("real", n.bIntercept, { init }));
  }
  const corr = (matrixName: string, vectorName: string, size: string, count: string, factor: Expr) => {
    decls.push(b.decl("corr_matrix", matrixName, { sizes: [b.v(size)], init: b.call("multiply_lower_tri_self_transpose", factor) }));
    decls.push(b.decl("vector", vectorName, { sizes: [b.v(count)], lower: b.neg(b.int(1)), upper: b.int(1) }));
    loops.push(upperTriangleLoop(size, vectorName, matrixName));
  };
  if (model.rescor) corr("Rescor", "rescor", "nresp", "nrescor", b.v("Lrescor"));
  for (const id of model.ids) {
    if (!hasCorrelations(id)) continue;
    if (id.by) id.by.levels.forEach((_, k) => corr(`Cor_${id.id}_${k + 1}`, `cor_${id.id}_${k + 1}`, `M_${id.id}`, `NC_${id.id}`, b.idx(b.v(`L_${id.id}`), b.int(k + 1))));
    else corr(`Cor_${id.id}`, `cor_${id.id}`, `M_${id.id}`, `NC_${id.id}`, b.v(`L_${id.id}`));
  }
  const draws = model.script.samplePrior === "yes" ? priorDrawStatements(priorDraws(model)) : { decls: [], loops: [] };
  return [...decls, ...draws.decls, ...loops, ...draws.loops];
}

// ---------------------------------------------------------------------------------------------
// The program stan2ts samples

/**
 * Scalar distributional parameters brms samples under another name and computes in R after
 * sampling: gen_extreme_value's `xi` from `tmp_xi` (brms's compute_xi, run by rename_pars).
 */
export function computedDpars(model: BrmsModel): { response: ResponseInfo; dpar: DparSpec }[] {
  return model.responses.flatMap((response) => response.scalarDpars.filter((d) => d.stanParameter !== undefined).map((dpar) => ({ response, dpar })));
}

const containsTarget = (s: Stmt): boolean => {
  switch (s.kind) {
    case "TargetPlus":
    case "Tilde":
      return true;
    case "For":
    case "ForEach":
    case "While":
      return containsTarget(s.body);
    case "IfElse":
      return containsTarget(s.then) || (s.otherwise !== undefined && containsTarget(s.otherwise));
    case "Block":
      return s.stmts.some(containsTarget);
    default:
      return false;
  }
};

/**
 * The program stan2ts compiles and samples: brms's, plus generated quantities for the variables
 * brms computes in R after sampling, so that draws, summaries and print(fit) hold them as brms's do.
 * brms's compute_xi maps each draw's tmp_xi into the interval the data and that draw's mu and sigma
 * allow, which is what scale_xi computes in the model block; the model block's linear predictors
 * are therefore recomputed in a local block (without the likelihood, and whether or not
 * prior_only is set, as compute_xi also runs on a prior-only fit). The printed program stays brms's.
 */
export function samplingProgram(model: BrmsModel, program: Program): Program {
  const computed = computedDpars(model);
  if (computed.length === 0) return program;
  const guarded = modelBlock(model)[0];
  if (guarded.kind !== "IfElse" || guarded.then.kind !== "Block") throw new Error("internal: brms's model block starts with if (!prior_only) { … }");
  const names = new Set(computed.map(({ response, dpar }) => scalarDparName(dpar, response)));
  const body = guarded.then.stmts.filter((s) => !containsTarget(s) && !(s.kind === "VarDecl" && names.has(s.name)));
  const stmts = [...program.generatedQuantities!.stmts, ...[...names].map((name) => b.decl("real", name)), b.block(body)];
  return { ...program, generatedQuantities: { ...program.generatedQuantities!, stmts } };
}
