/**
 * The summaries brms computes after a fit — fixef, ranef, coef, VarCorr, posterior_summary,
 * hypothesis — from the post-warmup draws under their brms names. Each follows brms 2.18's
 * definitions: mean, sd (n − 1) and R's type-7 quantiles of the pooled draws of all chains.
 */

import type { ThresholdCombination } from "../families/ordinal";
import { rAsCharacter } from "../rArithmetic";

/** Post-warmup draws by brms name (`b_day01`, `r_record_id[3,Intercept]`, `lp__`), chains pooled. */
export interface PooledDraws {
  /** Every variable in brms's `variables(fit)` order. */
  readonly variables: readonly string[];
  draws(name: string): Float64Array;
}

/**
 * The statistics of a summary row, as brms's `robust` and `probs` arguments choose them: mean and sd,
 * or (robust) median and MAD, then one quantile per probability.
 */
export interface SummaryOptions {
  readonly probs: readonly number[];
  readonly robust: boolean;
}

/** brms's defaults: `probs = c(0.025, 0.975)`, `robust = FALSE`. */
export const DEFAULT_SUMMARY: SummaryOptions = { probs: [0.025, 0.975], robust: false };

/** One row of a posterior summary: Estimate, Est.Error and one value per requested quantile. */
export type SummaryRow = readonly number[];

/** brms's column names: `Estimate`, `Est.Error`, then `paste0("Q", probs * 100)` (`Q2.5`, `Q97.5`, `Q50`). */
export function summaryColumns(options: SummaryOptions): string[] {
  // R's as.character() of a double keeps 15 significant digits, so 0.07 * 100 names Q7, not Q7.000000000000001
  return ["Estimate", "Est.Error", ...options.probs.map((p) => `Q${rAsCharacter(p * 100)}`)];
}

export interface SummaryMatrix {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly values: readonly SummaryRow[];
}

/** A posterior summary per third-dimension name (ranef/coef: levels × stats × terms). */
export interface SummaryArray {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly slices: readonly { readonly name: string; readonly values: readonly SummaryRow[] }[];
}

export function mean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** R's var(x): squared deviations from the mean over n − 1. */
export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] - m) ** 2;
  return sum / (x.length - 1);
}

export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** R's `quantile(x, p)` with its default type 7 (linear interpolation between order statistics). */
export function quantile7(x: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(x).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** R's `median(x)`: the middle order statistic, or the mean of the two middle ones. */
export function median(x: ArrayLike<number>): number {
  const sorted = Float64Array.from(x).sort();
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** R's `mad(x)`: the median absolute deviation from the median, scaled by 1.4826 (consistent for the normal sd). */
export function mad(x: ArrayLike<number>): number {
  const center = median(x);
  return 1.4826 * median(Float64Array.from(x, (v) => Math.abs(v - center)));
}

export function summaryRow(x: ArrayLike<number>, options: SummaryOptions = DEFAULT_SUMMARY): SummaryRow {
  const center = options.robust ? [median(x), mad(x)] : [mean(x), sd(x)];
  return [...center, ...options.probs.map((p) => quantile7(x, p))];
}

/** `posterior_summary(fit)`: every variable, lprior and lp__ included. */
export function posteriorSummary(fit: PooledDraws, options: SummaryOptions = DEFAULT_SUMMARY): SummaryMatrix {
  return { rows: fit.variables, columns: summaryColumns(options), values: fit.variables.map((v) => summaryRow(fit.draws(v), options)) };
}

/**
 * Population-level coefficients by the name fixef() gives them: brms's fixef_pars() takes `b_` and the
 * special terms' `bs_`, `bcs_`, `bsp_`, `bmo_`, `bme_`, `bmi_`, `bm_` and drops that prefix.
 */
const FIXEF_PREFIX = /^b(s|cs|sp|mo|me|mi|m)?_/;

function fixedDraws(fit: PooledDraws): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const v of fit.variables) {
    const prefix = FIXEF_PREFIX.exec(v);
    if (prefix) out.set(v.slice(prefix[0].length), fit.draws(v));
  }
  return out;
}

/** `fixef(fit)`. */
export function fixef(fit: PooledDraws, options: SummaryOptions = DEFAULT_SUMMARY): SummaryMatrix {
  const fixed = fixedDraws(fit);
  return { rows: [...fixed.keys()], columns: summaryColumns(options), values: [...fixed.values()].map((x) => summaryRow(x, options)) };
}

export interface GroupDraws {
  readonly levels: string[];
  /** Term (`Intercept`, `day01`, `NAstd_day01`, `sigma_Intercept`) → one draw array per level. */
  readonly terms: Map<string, Float64Array[]>;
}

/** `r_<group>[<level>,<term>]` and `r_<group>__<resp or dpar>[<level>,<term>]` (a cs() term indexed: `Intercept[1]`), in variables order. */
const RANEF_NAME = /^r_(.+?)(?:__([^[]+))?\[(.+),([^,]+)\]$/;

/** ranef(fit, summary = FALSE): per grouping factor, its levels and each term's draws per level. */
export function groupDraws(fit: PooledDraws): Map<string, GroupDraws> {
  const groups = new Map<string, GroupDraws>();
  for (const v of fit.variables) {
    const m = RANEF_NAME.exec(v);
    if (!m) continue;
    const [, group, prefix, level, coef] = m;
    const term = prefix === undefined ? coef : `${prefix}_${coef}`;
    let g = groups.get(group);
    if (!g) {
      g = { levels: [], terms: new Map() };
      groups.set(group, g);
    }
    if (!g.levels.includes(level)) g.levels.push(level);
    const perLevel = g.terms.get(term) ?? [];
    perLevel.push(fit.draws(v));
    g.terms.set(term, perLevel);
  }
  return groups;
}

function summariseGroup(levels: readonly string[], terms: ReadonlyMap<string, readonly Float64Array[]>, options: SummaryOptions): SummaryArray {
  return { rows: levels, columns: summaryColumns(options), slices: [...terms].map(([name, perLevel]) => ({ name, values: perLevel.map((x) => summaryRow(x, options)) })) };
}

/** `ranef(fit)`: per grouping factor, levels × stats × terms. */
export function ranef(fit: PooledDraws, options: SummaryOptions = DEFAULT_SUMMARY): Map<string, SummaryArray> {
  const out = new Map<string, SummaryArray>();
  for (const [group, g] of groupDraws(fit)) out.set(group, summariseGroup(g.levels, g.terms, options));
  return out;
}


/** The name without an index suffix: `Intercept[2]` → `Intercept` (brms's "^[^\\[]+"). */
const withoutIndex = (name: string) => name.replace(/\[.*$/, "");

const ORDINAL_INTERCEPT = /(^|_)Intercept\[\d+\]$/;

/**
 * One side of brms's coef() pairing (the population terms, or a group's) completed with the other
 * side's names: a name it lacks joins as its unindexed term (`Intercept[2]` takes `Intercept`) or,
 * when it has no such term, as `zero()`; its unindexed terms that stand in that way leave.
 */
function completeTerms<T>(own: ReadonlyMap<string, T>, otherNames: readonly string[], zero: () => T): Map<string, T> {
  const ownUnindexed = new Set([...own.keys()].map(withoutIndex));
  const missing = otherNames.filter((n) => !own.has(n));
  const out = new Map([...own].filter(([name]) => !missing.some((m) => withoutIndex(m) === name)));
  for (const name of missing) {
    const unindexed = own.get(withoutIndex(name));
    if (unindexed !== undefined) out.set(name, unindexed);
    else if (!ownUnindexed.has(name)) out.set(name, zero());
  }
  return out;
}

/**
 * `coef(fit)`: per grouping factor, population plus group-level effect for every level, as brms
 * 2.18 pairs them: a group term and a population term meet by name, or an indexed one (`Intercept[2]`,
 * a cs() slope `x[2]`) with the other's unindexed name; a term on one side only counts 0 on the other.
 * Rows: the group's own terms first, then the population terms it does not vary. `thresholdsOf(resp)`
 * says how an ordinal response's thresholds combine (resp: the name's part before its first `_` in a
 * multivariate model, else undefined).
 */
export function coef(
  fit: PooledDraws,
  thresholdsOf: (resp: string | undefined) => ThresholdCombination | undefined = () => undefined,
  multivariate = false,
  options: SummaryOptions = DEFAULT_SUMMARY,
): Map<string, SummaryArray> {
  const out = new Map<string, SummaryArray>();
  for (const [group, g] of coefDraws(fit, thresholdsOf, multivariate)) out.set(group, summariseGroup(g.levels, g.terms, options));
  return out;
}

/** coef(fit, summary = FALSE): per grouping factor, population plus group-level draws per level (see coef). */
export function coefDraws(
  fit: PooledDraws,
  thresholdsOf: (resp: string | undefined) => ThresholdCombination | undefined = () => undefined,
  multivariate = false,
): Map<string, GroupDraws> {
  const fixed = fixedDraws(fit);
  const groups = groupDraws(fit);
  const zeros = () => new Float64Array(fit.draws(fit.variables[0]).length);
  const groupNames = [...new Set([...groups.values()].flatMap((g) => [...g.terms.keys()]))];
  const population = completeTerms(fixed, groupNames, zeros);
  const out = new Map<string, GroupDraws>();
  for (const [group, g] of groups) {
    const terms = completeTerms(g.terms, [...fixed.keys()], () => g.levels.map(zeros));
    const combined = new Map<string, Float64Array[]>();
    for (const [name, perLevel] of terms) {
      const fixedPart = population.get(name);
      if (!fixedPart) throw new Error(`coef(): no population-level draws for '${name}'`);
      const combination = ORDINAL_INTERCEPT.test(name) ? thresholdsOf(multivariate ? name.replace(/_.*$/, "") : undefined) : undefined;
      combined.set(
        name,
        perLevel.map((r) =>
          r.map((x, i) =>
            combination === "thresholds-minus-eta" ? fixedPart[i] - x
            : combination === "eta-minus-thresholds" ? x - fixedPart[i]
            : x + fixedPart[i],
          ),
        ),
      );
    }
    out.set(group, { levels: g.levels, terms: combined });
  }
  return out;
}

export interface VarCorrGroup {
  readonly sd: SummaryMatrix;
  /** Correlations and covariances (terms × stats × terms), when the group's terms are correlated. */
  readonly cor?: SummaryArray;
  readonly cov?: SummaryArray;
}

/**
 * `VarCorr(fit)`: per grouping factor its standard deviations and, for correlated terms, the
 * correlation and covariance matrices (draw by draw: cov = sd_i sd_j cor_ij); then `residual__`
 * with sigma when sigma is a single parameter per response.
 */
export function varCorr(fit: PooledDraws, residualNames: ReadonlyMap<string, string>, options: SummaryOptions = DEFAULT_SUMMARY): Map<string, VarCorrGroup> {
  const out = new Map<string, VarCorrGroup>();
  const names = new Set(fit.variables);
  const groups: string[] = [];
  for (const v of fit.variables) {
    const m = /^sd_(.+?)__(.+)$/.exec(v);
    if (m && !groups.includes(m[1])) groups.push(m[1]);
  }
  for (const group of groups) {
    const prefix = `sd_${group}__`;
    const terms = fit.variables.filter((v) => v.startsWith(prefix)).map((v) => v.slice(prefix.length));
    const sds = terms.map((t) => fit.draws(prefix + t));
    const sdMatrix: SummaryMatrix = { rows: terms, columns: summaryColumns(options), values: sds.map((x) => summaryRow(x, options)) };
    const corName = (a: string, b: string) => `cor_${group}__${a}__${b}`;
    const anyCor = terms.some((a, i) => terms.some((b, j) => i < j && names.has(corName(a, b))));
    if (!anyCor) {
      out.set(group, { sd: sdMatrix });
      continue;
    }
    out.set(group, { sd: sdMatrix, ...correlationSummaries(fit, terms, sds, corName, options) });
  }
  // residual__: sigma (univariate) or sigma_<resp> (multivariate), rows named by the response;
  // with residual correlations (rescor__<a>__<b>) also their cor and cov, as for a group.
  const residual = [...residualNames].filter(([variable]) => names.has(variable));
  if (residual.length > 0) {
    const responses = residual.map(([, response]) => response);
    const sds = residual.map(([variable]) => fit.draws(variable));
    const sd: SummaryMatrix = { rows: responses, columns: summaryColumns(options), values: sds.map((x) => summaryRow(x, options)) };
    const rescorName = (a: string, b: string) => `rescor__${a}__${b}`;
    const anyRescor = responses.some((a, i) => responses.some((b, j) => i < j && names.has(rescorName(a, b))));
    out.set("residual__", anyRescor ? { sd, ...correlationSummaries(fit, responses, sds, rescorName, options) } : { sd });
  }
  return out;
}

/** The correlation and covariance arrays of correlated terms (draw by draw: cov = sd_i sd_j cor_ij). */
function correlationSummaries(fit: PooledDraws, terms: readonly string[], sds: readonly Float64Array[], corName: (a: string, b: string) => string,
  options: SummaryOptions,
): { cor: SummaryArray; cov: SummaryArray } {
  const names = new Set(fit.variables);
  const n = sds[0].length;
  const corDraws = (i: number, j: number): Float64Array => {
    if (i === j) return new Float64Array(n).fill(1);
    const [a, b] = i < j ? [terms[i], terms[j]] : [terms[j], terms[i]];
    // Terms of a group that are not correlated with each other (separate |ID| blocks) count as 0.
    return names.has(corName(a, b)) ? fit.draws(corName(a, b)) : new Float64Array(n);
  };
  const corSlices = terms.map((name, j) => ({ name, values: terms.map((_, i) => summaryRow(corDraws(i, j), options)) }));
  const covSlices = terms.map((name, j) => ({
    name,
    values: terms.map((_, i) => {
      const c = corDraws(i, j);
      return summaryRow(c.map((r, k) => r * sds[i][k] * sds[j][k]), options);
    }),
  }));
  const columns = summaryColumns(options);
  return { cor: { rows: terms, columns, slices: corSlices }, cov: { rows: terms, columns, slices: covSlices } };
}

/**
 * brms's .bayes_R2: for each draw, var(ŷ) / (var(ŷ) + var(y − ŷ)) over the observations, ŷ the
 * draw's expected values (epred[i][s]: observation i, draw s); R's var (n − 1), two passes.
 */
export function bayesR2Draws(y: ArrayLike<number>, epred: readonly Float64Array[]): Float64Array {
  const n = epred.length;
  const draws = n === 0 ? 0 : epred[0].length;
  const out = new Float64Array(draws);
  const fitted = new Float64Array(n);
  const residual = new Float64Array(n);
  for (let s = 0; s < draws; s++) {
    for (let i = 0; i < n; i++) {
      fitted[i] = epred[i][s];
      residual[i] = y[i] - fitted[i];
    }
    const varFitted = variance(fitted);
    out[s] = varFitted / (varFitted + variance(residual));
  }
  return out;
}

export interface HypothesisResult {
  readonly hypothesis: string;
  readonly estimate: number;
  readonly estError: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  /** NaN (R's NA) for a point hypothesis: brms needs prior draws for its density ratio. */
  readonly evidRatio: number;
  readonly postProb: number;
  readonly star: boolean;
}

/** `hypothesis(fit, "…")` for class b, from the draws of `left − right` (robust: median and MAD). */
export function hypothesisSummary(text: string, sign: "<" | ">" | "=", contrast: Float64Array, alpha = 0.05, robust = false): HypothesisResult {
  const probs = sign === "=" ? [alpha / 2, 1 - alpha / 2] : [alpha, 1 - alpha];
  const ciLower = quantile7(contrast, probs[0]);
  const ciUpper = quantile7(contrast, probs[1]);
  let evidRatio = Number.NaN;
  if (sign !== "=") {
    let hits = 0;
    for (const x of contrast) if (sign === ">" ? x > 0 : x < 0) hits++;
    evidRatio = hits / (contrast.length - hits);
  }
  const postProb = evidRatio === Infinity ? 1 : evidRatio / (1 + evidRatio);
  const star = sign === "=" ? !(ciLower <= 0 && 0 <= ciUpper) : postProb > 1 - alpha;
  const [estimate, estError] = robust ? [median(contrast), mad(contrast)] : [mean(contrast), sd(contrast)];
  return { hypothesis: text, estimate, estError, ciLower, ciUpper, evidRatio, postProb, star };
}
