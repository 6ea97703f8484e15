/**
 * Monte Carlo error estimates for known-answer tests. ESS follows Geyer's initial positive
 * sequence over chains (the classic, non-rank-normalised estimator); MCSE = sd / sqrt(ESS).
 */
export function effectiveSampleSize(chains: readonly Float64Array[]): number {
  const m = chains.length;
  const n = Math.min(...chains.map((c) => c.length));
  const acov: Float64Array[] = chains.map((c) => autocovariance(c.subarray(0, n)));
  const chainMeans = chains.map((c) => mean(c.subarray(0, n)));
  const meanAcov = (k: number): number => acov.reduce((s, a) => s + a[k], 0) / m;
  const within = (meanAcov(0) * n) / (n - 1);
  let varPlus = (within * (n - 1)) / n;
  if (m > 1) varPlus += variance(Float64Array.from(chainMeans));
  const rho = (k: number): number => 1 - (within - meanAcov(k)) / varPlus;
  let tau = -1;
  let previousPair = Infinity;
  for (let t = 0; t + 1 < n; t += 2) {
    let pair = rho(t) + rho(t + 1);
    if (!(pair > 0)) break;
    pair = Math.min(pair, previousPair); // initial monotone sequence
    previousPair = pair;
    tau += 2 * pair;
  }
  return (m * n) / Math.max(tau, 1 / Math.log10(m * n));
}

function autocovariance(x: Float64Array): Float64Array {
  const n = x.length;
  const mu = mean(x);
  const out = new Float64Array(n);
  // Only the lags the initial sequence can reach before it turns negative matter; cap for speed.
  const maxLag = Math.min(n, 200);
  for (let k = 0; k < maxLag; k++) {
    let s = 0;
    for (let i = 0; i + k < n; i++) s += (x[i] - mu) * (x[i + k] - mu);
    out[k] = s / n;
  }
  return out;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

export function variance(x: ArrayLike<number>): number {
  const mu = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mu) ** 2;
  return s / (x.length - 1);
}

export interface MomentCheck {
  mean: number;
  meanMcse: number;
  variance: number;
  varianceMcse: number;
  essPerDraw: number;
}

/** Estimates of mean and variance with their MCSEs from per-chain draws. */
export function moments(chains: readonly Float64Array[]): MomentCheck {
  const pooled = Float64Array.from(chains.flatMap((c) => Array.from(c)));
  const mu = mean(pooled);
  const v = variance(pooled);
  const ess = effectiveSampleSize(chains);
  const squares = chains.map((c) => Float64Array.from(c, (x) => (x - mu) ** 2));
  const essSquares = effectiveSampleSize(squares);
  return {
    mean: mu,
    meanMcse: Math.sqrt(v / ess),
    variance: v,
    varianceMcse: Math.sqrt(variance(Float64Array.from(squares.flatMap((c) => Array.from(c)))) / essSquares),
    essPerDraw: ess / pooled.length,
  };
}
