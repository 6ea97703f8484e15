/** Settings of Nesterov dual averaging (CmdStan's defaults; sampler spec §2.2). */
import { exp, log, pow } from "../math/elementary";
export interface DualAveragingSettings {
  delta: number;
  gamma: number;
  kappa: number;
  t0: number;
}

export const DEFAULT_DUAL_AVERAGING: DualAveragingSettings = { delta: 0.8, gamma: 0.05, kappa: 0.75, t0: 10 };

/**
 * Dual averaging of log ε towards a target mean acceptance statistic δ (spec §2.2–2.3).
 * During warmup the sampler uses the raw iterate exp(x); `complete()` returns exp(x̄).
 */
export class StepSizeAdaptation {
  /** Shrinkage target log(10·ε₀); set before warmup and after every metric update. */
  mu = log(10);
  private delta = 0.8;
  private gamma = 0.05;
  private kappa = 0.75;
  private t0 = 10;
  private counter = 0;
  private sBar = 0;
  private xBar = 0;

  constructor(settings: Partial<DualAveragingSettings> = {}) {
    const s = { ...DEFAULT_DUAL_AVERAGING, ...settings };
    // Invalid values keep the old one, as Stan's setters do.
    if (s.delta > 0 && s.delta < 1) this.delta = s.delta;
    if (s.gamma > 0) this.gamma = s.gamma;
    if (s.kappa > 0) this.kappa = s.kappa;
    if (s.t0 > 0) this.t0 = s.t0;
  }

  restart(): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** One update with the transition's accept_stat; returns the new nominal step size exp(x). */
  learn(acceptStat: number): number {
    this.counter++;
    const m = this.counter;
    const a = acceptStat > 1 ? 1 : acceptStat;
    const eta = 1 / (m + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(m)) / this.gamma;
    const weight = pow(m, -this.kappa);
    this.xBar = (1 - weight) * this.xBar + weight * x;
    return exp(x);
  }

  /** The step size for sampling: exp(x̄). */
  complete(): number {
    return exp(this.xBar);
  }

  /** Updates since the last restart (0 when a metric update closed the very last warmup iteration). */
  get updatesSinceRestart(): number {
    return this.counter;
  }
}
