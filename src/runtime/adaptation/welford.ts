/** Welford's streaming per-coordinate variance (Stan Math `welford_var_estimator`). */
export class WelfordVariance {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  get numSamples(): number {
    return this.count;
  }

  restart(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }

  add(q: Float64Array): void {
    this.count++;
    const n = this.count;
    for (let i = 0; i < this.dim; i++) {
      const delta = q[i] - this.mean[i];
      this.mean[i] += delta / n;
      this.m2[i] += delta * (q[i] - this.mean[i]);
    }
  }

  /** Sample variance (n − 1 divisor) into `out`; leaves `out` untouched when n ≤ 1. */
  sampleVariance(out: Float64Array): void {
    if (this.count <= 1) return;
    for (let i = 0; i < this.dim; i++) out[i] = this.m2[i] / (this.count - 1);
  }
}

/** Welford's streaming covariance, row-major D×D (Stan Math `welford_covar_estimator`). */
export class WelfordCovariance {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
    this.delta = new Float64Array(dim);
  }

  get numSamples(): number {
    return this.count;
  }

  restart(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }

  add(q: Float64Array): void {
    this.count++;
    const n = this.count;
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      this.delta[i] = q[i] - this.mean[i];
      this.mean[i] += this.delta[i] / n;
    }
    // m2 += (q − new mean)·deltaᵀ, as Stan Math does.
    for (let i = 0; i < d; i++) {
      const after = q[i] - this.mean[i];
      for (let j = 0; j < d; j++) this.m2[i * d + j] += after * this.delta[j];
    }
  }

  sampleCovariance(out: Float64Array): void {
    if (this.count <= 1) return;
    const scale = 1 / (this.count - 1);
    for (let k = 0; k < this.m2.length; k++) out[k] = this.m2[k] * scale;
  }
}
