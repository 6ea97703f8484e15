/**
 * Special arguments: NaN, ±0, ±∞, subnormals, the largest double, the overflow and underflow
 * thresholds, and pow's many special cases. Wherever Math's result is NaN, ±∞ or ±0 ours must be
 * the same value (Object.is: the sign of a zero counts), since generated code was written against
 * Math's semantics, and for infinite arguments (tanh(∞) = 1, expm1(−∞) = −1); elsewhere within the accuracy bound of the reference and 1 ulp of Math.
 * Also exact cases: log2 of powers of two, log10 of powers of ten, cbrt of cubes, Pythagorean triples.
 */
import { describe, expect, it } from "vitest";
import * as elementary from "../../../src/runtime/math/elementary/index";
import { DEFAULT_ERROR_BOUND, ERROR_BOUND } from "./accuracy";
import { caseNamed } from "./cases";
import { ldexp, ulpError, ulpsApart } from "./reference";

const MIN = Number.MIN_VALUE;
const MAX = Number.MAX_VALUE;
const MIN_NORMAL = 2.2250738585072014e-308;
const next = (x: number): number => x + ulpOf(x);
const previous = (x: number): number => x - ulpOf(x);
function ulpOf(x: number): number {
  const e = Math.floor(Math.log2(Math.abs(x)));
  return ldexp(1, Math.max(e, -1022) - 52);
}

const COMMON = [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  MIN,
  -MIN,
  MIN_NORMAL,
  -MIN_NORMAL,
  MAX,
  -MAX,
  1,
  -1,
  2,
  -2,
  0.5,
  -0.5,
  1e-300,
  -1e-300,
  1e-17,
  -1e-17,
  1 / 128,
  -1 / 128,
  previous(1 / 128),
  3,
  -3,
];
const THRESHOLDS: Record<string, number[]> = {
  exp: [
    709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, -708.3964185322641,
    -708.4, -740, -1e6, 1e6,
  ],
  expm1: [
    709.782712893384, 709.7827128933841, -37.42994775023705, -38, -40, -41, -1e6, 1e6,
    5.551115123125783e-17, 1.1102230246251565e-16,
  ],
  log: [previous(1), next(1), Math.SQRT2, previous(Math.SQRT2), Math.SQRT1_2],
  log1p: [-previous(1), -0.5, 5.551115123125783e-17, 5.551115123125782e-17, 1e300],
  log2: [previous(1), next(1), 1e300],
  log10: [previous(1), next(1), 10, 1000, 1e22, 1e23],
  cbrt: [8, -8, 27, 1e-310, -1e-320, 1e300],
  sinh: [710.4758600739439, 710.475860073944, 711, -710.4758600739439, 22, 40, 1e-9, 1e-5],
  cosh: [710.4758600739439, 710.475860073944, 711, -711, 1e-9, 1.4901161193847656e-8, 22],
  tanh: [19, 19.1, 22, 22.1, -22.1, 1e-9, 1e3],
  asinh: [268435456, 268435457, 1e300, -1e300, 1e-9],
  acosh: [next(1), 1.0000001, 268435456, 268435457, 1e300, previous(1), 0.5],
  atanh: [previous(1), -previous(1), next(1), 1e-9, 0.999],
};

function checkAgainstMath(name: string, args: number[]): void {
  const c = caseNamed(name);
  const ours = c.f(...args);
  const theirs = c.math(...args);
  const label = `${name}(${args.join(", ")}) = ${ours}, Math: ${theirs}`;
  if (!Number.isFinite(theirs) || theirs === 0 || !args.every(Number.isFinite)) {
    expect(Object.is(ours, theirs), label).toBe(true);
    return;
  }
  expect(ulpError(ours, c.reference(...args)), label).toBeLessThanOrEqual(
    ERROR_BOUND[name] ?? DEFAULT_ERROR_BOUND,
  );
  const mathError = ulpError(theirs, c.reference(...args));
  if (mathError <= 1) expect(ulpsApart(ours, theirs), label).toBeLessThanOrEqual(1);
}

describe("special arguments as Math", () => {
  for (const name of Object.keys(THRESHOLDS)) {
    it(name, () => {
      for (const x of [...COMMON, ...THRESHOLDS[name]]) checkAgainstMath(name, [x]);
    });
  }

  it("pow over every pair of special arguments", () => {
    const values = [
      ...COMMON,
      0.3,
      -0.3,
      1.5,
      -1.5,
      1e300,
      -1e300,
      2 ** 53,
      -(2 ** 53),
      2 ** 53 + 2,
      2 ** 52 + 1,
      -(2 ** 52 + 1),
      1023,
      1024,
      -1074,
      -1075,
      next(1),
      previous(1),
      1e-10,
      10,
      -10,
      0.1,
    ];
    for (const x of values) for (const y of values) checkAgainstMath("pow", [x, y]);
  });

  it("hypot over every pair of special arguments", () => {
    const values = [...COMMON, 3, 4, 1e308, -1e308, 1e-310, 1e154, 1e-154, 5e-324];
    for (const x of values) for (const y of values) checkAgainstMath("hypot", [x, y]);
  });
});

describe("exact results", () => {
  it("log2(2^n) = n for every n from -1074 to 1023", () => {
    for (let n = -1074; n <= 1023; n++) expect(elementary.log2(ldexp(1, n))).toBe(n);
  });
  it("log10(10^n) = n for the exactly representable powers of ten", () => {
    for (let n = 0; n <= 22; n++) expect(elementary.log10(Number(`1e${n}`))).toBe(n);
  });
  it("exp(0) = 1, log(1) = +0, pow(x, 1) = x, pow(2, n) = 2^n", () => {
    expect(elementary.exp(0)).toBe(1);
    expect(Object.is(elementary.log(1), 0)).toBe(true);
    expect(Object.is(elementary.log1p(-0), -0)).toBe(true);
    for (const x of [0.1, -7.25, 1e300, MIN]) expect(elementary.pow(x, 1)).toBe(x);
    for (let n = -1074; n <= 1023; n++) expect(elementary.pow(2, n)).toBe(ldexp(1, n));
  });
  it("cbrt(k³) = k for integers k up to 2^17", () => {
    for (let k = 1; k <= 131072; k += 7) {
      expect(elementary.cbrt(k * k * k)).toBe(k);
      expect(elementary.cbrt(-k * k * k)).toBe(-k);
    }
  });
  it("hypot of Pythagorean triples, at any scale", () => {
    for (const [a, b, c] of [
      [3, 4, 5],
      [5, 12, 13],
      [8, 15, 17],
      [20, 21, 29],
    ]) {
      for (const s of [1, 2 ** -1060, 2 ** 900, 2 ** -540, 2 ** 540])
        expect(elementary.hypot(a * s, b * s)).toBe(c * s);
    }
  });
  it("pow of negative bases with integer exponents has the sign of (-1)^y", () => {
    expect(elementary.pow(-2, 3)).toBe(-8);
    expect(elementary.pow(-2, 4)).toBe(16);
    expect(elementary.pow(-2, -1)).toBe(-0.5);
    expect(Number.isNaN(elementary.pow(-8, 1 / 3))).toBe(true);
  });
});
