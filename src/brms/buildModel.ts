/**
 * Script + data frame → the brms model description every later step reads: responses and their
 * linear predictors, group-level IDs with their coefficients (spec §1.3), the kept rows and
 * grouping levels (§2), and the full prior table with user priors applied (§4).
 */
import { DiagnosticSink, fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { columnHint, type DataFrame } from "./dataFrame";
import type { BrmsScript, PriorSpec } from "./evalScript";
import type { DparFormula, DparName, GroupTermSpec, LinearSpec, MultiMembership, ResponseSpec, VariableRef } from "./formula";
import { categoryDparName, withCategories } from "./families/categorical";
import { dparList, findDpar, type DparSpec, type FamilyChoice } from "./families/index";
import { coefName, joinNonEmpty, responseLabels } from "./names";
import { deparseR, type RExpr } from "./rAst";
import { additionColumns, additionData, checkAdditionsForFamily, seReplacesSigma, type AdditionData, type AdditionTerms } from "./additions";
import { buildPriorTable, responseValues, simplexConcentrations, type PriorRow } from "./priors";
import { groupingValues, INTERCEPT_VARIABLE as INTERCEPT_VARIABLE_NAME, keptFactorLevels, populationDesign, type DesignColumn } from "./terms/design";
import { simplexPriorCoef, type SpecialTerm } from "./terms/monotonic";
import { smoothTerms, type SmoothTerm } from "./terms/smooth";
import { gaussianProcessTerms, isGaussianProcessCall, type GaussianProcessTerm } from "./terms/gaussianProcess";
import { factorLevels, formatLevel, numericLevels } from "./terms/levels";
import { allVars, checkCovariates, checkNlparPriors, splitNonlinearFormulas, type NonlinearInfo } from "./nonlinear";
import { responseRows, subsetMask, type ResponseRows } from "./responseRows";
import { withSharedNu } from "./sharedNu";
import { categorySpecificDesign, checkCategorySpecific, csCoefNames, ordinalThresholds, type ThresholdGroups } from "./ordinalTerms";
import { checkMissingValueTerm, missingValueData, variablesKeptMissing, type MissingValueData } from "./missingValues";

export interface Predictor {
  /** Cleaned response label, "" in univariate models. */
  readonly resp: string;
  readonly dpar: DparName;
  /** The link of this parameter (`identity`, `log`, …). */
  readonly link: string;
  /** brms's prefix p: dpar (unless mu) and resp joined with `_`. */
  readonly prefix: string;
  readonly intercept: boolean;
  /** Non-intercept population columns (model.matrix's) and their brms coefficient names; set once the rows are known. */
  columns: readonly DesignColumn[];
  coefs: readonly string[];
  /** Sum of the offset() terms per kept row, if any. */
  offset?: Float64Array;
  /** Group-level coefficients of this predictor, in cn order. */
  readonly groupCoefs: GroupCoef[];
  /** Categorical mu: not a linear predictor but the vector of the category predictors (the dpars); nothing of its own is emitted. */
  readonly categoryVector?: boolean;
  /** Ordinal mu: the number of thresholds that stand for the intercept (categories − 1); set once the rows are known. */
  thresholds?: number;
  /** A non-linear parameter's name (`a` of `a ~ 1 + x`): its X holds the intercept column and b every coefficient, uncentred. */
  readonly nlpar?: string;
  /** Non-linear mu: computed row by row from the nlpars and covariates (nonlinear.ts); no terms of its own. */
  readonly nonlinear?: NonlinearInfo;
  /** Ordinal mu with `thres(gr = g)`: the thresholds of each group (then `thresholds` is the largest count). */
  thresholdGroups?: ThresholdGroups;
  /** Ordinal mu's category-specific effects `cs(...)`: their design columns and coefficient names (`Xcs`, `bcs`). */
  csColumns?: readonly DesignColumn[];
  csCoefs?: readonly string[];
  /** Terms with mo() calls (brms's special terms: `bsp`, `simo_k`); set once the rows are known. */
  special?: readonly SpecialTerm[];
  /** Smooth terms s(x) (brms's Xs/bs and Zs/sds/s); set once the rows are known. */
  smooths?: readonly SmoothTerm[];
  /** gp() terms (terms/gaussianProcess.ts); set once the rows are known. */
  gaussianProcesses?: readonly GaussianProcessTerm[];
}

export interface ResponseInfo {
  readonly variable: string;
  readonly resp: string;
  readonly family: FamilyChoice;
  readonly mu: Predictor;
  /** Distributional parameters with their own formula, in the family's order. */
  readonly dpars: readonly Predictor[];
  /** Distributional parameters without a formula: one scalar parameter each. */
  readonly scalarDpars: readonly DparSpec[];
  /** The data column given to trials(). */
  readonly trials?: string;
  /** The addition terms after `|` (trials, weights, se, rate, cens, trunc). */
  readonly additions: AdditionTerms;
  /** Their values per kept row; set once the rows are known. */
  additionData: AdditionData;
  readonly formulaText: string;
  /** `print(fit)` lines of the dpar formulas (`sigma ~ 1 + x`). */
  readonly dparTexts: readonly string[];
  /**
   * Categorical responses: the category labels in level order and each kept row's 1-based category;
   * for a matrix response (multinomial, dirichlet) the labels are its column names and there are no codes.
   */
  readonly categories?: { readonly levels: readonly string[]; readonly codes: Int32Array | undefined };
  /** The columns of a matrix response `cbind(a, b, …)`, one per category. */
  readonly responseColumns?: readonly string[];
  /** The non-linear parameters of a non-linear mu, in formula order. */
  readonly nlpars?: readonly Predictor[];
  /** The rows this response is observed on (all kept rows unless subset()); set once the rows are known. */
  observations: ResponseRows;
  /** mi(): Y with the imputed rows marked and their positions (missingValues.ts); set with additionData. */
  missingValues?: MissingValueData;
}

/** mu's predictor (after its nlpars when it is non-linear), then the predicted dpars, as brms walks them. */
export function predictorsOf(r: ResponseInfo): Predictor[] {
  return r.mu.categoryVector ? [...(r.nlpars ?? []), ...r.dpars] : [...(r.nlpars ?? []), r.mu, ...r.dpars];
}

export interface GroupCoef {
  readonly id: number;
  readonly group: string;
  /** Running index within the ID, 1-based. */
  readonly cn: number;
  readonly predictor: Predictor;
  /** `Intercept` or the cleaned variable name. */
  readonly coef: string;
  /** The column's value per kept row (model.matrix of the group term); undefined for the intercept. */
  readonly values?: Float64Array;
  /** `(cs(1) | g)`: the threshold this category-specific coefficient belongs to (coef `Intercept[k]`); it adds to `mucs[n, k]`. */
  readonly category?: number;
  /** `(mo(x) | g)`: a group-level deviation of the population special term with this coef (added to its bsp; no Z). */
  readonly special?: boolean;
  /** `(mmc(x1, x2) | mm(g1, g2))`: each member's own column (Z_<id>_<cn>_<k>), instead of `values` for all. */
  readonly memberValues?: readonly Float64Array[];
}

export interface GroupId {
  readonly id: number;
  readonly group: string;
  /** The data columns combined into the grouping factor (one, or several for g1:g2). */
  readonly groupColumns: readonly string[];
  readonly correlated: boolean;
  readonly coefs: GroupCoef[];
  /** Level labels in brms order; `levelIndex[row]` is the 1-based level of each kept row. */
  levels: readonly string[];
  levelIndex: Int32Array;
  /**
   * mm(g1, g2, …): the options as written, then (once the rows are known) each member's 1-based level
   * per kept row (brms's J_<id>_<k>) and weight per kept row (W_<id>_<k>); `levelIndex` is the first member's.
   */
  readonly multiMembership?: MultiMembership & { levelIndices: Int32Array[]; weightValues: Float64Array[] };
  /** gr(g, by = h): the by column, its levels and each grouping level's 1-based by-level (brms's Jby). */
  readonly by?: { readonly column: string; readonly span: Span; levels: readonly string[]; levelOf: Int32Array };
}

export interface BrmsModel {
  readonly script: BrmsScript;
  readonly responses: readonly ResponseInfo[];
  /** Every linear predictor in model order (per response: mu, then sigma). */
  readonly predictors: readonly Predictor[];
  readonly ids: readonly GroupId[];
  readonly multivariate: boolean;
  readonly rescor: boolean;
  /** Kept data rows (after NA removal), as indices into the data frame. */
  readonly rows: Int32Array;
  readonly frame: DataFrame;
  readonly priors: readonly PriorRow[];
  readonly warnings: DiagnosticSink;
}

export function buildBrmsModelDescription(givenScript: BrmsScript, givenFrame: DataFrame): BrmsModel {
  const warnings = new DiagnosticSink();
  const script = withMatrixResponse(givenScript);
  const { frame, orderedResponses } = ordinalResponseCodes(script, givenFrame);
  const specs = script.formula.responses;
  const multivariate = specs.length > 1;
  const labels = responseLabels(specs.map((s) => responseName(script, s)));
  const rescor = multivariate && residualCorrelations(script, warnings);
  const responses: ResponseInfo[] = [];
  const predictors: Predictor[] = [];
  // the kept rows, once the formula and the family have been checked (a categorical response's levels need them earlier)
  let keptRowsOnce: Int32Array | undefined;
  const rowsKept = () => (keptRowsOnce ??= keptRows(script, frame, warnings));
  specs.forEach((spec, i) => {
    const resp = multivariate ? labels[i] : "";
    const ownFamily = familyOf(script, spec);
    const categories = !ownFamily.spec.categories
      ? undefined
      : spec.matrix && ownFamily.spec.matrixResponse
        ? { levels: categoryLabels(spec.matrix.columns.map((c) => c.name), spec.matrix.span, (c) => `response column '${c}'`), codes: undefined }
        : responseCategories(spec.response, frame, rowsKept());
    // A categorical family's dpars are its response's categories; each takes the main formula unless given its own.
    // With rescor, student responses share one nu (brms's no_nu): each response's own nu is fixed at 1.
    const family = categories ? categoricalChoice(ownFamily, categories.levels) : rescor ? withSharedNu(ownFamily, spec) : ownFamily;
    // A non-linear mu: its nlpars' formulas are taken out of the dpar formulas (nonlinear.ts).
    // A categorical model's non-linear main formula is each category's (without a formula of its own), as brms's nlf(muB ~ …).
    const nonlinearSpec = categories && spec.nonlinear ? nonlinearPerCategory(spec, categories.levels) : spec;
    const nonlinear = nonlinearSpec.nonlinear || nonlinearSpec.nonlinearDpars ? nonlinearParts(nonlinearSpec, family, resp, frame) : undefined;
    // nlf() dpars are predicted too, by their expression instead of terms.
    const nonlinearDpars = (nonlinearSpec.nonlinearDpars ?? []).map((d) => ({ dpar: d.dpar, spec: { intercept: false, variables: [], terms: [], offsets: [], groups: [], span: d.span }, text: d.text, span: d.span }));
    const ownFormulas = nonlinear ? [...nonlinear.dpars, ...nonlinearDpars] : spec.dpars;
    const mixture = family.spec.mixture;
    if (mixture && multivariate) fail("Semantic error", family.span, "Mixture families in multivariate models are not supported yet.", ["Fit the mixture response in a model of its own."]);
    const dparFormulas = categories ? categoryFormulas(spec, categories.levels, ownFormulas) : mixture ? mixtureFormulas(spec, mixture.size) : ownFormulas;
    // A categorical or mixture mu is no linear predictor of its own: the dpars mu<category> / mu<k> are.
    const mu = categories || mixture
      ? { ...makePredictor(resp, "mu", family.link, { ...spec.mu, intercept: false, variables: [], terms: [], offsets: [], groups: [] }), categoryVector: true }
      : // An ordinal family's thresholds are mu's intercepts, non-linear or not (brms keeps them beside the expression).
        { ...makePredictor(resp, "mu", family.link, spec.mu), nonlinear: nonlinear?.info, ...(nonlinear?.info && family.spec.thresholds ? { intercept: true } : {}) };
    const nlpars = nonlinear?.nlpars.map((f) => nlparPredictor(resp, f));
    for (const formula of ownFormulas) {
      if (!findDpar(family.spec, formula.dpar)) {
        fail("Semantic error", formula.span, `'${formula.dpar}' is not a distributional parameter of the ${family.spec.name} family.`, [
          dparList(family.spec),
          "A formula of a non-linear parameter needs bf(..., nl = TRUE).",
        ]);
      }
    }
    const predicted = family.spec.dpars.filter((d) => dparFormulas.some((f) => f.dpar === d.name));
    const dpars = predicted.map((d) => ({ ...makePredictor(resp, d.name, family.dparLinks.get(d.name)!, dparFormulas.find((f) => f.dpar === d.name)!.spec), nonlinear: nonlinear?.dparInfos.get(d.name) }));
    checkAdditionsForFamily(spec.additions, family.spec, family.link, predicted.map((d) => d.name), rescor, spec.response.span);
    if (spec.additions.mi) checkMissingValueTerm(spec.additions.mi, family.spec, family.link, spec.additions, rescor);
    if (!multivariate && spec.additions.subset) {
      fail("Semantic error", spec.additions.subset.termSpan, "subset() selects the rows of one response in a multivariate model; a model with one response has no use for it.", [
        "Filter the data instead, or add the other responses with bf(...) + bf(...).",
      ]);
    }
    // se() without sigma = TRUE fixes sigma at 0: it is no parameter (brms's no_sigma).
    const scalarDpars = family.spec.dpars.filter((d) => !predicted.includes(d) && !d.notScalar && !(d.name === "sigma" && seReplacesSigma(spec.additions)));
    if (nlpars) predictors.push(...nlpars);
    if (!mu.categoryVector) predictors.push(mu);
    predictors.push(...dpars);
    if (family.spec.additions.includes("trials") && !spec.additions.trials) {
      fail("Semantic error", spec.response.span, `The ${family.spec.name} family needs the number of trials: write ${spec.response.name} | trials(n) ~ ...`);
    }
    if (spec.additions.trials && !family.spec.additions.includes("trials")) {
      fail("Semantic error", spec.additions.trials.span, `trials() is for binomial-type families, not ${family.spec.name}.`);
    }
    responses.push({
      variable: spec.response.name,
      resp,
      family,
      mu,
      dpars,
      scalarDpars,
      trials: spec.additions.trials?.name,
      additions: spec.additions,
      additionData: {},
      formulaText: spec.formulaText,
      dparTexts: [...(spec.nonlinearDpars ?? []).map((d) => d.text), ...spec.dpars.map((d) => d.text)],
      categories,
      responseColumns: family.spec.matrixResponse ? spec.matrix?.columns.map((c) => c.name) : undefined,
      nlpars,
      observations: { rows: new Int32Array(0) },
    });
  });

  const rows = rowsKept();
  for (const codes of orderedResponses.values()) dropUnusedLevels(codes, rows);
  for (const r of responses) r.observations = responseRows(r.additions, frame, rows);
  const observationsOf = (p: Predictor) => responses.find((r) => r.resp === p.resp)!.observations.rows;
  checkResponses(script, responses, frame);
  // Thresholds first: category-specific group terms get one coefficient per threshold.
  for (const r of responses) {
    if (r.family.spec.thresholds) {
      const thresholds = countThresholds(script, r, frame, rows);
      r.mu.thresholds = thresholds.count;
      if (thresholds.groups) r.mu.thresholdGroups = thresholds.groups;
    } else if (r.additions.thres) {
      fail("Semantic error", r.additions.thres.span, `Argument 'thres' is not supported for family '${r.family.spec.name}(${r.mu.link})'.`, ["thres() sets or groups the thresholds of the ordinal families cumulative, sratio, cratio and acat."]);
    }
  }
  const ids = assignGroupIds(script, responses, frame, warnings);
  for (const p of predictors) {
    // gp() terms leave the population design (brms's special terms): their data are their own.
    const linearSpec = (p as Predictor & { spec: LinearSpec }).spec;
    const gpCalls = linearSpec.terms.filter(isGaussianProcessCall);
    const design = populationDesign(gpCalls.length > 0 ? { ...linearSpec, terms: linearSpec.terms.filter((t) => !isGaussianProcessCall(t)) } : linearSpec, frame, observationsOf(p));
    if (gpCalls.length > 0) {
      refuseGaussianProcessesHere(script, p, responses.find((r) => r.resp === p.resp)!, multivariate, gpCalls[0].span);
      p.gaussianProcesses = gaussianProcessTerms(gpCalls, frame, observationsOf(p));
    }
    p.columns = design.columns;
    // An nlpar's X keeps model.matrix's intercept column: brms does not centre nlpars.
    if (p.nlpar !== undefined && (p as Predictor & { spec: LinearSpec }).spec.intercept) p.columns = [{ name: "(Intercept)", values: new Float64Array(observationsOf(p).length).fill(1) }, ...design.columns];
    p.coefs = p.columns.map((c) => coefName(c.name));
    p.offset = design.offset;
    if (design.special.length > 0) {
      const latent = design.special.find((t) => t.latent.length > 0);
      if (latent) refuseLatentTermsHere(p, responses.find((r) => r.resp === p.resp)!, latent.latent[0].span);
      p.special = design.special;
    }
    checkGroupSpecialTerms(p);
    const smooths = (p as Predictor & { spec: LinearSpec }).spec.smooths;
    if (smooths) {
      refuseSmoothsHere(p, responses.find((r) => r.resp === p.resp)!, smooths[0].span);
      p.smooths = smoothTerms(smooths, frame, observationsOf(p));
    }
  }
  for (const r of responses) {
    for (const p of predictorsOf(r)) {
      const cs = (p as Predictor & { spec: LinearSpec }).spec.cs;
      if (!cs) continue;
      // an nlpar is no distributional parameter: brms's "only supported for the main parameter 'mu'"
      p.csColumns = categorySpecificDesign(cs, p.nlpar ?? p.dpar, r.family, r.mu.thresholdGroups, frame, rows, warnings);
      p.csCoefs = csCoefNames(p.csColumns);
    }
    const observed = r.observations.rows;
    r.additionData = additionData(r.additions, frame, observed, () => responseValues(frame, r.variable, observed), r.family.spec.response === "int");
    if (r.additions.mi) r.missingValues = missingValueData(r.additions.mi, responseValues(frame, r.variable, observed), frame, observed);
  }
  for (const id of ids) computeLevels(id, frame, rows);
  const priors = buildPriorTable({ script, responses, ids, multivariate, rescor, frame, rows, warnings });
  checkSimplexPriors(script, predictors, priors);
  checkNlparPriors(priors, responses.flatMap((r) => (r.nlpars ?? []).map((p) => ({ nlpar: p.nlpar!, resp: r.resp, span: (p as Predictor & { spec: LinearSpec }).spec.span }))));
  return { script, responses, predictors, ids, multivariate, rescor, rows, frame, priors, warnings };
}

/** me() and mi() terms (latent predictors) are written in linear formulas of families with one mu, not in non-linear ones nor with the categorical families. */
function refuseLatentTermsHere(p: Predictor, r: ResponseInfo, span: Span): void {
  const where =
    p.nlpar !== undefined || p.nonlinear ? "in a non-linear formula"
    : r.family.spec.categories ? `with the ${r.family.spec.name} family`
    : undefined;
  if (where) {
    fail("Semantic error", span, `me() and mi() terms ${where} are not supported by stan2ts yet.`, [
      "stan2ts writes me() and mi() terms in linear formulas (the main formula or a distributional parameter's) of families with one mu.",
    ]);
  }
}

/** stan2ts writes smooth terms in linear formulas of families with one mu, as it does mo() terms. */
function refuseSmoothsHere(p: Predictor, r: ResponseInfo, span: Span): void {
  const where =
    p.nlpar !== undefined || p.nonlinear ? "in a non-linear formula"
    : r.family.spec.categories ? `with the ${r.family.spec.name} family`
    : r.family.spec.thresholds ? `with the ${r.family.spec.name} family`
    : undefined;
  if (where) {
    fail("Semantic error", span, `Smooth terms (s()) ${where} are not supported by stan2ts yet.`, [
      "stan2ts writes s() terms in linear formulas (the main formula or a distributional parameter's) of families with one mu.",
    ]);
  }
}

/** stan2ts writes gp() terms in linear formulas of univariate models with one mu, without prior draws. */
function refuseGaussianProcessesHere(script: BrmsScript, p: Predictor, r: ResponseInfo, multivariate: boolean, span: Span): void {
  const where =
    p.nlpar !== undefined || p.nonlinear ? "in a non-linear formula"
    : r.family.spec.categories ? `with the ${r.family.spec.name} family`
    : multivariate ? "in a multivariate model"
    : script.samplePrior !== "no" ? `with sample_prior = "${script.samplePrior}"`
    : undefined;
  if (where) {
    fail("Semantic error", span, `Gaussian process terms (gp()) ${where} are not supported by stan2ts yet.`, [
      "stan2ts writes gp() terms in linear formulas (the main formula or a distributional parameter's) of univariate models with one mu.",
    ]);
  }
}

/** A user's `dirichlet(c(…))` on a mo() simplex needs one concentration per step (brms checks it when making the data). */
function checkSimplexPriors(script: BrmsScript, predictors: readonly Predictor[], priors: readonly PriorRow[]): void {
  for (const p of predictors) {
    for (const call of (p.special ?? []).flatMap((t) => t.calls)) {
      const row = priors.find((r) => r.class === "simo" && r.coef === simplexPriorCoef(call) && r.resp === p.resp);
      if (!row || row.source !== "user" || call.sharedWith !== undefined) continue;
      const spec = script.priors.find((s) => s.class === "simo" && s.coef === simplexPriorCoef(call));
      simplexConcentrations(row.prior, call.steps, spec?.span ?? script.formula.span);
    }
  }
}

/** `(mo(x) | g)` varies a population mo() term by group: brms needs the same term among the population terms. */
function checkGroupSpecialTerms(p: Predictor): void {
  for (const c of p.groupCoefs) {
    if (!c.special || p.special?.some((t) => t.coef === c.coef)) continue;
    const spec = (p as Predictor & { spec: LinearSpec }).spec;
    fail("Semantic error", spec.groups.find((g) => g.group.name === c.group)?.span ?? spec.span, `The group-level term '${c.coef}' of '${c.group}' has no population-level counterpart.`, [
      "Add the same mo() term to the population-level part of the formula (brms 2.18 silently drops the group-level one otherwise).",
    ]);
  }
}

/** `bf(cat ~ <expression>, …, nl = TRUE)` with a categorical family: the expression as each remaining category's nlf(). */
function nonlinearPerCategory(spec: ResponseSpec, levels: readonly string[]): ResponseSpec {
  const main = spec.nonlinear!;
  const given = new Set([...spec.dpars, ...(spec.nonlinearDpars ?? [])].map((d) => d.dpar));
  const text = deparseR(main.expr);
  const perCategory = levels
    .slice(1)
    .map(categoryDparName)
    .filter((name) => !given.has(name))
    .map((name) => ({ dpar: name, expr: main.expr, text: `${name} ~ ${text}`, span: main.span }));
  return { ...spec, nonlinear: undefined, nonlinearDpars: [...(spec.nonlinearDpars ?? []), ...perCategory] };
}

/** A non-linear response's formulas split into nlpars and dpars, with its covariates checked against the data. */
function nonlinearParts(spec: ResponseSpec, family: FamilyChoice, resp: string, frame: DataFrame) {
  for (const d of spec.nonlinearDpars ?? []) {
    if (!findDpar(family.spec, d.dpar)) fail("Semantic error", d.span, `'${d.dpar}' is not a distributional parameter of the ${family.spec.name} family.`, [dparList(family.spec)]);
  }
  const parts = splitNonlinearFormulas(spec, family.spec.dpars.map((d) => d.name), resp);
  for (const info of [...(parts.info ? [parts.info] : []), ...parts.dparInfos.values()]) checkCovariates(info, frame);
  return parts;
}

/** An nlpar's linear predictor: named by its nlpar (`b_a`, `nlp_a`, `r_1_a_1`), identity link, no intercept of its own. */
function nlparPredictor(resp: string, formula: DparFormula): Predictor & { spec: LinearSpec } {
  // brms's prefix puts the response before the nlpar (`b_y_a`), unlike a dpar's (`b_sigma_y`).
  return { ...makePredictor(resp, "mu", "identity", formula.spec), nlpar: formula.dpar, prefix: joinNonEmpty(resp, formula.dpar), intercept: false };
}

/** A response's family: its bf()'s `family =`, else brm()'s (brms's validate_formula). */
export function familyOf(script: BrmsScript, spec: ResponseSpec): FamilyChoice {
  return spec.family ?? script.family;
}

/**
 * brms's rescor of a multivariate model: as set_rescor() gives it, else TRUE when every response
 * is gaussian (or every one student) and FALSE otherwise, each default with brms's message.
 */
function residualCorrelations(script: BrmsScript, warnings: DiagnosticSink): boolean {
  const families = script.formula.responses.map((spec) => familyOf(script, spec).spec.name);
  const allowed = (families[0] === "gaussian" || families[0] === "student") && families.every((f) => f === families[0]);
  const given = script.formula.rescor;
  if (given === undefined) {
    if (allowed) {
      warnings.warn(script.formula.span, "Setting 'rescor' to TRUE by default for this model", [
        "brms 2.18 warns that this default will change in a future version.",
      ]);
    } else {
      warnings.warnings.push({ kind: "Info", span: script.formula.span, message: "Setting 'rescor' to FALSE by default for this model" });
    }
  }
  const rescor = given ?? allowed;
  if (rescor && !allowed) {
    fail("Semantic error", script.formula.rescorSpan ?? script.formula.span, "Currently, estimating 'rescor' is only possible in multivariate gaussian or student models.", [
      `The responses' families are ${families.join(", ")}; use set_rescor(FALSE).`,
    ]);
  }
  return rescor;
}

function makePredictor(resp: string, dpar: DparName, link: string, spec: LinearSpec): Predictor & { spec: LinearSpec } {
  return {
    resp,
    dpar,
    link,
    prefix: joinNonEmpty(dpar === "mu" ? "" : dpar, resp),
    intercept: spec.intercept,
    columns: [],
    coefs: [],
    groupCoefs: [],
    spec,
  };
}

/** Spec §1.3: IDs in model order; a `|ID|` token reuses its number; cn runs within an ID. */
function assignGroupIds(script: BrmsScript, responses: readonly ResponseInfo[], frame: DataFrame, warnings: DiagnosticSink): GroupId[] {
  const ids: GroupId[] = [];
  const byToken = new Map<string, { id: GroupId; span: Span }>();
  for (const response of responses) {
    for (const predictor of predictorsOf(response)) {
      const spec = (predictor as Predictor & { spec: LinearSpec }).spec;
      for (const term of spec.groups) {
        let id: GroupId;
        const shared = term.id !== undefined ? byToken.get(term.id) : undefined;
        if (shared) {
          id = shared.id;
          if (id.group !== term.group.name) {
            fail("Semantic error", term.group.span, `The group ID '${term.id}' is used with two grouping factors ('${id.group}' and '${term.group.name}').`, [
              "Terms sharing an ID must have the same grouping factor.",
            ]);
          }
          if (id.correlated !== term.correlated) fail("Semantic error", term.span, `Terms sharing the ID '${term.id}' must all be correlated.`);
          if (id.by?.column !== term.by?.name) fail("Semantic error", term.span, `Terms sharing the ID '${term.id}' must have the same gr(by = ) variable.`);
          if (id.multiMembership || term.multiMembership) fail("Semantic error", term.span, `Terms sharing the ID '${term.id}' with mm() grouping are not supported by stan2ts.`);
        } else {
          const by = term.by && { column: term.by.name, span: term.by.span, levels: [], levelOf: new Int32Array(0) };
          const multiMembership = term.multiMembership && { ...term.multiMembership, levelIndices: [], weightValues: [] };
          id = { id: ids.length + 1, group: term.group.name, groupColumns: term.groupColumns.map((c) => c.name), correlated: term.correlated, coefs: [], levels: [], levelIndex: new Int32Array(0), by, ...(multiMembership ? { multiMembership } : {}) };
          ids.push(id);
          if (term.id !== undefined) byToken.set(term.id, { id, span: term.span });
        }
        if (term.categorySpecific) checkCategorySpecific(term.span, predictor.dpar, response.family, response.mu.thresholdGroups, warnings);
        addTermCoefs(id, predictor, term, frame, response.observations.rows, term.categorySpecific ? response.mu.thresholds : undefined);
      }
    }
  }
  return ids;
}

/** A group term's coefficients; `categories` (the number of thresholds) expands a cs() term into `Intercept[1]`, `Intercept[2]`, … */
function addTermCoefs(id: GroupId, predictor: Predictor, term: GroupTermSpec, frame: DataFrame, rows: Int32Array, categories?: number): void {
  const base: { coef: string; values?: Float64Array; span: Span; special?: boolean; memberValues?: Float64Array[] }[] = [];
  if (term.intercept) base.push({ coef: "Intercept", span: term.span });
  // mm(): mmc(x1, x2) gives member k the column x_k (brms's multi-membership covariates), after the other terms.
  const isMmc = (e: RExpr) => e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "mmc";
  // The group term's own model matrix: `(1 + f | g)` gives f contrasts, `(0 + f | g)` every level.
  const design = populationDesign({ intercept: term.intercept, terms: term.terms.filter((e) => !isMmc(e)), offsets: [] }, frame, rows);
  for (const c of design.columns) base.push({ coef: coefName(c.name), values: c.values, span: term.span });
  for (const e of term.terms.filter(isMmc)) base.push({ coef: coefName(deparseR(e)), span: e.span, memberValues: memberCovariates(e as Extract<RExpr, { kind: "Call" }>, term, frame, rows) });
  // `(mo(x) | g)`: one deviation per special term, multiplied by the population term's mo() (no Z column).
  for (const t of design.special) {
    if (categories !== undefined) fail("Semantic error", term.span, "mo() terms inside cs() are not supported.");
    if (t.covariate) fail("Semantic error", t.calls[0].span, `The group-level term '${t.coef}' is not supported by stan2ts: group-level mo() terms take no other variables.`);
    base.push({ coef: t.coef, span: term.span, special: true });
  }
  const coefs: { coef: string; values?: Float64Array; span: Span; category?: number; special?: boolean; memberValues?: Float64Array[] }[] =
    categories === undefined ? base : base.flatMap((c) => Array.from({ length: categories }, (_, k) => ({ ...c, coef: `${c.coef}[${k + 1}]`, category: k + 1 })));
  for (const c of coefs) {
    const duplicate = id.coefs.some((existing) => existing.predictor === predictor && existing.coef === c.coef);
    const sameGroupElsewhere = predictor.groupCoefs.some((g) => g.coef === c.coef && g.group === id.group);
    if (duplicate || sameGroupElsewhere) {
      fail("Semantic error", c.span, `The coefficient '${c.coef}' appears twice for the grouping factor '${id.group}'.`);
    }
    const coef: GroupCoef = { id: id.id, group: id.group, cn: id.coefs.length + 1, predictor, coef: c.coef, values: c.values, ...(c.category ? { category: c.category } : {}), ...(c.special ? { special: true } : {}), ...(c.memberValues ? { memberValues: c.memberValues } : {}) };
    id.coefs.push(coef);
    predictor.groupCoefs.push(coef);
  }
}

/** mmc(x1, x2, …): one numeric column per member of the term's mm() grouping, on the rows. */
function memberCovariates(call: Extract<RExpr, { kind: "Call" }>, term: GroupTermSpec, frame: DataFrame, rows: Int32Array): Float64Array[] {
  if (call.args.length !== term.groupColumns.length || call.args.some((a) => a.name !== undefined || a.value.kind !== "Name")) {
    fail("Semantic error", call.span, `mmc() needs one data column per grouping factor of mm() (${term.groupColumns.length} here), as in mmc(x1, x2).`);
  }
  return call.args.map((a) => {
    const name = (a.value as Extract<RExpr, { kind: "Name" }>).name;
    const column = frame.columns.get(name);
    if (!column) fail("Data error", a.value.span, `The variable '${name}' is not a column of the data (${frame.source}).`, columnHint(frame));
    if (column.kind !== "numeric") fail("Data error", a.value.span, `mmc() needs numeric columns, but '${name}' holds text.`);
    return Float64Array.from(rows, (r) => column.values[r]);
  });
}

/** Spec §2.1: one model frame from every used variable; rows with a missing value are dropped. */
function keptRows(script: BrmsScript, frame: DataFrame, warnings: DiagnosticSink): Int32Array {
  const numeric = new Map<string, Span>();
  // Grouping factors and population variables: text or numbers (the design checks how they are used).
  const spans = new Map<string, Span>();
  // Which responses read each column, and the rows each response is observed on (subset()).
  const readers = new Map<string, Set<number>>();
  script.formula.responses.forEach((spec, index) => {
    const readBy = (v: VariableRef) => readers.set(v.name, (readers.get(v.name) ?? new Set<number>()).add(index));
    const needNumeric = (v: VariableRef) => {
      readBy(v);
      if (!numeric.has(v.name)) numeric.set(v.name, v.span);
    };
    const needAny = (v: VariableRef) => {
      readBy(v);
      if (!spans.has(v.name)) spans.set(v.name, v.span);
    };
    const family = familyOf(script, spec).spec;
    // A categorical response may be text: its values are category labels.
    if (spec.matrix && family.matrixResponse) for (const column of spec.matrix.columns) needNumeric(column);
    else if (family.categories) needAny(spec.response);
    else needNumeric(spec.response);
    const additionVariables = additionColumns(spec.additions);
    for (const v of additionVariables.numeric) needNumeric(v);
    // cens() codes and subset() indicators may be words or numbers.
    for (const v of additionVariables.codes) needAny(v);
    // A non-linear formula's covariates: the names no parameter formula defines.
    for (const expr of [...(spec.nonlinear ? [spec.nonlinear.expr] : []), ...(spec.nonlinearDpars ?? []).map((d) => d.expr)]) {
      for (const v of allVars(expr)) if (!spec.dpars.some((d) => d.dpar === v.name)) needAny(v);
    }
    for (const lin of [spec.mu, ...spec.dpars.map((d) => d.spec)]) {
      for (const v of lin.variables) {
        // brms's `0 + Intercept` names no column unless the data have one.
        if (v.name === INTERCEPT_VARIABLE_NAME && !frame.columns.has(v.name)) continue;
        needAny(v);
      }
      for (const g of lin.groups) {
        for (const v of [...g.variables, ...g.groupColumns]) {
          if (v.name === INTERCEPT_VARIABLE_NAME && !frame.columns.has(v.name)) continue;
          needAny(v);
        }
      }
    }
  });
  const used = [...numeric.keys(), ...[...spans.keys()].filter((g) => !numeric.has(g))];
  for (const name of used) {
    const column = frame.columns.get(name);
    const span = numeric.get(name) ?? spans.get(name)!;
    if (!column) fail("Data error", span, `The variable '${name}' is not a column of the data (${frame.source}).`, columnHint(frame));
    if (numeric.has(name) && column.kind !== "numeric") {
      if (column.factor) {
        fail("Data error", span, `Column '${name}' is a factor (made with factor() or ordered() in the script), but it must be numeric here.`, [
          "Factors may be predictors, grouping factors or a categorical response; keep the numeric column for responses, trials, weights, se, rate and trunc bounds.",
        ]);
      }
      const values = column.values;
      const row = values.findIndex((v) => v !== null && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));
      fail("Data error", span, `Column '${name}' must be numeric, but row ${row + 1} holds '${values[row]}'.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        "Text columns may be predictors (factors) or cens() codes, but not responses or trials (nor weights, se, rate or trunc bounds).",
      ]);
    }
  }
  const observedRows = script.formula.responses.map((spec) => (spec.additions.subset ? subsetMask(spec.additions.subset, frame) : undefined));
  // brms's vars_keep_na: a mi() response and its sdy may be missing (they are imputed).
  const keptMissing = new Set(script.formula.responses.flatMap((spec) => variablesKeptMissing(spec.response, spec.additions.mi)));
  const kept: number[] = [];
  let firstMissing: { row: number; column: string } | undefined;
  for (let i = 0; i < frame.nrow; i++) {
    let missing: string | undefined;
    for (const name of used) {
      const column = frame.columns.get(name)!;
      const isMissing = !keptMissing.has(name) && (column.kind === "numeric" ? Number.isNaN(column.values[i]) : column.values[i] === null);
      // A value counts only where some response reading it is observed (subset()).
      const read = [...readers.get(name)!].some((k) => observedRows[k] === undefined || observedRows[k]![i] === 1);
      if (isMissing && read) {
        missing = name;
        break;
      }
    }
    if (missing === undefined) kept.push(i);
    else firstMissing ??= { row: i + 1, column: missing };
  }
  if (firstMissing) {
    warnings.warn(undefined, "Rows containing NAs were excluded from the model.", [
      `${frame.nrow - kept.length} of ${frame.nrow} rows dropped; the first is row ${firstMissing.row} (missing '${firstMissing.column}').`,
    ]);
  }
  if (kept.length === 0) fail("Data error", script.formula.span, "No rows are left after removing rows with missing values.");
  return Int32Array.from(kept);
}

/** Each response value must lie in its family's support (brms refuses such data before fitting). */
function checkResponses(script: BrmsScript, responses: readonly ResponseInfo[], frame: DataFrame): void {
  script.formula.responses.forEach((spec, i) => {
    const response = responses[i];
    const family = response.family.spec;
    if (response.responseColumns) return checkMatrixResponse(spec, response, frame, response.observations.rows);
    if (response.categories) return;
    const y = frame.columns.get(response.variable)!.values as Float64Array;
    const trialsSpec = spec.additions.trials;
    const trials = trialsSpec ? (frame.columns.get(trialsSpec.name)!.values as Float64Array) : undefined;
    for (const row of response.observations.rows) {
      // mi(): a missing response is imputed, not checked
      if (spec.additions.mi && Number.isNaN(y[row])) continue;
      if (trials && trialsSpec && !(Number.isInteger(trials[row]) && trials[row] >= 0)) {
        fail("Data error", trialsSpec.span, `trials() needs non-negative integers, but row ${row + 1} of '${trialsSpec.name}' holds ${trials[row]}.`, [
          `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        ]);
      }
      const problem = family.checkResponse(y[row], trials?.[row]);
      if (problem !== undefined) {
        fail("Data error", spec.response.span, `The ${family.name} family needs ${family.responseRequirement} as the response, but row ${row + 1} of '${response.variable}' holds ${y[row]}: ${problem}.`, [
          `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        ]);
      }
    }
  });
}

/** The categories of a categorical response: its distinct values in R's level order (text or numbers). */
function responseCategories(response: VariableRef, frame: DataFrame, rows: Int32Array): { levels: string[]; codes: Int32Array } {
  const column = frame.columns.get(response.name)!;
  let { levels, index } =
    column.kind === "numeric" ? numericLevels(Float64Array.from(rows, (r) => column.values[r])) : factorLevels(Array.from(rows, (r) => column.values[r] as string));
  if (column.kind === "character" && column.factor) {
    // A factor response keeps its own level order: its first level is the reference category.
    const own = keptFactorLevels(column, rows);
    index = Int32Array.from(rows, (r) => own.indexOf(column.values[r]!) + 1);
    levels = own;
  }
  if (levels.length < 2) fail("Data error", response.span, `The categorical family needs at least 2 categories, but '${response.name}' has only ${levels.length}.`);
  return { levels: categoryLabels(levels, response.span, (c) => `category '${c}' of '${response.name}'`), codes: index };
}

/**
 * Category labels become dpar names (`mu<label>` without the characters a Stan name cannot hold,
 * categoryDparName). R's make.names keeps a locale's letters (`é`), which Stan names cannot hold,
 * and makes merged names unique with a suffix brms then partly drops: stan2ts refuses both.
 */
function categoryLabels(labels: string[], span: Span, describe: (label: string) => string): string[] {
  const fix = "brms names each category's linear predictor mu<category>; rename or recode it (e.g. with mutate()) first.";
  const nonAscii = labels.find((l) => /[^\x20-\x7e]/.test(l));
  if (nonAscii !== undefined) {
    fail("Data error", span, `The ${describe(nonAscii)} is not supported: stan2ts needs category labels in ASCII characters (Stan names cannot hold other letters).`, [fix]);
  }
  const seen = new Map<string, string>();
  for (const label of labels) {
    const name = categoryDparName(label);
    const other = seen.get(name);
    if (other !== undefined || name === "mu") {
      fail("Data error", span, `The ${describe(label)} is not supported: ${other !== undefined ? `it and '${other}' both become the name '${name}'` : "it holds no letter or digit"}, and brms names each category's linear predictor from its letters and digits.`, [fix]);
    }
    seen.set(name, label);
  }
  return labels;
}

/**
 * A multinomial or dirichlet family reads `cbind(a, b, …) ~ rhs` as one response with a column
 * per category (the first column stands for it where one variable is needed), also as one `bf()`
 * among several responses; other families read cbind() as mvbind(), without addition terms.
 */
function withMatrixResponse(script: BrmsScript): BrmsScript {
  const specs = script.formula.responses;
  const collapsed: ResponseSpec[] = [];
  for (const spec of specs) {
    const matrix = spec.matrix;
    const family = familyOf(script, spec).spec;
    if (!family.matrixResponse) {
      if (matrix && Object.keys(spec.additions).length > 0) {
        fail("Semantic error", matrix.span, "Addition terms with mvbind() or cbind() are not supported; write one bf() per response.", [
          "cbind() with trials() is a matrix response of the multinomial family.",
        ]);
      }
      collapsed.push(spec);
      continue;
    }
    if (!matrix) {
      fail("Semantic error", script.formula.span, `The ${family.name} family needs one matrix response: write cbind(y1, y2, ...) ~ ...`, [
        "Each column of cbind() holds one category.",
      ]);
    }
    // The columns of one cbind() are one response of a matrix family: keep its first spec only.
    if (collapsed.some((c) => c.matrix === matrix)) continue;
    if (matrix.columns.length < 2) fail("Semantic error", matrix.span, `The ${family.name} family needs at least 2 response columns in cbind().`);
    collapsed.push({ ...spec, formulaText: matrix.formulaText });
  }
  return collapsed.length === specs.length ? script : { ...script, formula: { ...script.formula, responses: collapsed } };
}

/** The name brms derives a response label from: the variable, or `cbind(a, b, c)` for a matrix response. */
function responseName(script: BrmsScript, spec: ResponseSpec): string {
  const matrix = spec.matrix;
  return matrix && familyOf(script, spec).spec.matrixResponse ? `cbind(${matrix.columns.map((c) => c.name).join(", ")})` : spec.response.name;
}

function categoricalChoice(choice: FamilyChoice, levels: readonly string[]): FamilyChoice {
  const spec = withCategories(choice.spec, levels);
  return { ...choice, spec, dparLinks: new Map(spec.dpars.map((d) => [d.name, d.links[0]])) };
}

/** One formula per non-reference category (`mu<c> ~ …` where given, else the main formula), then the other dpar formulas (dirichlet's phi). */
function categoryFormulas(spec: ResponseSpec, levels: readonly string[], formulas: readonly DparFormula[]): DparFormula[] {
  const names = levels.slice(1).map(categoryDparName);
  const own = (name: string) => formulas.find((f) => f.dpar === name);
  return [...names.map((name) => own(name) ?? { dpar: name, spec: spec.mu, text: "", span: spec.response.span }), ...formulas.filter((f) => !names.includes(f.dpar))];
}

/** A mixture's mu<k>: its own formula `mu<k> ~ …` where given, else the main formula; then the other dpar formulas (sigma2, theta2). */
function mixtureFormulas(spec: ResponseSpec, size: number): DparFormula[] {
  const names = Array.from({ length: size }, (_, i) => `mu${i + 1}`);
  const own = (name: string) => spec.dpars.find((f) => f.dpar === name);
  return [...names.map((name) => own(name) ?? { dpar: name, spec: spec.mu, text: "", span: spec.response.span }), ...spec.dpars.filter((f) => !names.includes(f.dpar))];
}

/** Each row of a matrix response must suit the family (counts summing to trials(), proportions summing to 1). */
function checkMatrixResponse(spec: ResponseSpec, response: ResponseInfo, frame: DataFrame, rows: Int32Array): void {
  const family = response.family.spec;
  const columns = response.responseColumns!.map((name) => frame.columns.get(name)!.values as Float64Array);
  const trials = response.trials ? (frame.columns.get(response.trials)!.values as Float64Array) : undefined;
  for (const row of rows) {
    const values = columns.map((c) => c[row]);
    const problem = family.matrixResponse!.checkRow(values, trials?.[row]);
    if (problem !== undefined) {
      fail("Data error", spec.matrix!.span, `The ${family.name} family needs ${family.responseRequirement} as the response, but row ${row + 1} (${values.join(", ")}) is ${problem}.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
      ]);
    }
  }
}

/** brms's nthres for an ordinal response (ordinalTerms.ts): the highest category minus one unless thres() says otherwise. */
/**
 * An ordinal family's response may be an ordered factor: brms codes it by its levels (1 for the
 * first level, …; as.numeric()), so the frame stan2ts builds from holds those codes in its place
 * (renumbered over the used levels once the kept rows are known: dropUnusedLevels). Text and
 * unordered factors get brms's refusal. Returns the ordered responses' codes.
 */
function ordinalResponseCodes(script: BrmsScript, frame: DataFrame): { frame: DataFrame; orderedResponses: Map<string, Float64Array> } {
  const orderedResponses = new Map<string, Float64Array>();
  const columns = new Map(frame.columns);
  for (const spec of script.formula.responses) {
    const family = familyOf(script, spec);
    const column = frame.columns.get(spec.response.name);
    if (!family.spec.thresholds || spec.matrix || column?.kind !== "character") continue;
    if (!column.factor?.ordered) {
      fail("Data error", spec.response.span, `Family '${family.spec.name}' requires either positive integers or ordered factors as responses.`, [
        `'${spec.response.name}' is ${column.factor ? "an unordered factor" : "text"}; make it an ordered factor, e.g. factor(${spec.response.name}, levels = c(…), ordered = TRUE), whose levels brms numbers 1, 2, … in their order.`,
      ]);
    }
    const levels = column.factor.levels;
    const codes = Float64Array.from(column.values, (v) => (v === null ? NaN : levels.indexOf(v) + 1));
    columns.set(spec.response.name, { kind: "numeric", values: codes });
    orderedResponses.set(spec.response.name, codes);
  }
  return orderedResponses.size === 0 ? { frame, orderedResponses } : { frame: { ...frame, columns }, orderedResponses };
}

/** brms drops the levels no kept row uses (model.frame's drop.unused.levels), so the codes count the used levels only. */
function dropUnusedLevels(codes: Float64Array, rows: Int32Array): void {
  const used = [...new Set(Array.from(rows, (row) => codes[row]))].sort((a, c) => a - c);
  const rank = new Map(used.map((code, i) => [code, i + 1]));
  for (const row of rows) codes[row] = rank.get(codes[row])!;
}

function countThresholds(script: BrmsScript, r: ResponseInfo, frame: DataFrame, rows: Int32Array) {
  const spec = script.formula.responses.find((s) => s.response.name === r.variable)!;
  if (!r.mu.intercept) {
    fail("Semantic error", spec.response.span, `An ordinal (${r.family.spec.name}) model needs its thresholds: remove '0 +' / '- 1' from the formula of '${r.variable}'.`);
  }
  return ordinalThresholds({ name: r.variable, span: spec.response.span }, r.family, r.additions.thres, frame, rows);
}

/**
 * Spec §2.3: levels are sorted distinct values: numeric order for numbers, R's en_US collation for
 * text (terms/levels.ts); `g1:g2` groups by the values joined with `_`, as brms does.
 */
function computeLevels(id: GroupId, frame: DataFrame, rows: Int32Array): void {
  if (id.multiMembership) return computeMemberships(id, id.multiMembership, frame, rows);
  const grouping = groupingValues(id.groupColumns, frame, rows);
  const { levels, index } = grouping.levels
    ? { levels: grouping.levels, index: Int32Array.from(grouping.values as string[], (v) => grouping.levels!.indexOf(v) + 1) }
    : grouping.text
      ? factorLevels(grouping.values as string[])
      : numericLevels(Float64Array.from(grouping.values as number[]));
  id.levels = levels;
  id.levelIndex = index;
  if (id.by) {
    // brms: every level of the grouping factor lies within one level of the by variable.
    const by = groupingValues([id.by.column], frame, rows);
    const byLevels = by.levels
      ? { levels: by.levels, index: Int32Array.from(by.values as string[], (v) => by.levels!.indexOf(v) + 1) }
      : by.text
        ? factorLevels(by.values as string[])
        : numericLevels(Float64Array.from(by.values as number[]));
    const levelOf = new Int32Array(levels.length);
    index.forEach((level, row) => {
      const byLevel = byLevels.index[row];
      if (levelOf[level - 1] !== 0 && levelOf[level - 1] !== byLevel) {
        fail("Data error", id.by!.span, `Level '${levels[level - 1]}' of '${id.group}' occurs with more than one level of the by variable '${id.by!.column}' ('${byLevels.levels[levelOf[level - 1] - 1]}' and '${byLevels.levels[byLevel - 1]}').`, [
          "brms needs every level of the grouping factor within one level of the by variable (gr(g, by = h) gives each level of h its own sd).",
        ]);
      }
      levelOf[level - 1] = byLevel;
    });
    id.by.levels = byLevels.levels;
    id.by.levelOf = levelOf;
  }
}

/**
 * mm(g1, g2, …): the levels are every value of any member column, sorted as grouping levels are;
 * each member gets its row's level index and weight (1 / members, or the weight columns, divided by
 * their row sum unless scale = FALSE).
 */
function computeMemberships(id: GroupId, mm: NonNullable<GroupId["multiMembership"]>, frame: DataFrame, rows: Int32Array): void {
  const members = id.groupColumns.map((column) => groupingValues([column], frame, rows));
  const text = members.some((m) => m.text);
  if (text && !members.every((m) => m.text)) {
    fail("Data error", undefined, `The grouping factors of mm() in '${id.group}' mix text and numbers.`, ["Make every grouping factor of mm() text (or every one numbers) with mutate() first."]);
  }
  const all = members.flatMap((m) => m.values.map((v) => (typeof v === "number" ? v : String(v))));
  const levels = text ? factorLevels(all as string[]).levels : numericLevels(Float64Array.from(all as number[])).levels;
  const position = new Map(levels.map((l, i) => [l, i + 1]));
  const label = (v: string | number) => (typeof v === "number" ? formatLevel(v) : v);
  mm.levelIndices = members.map((m) => Int32Array.from(m.values, (v) => position.get(label(v))!));
  const raw = mm.weights
    ? mm.weights.map((w) => {
        const column = frame.columns.get(w.name)!;
        if (column.kind !== "numeric") fail("Data error", w.span, `The weights of mm() must be numeric, but column '${w.name}' holds text.`);
        return Float64Array.from(rows, (r) => column.values[r]);
      })
    : members.map(() => new Float64Array(rows.length).fill(1));
  const scale = mm.scale || !mm.weights;
  mm.weightValues = raw.map((w) => (scale ? w.map((x, i) => x / raw.reduce((sum, other) => sum + other[i], 0)) : w));
  id.levels = levels;
  id.levelIndex = mm.levelIndices[0];
}

export type { PriorRow, PriorSpec };
