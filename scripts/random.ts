// Deterministic random numbers for the fixture simulators (dev scripts, not the runtime).
// xoshiro128** seeded through splitmix32, so every fixture's data depends only on its own
// seed string and the code here — never on Math.random or the platform.

/** 32-bit FNV-1a hash of a string, used to derive a per-fixture seed from its name. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | string) {
    let x = typeof seed === "string" ? hashSeed(seed) : seed >>> 0;
    const next = (): number => {
      // splitmix32 spreads one 32-bit seed over the four state words
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next raw 32-bit output of xoshiro128**. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform on the open interval (0, 1) with 53 random bits. */
  uniform(): number {
    for (;;) {
      const hi = this.nextUint32() >>> 5; // 27 bits
      const lo = this.nextUint32() >>> 6; // 26 bits
      const u = (hi * 67108864 + lo) / 9007199254740992;
      if (u > 0) return u;
    }
  }

  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer uniform on lo..hi inclusive. */
  integer(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** Standard normal by the Box–Muller transform (one value per call, no caching). */
  stdNormal(): number {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  normal(mu: number, sigma: number): number {
    return mu + sigma * this.stdNormal();
  }

  /** Gamma(shape, rate) by Marsaglia–Tsang, with the shape < 1 boost. */
  gamma(shape: number, rate: number): number {
    if (shape < 1) {
      const u = this.uniform();
      return this.gamma(shape + 1, rate) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.stdNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    const y = this.gamma(b, 1);
    return x / (x + y);
  }

  /** Poisson by sequential inversion (fine for the small means the fixtures use). */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || lambda > 500) throw new Error(`poisson mean out of range: ${lambda}`);
    const u = this.uniform();
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    while (u > cdf && k < 10000) {
      k += 1;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }

  bernoulli(p: number): number {
    return this.uniform() < p ? 1 : 0;
  }

  binomial(n: number, p: number): number {
    let count = 0;
    for (let i = 0; i < n; i++) count += this.bernoulli(p);
    return count;
  }

  /** Negative binomial in Stan's neg_binomial_2 (mean mu, overdispersion phi) form. */
  negBinomial2(mu: number, phi: number): number {
    return this.poisson(this.gamma(phi, phi / mu));
  }

  /** Index 1..K drawn with the given (not necessarily normalised) probabilities. */
  categorical(probs: readonly number[]): number {
    let total = 0;
    for (const p of probs) total += p;
    const u = this.uniform() * total;
    let acc = 0;
    for (let k = 0; k < probs.length; k++) {
      acc += probs[k];
      if (u < acc) return k + 1;
    }
    return probs.length;
  }

  dirichlet(alpha: readonly number[]): number[] {
    const g = alpha.map((a) => this.gamma(a, 1));
    const total = g.reduce((s, v) => s + v, 0);
    return g.map((v) => v / total);
  }

  logistic(): number {
    const u = this.uniform();
    return Math.log(u / (1 - u));
  }

  /** Laplace (double exponential) with location mu and scale b. */
  laplace(mu: number, b: number): number {
    const u = this.uniform() - 0.5;
    return mu - b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Lower Cholesky factor of a small symmetric positive-definite matrix (rows of arrays). */
export function cholesky(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let diag = a[j][j];
    for (let k = 0; k < j; k++) diag -= l[j][k] * l[j][k];
    if (!(diag > 0)) throw new Error("cholesky: matrix is not positive definite");
    l[j][j] = Math.sqrt(diag);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** mean + L z for a lower-triangular L and fresh standard normals z. */
export function multiNormalCholesky(rng: Random, mean: readonly number[], l: readonly (readonly number[])[]): number[] {
  const n = mean.length;
  const z = Array.from({ length: n }, () => rng.stdNormal());
  return mean.map((m, i) => {
    let s = m;
    for (let k = 0; k <= i; k++) s += l[i][k] * z[k];
    return s;
  });
}

/** Round to a fixed number of significant digits so data files stay small and stable. */
export function roundSig(x: number, digits = 6): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const r = Number(x.toPrecision(digits));
  return Object.is(r, -0) ? 0 : r;
}
