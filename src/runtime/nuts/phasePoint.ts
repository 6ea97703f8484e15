/** A state of the Hamiltonian system: position, momentum, potential V = −log π and ∇log π. */
export class PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  /** Gradient of the log density (= −∇V) at q. */
  readonly grad: Float64Array;
  /** Potential energy −log π(q); +∞ for a rejected point. */
  potential = 0;

  constructor(dim: number) {
    this.q = new Float64Array(dim);
    this.p = new Float64Array(dim);
    this.grad = new Float64Array(dim);
  }

  copyFrom(other: PhasePoint): void {
    this.q.set(other.q);
    this.p.set(other.p);
    this.grad.set(other.grad);
    this.potential = other.potential;
  }
}
