import type { ModelInstance, Rng } from "../model";
import { EuclideanMetric, type MetricKind } from "./metric";
import { PhasePoint } from "./phasePoint";

/** What the leapfrog calls: the model's allocation-free gradient (see `ModelInstance.logDensityGradientInto`). */
type GradientInto = Required<Pick<ModelInstance, "logDensityGradientInto">>;

/** The model itself when it has `logDensityGradientInto`, else an adapter over `logDensityGradient`. */
function gradientInto(model: ModelInstance): GradientInto {
  if (typeof model.logDensityGradientInto === "function") return model as GradientInto;
  return {
    logDensityGradientInto(theta, grad, lp) {
      lp[0] = model.logDensityGradient(theta, grad);
    },
  };
}

/**
 * +∞ for the hot path, defined in this module on purpose. The global `Infinity` (or an imported
 * constant) as one arm of a conditional makes TurboFan keep the result tagged, so every store of
 * it allocates a 16-byte HeapNumber (measured on node 20); a same-module constant stays unboxed.
 */
const POSITIVE_INFINITY = Number.POSITIVE_INFINITY;

/** True for the model's rejections (`reject()`, constraint violations, bad density arguments). */
export function isDomainError(error: unknown): boolean {
  // Compared by name, not instanceof: a bundled model may carry its own copy of the class.
  return error instanceof Error && error.name === "StanDomainError";
}

/**
 * The Hamiltonian H(q, p) = V(q) + ½·pᵀ·Minv·p with an explicit leapfrog integrator
 * (sampler spec §1.2–1.3). All buffers are allocated here once.
 */
export class Hamiltonian {
  readonly dim: number;
  readonly metric: EuclideanMetric;
  /**
   * Signed step size of the next `leapfrog`, and H from the last `updateEnergy`. Passed through
   * fields rather than arguments/results: V8 boxes a double crossing a call it does not inline.
   */
  step = 0.1;
  lastEnergy = NaN;
  private readonly velocityScratch: Float64Array;
  private readonly target: GradientInto;
  /** Receives the log density from `logDensityGradientInto` (a returned double would be boxed). */
  private readonly lpOut = new Float64Array(1);

  constructor(
    readonly model: ModelInstance,
    metricKind: MetricKind,
  ) {
    this.dim = model.dim;
    this.metric = new EuclideanMetric(metricKind, model.dim);
    this.velocityScratch = new Float64Array(model.dim);
    this.target = gradientInto(model);
  }

  /** Recomputes V and ∇log π at z.q. A domain error makes V = +∞ (a divergence), anything else is fatal. */
  updatePotentialGradient(z: PhasePoint): void {
    try {
      this.target.logDensityGradientInto(z.q, z.grad, this.lpOut);
      // Stored straight into the field: a local live into the catch edge would be boxed.
      z.potential = -this.lpOut[0];
    } catch (error) {
      if (!isDomainError(error)) throw error;
      z.potential = POSITIVE_INFINITY;
    }
  }

  /** H(z); NaN is reported as +∞ so that it counts as a divergence (spec §8.3). */
  energy(z: PhasePoint): number {
    const h = z.potential + this.metric.kineticEnergy(z.p);
    return Number.isNaN(h) ? POSITIVE_INFINITY : h;
  }

  /** `energy(z)` into `lastEnergy` (the hot-loop form). */
  updateEnergy(z: PhasePoint): void {
    this.metric.computeKineticEnergy(z.p);
    const h = z.potential + this.metric.lastKineticEnergy;
    this.lastEnergy = Number.isNaN(h) ? POSITIVE_INFINITY : h;
  }

  sampleMomentum(z: PhasePoint, rng: Rng): void {
    this.metric.sampleMomentum(rng, z.p);
  }

  /** p·p♯ at the end of the last `leapfrogWithVelocity` (a field: see `step`). */
  lastTwiceKinetic = NaN;

  /**
   * `leapfrog` that also writes p♯ = Minv·p at the new point into `pSharp` and p·p♯ into
   * `lastTwiceKinetic` — what the tree needs after every step. For a diagonal (or unit) metric the
   * momentum, position and velocity updates share loops: the same operations in the same order as
   * `leapfrog` then `metric.velocity`, so the results are identical, with fewer passes over memory.
   */
  leapfrogWithVelocity(z: PhasePoint, pSharp: Float64Array): void {
    const d = this.dim;
    const p = z.p;
    if (this.metric.kind === "dense") {
      this.leapfrog(z);
      this.metric.velocity(p, pSharp);
      let twice = 0;
      for (let i = 0; i < d; i++) twice += p[i] * pSharp[i];
      this.lastTwiceKinetic = twice;
      return;
    }
    // A unit metric keeps Minv = 1, and m·p = p exactly.
    const m = this.metric.inverseMetric;
    const epsilon = this.step;
    const half = 0.5 * epsilon;
    const q = z.q;
    const g = z.grad;
    for (let i = 0; i < d; i++) {
      p[i] += half * g[i];
      q[i] += epsilon * (m[i] * p[i]);
    }
    this.updatePotentialGradient(z);
    let twice = 0;
    for (let i = 0; i < d; i++) {
      p[i] += half * g[i];
      const velocity = m[i] * p[i];
      pSharp[i] = velocity;
      twice += p[i] * velocity;
    }
    this.lastTwiceKinetic = twice;
  }

  /** One leapfrog step of signed size `step`; costs one gradient evaluation. */
  leapfrog(z: PhasePoint): void {
    const d = this.dim;
    const epsilon = this.step;
    const half = 0.5 * epsilon;
    const q = z.q;
    const p = z.p;
    const g = z.grad;
    for (let i = 0; i < d; i++) p[i] += half * g[i];
    const v = this.velocityScratch;
    this.metric.velocity(p, v);
    for (let i = 0; i < d; i++) q[i] += epsilon * v[i];
    this.updatePotentialGradient(z);
    for (let i = 0; i < d; i++) p[i] += half * g[i];
  }
}
