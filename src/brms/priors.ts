/**
 * brms priors (spec §4): the default prior table for a model (get_prior), user priors applied and
 * validated, and the per-element resolution rule that decides each parameter's prior.
 */
import { fail, type DiagnosticSink } from "../common/diagnostics";
import type { DataFrame } from "./dataFrame";
import type { BrmsScript, PriorSpec } from "./evalScript";
import type { GroupId, Predictor, ResponseInfo } from "./buildModel";
import { linkForPriors, type FamilySpec } from "./families/family";
import { nu } from "./families/dpars";
import { hasSharedNu } from "./sharedNu";
import { parseRScript } from "./parseRScript";
import { deparseR, formatRNumber, type RExpr } from "./rAst";
import type { Span } from "../common/span";
import { simplexPriorCoef } from "./terms/monotonic";
import { rRound } from "./rArithmetic";
import { smoothFixedCoefs } from "./terms/smooth";
import { measurementErrors } from "./terms/measurementError";

export interface PriorRow {
  /** "" means flat (or inherited, for coef/group rows). */
  prior: string;
  /** Bounds of the parameter ("" for none); a user prior's lb/ub replace the default's. */
  lb: string;
  ub: string;
  readonly class: string;
  readonly coef: string;
  readonly group: string;
  readonly resp: string;
  readonly dpar: string;
  readonly nlpar: string;
  source: "default" | "user";
}

/** Distributions a prior may use: number of arguments, and whether support already starts at 0. */
const DISTRIBUTIONS: Record<string, { args: number; positive: boolean }> = {
  normal: { args: 2, positive: false },
  std_normal: { args: 0, positive: false },
  student_t: { args: 3, positive: false },
  cauchy: { args: 2, positive: false },
  double_exponential: { args: 2, positive: false },
  logistic: { args: 2, positive: false },
  gumbel: { args: 2, positive: false },
  skew_normal: { args: 3, positive: false },
  uniform: { args: 2, positive: false },
  lognormal: { args: 2, positive: true },
  chi_square: { args: 1, positive: true },
  inv_chi_square: { args: 1, positive: true },
  scaled_inv_chi_square: { args: 2, positive: true },
  exponential: { args: 1, positive: true },
  gamma: { args: 2, positive: true },
  inv_gamma: { args: 2, positive: true },
  weibull: { args: 2, positive: true },
  frechet: { args: 2, positive: true },
  rayleigh: { args: 1, positive: true },
  pareto: { args: 2, positive: true },
  pareto_type_2: { args: 3, positive: true },
  beta: { args: 2, positive: true },
  von_mises: { args: 2, positive: false },
  lkj_corr_cholesky: { args: 1, positive: false },
  // brms's constant(x): the parameter is fixed at x (constantPriors.ts).
  constant: { args: 1, positive: false },
};

export interface ParsedPrior {
  readonly distribution: string;
  readonly args: readonly RExpr[];
}

/** `normal(0, 0.2)` → distribution and argument expressions. */
export function parsePrior(prior: string): ParsedPrior {
  const parsed = parseRScript(prior, "<prior>");
  const call = parsed.statements[0];
  if (parsed.statements.length !== 1 || call.kind !== "Call" || call.fn.kind !== "Name") {
    throw new Error(`internal: prior '${prior}' is not a distribution call`);
  }
  return { distribution: call.fn.name, args: call.args.map((a) => a.value) };
}

export function hasPositiveSupport(distribution: string): boolean {
  return DISTRIBUTIONS[distribution]?.positive ?? false;
}

/** The bounds a prior distribution already has, written as brms writes parameter bounds ("0", "1"). */
export function distributionSupport(distribution: string): { lb?: string; ub?: string } {
  if (distribution === "beta") return { lb: "0", ub: "1" };
  return hasPositiveSupport(distribution) ? { lb: "0" } : {};
}

// ---------------------------------------------------------------------------------------------
// Defaults (§4.1–4.2)

/** R ≥ 4.0 `round(x, 1)`. */
export const round1 = (x: number): number => rRound(x, 1);

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) if (Number.isNaN(sorted[i])) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function mad(values: ArrayLike<number>): number {
  const center = median(values);
  const deviations = Float64Array.from(values, (v) => Math.abs(v - center));
  return 1.4826 * median(deviations);
}

/** brms's data-dependent `student_t(3, location, scale)`; location only for the mu intercept. */
export function defaultStudentT(y: ArrayLike<number>, withLocation: boolean, meanOffset = 0): string {
  const scaleRaw = round1(mad(y));
  const scale = Number.isFinite(scaleRaw) ? Math.max(2.5, scaleRaw) : 2.5;
  const locationRaw = withLocation ? round1(median(y)) : 0;
  // brms moves the location by the mean offset, so the intercept prior centres y - offset.
  const location = (Number.isFinite(locationRaw) ? locationRaw : 0) - (withLocation && Number.isFinite(meanOffset) ? meanOffset : 0);
  return `student_t(3, ${formatRNumber(location)}, ${formatRNumber(scale)})`;
}

/** The default for a log-linked sigma intercept: computed on log(y), zeros replaced by 0.1. */
export function defaultLogScaleStudentT(y: ArrayLike<number>): string {
  return defaultScalePrior(y, "log", false);
}

/**
 * brms's `def_scale_prior`: `student_t(3, location, scale)` from the response on the link scale,
 * for the links brms transforms (others keep 0 and 2.5); zeros become 0.1 before log/inverse.
 */
export function defaultScalePrior(y: ArrayLike<number>, link: string, withLocation: boolean, meanOffset = 0): string {
  const transform = linkForPriors(link);
  if (!transform) return "student_t(3, 0, 2.5)";
  const replaceZeros = link === "log" || link === "inverse" || link === "1/mu^2";
  const onLinkScale = Float64Array.from(y, (v) => transform(replaceZeros && v === 0 ? 0.1 : v));
  return defaultStudentT(onLinkScale, withLocation, meanOffset);
}

// ---------------------------------------------------------------------------------------------
// The prior table

interface TableInput {
  readonly script: BrmsScript;
  readonly responses: readonly ResponseInfo[];
  readonly ids: readonly GroupId[];
  readonly multivariate: boolean;
  readonly rescor: boolean;
  readonly frame: DataFrame;
  readonly rows: Int32Array;
  readonly warnings: DiagnosticSink;
}

function row(cls: string, fields: Partial<Omit<PriorRow, "class" | "source">>): PriorRow {
  return {
    prior: fields.prior ?? "",
    class: cls,
    coef: fields.coef ?? "",
    group: fields.group ?? "",
    resp: fields.resp ?? "",
    dpar: fields.dpar ?? "",
    nlpar: fields.nlpar ?? "",
    lb: fields.lb ?? "",
    ub: fields.ub ?? "",
    source: "default",
  };
}

export function buildPriorTable(input: TableInput): PriorRow[] {
  const rows = defaultPriorRows(input);
  applyUserPriors(rows, input);
  return rows;
}

export function responseValues(frame: DataFrame, variable: string, rows: Int32Array): Float64Array {
  const column = frame.columns.get(variable);
  if (!column || column.kind !== "numeric") throw new Error(`internal: response ${variable} is not numeric`);
  return Float64Array.from(rows, (r) => column.values[r]);
}

function defaultPriorRows(input: TableInput): PriorRow[] {
  const rows: PriorRow[] = [];
  const scaleDefault = new Map<string, string>();
  for (const response of input.responses) {
    // Category codes stand in for a categorical response (its links take no data-based defaults).
    // A mi() response's missing values are left out (R's na.rm = TRUE).
    const y = response.categories?.codes ? Float64Array.from(response.categories.codes) : responseValues(input.frame, response.variable, response.observations.rows).filter((v) => !Number.isNaN(v));
    const family = response.family.spec;
    // brms's "logscale" families (lognormal) compute every data-based default on log(y).
    const scaleLink = (link: string) => (family.logScale ? "log" : link);
    const resp = response.resp;
    scaleDefault.set(resp, defaultScalePrior(y, scaleLink(response.mu.link), false));
    for (const predictor of [...(response.nlpars ?? []), response.mu, ...response.dpars]) {
      const { dpar, nlpar } = priorLabels(predictor);
      // Category-specific effects (cs()) are class b too, after the population effects (brms's prior_cs).
      const csCoefs = (predictor.csCoefs ?? []).filter((c) => !predictor.coefs.includes(c));
      // Monotonic effects' coefficients (bsp) are class b as well (brms's prior_sp).
      const spCoefs = (predictor.special ?? []).map((t) => t.coef);
      // and so are the smooths' unpenalised coefficients (bs, brms's prior_sm)
      const smCoefs = smoothFixedCoefs(predictor.smooths ?? []);
      if (predictor.coefs.length + csCoefs.length + spCoefs.length + smCoefs.length > 0) {
        rows.push(row("b", { resp, dpar, nlpar }));
        for (const coef of [...predictor.coefs, ...csCoefs, ...spCoefs, ...smCoefs]) rows.push(row("b", { coef, resp, dpar, nlpar }));
      }
      // One Dirichlet row per mo() call, `dirichlet(1)` by default (its concentrations are data: con_simo_k).
      // mo(x, id = ): one row for the shared simplex, its coef the id
      for (const call of (predictor.special ?? []).flatMap((t) => t.calls)) {
        if (call.sharedWith === undefined) rows.push(row("simo", { coef: simplexPriorCoef(call), resp, dpar, nlpar, prior: "dirichlet(1)" }));
      }
      if (predictor.intercept) rows.push(row("Intercept", { resp, dpar, prior: interceptDefault(predictor, family, y, scaleLink) }));
      // gp(): sdgp as sd (class default, one row per sub-GP), lscale flat with brms's data-based default per length scale
      const gps = predictor.gaussianProcesses ?? [];
      if (gps.length > 0) {
        rows.push(row("sdgp", { resp, dpar, nlpar, prior: scaleDefault.get(resp), lb: "0" }));
        for (const coef of gps.flatMap((t) => t.sdCoefs)) rows.push(row("sdgp", { coef, resp, dpar, nlpar }));
        rows.push(row("lscale", { resp, dpar, nlpar, lb: "0" }));
        for (const t of gps) t.lscaleCoefs.forEach((coefs, j) => coefs.forEach((coef, d) => rows.push(row("lscale", { coef, resp, dpar, nlpar, prior: t.lscalePriors[j][d] }))));
      }
      // Ordinal thresholds: one row per threshold, named by its number; grouped ones under a row per group.
      const groups = predictor.thresholdGroups;
      if (groups) {
        groups.levels.forEach((group, g) => {
          rows.push(row("Intercept", { group, resp, dpar }));
          for (let k = 1; k <= groups.counts[g]; k++) rows.push(row("Intercept", { coef: String(k), group, resp, dpar }));
        });
      } else for (let k = 1; k <= (predictor.thresholds ?? 0); k++) rows.push(row("Intercept", { coef: String(k), resp, dpar }));
      // The smooths' sds: a class row with the sd default, then one row per s() term (by-levels share it)
      if (predictor.smooths?.length) {
        const y = response.categories?.codes ? Float64Array.from(response.categories.codes) : responseValues(input.frame, response.variable, response.observations.rows);
        rows.push(row("sds", { resp, dpar, nlpar, prior: defaultScalePrior(y, scaleLink(response.mu.link), false), lb: "0" }));
        for (const term of new Set(predictor.smooths.map((t) => t.spec.term))) rows.push(row("sds", { coef: term, resp, dpar, nlpar }));
      }
    }
    for (const dpar of response.scalarDpars) {
      if (dpar.fixedValue !== undefined) continue;
      const prior = dpar.scalarPrior ?? defaultScalePrior(y, scaleLink("identity"), false);
      rows.push(row(dpar.name, { resp, prior, lb: dpar.lb, ub: dpar.ub }));
    }
    // A mixture's proportions without formulas: the simplex theta, dirichlet(1) by default (its concentrations are data: con_theta).
    if (family.mixture) {
      const thetas = family.dpars.filter((d) => d.notScalar);
      const predictedThetas = thetas.filter((d) => response.dpars.some((p) => p.dpar === d.name));
      if (predictedThetas.length === 0) rows.push(row("theta", { resp, prior: "dirichlet(1)" }));
      // brms 2.18 lists a theta without a formula beside predicted ones as a scalar (its prior unused: that theta is 0)
      else for (const d of thetas.filter((t) => !predictedThetas.includes(t))) rows.push(row(d.name, { resp, prior: d.scalarPrior, lb: "-Inf", ub: "Inf" }));
    }
  }
  if (input.rescor) rows.push(row("Lrescor", { prior: "lkj_corr_cholesky(1)" }));
  // me(): latent means and sds (flat by default, sds bounded below by 0) and their correlations (brms's prior_Xme)
  const noisy = measurementErrors({ predictors: input.responses.flatMap((r) => [...(r.nlpars ?? []), r.mu, ...r.dpars]) });
  if (noisy.length > 0) {
    rows.push(row("meanme", {}));
    for (const m of noisy) rows.push(row("meanme", { coef: m.label }));
    rows.push(row("sdme", { lb: "0" }));
    for (const m of noisy) rows.push(row("sdme", { coef: m.label }));
    if (noisy.length > 1 && (input.script.formula.mecor ?? true)) rows.push(row("Lme", { prior: "lkj_corr_cholesky(1)" }));
  }
  // multi_student_t's one nu, shared by the responses (brms's prior_predictor.mvbrmsterms).
  if (hasSharedNu(input)) rows.push(row("nu", { prior: nu.scalarPrior, lb: nu.lb }));
  const correlatedGroups = [...new Set(input.ids.filter(hasCorrelations).map((id) => id.group))];
  if (correlatedGroups.length > 0) {
    rows.push(row("L", { prior: "lkj_corr_cholesky(1)" }));
    for (const group of correlatedGroups) rows.push(row("L", { group }));
  }
  for (const response of input.responses) {
    for (const predictor of [...(response.nlpars ?? []), response.mu, ...response.dpars]) {
      if (predictor.groupCoefs.length === 0) continue;
      const { dpar, nlpar } = priorLabels(predictor);
      const resp = response.resp;
      rows.push(row("sd", { resp, dpar, nlpar, prior: scaleDefault.get(resp), lb: "0" }));
      const groups = [...new Set(predictor.groupCoefs.map((c) => c.group))];
      for (const group of groups) {
        rows.push(row("sd", { group, resp, dpar, nlpar }));
        for (const c of predictor.groupCoefs.filter((g) => g.group === group)) rows.push(row("sd", { coef: c.coef, group, resp, dpar, nlpar }));
      }
    }
  }
  return rows;
}

/** The dpar and nlpar columns of a predictor's prior rows: mu's are empty, an nlpar's dpar is empty. */
export function priorLabels(p: Predictor): { dpar: string; nlpar: string } {
  if (p.nlpar !== undefined) return { dpar: "", nlpar: p.nlpar };
  return { dpar: p.dpar === "mu" ? "" : p.dpar, nlpar: "" };
}

/** brms's `def_dprior` for the intercept of a linear predictor. */
function interceptDefault(predictor: Predictor, family: FamilySpec, y: ArrayLike<number>, scaleLink: (link: string) => string): string {
  const dpar = family.dpars.find((d) => d.name === predictor.dpar);
  // a mixture component's mu takes mu's default, on its own link's scale
  if (predictor.dpar === "mu" || dpar?.componentMu) {
    const meanOffset = predictor.offset ? predictor.offset.reduce((s, v) => s + v, 0) / predictor.offset.length : 0;
    return defaultScalePrior(y, scaleLink(predictor.link), true, meanOffset);
  }
  if (!dpar) throw new Error(`internal: no dpar ${predictor.dpar} in the ${family.name} family`);
  if (predictor.link === "identity") return dpar.scalarPrior ?? defaultScalePrior(y, scaleLink("identity"), false);
  return dpar.interceptPrior ?? defaultScalePrior(y, scaleLink(predictor.link), false);
}

/** An ID gets correlation parameters when it is correlated and has more than one coefficient. */
export function hasCorrelations(id: GroupId): boolean {
  return id.correlated && id.coefs.length > 1;
}

const USER_CLASS: Record<string, string> = { cor: "L", rescor: "Lrescor", L: "L", Lrescor: "Lrescor", Lme: "Lme", corme: "Lme" };

function applyUserPriors(rows: PriorRow[], input: TableInput): void {
  const invalid: { spec: PriorSpec; text: string }[] = [];
  const seen = new Set<string>();
  // brms 2.18's validate_prior_special warns once per class (b, Intercept) given without resp
  const warnedGlobalClasses = new Set<string>();
  const resps = input.responses.map((r) => r.resp);
  // categorical, multinomial and dirichlet responses: one linear predictor per category (mu<cat>) and no mu rows
  const categoryResps = new Set(input.responses.filter((r) => r.mu.categoryVector && r.family.spec.categories).map((r) => r.resp));
  const warnedCategorical = new Set<string>();
  const warnCategorical = (spec: PriorSpec, resp: string, cls: string) => {
    // brms's validate_prior_special warns once per response and class
    if (warnedCategorical.has(`${resp}|${cls}`)) return;
    warnedCategorical.add(`${resp}|${cls}`);
    input.warnings.warn(spec.span, "Specifying global priors for regression coefficients in categorical models is deprecated. Please specify priors separately for each response category.");
  };
  for (const spec of input.script.priors) {
    const cls = USER_CLASS[spec.class] ?? spec.class;
    const prior = normalisedPrior(spec, cls);
    if (cls === "theta") checkMixtureConcentrations(spec, input.responses);
    if (spec.lb !== undefined || spec.ub !== undefined) checkBoundedPrior(spec, cls);
    let targets: { resp: string; expanded: boolean }[] = [{ resp: spec.resp, expanded: false }];
    if (input.multivariate && spec.resp === "" && spec.nlpar === "" && (cls === "b" || cls === "Intercept")) {
      // brms 2.18 copies resp-less b/Intercept priors to every response, with a deprecation warning;
      // not an nlpar's, which then matches no parameter (its rows carry the response).
      targets = resps.map((resp) => ({ resp, expanded: true }));
      if (!warnedGlobalClasses.has(cls)) {
        input.warnings.warn(spec.span, "Specifying global priors for regression coefficients in multivariate models is deprecated. Please specify priors separately for each response variable.");
        warnedGlobalClasses.add(cls);
      }
    }
    for (const target of targets) {
      if (target.expanded) {
        // brms's validate_prior_special copies the global prior into every row of the class for the
        // response, whatever its dpar, unless a user prior already set that row.
        for (const row of rows) {
          if (row.class === cls && row.coef === "" && row.resp === target.resp && row.nlpar === "" && (row.source !== "user" || row.prior === "")) {
            row.prior = prior;
            row.source = "default";
          }
        }
        // the copy lands on the categorical response's class row too, which brms then spreads (below) with its own warning
        if (categoryResps.has(target.resp)) warnCategorical(spec, target.resp, cls);
        continue;
      }
      if (categoryResps.has(target.resp) && (cls === "b" || cls === "Intercept") && spec.coef === "" && spec.dpar === "" && spec.nlpar === "") {
        // brms 2.18 spreads a category-less b/Intercept prior of a categorical-type response to every
        // dpar's row (each mu<cat>, and a predicted dirichlet phi), with a deprecation warning,
        // unless a user prior already set that row; the copies stay "default" in prior_summary.
        const key = `${cls}||${spec.group}|${target.resp}||`;
        if (seen.has(key)) fail("Semantic error", spec.span, "Duplicated prior specifications are not allowed.", [printPrior(cls, spec, prior)]);
        seen.add(key);
        warnCategorical(spec, target.resp, cls);
        for (const row of rows) {
          if (row.class === cls && row.coef === "" && row.group === "" && row.resp === target.resp && row.dpar !== "" && row.nlpar === "" && (row.source !== "user" || row.prior === "")) {
            row.prior = prior;
          }
        }
        continue;
      }
      const match = rows.find(
        (r) => r.class === cls && r.coef === spec.coef && r.group === spec.group && r.resp === target.resp && r.dpar === spec.dpar && r.nlpar === spec.nlpar,
      );
      if (!match) {
        invalid.push({ spec, text: printPrior(spec.class, spec, spec.prior) });
        continue;
      }
      const key = `${cls}|${spec.coef}|${spec.group}|${target.resp}|${spec.dpar}|${spec.nlpar}`;
      if (seen.has(key) && !target.expanded) fail("Semantic error", spec.span, "Duplicated prior specifications are not allowed.", [printPrior(cls, spec, prior)]);
      seen.add(key);
      match.prior = prior;
      if (spec.lb !== undefined) match.lb = spec.lb;
      if (spec.ub !== undefined) match.ub = spec.ub;
      // brms records the copies of a global MV prior as defaults (see the m2 prior_summary oracle).
      match.source = target.expanded ? "default" : "user";
    }
  }
  if (invalid.length > 0) {
    fail("Semantic error", invalid[0].spec.span, "The following priors do not correspond to any model parameter:", [
      ...invalid.map((i) => i.text),
      "Function 'get_prior' might be helpful to you.",
    ]);
  }
}

/** Classes whose parameters brms declares with the bounds of their prior row. */
const BOUNDABLE = new Set(["b", "Intercept", "sd"]);

/** brms 2.18 takes lb/ub for a whole class (never one coefficient), as numbers. */
function checkBoundedPrior(spec: PriorSpec, cls: string): void {
  if (spec.coef !== "") fail("Semantic error", spec.span, "Argument 'coef' may not be specified when using boundaries.", ["brms puts lb/ub on the declaration of the whole parameter vector."]);
  const scalarDpar = !BOUNDABLE.has(cls) && cls !== "L" && cls !== "Lrescor";
  if (!BOUNDABLE.has(cls) && !scalarDpar) fail("Semantic error", spec.span, `Bounds (lb/ub) on class ${spec.class} priors are not supported.`);
  if (cls === "sd" && (spec.group !== "" || spec.dpar !== "" || spec.resp !== "" || spec.nlpar !== "")) {
    fail("Semantic error", spec.span, "stan2ts takes lb/ub on sd priors only for the whole class (no group, dpar, nlpar or resp).");
  }
  for (const bound of [spec.lb, spec.ub]) {
    if (bound !== undefined && !/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(bound)) {
      fail("Semantic error", spec.span, `Prior bounds must be numbers, not '${bound}'.`);
    }
  }
}

function usc(x: string): string {
  return x === "" ? "" : `_${x}`;
}

/** brms's `.print_prior` form, e.g. `sd_record_id ~ exponential(1)`. */
function printPrior(cls: string, spec: PriorSpec, prior: string): string {
  let group = usc(spec.group);
  if ([spec.resp, spec.dpar, spec.nlpar, spec.coef].some((x) => x !== "")) group = group === "" ? "" : `${group}_`;
  return `${cls}${group}${usc(spec.resp)}${usc(spec.dpar)}${usc(spec.nlpar)}${usc(spec.coef)} ~ ${prior}`;
}

function normalisedPrior(spec: PriorSpec, cls: string): string {
  const dist = spec.distribution;
  // Lme: me()'s latent correlations (user class Lme or corme)
  if (cls === "L" || cls === "Lrescor" || cls === "Lme") {
    if (dist !== "lkj" && dist !== "lkj_corr_cholesky") {
      fail("Semantic error", spec.span, `Correlation priors must be lkj(eta), not '${spec.prior}'.`);
    }
    if (spec.args.length !== 1) fail("Semantic error", spec.span, "lkj() takes one argument, the shape eta.");
    return `lkj_corr_cholesky(${spec.args.map(deparseR).join(", ")})`;
  }
  if (cls === "simo") return simplexPrior(spec);
  if (cls === "theta") return mixtureSimplexPrior(spec);
  if (dist === "dirichlet") fail("Semantic error", spec.span, `dirichlet priors are for class = simo (the simplexes of mo() terms), not class = ${spec.class}.`);
  if (dist === "lkj" || dist === "lkj_corr_cholesky") fail("Semantic error", spec.span, `lkj priors are for class = cor, rescor or Lme, not class = ${spec.class}.`);
  const known = DISTRIBUTIONS[dist];
  if (!known) {
    fail("Semantic error", spec.span, `Unknown prior distribution '${dist}'.`, [
      `Known: ${Object.keys(DISTRIBUTIONS).filter((d) => d !== "lkj_corr_cholesky").join(", ")}, lkj.`,
    ]);
  }
  if (spec.args.length !== known.args) {
    fail("Semantic error", spec.span, `${dist}() takes ${known.args} argument${known.args === 1 ? "" : "s"}, but ${spec.args.length} were given.`);
  }
  for (const a of spec.args) checkNumericArg(a);
  return spec.prior;
}

/** One concentration for all components or one per component (brms's "Invalid Dirichlet prior"). */
function checkMixtureConcentrations(spec: PriorSpec, responses: readonly ResponseInfo[]): void {
  const size = responses.find((r) => r.resp === spec.resp)?.family.spec.mixture?.size;
  if (size === undefined) return;
  const count = dirichletConcentrations(spec.args).length;
  if (count !== 1 && count !== size) fail("Semantic error", spec.span, `Invalid Dirichlet prior. Expected input of length ${size}.`, [`'${spec.prior}' gives ${count} concentrations; the mixture has ${size} components.`]);
}

/** A mixture's proportions (class theta): `dirichlet(a)`, `dirichlet(a1, a2)` or `dirichlet(c(a1, a2))`, positive concentrations. */
function mixtureSimplexPrior(spec: PriorSpec): string {
  if (spec.distribution !== "dirichlet" || spec.args.length === 0) {
    fail("Semantic error", spec.span, "Currently 'dirichlet' is the only valid prior for simplex parameters. See help(set_prior) for more details.", [
      `'${spec.prior}' was given; the mixing proportions take dirichlet(2) or dirichlet(c(1, 2)), one concentration per component.`,
    ]);
  }
  dirichletConcentrations(spec.args);
  return spec.prior;
}

/** A monotonic simplex's prior: `dirichlet(a)` or `dirichlet(c(a1, …, aJ))`, positive concentrations. */
function simplexPrior(spec: PriorSpec): string {
  if (spec.distribution !== "dirichlet" || spec.args.length !== 1) {
    fail("Semantic error", spec.span, "Currently 'dirichlet' is the only valid prior for simplex parameters. See help(set_prior) for more details.", [
      `'${spec.prior}' was given; the simplex of a mo() term takes dirichlet(2) or dirichlet(c(1, 2, 3)), one concentration per step.`,
    ]);
  }
  dirichletConcentrations(spec.args);
  return spec.prior;
}

/**
 * The concentrations of a monotonic simplex of `steps` elements from its prior row (brms's con_simo):
 * `dirichlet(a)` repeats a; `dirichlet(c(…))` must give one per step (brms's message otherwise, at `span`).
 */
export function simplexConcentrations(prior: string, steps: number, span?: Span): Float64Array {
  const values = dirichletConcentrations(parsePrior(prior).args);
  if (values.length === 1) return new Float64Array(steps).fill(values[0]);
  if (values.length !== steps) {
    if (!span) throw new Error(`internal: dirichlet prior '${prior}' for ${steps} steps`);
    fail("Semantic error", span, `Invalid Dirichlet prior. Expected input of length ${steps}.`, [`'${prior}' gives ${values.length} concentrations; the simplex has one per step of the mo() variable.`]);
  }
  return Float64Array.from(values);
}

/** The concentrations written in a `dirichlet(...)` prior: one number, or each number of `c(...)`. */
export function dirichletConcentrations(args: readonly RExpr[]): number[] {
  // brms's dirichlet(...) concatenates its arguments: dirichlet(2, 3) is dirichlet(c(2, 3))
  const items = args.flatMap((arg) => (arg.kind === "Call" && arg.fn.kind === "Name" && arg.fn.name === "c" ? arg.args.map((a) => a.value) : [arg]));
  return items.map((item) => {
    checkNumericArg(item);
    const value = evalNumber(item);
    if (!(value > 0)) fail("Semantic error", item.span, `Dirichlet concentrations must be positive, not ${deparseR(item)}.`);
    return value;
  });
}

/** The value of a numeric prior argument (checked by checkNumericArg). */
function evalNumber(e: RExpr): number {
  switch (e.kind) {
    case "Num":
      return e.value;
    case "Unary":
      return e.op === "-" ? -evalNumber(e.operand) : evalNumber(e.operand);
    case "Paren":
      return evalNumber(e.inner);
    case "Binary": {
      const l = evalNumber(e.left);
      const r = evalNumber(e.right);
      return e.op === "+" ? l + r : e.op === "-" ? l - r : e.op === "*" ? l * r : e.op === "/" ? l / r : l ** r;
    }
    default:
      throw new Error(`internal: prior argument of kind ${e.kind}`);
  }
}

function checkNumericArg(a: RExpr): void {
  if (a.kind === "Num") return;
  if (a.kind === "Unary" && (a.op === "-" || a.op === "+")) return checkNumericArg(a.operand);
  if (a.kind === "Paren") return checkNumericArg(a.inner);
  if (a.kind === "Binary" && ["+", "-", "*", "/", "^"].includes(a.op)) {
    checkNumericArg(a.left);
    checkNumericArg(a.right);
    return;
  }
  fail("Semantic error", a.span, `Prior arguments must be numbers, not '${deparseR(a)}'.`);
}

// ---------------------------------------------------------------------------------------------
// Resolution (§4.4)

export interface Element {
  readonly coef: string;
  readonly group: string;
  readonly resp: string;
  readonly dpar: string;
  /** The non-linear parameter the element belongs to ("" or absent for mu and dpars). */
  readonly nlpar?: string;
}

export interface Resolved {
  /** "" for flat. */
  readonly prior: string;
  /** True when a row with this element's own coef decided it. */
  readonly ownCoef: boolean;
}

export function resolvePrior(rows: readonly PriorRow[], cls: string, el: Element): Resolved {
  if (el.coef !== "") {
    const own = rows.find((r) => r.class === cls && r.coef === el.coef && r.group === el.group && r.resp === el.resp && r.dpar === el.dpar && r.nlpar === (el.nlpar ?? "") && r.prior !== "");
    if (own) return { prior: own.prior, ownCoef: true };
  }
  return { prior: basePrior(rows, cls, el), ownCoef: false };
}

export function basePrior(rows: readonly PriorRow[], cls: string, el: Omit<Element, "coef">): string {
  let candidates = rows.filter(
    (r) =>
      r.class === cls &&
      r.coef === "" &&
      r.prior !== "" &&
      (r.group === el.group || r.group === "") &&
      (r.resp === el.resp || r.resp === "") &&
      // brms reads a dpar's b from its own row only (stan_prior's exact match); other classes inherit.
      (r.dpar === el.dpar || (r.dpar === "" && cls !== "b")) &&
      // an nlpar's elements take only its own rows (brms has no class-wide rows across nlpars)
      r.nlpar === (el.nlpar ?? ""),
  );
  for (const field of ["group", "nlpar", "dpar", "resp"] as const) {
    const specific = candidates.filter((r) => r[field] !== "");
    if (specific.length > 0) candidates = specific;
  }
  return candidates[0]?.prior ?? "";
}
