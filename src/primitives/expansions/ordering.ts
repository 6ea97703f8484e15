/**
 * Reductions by rows or columns, norms and distances, and the order functions. Sorting is a
 * permutation found by comparisons (no adjoint flows through a comparison), then the values read
 * through it, so reverse mode sends each result's adjoint back to the element it came from.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import type { IrVar, SExpr } from "../../ir/ir";
import { type ContainerValue, scalar, totalSize, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import { ONE, REAL_ZERO, ZERO, arity, assign, at, bin, checkIndex, checkSizeMatch, containerArg, materialized, matrixShape, num, read, scalarArg } from "./util";

/** columns_dot_product / rows_dot_product / rows_dot_self: one dot product per column or row. */
function byLines(fn: string, lines: "columns" | "rows", self: boolean): Expansion {
  return (l, a, sp) => {
    arity(a, self ? 1 : 2, fn, sp);
    const x = containerArg(a[0], fn, sp);
    const y = self ? x : containerArg(a[1], fn, sp);
    const { rows, cols } = matrixShape(x);
    if (!self) {
      const other = matrixShape(y);
      checkSizeMatch(l, fn, "rows of v1", rows, "rows of v2", other.rows);
      checkSizeMatch(l, fn, "columns of v1", cols, "columns of v2", other.cols);
    }
    const count = lines === "columns" ? cols : rows;
    const length = lines === "columns" ? rows : cols;
    const out = l.temp("real", lines === "columns" ? "row_vector" : "vector", 0, [count], "dots");
    // vectors and row vectors store element (r, c) at r + c (one of them is 0)
    const flat = (r: SExpr, c: SExpr) => (x.base === "matrix" ? at(r, c, rows) : bin("+", r, c));
    l.loop(count, (k) => {
      assign(l, out, k, "=", REAL_ZERO);
      l.loop(length, (e) => {
        const idx = lines === "columns" ? flat(e, k) : flat(k, e);
        assign(l, out, k, "+=", bin("*", x.at(idx), y.at(idx)));
      });
    });
    return wholeValue(out);
  };
}
export const columns_dot_product = byLines("columns_dot_product", "columns", false);
export const rows_dot_product = byLines("rows_dot_product", "rows", false);
export const rows_dot_self = byLines("rows_dot_self", "rows", true);
export const columns_dot_self = byLines("columns_dot_self", "columns", true);

export const distance: Expansion = (l, a, sp) => {
  arity(a, 2, "distance", sp);
  if (a[0].kind === "s" && a[1].kind === "s") return scalar(l.scalarCall("fabs", [bin("-", a[0].e, a[1].e)], sp));
  const x = containerArg(a[0], "distance", sp);
  const y = containerArg(a[1], "distance", sp);
  checkSizeMatch(l, "distance", "size of x", x.dims[0], "size of y", y.dims[0]);
  const acc = l.scalarTemp("real", "ssq");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(x.dims[0], (i) => {
    const d = bin("-", x.at(i), y.at(i));
    assign(l, acc, undefined, "+=", bin("*", d, d));
  });
  return scalar(l.scalarCall("sqrt", [read(acc)], sp));
};

export const norm1: Expansion = (l, a, sp) => {
  arity(a, 1, "norm1", sp);
  const x = containerArg(a[0], "norm1", sp);
  const acc = l.scalarTemp("real", "norm");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(x.dims[0], (i) => assign(l, acc, undefined, "+=", l.scalarCall("fabs", [x.at(i)], sp)));
  return scalar(read(acc));
};
export const norm2: Expansion = (l, a, sp) => {
  arity(a, 1, "norm2", sp);
  const x = containerArg(a[0], "norm2", sp);
  const acc = l.scalarTemp("real", "ssq");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(x.dims[0], (i) => assign(l, acc, undefined, "+=", bin("*", x.at(i), x.at(i))));
  return scalar(l.scalarCall("sqrt", [read(acc)], sp));
};

function sequenceArg(a: ContainerValue, fn: string, sp: Span): ContainerValue {
  if (a.arrayDims > 1 || (a.arrayDims === 1 && a.base !== "real" && a.base !== "int")) return fail("Semantic error", sp, `${fn} needs a vector, row vector or 1-D array.`);
  return a;
}

/**
 * The 0-based permutation that sorts x (ascending or descending), by insertion sort: stable,
 * so ties keep their order. Stan rejects NaN in what it sorts (check_not_nan).
 */
export function sortPermutation(l: LoweringContext, fn: string, x: ContainerValue, descending: boolean): IrVar {
  const n = x.dims[0];
  if (x.elem !== "int") {
    l.loop(n, (i) =>
      l.emit({ k: "check", cond: bin("==", x.at(i), x.at(i)), message: [`${fn}: container argument[`, bin("+", i, ONE), "] is nan, but must not be nan!"], data: false, loc: l.currentLoc }),
    );
  }
  const perm = l.temp("int", "int", 1, [n], "perm");
  const moving = l.scalarTemp("int", "moving");
  const pos = l.scalarTemp("int", "pos");
  l.loop(n, (i) => {
    // insert element i into the sorted prefix perm[0 … i−1]
    assign(l, moving, undefined, "=", i);
    assign(l, pos, undefined, "=", i);
    l.loop(i, () => {
      const before = read(perm, bin("-", read(pos), ONE));
      const outOfOrder = bin(descending ? "<" : ">", x.at(before), x.at(read(moving)));
      const shift = l.collect(() => {
        assign(l, perm, read(pos), "=", before);
        assign(l, pos, undefined, "-=", ONE);
      });
      l.emit({ k: "if", cond: outOfOrder, then: shift, otherwise: [] });
    });
    assign(l, perm, read(pos), "=", read(moving));
  });
  return perm;
}

function sortValues(fn: string, descending: boolean): Expansion {
  return (l, a, sp) => {
    arity(a, 1, fn, sp);
    const x = materialized(l, sequenceArg(containerArg(a[0], fn, sp), fn, sp));
    const perm = sortPermutation(l, fn, x, descending);
    const out = l.temp(x.elem, x.base, x.arrayDims, x.dims, "sorted");
    l.loop(x.dims[0], (i) => assign(l, out, i, "=", x.at(read(perm, i))));
    return wholeValue(out);
  };
}
export const sort_asc = sortValues("sort_asc", false);
export const sort_desc = sortValues("sort_desc", true);

function sortIndices(fn: string, descending: boolean): Expansion {
  return (l, a, sp) => {
    arity(a, 1, fn, sp);
    const x = materialized(l, sequenceArg(containerArg(a[0], fn, sp), fn, sp));
    const perm = sortPermutation(l, fn, x, descending);
    return { kind: "c", elem: "int", base: "int", arrayDims: 1, dims: x.dims, at: (i) => bin("+", read(perm, i), ONE), aligned: true };
  };
}
export const sort_indices_asc = sortIndices("sort_indices_asc", false);
export const sort_indices_desc = sortIndices("sort_indices_desc", true);

/** rank(v, s): how many elements of v are less than v[s]. */
export const rank: Expansion = (l, a, sp) => {
  arity(a, 2, "rank", sp);
  const x = sequenceArg(containerArg(a[0], "rank", sp), "rank", sp);
  const s = scalarArg(a[1], "rank", sp);
  const n = x.dims[0];
  checkIndex(l, "rank", s, n);
  const count = l.scalarTemp("int", "rank");
  const pivot = x.at(bin("-", s, ONE));
  assign(l, count, undefined, "=", ZERO);
  l.loop(n, (i) => l.emit({ k: "if", cond: bin("<", x.at(i), pivot), then: [{ k: "assign", lhs: { v: count }, op: "+=", rhs: ONE }], otherwise: [] }));
  return scalar(read(count));
};

/** reverse: the outermost index runs backwards (whole elements of an array of containers move). */
export const reverse: Expansion = (_l, a, sp) => {
  arity(a, 1, "reverse", sp);
  const x = containerArg(a[0], "reverse", sp);
  const n = x.dims[0];
  const inner = totalSize(x.dims.slice(1));
  const last = bin("-", n, ONE);
  const source = (i: SExpr): SExpr =>
    inner.k === "num" && inner.text === "1" ? bin("-", last, i) : bin("+", bin("*", bin("-", last, bin("%/%", i, inner)), inner), bin("%", i, inner));
  return { kind: "c", elem: x.elem, base: x.base, arrayDims: x.arrayDims, dims: x.dims, at: (i) => x.at(source(i)), aligned: false };
};

/** dims(x): the sizes of every dimension (arrays first, then rows and columns), empty for a scalar. */
export const dims: Expansion = (l, a, sp) => {
  arity(a, 1, "dims", sp);
  const sizes: SExpr[] = a[0].kind === "s" ? [] : a[0].base === "row_vector" ? [...a[0].dims.slice(0, a[0].arrayDims), ONE, a[0].dims[a[0].arrayDims]] : a[0].base === "vector" ? [...a[0].dims, ONE] : [...a[0].dims];
  const out = l.temp("int", "int", 1, [num(sizes.length, true)], "dims");
  sizes.forEach((d, k) => assign(l, out, num(k, true), "=", d));
  return wholeValue(out);
};


