/**
 * Linear-algebra kernels with hand-derived adjoints (see docs/kernel-conventions.md).
 *
 * Matrices are column-major Float64Arrays with their dimensions passed explicitly; entry (i, j) of an
 * R×C matrix is at `i + j·R`. Vectors and row vectors are plain Float64Arrays. Forward kernels write
 * into a preallocated `out`. Adjoint kernels `f_adj(outAdj, …forward arguments…, …argument adjoints)`
 * ACCUMULATE (`+=`) into the argument adjoints; pass `null` for an argument that is data. Where the
 * rule reuses the forward result, the adjoint takes it as `out` right after `outAdj`. Scalar
 * arguments' adjoints are 1-element boxes. Nothing allocates per call: the few kernels that need
 * workspace reuse module-level buffers that grow to the largest size seen.
 */
import { StanDomainError } from "../model";
import { copyRange } from "./scratch";
import { log } from "./elementary";

/** Stan's tolerance for `check_symmetric`. */
const SYMMETRY_TOLERANCE = 1e-8;

const WS_1 = 0;
const WS_2 = 1;
const WS_PIVOT = 2;
const WS_SYM = 3;
const WS_QR = 4;
const WS_QR_Q = 5;
const WS_QR_R = 6;
const workspaces: Float64Array[] = Array.from({ length: 7 }, () => new Float64Array(16));
function work(slot: number, n: number): Float64Array {
  if (workspaces[slot].length < n) workspaces[slot] = new Float64Array(n);
  return workspaces[slot];
}

// ─────────────────────────────────────────── products ───────────────────────────────────────────

/** out (rows) = A (rows×cols) · x (cols). */
export function multiply_matrix_vector(
  out: Float64Array,
  A: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
): void {
  out.fill(0, 0, rows);
  for (let j = 0; j < cols; j++) {
    const xj = x[j];
    const base = j * rows;
    for (let i = 0; i < rows; i++) out[i] += A[base + i] * xj;
  }
}
/** y = A·x ⇒ Ā += ȳ·xᵀ,  x̄ += Aᵀ·ȳ. */
export function multiply_matrix_vector_adj(
  outAdj: Float64Array,
  A: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
  xAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    if (AAdj !== null) {
      const xj = x[j];
      for (let i = 0; i < rows; i++) AAdj[base + i] += outAdj[i] * xj;
    }
    if (xAdj !== null) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += A[base + i] * outAdj[i];
      xAdj[j] += s;
    }
  }
}

/** out (rows×cols) = A (rows×inner) · B (inner×cols). */
export function multiply_matrix_matrix(
  out: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  inner: number,
  cols: number,
): void {
  out.fill(0, 0, rows * cols);
  for (let j = 0; j < cols; j++)
    for (let k = 0; k < inner; k++) {
      const b = B[k + j * inner];
      const aBase = k * rows;
      const oBase = j * rows;
      for (let i = 0; i < rows; i++) out[oBase + i] += A[aBase + i] * b;
    }
}
/** C = A·B ⇒ Ā += C̄·Bᵀ,  B̄ += Aᵀ·C̄. */
export function multiply_matrix_matrix_adj(
  outAdj: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  inner: number,
  cols: number,
  AAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++)
    for (let k = 0; k < inner; k++) {
      const aBase = k * rows;
      const oBase = j * rows;
      if (AAdj !== null) {
        const b = B[k + j * inner];
        for (let i = 0; i < rows; i++) AAdj[aBase + i] += outAdj[oBase + i] * b;
      }
      if (BAdj !== null) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += A[aBase + i] * outAdj[oBase + i];
        BAdj[k + j * inner] += s;
      }
    }
}

/** out (row vector, cols) = r (row vector, inner) · B (inner×cols). */
export function multiply_row_vector_matrix(
  out: Float64Array,
  r: Float64Array,
  B: Float64Array,
  inner: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let k = 0; k < inner; k++) s += r[k] * B[k + j * inner];
    out[j] = s;
  }
}
/** y = r·B ⇒ r̄ += ȳ·Bᵀ,  B̄ += rᵀ·ȳ. */
export function multiply_row_vector_matrix_adj(
  outAdj: Float64Array,
  r: Float64Array,
  B: Float64Array,
  inner: number,
  cols: number,
  rAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    const g = outAdj[j];
    for (let k = 0; k < inner; k++) {
      if (rAdj !== null) rAdj[k] += g * B[k + j * inner];
      if (BAdj !== null) BAdj[k + j * inner] += r[k] * g;
    }
  }
}

/** row_vector · vector = Σ r_k v_k. */
export function multiply_row_vector_vector(r: Float64Array, v: Float64Array, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += r[k] * v[k];
  return s;
}
/** s = r·v ⇒ r̄ += s̄·vᵀ,  v̄ += s̄·rᵀ. */
export function multiply_row_vector_vector_adj(
  resultAdj: number,
  r: Float64Array,
  v: Float64Array,
  n: number,
  rAdj: Float64Array | null,
  vAdj: Float64Array | null,
): void {
  for (let k = 0; k < n; k++) {
    if (rAdj !== null) rAdj[k] += resultAdj * v[k];
    if (vAdj !== null) vAdj[k] += resultAdj * r[k];
  }
}

/** out (rows×cols) = v (vector, rows) · r (row vector, cols): the outer product. */
export function multiply_vector_row_vector(
  out: Float64Array,
  v: Float64Array,
  r: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i + j * rows] = v[i] * r[j];
}
/** C = v·r ⇒ v̄ += C̄·rᵀ,  r̄ += vᵀ·C̄. */
export function multiply_vector_row_vector_adj(
  outAdj: Float64Array,
  v: Float64Array,
  r: Float64Array,
  rows: number,
  cols: number,
  vAdj: Float64Array | null,
  rAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) {
      const g = outAdj[i + j * rows];
      if (vAdj !== null) vAdj[i] += g * r[j];
      s += g * v[i];
    }
    if (rAdj !== null) rAdj[j] += s;
  }
}

/** out = s · X for any container X of n values (scalar × vector / row vector / matrix). */
export function multiply_scalar(out: Float64Array, s: number, X: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = s * X[i];
}
/** Y = s·X ⇒ s̄ += ⟨Ȳ, X⟩,  X̄ += s·Ȳ. */
export function multiply_scalar_adj(
  outAdj: Float64Array,
  s: number,
  X: Float64Array,
  n: number,
  sAdj: Float64Array | null,
  XAdj: Float64Array | null,
): void {
  let dot = 0;
  for (let i = 0; i < n; i++) {
    dot += outAdj[i] * X[i];
    if (XAdj !== null) XAdj[i] += s * outAdj[i];
  }
  if (sAdj !== null) sAdj[0] += dot;
}

/** out (rows×cols) = diag(v) · M: row i scaled by v_i. */
export function diag_pre_multiply(
  out: Float64Array,
  v: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    for (let i = 0; i < rows; i++) out[base + i] = v[i] * M[base + i];
  }
}
/** C = diag(v)·M ⇒ v̄_i += Σ_j C̄_ij M_ij,  M̄_ij += v_i C̄_ij. */
export function diag_pre_multiply_adj(
  outAdj: Float64Array,
  v: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  vAdj: Float64Array | null,
  MAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    for (let i = 0; i < rows; i++) {
      const g = outAdj[base + i];
      if (vAdj !== null) vAdj[i] += g * M[base + i];
      if (MAdj !== null) MAdj[base + i] += v[i] * g;
    }
  }
}

/** out (rows×cols) = M · diag(v): column j scaled by v_j. */
export function diag_post_multiply(
  out: Float64Array,
  M: Float64Array,
  v: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    const vj = v[j];
    for (let i = 0; i < rows; i++) out[base + i] = M[base + i] * vj;
  }
}
/** C = M·diag(v) ⇒ M̄_ij += C̄_ij v_j,  v̄_j += Σ_i C̄_ij M_ij. */
export function diag_post_multiply_adj(
  outAdj: Float64Array,
  M: Float64Array,
  v: Float64Array,
  rows: number,
  cols: number,
  MAdj: Float64Array | null,
  vAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    let s = 0;
    for (let i = 0; i < rows; i++) {
      const g = outAdj[base + i];
      if (MAdj !== null) MAdj[base + i] += g * v[j];
      s += g * M[base + i];
    }
    if (vAdj !== null) vAdj[j] += s;
  }
}

/** out (cols×rows) = Mᵀ for M rows×cols. */
export function transpose(out: Float64Array, M: Float64Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[j + i * cols] = M[i + j * rows];
}
/** C = Mᵀ ⇒ M̄ += C̄ᵀ. (M is unused; it keeps the forward argument list.) */
export function transpose_adj(
  outAdj: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  for (let j = 0; j < cols; j++)
    for (let i = 0; i < rows; i++) MAdj[i + j * rows] += outAdj[j + i * cols];
}

/**
 * out (rows×rows) = L·Lᵀ using only the lower-trapezoidal part of L (rows×cols; entries above the
 * diagonal are read as zero, as in Stan).
 */
export function multiply_lower_tri_self_transpose(
  out: Float64Array,
  L: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let i = 0; i < rows; i++)
    for (let k = 0; k <= i; k++) {
      const top = Math.min(k, cols - 1);
      let s = 0;
      for (let j = 0; j <= top; j++) s += L[i + j * rows] * L[k + j * rows];
      out[i + k * rows] = s;
      out[k + i * rows] = s;
    }
}
/** C = L·Lᵀ ⇒ L̄ += (C̄ + C̄ᵀ)·L, kept on the lower-trapezoidal part (the rest of L is not read). */
export function multiply_lower_tri_self_transpose_adj(
  outAdj: Float64Array,
  L: Float64Array,
  rows: number,
  cols: number,
  LAdj: Float64Array | null,
): void {
  if (LAdj === null) return;
  for (let j = 0; j < cols; j++)
    for (let i = j; i < rows; i++) {
      let s = 0;
      for (let k = j; k < rows; k++)
        s += (outAdj[i + k * rows] + outAdj[k + i * rows]) * L[k + j * rows];
      LAdj[i + j * rows] += s;
    }
}

/** out (rows×rows) = A·Aᵀ. */
export function tcrossprod(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += A[i + j * rows] * A[k + j * rows];
      out[i + k * rows] = s;
      out[k + i * rows] = s;
    }
}
/** C = A·Aᵀ ⇒ Ā += (C̄ + C̄ᵀ)·A. */
export function tcrossprod_adj(
  outAdj: Float64Array,
  A: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  for (let j = 0; j < cols; j++)
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let k = 0; k < rows; k++)
        s += (outAdj[i + k * rows] + outAdj[k + i * rows]) * A[k + j * rows];
      AAdj[i + j * rows] += s;
    }
}

/** out (cols×cols) = Aᵀ·A. */
export function crossprod(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < cols; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += A[r + i * rows] * A[r + k * rows];
      out[i + k * cols] = s;
      out[k + i * cols] = s;
    }
}
/** C = Aᵀ·A ⇒ Ā += A·(C̄ + C̄ᵀ). */
export function crossprod_adj(
  outAdj: Float64Array,
  A: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  for (let j = 0; j < cols; j++)
    for (let k = 0; k < cols; k++) {
      const g = outAdj[k + j * cols] + outAdj[j + k * cols];
      if (g === 0) continue;
      for (let r = 0; r < rows; r++) AAdj[r + j * rows] += A[r + k * rows] * g;
    }
}

/** out (k×k) = Bᵀ·A·B for A (n×n), B (n×k). Not symmetrised (Stan's quad_form; see quad_form_sym). */
export function quad_form(
  out: Float64Array,
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
): void {
  const AB = work(WS_1, n * k);
  multiply_matrix_matrix(AB, A, B, n, n, k);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += B[r + i * n] * AB[r + j * n];
      out[i + j * k] = s;
    }
}
/** C = Bᵀ·A·B ⇒ Ā += B·C̄·Bᵀ,  B̄ += A·B·C̄ᵀ + Aᵀ·B·C̄. */
export function quad_form_adj(
  outAdj: Float64Array,
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  AAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  // BC = B·C̄ (n×k).
  const BC = work(WS_1, n * k);
  multiply_matrix_matrix(BC, B, outAdj, n, k, k);
  if (AAdj !== null)
    for (let c = 0; c < n; c++)
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += BC[r + j * n] * B[c + j * n];
        AAdj[r + c * n] += s;
      }
  if (BAdj !== null) {
    // B̄ += A·(B·C̄ᵀ) + Aᵀ·(B·C̄).
    const BCt = work(WS_2, n * k);
    BCt.fill(0, 0, n * k);
    for (let j = 0; j < k; j++)
      for (let i = 0; i < k; i++) {
        const g = outAdj[j + i * k]; // C̄ᵀ[i, j]
        for (let r = 0; r < n; r++) BCt[r + j * n] += B[r + i * n] * g;
      }
    for (let j = 0; j < k; j++)
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let c = 0; c < n; c++)
          s += A[r + c * n] * BCt[c + j * n] + A[c + r * n] * BC[c + j * n];
        BAdj[r + j * n] += s;
      }
  }
}

/** vᵀ·A·v for A (n×n). */
export function quad_form_vector(A: Float64Array, v: Float64Array, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += v[i] * A[i + j * n];
    s += col * v[j];
  }
  return s;
}
/** s = vᵀ·A·v ⇒ Ā += s̄·v·vᵀ,  v̄ += s̄·(A + Aᵀ)·v. */
export function quad_form_vector_adj(
  resultAdj: number,
  A: Float64Array,
  v: Float64Array,
  n: number,
  AAdj: Float64Array | null,
  vAdj: Float64Array | null,
): void {
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      if (AAdj !== null) AAdj[i + j * n] += resultAdj * v[i] * v[j];
      if (vAdj !== null) {
        const a = A[i + j * n];
        vAdj[i] += resultAdj * a * v[j];
        vAdj[j] += resultAdj * a * v[i];
      }
    }
}

/** out (cols) = column-wise dot products Σ_i A_ij B_ij (A, B rows×cols). */
export function columns_dot_product(
  out: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += A[i + j * rows] * B[i + j * rows];
    out[j] = s;
  }
}
/** c_j = Σ_i A_ij B_ij ⇒ Ā_ij += c̄_j B_ij,  B̄_ij += c̄_j A_ij. */
export function columns_dot_product_adj(
  outAdj: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++) {
    const g = outAdj[j];
    for (let i = 0; i < rows; i++) {
      const p = i + j * rows;
      if (AAdj !== null) AAdj[p] += g * B[p];
      if (BAdj !== null) BAdj[p] += g * A[p];
    }
  }
}

/** out (rows) = row-wise dot products Σ_j A_ij B_ij (A, B rows×cols). */
export function rows_dot_product(
  out: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  cols: number,
): void {
  out.fill(0, 0, rows);
  for (let j = 0; j < cols; j++)
    for (let i = 0; i < rows; i++) out[i] += A[i + j * rows] * B[i + j * rows];
}
/** r_i = Σ_j A_ij B_ij ⇒ Ā_ij += r̄_i B_ij,  B̄_ij += r̄_i A_ij. */
export function rows_dot_product_adj(
  outAdj: Float64Array,
  A: Float64Array,
  B: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  for (let j = 0; j < cols; j++)
    for (let i = 0; i < rows; i++) {
      const p = i + j * rows;
      const g = outAdj[i];
      if (AAdj !== null) AAdj[p] += g * B[p];
      if (BAdj !== null) BAdj[p] += g * A[p];
    }
}

// ─────────────────────────────────── triangular solves ───────────────────────────────────

/** B ← L⁻¹·B in place (L n×n lower triangular, B n×cols). */
function solveLowerInPlace(L: Float64Array, n: number, B: Float64Array, cols: number): void {
  for (let c = 0; c < cols; c++) {
    const base = c * n;
    for (let i = 0; i < n; i++) {
      let s = B[base + i];
      for (let k = 0; k < i; k++) s -= L[i + k * n] * B[base + k];
      B[base + i] = s / L[i + i * n];
    }
  }
}
/** B ← L⁻ᵀ·B in place (back substitution with the upper-triangular Lᵀ). */
function solveLowerTransposeInPlace(
  L: Float64Array,
  n: number,
  B: Float64Array,
  cols: number,
): void {
  for (let c = 0; c < cols; c++) {
    const base = c * n;
    for (let i = n - 1; i >= 0; i--) {
      let s = B[base + i];
      for (let k = i + 1; k < n; k++) s -= L[k + i * n] * B[base + k];
      B[base + i] = s / L[i + i * n];
    }
  }
}

/** out (n×cols) = L⁻¹·B, L lower triangular n×n (entries above the diagonal are not read). */
export function mdivide_left_tri_low(
  out: Float64Array,
  L: Float64Array,
  B: Float64Array,
  n: number,
  cols: number,
): void {
  copyRange(out, 0, B, 0, n * cols);
  solveLowerInPlace(L, n, out, cols);
}
/** X = L⁻¹·B ⇒ with Y = L⁻ᵀ·X̄:  B̄ += Y,  L̄ += −Y·Xᵀ (lower triangle only). */
export function mdivide_left_tri_low_adj(
  outAdj: Float64Array,
  out: Float64Array,
  L: Float64Array,
  B: Float64Array,
  n: number,
  cols: number,
  LAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  const Y = work(WS_1, n * cols);
  copyRange(Y, 0, outAdj, 0, n * cols);
  solveLowerTransposeInPlace(L, n, Y, cols);
  if (BAdj !== null) for (let p = 0; p < n * cols; p++) BAdj[p] += Y[p];
  if (LAdj !== null)
    for (let j = 0; j < n; j++)
      for (let i = j; i < n; i++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += Y[i + c * n] * out[j + c * n];
        LAdj[i + j * n] -= s;
      }
}

/** out (rows×n) = B·L⁻¹, L lower triangular n×n, B rows×n. */
export function mdivide_right_tri_low(
  out: Float64Array,
  B: Float64Array,
  L: Float64Array,
  rows: number,
  n: number,
): void {
  // Row r of X solves x·L = b, i.e. Lᵀ·xᵀ = bᵀ: back substitution.
  for (let r = 0; r < rows; r++)
    for (let i = n - 1; i >= 0; i--) {
      let s = B[r + i * rows];
      for (let k = i + 1; k < n; k++) s -= L[k + i * n] * out[r + k * rows];
      out[r + i * rows] = s / L[i + i * n];
    }
}
/** X = B·L⁻¹ ⇒ with Y = X̄·L⁻ᵀ:  B̄ += Y,  L̄ += −Xᵀ·Y (lower triangle only). */
export function mdivide_right_tri_low_adj(
  outAdj: Float64Array,
  out: Float64Array,
  B: Float64Array,
  L: Float64Array,
  rows: number,
  n: number,
  BAdj: Float64Array | null,
  LAdj: Float64Array | null,
): void {
  // Row r of Y solves y·Lᵀ = x̄, i.e. L·yᵀ = x̄ᵀ: forward substitution.
  const Y = work(WS_1, rows * n);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < n; i++) {
      let s = outAdj[r + i * rows];
      for (let k = 0; k < i; k++) s -= L[i + k * n] * Y[r + k * rows];
      Y[r + i * rows] = s / L[i + i * n];
    }
  if (BAdj !== null) for (let p = 0; p < rows * n; p++) BAdj[p] += Y[p];
  if (LAdj !== null)
    for (let j = 0; j < n; j++)
      for (let i = j; i < n; i++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += out[r + i * rows] * Y[r + j * rows];
        LAdj[i + j * n] -= s;
      }
}

// ─────────────────────────────────────── Cholesky ───────────────────────────────────────

/**
 * out = L with A = L·Lᵀ (A n×n symmetric positive definite; L lower triangular, zeros above).
 * Throws Stan's errors for a non-symmetric (beyond 1e-8) or non-positive-definite A.
 */
export function cholesky_decompose(out: Float64Array, A: Float64Array, n: number): void {
  for (let j = 0; j < n; j++)
    for (let i = j + 1; i < n; i++) {
      const a = A[i + j * n];
      const b = A[j + i * n];
      if (!(Math.abs(a - b) <= SYMMETRY_TOLERANCE))
        throw new StanDomainError(
          `cholesky_decompose: Matrix m is not symmetric. m[${j + 1},${i + 1}] = ${b}, but m[${i + 1},${j + 1}] = ${a}`,
        );
    }
  for (let j = 0; j < n; j++) {
    let d = A[j + j * n];
    for (let k = 0; k < j; k++) d -= out[j + k * n] * out[j + k * n];
    if (!(d > 0) || !Number.isFinite(d))
      throw new StanDomainError("cholesky_decompose: Matrix m is not positive definite");
    const ljj = Math.sqrt(d);
    out[j + j * n] = ljj;
    for (let i = 0; i < j; i++) out[i + j * n] = 0;
    for (let i = j + 1; i < n; i++) {
      let s = A[i + j * n];
      for (let k = 0; k < j; k++) s -= out[i + k * n] * out[j + k * n];
      out[i + j * n] = s / ljj;
    }
  }
}
/**
 * A = L·Lᵀ ⇒ with P = Φ(Lᵀ·L̄) (Φ keeps the lower triangle and halves the diagonal; L̄ is read on
 * its lower triangle) and G = L⁻ᵀ·P·L⁻¹:  Ā += ½(G + Gᵀ).
 * Derivation: dL = L·Φ(L⁻¹·dA·L⁻ᵀ), Φ is self-adjoint, so ⟨L̄, dL⟩ = ⟨G, dA⟩; A is symmetric, so the
 * gradient is split evenly between A[i,j] and A[j,i] (the adjoint for symmetric perturbations).
 */
export function cholesky_decompose_adj(
  outAdj: Float64Array,
  out: Float64Array,
  A: Float64Array,
  n: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  const L = out;
  // W = Pᵀ, then W ← L⁻ᵀ·Pᵀ = (P·L⁻¹)ᵀ.
  const W = work(WS_1, n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      // P[i,j] for i ≥ j: Σ_k L[k,i] L̄[k,j] over k ≥ i (both lower triangular).
      let p = 0;
      if (i >= j) {
        for (let k = i; k < n; k++) p += L[k + i * n] * outAdj[k + j * n];
        if (i === j) p *= 0.5;
      }
      W[j + i * n] = p;
    }
  solveLowerTransposeInPlace(L, n, W, n);
  // G = L⁻ᵀ·(P·L⁻¹) = L⁻ᵀ·Wᵀ.
  const G = work(WS_2, n * n);
  transpose(G, W, n, n);
  solveLowerTransposeInPlace(L, n, G, n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) AAdj[i + j * n] += 0.5 * (G[i + j * n] + G[j + i * n]);
}

// ─────────────────────────────── inverse and determinants (LU) ───────────────────────────────

/**
 * LU factorisation with partial pivoting of A (n×n) into `LU` (unit-lower L below the diagonal, U on
 * and above), row permutation in `pivot`. Returns the permutation's sign, or 0 if A is singular.
 */
function luFactor(LU: Float64Array, pivot: Float64Array, A: Float64Array, n: number): number {
  copyRange(LU, 0, A, 0, n * n);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(LU[k + k * n]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(LU[i + k * n]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivot[k] = p;
    if (!(best > 0)) return 0;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = LU[k + j * n];
        LU[k + j * n] = LU[p + j * n];
        LU[p + j * n] = t;
      }
    }
    const d = LU[k + k * n];
    for (let i = k + 1; i < n; i++) LU[i + k * n] /= d;
    for (let j = k + 1; j < n; j++) {
      const u = LU[k + j * n];
      if (u === 0) continue;
      for (let i = k + 1; i < n; i++) LU[i + j * n] -= LU[i + k * n] * u;
    }
  }
  return sign;
}

/** out ← A⁻¹ from an LU factorisation. */
function luInverse(out: Float64Array, LU: Float64Array, pivot: Float64Array, n: number): void {
  out.fill(0, 0, n * n);
  for (let c = 0; c < n; c++) {
    // Column c of P·I, solved with L then U.
    const base = c * n;
    out[base + c] = 1;
    for (let k = 0; k < n; k++) {
      const p = pivot[k];
      if (p !== k) {
        const t = out[base + k];
        out[base + k] = out[base + p];
        out[base + p] = t;
      }
    }
    for (let i = 0; i < n; i++) {
      let s = out[base + i];
      for (let k = 0; k < i; k++) s -= LU[i + k * n] * out[base + k];
      out[base + i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = out[base + i];
      for (let k = i + 1; k < n; k++) s -= LU[i + k * n] * out[base + k];
      out[base + i] = s / LU[i + i * n];
    }
  }
}

/** out = A⁻¹ (A n×n). Throws StanDomainError if A is singular. */
export function inverse(out: Float64Array, A: Float64Array, n: number): void {
  const LU = work(WS_1, n * n);
  const pivot = work(WS_PIVOT, n);
  if (luFactor(LU, pivot, A, n) === 0) throw new StanDomainError("inverse: Matrix m is singular");
  luInverse(out, LU, pivot, n);
}
/** C = A⁻¹ ⇒ Ā += −Cᵀ·C̄·Cᵀ. */
export function inverse_adj(
  outAdj: Float64Array,
  out: Float64Array,
  A: Float64Array,
  n: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  // T = C̄·Cᵀ, then Ā −= Cᵀ·T.
  const Tm = work(WS_1, n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += outAdj[i + k * n] * out[j + k * n];
      Tm[i + j * n] = s;
    }
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += out[k + i * n] * Tm[k + j * n];
      AAdj[i + j * n] -= s;
    }
}

/** log |det A| (A n×n); −∞ for a singular A. */
export function log_determinant(A: Float64Array, n: number): number {
  const LU = work(WS_1, n * n);
  const pivot = work(WS_PIVOT, n);
  if (luFactor(LU, pivot, A, n) === 0) return -Infinity;
  let s = 0;
  for (let k = 0; k < n; k++) s += log(Math.abs(LU[k + k * n]));
  return s;
}
/** s = log |det A| ⇒ Ā += s̄·A⁻ᵀ. Throws StanDomainError if A is singular. */
export function log_determinant_adj(
  resultAdj: number,
  A: Float64Array,
  n: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  const Ainv = work(WS_2, n * n);
  inverse(Ainv, A, n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) AAdj[i + j * n] += resultAdj * Ainv[j + i * n];
}

/** det A (A n×n). */
export function determinant(A: Float64Array, n: number): number {
  const LU = work(WS_1, n * n);
  const pivot = work(WS_PIVOT, n);
  const sign = luFactor(LU, pivot, A, n);
  if (sign === 0) return 0;
  let d = sign;
  for (let k = 0; k < n; k++) d *= LU[k + k * n];
  return d;
}
/** d = det A ⇒ Ā += d̄·d·A⁻ᵀ. Throws StanDomainError if A is singular. */
export function determinant_adj(
  resultAdj: number,
  A: Float64Array,
  n: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  const d = determinant(A, n);
  const Ainv = work(WS_2, n * n);
  inverse(Ainv, A, n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) AAdj[i + j * n] += resultAdj * d * Ainv[j + i * n];
}

// ───────────────────────────────── quadratic forms with a diagonal / symmetric ─────────────────────────────────

/** out (n×n) = diag(v)·M·diag(v), i.e. out_ij = v_i M_ij v_j. */
export function quad_form_diag(
  out: Float64Array,
  M: Float64Array,
  v: Float64Array,
  n: number,
): void {
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) out[i + j * n] = v[i] * M[i + j * n] * v[j];
}
/** C_ij = v_i M_ij v_j ⇒ M̄_ij += C̄_ij v_i v_j,  v̄_i += Σ_j C̄_ij M_ij v_j,  v̄_j += Σ_i C̄_ij v_i M_ij. */
export function quad_form_diag_adj(
  outAdj: Float64Array,
  M: Float64Array,
  v: Float64Array,
  n: number,
  MAdj: Float64Array | null,
  vAdj: Float64Array | null,
): void {
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const p = i + j * n;
      const g = outAdj[p];
      if (MAdj !== null) MAdj[p] += g * v[i] * v[j];
      if (vAdj !== null) {
        vAdj[i] += g * M[p] * v[j];
        vAdj[j] += g * v[i] * M[p];
      }
    }
}

/**
 * out (k×k) = Bᵀ·A·B made exactly symmetric (Stan's quad_form_sym; A n×n must be symmetric within
 * 1e-8), B n×k.
 */
export function quad_form_sym(
  out: Float64Array,
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
): void {
  for (let j = 0; j < n; j++)
    for (let i = j + 1; i < n; i++)
      if (!(Math.abs(A[i + j * n] - A[j + i * n]) <= SYMMETRY_TOLERANCE))
        throw new StanDomainError(
          `quad_form_sym: Matrix A is not symmetric. A[${j + 1},${i + 1}] = ${A[j + i * n]}, but A[${i + 1},${j + 1}] = ${A[i + j * n]}`,
        );
  quad_form(out, A, B, n, k);
  for (let j = 0; j < k; j++)
    for (let i = j + 1; i < k; i++) {
      const s = 0.5 * (out[i + j * k] + out[j + i * k]);
      out[i + j * k] = s;
      out[j + i * k] = s;
    }
}
/** C = sym(Bᵀ·A·B) ⇒ with S = ½(C̄ + C̄ᵀ):  Ā += B·S·Bᵀ,  B̄ += (A + Aᵀ)·B·S. */
export function quad_form_sym_adj(
  outAdj: Float64Array,
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  AAdj: Float64Array | null,
  BAdj: Float64Array | null,
): void {
  const S = work(WS_SYM, k * k);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < k; i++) S[i + j * k] = 0.5 * (outAdj[i + j * k] + outAdj[j + i * k]);
  quad_form_adj(S, A, B, n, k, AAdj, BAdj);
}

/** Σ_i M_ii for M n×n. */
export function trace(M: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += M[i + i * n];
  return s;
}
/** t = Σ M_ii ⇒ M̄_ii += t̄. */
export function trace_adj(
  resultAdj: number,
  M: Float64Array,
  n: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  for (let i = 0; i < n; i++) MAdj[i + i * n] += resultAdj;
}

/** out (min(rows, cols)) = the diagonal of M (rows×cols). */
export function diagonal(out: Float64Array, M: Float64Array, rows: number, cols: number): void {
  const k = Math.min(rows, cols);
  for (let i = 0; i < k; i++) out[i] = M[i + i * rows];
}
/** d_i = M_ii ⇒ M̄_ii += d̄_i. */
export function diagonal_adj(
  outAdj: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  MAdj: Float64Array | null,
): void {
  if (MAdj === null) return;
  const k = Math.min(rows, cols);
  for (let i = 0; i < k; i++) MAdj[i + i * rows] += outAdj[i];
}

/** out (n×n) = M + diag(d), d a vector of length n. */
export function add_diag(out: Float64Array, M: Float64Array, d: Float64Array, n: number): void {
  copyRange(out, 0, M, 0, n * n);
  for (let i = 0; i < n; i++) out[i + i * n] += d[i];
}
/** C = M + diag(d) ⇒ M̄ += C̄,  d̄_i += C̄_ii. */
export function add_diag_adj(
  outAdj: Float64Array,
  M: Float64Array,
  d: Float64Array,
  n: number,
  MAdj: Float64Array | null,
  dAdj: Float64Array | null,
): void {
  if (MAdj !== null) for (let p = 0; p < n * n; p++) MAdj[p] += outAdj[p];
  if (dAdj !== null) for (let i = 0; i < n; i++) dAdj[i] += outAdj[i + i * n];
}

/** out (n×n) = M + s·I. */
export function add_diag_scalar(out: Float64Array, M: Float64Array, s: number, n: number): void {
  copyRange(out, 0, M, 0, n * n);
  for (let i = 0; i < n; i++) out[i + i * n] += s;
}
/** C = M + s·I ⇒ M̄ += C̄,  s̄ += Σ_i C̄_ii. */
export function add_diag_scalar_adj(
  outAdj: Float64Array,
  M: Float64Array,
  s: number,
  n: number,
  MAdj: Float64Array | null,
  sAdj: Float64Array | null,
): void {
  if (MAdj !== null) for (let p = 0; p < n * n; p++) MAdj[p] += outAdj[p];
  if (sAdj !== null) for (let i = 0; i < n; i++) sAdj[0] += outAdj[i + i * n];
}

// ─────────────────────────────────────────── thin QR ───────────────────────────────────────────
// A (m×n) = Q·R with k = min(m, n): Q m×k with orthonormal columns, R k×n upper triangular with a
// nonnegative diagonal (Stan's sign convention, which makes the factorisation unique for full rank).

/** Householder QR of A into Q (m×k) and R (k×n), signs fixed so that R_ii ≥ 0. */
function qrThin(Q: Float64Array, R: Float64Array, A: Float64Array, m: number, n: number): void {
  const k = Math.min(m, n);
  qrFactor(Q, R, A, m, n, k, k);
}

/**
 * Householder QR of A (m×n) into Q (m×qCols) and R (rRows×n): qCols = rRows = min(m, n) for the thin
 * factors, m for the full ones (Q square, R padded with zero rows). The first min(m, n) diagonal
 * entries of R are made nonnegative, flipping the matching columns of Q (Stan's convention).
 */
function qrFactor(
  Q: Float64Array,
  R: Float64Array,
  A: Float64Array,
  m: number,
  n: number,
  qCols: number,
  rRows: number,
): void {
  const k = Math.min(m, n);
  const W = work(WS_QR, m * n); // A overwritten by R above the diagonal and reflectors below
  const tau = work(WS_PIVOT, k);
  copyRange(W, 0, A, 0, m * n);
  for (let j = 0; j < k; j++) {
    // Reflector H = I − τ·u·uᵀ with u = (1, W[j+1…m−1, j]) that maps column j to (β, 0, …, 0).
    let norm2 = 0;
    for (let i = j + 1; i < m; i++) norm2 += W[i + j * m] * W[i + j * m];
    const alpha = W[j + j * m];
    if (norm2 === 0) {
      tau[j] = 0;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + norm2);
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) W[i + j * m] *= scale;
    W[j + j * m] = beta;
    for (let c = j + 1; c < n; c++) {
      let s = W[j + c * m];
      for (let i = j + 1; i < m; i++) s += W[i + j * m] * W[i + c * m];
      s *= tau[j];
      W[j + c * m] -= s;
      for (let i = j + 1; i < m; i++) W[i + c * m] -= s * W[i + j * m];
    }
  }
  // R: upper part of W's first rRows rows (rows k and below, in the full factor, are zero).
  for (let c = 0; c < n; c++)
    for (let r = 0; r < rRows; r++) R[r + c * rRows] = r <= c && r < k ? W[r + c * m] : 0;
  // Q: the reflectors applied (last first) to the first qCols columns of the identity.
  Q.fill(0, 0, m * qCols);
  for (let c = 0; c < qCols; c++) Q[c + c * m] = 1;
  for (let j = k - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    for (let c = 0; c < qCols; c++) {
      let s = Q[j + c * m];
      for (let i = j + 1; i < m; i++) s += W[i + j * m] * Q[i + c * m];
      s *= tau[j];
      Q[j + c * m] -= s;
      for (let i = j + 1; i < m; i++) Q[i + c * m] -= s * W[i + j * m];
    }
  }
  for (let r = 0; r < k; r++)
    if (R[r + r * rRows] < 0) {
      for (let c = r; c < n; c++) R[r + c * rRows] = -R[r + c * rRows];
      for (let i = 0; i < m; i++) Q[i + r * m] = -Q[i + r * m];
    }
}

/**
 * Adjoint of A = Q·R for given Q̄ (m×k) and R̄ (k×n), either may be null (= 0).
 * Square or tall (m ≥ n): with M = R·R̄ᵀ − Q̄ᵀ·Q and copyltu(M) the symmetric matrix built from M's
 * lower triangle,  Ā += (Q̄ + Q·copyltu(M))·R⁻ᵀ.
 * Wide (m < n): split A = [X | Y], R = [R₁ | R₂] with X = Q·R₁ square; then Ȳ += Q·R̄₂ and X̄ is the
 * square rule with Q̄ + Y·R̄₂ᵀ in place of Q̄ and R̄₁ in place of R̄.
 */
function qrThinAdjoint(
  QAdj: Float64Array | null,
  RAdj: Float64Array | null,
  Q: Float64Array,
  R: Float64Array,
  A: Float64Array,
  m: number,
  n: number,
  AAdj: Float64Array,
): void {
  const k = Math.min(m, n);
  // Qb = effective Q̄ (m×k); for the wide case it absorbs Y·R̄₂ᵀ and Ȳ is accumulated directly.
  const Qb = work(WS_1, m * k);
  if (QAdj !== null) copyRange(Qb, 0, QAdj, 0, m * k);
  else Qb.fill(0, 0, m * k);
  if (n > m && RAdj !== null)
    for (let c = m; c < n; c++)
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += Q[i + r * m] * RAdj[r + c * k];
        AAdj[i + c * m] += s;
        for (let r = 0; r < k; r++) Qb[i + r * m] += A[i + c * m] * RAdj[r + c * k];
      }
  // M = R₁·R̄₁ᵀ − Qbᵀ·Q (k×k), R₁ = first k columns of R.
  const Mm = work(WS_2, k * k);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < k; i++) {
      let s = 0;
      if (RAdj !== null) for (let c = 0; c < k; c++) s += R[i + c * k] * RAdj[j + c * k];
      for (let r = 0; r < m; r++) s -= Qb[r + i * m] * Q[r + j * m];
      Mm[i + j * k] = s;
    }
  // B = Qb + Q·copyltu(M), stored in Qb.
  for (let c = 0; c < k; c++)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += Q[i + r * m] * (r >= c ? Mm[r + c * k] : Mm[c + r * k]);
      Qb[i + c * m] += s;
    }
  // X̄ += B·R₁⁻ᵀ: each row x solves x·R₁ᵀ = b (back substitution, R₁ upper triangular).
  for (let i = 0; i < m; i++)
    for (let j = k - 1; j >= 0; j--) {
      let s = Qb[i + j * m];
      for (let l = j + 1; l < k; l++) s -= Qb[i + l * m] * R[j + l * k];
      Qb[i + j * m] = s / R[j + j * k];
      AAdj[i + j * m] += Qb[i + j * m];
    }
}

/** out (m×min(m,n)) = Q of the thin QR decomposition of A (m×n), Stan's sign convention. */
export function qr_thin_Q(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  const k = Math.min(rows, cols);
  qrThin(out, work(WS_QR_R, k * cols), A, rows, cols);
}
/** See `qrThinAdjoint` (with R̄ = 0). */
export function qr_thin_Q_adj(
  outAdj: Float64Array,
  out: Float64Array,
  A: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  const k = Math.min(rows, cols);
  const R = work(WS_QR_R, k * cols);
  const Q = work(WS_QR_Q, rows * k);
  qrThin(Q, R, A, rows, cols);
  qrThinAdjoint(outAdj, null, Q, R, A, rows, cols, AAdj);
}

/** out (min(m,n)×n) = R of the thin QR decomposition of A (m×n), with a nonnegative diagonal. */
export function qr_thin_R(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  const k = Math.min(rows, cols);
  qrThin(work(WS_QR_Q, rows * k), out, A, rows, cols);
}
/** See `qrThinAdjoint` (with Q̄ = 0). */
export function qr_thin_R_adj(
  outAdj: Float64Array,
  out: Float64Array,
  A: Float64Array,
  rows: number,
  cols: number,
  AAdj: Float64Array | null,
): void {
  if (AAdj === null) return;
  const k = Math.min(rows, cols);
  const R = work(WS_QR_R, k * cols);
  const Q = work(WS_QR_Q, rows * k);
  qrThin(Q, R, A, rows, cols);
  qrThinAdjoint(null, outAdj, Q, R, A, rows, cols, AAdj);
}

/** out (m×m) = Q of the full QR decomposition of A (m×n), Stan's sign convention (value only). */
export function qr_Q(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  qrFactor(out, work(WS_QR_R, rows * cols), A, rows, cols, rows, rows);
}

/** out (m×n) = R of the full QR decomposition of A (m×n): zero below row min(m, n) (value only). */
export function qr_R(out: Float64Array, A: Float64Array, rows: number, cols: number): void {
  qrFactor(work(WS_QR_Q, rows * rows), out, A, rows, cols, rows, rows);
}
