/**
 * What stan2ts knows about one brms response distribution (a "family"): its links, its
 * distributional parameters (dpars) with their bounds and brms 2.18's default priors, the
 * response it accepts, the addition terms it needs, and how its likelihood statement reads in
 * brms's Stan code. The model builder and the Stan emitter read families only through this
 * interface, so formula terms stay independent of the family.
 */
import type { Expr, FunctionDef, Stmt } from "../../ast/ast";

/** A distributional parameter other than mu. */
export interface DparSpec {
  readonly name: string;
  /** Links brms allows for this parameter when it has its own formula; the first is the default. */
  readonly links: readonly string[];
  /** Bounds of the scalar parameter (brms's `dpar_bounds`); `min_Y` names transformed data. */
  readonly lb?: string;
  readonly ub?: string;
  /** brms 2.18's default prior of the scalar parameter (identity scale). Absent: derived from the response (sigma). */
  readonly scalarPrior?: string;
  /** Default prior of the intercept of a predicted parameter with a non-identity link. Absent: derived from the response. */
  readonly interceptPrior?: string;
  /** A constant, not a parameter, when the dpar has no formula (ordinal `disc`: `real disc = 1;` in transformed parameters). */
  readonly fixedValue?: string;
  /**
   * The Stan parameter of the scalar, when it is not the dpar itself: gen_extreme_value samples
   * `tmp_xi` and computes `xi` from it in the model block (brms's `tmp_dpars`).
   */
  readonly stanParameter?: string;
  /** A mixture component's mu (`mu1`, `mu2`): its default intercept prior is mu's, from the response. */
  readonly componentMu?: boolean;
  /** Without a formula it is no parameter of its own: a mixture's `theta<k>` comes from the simplex `theta` (mixture.ts). */
  readonly notScalar?: boolean;
}

/** How a likelihood statement reads a distributional parameter or the response. */
export interface LikelihoodContext {
  /** `mu`, `shape`, … as a vector, or `mu[n]` when the statement runs row by row. */
  dpar(name: string): Expr;
  /** True when the parameter has its own formula (a vector in the model block). */
  isPredicted(name: string): boolean;
  /** The link of a predicted parameter. */
  dparLink(name: string): string;
  /** `trials` (or `trials[n]`). */
  trials(): Expr;
  /** True when the statement runs in a loop over rows (`x[n]`), as weights, cens() and trunc() need (brms's `reqn`). */
  readonly rowwise: boolean;
  /** The response's Stan name of a data variable or model-block vector: `ncat`, or `ncat_y1` in a multivariate model. */
  dataName(name: string): string;
  /**
   * Ordinal families: the thresholds one row's density reads (`Intercept`, `Intercept - transpose(mucs[n])`
   * with cs(), `merged_Intercept` with thres(gr = )) and, for grouped thresholds, the row's slice `Jthres[n]`;
   * `categorySpecific` when cs() shifts them row by row.
   */
  thresholds?(): { readonly vector: Expr; readonly groupIndex?: Expr; readonly categorySpecific: boolean };
}

/** Model-block code a family adds between the link transforms and the likelihood (brms's dpar transforms). */
export interface DparTransform {
  /** Declarations after the linear predictors'. */
  readonly decls: readonly Stmt[];
  /** Statements after the inverse links are applied. */
  readonly statements: readonly Stmt[];
}

export interface Likelihood {
  /** Distribution name without `_lpdf`/`_lpmf`: `poisson_log`, `gamma`. */
  readonly dist: string;
  readonly args: readonly Expr[];
  /** An expression subtracted from Y before the density (`Y - ndt`). */
  readonly shift?: Expr;
  /** The statement runs in a loop over rows (brms's `reqn`). */
  readonly perRow: boolean;
}

/** A GLM density that takes X, alpha and beta itself (brms's `use_glm_primitive`). */
export interface GlmSpec {
  /** The mu link the GLM density assumes. */
  readonly link: string;
  readonly dist: string;
  /** Arguments after X, alpha, beta: `sigma`, `shape`, `1`. */
  extraArgs(ctx: LikelihoodContext): Expr[];
}

/** Addition terms a family requires: trials() (binomial-type counts), dec() (wiener decisions). */
export type AdditionTerm = "trials" | "dec";

export interface FamilySpec {
  /** brms's family name, as `print(fit)` shows it: `gaussian`, `gamma`, `beta`. */
  readonly name: string;
  /** Names a script may use: the R function (`Gamma`, `Beta`) and the string forms. */
  readonly aliases: readonly string[];
  /** mu links; the first is brms's default. */
  readonly links: readonly string[];
  /** The default link when the R function is called (`Gamma()` is stats::Gamma, link inverse). */
  readonly calledDefaultLink?: string;
  readonly dpars: readonly DparSpec[];
  readonly response: "real" | "int";
  /** A sentence saying why a response value is out of range, or undefined when it is fine. */
  checkResponse(y: number, trials?: number): string | undefined;
  readonly responseRequirement: string;
  readonly additions: readonly AdditionTerm[];
  /** Stan has `_lcdf`/`_lccdf` of the response-scale density, so cens() and trunc() work (see additions.ts). */
  readonly cdfs?: boolean;
  /** rate() is allowed: mu is scaled by the denominator, and so are these dpars (negbinomial's shape). */
  readonly rateScaled?: readonly string[];
  /** brms's "logscale" special: default priors are computed on log(y). */
  readonly logScale?: boolean;
  /** The mu link whose inverse the density applies itself (`poisson_log`), with that density's name. */
  readonly builtInLink?: { readonly link: string; readonly dist: string };
  /** Predicted dpars whose link the density applies itself (`zi` on the logit scale): no inverse link is emitted. */
  readonly builtInDparLinks?: Readonly<Record<string, string>>;
  readonly glm?: GlmSpec;
  /** Helper functions brms adds to the functions block for this family, given mu's link. */
  functions?(link: string): FunctionDef[];
  /**
   * Ordinal families: mu has no intercept but nthres thresholds (`Intercept`, a vector; `ordered`
   * when `ordered`), the response is a category 1..nthres + 1, and mu stays on the link scale.
   */
  readonly thresholds?: { readonly ordered: boolean };
  /**
   * Categorical families: the response is a category (text or numbers), mu is the vector of one
   * linear predictor per non-reference category, whose dpars the model builder derives from the data.
   */
  readonly categories?: boolean;
  /**
   * The response is `cbind(a, b, …)`, one column per category (multinomial counts, dirichlet
   * proportions); `checkRow` says why one row's values are out of range, or gives undefined.
   */
  readonly matrixResponse?: { checkRow(values: readonly number[], trials?: number): string | undefined };
  /** mu links brms lists but whose Stan code cannot run, with the reason. */
  readonly unusableLinks?: Readonly<Record<string, string>>;
  /** Transformed-data declarations the family needs before brms's own (`real min_Y = min(Y);`). */
  readonly needsMinY?: boolean;
  /** Extra model-block code (skew_normal's mean correction). `N` is the number of rows. */
  dparTransform?(ctx: LikelihoodContext, N: Expr): DparTransform;
  /**
   * brms's mixture(): the number of components and whether their intercepts are ordered (`order = "mu"`);
   * the emitter then declares the simplex `theta`, `ordered_Intercept` and `con_theta` (mixture.ts).
   */
  readonly mixture?: {
    readonly size: number;
    readonly ordered: boolean;
    /** Each component's family name, mu link and dpars (without the suffix k), for the post-fit kernels. */
    readonly components: readonly { readonly family: string; readonly link: string; readonly dpars: readonly string[] }[];
  };
  /** A likelihood that is not one density call: the statement for rows 1..N, read row by row (a mixture's log_sum_exp loop). */
  rowLikelihood?(ctx: LikelihoodContext, y: Expr, N: Expr): Stmt;
  /** The likelihood; `dist` is the name for mu on the response scale unless builtIn is true. */
  likelihood(ctx: LikelihoodContext, builtIn: boolean): Likelihood;
}

/** Stan function applying the inverse of a link (brms's `stan_inv_link`), limited to links stan2ts emits. */
export const INVERSE_LINK: Readonly<Record<string, string>> = {
  identity: "",
  log: "exp",
  logm1: "expp1",
  inverse: "inv",
  sqrt: "square",
  "1/mu^2": "inv_sqrt",
  logit: "inv_logit",
  probit: "Phi",
  probit_approx: "Phi_approx",
  cloglog: "inv_cloglog",
  cauchit: "inv_cauchit",
  log1p: "expm1",
  softplus: "log1p_exp",
  tan_half: "inv_tan_half",
};

/** Applies R's `link(y)` for brms's default-prior computation; undefined for links it skips. */
export function linkForPriors(link: string): ((y: number) => number) | undefined {
  switch (link) {
    case "identity":
      return (y) => y;
    case "log":
      return (y) => Math.log(y);
    case "inverse":
      return (y) => 1 / y;
    case "sqrt":
      return (y) => Math.sqrt(y);
    case "1/mu^2":
      return (y) => 1 / (y * y);
  }
  return undefined;
}
