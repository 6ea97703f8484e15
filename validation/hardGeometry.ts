/**
 * Data and exact answers for the hard-geometry checks (used by test/validation/hardGeometry.slow.test.ts).
 */
import { Random } from "../scripts/random";

export interface ScaledRegression {
  data: { N: number; x: number[]; y: number[]; sigma: number };
  /** Exact posterior (flat priors, known sigma): least squares and sigma^2 (X'X)^-1. */
  mean: { alpha: number; beta: number };
  sd: { alpha: number; beta: number };
  correlation: number;
}

/** N points with x uniform on [3000, 5000], y = 2.5 + 0.0015 x + N(0, sigma). */
export function scaledRegression(seed = 4000, n = 40, sigma = 0.5): ScaledRegression {
  const rng = new Random(seed);
  const x = Array.from({ length: n }, () => rng.uniformRange(3000, 5000));
  const y = x.map((xi) => 2.5 + 0.0015 * xi + rng.normal(0, sigma));
  let sx = 0;
  let sxx = 0;
  let sy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sxx += x[i] * x[i];
    sy += y[i];
    sxy += x[i] * y[i];
  }
  // (X'X) = [[n, sx], [sx, sxx]]; its inverse times sigma^2 is the posterior covariance.
  const det = n * sxx - sx * sx;
  const beta = (n * sxy - sx * sy) / det;
  const alpha = (sy - beta * sx) / n;
  const varAlpha = (sigma * sigma * sxx) / det;
  const varBeta = (sigma * sigma * n) / det;
  const cov = (-sigma * sigma * sx) / det;
  return {
    data: { N: n, x, y, sigma },
    mean: { alpha, beta },
    sd: { alpha: Math.sqrt(varAlpha), beta: Math.sqrt(varBeta) },
    correlation: cov / Math.sqrt(varAlpha * varBeta),
  };
}
