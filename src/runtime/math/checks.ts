/**
 * Argument checks shared by the kernels. Messages follow Stan Math's wording
 * (`normal_lpdf: Scale parameter is 0, but must be positive!`), with a 1-based `[n]` suffix when the
 * offending value is an element of a container, so a runtime error reads like CmdStan's.
 */
import { StanDomainError } from "../model";
import { log10 } from "./elementary";

/** A real argument: a scalar, or a vector / array of reals that broadcasts against the others. */
export type Real = number | Float64Array;
/** An integer argument: a scalar or an integer array (a Float64Array holding integers is accepted). */
export type Int = number | Int32Array | Float64Array;
export type Vec = Float64Array;
export type Partials = Float64Array | null;

/** Formats a number the way C++ streams do by default (6 significant digits, `nan`, `inf`). */
export function formatStanNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const exponent = Math.floor(log10(Math.abs(x)));
  if (exponent < -5 || exponent >= 6) {
    const [mantissa, exp] = x.toExponential(5).split("e");
    const m = mantissa.replace(/\.?0+$/, "");
    const e = Number(exp);
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(Number(x.toPrecision(6)));
}

function fail(fn: string, name: string, index: number, value: number, requirement: string): never {
  const where = index < 0 ? name : `${name}[${index + 1}]`;
  // Stan ends every requirement with "!" except an interval's (check_bounded)
  const end = requirement.startsWith("in the interval") ? "" : "!";
  throw new StanDomainError(`${fn}: ${where} is ${formatStanNumber(value)}, but must be ${requirement}${end}`);
}

// Each check is a plain loop (no predicate callback): checks run on every evaluation, so they must
// cost about as much as reading the argument once.

export function checkNotNan(fn: string, name: string, x: Real): void {
  if (typeof x === "number") {
    if (x !== x) fail(fn, name, -1, x, "not nan");
    return;
  }
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) fail(fn, name, i, x[i], "not nan");
}
export function checkFinite(fn: string, name: string, x: Real): void {
  if (typeof x === "number") {
    if (!(x - x === 0)) fail(fn, name, -1, x, "finite");
    return;
  }
  for (let i = 0; i < x.length; i++) if (!(x[i] - x[i] === 0)) fail(fn, name, i, x[i], "finite");
}
export function checkPositive(fn: string, name: string, x: Real): void {
  if (typeof x === "number") {
    if (!(x > 0)) fail(fn, name, -1, x, "positive");
    return;
  }
  for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) fail(fn, name, i, x[i], "positive");
}
export function checkPositiveFinite(fn: string, name: string, x: Real): void {
  if (typeof x === "number") {
    if (!(x > 0 && x < Infinity)) fail(fn, name, -1, x, "positive finite");
    return;
  }
  for (let i = 0; i < x.length; i++)
    if (!(x[i] > 0 && x[i] < Infinity)) fail(fn, name, i, x[i], "positive finite");
}
export function checkNonnegative(fn: string, name: string, x: Real | Int32Array): void {
  if (typeof x === "number") {
    if (!(x >= 0)) fail(fn, name, -1, x, "nonnegative");
    return;
  }
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0)) fail(fn, name, i, x[i], "nonnegative");
}
export function checkBounded(
  fn: string,
  name: string,
  x: Real | Int32Array,
  lo: number,
  hi: number,
): void {
  if (typeof x === "number") {
    if (!(x >= lo && x <= hi)) fail(fn, name, -1, x, boundedRequirement(lo, hi));
    return;
  }
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= lo && x[i] <= hi)) fail(fn, name, i, x[i], boundedRequirement(lo, hi));
  }
}
function boundedRequirement(lo: number, hi: number): string {
  return `in the interval [${formatStanNumber(lo)}, ${formatStanNumber(hi)}]`;
}
/** Stan's check for integer-valued arguments passed as reals (e.g. a Float64Array holding counts). */
export function checkInteger(fn: string, name: string, x: Int): void {
  if (typeof x === "number") {
    if (!Number.isInteger(x)) fail(fn, name, -1, x, "an integer");
    return;
  }
  for (let i = 0; i < x.length; i++)
    if (!Number.isInteger(x[i])) fail(fn, name, i, x[i], "an integer");
}

/**
 * Number of elements the vectorised call runs over: the common length of the vector arguments, or 1
 * when all are scalars. `names[i]` names argument i in the size-mismatch message. Fixed arity (no rest
 * parameter) so the call allocates nothing.
 */
export function broadcastLength(
  fn: string,
  names: readonly string[],
  a: Real | Int,
  b?: Real | Int,
  c?: Real | Int,
  d?: Real | Int,
): number {
  let n = -1;
  let first = -1;
  for (let i = 0; i < 4; i++) {
    const x = i === 0 ? a : i === 1 ? b : i === 2 ? c : d;
    if (x === undefined || typeof x === "number") continue;
    if (n < 0) {
      n = x.length;
      first = i;
    } else if (x.length !== n) {
      throw new StanDomainError(
        `${fn}: size of ${names[i]} (${x.length}) and size of ${names[first]} (${n}) must match in size`,
      );
    }
  }
  return n < 0 ? 1 : n;
}

export function checkSize(fn: string, name: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new StanDomainError(`${fn}: ${name} has size ${actual}, but must have size ${expected}`);
  }
}

/** Stan's simplex check: nonnegative entries summing to 1 within 1e-8. */
export function checkSimplex(fn: string, name: string, theta: Float64Array): void {
  if (theta.length === 0) domainError(`${fn}: ${name} has size 0, but must have a non-zero size`);
  let s = 0;
  for (let k = 0; k < theta.length; k++) {
    if (!(theta[k] >= 0)) {
      domainError(
        `${fn}: ${name} is not a valid simplex. ${name}[${k + 1}] = ${formatStanNumber(theta[k])}, but should be greater than or equal to 0`,
      );
    }
    s += theta[k];
  }
  if (!(Math.abs(1 - s) <= 1e-8)) {
    domainError(
      `${fn}: ${name} is not a valid simplex. sum(${name}) = ${formatStanNumber(s)}, but should be 1`,
    );
  }
}

export function domainError(message: string): never {
  throw new StanDomainError(message);
}

/** Zeroes a partials buffer (kernels write partials; the caller accumulates adjoints). */
export function zero(d: Partials): void {
  if (d !== null) d.fill(0);
}

/** Element n of a broadcast argument. */
export function at(x: Real | Int, n: number): number {
  return typeof x === "number" ? x : x[n];
}

/** Index stride into an argument's partials: 0 for a scalar (summed into d[0]), 1 for a vector. */
export function stride(x: Real | Int): number {
  return typeof x === "number" ? 0 : 1;
}
