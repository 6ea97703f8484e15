import { SamplingError } from "../model";
import type { MetricKind } from "../nuts/metric";
import { type AdaptationCompat, DEFAULT_WINDOWS, type WindowSettings, WindowSchedule } from "./windowSchedule";
import { WelfordCovariance, WelfordVariance } from "./welford";

/**
 * Windowed estimation of the inverse metric (spec §3.3): collects warmup draws inside the
 * schedule's windows and, when a window closes, replaces Minv by the regularised estimate
 * (n/(n+5))·est + 1e-3·(5/(n+5))·I.
 */
export class MetricAdaptation {
  readonly schedule: WindowSchedule;
  private readonly variance: WelfordVariance | null;
  private readonly covariance: WelfordCovariance | null;
  private readonly estimate: Float64Array;

  constructor(
    readonly kind: MetricKind,
    readonly dim: number,
    numWarmup: number,
    settings: WindowSettings = DEFAULT_WINDOWS,
    compat: AdaptationCompat = "intended",
  ) {
    this.schedule = new WindowSchedule(numWarmup, settings, compat);
    this.variance = kind === "diag" ? new WelfordVariance(dim) : null;
    this.covariance = kind === "dense" ? new WelfordCovariance(dim) : null;
    this.estimate = new Float64Array(kind === "dense" ? dim * dim : dim);
  }

  /**
   * Feeds the draw `q` of the current warmup iteration. When a window closes, writes the new
   * Minv into `inverseMetric` (same layout as the metric's) and returns true.
   */
  learn(q: Float64Array, inverseMetric: Float64Array): boolean {
    const schedule = this.schedule;
    if (this.kind === "unit") {
      schedule.advance();
      return false;
    }
    if (schedule.inWindow()) {
      if (this.variance) this.variance.add(q);
      else this.covariance!.add(q);
    }
    if (!schedule.endsWindow()) {
      schedule.advance();
      return false;
    }
    schedule.computeNextWindow();
    const d = this.dim;
    const est = this.estimate;
    // With n ≤ 1 Stan's estimator leaves its output alone, so the old Minv is the "estimate".
    est.set(inverseMetric);
    let n: number;
    if (this.variance) {
      this.variance.sampleVariance(est);
      n = this.variance.numSamples;
    } else {
      this.covariance!.sampleCovariance(est);
      n = this.covariance!.numSamples;
    }
    const shrink = n / (n + 5);
    const ridge = 1e-3 * (5 / (n + 5));
    for (let k = 0; k < est.length; k++) {
      const onDiagonal = this.kind === "diag" || k % (d + 1) === 0;
      inverseMetric[k] = shrink * est[k] + (onDiagonal ? ridge : 0);
      if (!Number.isFinite(inverseMetric[k])) {
        throw new SamplingError(
          "Numerical overflow in metric adaptation. This occurs when the sampler encounters extreme values on the unconstrained space; this may happen when the posterior density function is too wide or improper. There may be problems with your model specification.",
        );
      }
    }
    if (this.variance) this.variance.restart();
    else this.covariance!.restart();
    schedule.advance();
    return true;
  }
}
