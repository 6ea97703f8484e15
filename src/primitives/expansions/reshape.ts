/**
 * Building, reshaping and slicing containers, as lazy element functions where each element is a
 * re-indexing of an argument (`to_matrix`, `block`, `sub_col`, …) and as loops into a temporary
 * where pieces are concatenated (`append_col`, `append_row`, `append_array`). Index and size
 * arguments are checked with Stan's wording before the value is read.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import type { ElemType, SExpr, ValueBase } from "../../ir/ir";
import { type ContainerValue, type Value, totalSize, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import {
  ONE,
  REAL_ONE,
  REAL_ZERO,
  ZERO,
  arity,
  assign,
  at,
  bin,
  checkIndex,
  checkSize,
  checkSizeMatch,
  cond,
  containerArg,
  matrixArg,
  matrixShape,
  num,
  scalarArg,
} from "./util";

function lazy(base: ValueBase, arrayDims: number, dims: SExpr[], element: (i: SExpr) => SExpr, elem: ElemType = "real"): ContainerValue {
  return { kind: "c", elem, base, arrayDims, dims, at: element, aligned: false };
}

/** to_matrix(x), to_matrix(x, m, n), to_matrix(a, m, n, col_major). */
export const to_matrix: Expansion = (l, a, sp) => {
  arity(a, [1, 3, 4], "to_matrix", sp);
  const x = containerArg(a[0], "to_matrix", sp);
  if (a.length === 1) {
    if (x.arrayDims === 0) {
      const { rows, cols } = matrixShape(x);
      // a new shape for the same elements: not a view of the variable (whose shape differs)
      return lazy("matrix", 0, [rows, cols], x.at);
    }
    // a 2-D array or an array of row vectors: row-major storage, element (r, c) at r·C + c
    const R = x.dims[0];
    const C = x.dims[1];
    return lazy("matrix", 0, [R, C], (i) => x.at(bin("+", bin("*", bin("%", i, R), C), bin("%/%", i, R))));
  }
  const m = scalarArg(a[1], "to_matrix", sp);
  const n = scalarArg(a[2], "to_matrix", sp);
  const size = totalSize(x.dims);
  checkSizeMatch(l, "to_matrix", "rows * columns", bin("*", m, n), "vector size", size);
  const columnMajor = lazy("matrix", 0, [m, n], x.at);
  if (a.length === 3) return columnMajor;
  // row-major fill when col_major is 0: element (r, c) is x[r·n + c]
  const colMajor = scalarArg(a[3], "to_matrix", sp);
  if (colMajor.k === "num") return Number(colMajor.text) !== 0 ? columnMajor : lazy("matrix", 0, [m, n], (i) => x.at(rowMajorSource(i, m, n)));
  return lazy("matrix", 0, [m, n], (i) => x.at(cond(bin("!=", colMajor, ZERO), i, rowMajorSource(i, m, n), true)));
};
function rowMajorSource(i: SExpr, m: SExpr, n: SExpr): SExpr {
  return bin("+", bin("*", bin("%", i, m), n), bin("%/%", i, m));
}

export const to_array_2d: Expansion = (_l, a, sp) => {
  arity(a, 1, "to_array_2d", sp);
  const x = matrixArg(a[0], "to_array_2d", sp);
  const R = x.dims[0];
  const C = x.dims[1];
  // array element (r, c) at r·C + c reads matrix element (r, c)
  return lazy("real", 2, [R, C], (i) => x.at(at(bin("%/%", i, C), bin("%", i, C), R)));
};

/** Stan's check_row_index / check_column_index: the 1-based `index` names `what` in `fn`'s message. */
function checkRowIndex(l: LoweringContext, fn: string, what: string, index: SExpr, size: SExpr): void {
  checkIndex(l, fn, index, size, ` for rows of ${what}`);
}
function checkColumnIndex(l: LoweringContext, fn: string, what: string, index: SExpr, size: SExpr): void {
  checkIndex(l, fn, index, size, ` for columns of ${what}`);
}
/** The last index of a run of `count` elements from `first` is checked only when the run is not empty. */
function checkRunEnd(l: LoweringContext, count: SExpr, check: () => void): void {
  const stmts = l.collect(check);
  if (count.k === "num") {
    if (Number(count.text) > 0) for (const s of stmts) l.emit(s);
    return;
  }
  l.emit({ k: "if", cond: bin(">", count, ZERO), then: stmts, otherwise: [] });
}

export const block: Expansion = (l, a, sp) => {
  arity(a, 5, "block", sp);
  const m = matrixArg(a[0], "block", sp);
  const [i, j, nr, nc] = a.slice(1).map((v) => scalarArg(v, "block", sp));
  const R = m.dims[0];
  const C = m.dims[1];
  checkRowIndex(l, "block", "i", i, R);
  checkRunEnd(l, nr, () => checkRowIndex(l, "block", "i+nrows-1", bin("-", bin("+", i, nr), ONE), R));
  checkColumnIndex(l, "block", "j", j, C);
  checkRunEnd(l, nc, () => checkColumnIndex(l, "block", "j+ncols-1", bin("-", bin("+", j, nc), ONE), C));
  const r0 = bin("-", i, ONE);
  const c0 = bin("-", j, ONE);
  return lazy("matrix", 0, [nr, nc], (k) => m.at(at(bin("+", r0, bin("%", k, nr)), bin("+", c0, bin("%/%", k, nr)), R)));
};

export const sub_col: Expansion = (l, a, sp) => {
  arity(a, 4, "sub_col", sp);
  const m = matrixArg(a[0], "sub_col", sp);
  const [i, j, n] = a.slice(1).map((v) => scalarArg(v, "sub_col", sp));
  const R = m.dims[0];
  checkRowIndex(l, "sub_col", "i", i, R);
  checkColumnIndex(l, "sub_col", "j", j, m.dims[1]);
  checkRunEnd(l, n, () => checkRowIndex(l, "sub_col", "i+nrows-1", bin("-", bin("+", i, n), ONE), R));
  return lazy("vector", 0, [n], (k) => m.at(at(bin("+", bin("-", i, ONE), k), bin("-", j, ONE), R)));
};

export const sub_row: Expansion = (l, a, sp) => {
  arity(a, 4, "sub_row", sp);
  const m = matrixArg(a[0], "sub_row", sp);
  const [i, j, n] = a.slice(1).map((v) => scalarArg(v, "sub_row", sp));
  const R = m.dims[0];
  checkRowIndex(l, "sub_row", "i", i, R);
  checkColumnIndex(l, "sub_row", "j", j, m.dims[1]);
  checkRunEnd(l, n, () => checkColumnIndex(l, "sub_row", "j+ncols-1", bin("-", bin("+", j, n), ONE), m.dims[1]));
  return lazy("row_vector", 0, [n], (k) => m.at(at(bin("-", i, ONE), bin("+", bin("-", j, ONE), k), R)));
};

/** A scalar, vector, row vector or matrix as a matrix: its shape and element (r, c). */
function asMatrix(v: Value): { rows: SExpr; cols: SExpr; get: (r: SExpr, c: SExpr) => SExpr } {
  if (v.kind === "s") return { rows: ONE, cols: ONE, get: () => v.e };
  const { rows, cols } = matrixShape(v);
  if (v.base === "vector") return { rows, cols, get: (r) => v.at(r) };
  if (v.base === "row_vector") return { rows, cols, get: (_r, c) => v.at(c) };
  return { rows, cols, get: (r, c) => v.at(at(r, c, rows)) };
}

/**
 * append_col / append_row: side by side (`byColumns`) or stacked. Vectors, row vectors and
 * matrices combine as matrices; the result is a row vector (append_col) or vector (append_row)
 * when both pieces are.
 */
function appendExpansion(fn: "append_col" | "append_row"): Expansion {
  const byColumns = fn === "append_col";
  return (l, a, sp) => {
    arity(a, 2, fn, sp);
    for (const v of a) {
      if (v.kind === "c" && v.arrayDims > 0) fail("Semantic error", sp, `${fn} needs vectors, row vectors, matrices or scalars.`);
    }
    const x = asMatrix(a[0]);
    const y = asMatrix(a[1]);
    const sequence: ValueBase = byColumns ? "row_vector" : "vector";
    const isSequence = (v: Value) => v.kind === "s" || v.base === sequence;
    if (byColumns) checkSizeMatch(l, fn, "rows of A", x.rows, "rows of B", y.rows);
    else checkSizeMatch(l, fn, "columns of A", x.cols, "columns of B", y.cols);
    const rows = byColumns ? x.rows : bin("+", x.rows, y.rows);
    const cols = byColumns ? bin("+", x.cols, y.cols) : x.cols;
    const result: ValueBase = isSequence(a[0]) && isSequence(a[1]) ? sequence : "matrix";
    const out = l.temp("real", result, 0, result === "matrix" ? [rows, cols] : [byColumns ? cols : rows], "app");
    const put = (r: SExpr, c: SExpr, rhs: SExpr) => assign(l, out, result === "matrix" ? at(r, c, rows) : byColumns ? c : r, "=", rhs);
    l.loop(x.cols, (c) => l.loop(x.rows, (r) => put(r, c, x.get(r, c))));
    if (byColumns) l.loop(y.cols, (c) => l.loop(y.rows, (r) => put(r, bin("+", x.cols, c), y.get(r, c))));
    else l.loop(y.cols, (c) => l.loop(y.rows, (r) => put(bin("+", x.rows, r), c, y.get(r, c))));
    return wholeValue(out);
  };
}
export const append_col = appendExpansion("append_col");
export const append_row = appendExpansion("append_row");

export const append_array: Expansion = (l, a, sp) => {
  arity(a, 2, "append_array", sp);
  const x = containerArg(a[0], "append_array", sp);
  const y = containerArg(a[1], "append_array", sp);
  if (x.arrayDims === 0 || x.arrayDims !== y.arrayDims || x.base !== y.base) return fail("Semantic error", sp, "append_array needs two arrays of the same type.");
  // the elements of both arrays must have the same dimensions
  for (let d = 1; d < x.dims.length; d++) checkSizeMatch(l, "append_array", `size of x dimension ${d + 1}`, x.dims[d], `size of y dimension ${d + 1}`, y.dims[d]);
  const inner = totalSize(x.dims.slice(1));
  const nx = bin("*", x.dims[0], inner);
  const elem: ElemType = x.elem === "int" && y.elem === "int" ? "int" : "real";
  const base: ValueBase = x.base === "int" && elem === "real" ? "real" : x.base;
  const out = l.temp(elem, base, x.arrayDims, [bin("+", x.dims[0], y.dims[0]), ...x.dims.slice(1)], "app");
  l.loop(nx, (i) => assign(l, out, i, "=", x.at(i)));
  l.loop(bin("*", y.dims[0], inner), (i) => assign(l, out, bin("+", nx, i), "=", y.at(i)));
  return wholeValue(out);
};

/** linspaced_vector / _row_vector / _array: n points from lo to hi inclusive (n = 1: just hi). */
function linspaced(fn: string, base: ValueBase): Expansion {
  return (l, a, sp) => {
    arity(a, 3, fn, sp);
    const [n, lo, hi] = a.map((v) => scalarArg(v, fn, sp));
    checkSize(l, fn, "size", n, "nonnegative");
    l.emit({ k: "check", cond: bin(">=", hi, lo), message: [`${fn}: high is `, hi, ", but must be greater than or equal to ", lo], data: false, loc: l.currentLoc });
    const last = bin("-", n, ONE);
    // lo + i·(hi − lo)/(n − 1), the last point exactly hi
    // (a real denominator: integer bounds must not divide as integers)
    const step = bin("/", bin("-", hi, lo), cond(bin(">", last, ZERO), bin("-", n, REAL_ONE), REAL_ONE));
    return lazy(base, base === "real" ? 1 : 0, [n], (i) => cond(bin("==", i, last), hi, bin("+", lo, bin("*", i, step))));
  };
}
export const linspaced_vector = linspaced("linspaced_vector", "vector");
export const linspaced_row_vector = linspaced("linspaced_row_vector", "row_vector");
export const linspaced_array = linspaced("linspaced_array", "real");

/**
 * K integers from low to high: evenly spaced by ⌊(high − low)/(K − 1)⌋ (high lowered to fit), or
 * each value repeated ⌊(K + high − low)/(high − low + 1)⌋ times when K − 1 exceeds high − low;
 * K = 1 gives high (as Stan's, which is Eigen's integer LinSpaced).
 */
export const linspaced_int_array: Expansion = (l, a, sp) => {
  arity(a, 3, "linspaced_int_array", sp);
  const [K, lo, hi] = a.map((v) => scalarArg(v, "linspaced_int_array", sp));
  checkSize(l, "linspaced_int_array", "size", K, "nonnegative");
  l.emit({ k: "check", cond: bin(">=", hi, lo), message: ["linspaced_int_array: high is ", hi, ", but must be greater than or equal to ", lo], data: false, loc: l.currentLoc });
  const range = bin("-", hi, lo);
  const out = l.temp("int", "int", 1, [K], "lin");
  const repeats = bin("%/%", bin("+", K, range), bin("+", range, ONE));
  const spacing = bin("%/%", range, cond(bin(">", K, ONE), bin("-", K, ONE), ONE, true));
  const repeated = bin("<", bin("+", range, ONE), K);
  l.loop(K, (i) => {
    const value = cond(bin("==", K, ONE), hi, cond(repeated, bin("+", lo, bin("%/%", i, repeats)), bin("+", lo, bin("*", i, spacing)), true), true);
    assign(l, out, i, "=", value);
  });
  return wholeValue(out);
};

function oneHot(fn: string, base: ValueBase, elem: ElemType): Expansion {
  return (l, a, sp) => {
    arity(a, 2, fn, sp);
    const [n, k] = a.map((v) => scalarArg(v, fn, sp));
    checkSize(l, fn, "size", n, "positive");
    l.emit({ k: "check", cond: bin("&&", bin(">=", k, ONE), bin("<=", k, n)), message: [`${fn}: k is `, k, ", but must be in the interval [1, ", n, "]"], data: false, loc: l.currentLoc });
    const isInt = elem === "int";
    return lazy(base, base === "int" || base === "real" ? 1 : 0, [n], (i) => cond(bin("==", i, bin("-", k, ONE)), num(1, isInt), num(0, isInt), isInt), elem);
  };
}
export const one_hot_vector = oneHot("one_hot_vector", "vector", "real");
export const one_hot_row_vector = oneHot("one_hot_row_vector", "row_vector", "real");
export const one_hot_array = oneHot("one_hot_array", "real", "real");
export const one_hot_int_array = oneHot("one_hot_int_array", "int", "int");

function filled(fn: string, base: ValueBase, value: SExpr): Expansion {
  return (l, a, sp) => {
    arity(a, 1, fn, sp);
    const n = scalarArg(a[0], fn, sp);
    checkSize(l, fn, "size", n, "nonnegative");
    return { kind: "c", elem: value.k === "num" && value.isInt ? "int" : "real", base, arrayDims: base === "int" || base === "real" ? 1 : 0, dims: [n], at: () => value, aligned: true };
  };
}
export const zeros_vector = filled("zeros_vector", "vector", REAL_ZERO);
export const zeros_row_vector = filled("zeros_row_vector", "row_vector", REAL_ZERO);
export const zeros_array = filled("zeros_array", "real", REAL_ZERO);
export const zeros_int_array = filled("zeros_int_array", "int", ZERO);
export const ones_vector = filled("ones_vector", "vector", REAL_ONE);
export const ones_row_vector = filled("ones_row_vector", "row_vector", REAL_ONE);
export const ones_array = filled("ones_array", "real", REAL_ONE);
export const ones_int_array = filled("ones_int_array", "int", ONE);

export const uniform_simplex: Expansion = (l, a, sp) => {
  arity(a, 1, "uniform_simplex", sp);
  const n = scalarArg(a[0], "uniform_simplex", sp);
  checkSize(l, "uniform_simplex", "size", n, "positive");
  const value = bin("/", REAL_ONE, n);
  return { kind: "c", elem: "real", base: "vector", arrayDims: 0, dims: [n], at: () => value, aligned: true };
};

export const identity_matrix: Expansion = (l, a, sp) => {
  arity(a, 1, "identity_matrix", sp);
  const n = scalarArg(a[0], "identity_matrix", sp);
  checkSize(l, "identity_matrix", "size", n, "nonnegative");
  return lazy("matrix", 0, [n, n], (i) => cond(bin("==", bin("%", i, n), bin("%/%", i, n)), REAL_ONE, REAL_ZERO));
};
