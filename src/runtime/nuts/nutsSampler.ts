import type { ModelInstance, Rng } from "../model";
import { Hamiltonian } from "./hamiltonian";
import type { MetricKind } from "./metric";
import { copyVector, PhasePoint } from "./phasePoint";
import { exp, log1pExp } from "../math/elementary";

/** See hamiltonian.ts: a same-module +∞ keeps `energy` unboxed. */
const POSITIVE_INFINITY = Number.POSITIVE_INFINITY;

/** Energy error above which a leapfrog state is divergent (hard-coded in Stan). */
export const MAX_DELTA_H = 1000;

/** Stan's log_sum_exp for two values, exact when one is −∞. */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (a === Infinity && b === Infinity) return Infinity;
  return a > b ? a + log1pExp(b - a) : b + log1pExp(a - b);
}

/**
 * Generalised no-U-turn criterion: both ends still move along the summed momentum,
 * p♯₊·ρ > 0 and p♯₋·ρ > 0. One loop, boolean result: nothing for V8 to box.
 */
function noUTurn(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < rho.length; i++) {
    plus += pSharpPlus[i] * rho[i];
    minus += pSharpMinus[i] * rho[i];
  }
  return plus > 0 && minus > 0;
}

/** noUTurn with ρ = a + b (the checks across a merge), the sum formed inside the one loop. */
function noUTurnExtended(pSharpMinus: Float64Array, pSharpPlus: Float64Array, a: Float64Array, b: Float64Array): boolean {
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < a.length; i++) {
    const rho = a[i] + b[i];
    plus += pSharpPlus[i] * rho;
    minus += pSharpMinus[i] * rho;
  }
  return plus > 0 && minus > 0;
}

/** Where the tree's uniform draws come from: written into an array, never returned (see below). */
interface UniformSource {
  fillUniforms(out: Float64Array, count: number): void;
}

/**
 * The generator itself when it can write uniforms into an array (`Xoshiro128.fillUniforms`, the
 * same stream as `uniform()`); otherwise an adapter over `uniform()`, whose returned double V8
 * boxes whenever the call is not inlined.
 */
function uniformSource(rng: Rng): UniformSource {
  if (typeof (rng as Partial<UniformSource>).fillUniforms === "function") return rng as unknown as UniformSource;
  return {
    fillUniforms(out, count) {
      for (let i = 0; i < count; i++) out[i] = rng.uniform();
    },
  };
}

/** Buffers used by the one active `buildTree` frame at a given height. */
class TreeLevel {
  readonly rhoLeft: Float64Array;
  readonly rhoRight: Float64Array;
  readonly pLeftEnd: Float64Array;
  readonly pSharpLeftEnd: Float64Array;
  readonly pRightBegin: Float64Array;
  readonly pSharpRightBegin: Float64Array;
  readonly proposalRight: PhasePoint;
  readonly leftWeight = new Float64Array(1);

  constructor(dim: number) {
    this.rhoLeft = new Float64Array(dim);
    this.rhoRight = new Float64Array(dim);
    this.pLeftEnd = new Float64Array(dim);
    this.pSharpLeftEnd = new Float64Array(dim);
    this.pRightBegin = new Float64Array(dim);
    this.pSharpRightBegin = new Float64Array(dim);
    this.proposalRight = new PhasePoint(dim);
  }
}

/**
 * Stan's multinomial NUTS transition (sampler spec §1): biased progressive sampling between
 * subtrees, uniform progressive sampling inside them, the generalised U-turn criterion with the
 * two extra checks across every merge, early exit, and divergence at ΔH > 1000.
 * Every buffer is preallocated; a transition allocates nothing.
 */
export class NutsSampler {
  readonly dim: number;
  readonly hamiltonian: Hamiltonian;
  /** The current draw (position, its potential and gradient are kept valid between transitions). */
  readonly current: PhasePoint;

  /** Nominal step size; the adaptation writes it. */
  stepSize = 1;
  /** Jitter j ∈ (0, 1): each transition uses ε·(1 + j·(2u − 1)). 0 disables it (no draw). */
  stepSizeJitter = 0;
  private maxDepthValue = 10;

  // Results of the last transition (spec §1.9).
  acceptStat = NaN;
  treeDepth = 0;
  nLeapfrog = 0;
  divergent = false;
  energy = NaN;
  /** The ε used by the last transition (jittered if jitter is on). */
  usedStepSize = 1;

  private readonly rng: Rng;
  private readonly uniforms: UniformSource;
  /** The last uniform draw (a typed-array slot: a double returned across a call would be boxed). */
  private readonly uniformOut = new Float64Array(1);
  private readonly z: PhasePoint;
  private readonly zForward: PhasePoint;
  private readonly zBackward: PhasePoint;
  private readonly zProposal: PhasePoint;
  private readonly rho: Float64Array;
  private readonly rhoForward: Float64Array;
  private readonly rhoBackward: Float64Array;
  private readonly pForwardForward: Float64Array;
  private readonly pSharpForwardForward: Float64Array;
  private readonly pForwardBackward: Float64Array;
  private readonly pSharpForwardBackward: Float64Array;
  private readonly pBackwardForward: Float64Array;
  private readonly pSharpBackwardForward: Float64Array;
  private readonly pBackwardBackward: Float64Array;
  private readonly pSharpBackwardBackward: Float64Array;
  private levels: TreeLevel[] = [];

  // Per-transition accumulators shared by the tree recursion.
  private epsilon = 1;
  private initialEnergy = NaN;
  // Double-valued fields start as NaN (not a small integer) so V8 stores them unboxed from the start.
  private sumMetropolis = NaN;
  private acceptLogRatio = NaN;
  private leapfrogCount = 0;
  private divergentFlag = false;
  /** Log weight of the subtree returned by the last `buildTree` call. */
  private subtreeLogWeight = -Infinity;

  constructor(model: ModelInstance, metricKind: MetricKind, rng: Rng) {
    const d = model.dim;
    this.dim = d;
    this.rng = rng;
    this.uniforms = uniformSource(rng);
    this.hamiltonian = new Hamiltonian(model, metricKind);
    this.current = new PhasePoint(d);
    this.z = new PhasePoint(d);
    this.zForward = new PhasePoint(d);
    this.zBackward = new PhasePoint(d);
    this.zProposal = new PhasePoint(d);
    this.rho = new Float64Array(d);
    this.rhoForward = new Float64Array(d);
    this.rhoBackward = new Float64Array(d);
    this.pForwardForward = new Float64Array(d);
    this.pSharpForwardForward = new Float64Array(d);
    this.pForwardBackward = new Float64Array(d);
    this.pSharpForwardBackward = new Float64Array(d);
    this.pBackwardForward = new Float64Array(d);
    this.pSharpBackwardForward = new Float64Array(d);
    this.pBackwardBackward = new Float64Array(d);
    this.pSharpBackwardBackward = new Float64Array(d);
    this.maxDepth = 10;
  }

  get maxDepth(): number {
    return this.maxDepthValue;
  }

  /** Values ≤ 0 are ignored, as in Stan's `set_max_depth`. */
  set maxDepth(depth: number) {
    if (!(depth > 0) || !Number.isInteger(depth)) return;
    this.maxDepthValue = depth;
    while (this.levels.length <= depth) this.levels.push(new TreeLevel(this.dim));
  }

  get metric() {
    return this.hamiltonian.metric;
  }

  /** Moves the chain to `theta` and evaluates the density there. */
  setPosition(theta: ArrayLike<number>): void {
    this.current.q.set(theta);
    this.hamiltonian.updatePotentialGradient(this.current);
  }

  /** Log density (lp__) at the current draw. */
  get logDensity(): number {
    return -this.current.potential;
  }

  /** One NUTS transition from `current`; the new draw replaces it and the statistics are set. */
  transition(): void {
    const rng = this.rng;
    const h = this.hamiltonian;
    this.epsilon = this.stepSize;
    if (this.stepSizeJitter > 0 && this.stepSizeJitter < 1) {
      this.uniforms.fillUniforms(this.uniformOut, 1);
      this.epsilon *= 1 + this.stepSizeJitter * (2 * this.uniformOut[0] - 1);
    }
    this.usedStepSize = this.epsilon;

    const z = this.z;
    z.copyFrom(this.current);
    h.sampleMomentum(z, rng);

    const zForward = this.zForward;
    const zBackward = this.zBackward;
    const zSample = this.current;
    zForward.copyFrom(z);
    zBackward.copyFrom(z);
    zSample.copyFrom(z);

    const metric = h.metric;
    copyVector(this.pForwardForward, z.p);
    metric.velocity(z.p, this.pSharpForwardForward);
    copyVector(this.pForwardBackward, z.p);
    copyVector(this.pSharpForwardBackward, this.pSharpForwardForward);
    copyVector(this.pBackwardForward, z.p);
    copyVector(this.pSharpBackwardForward, this.pSharpForwardForward);
    copyVector(this.pBackwardBackward, z.p);
    copyVector(this.pSharpBackwardBackward, this.pSharpForwardForward);

    const rho = this.rho;
    copyVector(rho, z.p);
    let logSumWeight = 0;
    h.updateEnergy(z);
    this.initialEnergy = h.lastEnergy;
    this.leapfrogCount = 0;
    this.sumMetropolis = 0;
    this.divergentFlag = false;

    const rhoForward = this.rhoForward;
    const rhoBackward = this.rhoBackward;
    const d = this.dim;
    let depth = 0;

    while (depth < this.maxDepthValue) {
      let valid: boolean;
      if (this.drawForward()) {
        // Extend forward: the old trajectory becomes the backward subtree.
        copyVector(rhoBackward, rho);
        copyVector(this.pBackwardForward, this.pForwardForward);
        copyVector(this.pSharpBackwardForward, this.pSharpForwardForward);
        z.copyFrom(zForward);
        valid = this.buildTree(
          depth,
          this.zProposal,
          this.pSharpForwardBackward,
          this.pSharpForwardForward,
          rhoForward,
          this.pForwardBackward,
          this.pForwardForward,
          1,
        );
        zForward.copyFrom(z);
      } else {
        copyVector(rhoForward, rho);
        copyVector(this.pForwardBackward, this.pBackwardBackward);
        copyVector(this.pSharpForwardBackward, this.pSharpBackwardBackward);
        z.copyFrom(zBackward);
        valid = this.buildTree(
          depth,
          this.zProposal,
          this.pSharpBackwardForward,
          this.pSharpBackwardBackward,
          rhoBackward,
          this.pBackwardForward,
          this.pBackwardBackward,
          -1,
        );
        zBackward.copyFrom(z);
      }
      if (!valid) break;
      depth++;

      // Biased progressive sampling: compare the new subtree with the old trajectory.
      const subtreeWeight = this.subtreeLogWeight;
      if (subtreeWeight > logSumWeight) {
        zSample.copyFrom(this.zProposal);
      } else {
        this.acceptLogRatio = subtreeWeight - logSumWeight;
        if (this.drawAccept()) zSample.copyFrom(this.zProposal);
      }
      // logSumExp(logSumWeight, subtreeWeight), written out: logSumWeight is finite here.
      logSumWeight =
        logSumWeight > subtreeWeight
          ? logSumWeight + log1pExp(subtreeWeight - logSumWeight)
          : subtreeWeight + log1pExp(logSumWeight - subtreeWeight);

      for (let i = 0; i < d; i++) rho[i] = rhoBackward[i] + rhoForward[i];
      if (!this.trajectoryContinues()) break;
    }

    this.treeDepth = depth;
    this.nLeapfrog = this.leapfrogCount;
    this.divergent = this.divergentFlag;
    this.acceptStat = this.sumMetropolis / this.leapfrogCount;
    h.updateEnergy(zSample);
    this.energy = h.lastEnergy;
  }

  /**
   * Builds a subtree of 2^depth leapfrogs from `this.z` in direction `sign`. Writes its proposal,
   * the momentum sum `rho` and the boundary momenta; sets `subtreeLogWeight`. Returns validity.
   */
  private buildTree(
    depth: number,
    proposal: PhasePoint,
    pSharpBegin: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBegin: Float64Array,
    pEnd: Float64Array,
    sign: number,
  ): boolean {
    if (depth === 0) return this.buildLeaf(proposal, pSharpBegin, pSharpEnd, rho, pBegin, pEnd, sign);

    const level = this.levels[depth];
    const rhoLeft = level.rhoLeft;
    const rhoRight = level.rhoRight;
    if (!this.buildTree(depth - 1, proposal, pSharpBegin, level.pSharpLeftEnd, rhoLeft, pBegin, level.pLeftEnd, sign)) {
      return false;
    }
    // Kept in a typed array across the recursive call: a live double local could be boxed.
    level.leftWeight[0] = this.subtreeLogWeight;
    const proposalRight = level.proposalRight;
    if (
      !this.buildTree(depth - 1, proposalRight, level.pSharpRightBegin, pSharpEnd, rhoRight, level.pRightBegin, pEnd, sign)
    ) {
      return false;
    }
    const leftWeight = level.leftWeight[0];
    const rightWeight = this.subtreeLogWeight;
    // logSumExp(leftWeight, rightWeight), written out so no double crosses a call; both are
    // finite or −∞ (a valid leaf has energy drop ≥ −1000), and the left is finite.
    const subtreeWeight =
      rightWeight === -Infinity
        ? leftWeight
        : leftWeight === rightWeight
          ? leftWeight + Math.LN2
          : leftWeight > rightWeight
          ? leftWeight + log1pExp(rightWeight - leftWeight)
          : rightWeight + log1pExp(leftWeight - rightWeight);
    this.subtreeLogWeight = subtreeWeight;

    // Uniform progressive sampling inside the subtree.
    if (rightWeight > subtreeWeight) {
      proposal.copyFrom(proposalRight);
    } else {
      this.acceptLogRatio = rightWeight - subtreeWeight;
      if (this.drawAccept()) proposal.copyFrom(proposalRight);
    }

    const d = this.dim;
    for (let i = 0; i < d; i++) rho[i] = rhoLeft[i] + rhoRight[i];
    return this.subtreeContinues(level, pSharpBegin, pSharpEnd, rho);
  }

  /**
   * The random choices of the tree, as small boolean methods. The draw arrives in `uniformOut`:
   * whether V8 inlines the generator here depends on its inlining budget for the big tree
   * functions, and a returned double from a call it did not inline costs a heap allocation.
   */
  private drawForward(): boolean {
    this.uniforms.fillUniforms(this.uniformOut, 1);
    return this.uniformOut[0] > 0.5;
  }

  /** Accept with probability exp(acceptLogRatio), one U(0,1) draw. */
  private drawAccept(): boolean {
    this.uniforms.fillUniforms(this.uniformOut, 1);
    return this.uniformOut[0] < exp(this.acceptLogRatio);
  }

  /** The U-turn checks of a merged subtree: whole span, and across the join in both directions. */
  private subtreeContinues(level: TreeLevel, pSharpBegin: Float64Array, pSharpEnd: Float64Array, rho: Float64Array): boolean {
    const whole = noUTurn(pSharpBegin, pSharpEnd, rho);
    const leftJoin = noUTurnExtended(pSharpBegin, level.pSharpRightBegin, level.rhoLeft, level.pRightBegin);
    const rightJoin = noUTurnExtended(level.pSharpLeftEnd, pSharpEnd, level.rhoRight, level.pLeftEnd);
    return whole && leftJoin && rightJoin;
  }

  /** The same three checks for the whole trajectory after a doubling (spec §1.5 step 8). */
  private trajectoryContinues(): boolean {
    const whole = noUTurn(this.pSharpBackwardBackward, this.pSharpForwardForward, this.rho);
    const backwardJoin = noUTurnExtended(
      this.pSharpBackwardBackward,
      this.pSharpForwardBackward,
      this.rhoBackward,
      this.pForwardBackward,
    );
    const forwardJoin = noUTurnExtended(
      this.pSharpBackwardForward,
      this.pSharpForwardForward,
      this.rhoForward,
      this.pBackwardForward,
    );
    return whole && backwardJoin && forwardJoin;
  }

  /** A single leapfrog: the base case of the tree (spec §1.6). */
  private buildLeaf(
    proposal: PhasePoint,
    pSharpBegin: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBegin: Float64Array,
    pEnd: Float64Array,
    sign: number,
  ): boolean {
    const z = this.z;
    const h = this.hamiltonian;
    h.step = sign * this.epsilon;
    // H = V + ½·p·p♯, reusing p♯ (one metric product instead of two for a dense metric).
    h.leapfrogWithVelocity(z, pSharpBegin);
    this.leapfrogCount++;
    let energy = z.potential + 0.5 * h.lastTwiceKinetic;
    if (Number.isNaN(energy)) energy = POSITIVE_INFINITY;
    const energyDrop = this.initialEnergy - energy;
    if (-energyDrop > MAX_DELTA_H) this.divergentFlag = true;
    this.subtreeLogWeight = energyDrop;
    this.sumMetropolis += energyDrop > 0 ? 1 : exp(energyDrop);
    proposal.copyFrom(z);
    copyVector(pSharpEnd, pSharpBegin);
    copyVector(rho, z.p);
    copyVector(pBegin, z.p);
    copyVector(pEnd, z.p);
    return !this.divergentFlag;
  }
}
