/**
 * Helpers that generated model modules import: reading and validating Stan JSON data (CmdStan's
 * format), writing outputs in CmdStan's column order, the reverse-sweep tape, and runtime error
 * locations. Imports nothing from the compiler, so a bundled model carries only this and the runtime.
 *
 * Storage convention (see src/ir/ir.ts): arrays row-major (last index fastest), then the
 * vector/matrix block column-major; JSON nests outermost first, matrices as arrays of rows.
 */
import { StanDataError, StanDomainError } from "../../runtime/model";
import type { StanData } from "../../runtime/model";

export type Shape = "int" | "real" | "vector" | "row_vector" | "matrix";

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "string") return JSON.stringify(x);
  return String(x);
}

/** Stan JSON numbers, including CmdStan's "NaN", "Inf", "-Inf" strings. */
function numberOf(x: unknown): number | undefined {
  if (typeof x === "number") return x;
  if (typeof x === "string") {
    const t = x.trim().toLowerCase();
    if (t === "nan") return NaN;
    if (t === "inf" || t === "+inf" || t === "infinity" || t === "+infinity") return Infinity;
    if (t === "-inf" || t === "-infinity") return -Infinity;
  }
  return undefined;
}

function indexText(idx: readonly number[]): string {
  return idx.length === 0 ? "" : `[${idx.map((i) => i + 1).join(",")}]`;
}

/**
 * Reads a data or parameter value of the given shape into flat storage.
 * `dims` are the Stan dims (array dims then vector/matrix sizes).
 */
export function readValue__(
  source: StanData,
  what: string,
  name: string,
  elem: "int" | "real",
  base: Shape,
  arrayDims: number,
  dims: readonly number[],
): Float64Array | Int32Array | number {
  // Own properties only: a field named toString or constructor must not be found on Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(source, name)) throw new StanDataError(`${what} '${name}' is missing`);
  const value = source[name];
  const total = dims.reduce((a, b) => a * b, 1);
  const innerRank = base === "matrix" ? 2 : base === "vector" || base === "row_vector" ? 1 : 0;
  for (let j = 0; j < dims.length; j++) {
    if (!Number.isInteger(dims[j]) || dims[j] < 0) {
      throw new StanDataError(`${what} '${name}': dimension ${j + 1} is ${dims[j]}, but must be a non-negative integer`);
    }
  }
  if (dims.length === 0) return checkNumber(what, name, [], value, elem);
  let out: Float64Array | Int32Array;
  try {
    out = elem === "int" ? new Int32Array(total) : new Float64Array(total);
  } catch (error) {
    // the engine's RangeError would read as a crash: the declared sizes are the data's doing
    if (!(error instanceof RangeError)) throw error;
    throw new StanDataError(`${what} '${name}': its declared size, ${dims.join(" × ")} = ${total} elements, is too large to allocate`);
  }
  // storage strides
  const str = new Array<number>(dims.length);
  if (innerRank === 2) {
    str[arrayDims] = 1;
    str[arrayDims + 1] = dims[arrayDims];
  } else if (innerRank === 1) {
    str[arrayDims] = 1;
  }
  let s = 1;
  for (let j = arrayDims; j < dims.length; j++) s *= dims[j];
  for (let j = arrayDims - 1; j >= 0; j--) {
    str[j] = s;
    s *= dims[j];
  }
  if (total === 0) {
    // CmdStan accepts [] (or nested empties) for any size-0 value
    if (!Array.isArray(value)) throw new StanDataError(`${what} '${name}' must be an array, found ${describe(value)}`);
    return out;
  }
  const idx: number[] = [];
  const walk = (x: unknown, depth: number, offset: number) => {
    if (depth === dims.length) {
      out[offset] = checkNumber(what, name, idx, x, elem);
      return;
    }
    if (!Array.isArray(x) || x.length !== dims[depth]) {
      throw new StanDataError(
        `${what} '${name}'${indexText(idx)}: expected an array of length ${dims[depth]} (dimension ${depth + 1} of ${dims.length}), found ${describe(x)}`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      idx.push(i);
      walk(x[i], depth + 1, offset + i * str[depth]);
      idx.pop();
    }
  };
  walk(value, 0, 0);
  return out;
}

function checkNumber(what: string, name: string, idx: readonly number[], x: unknown, elem: "int" | "real"): number {
  const v = numberOf(x);
  if (v === undefined) throw new StanDataError(`${what} '${name}'${indexText(idx)}: expected a number, found ${describe(x)}`);
  if (elem === "int") {
    if (!Number.isInteger(v)) throw new StanDataError(`${what} '${name}'${indexText(idx)}: value ${v} is not an integer`);
    if (v > 2147483647 || v < -2147483648) throw new StanDataError(`${what} '${name}'${indexText(idx)}: value ${v} is out of the range of a Stan int`);
  }
  return v;
}

/** Flat storage index → Stan index text, e.g. 17 → [18] or [2,3]. */
export function storageIndexText__(flat: number, dims: readonly number[], arrayDims: number, base: Shape): string {
  if (dims.length === 0) return "";
  const idx = new Array<number>(dims.length).fill(0);
  let rest = flat;
  const innerRank = base === "matrix" ? 2 : base === "vector" || base === "row_vector" ? 1 : 0;
  let innerSize = 1;
  for (let j = arrayDims; j < dims.length; j++) innerSize *= dims[j];
  let inner = rest % innerSize;
  rest = Math.floor(rest / innerSize);
  for (let j = arrayDims - 1; j >= 0; j--) {
    idx[j] = rest % dims[j];
    rest = Math.floor(rest / dims[j]);
  }
  if (innerRank === 2) {
    idx[arrayDims] = inner % dims[arrayDims];
    idx[arrayDims + 1] = Math.floor(inner / dims[arrayDims]);
  } else if (innerRank === 1) {
    idx[arrayDims] = inner;
  }
  inner = 0;
  return indexText(idx);
}

/** Checks declared bounds on every element; messages name the field and index. */
export function checkBounds__(
  what: string,
  name: string,
  value: Float64Array | Int32Array | number,
  dims: readonly number[],
  arrayDims: number,
  base: Shape,
  lower: number | undefined,
  upper: number | undefined,
): void {
  const one = (x: number, flat: number) => {
    if (lower !== undefined && !(x >= lower)) {
      throw new StanDataError(`${what} '${name}'${storageIndexText__(flat, dims, arrayDims, base)}: value ${x} violates lower bound ${lower}`);
    }
    if (upper !== undefined && !(x <= upper)) {
      throw new StanDataError(`${what} '${name}'${storageIndexText__(flat, dims, arrayDims, base)}: value ${x} violates upper bound ${upper}`);
    }
  };
  if (typeof value === "number") one(value, 0);
  else for (let i = 0; i < value.length; i++) one(value[i], i);
}

/** Rejects data fields the program does not declare? CmdStan ignores them; so do we. */

/**
 * Writes `buf` (storage order) into `out` from `pos` in CmdStan's column order (first index
 * fastest over all dims); returns the next position.
 */
export function writeOutput__(
  out: Float64Array,
  pos: number,
  buf: Float64Array | Int32Array,
  dims: readonly number[],
  arrayDims: number,
  base: Shape,
): number {
  const n = dims.length;
  const total = dims.reduce((a, b) => a * b, 1);
  if (total === 0) return pos;
  const str = new Array<number>(n);
  const innerRank = base === "matrix" ? 2 : base === "vector" || base === "row_vector" ? 1 : 0;
  if (innerRank === 2) {
    str[arrayDims] = 1;
    str[arrayDims + 1] = dims[arrayDims];
  } else if (innerRank === 1) {
    str[arrayDims] = 1;
  }
  let s = 1;
  for (let j = arrayDims; j < n; j++) s *= dims[j];
  for (let j = arrayDims - 1; j >= 0; j--) {
    str[j] = s;
    s *= dims[j];
  }
  const idx = new Array<number>(n).fill(0);
  for (let k = 0; k < total; k++) {
    let flat = 0;
    for (let j = 0; j < n; j++) flat += idx[j] * str[j];
    out[pos++] = buf[flat];
    for (let j = 0; j < n; j++) {
      if (++idx[j] < dims[j]) break;
      idx[j] = 0;
    }
  }
  return pos;
}

/** The reverse sweep's stack of overwritten values grows by doubling (rarely: it is reused across evaluations). */
export function growTape__(tape: Float64Array): Float64Array {
  const bigger = new Float64Array(Math.max(1024, tape.length * 2));
  bigger.set(tape);
  return bigger;
}

/** Adds the Stan location to a domain error thrown by a kernel or check. */
export function locate__(err: unknown, where: string | undefined): unknown {
  if (where === undefined) return err;
  if (err instanceof StanDomainError && !err.message.includes("(in '")) {
    return new StanDomainError(`${err.message} (in ${where})`);
  }
  if (err instanceof StanDataError && !err.message.includes("(in '")) {
    return new StanDataError(`${err.message} (in ${where})`);
  }
  return err;
}

/** Stan's print(): numbers in Stan's style, containers as [a,b,c]. */
export function print__(...parts: readonly (string | number)[]): void {
  console.log(parts.map((p) => (typeof p === "number" ? formatNumber__(p) : p)).join(""));
}

/**
 * A real as Stan prints it (a C++ stream's default: six significant digits in the shorter of
 * fixed and scientific notation, like printf's %g): 1234567.0 → 1.23457e+06, 1e-5 → 1e-05,
 * 0.1 → 0.1. The generated code passes ints as text (`String(n)`), which print exactly.
 */
export function formatNumber__(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // the exponent after rounding to six digits decides the notation (999999.5 → 1e+06)
  const [mantissa, exponentText] = x.toExponential(5).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${withoutTrailingZeros(mantissa)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return withoutTrailingZeros(x.toFixed(5 - exponent));
}

function withoutTrailingZeros(decimal: string): string {
  return decimal.includes(".") ? decimal.replace(/\.?0+$/, "") : decimal;
}

/** A container as Stan prints it: [a,b,c], ints exactly, reals as formatNumber__. */
export function formatContainer__(x: Float64Array | Int32Array): string {
  const format = x instanceof Int32Array ? String : formatNumber__;
  return `[${Array.from(x, (v) => format(v)).join(",")}]`;
}

export function message__(...parts: readonly (string | number)[]): string {
  return parts.map((p) => (typeof p === "number" ? formatNumber__(p) : p)).join("");
}

/** Names of each scalar of a variable in CmdStan order (`b.1`, `L.2.1`). */
export function scalarNames__(name: string, dims: readonly number[]): string[] {
  const total = dims.reduce((a, b) => a * b, 1);
  if (dims.length === 0) return [name];
  const names: string[] = [];
  const idx = new Array<number>(dims.length).fill(1);
  for (let k = 0; k < total; k++) {
    names.push(`${name}.${idx.join(".")}`);
    for (let d = 0; d < idx.length; d++) {
      if (idx[d] < dims[d]) {
        idx[d]++;
        break;
      }
      idx[d] = 1;
    }
  }
  return names;
}

/** Stan's integer division (`/` and `%/%` on ints, truncating toward 0): a zero divisor is Stan's error, not ±inf. */
export function intDivide__(numerator: number, denominator: number): number {
  if (denominator === 0) throw new StanDomainError("divide: denominator is 0");
  return Math.trunc(numerator / denominator);
}

/** Stan's integer modulus (sign of the dividend): a zero divisor is Stan's error, not NaN. */
export function intModulus__(dividend: number, divisor: number): number {
  if (divisor === 0) throw new StanDomainError("modulus: divisor is 0");
  return dividend % divisor;
}

/** Stan's check of a declared size, before the variable is allocated: a negative size is a data error naming both. */
export function checkSize__(variable: string, sizeExpression: string, size: number): void {
  if (size < 0) {
    throw new StanDataError(
      `Found negative dimension size in variable declaration; variable=${variable}; dimension size expression=${sizeExpression}; expression value=${size}`,
    );
  }
}

/**
 * The first `length` elements of a buffer sized to a bound found at data load (a container whose
 * size is known only at run time), for a kernel that reads the container's length: one view per
 * length, made the first time that length is met and kept in `views`, so evaluations allocate
 * nothing once every length has been met.
 */
export function lengthView__<T extends Float64Array | Int32Array>(views: T[], buffer: T, length: number): T {
  const size = length > 0 ? length : 0;
  let view = views[size];
  if (view === undefined) {
    view = buffer.subarray(0, size) as T;
    views[size] = view;
  }
  return view;
}
