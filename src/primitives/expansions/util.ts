/**
 * Small helpers shared by the expansions: argument shape checks (compile time), Stan's runtime
 * checks (index range, size match, sign of a size), and loop/assignment shorthands over flat
 * column-major storage.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import { type IrVar, type SExpr, bin, num, read } from "../../ir/ir";
import type { ContainerValue, Value } from "../../ir/values";
import type { LoweringContext } from "../primitive";

export const ZERO = num(0, true);
export const ONE = num(1, true);
export const REAL_ZERO = num(0, false);
export const REAL_ONE = num(1, false);

export function containerArg(v: Value, fn: string, sp: Span): ContainerValue {
  if (v.kind !== "c") return fail("Semantic error", sp, `${fn} needs a container argument.`);
  return v;
}
export function scalarArg(v: Value, fn: string, sp: Span): SExpr {
  if (v.kind !== "s") return fail("Semantic error", sp, `${fn} needs a scalar argument here.`);
  return v.e;
}
export function matrixArg(v: Value, fn: string, sp: Span): ContainerValue {
  if (v.kind !== "c" || v.base !== "matrix" || v.arrayDims !== 0) return fail("Semantic error", sp, `${fn} needs a matrix argument.`);
  return v;
}
export function arity(args: readonly Value[], n: number | readonly number[], fn: string, sp: Span): void {
  const allowed = typeof n === "number" ? [n] : n;
  if (!allowed.includes(args.length)) fail("Semantic error", sp, `${fn} takes ${allowed.join(" or ")} argument${allowed.length === 1 && allowed[0] === 1 ? "" : "s"}, found ${args.length}.`);
}

/** Column-major flat index of (i, j) in a matrix with `rows` rows. */
export function at(i: SExpr, j: SExpr, rows: SExpr): SExpr {
  return bin("+", i, bin("*", j, rows));
}

/** for (i = lo; i < hi; i++) body(i) */
export function loopRange(l: LoweringContext, lo: SExpr, hi: SExpr, body: (i: SExpr) => void): void {
  l.loop(bin("-", hi, lo), (r) => body(bin("+", lo, r)));
}

export function assign(l: LoweringContext, v: IrVar, idx: SExpr | undefined, op: "=" | "+=" | "-=" | "*=" | "/=", rhs: SExpr): void {
  l.emit({ k: "assign", lhs: idx === undefined ? { v } : { v, at: idx }, op, rhs });
}

export function cond(c: SExpr, t: SExpr, f: SExpr, isInt = false): SExpr {
  return { k: "cond", c, t, f, isInt };
}

/**
 * A container value stored in a variable (copied into a fresh temporary unless it already is one),
 * with the value's own shape: a reshaped variable (`v'`, `to_matrix(v)`) keeps its storage but
 * not its variable's shape.
 */
export function materialized(l: LoweringContext, v: ContainerValue): ContainerValue {
  const stored = l.materialize(v);
  return { kind: "c", elem: v.elem, base: v.base, arrayDims: v.arrayDims, dims: v.dims, at: (i) => read(stored, i), aligned: true };
}

/** Rows and columns of a vector (K×1), row vector (1×K) or matrix, as Stan's `rows`/`cols`. */
export function matrixShape(v: ContainerValue): { rows: SExpr; cols: SExpr } {
  if (v.base === "vector") return { rows: v.dims[0], cols: ONE };
  if (v.base === "row_vector") return { rows: ONE, cols: v.dims[0] };
  return { rows: v.dims[0], cols: v.dims[1] };
}

/** Stan's out-of-range error for a 1-based index (std::out_of_range: fatal). */
export function checkIndex(l: LoweringContext, fn: string, index: SExpr, size: SExpr, suffix = ""): void {
  const message: (SExpr | string)[] = [`${fn}: accessing element out of range. index `, index, " out of range; expecting index to be between 1 and ", size];
  if (suffix) message.push(suffix);
  l.emit({ k: "check", cond: bin("&&", bin(">=", index, ONE), bin("<=", index, size)), message, data: false, fatal: true, loc: l.currentLoc });
}

/** Stan's check_size_match (std::invalid_argument: fatal). */
export function checkSizeMatch(l: LoweringContext, fn: string, nameA: string, a: SExpr, nameB: string, b: SExpr): void {
  if (a === b) return;
  l.emit({ k: "check", cond: bin("==", a, b), message: [`${fn}: ${nameA} (`, a, `) and ${nameB} (`, b, ") must match in size"], data: true, fatal: true, loc: l.currentLoc });
}

/** Stan's check_square. */
export function checkSquare(l: LoweringContext, fn: string, name: string, m: ContainerValue): void {
  if (m.dims[0] === m.dims[1]) return;
  l.emit({ k: "check", cond: bin("==", m.dims[0], m.dims[1]), message: [`${fn}: Expecting a square matrix; rows of ${name} (`, m.dims[0], `) and columns of ${name} (`, m.dims[1], ") must match in size"], data: true, fatal: true, loc: l.currentLoc });
}

/** A size or count argument that must be ≥ 0 (`nonnegative`) or ≥ 1 (`positive`): a domain error otherwise. */
export function checkSize(l: LoweringContext, fn: string, name: string, n: SExpr, kind: "nonnegative" | "positive"): void {
  if (n.k === "num" && (kind === "nonnegative" ? Number(n.text) >= 0 : Number(n.text) >= 1)) return;
  const ok = kind === "nonnegative" ? bin(">=", n, ZERO) : bin(">", n, ZERO);
  l.emit({ k: "check", cond: ok, message: [`${fn}: ${name} is `, n, `, but must be ${kind === "nonnegative" ? "nonnegative" : "positive"}!`], data: false, loc: l.currentLoc });
}

/** Stan's check_symmetric (absolute tolerance 1e-8), element by element of the strict lower triangle. */
export function checkSymmetric(l: LoweringContext, fn: string, name: string, m: ContainerValue): void {
  const K = m.dims[0];
  l.loop(K, (j) =>
    loopRange(l, bin("+", j, ONE), K, (i) => {
      const a = m.at(at(i, j, K));
      const b = m.at(at(j, i, K));
      const diff = bin("-", a, b);
      l.emit({
        k: "check",
        cond: bin("&&", bin("<=", diff, num("1e-8", false)), bin(">=", diff, num("-1e-8", false))),
        message: [`${fn}: ${name} is not symmetric. ${name}[`, bin("+", j, ONE), ",", bin("+", i, ONE), "] = ", b, ", but ", `${name}[`, bin("+", i, ONE), ",", bin("+", j, ONE), "] = ", a],
        data: false,
        loc: l.currentLoc,
      });
    }),
  );
}

export { read, bin, num };
