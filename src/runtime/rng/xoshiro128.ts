import type { Rng } from "../model";
import { log } from "../math/elementary";

/** Everything needed to resume a stream exactly: the 4-word state plus the cached polar normal. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

/** A generator the runtime can swap (e.g. for Philox): streams per chain and checkpointable state. */
export interface SeedableRng extends Rng {
  /** Writes `count` standard normals into `out` (same values as `count` calls of `normal()`). */
  fillNormals(out: Float64Array, count: number): void;
  /** Writes `count` uniforms into `out` (same values as `count` calls of `uniform()`). */
  fillUniforms(out: Float64Array, count: number): void;
  jump(): void;
  getState(): RngState;
  setState(state: RngState): void;
}

/** Vigna's jump polynomial for xoshiro128: one jump advances the stream by 2^64 outputs. */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;
const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16; // 2^-53, a literal: every engine parses it to the same double
const TWO_POW_26 = 67108864; // 2^26

/** MurmurHash3's 32-bit finaliser: spreads nearby seeds over the whole state space. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna): 4×uint32 state, period 2^128 − 1, with a jump function that
 * gives each chain its own non-overlapping stream of 2^64 outputs (sampler spec §7.3).
 */
export class Xoshiro128 implements SeedableRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Marsaglia's polar method makes normals in pairs; the second waits here. */
  private spare = NaN;
  private hasSpare = false;

  /** State words i = fmix32(seed + (i+1)·golden gamma); an all-zero state becomes word 0 = 1. */
  constructor(seed: number) {
    const s = seedToUint32(seed);
    // Words are kept as signed int32 (the same bits) so V8 stores them as small integers.
    this.s0 = fmix32((s + GOLDEN_GAMMA) >>> 0) | 0;
    this.s1 = fmix32((s + Math.imul(2, GOLDEN_GAMMA)) >>> 0) | 0;
    this.s2 = fmix32((s + Math.imul(3, GOLDEN_GAMMA)) >>> 0) | 0;
    this.s3 = fmix32((s + Math.imul(4, GOLDEN_GAMMA)) >>> 0) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * The stream of chain `chain` (1-based): the seeded generator jumped `chain` times. Up to
   * DIRECT_JUMPS jumps are made one by one; beyond, the state is multiplied by the jump's powers
   * J^(2^i) (the same linear map, so the same state) in O(log chain) steps, which keeps
   * thousands of chains linear in their number rather than quadratic.
   */
  static forChain(seed: number, chain: number): Xoshiro128 {
    const rng = new Xoshiro128(seed);
    if (chain <= DIRECT_JUMPS) {
      for (let k = 0; k < chain; k++) rng.jump();
      return rng;
    }
    const state = Uint32Array.of(rng.s0, rng.s1, rng.s2, rng.s3);
    for (let i = 0, rest = chain; rest > 0; i++, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) applyMatrix(jumpPower(i), state);
    }
    rng.s0 = state[0] | 0;
    rng.s1 = state[1] | 0;
    rng.s2 = state[2] | 0;
    rng.s3 = state[3] | 0;
    return rng;
  }

  static fromState(state: RngState): Xoshiro128 {
    const rng = new Xoshiro128(0);
    rng.setState(state);
    return rng;
  }

  nextU32(): number {
    return this.step() >>> 0;
  }

  /**
   * One xoshiro128** step, returned as a signed int32 (same bits as the uint32 output). Signed
   * keeps the value a small integer for V8, so internal callers never box it.
   */
  private step(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result | 0;
  }

  /** 53 random bits: 27 from the first output, 26 from the second. */
  uniform(): number {
    const a = this.step() >>> 5;
    const b = this.step() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_MINUS_53;
  }

  /** Standard normal by Marsaglia's polar method; the pair's second value is cached. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * log(s)) / s);
    this.spare = v * scale;
    this.hasSpare = true;
    return u * scale;
  }

  /**
   * `out[0..count)` ← standard normals, the same values as `count` calls of `normal()`. Writing
   * into an array spares V8 boxing each returned double (normal() is too big to inline).
   */
  fillNormals(out: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.hasSpare) {
        this.hasSpare = false;
        out[i] = this.spare;
        continue;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * this.uniform() - 1;
        v = 2 * this.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const scale = Math.sqrt((-2 * log(s)) / s);
      this.spare = v * scale;
      this.hasSpare = true;
      out[i] = u * scale;
    }
  }

  /**
   * `out[0..count)` ← U(0, 1), the same values as `count` calls of `uniform()`. The sampler's draws
   * go through this: a double returned from a call V8 did not inline is boxed; one in an array is not.
   */
  fillUniforms(out: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const a = this.step() >>> 5;
      const b = this.step() >>> 6;
      out[i] = (a * TWO_POW_26 + b) * TWO_POW_MINUS_53;
    }
  }

  /** Advances by 2^64 outputs. Drops any cached normal so the new stream starts clean. */
  jump(): void {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.step();
      }
    }
    this.s0 = t0 | 0;
    this.s1 = t1 | 0;
    this.s2 = t2 | 0;
    this.s3 = t3 | 0;
    this.hasSpare = false;
  }

  getState(): RngState {
    return {
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.hasSpare ? this.spare : null,
    };
  }

  setState(state: RngState): void {
    const [a, b, c, d] = state.words;
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new Error("xoshiro128 state must not be all zero");
    this.hasSpare = state.spareNormal !== null;
    this.spare = state.spareNormal ?? 0;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seeds are unsigned 32-bit, as CmdStan's; larger integers are reduced modulo 2^32. */
export function seedToUint32(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  }
  return seed % 4294967296 >>> 0;
}

/** A fresh seed when the user gives none (reported in the output so the run can be repeated). */
export function randomSeed(): number {
  const words = new Uint32Array(1);
  globalThis.crypto.getRandomValues(words);
  return words[0] & 0x7fffffff;
}

/** Chains whose stream is found by jumping one jump at a time (cheap for the usual few chains). */
const DIRECT_JUMPS = 32;

/**
 * The jump is linear over GF(2) on the 128 state bits, so J^(2^i) is a 128 × 128 bit matrix,
 * stored as 128 columns of 4 words (column b is the image of state bit b); built once, by
 * squaring, when a chain number first needs it.
 */
const jumpPowers: Uint32Array[] = [];

function jumpPower(i: number): Uint32Array {
  while (jumpPowers.length <= i) {
    const k = jumpPowers.length;
    const m = new Uint32Array(512);
    const column = new Uint32Array(4);
    for (let b = 0; b < 128; b++) {
      column.fill(0);
      column[b >>> 5] = (1 << (b & 31)) >>> 0;
      if (k === 0) {
        // J itself: one jump of the basis state
        const rng = Xoshiro128.fromState({ words: [column[0], column[1], column[2], column[3]], spareNormal: null });
        rng.jump();
        m.set(rng.getState().words, 4 * b);
      } else {
        // J^(2^k) = (J^(2^(k−1)))²: the previous power applied twice to the basis state
        applyMatrix(jumpPowers[k - 1], column);
        applyMatrix(jumpPowers[k - 1], column);
        m.set(column, 4 * b);
      }
    }
    jumpPowers.push(m);
  }
  return jumpPowers[i];
}

/** state ← M · state over GF(2): the xor of M's columns at the state's set bits. */
function applyMatrix(m: Uint32Array, state: Uint32Array): void {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  for (let b = 0; b < 128; b++) {
    if ((state[b >>> 5] >>> (b & 31)) & 1) {
      r0 ^= m[4 * b];
      r1 ^= m[4 * b + 1];
      r2 ^= m[4 * b + 2];
      r3 ^= m[4 * b + 3];
    }
  }
  state[0] = r0;
  state[1] = r1;
  state[2] = r2;
  state[3] = r3;
}
