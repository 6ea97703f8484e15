import type { Rng } from "../model";

export type MetricKind = "unit" | "diag" | "dense";

/**
 * The Euclidean metric of the Hamiltonian: kinetic energy ½·pᵀ·Minv·p, its gradient p♯ = Minv·p,
 * and momentum draws p ~ N(0, Minv⁻¹) (sampler spec §1.3). Minv is what Stan adapts and prints.
 */
export class EuclideanMetric {
  readonly dim: number;
  /** Diagonal: length D. Dense: D×D row-major. Unit: all ones, length D (kept for output). */
  readonly inverseMetric: Float64Array;
  /** Dense only: lower Cholesky factor of Minv, row-major. */
  private readonly choleskyLower: Float64Array;
  private readonly normals: Float64Array;

  constructor(
    readonly kind: MetricKind,
    dim: number,
  ) {
    this.dim = dim;
    this.inverseMetric = new Float64Array(kind === "dense" ? dim * dim : dim);
    this.choleskyLower = new Float64Array(kind === "dense" ? dim * dim : 0);
    this.normals = new Float64Array(dim);
    this.setIdentity();
  }

  setIdentity(): void {
    const d = this.dim;
    this.inverseMetric.fill(0);
    if (this.kind === "dense") {
      for (let i = 0; i < d; i++) this.inverseMetric[i * d + i] = 1;
    } else {
      this.inverseMetric.fill(1);
    }
    this.refactor();
  }

  /** Replaces Minv (same layout as `inverseMetric`). Throws if a dense Minv is not positive definite. */
  setInverseMetric(values: ArrayLike<number>): void {
    if (values.length !== this.inverseMetric.length) {
      throw new RangeError(
        `inverse metric needs ${this.inverseMetric.length} values for a ${this.kind} metric of dimension ${this.dim}, got ${values.length}`,
      );
    }
    if (this.kind === "unit") return;
    this.inverseMetric.set(values);
    this.refactor();
  }

  /** Recomputes the Cholesky factor after `inverseMetric` changed in place. */
  refactor(): void {
    if (this.kind !== "dense") return;
    const d = this.dim;
    const a = this.inverseMetric;
    const l = this.choleskyLower;
    l.fill(0);
    for (let j = 0; j < d; j++) {
      let diag = a[j * d + j];
      for (let k = 0; k < j; k++) diag -= l[j * d + k] * l[j * d + k];
      if (!(diag > 0)) throw new Error("Inverse metric is not positive definite.");
      const ljj = Math.sqrt(diag);
      l[j * d + j] = ljj;
      for (let i = j + 1; i < d; i++) {
        let sum = a[i * d + j];
        for (let k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
        l[i * d + j] = sum / ljj;
      }
    }
  }

  /** Result of the last `computeKineticEnergy` (a field, so the hot loop passes no boxed doubles). */
  lastKineticEnergy = NaN;

  /** ½·pᵀ·Minv·p. */
  kineticEnergy(p: Float64Array): number {
    this.computeKineticEnergy(p);
    return this.lastKineticEnergy;
  }

  /** ½·pᵀ·Minv·p into `lastKineticEnergy`. */
  computeKineticEnergy(p: Float64Array): void {
    const d = this.dim;
    const m = this.inverseMetric;
    let sum = 0;
    switch (this.kind) {
      case "unit":
        for (let i = 0; i < d; i++) sum += p[i] * p[i];
        break;
      case "diag":
        for (let i = 0; i < d; i++) sum += m[i] * p[i] * p[i];
        break;
      case "dense":
        for (let i = 0; i < d; i++) {
          let row = 0;
          for (let j = 0; j < d; j++) row += m[i * d + j] * p[j];
          sum += p[i] * row;
        }
        break;
    }
    this.lastKineticEnergy = 0.5 * sum;
  }

  /** p♯ = Minv·p (Stan's dtau_dp), written into `out`. */
  velocity(p: Float64Array, out: Float64Array): void {
    const d = this.dim;
    const m = this.inverseMetric;
    switch (this.kind) {
      case "unit":
        for (let i = 0; i < d; i++) out[i] = p[i];
        break;
      case "diag":
        for (let i = 0; i < d; i++) out[i] = m[i] * p[i];
        break;
      case "dense":
        for (let i = 0; i < d; i++) {
          let row = 0;
          for (let j = 0; j < d; j++) row += m[i * d + j] * p[j];
          out[i] = row;
        }
        break;
    }
  }

  /** Draws p with covariance Minv⁻¹ from D standard normals, in coordinate order. */
  sampleMomentum(rng: Rng, p: Float64Array): void {
    const d = this.dim;
    const z = this.normals;
    const bulk = rng as Partial<{ fillNormals(out: Float64Array, count: number): void }>;
    if (bulk.fillNormals) bulk.fillNormals(z, d);
    else for (let i = 0; i < d; i++) z[i] = rng.normal();
    switch (this.kind) {
      case "unit":
        for (let i = 0; i < d; i++) p[i] = z[i];
        break;
      case "diag":
        for (let i = 0; i < d; i++) p[i] = z[i] / Math.sqrt(this.inverseMetric[i]);
        break;
      case "dense": {
        // Solve Lᵀ·p = z by back substitution, L = chol(Minv): then Cov(p) = (L·Lᵀ)⁻¹.
        const l = this.choleskyLower;
        for (let i = d - 1; i >= 0; i--) {
          let sum = z[i];
          for (let k = i + 1; k < d; k++) sum -= l[k * d + i] * p[k];
          p[i] = sum / l[i * d + i];
        }
        break;
      }
    }
  }
}
