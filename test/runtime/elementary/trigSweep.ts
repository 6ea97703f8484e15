/**
 * Argument mixes and the error sweep shared by the trig accuracy tests (fast and slow tiers).
 * Each mix covers the function's whole domain with emphasis on the hard parts: arguments near
 * multiples of π/2 (where reduction cancels up to ~60 bits), the Cody–Waite / Payne–Hanek border,
 * huge arguments, kernel-interval borders, and the ends of asin/acos's domain.
 */

import * as trig from "../../../src/runtime/math/elementary/trig";
import {
  acosReference,
  asinReference,
  atan2Reference,
  atanReference,
  cosReference,
  type Fixed,
  nearMultipleOfHalfPi,
  neighbours,
  randomDouble,
  seededUniform,
  sinReference,
  tanReference,
  ulpError,
  ulpsApart,
} from "./trigReference";

export interface UnaryCase {
  name: "sin" | "cos" | "tan" | "asin" | "acos" | "atan";
  implementation: (x: number) => number;
  builtin: (x: number) => number;
  reference: (x: number) => Fixed;
  /** A random argument from the function's mix. */
  argument: (uniform: () => number) => number;
  /** Fixed hard arguments, checked in every tier. */
  edges: number[];
}

/** The double nearest to k · π/2 for a random k of up to `maxBits` bits, moved by a few ulps. */
function nearMultiple(uniform: () => number, maxBits: number): number {
  const bits = 1 + Math.floor(uniform() * maxBits);
  let k = 0n;
  for (let done = 0; done < bits; done += 26)
    k = (k << 26n) | BigInt(Math.floor(uniform() * 67108864));
  k >>= BigInt(Math.max(0, Math.ceil(bits / 26) * 26 - bits));
  if (k === 0n) k = 1n;
  const x = nearMultipleOfHalfPi(k);
  const moved = neighbours(x, 2)[Math.floor(uniform() * 5)] ?? x;
  return uniform() < 0.5 ? -moved : moved;
}

function sinCosTanArgument(uniform: () => number): number {
  const kind = uniform();
  if (kind < 0.2) return randomDouble(uniform, -30, -1);
  if (kind < 0.4) return (uniform() - 0.5) * 200;
  if (kind < 0.55) return randomDouble(uniform, 0, 21);
  if (kind < 0.8) return randomDouble(uniform, 20, 1023);
  return nearMultiple(uniform, kind < 0.95 ? 53 : 1000);
}

/** Known hardest case for reduction (Muller, Elementary Functions, ch. 11): x mod π/2 ≈ 2^−61. */
const WORST_REDUCTION = 6381956970095103 * 2 ** 797;
const CODY_WAITE_LIMIT = 1647099.3291652855;

const SIN_COS_TAN_EDGES = [
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  1e-300,
  7.450580596923828e-9,
  -7.450580596923828e-9,
  ...neighbours(Math.PI / 4, 3),
  ...neighbours(Math.PI / 2, 3),
  ...neighbours(Math.PI, 3),
  ...neighbours((3 * Math.PI) / 2, 3),
  ...neighbours(2 * Math.PI, 3),
  ...neighbours(CODY_WAITE_LIMIT, 3),
  ...neighbours(2 ** 20, 2),
  ...neighbours(1e22, 2),
  ...neighbours(2 ** 1023, 2),
  ...neighbours(Number.MAX_VALUE, 2),
  -Number.MAX_VALUE,
  ...neighbours(WORST_REDUCTION, 3),
  ...neighbours(-WORST_REDUCTION, 3),
  ...Array.from({ length: 2000 }, (_, k) => nearMultipleOfHalfPi(BigInt(k + 1))),
  ...Array.from({ length: 200 }, (_, k) => -nearMultipleOfHalfPi(BigInt(k + 1) * 1000003n)),
];

function inverseSineArgument(uniform: () => number): number {
  const kind = uniform();
  if (kind < 0.4) return (uniform() - 0.5) * 2;
  if (kind < 0.7) {
    const distance = randomDouble(uniform, -53, -2);
    return (uniform() < 0.5 ? -1 : 1) * (1 - Math.abs(distance));
  }
  if (kind < 0.85) return randomDouble(uniform, -1074, -2);
  return (uniform() < 0.5 ? -1 : 1) * (0.5 + (uniform() - 0.5) * 2 ** -20);
}

const INVERSE_SINE_EDGES = [
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  ...neighbours(0.5, 3),
  ...neighbours(-0.5, 3),
  ...neighbours(1, 3).filter((x) => x <= 1),
  ...neighbours(-1, 3).filter((x) => x >= -1),
  7.450580596923828e-9,
  1e-300,
];

function atanArgument(uniform: () => number): number {
  const kind = uniform();
  if (kind < 0.3) return (uniform() - 0.5) * 6;
  if (kind < 0.9) return randomDouble(uniform, -60, 70);
  return randomDouble(uniform, -1074, 1023);
}

const ATAN_EDGES = [
  0,
  -0,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  ...[7 / 16, 11 / 16, 19 / 16, 39 / 16, 1, 2 ** 66, 2 ** -27].flatMap((x) => [
    ...neighbours(x, 3),
    ...neighbours(-x, 3),
  ]),
];

export const UNARY_CASES: UnaryCase[] = [
  {
    name: "sin",
    implementation: trig.sin,
    builtin: Math.sin,
    reference: sinReference,
    argument: sinCosTanArgument,
    edges: SIN_COS_TAN_EDGES,
  },
  {
    name: "cos",
    implementation: trig.cos,
    builtin: Math.cos,
    reference: cosReference,
    argument: sinCosTanArgument,
    edges: SIN_COS_TAN_EDGES,
  },
  {
    name: "tan",
    implementation: trig.tan,
    builtin: Math.tan,
    reference: tanReference,
    argument: sinCosTanArgument,
    edges: SIN_COS_TAN_EDGES,
  },
  {
    name: "asin",
    implementation: trig.asin,
    builtin: Math.asin,
    reference: asinReference,
    argument: inverseSineArgument,
    edges: INVERSE_SINE_EDGES,
  },
  {
    name: "acos",
    implementation: trig.acos,
    builtin: Math.acos,
    reference: acosReference,
    argument: inverseSineArgument,
    edges: INVERSE_SINE_EDGES,
  },
  {
    name: "atan",
    implementation: trig.atan,
    builtin: Math.atan,
    reference: atanReference,
    argument: atanArgument,
    edges: ATAN_EDGES,
  },
];

export function unaryCase(name: UnaryCase["name"]): UnaryCase {
  const found = UNARY_CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

export interface SweepResult {
  count: number;
  maxError: number;
  worstArgument: number[];
  correctlyRounded: number;
  /**
   * The largest distance from Math's result, in ulps, and where, over the arguments where Math itself
   * is within 1 ulp of the reference (elsewhere a distance above 1 ulp is Math's error, not ours).
   */
  maxFromBuiltin: number;
  worstFromBuiltin: number[];
  /** Arguments where Math's own error exceeds 1 ulp (V8's atan2 divides first: up to ~1.5 ulp). */
  builtinBeyondOneUlp: number;
}

function emptyResult(): SweepResult {
  return {
    count: 0,
    maxError: 0,
    worstArgument: [],
    correctlyRounded: 0,
    maxFromBuiltin: 0,
    worstFromBuiltin: [],
    builtinBeyondOneUlp: 0,
  };
}

function record(
  result: SweepResult,
  args: number[],
  value: number,
  builtinValue: number,
  reference: Fixed,
): void {
  const error = ulpError(value, reference);
  let fromBuiltin = ulpsApart(value, builtinValue);
  if (fromBuiltin > 1 && ulpError(builtinValue, reference) > 1) {
    result.builtinBeyondOneUlp++;
    fromBuiltin = 0;
  }
  result.count++;
  if (error <= 0.5) result.correctlyRounded++;
  if (!(error <= result.maxError)) {
    result.maxError = error;
    result.worstArgument = args;
  }
  if (fromBuiltin > result.maxFromBuiltin) {
    result.maxFromBuiltin = fromBuiltin;
    result.worstFromBuiltin = args;
  }
}

/** Measures a unary function on its edges plus `count` random arguments from `seed`. */
export function sweepUnary(c: UnaryCase, count: number, seed: number): SweepResult {
  const result = emptyResult();
  const uniform = seededUniform(seed);
  const measure = (x: number) =>
    record(result, [x], c.implementation(x), c.builtin(x), c.reference(x));
  for (const x of c.edges) measure(x);
  for (let i = 0; i < count; i++) measure(c.argument(uniform));
  return result;
}

function atan2Arguments(uniform: () => number): [number, number] {
  const kind = uniform();
  if (kind < 0.3) return [(uniform() - 0.5) * 4, (uniform() - 0.5) * 4];
  if (kind < 0.85) {
    const exponentX = Math.floor(uniform() * 2000) - 1000;
    const exponentY = Math.max(-1074, Math.min(1023, exponentX + Math.floor(uniform() * 141) - 70));
    return [
      randomDouble(uniform, exponentY, exponentY),
      randomDouble(uniform, exponentX, exponentX),
    ];
  }
  return [randomDouble(uniform, -1074, 1023), randomDouble(uniform, -1074, 1023)];
}

const ATAN2_EDGE_VALUES = [
  1,
  -1,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e-300,
  3,
];

/** atan2 on finite non-zero edge pairs plus `count` random pairs. */
export function sweepAtan2(count: number, seed: number): SweepResult {
  const result = emptyResult();
  const uniform = seededUniform(seed);
  const measure = (y: number, x: number) =>
    record(result, [y, x], trig.atan2(y, x), Math.atan2(y, x), atan2Reference(y, x));
  for (const y of ATAN2_EDGE_VALUES) for (const x of ATAN2_EDGE_VALUES) measure(y, x);
  for (let i = 0; i < count; i++) measure(...atan2Arguments(uniform));
  return result;
}

export function describe(result: SweepResult): string {
  return (
    `${result.count} arguments: max ${result.maxError.toFixed(4)} ulp at ${result.worstArgument.join(", ")}; ` +
    `${((100 * result.correctlyRounded) / result.count).toFixed(3)}% correctly rounded; ` +
    `max ${result.maxFromBuiltin} ulp from Math at ${result.worstFromBuiltin.join(", ")} ` +
    `(not counting ${result.builtinBeyondOneUlp} arguments where Math itself is more than 1 ulp off)`
  );
}
