/**
 * PSIS-LOO as the loo package (2.5) computes it for brms's `loo(fit)`: relative efficiencies of
 * exp(log_lik) from the chains, Pareto-smoothed importance weights per observation (generalised
 * Pareto fit to the largest ratios by Zhang & Stephens' method with the weakly informative
 * adjustment of k), then elpd_loo, p_loo, looic with their standard errors, the Monte Carlo SE
 * of elpd_loo and the Pareto k diagnostic table, printed as `print(loo(fit))` prints them.
 */
import { exp, expm1, log, log10, log1p } from "../../runtime/math/elementary";
import { normalQuantile } from "../../runtime/diagnostics/normalQuantile";
import { rRound } from "../rArithmetic";
import { variance } from "./summaries";

export interface PsisResult {
  /** Log weights, normalised to sum to one. */
  readonly logWeights: Float64Array;
  readonly paretoK: number;
}

function logSumExp(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += exp(x[i] - max);
  return max + log(sum);
}

/** Generalised Pareto fit to exceedances x (sorted ascending): shape k and scale sigma. */
export function gpdFit(x: Float64Array): { k: number; sigma: number } {
  const n = x.length;
  const prior = 3;
  const gridPoints = 30 + Math.floor(Math.sqrt(n));
  const xStar = x[Math.floor(n / 4 + 0.5) - 1];
  const theta = new Float64Array(gridPoints);
  const logLik = new Float64Array(gridPoints);
  for (let j = 0; j < gridPoints; j++) {
    theta[j] = 1 / x[n - 1] + (1 - Math.sqrt(gridPoints / (j + 1 - 0.5))) / prior / xStar;
    // profile log-likelihood of theta
    const a = -theta[j];
    let k = 0;
    for (let i = 0; i < n; i++) k += log1p(a * x[i]);
    k /= n;
    logLik[j] = n * (log(a / k) - k - 1);
  }
  const norm = logSumExp(logLik);
  let thetaHat = 0;
  for (let j = 0; j < gridPoints; j++) thetaHat += theta[j] * exp(logLik[j] - norm);
  let k = 0;
  for (let i = 0; i < n; i++) k += log1p(-thetaHat * x[i]);
  k /= n;
  const sigma = -k / thetaHat;
  // weakly informative prior pulling k towards 0.5 (10 pseudo-observations)
  const adjusted = (k * n) / (n + 10) + (10 * 0.5) / (n + 10);
  return { k: Number.isNaN(adjusted) ? Infinity : adjusted, sigma };
}

/** Pareto-smoothed importance sampling of one observation's log ratios (−log_lik). */
export function psis(logRatios: Float64Array, rEff: number): PsisResult {
  const S = logRatios.length;
  const tailLength = Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / rEff)));
  let max = -Infinity;
  for (const v of logRatios) if (v > max) max = v;
  const lw = logRatios.map((v) => v - max);
  let k = Infinity;
  if (tailLength >= 5) {
    // Only the tail and the value below it are needed in order: find the (tailLength+1)-th largest
    // value by a numeric sort, then order the draws at or above it by value, ties by index (R's
    // stable sort.int order).
    const cutoff = Float64Array.from(lw).sort()[S - tailLength - 1];
    const candidates: number[] = [];
    for (let s = 0; s < S; s++) if (lw[s] >= cutoff) candidates.push(s);
    candidates.sort((a, b) => lw[a] - lw[b] || a - b);
    const tail = candidates.slice(candidates.length - tailLength);
    const tailValues = Float64Array.from(tail, (i) => lw[i]);
    if (Math.abs(tailValues[tailLength - 1] - tailValues[0]) >= Number.EPSILON / 100) {
      const expCutoff = exp(cutoff);
      const fit = gpdFit(tailValues.map((v) => exp(v) - expCutoff));
      k = fit.k;
      if (Number.isFinite(k) && fit.sigma > 0) {
        tail.forEach((index, j) => {
          const p = (j + 1 - 0.5) / tailLength;
          lw[index] = log((fit.sigma * expm1(-k * log1p(-p))) / k + expCutoff);
        });
      }
    }
  }
  for (let s = 0; s < S; s++) if (lw[s] > 0) lw[s] = 0;
  const norm = logSumExp(lw);
  for (let s = 0; s < S; s++) lw[s] -= norm;
  return { logWeights: lw, paretoK: k };
}

/** loo's relative efficiency of one observation's exp(log_lik): its ESS (Geyer, per-chain autocovariances) / draws. */
export function relativeEfficiency(chains: readonly Float64Array[]): number {
  const m = chains.length;
  const n = chains[0].length;
  // loo pads the FFT to a 2·3·5-smooth length M and scales by M/n², not 1/n; kept for equal numbers
  const fftLength = nextGoodFftSize(n);
  const centred = chains.map((c) => {
    let mean = 0;
    for (const v of c) mean += v;
    mean /= n;
    return c.map((v) => v - mean);
  });
  const chainMeans = chains.map((c) => c.reduce((a, v) => a + v, 0) / n);
  const meanAutocovariance = (lag: number): number => {
    let total = 0;
    for (const c of centred) {
      let sum = 0;
      for (let i = 0; i + lag < n; i++) sum += c[i] * c[i + lag];
      total += (sum * fftLength) / (n * n);
    }
    return total / m;
  };
  const meanVar = (meanAutocovariance(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    const grand = chainMeans.reduce((a, v) => a + v, 0) / m;
    varPlus += chainMeans.reduce((a, v) => a + (v - grand) ** 2, 0) / (m - 1);
  }
  const rho = new Float64Array(n);
  const rhoAt = (lag: number) => 1 - (meanVar - meanAutocovariance(lag)) / varPlus;
  let t = 0;
  let even = 1;
  rho[0] = even;
  let odd = rhoAt(1);
  rho[1] = odd;
  while (t < n - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = rhoAt(t);
    odd = rhoAt(t + 1);
    if (even + odd >= 0) {
      rho[t] = even;
      rho[t + 1] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT] = even;
  // Geyer's initial monotone sequence
  for (t = 0; t <= maxT - 4; ) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  let total = 0;
  for (let j = 0; j < maxT; j++) total += rho[j];
  const ess = m * n;
  const tau = Math.max(-1 + 2 * total + rho[maxT], 1 / log10(ess));
  return ess / tau / ess;
}

function nextGoodFftSize(n: number): number {
  if (n <= 2) return 2;
  for (;;) {
    let m = n;
    while (m % 2 === 0) m /= 2;
    while (m % 3 === 0) m /= 3;
    while (m % 5 === 0) m /= 5;
    if (m <= 1) return n;
    n++;
  }
}

let scores: Float64Array | undefined;

/** Blom's normal scores qnorm((r − 3/8) / (n + 1/4)), r = 1…1000, which loo's MCSE uses. */
function normalScores(): Float64Array {
  const points = 1000;
  const c = 3 / 8;
  scores ??= Float64Array.from({ length: points }, (_, k) => normalQuantile((k + 1 - c) / (points - 2 * c + 1)));
  return scores;
}

/** Monte Carlo SE of one observation's elpd_loo (loo's normal-quantile approximation, 1000 points). */
function mcseElpd(logLik: Float64Array, logWeights: Float64Array, elpd: number, rEff: number): number {
  const expectation = exp(elpd);
  let variance = 0;
  for (let s = 0; s < logLik.length; s++) variance += exp(2 * logWeights[s]) * (exp(logLik[s]) - expectation) ** 2;
  const sd = Math.sqrt(variance);
  const logs: number[] = [];
  for (const q of normalScores()) {
    const z = expectation + sd * q;
    if (z > 0) logs.push(log(z));
  }
  const m = logs.reduce((a, v) => a + v, 0) / logs.length;
  const varLog = logs.reduce((a, v) => a + (v - m) ** 2, 0) / (logs.length - 1);
  return Math.sqrt(varLog / rEff);
}

export interface LooPointwise {
  readonly elpdLoo: number;
  readonly mcseElpdLoo: number;
  readonly pLoo: number;
  readonly looic: number;
  readonly paretoK: number;
  readonly nEff: number;
}

/** One observation's pointwise LOO values from its log-likelihood per chain. */
export function looPointwise(logLikByChain: readonly Float64Array[]): LooPointwise {
  const S = logLikByChain.reduce((a, c) => a + c.length, 0);
  const logLik = new Float64Array(S);
  let offset = 0;
  for (const c of logLikByChain) {
    logLik.set(c, offset);
    offset += c.length;
  }
  const rEff = relativeEfficiency(logLikByChain.map((c) => c.map(exp)));
  const { logWeights, paretoK } = psis(logLik.map((v) => -v), rEff);
  const elpdLoo = logSumExp(logLik.map((v, s) => v + logWeights[s]));
  const lpd = logSumExp(logLik) - log(S);
  let sumSquares = 0;
  for (const w of logWeights) sumSquares += exp(2 * w);
  return {
    elpdLoo,
    mcseElpdLoo: mcseElpd(logLik, logWeights, elpdLoo, rEff),
    pLoo: lpd - elpdLoo,
    looic: -2 * elpdLoo,
    paretoK,
    nEff: rEff / sumSquares,
  };
}

export interface LooSummary {
  readonly draws: number;
  readonly pointwise: readonly LooPointwise[];
}

/**
 * loo's print_dims and its table of estimates (sums over observations, SE = sqrt(n · var)), each
 * column formatted as `.fr(x, 1)`.
 */
function printEstimates(draws: number, rows: readonly (readonly [string, readonly number[]])[]): string {
  const n = rows[0][1].length;
  const total = (values: readonly number[]) => values.reduce((a, v) => a + v, 0);
  const se = (values: readonly number[]) => {
    const m = total(values) / n;
    return Math.sqrt(n * (values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1)));
  };
  const estimates = rows.map(([, values]) => fixed1(total(values)));
  const ses = rows.map(([, values]) => fixed1(se(values)));
  const estimateWidth = Math.max("Estimate".length, ...estimates.map((s) => s.length));
  const seWidth = Math.max(2, ...ses.map((s) => s.length));
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  let out = `\nComputed from ${draws} by ${n} log-likelihood matrix\n\n`;
  out += `${" ".repeat(nameWidth)} ${"Estimate".padStart(estimateWidth)} ${"SE".padStart(seWidth)}\n`;
  rows.forEach(([name], j) => (out += `${name.padEnd(nameWidth)} ${estimates[j].padStart(estimateWidth)} ${ses[j].padStart(seWidth)}\n`));
  return out;
}

/** `print(loo(fit))` as loo 2.5 prints it (brms adds nothing when all k are fine). */
export function printLoo(loo: LooSummary): string {
  const n = loo.pointwise.length;
  const total = (f: (p: LooPointwise) => number) => loo.pointwise.reduce((a, p) => a + f(p), 0);
  let out = printEstimates(loo.draws, [
    ["elpd_loo", loo.pointwise.map((p) => p.elpdLoo)],
    ["p_loo", loo.pointwise.map((p) => p.pLoo)],
    ["looic", loo.pointwise.map((p) => p.looic)],
  ]);
  out += "------\n";
  const ks = loo.pointwise.map((p) => p.paretoK);
  const mcse = ks.some((k) => k > 0.7) ? "NA" : fixed1(Math.sqrt(total((p) => p.mcseElpdLoo ** 2)));
  out += `Monte Carlo SE of elpd_loo is ${mcse}.\n`;
  const bins = [
    { label: "(-Inf, 0.5]", name: "(good)", test: (k: number) => k <= 0.5 },
    { label: "(0.5, 0.7]", name: "(ok)", test: (k: number) => k > 0.5 && k <= 0.7 },
    { label: "(0.7, 1]", name: "(bad)", test: (k: number) => k > 0.7 && k <= 1 },
    { label: "(1, Inf)", name: "(very bad)", test: (k: number) => k > 1 },
  ];
  const members = bins.map((b) => loo.pointwise.filter((p) => b.test(p.paretoK)));
  if (members.slice(1).every((m) => m.length === 0)) {
    out += "\nAll Pareto k estimates are good (k < 0.5).\n";
  } else {
    out += "\nPareto k diagnostic values:\n";
    // format() pads each numeric column to a common width before the matrix is printed left-justified
    const counts = justifyRight(members.map((m) => String(m.length)));
    const percents = justifyRight(members.map((m) => fixed1((100 * m.length) / n)));
    const cells = bins.map((b, j) => [
      b.label,
      "",
      b.name,
      counts[j],
      `${percents[j]}%`,
      members[j].length === 0 ? "<NA>" : String(Math.round(Math.min(...members[j].map((p) => p.nEff)))),
    ]);
    out += printCharacterMatrix([" ", " ", "Count", "Pct.   ", "Min. n_eff"], cells);
    if (members[2].length + members[3].length === 0) out += "\nAll Pareto k estimates are ok (k < 0.7).\n";
  }
  out += "See help('pareto-k-diagnostic') for details.\n";
  return out;
}

export interface WaicPointwise {
  readonly elpdWaic: number;
  readonly pWaic: number;
  readonly waic: number;
}

/** One observation's WAIC terms (loo's waic.matrix): lpd = log mean exp(log_lik), p_waic = var(log_lik). */
export function waicPointwise(logLik: Float64Array): WaicPointwise {
  const S = logLik.length;
  const lpd = logSumExp(logLik) - log(S);
  const pWaic = variance(logLik);
  const elpdWaic = lpd - pWaic;
  return { elpdWaic, pWaic, waic: -2 * elpdWaic };
}

/**
 * `print(waic(fit))` as loo 2.5 prints it; with p_waic > 0.4 somewhere, loo's line after the table,
 * and the same text as the warning waic() gives (returned for the caller to place after the output).
 */
export function printWaic(result: { readonly draws: number; readonly pointwise: readonly WaicPointwise[] }): { text: string; warning?: string } {
  const text = printEstimates(result.draws, [
    ["elpd_waic", result.pointwise.map((p) => p.elpdWaic)],
    ["p_waic", result.pointwise.map((p) => p.pWaic)],
    ["waic", result.pointwise.map((p) => p.waic)],
  ]);
  const high = result.pointwise.filter((p) => p.pWaic > 0.4).length;
  if (high === 0) return { text };
  const message = `\n${high} (${fixed1((100 * high) / result.pointwise.length)}%) p_waic estimates greater than 0.4. We recommend trying loo instead.`;
  return { text: `${text}${message} \n`, warning: message };
}

/** R's print of a character matrix with quote = FALSE: row names right-justified, columns left-justified. */
function printCharacterMatrix(header: readonly string[], rows: readonly string[][]): string {
  const rowNameWidth = Math.max(...rows.map((r) => r[0].length));
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j + 1].length)));
  let out = `${" ".repeat(rowNameWidth)} ${header.map((h, j) => h.padEnd(widths[j])).join(" ")}\n`;
  for (const r of rows) out += `${r[0].padStart(rowNameWidth)} ${r.slice(1).map((c, j) => c.padEnd(widths[j])).join(" ")}\n`;
  return out;
}

/** format(round(x, 1), nsmall = 1) of one number (R's round: 0.15 is 0.1). */
function fixed1(x: number): string {
  return Number.isFinite(x) ? rRound(x, 1).toFixed(1) : "NA";
}

function justifyRight(cells: readonly string[]): string[] {
  const width = Math.max(...cells.map((c) => c.length));
  return cells.map((c) => c.padStart(width));
}
