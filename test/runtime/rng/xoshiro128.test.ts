import { describe, expect, it } from "vitest";
import { fmix32, Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";

// Reference values from Vigna's C reference implementation of xoshiro128** (compiled with gcc),
// starting from the state {1, 2, 3, 4}.
const REFERENCE_OUTPUTS = [11520, 0, 5927040, 70819200, 2031721883];
const REFERENCE_AFTER_ONE_JUMP = [2843103750, 2038079848, 1533207345, 44816753];
const REFERENCE_AFTER_TWO_JUMPS_OUTPUTS = [2770217142, 3760030230, 2161708919];

const fromWords = (w: [number, number, number, number]) => Xoshiro128.fromState({ words: w, spareNormal: null });

describe("xoshiro128**", () => {
  it("matches the reference generator output", () => {
    const rng = fromWords([1, 2, 3, 4]);
    expect(REFERENCE_OUTPUTS.map(() => rng.nextU32())).toEqual(REFERENCE_OUTPUTS);
  });

  it("matches the reference jump", () => {
    const rng = fromWords([1, 2, 3, 4]);
    rng.jump();
    expect(rng.getState().words).toEqual(REFERENCE_AFTER_ONE_JUMP);
    rng.jump();
    expect(REFERENCE_AFTER_TWO_JUMPS_OUTPUTS.map(() => rng.nextU32())).toEqual(REFERENCE_AFTER_TWO_JUMPS_OUTPUTS);
  });

  it("seeds each word with fmix32(seed + (i+1)·0x9E3779B9) and gives chain k the k-times-jumped stream", () => {
    const seed = 14;
    const words = [1, 2, 3, 4].map((i) => fmix32((seed + Math.imul(i, 0x9e3779b9)) >>> 0));
    expect(new Xoshiro128(seed).getState().words).toEqual(words);
    const manual = new Xoshiro128(seed);
    manual.jump();
    manual.jump();
    expect(Xoshiro128.forChain(seed, 2).getState()).toEqual(manual.getState());
    expect(Xoshiro128.forChain(seed, 1).nextU32()).not.toBe(Xoshiro128.forChain(seed, 2).nextU32());
  });

  it("gives chain k beyond the first 32 the k-times-jumped stream too (jump powers by GF(2) matrices)", () => {
    for (const seed of [14, 0, 123456789]) {
      const manual = new Xoshiro128(seed);
      for (let k = 1; k <= 1100; k++) {
        manual.jump();
        if ([33, 64, 65, 127, 500, 1024, 1099, 1100].includes(k)) expect(Xoshiro128.forChain(seed, k).getState(), `seed ${seed}, chain ${k}`).toEqual(manual.getState());
      }
    }
  });

  it("fmix32 is MurmurHash3's finaliser", () => {
    expect(fmix32(0)).toBe(0);
    // h=1: 1 ^ 0 = 1; ·0x85ebca6b; ^>>>13; ·0xc2b2ae35; ^>>>16 — computed independently with BigInt.
    let h = 1n;
    const mask = 0xffffffffn;
    h ^= h >> 16n;
    h = (h * 0x85ebca6bn) & mask;
    h ^= h >> 13n;
    h = (h * 0xc2b2ae35n) & mask;
    h ^= h >> 16n;
    expect(fmix32(1)).toBe(Number(h));
  });

  it("builds uniforms from 27 + 26 bits in [0, 1)", () => {
    const a = fromWords([1, 2, 3, 4]);
    const b = fromWords([1, 2, 3, 4]);
    const x = a.uniform();
    const hi = b.nextU32() >>> 5;
    const lo = b.nextU32() >>> 6;
    expect(x).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    const rng = new Xoshiro128(7);
    let min = 1;
    let max = 0;
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Mean of n uniforms has sd sqrt(1/12/n) ≈ 6.5e-4.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
  });

  it("draws standard normals (moments within 4 standard errors)", () => {
    const rng = new Xoshiro128(2024);
    const n = 200_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it("fillNormals gives the same values as repeated normal()", () => {
    const a = new Xoshiro128(31);
    const b = new Xoshiro128(31);
    a.normal(); // start with a cached spare
    b.normal();
    const out = new Float64Array(7);
    a.fillNormals(out, 7);
    expect(Array.from(out)).toEqual(Array.from({ length: 7 }, () => b.normal()));
    expect(a.getState()).toEqual(b.getState());
  });

  it("round-trips its state, including the cached normal", () => {
    const rng = new Xoshiro128(99);
    rng.normal(); // leaves the pair's second value cached
    const state = JSON.parse(JSON.stringify(rng.getState()));
    expect(state.spareNormal).not.toBeNull();
    const copy = Xoshiro128.fromState(state);
    for (let i = 0; i < 10; i++) expect(copy.normal()).toBe(rng.normal());
    expect(copy.nextU32()).toBe(rng.nextU32());
  });

  it("rejects invalid seeds and an all-zero state", () => {
    expect(() => new Xoshiro128(-1)).toThrow(/non-negative integer/);
    expect(() => new Xoshiro128(1.5)).toThrow(/non-negative integer/);
    expect(() => fromWords([0, 0, 0, 0])).toThrow(/all zero/);
    expect(new Xoshiro128(2 ** 32 + 5).getState()).toEqual(new Xoshiro128(5).getState());
  });
});
