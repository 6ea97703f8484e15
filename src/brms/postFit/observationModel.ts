/**
 * The fitted model's distribution of each observation, from the draws and the model's design:
 * every distributional parameter per draw (linear predictor incl. group-level effects and
 * offsets, then the inverse link, or the scalar parameter's draws; ordinal thresholds; the
 * category predictors of categorical families), with the addition terms applied as brms 2.18's
 * R code applies them — se() widens sigma, rate() scales mu (and negbinomial's shape), cens()
 * and trunc() change the log-likelihood, weights() multiply it, trunc() bounds the predictions.
 * It gives the pointwise log-likelihood (brms's `log_lik`) and posterior predictive draws
 * (brms's `posterior_predict`), used by loo() and pp_check(). One ObservationModel is one
 * response over its own rows (a multivariate model's subset() rows); a non-linear parameter is
 * its expression over the nlpars per draw; ordinal thresholds are per row with cs() terms and
 * thres(gr = ). ModelLogLik combines a multivariate model's responses as brms's log_lik does.
 */
import { addSpecialTermDraws } from "../terms/monotonic";
import { addSmoothDraws } from "../terms/smooth";
import { gaussianProcessDraws } from "../terms/gaussianProcess";
import { atan, exp, expm1, log, log1p } from "../../runtime/math/elementary";
import { Phi, inv_logit, lgamma, log1p_exp } from "../../runtime/math/special";
import type { Rng } from "../../runtime/model";
import { predictorsOf, type BrmsModel, type GroupCoef, type Predictor, type ResponseInfo } from "../buildModel";
import type { AdditionData } from "../additions";
import { categoryDparName } from "../families/categorical";
import { thetaName } from "../families/mixture";
import { mixtureSimplexSize } from "../families/mixtureProgram";
import { predictorNames, scalarDparName } from "../emitStanProgram";
import { withSuffix } from "../names";
import type { NonlinearInfo } from "../nonlinear";
import type { DataFrame } from "../dataFrame";
import { evaluateNonlinear, functionsRLacks } from "./nonlinearValues";
import { kernelOfFamily, KERNEL_FAMILIES, type KernelFamily, ORDINAL_KINDS, type DrawParams, type FamilyKernel, type RowData } from "./familyKernels";
import type { PooledDraws } from "./summaries";

export const OBSERVATION_FAMILIES = [...KERNEL_FAMILIES, "mixture"];

/** Draw by draw, the softmax of K linear predictors (brms's get_theta for theta formulas). */
export function softmaxDraws(etas: readonly Float64Array[]): Float64Array[] {
  const draws = etas[0].length;
  const probabilities = etas.map(() => new Float64Array(draws));
  for (let s = 0; s < draws; s++) {
    const top = Math.max(...etas.map((e) => e[s]));
    const total = etas.reduce((sum, e) => sum + exp(e[s] - top), 0);
    probabilities.forEach((p, k) => (p[s] = exp(etas[k][s] - top) / total));
  }
  return probabilities;
}

/** What kernelOfFamily needs of a response's family. */
export function kernelFamily(r: ResponseInfo): KernelFamily {
  return { name: r.family.spec.name, link: r.family.link, mixture: r.family.spec.mixture };
}

/** brms's inverse links (`linkinv`), applied to a linear predictor value. */
export function inverseLink(link: string, eta: number): number {
  switch (link) {
    case "identity":
      return eta;
    case "log":
      return exp(eta);
    case "logit":
      return inv_logit(eta);
    case "probit":
      return Phi(eta);
    case "probit_approx":
      // brms's R code takes pnorm for probit_approx too
      return Phi(eta);
    case "cloglog":
      return 1 - exp(-exp(eta));
    case "cauchit":
      return 0.5 + atan(eta) / Math.PI;
    case "inverse":
      return 1 / eta;
    case "sqrt":
      return eta * eta;
    case "1/mu^2":
      return 1 / Math.sqrt(eta);
    case "logm1":
      return exp(eta) + 1;
    case "log1p":
      return expm1(eta);
    case "softplus":
      return log1p_exp(eta);
    case "tan_half":
      return 2 * atan(eta);
    default:
      throw new Error(`internal error: no inverse of the link '${link}'`);
  }
}

/**
 * The responses a call is for (brms's validate_resp): the one `resp` names, else all of them; in
 * a model with one response `resp` is not looked at (as brms ignores it there). A name that is no
 * response gets brms's message, returned as `error`.
 */
export function selectedResponses(model: BrmsModel, resp: string | undefined): { responses: readonly ResponseInfo[]; error?: string } {
  if (!model.multivariate || resp === undefined) return { responses: model.responses };
  const response = model.responses.find((r) => r.resp === resp);
  if (!response) return { responses: [], error: `Invalid argument 'resp'. Valid response variables are: ${model.responses.map((r) => `'${r.resp}'`).join(", ")}` };
  return { responses: [response] };
}

/**
 * Why the responses' observations cannot be evaluated here (log_lik, predictions, expected
 * values), or undefined when they can; `listSupported` adds the families that can be.
 */
export function unsupportedObservationModel(model: BrmsModel, responses: readonly ResponseInfo[] = model.responses, listSupported = true): string | undefined {
  for (const r of responses) {
    const family = r.family.spec.name;
    if (!kernelOfFamily(kernelFamily(r))) return `the ${family} family is not supported yet${listSupported ? ` (supported: ${OBSERVATION_FAMILIES.join(", ")})` : ""}`;
    const lacking = predictorsOf(r).flatMap((p) => (p.nonlinear ? functionsRLacks(p.nonlinear.expr) : []));
    if (lacking.length > 0) {
      const names = [...new Set(lacking)];
      return `brms 2.18 evaluates the non-linear formula in R after the fit, where ${names.map((n) => `'${n}'`).join(", ")} ${names.length === 1 ? "is" : "are"} not defined, so its predictions stop (could not find function "${names[0]}")`;
    }
  }
  // brms 2.18's predictions of group-level cs() effects read the Stan data `nthres` by R's partial name
  // match, which names one response's thresholds only when no other response has thresholds
  const csGroup = model.responses.find((r) => r.mu.groupCoefs.some((c) => c.category !== undefined));
  if (model.multivariate && csGroup && model.responses.filter((r) => r.mu.thresholds !== undefined).length > 1) {
    return `brms 2.18's predictions of the group-level cs() effects of ${csGroup.resp} read the thresholds' count by a partial name ('nthres'), which matches the data of several ordinal responses here, so they stop with an R error`;
  }
  return undefined;
}

/** Why loo() cannot run on these responses, or undefined when it can. */
export function unsupportedLoo(model: BrmsModel, responses: readonly ResponseInfo[]): string | undefined {
  const why = unsupportedObservationModel(model, responses);
  if (why !== undefined) return why;
  // brms's prepare_predictions stops here: each response has its own rows, so their log_lik cannot be added row by row
  if (responses.length > 1 && responses.some((r) => r.additions.subset)) {
    return `its responses are observed on different rows (subset()), so their log-likelihoods cannot be added row by row (brms 2.18 stops: "Argument 'resp' must be a single variable name for models using addition argument 'draw_ids'."); give one response, as in loo(fit, resp = "${responses[0].resp}")`;
  }
  return undefined;
}

/** Why pp_check() cannot draw the replications of this response, or undefined when it can. */
export function unsupportedPredictions(model: BrmsModel, response: ResponseInfo): string | undefined {
  const why = unsupportedObservationModel(model, [response]);
  if (why !== undefined) return why;
  // brms 2.18: "'pp_check' is not implemented for this family." for responses of several columns
  if (response.responseColumns) return `'pp_check' is not implemented for this family (${response.family.spec.name}: a response of several columns)`;
  return undefined;
}

/** One observation's parameters for every draw, and its response. */
export interface ObservationDraws {
  readonly y: number;
  readonly trials: number;
  /** Parameter name → its value per draw (mu on the response scale, except ordinal and categorical). */
  readonly params: ReadonlyMap<string, Float64Array>;
  /** Ordinal families: each threshold's draws. */
  readonly thresholds?: readonly Float64Array[];
  /** Categorical families: each category's linear predictor per draw (the reference's is 0). */
  readonly categoryEta?: readonly Float64Array[];
}

/** Rejection tries of brms's rdiscrete (`ntrys`). */
const DISCRETE_TRIES = 5;

export class ObservationModel {
  readonly response: ResponseInfo;
  readonly kernel: FamilyKernel;
  /** The response's observations (kept rows; subset(): its own rows). */
  readonly n: number;
  /** Pooled draws. */
  readonly draws: number;
  /** The response (categorical: each row's category, 1-based; matrix responses: 0). */
  readonly y: Float64Array;
  /** Data-frame row of each observation. */
  private readonly frameRows: Int32Array;
  /** Each observation's position among the model's kept rows (group and threshold-group indices are per kept row). */
  private readonly keptPositions?: Int32Array;
  private readonly trials?: Float64Array;
  private readonly yRows?: Float64Array[];
  private readonly additions: AdditionData;
  private readonly ordinal: boolean;
  /** Each predictor's gp() terms on every row (rows × draws), computed when first read. */
  private readonly gaussianProcessValues = new Map<Predictor, Float64Array[]>();

  constructor(
    private readonly model: BrmsModel,
    private readonly fit: PooledDraws,
    response: ResponseInfo = model.responses[0],
  ) {
    this.response = response;
    const family = this.response.family;
    this.kernel = kernelOfFamily(kernelFamily(this.response))!;
    this.ordinal = ORDINAL_KINDS.includes(family.spec.name);
    const observations = response.observations;
    this.frameRows = observations.rows;
    this.keptPositions = observations.positions;
    this.n = this.frameRows.length;
    this.draws = fit.draws(fit.variables[0]).length;
    const codes = this.response.categories?.codes;
    if (this.response.responseColumns) {
      const columns = this.response.responseColumns.map((c) => this.column(c));
      this.yRows = Array.from({ length: this.n }, (_, i) => Float64Array.from(columns, (c) => c[i]));
      this.y = new Float64Array(this.n);
    } else if (codes) this.y = Float64Array.from(codes);
    else this.y = this.column(this.response.variable);
    if (this.response.trials !== undefined) this.trials = this.column(this.response.trials);
    this.additions = this.response.additionData;
  }

  private column(name: string): Float64Array {
    const column = this.model.frame.columns.get(name);
    if (!column || column.kind !== "numeric") throw new Error(`internal error: response column '${name}' is not numeric`);
    return Float64Array.from(this.frameRows, (r) => column.values[r]);
  }

  /** Observation i's position among the model's kept rows. */
  private kept(i: number): number {
    return this.keptPositions ? this.keptPositions[i] : i;
  }

  /** Linear predictor of observation i per draw, on the link scale (ordinal: without the thresholds and cs() terms). */
  private linearPredictor(p: Predictor, i: number): Float64Array {
    const names = predictorNames(p);
    const eta = new Float64Array(this.draws);
    if (p.intercept && p.thresholds === undefined) eta.set(this.fit.draws(names.bIntercept));
    p.columns.forEach((column, j) => {
      const x = column.values[i];
      if (x === 0) return;
      const b = this.fit.draws(`${names.b}_${p.coefs[j]}`);
      for (let s = 0; s < eta.length; s++) eta[s] += b[s] * x;
    });
    if (p.offset) for (let s = 0; s < eta.length; s++) eta[s] += p.offset[i];
    // gp() terms: computed for every row at once per draw (a Cholesky factor per draw), then read row by row
    if (p.gaussianProcesses?.length) {
      let values = this.gaussianProcessValues.get(p);
      if (!values) {
        values = gaussianProcessDraws(p.gaussianProcesses, p.prefix, this.n, this.draws, (name) => this.fit.draws(name));
        this.gaussianProcessValues.set(p, values);
      }
      const gp = values[i];
      for (let s = 0; s < eta.length; s++) eta[s] += gp[s];
    }
    // mo() terms; their group-level deviations `(mo(x) | g)` add to the coefficient, not through a Z column
    if (p.special?.length) {
      const deviations = (coef: string) => p.groupCoefs.filter((c) => c.special && c.coef === coef).map((c) => this.groupDraws(p, c, i));
      addSpecialTermDraws(eta, p.special, p.prefix, i, (name) => this.fit.draws(name), deviations);
    }
    // s() terms: their columns at observation i
    if (p.smooths?.length) addSmoothDraws(eta, p.smooths, p.prefix, (name) => this.fit.draws(name), (t, j) => t.fixed[j][i], (t, j) => t.random[j][i]);
    for (const c of p.groupCoefs) {
      // (cs(1) | g) coefficients shift the thresholds instead (categorySpecific)
      if (c.category !== undefined || c.special) continue;
      const z = c.values ? c.values[i] : 1;
      if (z === 0) continue;
      const mm = this.model.ids.find((g) => g.id === c.id)!.multiMembership;
      if (mm) {
        // mm(): each member's level, weighted (W_k[n] * r[J_k[n]] * Z[n])
        mm.levelIndices.forEach((levels, k) => {
          const w = mm.weightValues[k][this.kept(i)];
          // mmc(x1, x2): member k's own covariate
          const zk = c.memberValues ? c.memberValues[k][i] : z;
          const r = this.levelDraws(p, c, levels[this.kept(i)]);
          for (let s = 0; s < eta.length; s++) eta[s] += w * r[s] * zk;
        });
        continue;
      }
      const r = this.groupDraws(p, c, i);
      for (let s = 0; s < eta.length; s++) eta[s] += r[s] * z;
    }
    return eta;
  }

  /** The draws of the group-level coefficient c at observation i's level (`r_g__sigma[a,Intercept]`). */
  private groupDraws(p: Predictor, c: GroupCoef, i: number): Float64Array {
    const id = this.model.ids.find((g) => g.id === c.id)!;
    return this.levelDraws(p, c, id.levelIndex[this.kept(i)]);
  }

  /** The draws of the group-level coefficient c at the 1-based level `level` of its grouping factor. */
  private levelDraws(p: Predictor, c: GroupCoef, level: number): Float64Array {
    const id = this.model.ids.find((g) => g.id === c.id)!;
    const label = id.levels[level - 1].replace(/\s/g, ".");
    const prefix = p.prefix === "" ? "" : `__${p.prefix}`;
    return this.fit.draws(`r_${id.group}${prefix}[${label},${c.coef}]`);
  }

  /** The parameters of observation i per draw, each as brms's prepared predictions hold them. */
  observation(i: number): ObservationDraws {
    const r = this.response;
    const params = new Map<string, Float64Array>();
    const categories = r.categories?.levels;
    const nlparEta = new Map<string, Float64Array>();
    const row = this.frameRows[i];
    for (const p of predictorsOf(r)) {
      if (p.nlpar !== undefined) {
        nlparEta.set(p.nlpar, this.linearPredictor(p, i));
        continue;
      }
      const eta = p.nonlinear ? nonlinearEta(p.nonlinear, nlparEta, this.model.frame, row, this.draws) : this.linearPredictor(p, i);
      // ordinal mu and the category predictors stay on the link scale: the density applies the link
      const linkScale = (p.dpar === "mu" && this.ordinal) || (categories !== undefined && categories.slice(1).some((c) => categoryDparName(c) === p.dpar));
      params.set(p.dpar, linkScale ? eta : eta.map((e) => inverseLink(p.link, e)));
    }
    for (const d of r.scalarDpars) {
      const name = scalarDparName(d, r);
      if (this.fit.variables.includes(name)) params.set(d.name, this.fit.draws(name));
      else if (d.fixedValue !== undefined) params.set(d.name, new Float64Array(this.draws).fill(Number(d.fixedValue)));
      else throw new Error(`internal error: no draws of '${name}'`);
    }
    if (r.family.spec.mixture) this.mixingProportions(params, r.family.spec.mixture.size);
    this.applyAdditions(params, i);
    const out: { -readonly [K in keyof ObservationDraws]: ObservationDraws[K] } = { y: this.y[i], trials: this.trials ? this.trials[i] : 0, params };
    if (this.ordinal) out.thresholds = this.thresholds(i);
    if (categories) out.categoryEta = [new Float64Array(this.draws), ...categories.slice(1).map((c) => params.get(categoryDparName(c))!)];
    return out;
  }

  /**
   * Observation i's thresholds per draw: `b_Intercept[k]`; with thres(gr = ) its group's own
   * (`b_Intercept[<group>,k]`, as many as the group has); cs() terms subtract their
   * category-specific predictor from each (brms's `Intercept - mucs[n]`).
   */
  private thresholds(i: number): Float64Array[] {
    const mu = this.response.mu;
    const b = withSuffix("b", mu.prefix);
    const groups = mu.thresholdGroups;
    if (groups) {
      const g = groups.rowGroup[this.kept(i)] - 1;
      return Array.from({ length: groups.counts[g] }, (_, k) => this.fit.draws(`${b}_Intercept[${groups.levels[g]},${k + 1}]`));
    }
    const thresholds = Array.from({ length: mu.thresholds! }, (_, k) => this.fit.draws(`${b}_Intercept[${k + 1}]`));
    const csCoefs = mu.csCoefs ?? [];
    const csGroupCoefs = mu.groupCoefs.filter((c) => c.category !== undefined);
    if (csCoefs.length === 0 && csGroupCoefs.length === 0) return thresholds;
    const shifted = thresholds.map((t) => Float64Array.from(t));
    csCoefs.forEach((coef, j) => {
      const x = mu.csColumns![j].values[i];
      if (x === 0) return;
      shifted.forEach((t, k) => {
        const bcs = this.fit.draws(`${withSuffix("bcs", mu.prefix)}_${coef}[${k + 1}]`);
        for (let s = 0; s < t.length; s++) t[s] -= bcs[s] * x;
      });
    });
    for (const c of csGroupCoefs) {
      const z = c.values ? c.values[i] : 1;
      if (z === 0) continue;
      const r = this.groupDraws(mu, c, i);
      const t = shifted[c.category! - 1];
      for (let s = 0; s < t.length; s++) t[s] -= r[s] * z;
    }
    return shifted;
  }

  /**
   * A mixture's theta1, …, thetaK per draw (brms's get_theta): the simplex's draws, or with theta
   * formulas the softmax of the linear predictors, those without a formula 0.
   */
  private mixingProportions(params: Map<string, Float64Array>, size: number): void {
    const names = Array.from({ length: size }, (_, k) => thetaName(k + 1));
    if (mixtureSimplexSize(this.response) !== undefined) {
      for (const name of names) params.set(name, this.fit.draws(name));
      return;
    }
    const probabilities = softmaxDraws(names.map((name) => params.get(name) ?? new Float64Array(this.draws)));
    names.forEach((name, k) => params.set(name, probabilities[k]));
  }

  /** se() and rate() change the parameters as brms's add_sigma_se and multiply_dpar_rate_denom do. */
  private applyAdditions(params: Map<string, Float64Array>, i: number): void {
    const { se, denom } = this.additions;
    if (se) {
      // se() without sigma = TRUE fixes sigma at 0
      const sigma = params.get("sigma") ?? new Float64Array(this.draws);
      params.set("sigma", sigma.map((s) => Math.sqrt(se[i] ** 2 + s ** 2)));
    }
    if (denom) {
      const scaled = ["mu", ...(this.response.family.spec.rateScaled ?? [])];
      for (const name of scaled) {
        const values = params.get(name);
        if (values) params.set(name, values.map((v) => v * denom[i]));
      }
    }
  }

  /** Iterates the draws of observation i: the parameters and row data of each draw, in one reused object each. */
  private *perDraw(obs: ObservationDraws, i: number, drawIndices?: readonly number[]): Generator<[number, DrawParams, RowData]> {
    const names = [...obs.params.keys()];
    const values = names.map((n) => obs.params.get(n)!);
    const at: Record<string, number> = {};
    const thres = obs.thresholds ? new Float64Array(obs.thresholds.length) : undefined;
    const eta = obs.categoryEta ? new Float64Array(obs.categoryEta.length) : undefined;
    const row: RowData = { trials: obs.trials, yRow: this.yRows?.[i], thres, eta, dec: this.additions.dec?.[i] };
    const count = drawIndices ? drawIndices.length : this.draws;
    for (let k = 0; k < count; k++) {
      const s = drawIndices ? drawIndices[k] : k;
      names.forEach((n, j) => (at[n] = values[j][s]));
      if (thres) obs.thresholds!.forEach((t, j) => (thres[j] = t[s]));
      if (eta) obs.categoryEta!.forEach((e, j) => (eta[j] = e[s]));
      yield [k, at, row];
    }
  }

  /** log p(y_i | θ_s) for every draw s (brms's log_lik: censored, truncated, weighted). */
  logLik(i: number): Float64Array {
    const obs = this.observation(i);
    const out = new Float64Array(this.draws);
    const { cens, rcens, weights } = this.additions;
    const additions: RowAdditions = { cens: cens?.[i], rcens: rcens?.[i], weight: weights?.[i] };
    for (const [s, p, row] of this.perDraw(obs, i)) out[s] = rowLogLik(this.kernel, obs.y, p, row, additions);
    return out;
  }

  /** brms's posterior_epred of observation i per draw (ordinal: the mean category Σ k P(k)). */
  epred(i: number): Float64Array {
    const obs = this.observation(i);
    const out = new Float64Array(this.draws);
    for (const [s, p, row] of this.perDraw(obs, i)) out[s] = this.kernel.epred(p, row);
    return out;
  }

  /** A posterior predictive draw of every observation for each of the given draws: [draw][observation]. */
  predict(drawIndices: readonly number[], rng: Rng): Float64Array[] {
    const out = drawIndices.map(() => new Float64Array(this.n));
    const { lb, ub } = this.additions;
    for (let i = 0; i < this.n; i++) {
      const obs = this.observation(i);
      for (const [k, p, row] of this.perDraw(obs, i, drawIndices)) {
        out[k][i] = lb || ub ? truncatedDraw(this.kernel, rng, p, row, lb ? lb[i] : -Infinity, ub ? ub[i] : Infinity) : this.kernel.draw!(rng, p, row);
      }
    }
    return out;
  }
}

/**
 * A non-linear predictor's value per draw at one data row (link scale): its expression over the
 * nlpars' linear predictors and the row's covariates.
 */
export function nonlinearEta(info: NonlinearInfo, nlparEta: ReadonlyMap<string, Float64Array>, frame: DataFrame, row: number, draws: number): Float64Array {
  return evaluateNonlinear(
    info.expr,
    (name) => {
      const eta = nlparEta.get(name);
      if (eta) return eta;
      const column = frame.columns.get(name);
      if (!column || column.kind !== "numeric") throw new Error(`internal error: the covariate '${name}' is no numeric column`);
      return column.values[row];
    },
    draws,
  );
}

/** One row's addition-term data for log_lik: its cens() code and interval end, its weight. */
export interface RowAdditions {
  readonly cens?: number;
  readonly rcens?: number;
  readonly weight?: number;
}

function cdfAt(kernel: FamilyKernel, q: number, p: DrawParams, row: RowData): number {
  if (q === Infinity) return 1;
  if (q === -Infinity) return 0;
  return kernel.cdf!(q, p, row);
}

/**
 * brms's log_lik of one row and draw: the density, or for a censored row log P(Y > y) (right),
 * log P(Y ≤ y) (left), log(F(y2) − F(y)) (interval); times the weight. trunc() bounds do not
 * enter: brms 2.18's log_lik_truncate computes x − log(F(ub) − F(lb)) but returns x unchanged, so
 * brms's log_lik(fit) and loo(fit) of a truncated model are those of the untruncated density
 * (recorded in family-postfit.json); stan2ts prints what brms prints.
 */
export function rowLogLik(kernel: FamilyKernel, y: number, p: DrawParams, row: RowData, a: RowAdditions): number {
  const code = a.cens ?? 0;
  let value: number;
  if (code === 0) value = kernel.logLik(y, p, row);
  else if (code === 1) value = kernel.lccdf ? kernel.lccdf(y, p, row) : log1p(-kernel.cdf!(y, p, row));
  else if (code === -1) value = kernel.lcdf ? kernel.lcdf(y, p, row) : log(kernel.cdf!(y, p, row));
  else value = log(kernel.cdf!(a.rcens!, p, row) - kernel.cdf!(y, p, row));
  return a.weight !== undefined ? value * a.weight : value;
}

/**
 * A draw within [lower, upper], as brms's rcontinuous/rdiscrete make it: a continuous family by
 * its quantile function at a uniform between F(lower) and F(upper) (here the CDF inverted by
 * bisection); a count family by the first of five draws inside the bounds, else just outside
 * the bound all five missed.
 */
export function truncatedDraw(kernel: FamilyKernel, rng: Rng, p: DrawParams, row: RowData, lower: number, upper: number): number {
  if (kernel.discrete) {
    const tries = Array.from({ length: DISCRETE_TRIES }, () => kernel.draw!(rng, p, row));
    const valid = tries.find((x) => x >= lower && x <= upper);
    if (valid !== undefined) return valid;
    return Math.max(...tries) < lower ? lower - 1e-10 : upper + 1e-10;
  }
  const cdf = (q: number) => cdfAt(kernel, q, p, row);
  const target = cdf(lower) + rng.uniform() * (cdf(upper) - cdf(lower));
  return invertCdf(cdf, target, lower, upper);
}

/** The q with F(q) = target, by bracketing then bisection to full double precision. */
function invertCdf(cdf: (q: number) => number, target: number, lower: number, upper: number): number {
  let lo = lower;
  let hi = upper;
  // bracket an infinite end by doubling steps away from the finite one (or from 0)
  const start = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
  for (let step = 1; !Number.isFinite(lo) && step < 1e300; step *= 2) if (cdf(start - step) <= target) lo = start - step;
  for (let step = 1; !Number.isFinite(hi) && step < 1e300; step *= 2) if (cdf(start + step) >= target) hi = start + step;
  for (let k = 0; k < 200; k++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (cdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * brms's log_lik of a model's selected responses, per row and draw: one response's own; several
 * responses' sum (brms's log_lik of a multivariate model without residual correlations), or with
 * residual correlations their joint density (brms's log_lik_gaussian_mv / log_lik_student_mv),
 * weighted by the first response's weights() as brms's multivariate predictions take them.
 */
export class ModelLogLik {
  readonly n: number;
  readonly draws: number;
  private readonly parts: readonly ObservationModel[];

  constructor(
    private readonly model: BrmsModel,
    private readonly fit: PooledDraws,
    responses: readonly ResponseInfo[],
  ) {
    this.parts = responses.map((r) => new ObservationModel(model, fit, r));
    this.n = this.parts[0].n;
    this.draws = this.parts[0].draws;
  }

  logLik(i: number): Float64Array {
    if (this.parts.length === 1) return this.parts[0].logLik(i);
    if (this.model.rescor) return this.jointDensity(i);
    const out = new Float64Array(this.draws);
    for (const part of this.parts) {
      const ll = part.logLik(i);
      for (let s = 0; s < out.length; s++) out[s] += ll[s];
    }
    return out;
  }

  /**
   * The joint log density of row i's responses per draw, with covariance Σ = diag(σ) R diag(σ)
   * (σ each response's sigma at the row — its formula's value when predicted — widened by se();
   * R from the `rescor__a__b` draws), by the Cholesky
   * factor L of Σ and z = L⁻¹(y − μ): the multivariate normal
   * −(d/2) log 2π − log|L| − z·z/2, or for student responses with their shared `nu` the
   * multivariate t lgamma((ν+d)/2) − lgamma(ν/2) − (d/2) log(πν) − log|L| − ((ν+d)/2) log1p(z·z/ν).
   */
  private jointDensity(i: number): Float64Array {
    const d = this.parts.length;
    const observations = this.parts.map((p) => p.observation(i));
    const y = observations.map((o) => o.y);
    const mu = observations.map((o) => o.params.get("mu")!);
    const sigma = observations.map((o) => o.params.get("sigma")!);
    const resps = this.parts.map((p) => p.response.resp);
    const rescor: Float64Array[][] = resps.map((a, j) => resps.map((b, k) => (k < j ? this.fit.draws(`rescor__${b}__${a}`) : new Float64Array(0))));
    const nu = this.parts[0].response.family.spec.name === "student" ? this.fit.draws("nu") : undefined;
    const weight = this.parts[0].response.additionData.weights?.[i];
    const out = new Float64Array(this.draws);
    const L = new Float64Array(d * d);
    const z = new Float64Array(d);
    const halfLog2Pi = 0.5 * log(2 * Math.PI);
    for (let s = 0; s < this.draws; s++) {
      // Cholesky factor of the covariance, row by row
      for (let j = 0; j < d; j++) {
        for (let k = 0; k <= j; k++) {
          let sum = j === k ? sigma[j][s] * sigma[j][s] : rescor[j][k][s] * sigma[j][s] * sigma[k][s];
          for (let m = 0; m < k; m++) sum -= L[j * d + m] * L[k * d + m];
          L[j * d + k] = j === k ? Math.sqrt(sum) : sum / L[k * d + k];
        }
      }
      let logDet = 0;
      let quad = 0;
      for (let j = 0; j < d; j++) {
        let r = y[j] - mu[j][s];
        for (let m = 0; m < j; m++) r -= L[j * d + m] * z[m];
        z[j] = r / L[j * d + j];
        quad += z[j] * z[j];
        logDet += log(L[j * d + j]);
      }
      const value = nu
        ? lgamma((d + nu[s]) / 2) - (lgamma(nu[s] / 2) + logDet + (d / 2) * log(Math.PI * nu[s])) - 0.5 * (nu[s] + d) * log1p(quad / nu[s])
        : -d * halfLog2Pi - logDet - 0.5 * quad;
      out[s] = weight !== undefined ? value * weight : value;
    }
    return out;
  }
}
