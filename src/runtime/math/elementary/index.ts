/**
 * Deterministic elementary functions: the same bits on every JavaScript engine (plain IEEE-754
 * double arithmetic, no Math transcendental). Each file states its method and accuracy; the
 * accuracy tests are in test/runtime/elementary.
 */
export { exp, expm1 } from "./exp";
export { log, log1p, log1pExp, log2, log10 } from "./log";
export { pow } from "./pow";
export { cbrt } from "./cbrt";
export { hypot } from "./hypot";
export { sinh, cosh, tanh, asinh, acosh, atanh } from "./hyperbolic";
export { sin, cos, tan, asin, acos, atan, atan2 } from "./trig";
