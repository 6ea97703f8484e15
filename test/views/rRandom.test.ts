import { describe, expect, it } from "vitest";
import { RRandom } from "../../src/views/rRandom";

// Values R (≥ 3.6, default RNG kinds) prints for these calls.
describe("R's Mersenne-Twister and sample.int", () => {
  it("set.seed(42); runif(1) and set.seed(123); runif(3)", () => {
    expect(new RRandom(42).unifRand()).toBeCloseTo(0.914806, 6);
    const r = new RRandom(123);
    expect([r.unifRand(), r.unifRand(), r.unifRand()].map((v) => v.toFixed(7))).toEqual(["0.2875775", "0.7883051", "0.4089769"]);
  });

  it("set.seed(42); sample(1:10) and set.seed(123); sample(1:10)", () => {
    expect(new RRandom(42).sampleInt(10, 10)).toEqual([1, 5, 10, 8, 2, 4, 6, 9, 7, 3]);
    expect(new RRandom(123).sampleInt(10, 10)).toEqual([3, 10, 2, 8, 6, 9, 1, 7, 5, 4]);
  });

  it("draws distinct indices in range", () => {
    const draws = new RRandom(14).sampleInt(193, 16);
    expect(new Set(draws).size).toBe(16);
    expect(draws.every((d) => d >= 1 && d <= 193)).toBe(true);
    expect(() => new RRandom(1).sampleInt(3, 4)).toThrow("cannot take a sample of 4 from 3");
  });
});
