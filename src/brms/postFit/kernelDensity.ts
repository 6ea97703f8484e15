/**
 * Gaussian kernel density as bayesplot draws it (ggplot2's stat_density → R's density() with
 * bw = "nrd0", trim = FALSE): Silverman's rule-of-thumb bandwidth, evaluated on an even grid from
 * 3 bandwidths below the smallest value to 3 above the largest. R bins the data and convolves by
 * FFT; this sums the kernels exactly, which differs from R by its binning error only.
 */
import { exp, pow } from "../../runtime/math/elementary";
import { quantile7 } from "./summaries";

/** R's bw.nrd0: 0.9 · min(sd, IQR / 1.34) · n^(−1/5), falling back as R does when the spread is zero. */
export function bandwidthNrd0(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const iqr = (quantile7(x, 0.75) - quantile7(x, 0.25)) / 1.34;
  let lo = Math.min(sd, iqr);
  if (!(lo > 0)) lo = sd > 0 ? sd : Math.abs(x[0]) > 0 ? Math.abs(x[0]) : 1;
  return 0.9 * lo * pow(n, -0.2);
}

export function kernelDensity(x: ArrayLike<number>, points = 512): { value: number; density: number }[] {
  const finite = Float64Array.from(x).filter(Number.isFinite);
  const bw = bandwidthNrd0(finite);
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const from = min - 3 * bw;
  const to = max + 3 * bw;
  const norm = 1 / (finite.length * bw * Math.sqrt(2 * Math.PI));
  return Array.from({ length: points }, (_, k) => {
    const at = from + ((to - from) * k) / (points - 1);
    let sum = 0;
    for (const v of finite) {
      const z = (at - v) / bw;
      if (z > -8 && z < 8) sum += exp(-0.5 * z * z);
    }
    return { value: at, density: sum * norm };
  });
}
