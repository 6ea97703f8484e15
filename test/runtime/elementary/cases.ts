/**
 * What the accuracy tests sweep, per function: the product function, its reference, Math's
 * function and the argument ranges (several generators, chosen with equal probability, covering
 * the whole domain: every binade, the regions near 0, 1 and the overflow and underflow thresholds).
 */
import * as elementary from "../../../src/runtime/math/elementary/index";
import { type Draw, logUniform, signed, uniform, unaryDraw } from "./accuracy";
import * as ref from "./reference";
import type { DD, ScaledDD } from "./reference";

export interface Case {
  name: string;
  f: (...a: number[]) => number;
  reference: (...a: number[]) => DD | ScaledDD;
  math: (...a: number[]) => number;
  draw: (u: () => number) => number[];
}

const unary = (
  name: string,
  f: (x: number) => number,
  reference: (x: number) => DD | ScaledDD,
  math: (x: number) => number,
  ...draws: Draw[]
): Case => ({
  name,
  f: f as Case["f"],
  reference: reference as Case["reference"],
  math: math as Case["math"],
  draw: unaryDraw(...draws),
});

/** Every positive double, subnormals included, log-uniformly. */
const anyPositive = logUniform(5e-324, 1.7976931348623157e308);
const nearOne: Draw = (u) => 1 + signed(logUniform(1e-17, 0.3))(u);

export const CASES: Case[] = [
  unary(
    "exp",
    elementary.exp,
    ref.expRef,
    Math.exp,
    uniform(-745.2, 709.8),
    signed(logUniform(1e-20, 1)),
    uniform(-10, 10),
  ),
  unary(
    "expm1",
    elementary.expm1,
    ref.expm1Ref,
    Math.expm1,
    uniform(-40, 709.7),
    signed(logUniform(1e-30, 1)),
    signed(logUniform(1 / 256, 1 / 64)),
  ),
  unary("log", elementary.log, ref.logRef, Math.log, anyPositive, nearOne, uniform(0.5, 2)),
  unary(
    "log1p",
    elementary.log1p,
    ref.log1pRef,
    Math.log1p,
    logUniform(1e-300, 1e300),
    (u) => -logUniform(1e-300, 1)(u),
    uniform(-1, 1),
  ),
  unary("log2", elementary.log2, ref.log2Ref, Math.log2, anyPositive, nearOne, uniform(0.5, 2)),
  unary("log10", elementary.log10, ref.log10Ref, Math.log10, anyPositive, nearOne, uniform(0.5, 2)),
  unary("cbrt", elementary.cbrt, ref.cbrtRef, Math.cbrt, signed(anyPositive), uniform(-10, 10)),
  unary(
    "sinh",
    elementary.sinh,
    ref.sinhRef,
    Math.sinh,
    uniform(-711, 711),
    signed(logUniform(1e-20, 30)),
    uniform(-2, 2),
  ),
  unary(
    "cosh",
    elementary.cosh,
    ref.coshRef,
    Math.cosh,
    uniform(-711, 711),
    signed(logUniform(1e-20, 30)),
    uniform(-2, 2),
  ),
  unary(
    "tanh",
    elementary.tanh,
    ref.tanhRef,
    Math.tanh,
    uniform(-25, 25),
    signed(logUniform(1e-20, 30)),
    uniform(-2, 2),
  ),
  unary(
    "asinh",
    elementary.asinh,
    ref.asinhRef,
    Math.asinh,
    signed(logUniform(1e-300, 1e300)),
    uniform(-3, 3),
  ),
  unary(
    "acosh",
    elementary.acosh,
    ref.acoshRef,
    Math.acosh,
    (u) => 1 + logUniform(1e-16, 1e300)(u),
    (u) => 1 + logUniform(1e-16, 1)(u),
    uniform(1, 3),
  ),
  unary(
    "atanh",
    elementary.atanh,
    ref.atanhRef,
    Math.atanh,
    uniform(-1, 1),
    signed(logUniform(1e-300, 0.5)),
    (u) => signed((v) => 1 - logUniform(1e-16, 0.5)(v))(u),
  ),
  {
    name: "pow",
    f: elementary.pow,
    reference: (x, y) => {
      if (y === 0) return [1, 0, 0];
      const r: ref.ScaledDD = Math.abs(x) === 1 ? [1, 0, 0] : ref.powRef(Math.abs(x), y);
      return x < 0 && Math.abs(y % 2) === 1 ? [-r[0], -r[1], r[2]] : r;
    },
    math: Math.pow,
    draw: (u) => {
      switch (Math.floor(u() * 5)) {
        case 0:
          return [logUniform(1e-3, 1e3)(u), uniform(-100, 100)(u)];
        case 1: {
          const x = nearOne(u);
          return [x, x === 1 ? uniform(-1e300, 1e300)(u) : uniform(-700, 700)(u) / (x - 1)];
        }
        case 2: {
          // Every output binade, subnormals and overflow included: y·ln x uniform in [−746, 710].
          const x = logUniform(1e-300, 1e300)(u);
          return [x, uniform(-746, 710)(u) / Math.log(x)];
        }
        case 3:
          return [-logUniform(0.1, 10)(u), Math.floor(uniform(-300, 300)(u))];
        default:
          return [anyPositive(u), uniform(-2, 2)(u)];
      }
    },
  },
  {
    name: "hypot",
    f: elementary.hypot as Case["f"],
    reference: ref.hypotRef as Case["reference"],
    math: Math.hypot,
    draw: (u) => {
      const x =
        u() < 0.9 ? signed(logUniform(1e-280, 1e280))(u) : signed(logUniform(5e-324, 1e-290))(u);
      return [x, x * signed(logUniform(1e-25, 1e25))(u)];
    },
  },
];

export const caseNamed = (name: string): Case => {
  const found = CASES.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no case ${name}`);
  return found;
};
