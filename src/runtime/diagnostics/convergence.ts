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
import { argsortFloat64 } from "./argsort";
import { MeanAutocovariance } from "./autocovariance";
import { betaQuantile } from "./betaQuantile";
import { normalQuantile } from "./normalQuantile";
import { log10 } from "../math/elementary";

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
      throw new Error(
        `all chains must have the same number of draws (chain 1 has ${n}, chain ${j + 1} has ${chains[j].length})`,
      );
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
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const centered_ = centered;
  const rhoHat_ = rhoHat;
  if (rows < 3) return NaN;
  if (chainMeansBuffer.length < cols) {
    chainMeansBuffer = new Float64Array(2 * cols);
    chainVarsBuffer = new Float64Array(2 * cols);
  }
  const chainMeans = chainMeansBuffer;
  // One pass per column for the NA rules (non-finite, globally constant), the column mean and
  // whether the column itself is constant; a second pass centres it.
  let min = Infinity;
  let max = -Infinity;
  let meanOfMeans = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * rows;
    let sum = 0;
    let columnMin = Infinity;
    let columnMax = -Infinity;
    for (let i = base, end = base + rows; i < end; i++) {
      const v = matrix[i];
      sum += v;
      if (v < columnMin) columnMin = v;
      if (v > columnMax) columnMax = v;
    }
    if (!(sum - sum === 0)) return NaN; // a NaN or ±Inf draw (or an overflowing sum, as in R)
    if (columnMin < min) min = columnMin;
    if (columnMax > max) max = columnMax;
    const mean = sum / rows;
    chainMeans[c] = mean;
    meanOfMeans += mean;
    // posterior returns an all-zero autocovariance for a constant column.
    if (columnMin === columnMax) centered_.fill(0, base, base + rows);
    else for (let i = base, end = base + rows; i < end; i++) centered_[i] = matrix[i] - mean;
  }
  if (Math.abs(max - min) < CONSTANT_TOLERANCE) return NaN;
  meanOfMeans /= cols;
  meanAcov.reset(centered_, cols, rows);
  const meanVar = (meanAcov.at(0) * rows) / (rows - 1);
  let varPlus = (meanVar * (rows - 1)) / rows;
  if (cols > 1) {
    let ss = 0;
    for (let c = 0; c < cols; c++) {
      const d = chainMeans[c] - meanOfMeans;
      ss += d * d;
    }
    varPlus += ss / (cols - 1);
  }
  const rho = (k: number) => 1 - (meanVar - meanAcov.at(k)) / varPlus;

  // Geyer's initial positive sequence.
  let t = 0;
  let even = 1;
  let odd = rho(1);
  rhoHat_[0] = even;
  rhoHat_[1] = odd;
  while (t < rows - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = rho(t);
    odd = rho(t + 1);
    if (even + odd >= 0) {
      rhoHat_[t] = even;
      rhoHat_[t + 1] = odd;
    } else {
      rhoHat_[t] = 0;
      rhoHat_[t + 1] = 0;
    }
  }
  const maxT = t;
  if (even > 0) rhoHat_[maxT] = even;

  // Geyer's initial monotone sequence.
  for (t = 2; t <= maxT - 2; t += 2) {
    const previous = rhoHat_[t - 2] + rhoHat_[t - 1];
    if (rhoHat_[t] + rhoHat_[t + 1] > previous) {
      rhoHat_[t] = previous / 2;
      rhoHat_[t + 1] = rhoHat_[t];
    }
  }

  // τ = −1 + 2·Σ_{k<maxT} ρ̂_k + ρ̂_maxT; R's `1:0` makes the sum ρ̂_0 when maxT = 0.
  let sum = 0;
  for (let k = 0, end = Math.max(maxT, 1); k < end; k++) sum += rhoHat_[k];
  const draws = cols * rows;
  let tau = -1 + 2 * sum + rhoHat_[maxT];
  const tauBound = 1 / log10(draws);
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
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const chainVarsBuffer_ = chainVarsBuffer;
  if (shouldReturnNA(matrix, cols * rows)) return NaN;
  const means = columnMeans(matrix, cols, rows);
  let meanOfMeans = 0;
  let meanOfVars = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * rows;
    const mean = means[c];
    let ss = 0;
    for (let i = base, end = base + rows; i < end; i++) {
      const d = matrix[i] - mean;
      ss += d * d;
    }
    chainVarsBuffer_[c] = ss / (rows - 1);
    meanOfMeans += mean;
    meanOfVars += chainVarsBuffer_[c];
  }
  meanOfMeans /= cols;
  meanOfVars /= cols;
  let ssMeans = 0;
  for (let c = 0; c < cols; c++) {
    const d = means[c] - meanOfMeans;
    ssMeans += d * d;
  }
  const varBetween = (rows * ssMeans) / (cols - 1);
  return Math.sqrt((varBetween / meanOfVars + rows - 1) / rows);
}

// Φ⁻¹((r − 3/8)/(S + 1/4)) depends only on S and the (half-integer) rank r, so it is tabulated by
// 2r once per S instead of being evaluated for every draw of every variable.
let zTableSize = -1;
let zTable = new Float64Array(0);

function zTableFor(size: number): Float64Array {
  if (zTableSize !== size) {
    zTableSize = size;
    zTable = new Float64Array(2 * size + 1);
    for (let d = 1; d <= 2 * size; d++) zTable[d] = normalQuantile((d / 2 - 0.375) / (size + 0.25));
  }
  return zTable;
}

// ---------------------------------------------------------------------------------------------
// Sorting and ranking, shared by everything that needs order statistics of the loaded draws.
// prepareOrder() argsorts the split draws once; z-scores of the draws and of their folds, the
// pooled sorted draws (quantiles, median, mad) all follow from that one permutation.

let splitOrder = new Uint32Array(0);
let foldOrder = new Uint32Array(0);
let foldSorted = new Float64Array(0);
let middles = new Float64Array(0);

interface Prepared {
  shape: Shape;
  split: MatrixShape;
  /** Number of pooled draws n·m. */
  size: number;
  /** Number of split draws (the middle draw of odd chains is dropped). */
  splitSize: number;
}

/**
 * Splits the loaded draws, argsorts the split draws into `splitOrder`/`sortedSplit` and builds
 * `sortedPooled`. Undefined when a draw is NaN (every order-based measure is then NA).
 */
function prepareOrder(shape: Shape): Prepared | undefined {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const pooled_ = pooled;
  const sortedPooled_ = sortedPooled;
  const splitMatrix_ = splitMatrix;
  const sortedSplit_ = sortedSplit;
  const size = shape.n * shape.m;
  if (containsNaN(pooled_, size)) return undefined;
  const split = splitInto(pooled_, shape, splitMatrix_);
  const splitSize = split.cols * split.rows;
  if (splitOrder.length < size) {
    splitOrder = new Uint32Array(pooled_.length);
    foldOrder = new Uint32Array(pooled_.length);
    foldSorted = new Float64Array(pooled_.length);
  }
  const order = splitOrder;
  argsortFloat64(splitMatrix_, splitSize, order);
  for (let k = 0; k < splitSize; k++) sortedSplit_[k] = splitMatrix_[order[k]];
  if (splitSize === size) {
    sortedPooled_.set(sortedSplit_.subarray(0, size));
  } else {
    // Odd chains: merge the dropped middle draws back in for the pooled order statistics.
    const { n, m } = shape;
    if (middles.length < m) middles = new Float64Array(2 * m);
    for (let j = 0; j < m; j++) middles[j] = pooled_[j * n + (n >> 1)];
    const sortedMiddles = middles.subarray(0, m).sort();
    let a = 0;
    let b = 0;
    for (let k = 0; k < size; k++) {
      sortedPooled_[k] =
        b >= m || (a < splitSize && sortedSplit_[a] <= sortedMiddles[b])
          ? sortedSplit_[a++]
          : sortedMiddles[b++];
    }
  }
  return { shape, split, size, splitSize };
}

/**
 * Writes into zMatrix (split layout) the z-scores of `sortedValues` whose original positions are
 * `order`: average ranks over runs of equal values, then the tabulated Φ⁻¹.
 */
function zFromSortedRuns(sortedValues: Float64Array, order: Uint32Array, size: number): void {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const zMatrix_ = zMatrix;
  const table = zTableFor(size);
  let start = 0;
  while (start < size) {
    const value = sortedValues[start];
    let end = start + 1;
    while (end < size && sortedValues[end] === value) end++;
    // Positions start..end−1 hold ranks start+1..end; twice their mean is start + 1 + end.
    const z = table[start + 1 + end];
    for (let k = start; k < end; k++) zMatrix_[order[k]] = z;
    start = end;
  }
}

/** posterior's z_scale(split(x)) into zMatrix. */
function bulkZ(p: Prepared): void {
  zFromSortedRuns(sortedSplit, splitOrder, p.splitSize);
}

/**
 * posterior's z_scale(split(|x − median(x)|)) into zMatrix. The folded values are ordered by
 * merging the draws below the median (walked downwards) with those above it (walked upwards),
 * which is O(S) given the sorted draws.
 */
function tailZ(p: Prepared, median: number): boolean {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const sortedSplit_ = sortedSplit;
  const splitOrder_ = splitOrder;
  const foldOrder_ = foldOrder;
  const foldSorted_ = foldSorted;
  // An infinite median makes some folds Inf − Inf = NaN, and R then returns NA.
  if (!Number.isFinite(median)) return false;
  const size = p.splitSize;
  let right = lowerBound(sortedSplit_, size, median);
  let left = right - 1;
  // Each fold is computed once; the exhausted side is marked by its index, not by a sentinel,
  // because a draw of ±Inf has a genuine infinite fold.
  let foldLeft = left >= 0 ? Math.abs(sortedSplit_[left] - median) : Infinity;
  let foldRight = right < size ? Math.abs(sortedSplit_[right] - median) : Infinity;
  for (let k = 0; k < size; k++) {
    if (left >= 0 && (right >= size || foldLeft <= foldRight)) {
      foldSorted_[k] = foldLeft;
      foldOrder_[k] = splitOrder_[left];
      left--;
      if (left >= 0) foldLeft = Math.abs(sortedSplit_[left] - median);
    } else {
      foldSorted_[k] = foldRight;
      foldOrder_[k] = splitOrder_[right];
      right++;
      if (right < size) foldRight = Math.abs(sortedSplit_[right] - median);
    }
  }
  zFromSortedRuns(foldSorted_, foldOrder_, size);
  return true;
}

/** 1.4826 · median(|x − median|) over the pooled sorted draws, by the same merge. */
function madOfSortedPooled(size: number, median: number): number {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const sortedPooled_ = sortedPooled;
  if (!Number.isFinite(median)) return NaN;
  let right = lowerBound(sortedPooled_, size, median);
  let left = right - 1;
  const upperIndex = size >> 1;
  let previous = NaN;
  let current = NaN;
  for (let k = 0; k <= upperIndex; k++) {
    const foldLeft = left >= 0 ? Math.abs(sortedPooled_[left] - median) : Infinity;
    const foldRight = right < size ? Math.abs(sortedPooled_[right] - median) : Infinity;
    previous = current;
    if (right >= size || (left >= 0 && foldLeft <= foldRight)) {
      current = foldLeft;
      left--;
    } else {
      current = foldRight;
      right++;
    }
  }
  const medianFold = size % 2 === 1 ? current : (previous + current) / 2;
  return 1.4826 * medianFold;
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
  if (size < 2) return NaN; // R: sd of fewer than two values is NA
  let ss = 0;
  for (let i = 0; i < size; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (size - 1));
}

/** Sorts pooled[0..size) into sortedPooled; false if there is a NaN. */

// ---------------------------------------------------------------------------------------------
// Building blocks shared by the public functions and summarizeVariable (pooled already loaded)

/** Bulk and tail R-hat from prepared order; the bulk z-scores are left in zMatrix on request. */
function rhatPrepared(p: Prepared): { bulk: number; tail: number } {
  bulkZ(p);
  const bulk = rhatOfMatrix(zMatrix, p.split);
  const tail = tailZ(p, medianSorted(sortedPooled, p.size)) ? rhatOfMatrix(zMatrix, p.split) : NaN;
  return { bulk, tail };
}

function combineRhat({ bulk, tail }: { bulk: number; tail: number }): number {
  return bulk !== bulk || tail !== tail ? NaN : Math.max(bulk, tail);
}

/** ESS of split(transformed) for the first n·m values of `transformed`. */
function essOfTransformed(shape: Shape): number {
  return essOfMatrix(splitMatrix, splitInto(transformed, shape, splitMatrix));
}

/** Needs sortedPooled to be current (prepareOrder) unless the draws are NA for ESS anyway. */
function essQuantilePrepared(shape: Shape, p: number, isNA?: boolean): number {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const pooled_ = pooled;
  const sortedPooled_ = sortedPooled;
  const transformed_ = transformed;
  const size = shape.n * shape.m;
  if (isNA ?? shouldReturnNA(pooled_, size)) return NaN;
  const prob = p === 1 ? (size - 0.5) / size : p;
  const q = quantile7Sorted(sortedPooled_, size, prob);
  for (let i = 0; i < size; i++) transformed_[i] = pooled_[i] <= q ? 1 : 0;
  return essOfTransformed(shape);
}

function essMeanLoaded(shape: Shape): number {
  return essOfMatrix(splitMatrix, splitInto(pooled, shape, splitMatrix));
}

function mcseSdLoaded(shape: Shape, mean: number): number {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const pooled_ = pooled;
  const transformed_ = transformed;
  const size = shape.n * shape.m;
  let sum2 = 0;
  let sum4 = 0;
  for (let i = 0; i < size; i++) {
    const c = pooled_[i] - mean;
    const c2 = c * c;
    transformed_[i] = c2;
    sum2 += c2;
    sum4 += c2 * c2;
  }
  const ess = essOfTransformed(shape);
  const expectedVar = sum2 / size;
  const varOfVar = (sum4 / size - expectedVar * expectedVar) / ess;
  return Math.sqrt(varOfVar / expectedVar / 4);
}

function mcseQuantilePrepared(shape: Shape, p: number): number {
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const sortedPooled_ = sortedPooled;
  const size = shape.n * shape.m;
  const ess = essQuantilePrepared(shape, p);
  if (ess !== ess) return NaN;
  const lower = betaQuantile(0.1586553, ess * p + 1, ess * (1 - p) + 1);
  const upper = betaQuantile(0.8413447, ess * p + 1, ess * (1 - p) + 1);
  if (lower !== lower || upper !== upper) return NaN;
  const th1 = sortedPooled_[Math.max(Math.floor(lower * size), 1) - 1];
  const th2 = sortedPooled_[Math.min(Math.ceil(upper * size), size) - 1];
  return (th2 - th1) / 2;
}

// ---------------------------------------------------------------------------------------------
// Public API: one scalar quantity, one array of draws per chain

/** Rank-normalised split R-hat: max of the bulk and the folded (tail) versions. */
export function rhat(chains: Chains): number {
  const prepared = prepareOrder(loadChains(chains));
  return prepared === undefined ? NaN : combineRhat(rhatPrepared(prepared));
}

/** Classic split R-hat without rank normalisation. */
export function rhatBasic(chains: Chains): number {
  const shape = loadChains(chains);
  return rhatOfMatrix(splitMatrix, splitInto(pooled, shape, splitMatrix));
}

/** Bulk ESS: ESS of the rank-normalised split chains. */
export function essBulk(chains: Chains): number {
  const prepared = prepareOrder(loadChains(chains));
  if (prepared === undefined) return NaN;
  bulkZ(prepared);
  return essOfMatrix(zMatrix, prepared.split);
}

/** ESS of the indicator x ≤ Q(p) on split chains. */
export function essQuantile(chains: Chains, p: number): number {
  const shape = loadChains(chains);
  prepareOrder(shape);
  return essQuantilePrepared(shape, p);
}

/** Tail ESS: min of the 5% and 95% quantile ESS. */
export function essTail(chains: Chains): number {
  const shape = loadChains(chains);
  prepareOrder(shape);
  const drawsNA = shouldReturnNA(pooled, shape.n * shape.m);
  const low = essQuantilePrepared(shape, 0.05, drawsNA);
  const high = essQuantilePrepared(shape, 0.95, drawsNA);
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
  // Module buffers as locals: no per-access binding checks in the hot loops.
  const pooled_ = pooled;
  const transformed_ = transformed;
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  const mean = meanOf(pooled_, size);
  for (let i = 0; i < size; i++) transformed_[i] = Math.abs(pooled_[i] - mean);
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
  const shape = loadChains(chains);
  prepareOrder(shape);
  return mcseQuantilePrepared(shape, p);
}

export function mcseMedian(chains: Chains): number {
  return mcseQuantile(chains, 0.5);
}

/** Pooled mean (R's `mean`). */
export function pooledMean(chains: Chains): number {
  const shape = loadChains(chains);
  return meanOf(pooled, shape.n * shape.m);
}

/** Pooled sd with the n − 1 divisor. */
export function pooledSd(chains: Chains): number {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  return sdOf(pooled, size, meanOf(pooled, size));
}

export function pooledMedian(chains: Chains): number {
  const prepared = prepareOrder(loadChains(chains));
  return prepared === undefined ? NaN : medianSorted(sortedPooled, prepared.size);
}

/** 1.4826 · median|x − median x| (R's `mad`). */
export function pooledMad(chains: Chains): number {
  const prepared = prepareOrder(loadChains(chains));
  if (prepared === undefined) return NaN;
  return madOfSortedPooled(prepared.size, medianSorted(sortedPooled, prepared.size));
}

/** Type-7 quantile of the pooled draws. */
export function pooledQuantile(chains: Chains, p: number): number {
  const prepared = prepareOrder(loadChains(chains));
  return prepared === undefined ? NaN : quantile7Sorted(sortedPooled, prepared.size, p);
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
 * All default summary and convergence measures for one variable, sharing one load, one argsort
 * and the split/rank work between them. Equal to calling each function separately.
 */
export function summarizeVariable(
  name: string,
  chains: Chains,
  probs: readonly number[] = [],
): VariableSummary {
  const shape = loadChains(chains);
  const size = shape.n * shape.m;
  const prepared = prepareOrder(shape);
  const mean = meanOf(pooled, size);
  const sd = sdOf(pooled, size, mean);
  const q = (p: number) => (prepared === undefined ? NaN : quantile7Sorted(sortedPooled, size, p));
  const median = prepared === undefined ? NaN : medianSorted(sortedPooled, size);
  const quantiles = probs.map(q);

  let rhatValue = NaN;
  let essBulkValue = NaN;
  let mad = NaN;
  if (prepared !== undefined) {
    bulkZ(prepared);
    const bulk = rhatOfMatrix(zMatrix, prepared.split);
    essBulkValue = essOfMatrix(zMatrix, prepared.split);
    const tail = tailZ(prepared, median) ? rhatOfMatrix(zMatrix, prepared.split) : NaN;
    rhatValue = combineRhat({ bulk, tail });
    // With no dropped middle draws the split folds are the pooled folds, already sorted.
    mad =
      prepared.splitSize === size && Number.isFinite(median)
        ? 1.4826 * medianSorted(foldSorted, size)
        : madOfSortedPooled(size, median);
  }
  const drawsNA = shouldReturnNA(pooled, size);
  const essLow = essQuantilePrepared(shape, 0.05, drawsNA);
  const essHigh = essQuantilePrepared(shape, 0.95, drawsNA);
  return {
    name,
    mean,
    median,
    sd,
    mad,
    mcseMean: sd / Math.sqrt(essMeanLoaded(shape)),
    mcseSd: mcseSdLoaded(shape, mean),
    q5: q(0.05),
    q50: q(0.5),
    q95: q(0.95),
    essBulk: essBulkValue,
    essTail: essLow !== essLow || essHigh !== essHigh ? NaN : Math.min(essLow, essHigh),
    rhat: rhatValue,
    quantiles,
    probs: [...probs],
  };
}
