/**
 * Convergence diagnostics exactly as the R package posterior (1.4.0, the version the fixtures
 * were made with) defines them: split chains, rank normalisation, Geyer's initial monotone
 * sequence, the antithetic cap and every NA rule (sampler-spec §5, §8.9). Input is one array of
 * draws per chain, all the same length. NA is returned as NaN.
 *
 * All work happens in module-level buffers that grow to the largest input seen, so summarising
 * thousands of variables allocates almost nothing. Not re-entrant (JS is single threaded; each
 * worker has its own module instance).
 */
import { MeanAutocovariance } from "./autocovariance";
import { betaQuantile } from "./betaQuantile";
import { normalQuantile } from "./normalQuantile";

export type Chains = readonly ArrayLike<number>[];

/** posterior's `is_constant` tolerance: .Machine$double.eps. */
const CONSTANT_TOLERANCE = 2.220446049250313e-16;

// ---------------------------------------------------------------------------------------------
// Workspace

let pooled = new Float64Array(0); // raw draws, chain after chain
let sortedPooled = new Float64Array(0);
let transformed = new Float64Array(0); // fold / indicator / centred powers, pooled layout
let splitMatrix = new Float64Array(0);
let sortedSplit = new Float64Array(0);
let zMatrix = new Float64Array(0);
let centered = new Float64Array(0);
let rhoHat = new Float64Array(0);
const meanAcov = new MeanAutocovariance();

function ensureCapacity(size: number): void {
  if (pooled.length >= size) return;
  const capacity = Math.max(size, 2 * pooled.length);
  pooled = new Float64Array(capacity);
  sortedPooled = new Float64Array(capacity);
  transformed = new Float64Array(capacity);
  splitMatrix = new Float64Array(capacity);
  sortedSplit = new Float64Array(capacity);
  zMatrix = new Float64Array(capacity);
  centered = new Float64Array(capacity);
  rhoHat = new Float64Array(capacity);
}

interface Shape {
  /** Iterations per chain. */
  n: number;
  /** Chains. */
  m: number;
}

/** Copies the chains into `pooled` and returns their shape. */
function loadChains(chains: Chains): Shape {
  const m = chains.length;
  if (m === 0) throw new Error("diagnostics need at least one chain");
  const n = chains[0].length;
  for (let j = 1; j < m; j++) {
    if (chains[j].length !== n) {
      throw new Error(`all chains must have the same number of draws (chain 1 has ${n}, chain ${j + 1} has ${chains[j].length})`);
    }
  }
  ensureCapacity(n * m);
  for (let j = 0; j < m; j++) {
    const chain = chains[j];
    const base = j * n;
    if (chain instanceof Float64Array) pooled.set(chain, base);
    else for (let i = 0; i < n; i++) pooled[base + i] = chain[i];
  }
  return { n, m };
}

interface MatrixShape {
  cols: number;
  rows: number;
}

/**
 * posterior's `.split_chains`: each chain becomes its first ⌊n/2⌋ and its last ⌊n/2⌋ draws, so an
 * odd n drops the middle draw; n = 1 is left unsplit; n = 2 or 3 gives R's transposed quirk.
 */
function splitInto(source: Float64Array, shape: Shape, target: Float64Array): MatrixShape {
  const { n, m } = shape;
  if (n === 1) {
    target.set(source.subarray(0, m));
    return { cols: m, rows: 1 };
  }
  const half = Math.floor(n / 2);
  if (half === 1 && m > 1) {
    // R drops each one-row half to a vector, so cbind() yields an m × 2 matrix: the first draws
    // of all chains and the last draws of all chains. posterior inherits this; so do we.
    for (let j = 0; j < m; j++) {
      target[j] = source[j * n];
      target[m + j] = source[j * n + n - 1];
    }
    return { cols: 2, rows: m };
  }
  for (let j = 0; j < m; j++) {
    const base = j * n;
    target.set(source.subarray(base, base + half), 2 * j * half);
    target.set(source.subarray(base + n - half, base + n), (2 * j + 1) * half);
  }
  return { cols: 2 * m, rows: half };
}

function containsNaN(values: Float64Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** posterior's `should_return_NA`: any NA/NaN/±Inf, or (max − min) < eps. */
function shouldReturnNA(values: Float64Array, length: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (!(v - v === 0)) return true; // NaN or ±Inf
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Math.abs(max - min) < CONSTANT_TOLERANCE;
}

// ---------------------------------------------------------------------------------------------
// Cores on a matrix stored column after column

/** posterior's `.ess` on a (split) matrix. */
function essOfMatrix(matrix: Float64Array, { cols, rows }: MatrixShape): number {
  const size = cols * rows;
  if (rows < 3 || shouldReturnNA(matrix, size)) return NaN;
  let meanOfMeans = 0;
  const chainMeans = columnMeans(matrix, cols, rows);
  for (let c = 0; c < cols; c++) {
    const base = c * rows;
    const mean = chainMeans[c];
    meanOfMeans += mean;
    let constant = true;
    const first = matrix[base];
    for (let i = base; i < base + rows; i++) if (matrix[i] !== first) constant = false;
    // posterior returns an all-zero autocovariance for a constant column.
    for (let i = base; i < base + rows; i++) centered[i] = constant ? 0 : matrix[i] - mean;
  }
  meanOfMeans /= cols;
  meanAcov.reset(centered, cols, rows);
  const meanVar = (meanAcov.at(0) * rows) / (rows - 1);
  let varPlus = (meanVar * (rows - 1)) / rows;
  if (cols > 1) {
    let ss = 0;
    for (let c = 0; c < cols; c++) ss += (chainMeans[c] - meanOfMeans) ** 2;
    varPlus += ss / (cols - 1);
  }
  const rho = (k: number) => 1 - (meanVar - meanAcov.at(k)) / varPlus;

  // Geyer's initial positive sequence.
  let t = 0;
  let even = 1;
  let odd = rho(1);
  rhoHat[0] = even;
  rhoHat[1] = odd;
  while (t < rows - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = rho(t);
    odd = rho(t + 1);
    if (even + odd >= 0) {
      rhoHat[t] = even;
      rhoHat[t + 1] = odd;
    } else {
      rhoHat[t] = 0;
      rhoHat[t + 1] = 0;
    }
  }
  const maxT = t;
  if (even > 0) rhoHat[maxT] = even;

  // Geyer's initial monotone sequence.
  for (t = 2; t <= maxT - 2; t += 2) {
    const previous = rhoHat[t - 2] + rhoHat[t - 1];
    if (rhoHat[t] + rhoHat[t + 1] > previous) {
      rhoHat[t] = previous / 2;
      rhoHat[t + 1] = rhoHat[t];
    }
  }

  // τ = −1 + 2·Σ_{k<maxT} ρ̂_k + ρ̂_maxT; R's `1:0` makes the sum ρ̂_0 when maxT = 0.
  let sum = 0;
  for (let k = 0, end = Math.max(maxT, 1); k < end; k++) sum += rhoHat[k];
  const draws = cols * rows;
  let tau = -1 + 2 * sum + rhoHat[maxT];
  const tauBound = 1 / Math.log10(draws);
  if (tau < tauBound) tau = tauBound;
  return draws / tau;
}

let chainMeansBuffer = new Float64Array(16);
let chainVarsBuffer = new Float64Array(16);

function columnMeans(matrix: Float64Array, cols: number, rows: number): Float64Array {
  if (chainMeansBuffer.length < cols) {
    chainMeansBuffer = new Float64Array(2 * cols);
    chainVarsBuffer = new Float64Array(2 * cols);
  }
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let i = c * rows, end = i + rows; i < end; i++) sum += matrix[i];
    chainMeansBuffer[c] = sum / rows;
  }
  return chainMeansBuffer;
}

/** posterior's `.rhat` on a (split) matrix. */
function rhatOfMatrix(matrix: Float64Array, { cols, rows }: MatrixShape): number {
  if (shouldReturnNA(matrix, cols * rows)) return NaN;
  const means = columnMeans(matrix, cols, rows);
  let meanOfMeans = 0;
  let meanOfVars = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * rows;
    const mean = means[c];
    let ss = 0;
    for (let i = base; i < base + rows; i++) ss += (matrix[i] - mean) ** 2;
    chainVarsBuffer[c] = ss / (rows - 1);
    meanOfMeans += mean;
    meanOfVars += chainVarsBuffer[c];
  }
  meanOfMeans /= cols;
  meanOfVars /= cols;
  let ssMeans = 0;
  for (let c = 0; c < cols; c++) ssMeans += (means[c] - meanOfMeans) ** 2;
  const varBetween = (rows * ssMeans) / (cols - 1);
  return Math.sqrt((varBetween / meanOfVars + rows - 1) / rows);
}

// Φ⁻¹((r − 3/8)/(S + 1/4)) depends only on S and the (half-integer) rank r, so it is tabulated by
// 2r once per S instead of being evaluated for every draw of every variable.
let zTableSize = -1;
let zTable = new Float64Array(0);

function zForDoubledRank(doubledRank: number, size: number): number {
  if (zTableSize !== size) {
    zTableSize = size;
    zTable = new Float64Array(2 * size + 1);
    for (let d = 1; d <= 2 * size; d++) zTable[d] = normalQuantile((d / 2 - 0.375) / (size + 0.25));
  }
  return zTable[doubledRank];
}

/**
 * posterior's `z_scale` of `matrix` into `zMatrix`: average ranks over all values (ties get the
 * mean rank; ±Inf rank as extremes), then Φ⁻¹((r − 3/8)/(S + 1/4)). False if a value is NaN.
 */
function zScale(matrix: Float64Array, size: number, sortedAlready?: Float64Array): boolean {
  if (containsNaN(matrix, size)) return false;
  let sorted: Float64Array;
  if (sortedAlready !== undefined) sorted = sortedAlready;
  else {
    sorted = sortedSplit;
    sorted.set(matrix.subarray(0, size));
    sorted.subarray(0, size).sort();
  }
  let hasTies = false;
  for (let i = 1; i < size; i++) {
    if (sorted[i] === sorted[i - 1]) {
      hasTies = true;
      break;
    }
  }
  for (let i = 0; i < size; i++) {
    const v = matrix[i];
    const below = lowerBound(sorted, size, v);
    const atOrBelow = hasTies ? upperBound(sorted, size, v, below) : below + 1;
    // average rank r = (below + 1 + atOrBelow)/2, so 2r is an integer.
    zMatrix[i] = zForDoubledRank(below + 1 + atOrBelow, size);
  }
  return true;
}

function lowerBound(sorted: Float64Array, size: number, value: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, size: number, value: number, from: number): number {
  let lo = from;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Summary statistics on pooled draws

/** R's type-7 quantile of ascending `sorted[0..size)`, with R's interpolation arithmetic. */
export function quantile7Sorted(sorted: ArrayLike<number>, size: number, p: number): number {
  if (size === 0 || p !== p) return NaN;
  const index = 1 + (size - 1) * p; // 1-based, as R computes it
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1];
  const high = sorted[hi - 1];
  if (index > lo && high !== low) {
    const h = index - lo;
    return (1 - h) * low + h * high;
  }
  return low;
}

/** Type-7 quantile (R's default). Sorts a copy unless `isSorted`. NaN if any value is NaN. */
export function quantile7(values: ArrayLike<number>, p: number, isSorted = false): number {
  const n = values.length;
  if (isSorted) return quantile7Sorted(values, n, p);
  const copy = Float64Array.from(values);
  if (containsNaN(copy, n)) return NaN;
  copy.sort();
  return quantile7Sorted(copy, n, p);
}

/** R's `median` of ascending `sorted[0..size)`. */
function medianSorted(sorted: Float64Array, size: number): number {
  if (size === 0) return NaN;
  const half = size >>> 1;
  return size % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

function meanOf(values: Float64Array, size: number): number {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += values[i];
  const mean = sum / size;
  if (!Number.isFinite(mean)) return mean;
  // One refinement pass, as R's mean does, for full accuracy.
  let correction = 0;
  for (let i = 0; i < size; i++) correction += values[i] - mean;
  return mean + correction / size;
}

function sdOf(values: Float64Array, size: number, mean: number): number {
  let ss = 0;
  for (let i = 0; i < size; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (size - 1));
}

/** Sorts pooled[0..size) into sortedPooled; false if there is a NaN. */
function sortPooled(size: number): boolean {
  if (containsNaN(pooled, size)) return false;
  sortedPooled.set(pooled.subarray(0, size));
  sortedPooled.subarray(0, size).sort();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Building blocks shared by the public functions and summarizeVariable (pooled already loaded)

function rhatLoaded(shape: Shape, sortedAvailable: boolean): number {
  const size = shape.n * shape.m;
  if (containsNaN(pooled, size)) return NaN;
  if (!sortedAvailable) sortPooled(size);
  const evenSplit = shape.n % 2 === 0 || shape.n === 1;
  const splitShape = splitInto(pooled, shape, splitMatrix);
  const splitSize = splitShape.cols * splitShape.rows;
  if (!zScale(splitMatrix, splitSize, evenSplit ? sortedPooled : undefined)) return NaN;
  const bulk = rhatOfMatrix(zMatrix, splitShape);
  const median = medianSorted(sortedPooled, size);
  for (let i = 0; i < size; i++) transformed[i] = Math.abs(pooled[i] - median);
  splitInto(transformed, shape, splitMatrix);
  if (!zScale(splitMatrix, splitSize)) return NaN;
  const tail = rhatOfMatrix(zMatrix, splitShape);
  return bulk !== bulk || tail !== tail ? NaN : Math.max(bulk, tail);
}

function essBulkLoaded(shape: Shape, sortedAvailable: boolean): number {
  const size = shape.n * shape.m;
  const evenSplit = shape.n % 2 === 0 || shape.n === 1;
  if (containsNaN(pooled, size)) return NaN;
  if (evenSplit && !sortedAvailable) sortPooled(size);
  const splitShape = splitInto(pooled, shape, splitMatrix);
  if (!zScale(splitMatrix, splitShape.cols * splitShape.rows, evenSplit ? sortedPooled : undefined)) return NaN;
  return essOfMatrix(zMatrix, splitShape);
}

/** ESS of split(transformed) for the first n·m values of `transformed`. */
function essOfTransformed(shape: Shape): number {
  return essOfMatrix(splitMatrix, splitInto(transformed, shape, splitMatrix));
}

function essQuantileLoaded(shape: Shape, p: number, sortedAvailable: boolean): number {
  const size = shape.n * shape.m;
  if (shouldReturnNA(pooled, size)) return NaN;
  if (!sortedAvailable) sortPooled(size);
  const prob = p === 1 ? (size - 0.5) / size : p;
  const q = quantile7Sorted(sortedPooled, size, prob);
  for (let i = 0; i < size; i++) transformed[i] = pooled[i] <= q ? 1 : 0;
  return essOfTransformed(shape);
}

function essMeanLoaded(shape: Shape): number {
  return essOfMatrix(splitMatrix, splitInto(pooled, shape, splitMatrix));
}

function mcseSdLoaded(shape: Shape, mean: number): number {
  const size = shape.n * shape.m;
  let sum2 = 0;
  let sum4 = 0;
  for (let i = 0; i < size; i++) {
    const c = pooled[i] - mean;
    const c2 = c * c;
    transformed[i] = c2;
    sum2 += c2;
    sum4 += c2 * c2;
  }
  const ess = essOfTransformed(shape);
  const expectedVar = sum2 / size;
  const varOfVar = (sum4 / size - expectedVar * expectedVar) / ess;
  return Math.sqrt(varOfVar / expectedVar / 4);
}

function mcseQuantileLoaded(shape: Shape, p: number): number {
  const size = shape.n * shape.m;
  const ess = essQuantileLoaded(shape, p, false);
  if (ess !== ess) return NaN;
  const lower = betaQuantile(0.1586553, ess * p + 1, ess * (1 - p) + 1);
  const upper = betaQuantile(0.8413447, ess * p + 1, ess * (1 - p) + 1);
  if (lower !== lower || upper !== upper) return NaN;
  const th1 = sortedPooled[Math.max(Math.floor(lower * size), 1) - 1];
  const th2 = sortedPooled[Math.min(Math.ceil(upper * size), size) - 1];
  return (th2 - th1) / 2;
}

// ---------------------------------------------------------------------------------------------
// Public API: one scalar quantity, one array of draws per chain

/** Rank-normalised split R-hat: max of the bulk and the folded (tail) versions. */
export function rhat(chains: Chains): number {
  return rhatLoaded(loadChains(chains), false);
}

/** Classic split R-hat without rank normalisation. */
export function rhatBasic(chains: Chains): number {
  const shape = loadChains(chains);
  return rhatOfMatrix(splitMatrix, splitInto(pooled, shape, splitMatrix));
}

/** Bulk ESS: ESS of the rank-normalised split chains. */
export function essBulk(chains: Chains): number {
  return essBulkLoaded(loadChains(chains), false);
}

/** ESS of the indicator x ≤ Q(p) on split chains. */
export function essQuantile(chains: Chains, p: number): number {
  return essQuantileLoaded(loadChains(chains), p, false);
}

/** Tail ESS: min of the 5% and 95% quantile ESS. */
export function essTail(chains: Chains): number {
  const shape = loadChains(chains);
  const low = essQuantileLoaded(shape, 0.05, false);
  const high = essQuantileLoaded(shape, 0.95, true);
  return low !== low || high !== high ? NaN : Math.min(low, high);
}

/** ESS for the mean: split chains, no rank normalisation. */
export function essMean(chains: Chains): number {
  return essMeanLoaded(loadChains(chains));
}

/** Same as essMean (posterior's `ess_basic` with split = TRUE). */
export function essBasic(chains: Chains): number {
  return essMean(chains);
}

/** ESS for the sd, posterior 1.4.0: ESS of split |x − mean(x)|. */
export function essSd(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  const mean = meanOf(pooled, size);
  for (let i = 0; i < size; i++) transformed[i] = Math.abs(pooled[i] - mean);
  return essOfTransformed(shape);
}

/** sd(x)/sqrt(ess_mean(x)), pooled sd with the n − 1 divisor. */
export function mcseMean(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  const sd = sdOf(pooled, size, meanOf(pooled, size));
  return sd / Math.sqrt(essMeanLoaded(shape));
}

/** MCSE of the sd (posterior's Stirling/normal approximation). */
export function mcseSd(chains: Chains): number {
  const shape = loadChains(chains);
  return mcseSdLoaded(shape, meanOf(pooled, shape.n * shape.m));
}

/** MCSE of the p-quantile from the quantile ESS and Beta quantiles of the order statistics. */
export function mcseQuantile(chains: Chains, p: number): number {
  return mcseQuantileLoaded(loadChains(chains), p);
}

export function mcseMedian(chains: Chains): number {
  return mcseQuantile(chains, 0.5);
}

/** Pooled summaries: mean, median, sd (n − 1), mad (1.4826·median|x − median|). */
export function pooledMean(chains: Chains): number {
  const shape = loadChains(chains);
  return meanOf(pooled, shape.n * shape.m);
}

export function pooledSd(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  return sdOf(pooled, size, meanOf(pooled, size));
}

export function pooledMedian(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  return sortPooled(size) ? medianSorted(sortedPooled, size) : NaN;
}

export function pooledMad(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  if (!sortPooled(size)) return NaN;
  return madFromSorted(size);
}

function madFromSorted(size: number): number {
  const median = medianSorted(sortedPooled, size);
  for (let i = 0; i < size; i++) transformed[i] = Math.abs(sortedPooled[i] - median);
  const deviations = transformed.subarray(0, size);
  deviations.sort();
  return 1.4826 * medianSorted(transformed, size);
}

export function pooledQuantile(chains: Chains, p: number): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  return sortPooled(size) ? quantile7Sorted(sortedPooled, size, p) : NaN;
}

// ---------------------------------------------------------------------------------------------
// Everything at once

export interface VariableSummary {
  name: string;
  mean: number;
  median: number;
  sd: number;
  mad: number;
  mcseMean: number;
  mcseSd: number;
  q5: number;
  q50: number;
  q95: number;
  essBulk: number;
  essTail: number;
  rhat: number;
  /** Type-7 quantiles at the requested `probs`, in order. */
  quantiles: number[];
  probs: number[];
}

/**
 * All default summary and convergence measures for one variable, sharing one load, one sort and
 * the split/rank work between them. Equivalent to calling each function separately.
 */
export function summarizeVariable(name: string, chains: Chains, probs: readonly number[] = []): VariableSummary {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  const hasNaN = !sortPooled(size);
  const mean = meanOf(pooled, size);
  const sd = sdOf(pooled, size, mean);
  const median = hasNaN ? NaN : medianSorted(sortedPooled, size);
  const q = (p: number) => (hasNaN ? NaN : quantile7Sorted(sortedPooled, size, p));
  const q5 = q(0.05);
  const q50 = q(0.5);
  const q95 = q(0.95);
  const quantiles = probs.map(q);

  const rhatValue = hasNaN ? NaN : rhatLoaded(shape, true);
  const essBulkValue = hasNaN ? NaN : essBulkLoaded(shape, true);
  const essLow = essQuantileLoaded(shape, 0.05, !hasNaN);
  const essHigh = essQuantileLoaded(shape, 0.95, !hasNaN);
  const essTailValue = essLow !== essLow || essHigh !== essHigh ? NaN : Math.min(essLow, essHigh);
  const mcseMeanValue = sd / Math.sqrt(essMeanLoaded(shape));
  const mcseSdValue = mcseSdLoaded(shape, mean);
  const mad = hasNaN ? NaN : madFromSorted(size);
  return {
    name,
    mean,
    median,
    sd,
    mad,
    mcseMean: mcseMeanValue,
    mcseSd: mcseSdValue,
    q5,
    q50,
    q95,
    essBulk: essBulkValue,
    essTail: essTailValue,
    rhat: rhatValue,
    quantiles,
    probs: [...probs],
  };
}
