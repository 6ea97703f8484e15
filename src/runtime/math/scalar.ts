/**
 * Scalar functions generated code calls by name where JavaScript's `Math` has no equivalent with
 * Stan's semantics. Their derivatives are not here: each function's entry in src/primitives
 * states its partials, and the compiler writes them into the generated code.
 */
import { log } from "./elementary";

/** a · log b, with 0 · log 0 = 0 (Stan's lmultiply; multiply_log lowers to it). */
export const lmultiply = (a: number, b: number): number => (a === 0 && b === 0 ? 0 : a * log(b));

export const square = (x: number): number => x * x;

/** C's fmod: a − trunc(a/b)·b. */
export const fmod = (a: number, b: number): number => a % b;

/** Stan's round: half away from zero (JavaScript's Math.round rounds half up). */
export const round = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));
