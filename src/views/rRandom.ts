/**
 * R's default random numbers, so `--seed` picks the same groups as the lecture's `set.seed(14)`
 * followed by `slice_sample(n = 16)`: Mersenne-Twister seeded the way `set.seed` scrambles an
 * integer seed, `unif_rand`, and `sample.int` without replacement using R ≥ 3.6's rejection
 * sampling (`sample.kind = "Rejection"`).
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

export class RRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  /** `set.seed(seed)` with the default kind (Mersenne-Twister). */
  constructor(seed: number) {
    let s = seed >>> 0;
    // set.seed scrambles the seed 50 times, then fills the state with the same LCG.
    for (let j = 0; j < 50; j++) s = lcg(s);
    s = lcg(s); // the first value seeds R's position counter, which FixupSeeds resets to N
    for (let j = 0; j < N; j++) {
      s = lcg(s);
      this.mt[j] = s;
    }
    this.mti = N;
  }

  /** `runif(1)`: uniform on (0, 1), 32-bit resolution, never exactly 0 or 1. */
  unifRand(): number {
    const value = this.nextUint32() * TWO_TO_MINUS_32;
    if (value <= 0) return 0.5 * TWO_TO_MINUS_32;
    if (1 - value <= 0) return 1 - 0.5 * TWO_TO_MINUS_32;
    return value;
  }

  /** `R_unif_index(n)`: uniform integer in [0, n) by rejection from the next power of two. */
  unifIndex(n: number): number {
    if (n <= 0) return 0;
    const bits = Math.ceil(Math.log2(n));
    for (;;) {
      const value = this.randomBits(bits);
      if (value < n) return value;
    }
  }

  /** `sample.int(n, size)` without replacement: 1-based draws, in draw order. */
  sampleInt(n: number, size: number): number[] {
    if (size > n) throw new RangeError(`cannot take a sample of ${size} from ${n} without replacement`);
    const pool = Array.from({ length: n }, (_, i) => i);
    let remaining = n;
    const out: number[] = [];
    for (let i = 0; i < size; i++) {
      const j = this.unifIndex(remaining);
      out.push(pool[j] + 1);
      pool[j] = pool[--remaining];
    }
    return out;
  }

  private randomBits(bits: number): number {
    // R builds the value from 16-bit chunks of unif_rand, then masks to `bits` bits.
    let value = 0n;
    for (let n = 0; n <= bits; n += 16) value = value * 65536n + BigInt(Math.floor(this.unifRand() * 65536));
    return Number(value & ((1n << BigInt(bits)) - 1n));
  }

  private nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

function lcg(seed: number): number {
  return (Math.imul(69069, seed) + 1) >>> 0;
}
