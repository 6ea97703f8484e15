/**
 * Elementwise and structural container kernels with hand-derived adjoints
 * (see docs/kernel-conventions.md).
 *
 * Containers are Float64Arrays; matrices are column-major (entry (i, j) of an R×C matrix at
 * `i + j·R`) with dimensions passed explicitly. Forward kernels write into a preallocated `out`.
 * Adjoint kernels `f_adj(outAdj, …forward arguments…, …argument adjoints)` ACCUMULATE (`+=`) into
 * the argument adjoints (`null` for data arguments). Where the rule reuses the forward result, the
 * adjoint takes it as `out` right after `outAdj`. Scalar arguments' adjoints are 1-element boxes.
 * Elementwise kernels work on any container of n values (vector, row vector, matrix, array).
 */
import { StanDomainError } from "../model";
import { copyRange } from "./scratch";
import { exp, log, log1pExp } from "./elementary";

// ─────────────────────────────────── elementwise arithmetic ───────────────────────────────────

/** out = a + b. */
export function add(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}
/** c = a + b ⇒ ā += c̄,  b̄ += c̄. */
export function add_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i];
    if (bAdj !== null) bAdj[i] += outAdj[i];
  }
}

/** out = a + s (also s + a). */
export function add_scalar(out: Float64Array, a: Float64Array, s: number, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + s;
}
/** c = a + s ⇒ ā += c̄,  s̄ += Σ c̄. */
export function add_scalar_adj(
  outAdj: Float64Array,
  a: Float64Array,
  s: number,
  n: number,
  aAdj: Float64Array | null,
  sAdj: Float64Array | null,
): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i];
    sum += outAdj[i];
  }
  if (sAdj !== null) sAdj[0] += sum;
}

/** out = a − b. */
export function subtract(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
}
/** c = a − b ⇒ ā += c̄,  b̄ −= c̄. */
export function subtract_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i];
    if (bAdj !== null) bAdj[i] -= outAdj[i];
  }
}

/** out = a − s. */
export function subtract_scalar(out: Float64Array, a: Float64Array, s: number, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] - s;
}
/** c = a − s ⇒ ā += c̄,  s̄ −= Σ c̄. */
export function subtract_scalar_adj(
  outAdj: Float64Array,
  a: Float64Array,
  s: number,
  n: number,
  aAdj: Float64Array | null,
  sAdj: Float64Array | null,
): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i];
    sum += outAdj[i];
  }
  if (sAdj !== null) sAdj[0] -= sum;
}

/** out = s − a. */
export function scalar_subtract(out: Float64Array, s: number, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = s - a[i];
}
/** c = s − a ⇒ s̄ += Σ c̄,  ā −= c̄. */
export function scalar_subtract_adj(
  outAdj: Float64Array,
  s: number,
  a: Float64Array,
  n: number,
  sAdj: Float64Array | null,
  aAdj: Float64Array | null,
): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] -= outAdj[i];
    sum += outAdj[i];
  }
  if (sAdj !== null) sAdj[0] += sum;
}

/** out = −a. */
export function minus(out: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = -a[i];
}
/** c = −a ⇒ ā −= c̄. */
export function minus_adj(
  outAdj: Float64Array,
  a: Float64Array,
  n: number,
  aAdj: Float64Array | null,
): void {
  if (aAdj === null) return;
  for (let i = 0; i < n; i++) aAdj[i] -= outAdj[i];
}

/** out = a .* b. */
export function elt_multiply(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}
/** c = a .* b ⇒ ā += c̄ .* b,  b̄ += c̄ .* a. */
export function elt_multiply_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i] * b[i];
    if (bAdj !== null) bAdj[i] += outAdj[i] * a[i];
  }
}

/** out = a ./ b. */
export function elt_divide(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
}
/** c = a ./ b ⇒ ā += c̄ ./ b,  b̄ −= c̄ .* a ./ b². */
export function elt_divide_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  for (let i = 0; i < n; i++) {
    const g = outAdj[i] / b[i];
    if (aAdj !== null) aAdj[i] += g;
    if (bAdj !== null) bAdj[i] -= (g * a[i]) / b[i];
  }
}

/** out = a / s. */
export function divide_scalar(out: Float64Array, a: Float64Array, s: number, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] / s;
}
/** c = a / s ⇒ ā += c̄ / s,  s̄ −= Σ c̄ a / s². */
export function divide_scalar_adj(
  outAdj: Float64Array,
  a: Float64Array,
  s: number,
  n: number,
  aAdj: Float64Array | null,
  sAdj: Float64Array | null,
): void {
  let dot = 0;
  for (let i = 0; i < n; i++) {
    if (aAdj !== null) aAdj[i] += outAdj[i] / s;
    dot += outAdj[i] * a[i];
  }
  if (sAdj !== null) sAdj[0] -= dot / (s * s);
}

/** out = s ./ a. */
export function scalar_elt_divide(out: Float64Array, s: number, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = s / a[i];
}
/** c = s ./ a ⇒ s̄ += Σ c̄ / a,  ā −= c̄ s / a². */
export function scalar_elt_divide_adj(
  outAdj: Float64Array,
  s: number,
  a: Float64Array,
  n: number,
  sAdj: Float64Array | null,
  aAdj: Float64Array | null,
): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const g = outAdj[i] / a[i];
    sum += g;
    if (aAdj !== null) aAdj[i] -= (g * s) / a[i];
  }
  if (sAdj !== null) sAdj[0] += sum;
}

// ─────────────────────────────────────── replication ───────────────────────────────────────

/** out = (x, x, …, x), n values (vector). */
export function rep_vector(out: Float64Array, x: number, n: number): void {
  out.fill(x, 0, n);
}
/** c = rep(x) ⇒ x̄ += Σ c̄. */
export function rep_vector_adj(
  outAdj: Float64Array,
  x: number,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  let s = 0;
  for (let i = 0; i < n; i++) s += outAdj[i];
  xAdj[0] += s;
}

/** out = (x, …, x), n values (row vector). */
export function rep_row_vector(out: Float64Array, x: number, n: number): void {
  out.fill(x, 0, n);
}
/** c = rep(x) ⇒ x̄ += Σ c̄. */
export function rep_row_vector_adj(
  outAdj: Float64Array,
  x: number,
  n: number,
  xAdj: Float64Array | null,
): void {
  rep_vector_adj(outAdj, x, n, xAdj);
}

/** out = array of n copies of the scalar x. */
export function rep_array(out: Float64Array, x: number, n: number): void {
  out.fill(x, 0, n);
}
/** c = rep(x) ⇒ x̄ += Σ c̄. */
export function rep_array_adj(
  outAdj: Float64Array,
  x: number,
  n: number,
  xAdj: Float64Array | null,
): void {
  rep_vector_adj(outAdj, x, n, xAdj);
}

/** out = array of n copies of the container v (length size), copy k at offset k·size. */
export function rep_array_container(
  out: Float64Array,
  v: Float64Array,
  size: number,
  n: number,
): void {
  for (let k = 0; k < n; k++) copyRange(out, k * size, v, 0, size);
}
/** c_k = v ⇒ v̄ += Σ_k c̄_k. */
export function rep_array_container_adj(
  outAdj: Float64Array,
  v: Float64Array,
  size: number,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let k = 0; k < n; k++) for (let i = 0; i < size; i++) vAdj[i] += outAdj[k * size + i];
}

/** out (rows×cols) filled with the scalar x. */
export function rep_matrix(out: Float64Array, x: number, rows: number, cols: number): void {
  out.fill(x, 0, rows * cols);
}
/** C = rep(x) ⇒ x̄ += Σ C̄. */
export function rep_matrix_adj(
  outAdj: Float64Array,
  x: number,
  rows: number,
  cols: number,
  xAdj: Float64Array | null,
): void {
  rep_vector_adj(outAdj, x, rows * cols, xAdj);
}

/** out (rows×cols) with every column equal to the vector v (Stan's rep_matrix(vector, cols)). */
export function rep_matrix_vector(
  out: Float64Array,
  v: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) copyRange(out, j * rows, v, 0, rows);
}
/** C[:, j] = v ⇒ v̄_i += Σ_j C̄_ij. */
export function rep_matrix_vector_adj(
  outAdj: Float64Array,
  v: Float64Array,
  rows: number,
  cols: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) vAdj[i] += outAdj[i + j * rows];
}

/** out (rows×cols) with every row equal to the row vector r (Stan's rep_matrix(row_vector, rows)). */
export function rep_matrix_row_vector(
  out: Float64Array,
  r: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) out.fill(r[j], j * rows, (j + 1) * rows);
}
/** C[i, :] = r ⇒ r̄_j += Σ_i C̄_ij. */
export function rep_matrix_row_vector_adj(
  outAdj: Float64Array,
  r: Float64Array,
  rows: number,
  cols: number,
  rAdj: Float64Array | null,
): void {
  if (rAdj === null) return;
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += outAdj[i + j * rows];
    rAdj[j] += s;
  }
}

// ──────────────────────────────────── reshaping (copies) ────────────────────────────────────

function copyAdj(outAdj: Float64Array, n: number, xAdj: Float64Array | null): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += outAdj[i];
}

/** to_vector of a matrix (column-major order), row vector or array: the n values in storage order. */
export function to_vector(out: Float64Array, x: Float64Array, n: number): void {
  copyRange(out, 0, x, 0, n);
}
/** Identity on storage ⇒ x̄ += c̄. */
export function to_vector_adj(
  outAdj: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  copyAdj(outAdj, n, xAdj);
}

/** to_row_vector of a matrix (column-major order), vector or array. */
export function to_row_vector(out: Float64Array, x: Float64Array, n: number): void {
  copyRange(out, 0, x, 0, n);
}
/** Identity on storage ⇒ x̄ += c̄. */
export function to_row_vector_adj(
  outAdj: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  copyAdj(outAdj, n, xAdj);
}

/**
 * to_array_1d of a vector, row vector, matrix (column-major order, as Stan) or a row-major
 * multi-dimensional array (first index outermost, as Stan): the n values in storage order.
 */
export function to_array_1d(out: Float64Array, x: Float64Array, n: number): void {
  copyRange(out, 0, x, 0, n);
}
/** Identity on storage ⇒ x̄ += c̄. */
export function to_array_1d_adj(
  outAdj: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  copyAdj(outAdj, n, xAdj);
}

/** to_matrix(x, rows, cols) filled column-major from a vector, row vector, array or matrix. */
export function to_matrix(out: Float64Array, x: Float64Array, rows: number, cols: number): void {
  copyRange(out, 0, x, 0, rows * cols);
}
/** Identity on storage ⇒ x̄ += C̄. */
export function to_matrix_adj(
  outAdj: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
  xAdj: Float64Array | null,
): void {
  copyAdj(outAdj, rows * cols, xAdj);
}

/**
 * to_matrix filled row by row: Stan's to_matrix(x, rows, cols, 0) and to_matrix(array[,] real),
 * whose rows are the inner arrays (x[i·cols + j] → C[i, j]).
 */
export function to_matrix_row_major(
  out: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i + j * rows] = x[i * cols + j];
}
/** C[i, j] = x[i·cols + j] ⇒ x̄[i·cols + j] += C̄[i, j]. */
export function to_matrix_row_major_adj(
  outAdj: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) xAdj[i * cols + j] += outAdj[i + j * rows];
}

/** out ((ra + rb)×cols) = [a; b] for a (ra×cols), b (rb×cols); vectors have cols = 1. */
export function append_row(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  ra: number,
  rb: number,
  cols: number,
): void {
  const r = ra + rb;
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < ra; i++) out[i + j * r] = a[i + j * ra];
    for (let i = 0; i < rb; i++) out[ra + i + j * r] = b[i + j * rb];
  }
}
/** C = [a; b] ⇒ ā += C̄[top],  b̄ += C̄[bottom]. */
export function append_row_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  ra: number,
  rb: number,
  cols: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  const r = ra + rb;
  for (let j = 0; j < cols; j++) {
    if (aAdj !== null) for (let i = 0; i < ra; i++) aAdj[i + j * ra] += outAdj[i + j * r];
    if (bAdj !== null) for (let i = 0; i < rb; i++) bAdj[i + j * rb] += outAdj[ra + i + j * r];
  }
}

/** out (rows×(ca + cb)) = [a, b] for a (rows×ca), b (rows×cb); row vectors have rows = 1. */
export function append_col(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  rows: number,
  ca: number,
  cb: number,
): void {
  copyRange(out, 0, a, 0, rows * ca);
  copyRange(out, rows * ca, b, 0, rows * cb);
}
/** C = [a, b] ⇒ ā += C̄[left],  b̄ += C̄[right]. */
export function append_col_adj(
  outAdj: Float64Array,
  a: Float64Array,
  b: Float64Array,
  rows: number,
  ca: number,
  cb: number,
  aAdj: Float64Array | null,
  bAdj: Float64Array | null,
): void {
  if (aAdj !== null) for (let p = 0; p < rows * ca; p++) aAdj[p] += outAdj[p];
  if (bAdj !== null) for (let p = 0; p < rows * cb; p++) bAdj[p] += outAdj[rows * ca + p];
}

// ───────────────────────────────────────── slicing ─────────────────────────────────────────

/** out = v[0 … n−1]. */
export function head(out: Float64Array, v: Float64Array, n: number): void {
  copyRange(out, 0, v, 0, n);
}
/** c = v[0…n−1] ⇒ v̄[0…n−1] += c̄. */
export function head_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  copyAdj(outAdj, n, vAdj);
}

/** out = the last n values of v (length len). */
export function tail(out: Float64Array, v: Float64Array, len: number, n: number): void {
  copyRange(out, 0, v, len - n, n);
}
/** c = v[len−n…] ⇒ v̄[len−n…] += c̄. */
export function tail_adj(
  outAdj: Float64Array,
  v: Float64Array,
  len: number,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let i = 0; i < n; i++) vAdj[len - n + i] += outAdj[i];
}

/** out = v[start … start+n−1] (start 0-based). */
export function segment(out: Float64Array, v: Float64Array, start: number, n: number): void {
  copyRange(out, 0, v, start, n);
}
/** c = v[start…] ⇒ v̄[start…] += c̄. */
export function segment_adj(
  outAdj: Float64Array,
  v: Float64Array,
  start: number,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let i = 0; i < n; i++) vAdj[start + i] += outAdj[i];
}

/** out (nr×nc) = M[i0 … i0+nr−1, j0 … j0+nc−1] for M rows×cols (0-based corner). */
export function block(
  out: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  i0: number,
  j0: number,
  nr: number,
  nc: number,
): void {
  for (let j = 0; j < nc; j++)
    for (let i = 0; i < nr; i++) out[i + j * nr] = M[i0 + i + (j0 + j) * rows];
}
/** C = M[block] ⇒ M̄[block] += C̄. */
export function block_adj(
  outAdj: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  i0: number,
  j0: number,
  nr: number,
  nc: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  for (let j = 0; j < nc; j++)
    for (let i = 0; i < nr; i++) MAdj[i0 + i + (j0 + j) * rows] += outAdj[i + j * nr];
}

/** out (rows) = column j (0-based) of M (rows×cols). */
export function col(
  out: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  j: number,
): void {
  copyRange(out, 0, M, j * rows, rows);
}
/** c = M[:, j] ⇒ M̄[:, j] += c̄. */
export function col_adj(
  outAdj: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  j: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  const base = j * rows;
  for (let i = 0; i < rows; i++) MAdj[base + i] += outAdj[i];
}

/** out (cols) = row i (0-based) of M (rows×cols). */
export function row(
  out: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  i: number,
): void {
  for (let j = 0; j < cols; j++) out[j] = M[i + j * rows];
}
/** c = M[i, :] ⇒ M̄[i, :] += c̄. */
export function row_adj(
  outAdj: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  i: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  for (let j = 0; j < cols; j++) MAdj[i + j * rows] += outAdj[j];
}

/** out = diag(v), an n×n matrix. */
export function diag_matrix(out: Float64Array, v: Float64Array, n: number): void {
  out.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) out[i + i * n] = v[i];
}
/** C = diag(v) ⇒ v̄_i += C̄_ii. */
export function diag_matrix_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let i = 0; i < n; i++) vAdj[i] += outAdj[i + i * n];
}

/** out = v in reverse order. */
export function reverse(out: Float64Array, v: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = v[n - 1 - i];
}
/** c_i = v_{n−1−i} ⇒ v̄_{n−1−i} += c̄_i. */
export function reverse_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  for (let i = 0; i < n; i++) vAdj[n - 1 - i] += outAdj[i];
}

/** out_k = Σ_{i≤k} v_i. */
export function cumulative_sum(out: Float64Array, v: Float64Array, n: number): void {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += v[i];
    out[i] = s;
  }
}
/** c_k = Σ_{i≤k} v_i ⇒ v̄_i += Σ_{k≥i} c̄_k (suffix sums). */
export function cumulative_sum_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  let s = 0;
  for (let i = n - 1; i >= 0; i--) {
    s += outAdj[i];
    vAdj[i] += s;
  }
}

// ──────────────────────────────────── sorting (by permutation) ────────────────────────────────────

let permutation = new Int32Array(16);
let mergeBuffer = new Int32Array(16);

/** Stable merge sort of the indices 0…n−1 by v (ascending or descending) into `permutation`. */
function sortPermutation(v: Float64Array, n: number, descending: boolean, fn: string): Int32Array {
  if (permutation.length < n) {
    permutation = new Int32Array(n);
    mergeBuffer = new Int32Array(n);
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(v[i]))
      throw new StanDomainError(`${fn}: v[${i + 1}] is nan, but must not be nan!`);
    permutation[i] = i;
  }
  let src = permutation;
  let dst = mergeBuffer;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        const va = v[src[a]];
        const vb = v[src[b]];
        const takeB = descending ? vb > va : vb < va;
        dst[k++] = takeB ? src[b++] : src[a++];
      }
      while (a < mid) dst[k++] = src[a++];
      while (b < hi) dst[k++] = src[b++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== permutation) for (let i = 0; i < n; i++) permutation[i] = src[i];
  return permutation;
}

/** out = v sorted ascending (ties keep their order). Throws on NaN, as Stan. */
export function sort_asc(out: Float64Array, v: Float64Array, n: number): void {
  const p = sortPermutation(v, n, false, "sort_asc");
  for (let i = 0; i < n; i++) out[i] = v[p[i]];
}
/** c_i = v_{π(i)} ⇒ v̄_{π(i)} += c̄_i (π recomputed from v, the same as the forward's). */
export function sort_asc_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  const p = sortPermutation(v, n, false, "sort_asc");
  for (let i = 0; i < n; i++) vAdj[p[i]] += outAdj[i];
}

/** out = v sorted descending (ties keep their order). Throws on NaN, as Stan. */
export function sort_desc(out: Float64Array, v: Float64Array, n: number): void {
  const p = sortPermutation(v, n, true, "sort_desc");
  for (let i = 0; i < n; i++) out[i] = v[p[i]];
}
/** c_i = v_{π(i)} ⇒ v̄_{π(i)} += c̄_i. */
export function sort_desc_adj(
  outAdj: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  const p = sortPermutation(v, n, true, "sort_desc");
  for (let i = 0; i < n; i++) vAdj[p[i]] += outAdj[i];
}

// ─────────────────────────────────────── softmax family ───────────────────────────────────────

/** out = exp(v − max v) / Σ exp(v − max v). */
export function softmax(out: Float64Array, v: Float64Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > max) max = v[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = exp(v[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
}
/** s = softmax(v) ⇒ v̄ += s .* (s̄ − ⟨s, s̄⟩). */
export function softmax_adj(
  outAdj: Float64Array,
  out: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  let dot = 0;
  for (let i = 0; i < n; i++) dot += out[i] * outAdj[i];
  for (let i = 0; i < n; i++) vAdj[i] += out[i] * (outAdj[i] - dot);
}

/** out = v − log_sum_exp(v). */
export function log_softmax(out: Float64Array, v: Float64Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > max) max = v[i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += exp(v[i] - max);
  const lse = max + log(sum);
  for (let i = 0; i < n; i++) out[i] = v[i] - lse;
}
/** l = log_softmax(v) ⇒ v̄ += l̄ − exp(l) · Σ l̄. */
export function log_softmax_adj(
  outAdj: Float64Array,
  out: Float64Array,
  v: Float64Array,
  n: number,
  vAdj: Float64Array | null,
): void {
  if (vAdj === null) return;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += outAdj[i];
  for (let i = 0; i < n; i++) vAdj[i] += outAdj[i] - exp(out[i]) * sum;
}

// ─────────────────────────────────── vectorised unary functions ───────────────────────────────────

/** out = exp(x) elementwise. */
export function exp_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = exp(x[i]);
}
/** y = exp(x) ⇒ x̄ += ȳ · y. */
export function exp_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += outAdj[i] * out[i];
}

/** out = log(x) elementwise. */
export function log_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = log(x[i]);
}
/** y = log(x) ⇒ x̄ += ȳ / x. */
export function log_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += outAdj[i] / x[i];
}

/** out = x² elementwise. */
export function square_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
}
/** y = x² ⇒ x̄ += 2 x ȳ. */
export function square_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += 2 * x[i] * outAdj[i];
}

/** out = √x elementwise. */
export function sqrt_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
}
/** y = √x ⇒ x̄ += ȳ / (2y). */
export function sqrt_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += outAdj[i] / (2 * out[i]);
}

/** out = 1 / (1 + exp(−x)) elementwise, without overflow. */
export function inv_logit_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= 0) out[i] = 1 / (1 + exp(-v));
    else {
      const e = exp(v);
      out[i] = e / (1 + e);
    }
  }
}
/** y = inv_logit(x) ⇒ x̄ += ȳ · y (1 − y). */
export function inv_logit_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) xAdj[i] += outAdj[i] * out[i] * (1 - out[i]);
}

/** out = log(1 + exp(x)) elementwise, without overflow. */
export function log1p_exp_elementwise(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v > 0 ? v + log1pExp(-v) : log1pExp(v);
  }
}
/** y = log1p_exp(x) ⇒ x̄ += ȳ · inv_logit(x). */
export function log1p_exp_elementwise_adj(
  outAdj: Float64Array,
  out: Float64Array,
  x: Float64Array,
  n: number,
  xAdj: Float64Array | null,
): void {
  if (xAdj === null) return;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const s = v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v));
    xAdj[i] += outAdj[i] * s;
  }
}
