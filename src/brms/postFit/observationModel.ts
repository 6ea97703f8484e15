/**
 * The fitted model's distribution of each observation, from the draws and the model's design:
 * every distributional parameter per draw (linear predictor incl. group-level effects and
 * offsets, then the inverse link, or the scalar parameter's draws), the pointwise log-likelihood
 * (brms's `log_lik`, normalised densities) and posterior predictive draws (brms's
 * `posterior_predict`). Used by pp_check() and loo().
 */
import { Phi, inv_logit, tgamma } from "../../runtime/math/special";
import type { Rng } from "../../runtime/model";
import { bernoulli_lpmf, bernoulli_rng } from "../../runtime/math/distributions/bernoulli";
import { beta_lpdf, beta_rng } from "../../runtime/math/distributions/beta";
import { binomial_lpmf, binomial_rng } from "../../runtime/math/distributions/binomial";
import { exponential_lpdf, exponential_rng } from "../../runtime/math/distributions/exponential";
import { gamma_lpdf, gamma_rng } from "../../runtime/math/distributions/gamma";
import { lognormal_lpdf, lognormal_rng } from "../../runtime/math/distributions/lognormal";
import { neg_binomial_2_lpmf, neg_binomial_2_rng } from "../../runtime/math/distributions/negBinomial2";
import { normal_lpdf, normal_rng } from "../../runtime/math/distributions/normal";
import { poisson_lpmf, poisson_rng } from "../../runtime/math/distributions/poisson";
import { student_t_lpdf, student_t_rng } from "../../runtime/math/distributions/studentT";
import { weibull_lpdf, weibull_rng } from "../../runtime/math/distributions/weibull";
import type { BrmsModel, Predictor, ResponseInfo } from "../buildModel";
import { predictorNames, scalarDparName } from "../emitStanProgram";
import type { PooledDraws } from "./summaries";

/** One family's observation density and random generator given its parameters (brms's parameterisation). */
interface FamilyKernel {
  /** Parameters the density reads besides mu, in brms's order. */
  readonly dpars: readonly string[];
  logLik(y: number, p: Readonly<Record<string, number>>, trials: number): number;
  draw(rng: Rng, p: Readonly<Record<string, number>>, trials: number): number;
}

/** Families whose log_lik and posterior_predict stan2ts computes. */
const KERNELS: Readonly<Record<string, FamilyKernel>> = {
  gaussian: { dpars: ["sigma"], logLik: (y, p) => normal_lpdf(y, p.mu, p.sigma, false), draw: (rng, p) => normal_rng(rng, p.mu, p.sigma) },
  student: {
    dpars: ["sigma", "nu"],
    logLik: (y, p) => student_t_lpdf(y, p.nu, p.mu, p.sigma, false),
    draw: (rng, p) => student_t_rng(rng, p.nu, p.mu, p.sigma),
  },
  lognormal: { dpars: ["sigma"], logLik: (y, p) => lognormal_lpdf(y, p.mu, p.sigma, false), draw: (rng, p) => lognormal_rng(rng, p.mu, p.sigma) },
  // brms's gamma: mean mu, so rate = shape / mu
  gamma: { dpars: ["shape"], logLik: (y, p) => gamma_lpdf(y, p.shape, p.shape / p.mu, false), draw: (rng, p) => gamma_rng(rng, p.shape, p.shape / p.mu) },
  // brms's weibull: mean mu, so scale = mu / Γ(1 + 1/shape)
  weibull: {
    dpars: ["shape"],
    logLik: (y, p) => weibull_lpdf(y, p.shape, p.mu / tgamma(1 + 1 / p.shape), false),
    draw: (rng, p) => weibull_rng(rng, p.shape, p.mu / tgamma(1 + 1 / p.shape)),
  },
  exponential: { dpars: [], logLik: (y, p) => exponential_lpdf(y, 1 / p.mu, false), draw: (rng, p) => exponential_rng(rng, 1 / p.mu) },
  beta: {
    dpars: ["phi"],
    logLik: (y, p) => beta_lpdf(y, p.mu * p.phi, (1 - p.mu) * p.phi, false),
    draw: (rng, p) => beta_rng(rng, p.mu * p.phi, (1 - p.mu) * p.phi),
  },
  bernoulli: { dpars: [], logLik: (y, p) => bernoulli_lpmf(y, p.mu, false), draw: (rng, p) => bernoulli_rng(rng, p.mu) },
  binomial: { dpars: [], logLik: (y, p, trials) => binomial_lpmf(y, trials, p.mu, false), draw: (rng, p, trials) => binomial_rng(rng, trials, p.mu) },
  poisson: { dpars: [], logLik: (y, p) => poisson_lpmf(y, p.mu, false), draw: (rng, p) => poisson_rng(rng, p.mu) },
  negbinomial: {
    dpars: ["shape"],
    logLik: (y, p) => neg_binomial_2_lpmf(y, p.mu, p.shape, false),
    draw: (rng, p) => neg_binomial_2_rng(rng, p.mu, p.shape),
  },
  geometric: { dpars: [], logLik: (y, p) => neg_binomial_2_lpmf(y, p.mu, 1, false), draw: (rng, p) => neg_binomial_2_rng(rng, p.mu, 1) },
};

export const OBSERVATION_FAMILIES = Object.keys(KERNELS);

/** brms's inverse links (`linkinv`), applied to a linear predictor value. */
export function inverseLink(link: string, eta: number): number {
  switch (link) {
    case "identity":
      return eta;
    case "log":
      return Math.exp(eta);
    case "logit":
      return inv_logit(eta);
    case "probit":
      return Phi(eta);
    case "probit_approx":
      return inv_logit(0.07056 * eta ** 3 + 1.5976 * eta);
    case "cloglog":
      return 1 - Math.exp(-Math.exp(eta));
    case "cauchit":
      return 0.5 + Math.atan(eta) / Math.PI;
    case "inverse":
      return 1 / eta;
    case "sqrt":
      return eta * eta;
    case "1/mu^2":
      return 1 / Math.sqrt(eta);
    case "logm1":
      return Math.exp(eta) + 1;
    case "softplus":
      return Math.log1p(Math.exp(eta));
    default:
      throw new Error(`internal error: no inverse of the link '${link}'`);
  }
}

/** Why the model's observations cannot be predicted here, or undefined when they can. */
export function unsupportedObservationModel(model: BrmsModel): string | undefined {
  if (model.multivariate) return "multivariate models are not supported yet";
  const family = model.responses[0].family.spec.name;
  if (!(family in KERNELS)) return `the ${family} family is not supported yet (supported: ${OBSERVATION_FAMILIES.join(", ")})`;
  return unsupportedAdditions(model);
}

/** Addition terms other than trials() change the likelihood (weights, censoring, truncation, …), which is not modelled here. */
export function unsupportedAdditions(model: BrmsModel): string | undefined {
  const terms = Object.keys(model.script.formula.responses[0].additions).filter((term) => term !== "trials");
  return terms.length > 0 ? `addition terms (${terms.map((t) => `${t}()`).join(", ")}) are not supported yet` : undefined;
}

/** One observation's parameters for every draw, and its response. */
export interface ObservationDraws {
  readonly y: number;
  readonly trials: number;
  /** Parameter name → its value per draw (mu on the response scale). */
  readonly params: ReadonlyMap<string, Float64Array>;
}

export class ObservationModel {
  readonly response: ResponseInfo;
  readonly kernel: FamilyKernel;
  /** Observations (kept rows). */
  readonly n: number;
  /** Pooled draws. */
  readonly draws: number;
  readonly y: Float64Array;
  private readonly trials?: Float64Array;

  constructor(
    private readonly model: BrmsModel,
    private readonly fit: PooledDraws,
  ) {
    this.response = model.responses[0];
    this.kernel = KERNELS[this.response.family.spec.name];
    this.n = model.rows.length;
    this.draws = fit.draws(fit.variables[0]).length;
    this.y = this.column(this.response.variable);
    if (this.response.trials !== undefined) this.trials = this.column(this.response.trials);
  }

  private column(name: string): Float64Array {
    const column = this.model.frame.columns.get(name);
    if (!column || column.kind !== "numeric") throw new Error(`internal error: response column '${name}' is not numeric`);
    return Float64Array.from(this.model.rows, (r) => column.values[r]);
  }

  /** Linear predictor of observation i per draw, on the link scale. */
  private linearPredictor(p: Predictor, i: number): Float64Array {
    const names = predictorNames(p);
    const eta = new Float64Array(this.draws);
    if (p.intercept) eta.set(this.fit.draws(names.bIntercept));
    p.columns.forEach((column, j) => {
      const x = column.values[i];
      if (x === 0) return;
      const b = this.fit.draws(`${names.b}_${p.coefs[j]}`);
      for (let s = 0; s < eta.length; s++) eta[s] += b[s] * x;
    });
    if (p.offset) for (let s = 0; s < eta.length; s++) eta[s] += p.offset[i];
    for (const c of p.groupCoefs) {
      const id = this.model.ids.find((g) => g.id === c.id)!;
      const z = c.values ? c.values[i] : 1;
      if (z === 0) continue;
      const level = id.levels[id.levelIndex[i] - 1].replace(/\s/g, ".");
      const prefix = p.prefix === "" ? "" : `__${p.prefix}`;
      const r = this.fit.draws(`r_${id.group}${prefix}[${level},${c.coef}]`);
      for (let s = 0; s < eta.length; s++) eta[s] += r[s] * z;
    }
    return eta;
  }

  /** The parameters of observation i per draw, each on its natural scale. */
  observation(i: number): ObservationDraws {
    const params = new Map<string, Float64Array>();
    for (const p of [this.response.mu, ...this.response.dpars]) {
      params.set(p.dpar, this.linearPredictor(p, i).map((eta) => inverseLink(p.link, eta)));
    }
    for (const d of this.response.scalarDpars) params.set(d.name, this.fit.draws(scalarDparName(d, this.response)));
    return { y: this.y[i], trials: this.trials ? this.trials[i] : 0, params };
  }

  /** log p(y_i | θ_s) for every draw s. */
  logLik(i: number): Float64Array {
    const obs = this.observation(i);
    const out = new Float64Array(this.draws);
    const names = [...obs.params.keys()];
    const values = names.map((n) => obs.params.get(n)!);
    const at: Record<string, number> = {};
    for (let s = 0; s < this.draws; s++) {
      names.forEach((n, k) => (at[n] = values[k][s]));
      out[s] = this.kernel.logLik(obs.y, at, obs.trials);
    }
    return out;
  }

  /** A posterior predictive draw of every observation for each of the given draws: [draw][observation]. */
  predict(drawIndices: readonly number[], rng: Rng): Float64Array[] {
    const out = drawIndices.map(() => new Float64Array(this.n));
    const at: Record<string, number> = {};
    for (let i = 0; i < this.n; i++) {
      const obs = this.observation(i);
      drawIndices.forEach((s, k) => {
        for (const [name, values] of obs.params) at[name] = values[s];
        out[k][i] = this.kernel.draw(rng, at, obs.trials);
      });
    }
    return out;
  }
}

/** log p(y | params) of one observation under a supported family (brms's log_lik_<family>). */
export function familyLogLik(family: string, y: number, params: Readonly<Record<string, number>>, trials = 0): number {
  return KERNELS[family].logLik(y, params, trials);
}

/** One posterior predictive draw of an observation under a supported family (brms's posterior_predict_<family>). */
export function familyDraw(family: string, rng: Rng, params: Readonly<Record<string, number>>, trials = 0): number {
  return KERNELS[family].draw(rng, params, trials);
}
