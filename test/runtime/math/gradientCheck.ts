/**
 * Helpers for the table-driven gradient tests: a seeded generator for argument values, argument
 * descriptors, Richardson-extrapolated central differences, and forward-mode dual numbers (the
 * second, independent derivative method for functions built from elementary operations).
 */

/** Small seeded generator (mulberry32) so every run checks the same points. */
export class TestRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }
  vector(n: number, lo: number, hi: number): Float64Array {
    return Float64Array.from({ length: n }, () => this.range(lo, hi));
  }
  nextU32(): number {
    return Math.floor(this.uniform() * 4294967296);
  }
}

export type ArgValue = number | Float64Array | Int32Array;

/** How finite differences may move an argument. */
export type ArgKind = "free" | "positive" | "unit" | "fixed" | "data";

export interface Arg {
  readonly value: ArgValue;
  /**
   * `fixed`: not differentiable (sizes, integers) and the kernel has no d_ buffer for it; `data`: the
   * kernel has a d_ buffer but it is passed null (a constant, as data is in a model); otherwise a
   * parameter with a d_ buffer.
   */
  readonly kind: ArgKind;
  /** Directions to differentiate along (default: each coordinate), e.g. to keep a simplex a simplex. */
  readonly directions?: readonly Float64Array[];
}

export const free = (value: number | Float64Array, directions?: Float64Array[]): Arg => ({
  value,
  kind: "free",
  directions,
});
export const positive = (value: number | Float64Array, directions?: Float64Array[]): Arg => ({
  value,
  kind: "positive",
  directions,
});
export const unit = (value: number | Float64Array, directions?: Float64Array[]): Arg => ({
  value,
  kind: "unit",
  directions,
});
export const fixed = (value: ArgValue): Arg => ({ value, kind: "fixed" });
export const data = (value: number | Float64Array): Arg => ({ value, kind: "data" });

export function argLength(a: ArgValue): number {
  return typeof a === "number" ? 1 : a.length;
}

function coordinateDirections(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Float64Array(n);
    d[i] = 1;
    return d;
  });
}

export function directionsOf(arg: Arg): readonly Float64Array[] {
  return arg.directions ?? coordinateDirections(argLength(arg.value));
}

/** value + t·direction, as the same shape as value. */
export function shifted(value: ArgValue, direction: Float64Array, t: number): ArgValue {
  if (typeof value === "number") return value + t * direction[0];
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value[i] + t * direction[i];
  return out;
}

/** Base step along a direction: relative to the coordinates it moves, and inside the argument's domain. */
export function baseStep(arg: Arg, direction: Float64Array): number {
  let scale = 0;
  let room = Infinity;
  for (let i = 0; i < direction.length; i++) {
    if (direction[i] === 0) continue;
    const x = typeof arg.value === "number" ? arg.value : arg.value[i];
    scale = Math.max(scale, Math.abs(x));
    if (arg.kind === "positive") room = Math.min(room, x / Math.abs(direction[i]));
    if (arg.kind === "unit") room = Math.min(room, Math.min(x, 1 - x) / Math.abs(direction[i]));
  }
  let h = 1e-3 * Math.max(scale, 1e-2);
  if (room < Infinity) h = Math.min(h, 0.05 * room);
  return h;
}

/**
 * d/dt f(x + t·dir) at t = 0 by central differences at h, h/2, h/4 combined by two Richardson
 * steps (truncation error O(h⁶)).
 */
export function richardson(f: (t: number) => number, h: number): number {
  const D = (s: number): number => (f(s) - f(-s)) / (2 * s);
  const d0 = D(h);
  const d1 = D(h / 2);
  const d2 = D(h / 4);
  const r0 = (4 * d1 - d0) / 3;
  const r1 = (4 * d2 - d1) / 3;
  return (16 * r1 - r0) / 15;
}

/** Relative error with a floor so that partials that are exactly zero compare absolutely. */
export function relativeError(analytic: number, numeric: number, floor = 1e-3): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
}

// ---------------------------------------------------------------------------------------------
// Dual numbers: value + derivative along one direction, propagated exactly by the chain rule.

export class Dual {
  constructor(
    readonly v: number,
    readonly d: number = 0,
  ) {}
  static of(x: number | Dual): Dual {
    return typeof x === "number" ? new Dual(x, 0) : x;
  }
  add(o: number | Dual): Dual {
    const b = Dual.of(o);
    return new Dual(this.v + b.v, this.d + b.d);
  }
  sub(o: number | Dual): Dual {
    const b = Dual.of(o);
    return new Dual(this.v - b.v, this.d - b.d);
  }
  mul(o: number | Dual): Dual {
    const b = Dual.of(o);
    return new Dual(this.v * b.v, this.d * b.v + this.v * b.d);
  }
  div(o: number | Dual): Dual {
    const b = Dual.of(o);
    return new Dual(this.v / b.v, (this.d * b.v - this.v * b.d) / (b.v * b.v));
  }
  neg(): Dual {
    return new Dual(-this.v, -this.d);
  }
}

export const D = {
  exp: (x: Dual) => new Dual(Math.exp(x.v), Math.exp(x.v) * x.d),
  log: (x: Dual) => new Dual(Math.log(x.v), x.d / x.v),
  log1p: (x: Dual) => new Dual(Math.log1p(x.v), x.d / (1 + x.v)),
  expm1: (x: Dual) => new Dual(Math.expm1(x.v), Math.exp(x.v) * x.d),
  sqrt: (x: Dual) => new Dual(Math.sqrt(x.v), x.d / (2 * Math.sqrt(x.v))),
  sin: (x: Dual) => new Dual(Math.sin(x.v), Math.cos(x.v) * x.d),
  cos: (x: Dual) => new Dual(Math.cos(x.v), -Math.sin(x.v) * x.d),
  atan: (x: Dual) => new Dual(Math.atan(x.v), x.d / (1 + x.v * x.v)),
  abs: (x: Dual) => (x.v < 0 ? x.neg() : x),
  /** x^p for a constant p. */
  powc: (x: Dual, p: number) => new Dual(Math.pow(x.v, p), p * Math.pow(x.v, p - 1) * x.d),
};
