/**
 * Sweeps for the accuracy tests: draw arguments from a seeded generator, compare each result with
 * the double-double reference (error in ulps of the exact value) and with Math (ulps apart).
 */
import { type DD, ldexp, type ScaledDD, seededUniform, ulpError, ulpsApart } from "./reference";

export interface SweepResult {
  /** Largest error against the reference, in ulps, and the argument(s) where it occurred. */
  maxUlp: number;
  worst: number[];
  /** Largest distance to Math's result, in ulps, and how many results differ from Math's at all. */
  maxApartFromMath: number;
  worstVsMath: number[];
  differFromMath: number;
  /** Math's own largest error against the reference (where Math is more than 1 ulp off, the two may be 2 apart). */
  mathMaxUlp: number;
  mathWorst: number[];
  /** Arguments where ours and Math's are more than 1 ulp apart although Math's own error is within 1 ulp. */
  unexplainedDisagreements: number[][];
  count: number;
}

/** Argument generators on a uniform source u() ∈ [0, 1). */
export type Draw = (u: () => number) => number;

export const uniform =
  (a: number, b: number): Draw =>
  (u) =>
    a + (b - a) * u();

/** |x| log-uniform in [lo, hi] (exponents drawn uniformly, mantissa random), positive. */
export const logUniform =
  (lo: number, hi: number): Draw =>
  (u) => {
    const a = Math.log2(lo);
    const b = Math.log2(hi);
    const e = Math.floor(a + (b - a) * u());
    return Math.min(hi, Math.max(lo, ldexp(1 + u(), e)));
  };

export const signed =
  (draw: Draw): Draw =>
  (u) =>
    u() < 0.5 ? -draw(u) : draw(u);

export function sweep(
  count: number,
  seed: number,
  draw: (u: () => number) => number[],
  f: (...a: number[]) => number,
  reference: (...a: number[]) => DD | ScaledDD,
  math: (...a: number[]) => number,
): SweepResult {
  const u = seededUniform(seed);
  const result: SweepResult = {
    maxUlp: 0,
    worst: [],
    maxApartFromMath: 0,
    worstVsMath: [],
    differFromMath: 0,
    mathMaxUlp: 0,
    mathWorst: [],
    unexplainedDisagreements: [],
    count,
  };
  for (let i = 0; i < count; i++) {
    const args = draw(u);
    const value = f(...args);
    const exact = reference(...args);
    const error = ulpError(value, exact);
    if (!(error <= result.maxUlp)) {
      result.maxUlp = error;
      result.worst = args;
    }
    const mathValue = math(...args);
    const mathError = ulpError(mathValue, exact);
    if (!(mathError <= result.mathMaxUlp)) {
      result.mathMaxUlp = mathError;
      result.mathWorst = args;
    }
    const apart = ulpsApart(value, mathValue);
    if (apart > 0) result.differFromMath++;
    if (apart > 1 && mathError <= 1) result.unexplainedDisagreements.push(args);
    if (!(apart <= result.maxApartFromMath)) {
      result.maxApartFromMath = apart;
      result.worstVsMath = args;
    }
  }
  return result;
}

export const unaryDraw =
  (...draws: Draw[]) =>
  (u: () => number): number[] => [draws[Math.floor(u() * draws.length)](u)];

/** A one-line summary for the test log and the report. */
export function describeSweep(name: string, r: SweepResult): string {
  return `${name}: ${r.count} args, max error ${r.maxUlp.toFixed(4)} ulp at (${r.worst.join(", ")}); vs Math: ${r.differFromMath} differ, max ${r.maxApartFromMath} ulp at (${r.worstVsMath.join(", ")}); Math's own max error ${r.mathMaxUlp.toFixed(3)} ulp at (${r.mathWorst.join(", ")})`;
}

/**
 * The largest error each function may show, in ulps: 0.5 ulp plus the core's tiny error for normal
 * results; exp, pow and hypot round a subnormal result twice (to 53 bits, then to the subnormal
 * grid), which costs up to a quarter ulp more.
 */
export const ERROR_BOUND: Record<string, number> = { exp: 0.76, pow: 0.76, hypot: 0.76 };
export const DEFAULT_ERROR_BOUND = 0.51;
