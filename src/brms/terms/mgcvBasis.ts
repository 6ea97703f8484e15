/**
 * The thin plate regression spline basis of mgcv's s(x) (bs = "tp") for one covariate, and the
 * steps brms 2.18 takes from it to its Stan data: mgcv's smoothCon(absorb.cons = TRUE,
 * diagonal.penalty = TRUE) and smooth2random(type = 2), which split the smooth into unpenalised
 * columns Xf (brms's Xs) and penalised columns Zs whose coefficients are iid with one sd.
 *
 * The construction follows mgcv 1.8's description of it (Wood 2003, "Thin plate regression
 * splines"): centre the covariate, take the kernel E_ij = η(|x_i − x_j|) over the unique values and
 * the polynomial null space T, keep the k eigenvectors of E of largest |eigenvalue|, impose T'δ = 0
 * by Householder reflections, rescale columns to unit root mean square, then the sum-to-zero
 * constraint, the penalty scaling, the natural parametrisation and the random-effect split.
 *
 * Eigenvectors have arbitrary signs (LAPACK's choice in R; ours here), so the columns of Xf and Zs
 * equal mgcv's up to one sign per column; every other step is equivariant to those signs (the
 * Householder reflections take their sign from the pivot, the norms ignore signs), so the model —
 * and its log density at sign-mapped points — is the same.
 */
import { symmetricEigen } from "./symmetricEigen";

/** mgcv's default maximum number of knots for tp before it subsamples (xt = list(max.knots = 2000)). */
export const TPRS_MAX_KNOTS = 2000;

type Matrix = Float64Array<ArrayBufferLike>[];

const matrix = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => new Float64Array(cols));

/** The tp kernel for d = 1 and penalty order m: Γ(1/2 − m) / (2^{2m} √π (m − 1)!) · r^{2m − 1}. */
function tpsKernel(m: number, r: number): number {
  if (r <= 0) return 0;
  // Γ(1/2 − m) = √π / ∏_{i<m} (−1/2 − i)
  let f = 1;
  for (let i = 0; i < m; i++) f /= -0.5 - i;
  for (let i = 0; i < m; i++) f /= 4;
  for (let i = 2; i < m; i++) f /= i;
  for (let i = 0; i < 2 * m - 1; i++) f *= r;
  return f;
}

/**
 * Applies the reflection I − u u' (u scaled so that it is orthogonal) to the rows of C from the right:
 * C ← C (I − u u').
 */
function reflectColumns(c: Matrix, u: Float64Array): void {
  for (const row of c) {
    let dot = 0;
    for (let j = 0; j < u.length; j++) dot += row[j] * u[j];
    for (let j = 0; j < u.length; j++) row[j] -= dot * u[j];
  }
}

/**
 * The reflections taking the rows of A (M × k, M ≤ k) one after another onto their last free
 * element (A Q = [0, B], B reverse lower triangular): row i's first k − i elements are rotated into
 * element k − i − 1, and the later rows are reflected along. The sign of each reflection follows its
 * pivot, so flipping the signs of A's columns flips those of Q's null-space columns alike.
 */
function nullSpaceReflections(a: Matrix): Float64Array[] {
  const rows = a.map((r) => Float64Array.from(r));
  const k = rows[0]?.length ?? 0;
  const reflections: Float64Array[] = [];
  rows.forEach((p, i) => {
    const last = k - i - 1;
    let scale = 0;
    for (let j = 0; j <= last; j++) scale = Math.max(scale, Math.abs(p[j]));
    const u = new Float64Array(k);
    if (scale === 0) {
      reflections.push(u);
      return;
    }
    for (let j = 0; j <= last; j++) u[j] = p[j] / scale;
    let norm = 0;
    for (let j = 0; j <= last; j++) norm += u[j] * u[j];
    norm = Math.sqrt(norm);
    if (u[last] < 0) norm = -norm;
    u[last] += norm;
    const g = 1 / (norm * u[last]);
    const root = Math.sqrt(g);
    for (let j = 0; j <= last; j++) u[j] *= root;
    for (let r = i + 1; r < rows.length; r++) {
      let dot = 0;
      for (let j = 0; j <= last; j++) dot += u[j] * rows[r][j];
      for (let j = 0; j <= last; j++) rows[r][j] -= dot * u[j];
    }
    reflections.push(u);
  });
  return reflections;
}

/** The tp basis before constraints: mgcv's construct_tprs output for one covariate. */
export interface ThinPlateBasis {
  /** n × k model matrix; its last M columns span the polynomials 1, x, … */
  readonly X: Matrix;
  /** k × k penalty. */
  readonly S: Matrix;
  /** The centring of the covariate (mgcv's shift: its mean). */
  readonly shift: number;
  /** The unique centred covariate values, increasing (the knots). */
  readonly knots: Float64Array;
  /** (knots + M) × k: maps the truncated coefficients to kernel and polynomial coefficients (mgcv's UZ). */
  readonly UZ: Matrix;
  /** The penalty order m and the null space dimension M. */
  readonly m: number;
  readonly M: number;
}

/**
 * mgcv's tprs basis for one covariate with k basis functions (m = 2: M = 2, null space 1 and x).
 * Throws a RangeError with mgcv's message when there are fewer unique values than k.
 */
export function thinPlateBasis(x: ArrayLike<number>, k: number): ThinPlateBasis {
  const n = x.length;
  const m = 2;
  const M = 2;
  const shift = rMean(x);
  const centred = Float64Array.from(x, (v) => v - shift);
  const knots = Float64Array.from(new Set(centred)).sort();
  const nu = knots.length;
  if (nu < k) throw new RangeError("A term has fewer unique covariate combinations than specified maximum degrees of freedom");
  if (nu === k) throw new RangeError("A term has as many unique covariate values as basis functions");
  const E = Array.from({ length: nu }, (_, i) => Float64Array.from({ length: nu }, (_, j) => tpsKernel(m, Math.abs(knots[i] - knots[j]))));
  const T = Array.from({ length: nu }, (_, i) => Float64Array.of(1, knots[i]));
  // the k eigenvalues of largest magnitude (ties to the positive one), kept in decreasing order
  const eig = symmetricEigen(E);
  let top = 0;
  let bottom = nu - 1;
  const chosen: number[] = [];
  while (chosen.length < k) {
    if (Math.abs(eig.values[top]) >= Math.abs(eig.values[bottom])) chosen.push(top++);
    else chosen.push(bottom--);
  }
  chosen.sort((a, b) => a - b);
  const v = Float64Array.from(chosen, (j) => eig.values[j]);
  const U = eig.vectors.map((row) => Float64Array.from(chosen, (j) => row[j]));
  // constraint T'U δ = 0 through reflections; Z = the first k − M columns of their product
  const TU = matrix(M, k);
  for (let a = 0; a < M; a++) for (let j = 0; j < k; j++) for (let i = 0; i < nu; i++) TU[a][j] += T[i][a] * U[i][j];
  const reflections = nullSpaceReflections(TU);
  const UD = U.map((row) => row.map((value, j) => value * v[j]));
  for (const u of reflections) reflectColumns(UD, u);
  const UQ = U.map((row) => Float64Array.from(row));
  for (const u of reflections) reflectColumns(UQ, u);
  const Xu = UD.map((row, i) => {
    const out = Float64Array.from(row);
    for (let a = 0; a < M; a++) out[k - M + a] = T[i][a];
    return out;
  });
  // S = Q' diag(v) Q, its last M rows and columns zero
  const Sd = matrix(k, k);
  for (let j = 0; j < k; j++) Sd[j][j] = v[j];
  for (const u of reflections) reflectColumns(Sd, u);
  const St = transpose(Sd);
  for (const u of reflections) reflectColumns(St, u);
  const S = transpose(St);
  for (let i = 0; i < k; i++) for (let j = k - M; j < k; j++) S[i][j] = S[j][i] = 0;
  const UZ = matrix(nu + M, k);
  for (let i = 0; i < nu; i++) for (let j = 0; j < k - M; j++) UZ[i][j] = UQ[i][j];
  for (let a = 0; a < M; a++) UZ[nu + a][k - M + a] = 1;
  // back to the data rows, then each column to unit root mean square
  const index = new Map<number, number>();
  knots.forEach((value, i) => index.set(value, i));
  const X = Array.from(centred, (value) => Float64Array.from(Xu[index.get(value)!]));
  for (let j = 0; j < k; j++) {
    let w = 0;
    for (let i = 0; i < n; i++) w += X[i][j] * X[i][j];
    w = Math.sqrt(w / n);
    for (let i = 0; i < n; i++) X[i][j] /= w;
    for (const row of UZ) row[j] /= w;
    for (let i = 0; i < k; i++) {
      S[j][i] /= w;
      S[i][j] /= w;
    }
  }
  return { X, S, shift, knots, UZ, m, M };
}

/** mgcv's Predict.matrix for tp: the basis (before constraints) at new covariate values. */
export function thinPlatePredict(basis: ThinPlateBasis, x: ArrayLike<number>): Matrix {
  const { knots, UZ, m, M } = basis;
  const k = UZ[0].length;
  const out = matrix(x.length, k);
  const b = new Float64Array(knots.length + M);
  for (let r = 0; r < x.length; r++) {
    const xc = x[r] - basis.shift;
    for (let i = 0; i < knots.length; i++) b[i] = tpsKernel(m, Math.abs(xc - knots[i]));
    b[knots.length] = 1;
    b[knots.length + 1] = xc;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < b.length; l++) s += b[l] * UZ[l][j];
      out[r][j] = s;
    }
  }
  return out;
}

function transpose(a: Matrix): Matrix {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => Float64Array.from({ length: rows }, (_, i) => a[i][j]));
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  const cols = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = new Float64Array(cols);
    for (let l = 0; l < inner; l++) {
      const x = row[l];
      if (x !== 0) for (let j = 0; j < cols; j++) out[j] += x * b[l][j];
    }
    return out;
  });
}

/**
 * The linear maps from the raw basis to brms's columns: coefficients β of the raw basis are
 * β = P γ, γ = (Zs coefficients, Xf coefficients). Predictions at new data multiply the raw
 * basis at those values by P (brms's s2rPred does the same through mgcv).
 */
export interface RandomEffectSplit {
  /** Raw k columns → the penalised columns (n × rank) of Zs. */
  readonly toRandom: Matrix;
  /** Raw k columns → the unpenalised columns Xf. */
  readonly toFixed: Matrix;
}

/** One smooth's data as brms passes it: unpenalised columns Xf and penalised columns Zs. */
export interface SmoothColumns {
  readonly Xf: Matrix;
  readonly Zs: Matrix;
  /** Maps the raw basis at new values to these columns (for predictions). */
  readonly split: RandomEffectSplit;
}

/** The L∞ (max absolute row sum) and L1 (max absolute column sum) norms, as R's norm(type = "I"/"O"). */
function normInf(a: Matrix): number {
  let best = 0;
  for (const row of a) best = Math.max(best, row.reduce((s, x) => s + Math.abs(x), 0));
  return best;
}
function normOne(a: Matrix): number {
  return normInf(transpose(a));
}

/**
 * mgcv's smoothCon(absorb.cons = TRUE, diagonal.penalty = TRUE) on a tp basis, then
 * smooth2random(type = 2): the sum-to-zero constraint (colMeans of X, absorbed by one Householder
 * reflection as R's qr() makes it), the penalty scaled to the model matrix, the natural
 * parametrisation with identity penalty (its eigen decomposition) and the split of its columns.
 * `masks` (a factor by-variable's indicator per level, or a numeric by-variable) multiply the rows
 * before the constraint; a numeric by-variable that is not constant drops the constraint, as mgcv does.
 */
export function smoothToRandom(basis: { readonly X: Matrix; readonly S: Matrix; readonly M: number }, by?: { readonly values: Float64Array; readonly factor: boolean }[], rank = basis.S.length - basis.M): SmoothColumns[] {
  const k = basis.S.length;
  const n = basis.X.length;
  // penalty scaled so that its L1 norm matches the squared L∞ norm of the model matrix
  const maXX = normInf(basis.X) ** 2;
  const scale = normOne(basis.S) / maXX;
  let S: Matrix = basis.S.map((row) => row.map((x) => x / scale));
  const levels = by ?? [undefined];
  const constrained = !(by && by.length === 1 && !by[0].factor && !isConstant(by[0].values));
  // the constraint's reflection H = I − u u' / u₁ (LINPACK's Householder, sign from the first element)
  let P: Matrix = identity(k);
  if (constrained) {
    // colMeans(X), summed exactly as R's long double accumulation nearly is: a column whose mean is
    // exactly zero (the centred x) is left out of the reflection, as mgcv does
    const C = Float64Array.from({ length: k }, (_, j) => exactSum(basis.X.map((row) => row[j])) / n);
    const indi = [...C.keys()].filter((j) => C[j] !== 0);
    const Ci = indi.map((j) => C[j]);
    let norm = Math.sqrt(Ci.reduce((s, x) => s + x * x, 0));
    if (Ci[0] < 0) norm = -norm;
    const u = Ci.map((x) => x / norm);
    u[0] += 1;
    const H = (a: number, b: number) => (a === b ? 1 : 0) - (u[a] * u[b]) / u[0];
    // columns indi[0..nx−2] become columns 2..nx of X[, indi] H; column indi[nx−1] goes; the rest stay
    const full = identity(k);
    for (const j of indi) full[j][j] = 0;
    indi.slice(0, -1).forEach((target, a) => indi.forEach((source, bIndex) => (full[source][target] = H(bIndex, a + 1))));
    const dropped = indi[indi.length - 1];
    P = full.map((row) => row.filter((_, j) => j !== dropped));
    S = multiply(transpose(P), multiply(S, P));
  }
  const Xs = levels.map((level) => multiply(level ? basis.X.map((row, i) => row.map((x) => x * level.values[i])) : basis.X, P));
  const p = P[0].length;
  const rankAfter = Math.min(rank, p);
  // natural parametrisation (mgcv's nat.param type 2, no unit norm): eigenvectors of S, scaled so
  // that the penalty becomes the identity; null-space columns scaled to the penalised columns' size,
  // measured on the first level's columns
  const eig = symmetricEigen(S);
  const E = new Float64Array(p).fill(1);
  for (let j = 0; j < rankAfter; j++) E[j] = Math.sqrt(eig.values[j]);
  const first = multiply(Xs[0], eig.vectors);
  const colNorm = new Float64Array(p);
  for (const row of first) for (let j = 0; j < p; j++) colNorm[j] += row[j] * row[j];
  for (let j = 0; j < p; j++) colNorm[j] /= E[j] * E[j];
  let average = 0;
  for (let j = 0; j < rankAfter; j++) average += colNorm[j] / rankAfter;
  for (let j = rankAfter; j < p; j++) E[j] = Math.sqrt(colNorm[j] / average);
  // smooth2random then takes eigen() of that diagonal penalty diag(1, …, 1, 0, …): LAPACK returns its
  // unit vectors in the order its selection sort leaves equal eigenvalues, reversed to decreasing
  const order = lapackDiagonalOrder(Array.from({ length: p }, (_, j) => (j < rankAfter ? 1 : 0)));
  const toNatural = eig.vectors.map((row) => Float64Array.from(order, (j) => row[j] / E[j]));
  const rawToNatural = multiply(P, toNatural);
  const toRandom = rawToNatural.map((row) => row.slice(0, rankAfter));
  const toFixed = rawToNatural.map((row) => row.slice(rankAfter));
  return levels.map((level) => {
    const raw = level ? basis.X.map((row, i) => row.map((x) => x * level.values[i])) : basis.X;
    return { Zs: multiply(raw, toRandom), Xf: multiply(raw, toFixed), split: { toRandom, toFixed } };
  });
}

/** The sum rounded once (Shewchuk's exact partial sums). */
export function exactSum(values: ArrayLike<number>): number {
  const partials: number[] = [];
  for (let idx = 0; idx < values.length; idx++) {
    let x = values[idx];
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  return partials.reduce((s, p) => s + p, 0);
}

/** R's mean(): the sum over n, corrected by the mean of the residuals (R does both in long double). */
export function rMean(values: ArrayLike<number>): number {
  const n = values.length;
  const first = exactSum(values) / n;
  const residuals: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = values[i] - first;
    residuals.push(d, values[i] - d - first);
  }
  return first + exactSum(residuals) / n;
}

/**
 * The column order of eigen(diag(values), symmetric = TRUE) in R: LAPACK sorts the (already
 * diagonal) eigenvalues increasing by selection sort — swapping the first smallest into each place —
 * and R reverses them.
 */
export function lapackDiagonalOrder(values: readonly number[]): number[] {
  const order = values.map((_, i) => i);
  for (let i = 0; i < order.length - 1; i++) {
    let smallest = i;
    for (let j = i + 1; j < order.length; j++) if (values[order[j]] < values[order[smallest]]) smallest = j;
    if (smallest !== i) [order[i], order[smallest]] = [order[smallest], order[i]];
  }
  return order.reverse();
}

function isConstant(values: Float64Array): boolean {
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, values.length - 1));
  return !(sd > mean * 2 ** -52 * 1000);
}

function identity(k: number): Matrix {
  return Array.from({ length: k }, (_, i) => {
    const row = new Float64Array(k);
    row[i] = 1;
    return row;
  });
}

/** mgcv's cubic regression spline (bs = "cr"): coefficients are the values at the knots. */
export interface CubicRegressionBasis {
  /** n × k model matrix. */
  readonly X: Matrix;
  /** k × k penalty D'B⁻¹D. */
  readonly S: Matrix;
  /** The knots: quantiles of the unique covariate values (R's type 7), increasing. */
  readonly knots: Float64Array;
  /** k × k: second derivatives at the knots from the values there (first and last rows 0: natural). */
  readonly F: Matrix;
  /** The null space dimension (constant and linear functions). */
  readonly M: number;
}

/** mgcv's smooth.construct.cr.smooth.spec for k knots at the quantiles of the unique values of x. */
export function cubicRegressionBasis(x: ArrayLike<number>, k: number): CubicRegressionBasis {
  const unique = Float64Array.from(new Set(Array.from(x))).sort();
  const n = unique.length;
  if (n < k) throw new RangeError("insufficient unique values");
  // quantile(xu, seq(0, 1, length = k)), type 7
  const knots = Float64Array.from({ length: k }, (_, j) => {
    const p = j === k - 1 ? 1 : j * (1 / (k - 1));
    const index = (n - 1) * p;
    const lo = Math.floor(index);
    const h = index - lo;
    return h > 0 && unique[lo + 1] !== unique[lo] ? (1 - h) * unique[lo] + h * unique[lo + 1] : unique[lo];
  });
  const h = Float64Array.from({ length: k - 1 }, (_, j) => knots[j + 1] - knots[j]);
  const D = matrix(k - 2, k);
  const B = matrix(k - 2, k - 2);
  for (let i = 0; i < k - 2; i++) {
    D[i][i] = 1 / h[i];
    D[i][i + 1] = -1 / h[i] - 1 / h[i + 1];
    D[i][i + 2] = 1 / h[i + 1];
    B[i][i] = (h[i] + h[i + 1]) / 3;
    if (i < k - 3) B[i][i + 1] = B[i + 1][i] = h[i + 1] / 6;
  }
  const BinvD = solveSymmetric(B, D);
  const F = matrix(k, k);
  for (let i = 0; i < k - 2; i++) F[i + 1] = Float64Array.from(BinvD[i]);
  const S = multiply(transpose(D), BinvD);
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) S[i][j] = S[j][i] = (S[i][j] + S[j][i]) / 2;
  const basis = { knots, F, M: 2 };
  return { ...basis, X: cubicRegressionRows(basis, x), S };
}

/** The cr basis at values x (mgcv's Predict.matrix for cr): the cubic between knots, linear beyond them. */
export function cubicRegressionRows(basis: { readonly knots: Float64Array; readonly F: Matrix }, x: ArrayLike<number>): Matrix {
  const { knots, F } = basis;
  const k = knots.length;
  const out = matrix(x.length, k);
  for (let r = 0; r < x.length; r++) {
    const v = x[r];
    const row = out[r];
    if (v < knots[0] || v > knots[k - 1]) {
      // linear extrapolation with the spline's slope at the end knot
      const left = v < knots[0];
      const j = left ? 0 : k - 2;
      const hj = knots[j + 1] - knots[j];
      const d = left ? v - knots[0] : v - knots[k - 1];
      const end = left ? 0 : k - 1;
      row[end] += 1;
      // slope: (β_{j+1} − β_j)/h − h/6 (2δ_j + δ_{j+1}) at the left end, + h/6 (δ_j + 2δ_{j+1}) at the right
      row[j + 1] += d / hj;
      row[j] -= d / hj;
      for (let c = 0; c < k; c++) row[c] += left ? (-d * hj * (2 * F[j][c] + F[j + 1][c])) / 6 : (d * hj * (F[j][c] + 2 * F[j + 1][c])) / 6;
      continue;
    }
    let j = 0;
    while (j < k - 2 && v > knots[j + 1]) j++;
    const hj = knots[j + 1] - knots[j];
    const am = (knots[j + 1] - v) / hj;
    const ap = (v - knots[j]) / hj;
    const cm = ((knots[j + 1] - v) ** 3 / hj - hj * (knots[j + 1] - v)) / 6;
    const cp = ((v - knots[j]) ** 3 / hj - hj * (v - knots[j])) / 6;
    row[j] += am;
    row[j + 1] += ap;
    for (let c = 0; c < k; c++) row[c] += cm * F[j][c] + cp * F[j + 1][c];
  }
  return out;
}

/** B⁻¹ R for a symmetric positive definite B (Cholesky). */
function solveSymmetric(B: Matrix, R: Matrix): Matrix {
  const n = B.length;
  const L = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = B[i][j];
      for (let l = 0; l < j; l++) s -= L[i][l] * L[j][l];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  return transpose(
    transpose(R).map((col) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = col[i];
        for (let l = 0; l < i; l++) s -= L[i][l] * y[l];
        y[i] = s / L[i][i];
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = y[i];
        for (let l = i + 1; l < n; l++) s -= L[l][i] * y[l];
        y[i] = s / L[i][i];
      }
      return y;
    }),
  );
}
