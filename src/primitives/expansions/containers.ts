/**
 * Container primitives expanded by the lowering into loops over scalar statements, so reverse mode
 * derives their adjoints like any other loop (`rep_vector`, `to_vector`, `transpose`,
 * `diag_pre_multiply`, `dot_product`, `sum`, `mean`, `multiply_lower_tri_self_transpose`, slices,
 * `softmax`, `log_sum_exp`, `cholesky_decompose`, …). Size queries (`rows`, `size`, …) become
 * data-level integer expressions.
 */
import { fail } from "../../common/diagnostics";
import { type ElemType, type SExpr, type ValueBase, bin, num, read } from "../../ir/ir";
import { type ContainerValue, type Value, scalar, totalSize, wholeValue } from "../../ir/values";
import type { Expansion } from "../primitive";
import type { Span } from "../../common/span";

function container(v: Value, fn: string, sp: Span): ContainerValue {
  if (v.kind !== "c") return fail("Semantic error", sp, `${fn} needs a container argument.`);
  return v;
}
function scalarArg(v: Value, fn: string, sp: Span): SExpr {
  if (v.kind !== "s") return fail("Semantic error", sp, `${fn} needs a scalar argument here.`);
  return v.e;
}
function arity(args: Value[], n: number, fn: string, sp: Span): void {
  if (args.length !== n) fail("Semantic error", sp, `${fn} takes ${n} argument${n === 1 ? "" : "s"}, found ${args.length}.`);
}

function broadcast(x: SExpr, elem: ElemType, base: ValueBase, arrayDims: number, dims: SExpr[]): ContainerValue {
  return { kind: "c", elem, base, arrayDims, dims, at: () => x, aligned: true };
}

export const rep_vector: Expansion = (_l, a, sp) => {
  arity(a, 2, "rep_vector", sp);
  return broadcast(scalarArg(a[0], "rep_vector", sp), "real", "vector", 0, [scalarArg(a[1], "rep_vector", sp)]);
};
export const rep_row_vector: Expansion = (_l, a, sp) => {
  arity(a, 2, "rep_row_vector", sp);
  return broadcast(scalarArg(a[0], "rep_row_vector", sp), "real", "row_vector", 0, [scalarArg(a[1], "rep_row_vector", sp)]);
};
export const rep_matrix: Expansion = (_l, a, sp) => {
  if (a.length === 3) {
    return broadcast(scalarArg(a[0], "rep_matrix", sp), "real", "matrix", 0, [scalarArg(a[1], "rep_matrix", sp), scalarArg(a[2], "rep_matrix", sp)]);
  }
  arity(a, 2, "rep_matrix", sp);
  const v = container(a[0], "rep_matrix", sp);
  const n = scalarArg(a[1], "rep_matrix", sp);
  if (v.base === "vector") {
    const R = v.dims[0];
    return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: [R, n], at: (i) => v.at(bin("%", i, R)), aligned: false };
  }
  const C = v.dims[0];
  return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: [n, C], at: (i) => v.at(bin("%/%", i, n)), aligned: false };
};
export const rep_array: Expansion = (_l, a, sp) => {
  if (a.length < 2 || a.length > 4) fail("Semantic error", sp, "rep_array takes 2 to 4 arguments.");
  const dims = a.slice(1).map((d) => scalarArg(d, "rep_array", sp));
  const x = a[0];
  if (x.kind === "s") {
    const elem: ElemType = x.e.k === "num" ? (x.e.isInt ? "int" : "real") : x.e.k === "read" ? x.e.v.elem : "real";
    return broadcast(x.e, elem, elem, dims.length, dims);
  }
  const inner = totalSize(x.dims);
  return { kind: "c", elem: x.elem, base: x.base, arrayDims: dims.length + x.arrayDims, dims: [...dims, ...x.dims], at: (i) => x.at(bin("%", i, inner)), aligned: false };
};

/** Same storage, new shape. */
function reshape(v: ContainerValue, base: ValueBase, dims: SExpr[]): ContainerValue {
  // the whole variable, reinterpreted: kernels may read its storage directly
  return { ...v, base, arrayDims: 0, dims, view: v.view, whole: v.whole, aligned: v.aligned };
}

export const to_vector: Expansion = (_l, a, sp) => {
  arity(a, 1, "to_vector", sp);
  const v = container(a[0], "to_vector", sp);
  if (v.arrayDims > 1 || (v.arrayDims === 1 && v.base !== "real" && v.base !== "int")) {
    return fail("Semantic error", sp, "stan2ts supports to_vector of vectors, row vectors, matrices and 1-D arrays.");
  }
  return { ...reshape(v, "vector", [totalSize(v.dims)]), elem: "real" };
};
export const to_row_vector: Expansion = (_l, a, sp) => {
  arity(a, 1, "to_row_vector", sp);
  const v = container(a[0], "to_row_vector", sp);
  return { ...reshape(v, "row_vector", [totalSize(v.dims)]), elem: "real" };
};
export const to_array_1d: Expansion = (_l, a, sp) => {
  arity(a, 1, "to_array_1d", sp);
  const v = container(a[0], "to_array_1d", sp);
  // arrays are stored row-major, Stan's to_array_1d order; a matrix column-major, its order too
  if (v.arrayDims > 0 && v.base !== "real" && v.base !== "int") return fail("Semantic error", sp, "stan2ts supports to_array_1d of vectors, matrices and arrays of reals or integers.");
  return { ...reshape(v, v.elem === "int" ? "int" : "real", [totalSize(v.dims)]), arrayDims: 1 };
};

export const transpose: Expansion = (l, a, sp) => {
  arity(a, 1, "transpose", sp);
  const v = container(a[0], "transpose", sp);
  if (v.base === "vector") return reshape(v, "row_vector", v.dims.slice());
  if (v.base === "row_vector") return reshape(v, "vector", v.dims.slice());
  if (v.base !== "matrix" || v.arrayDims > 0) return fail("Semantic error", sp, "transpose needs a vector or matrix.");
  const R = v.dims[0];
  const C = v.dims[1];
  const src = l.materializeValue(v) as ContainerValue;
  const out = l.temp("real", "matrix", 0, [C, R], "tr");
  l.loop(R, (r) => l.loop(C, (c) => l.emit({ k: "assign", lhs: { v: out, at: bin("+", c, bin("*", r, C)) }, op: "=", rhs: src.at(bin("+", r, bin("*", c, R))) })));
  return wholeValue(out);
};

export const diag_pre_multiply: Expansion = (l, a, sp) => {
  arity(a, 2, "diag_pre_multiply", sp);
  const d = container(a[0], "diag_pre_multiply", sp);
  const m = container(a[1], "diag_pre_multiply", sp);
  const R = m.dims[0];
  const C = m.dims[1];
  const out = l.temp("real", "matrix", 0, [R, C], "dpm");
  l.loop(C, (c) => l.loop(R, (r) => {
    const at = bin("+", r, bin("*", c, R));
    l.emit({ k: "assign", lhs: { v: out, at }, op: "=", rhs: bin("*", d.at(r), m.at(at)) });
  }));
  return wholeValue(out);
};
export const diag_post_multiply: Expansion = (l, a, sp) => {
  arity(a, 2, "diag_post_multiply", sp);
  const m = container(a[0], "diag_post_multiply", sp);
  const d = container(a[1], "diag_post_multiply", sp);
  const R = m.dims[0];
  const C = m.dims[1];
  const out = l.temp("real", "matrix", 0, [R, C], "dpm");
  l.loop(C, (c) => l.loop(R, (r) => {
    const at = bin("+", r, bin("*", c, R));
    l.emit({ k: "assign", lhs: { v: out, at }, op: "=", rhs: bin("*", m.at(at), d.at(c)) });
  }));
  return wholeValue(out);
};
export const diag_matrix: Expansion = (_l, a, sp) => {
  arity(a, 1, "diag_matrix", sp);
  const d = container(a[0], "diag_matrix", sp);
  const K = d.dims[0];
  return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: [K, K], at: (i) => ({ k: "cond", c: bin("==", bin("%", i, K), bin("%/%", i, K)), t: d.at(bin("%", i, K)), f: num(0, false), isInt: false }), aligned: false };
};

export const quad_form_diag: Expansion = (_l, a, sp) => {
  arity(a, 2, "quad_form_diag", sp);
  const m = container(a[0], "quad_form_diag", sp);
  const v = container(a[1], "quad_form_diag", sp);
  const R = m.dims[0];
  // diag(v) · m · diag(v): element (i, j) = v_i m_ij v_j
  return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: m.dims, at: (i) => bin("*", bin("*", v.at(bin("%", i, R)), m.at(i)), v.at(bin("%/%", i, R))), aligned: false };
};
export const multiply_lower_tri_self_transpose: Expansion = (l, a, sp) => {
  arity(a, 1, "multiply_lower_tri_self_transpose", sp);
  const L = l.materializeValue(container(a[0], "multiply_lower_tri_self_transpose", sp)) as ContainerValue;
  const K = L.dims[0];
  const C = L.dims[1];
  const out = l.temp("real", "matrix", 0, [K, K], "llt");
  const acc = l.scalarTemp("real", "acc");
  // out[i,j] = Σ_{k ≤ min(i,j)} L[i,k] L[j,k] (only the lower triangle of L is read)
  l.loop(K, (j) => l.loop(K, (i) => {
    l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, true) });
    const minIJ: SExpr = { k: "cond", c: bin("<", i, j), t: i, f: j, isInt: true };
    const upper: SExpr = { k: "cond", c: bin("<", minIJ, bin("-", C, num(1, true))), t: minIJ, f: bin("-", C, num(1, true)), isInt: true };
    l.loop(bin("+", upper, num(1, true)), (k) => l.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: bin("*", L.at(bin("+", i, bin("*", k, K))), L.at(bin("+", j, bin("*", k, K)))) }));
    l.emit({ k: "assign", lhs: { v: out, at: bin("+", i, bin("*", j, K)) }, op: "=", rhs: read(acc) });
  }));
  return wholeValue(out);
};
export const tcrossprod: Expansion = (l, a, sp) => {
  arity(a, 1, "tcrossprod", sp);
  const m = container(a[0], "tcrossprod", sp);
  return l.multiply(m, container(l.callWithValues("transpose", [m], sp, false), "tcrossprod", sp), sp);
};
export const crossprod: Expansion = (l, a, sp) => {
  arity(a, 1, "crossprod", sp);
  const m = container(a[0], "crossprod", sp);
  return l.multiply(container(l.callWithValues("transpose", [m], sp, false), "crossprod", sp), m, sp);
};
export const multiply: Expansion = (l, a, sp) => {
  arity(a, 2, "multiply", sp);
  return l.binary("*", a[0], a[1], sp);
};
export const add: Expansion = (l, a, sp) => l.binary("+", a[0], a[1], sp);
export const subtract: Expansion = (l, a, sp) => l.binary("-", a[0], a[1], sp);
export const elt_multiply: Expansion = (l, a, sp) => l.binary(".*", a[0], a[1], sp);
export const elt_divide: Expansion = (l, a, sp) => l.binary("./", a[0], a[1], sp);

export const dot_product: Expansion = (l, a, sp) => {
  arity(a, 2, "dot_product", sp);
  return scalar(l.dot(container(a[0], "dot_product", sp), container(a[1], "dot_product", sp)));
};
export const dot_self: Expansion = (l, a, sp) => {
  arity(a, 1, "dot_self", sp);
  const v = container(a[0], "dot_self", sp);
  return scalar(l.dot(v, v));
};
export const squared_distance: Expansion = (l, a, sp) => {
  arity(a, 2, "squared_distance", sp);
  if (a[0].kind === "s" && a[1].kind === "s") {
    const d = bin("-", a[0].e, a[1].e);
    return scalar(bin("*", d, d));
  }
  const d = l.zip(a[0], a[1], (x, y) => bin("-", x, y), sp) as ContainerValue;
  const m = l.materializeValue(d) as ContainerValue;
  return scalar(l.dot(m, m));
};
export const sum: Expansion = (l, a, sp) => {
  arity(a, 1, "sum", sp);
  if (a[0].kind === "s") return a[0];
  return scalar(l.sum(a[0]));
};
export const mean: Expansion = (l, a, sp) => {
  arity(a, 1, "mean", sp);
  const v = container(a[0], "mean", sp);
  return scalar(bin("/", l.sum({ ...v, elem: "real" }), totalSize(v.dims)));
};
export const variance: Expansion = (l, a, sp) => {
  arity(a, 1, "variance", sp);
  const v = container(a[0], "variance", sp);
  const n = totalSize(v.dims);
  const m = l.scalarTemp("real", "mean");
  l.emit({ k: "assign", lhs: { v: m }, op: "=", rhs: bin("/", l.sum({ ...v, elem: "real" }), n) });
  const centred = l.materializeValue(l.zip(v, scalar(read(m)), (x, y) => bin("-", x, y), sp)) as ContainerValue;
  return scalar(bin("/", l.dot(centred, centred), bin("-", n, num(1, true))));
};
export const sd: Expansion = (l, a, sp) => {
  arity(a, 1, "sd", sp);
  const v = variance(l, a, sp) as { e: SExpr };
  return scalar(l.scalarCall("sqrt", [v.e], sp));
};
export const prod: Expansion = (l, a, sp) => {
  arity(a, 1, "prod", sp);
  const v = container(a[0], "prod", sp);
  const acc = l.scalarTemp(v.elem, "prod");
  l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(1, v.elem === "int") });
  l.loop(totalSize(v.dims), (i) => l.emit({ k: "assign", lhs: { v: acc }, op: "*=", rhs: v.at(i) }));
  return scalar(read(acc));
};

/** max/min of a container: a stop-gradient running maximum (`passive`), then the value at the winner. */
function extremum(which: "max" | "min"): Expansion {
  return (l, a, sp) => {
    if (a.length === 2) {
      const x = scalarArg(a[0], which, sp);
      const y = scalarArg(a[1], which, sp);
      if (x.k !== "call" && y.k !== "call" && isIntExpr(x) && isIntExpr(y)) {
        return scalar({ k: "cond", c: bin(which === "max" ? ">=" : "<=", x, y), t: x, f: y, isInt: true });
      }
      return scalar(l.scalarCall(which === "max" ? "fmax" : "fmin", [x, y], sp));
    }
    arity(a, 1, which, sp);
    const v = container(a[0], which, sp);
    const best = l.scalarTemp("int", "argbest");
    const n = totalSize(v.dims);
    l.emit({ k: "assign", lhs: { v: best }, op: "=", rhs: num(0, true) });
    l.loop(n, (i) => l.emit({ k: "if", cond: bin(which === "max" ? ">" : "<", v.at(i), v.at(read(best))), then: [{ k: "assign", lhs: { v: best }, op: "=", rhs: i }], otherwise: [] }));
    return scalar(v.at(read(best)));
  };
}
function isIntExpr(e: SExpr): boolean {
  return (e.k === "num" && e.isInt) || (e.k === "read" && e.v.elem === "int") || (e.k === "bin" && e.isInt);
}
export const max: Expansion = extremum("max");
export const min: Expansion = extremum("min");

export const log_sum_exp: Expansion = (l, a, sp) => {
  if (a.length === 2) return scalar(l.scalarCall("log_sum_exp", [scalarArg(a[0], "log_sum_exp", sp), scalarArg(a[1], "log_sum_exp", sp)], sp));
  arity(a, 1, "log_sum_exp", sp);
  const v = l.materializeValue(container(a[0], "log_sum_exp", sp)) as ContainerValue;
  const mx = max(l, [v], sp) as { e: SExpr };
  const m = l.scalarTemp("real", "max");
  l.emit({ k: "assign", lhs: { v: m }, op: "=", rhs: mx.e });
  const acc = l.scalarTemp("real", "acc");
  l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, true) });
  l.loop(totalSize(v.dims), (i) => l.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: l.scalarCall("exp", [bin("-", v.at(i), read(m))], sp) }));
  return scalar(bin("+", read(m), l.scalarCall("log", [read(acc)], sp)));
};
export const softmax: Expansion = (l, a, sp) => {
  arity(a, 1, "softmax", sp);
  const v = l.materializeValue(container(a[0], "softmax", sp)) as ContainerValue;
  const lse = log_sum_exp(l, [v], sp) as { e: SExpr };
  const z = l.scalarTemp("real", "lse");
  l.emit({ k: "assign", lhs: { v: z }, op: "=", rhs: lse.e });
  return { kind: "c", elem: "real", base: "vector", arrayDims: 0, dims: v.dims, at: (i) => l.scalarCall("exp", [bin("-", v.at(i), read(z))], sp), aligned: true };
};
export const log_softmax: Expansion = (l, a, sp) => {
  arity(a, 1, "log_softmax", sp);
  const v = l.materializeValue(container(a[0], "log_softmax", sp)) as ContainerValue;
  const lse = log_sum_exp(l, [v], sp) as { e: SExpr };
  const z = l.scalarTemp("real", "lse");
  l.emit({ k: "assign", lhs: { v: z }, op: "=", rhs: lse.e });
  return { kind: "c", elem: "real", base: "vector", arrayDims: 0, dims: v.dims, at: (i) => bin("-", v.at(i), read(z)), aligned: true };
};

export const cholesky_decompose: Expansion = (l, a, sp) => {
  arity(a, 1, "cholesky_decompose", sp);
  const A = l.materializeValue(container(a[0], "cholesky_decompose", sp)) as ContainerValue;
  const K = A.dims[0];
  const L = l.temp("real", "matrix", 0, [K, K], "chol");
  const acc = l.scalarTemp("real", "acc");
  const at = (i: SExpr, j: SExpr) => bin("+", i, bin("*", j, K));
  // column by column: L[j,j] = sqrt(A[j,j] − Σ_k<j L[j,k]²); L[i,j] = (A[i,j] − Σ_k<j L[i,k] L[j,k]) / L[j,j]
  l.loop(K, (j) => {
    l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: A.at(at(j, j)) });
    l.loop(j, (k) => l.emit({ k: "assign", lhs: { v: acc }, op: "-=", rhs: bin("*", read(L, at(j, k)), read(L, at(j, k))) }));
    l.emit({ k: "check", cond: bin(">", read(acc), num(0, false)), message: ["cholesky_decompose: Matrix m is not positive definite"], data: false });
    l.emit({ k: "assign", lhs: { v: L, at: at(j, j) }, op: "=", rhs: l.scalarCall("sqrt", [read(acc)], sp) });
    l.loop(bin("-", bin("-", K, j), num(1, true)), (r) => {
      const i = bin("+", bin("+", j, num(1, true)), r);
      l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: A.at(at(i, j)) });
      l.loop(j, (k) => l.emit({ k: "assign", lhs: { v: acc }, op: "-=", rhs: bin("*", read(L, at(i, k)), read(L, at(j, k))) }));
      l.emit({ k: "assign", lhs: { v: L, at: at(i, j) }, op: "=", rhs: bin("/", read(acc), read(L, at(j, j))) });
    });
    // zero the strict upper triangle of column j
    l.loop(j, (r) => l.emit({ k: "assign", lhs: { v: L, at: at(r, j) }, op: "=", rhs: num(0, false) }));
  });
  return wholeValue(L);
};

export const head: Expansion = (l, a, sp) => {
  const v = container(a[0], "head", sp);
  const n = scalarArg(a[1], "head", sp);
  return l.index(v, [{ kind: "range", lo: num(1, true), hi: n }], sp);
};
export const tail: Expansion = (l, a, sp) => {
  const v = container(a[0], "tail", sp);
  const n = scalarArg(a[1], "tail", sp);
  return l.index(v, [{ kind: "range", lo: bin("+", bin("-", v.dims[0], n), num(1, true)) }], sp);
};
export const segment: Expansion = (l, a, sp) => {
  const v = container(a[0], "segment", sp);
  const i = scalarArg(a[1], "segment", sp);
  const n = scalarArg(a[2], "segment", sp);
  return l.index(v, [{ kind: "range", lo: i, hi: bin("-", bin("+", i, n), num(1, true)) }], sp);
};
export const col: Expansion = (l, a, sp) => l.index(container(a[0], "col", sp), [{ kind: "all" }, { kind: "single", e: scalarArg(a[1], "col", sp) }], sp);
export const row: Expansion = (l, a, sp) => l.index(container(a[0], "row", sp), [{ kind: "single", e: scalarArg(a[1], "row", sp) }], sp);
export const diagonal: Expansion = (_l, a, sp) => {
  const m = container(a[0], "diagonal", sp);
  const R = m.dims[0];
  return { kind: "c", elem: "real", base: "vector", arrayDims: 0, dims: [R], at: (i) => m.at(bin("+", i, bin("*", i, R))), aligned: false };
};
export const cumulative_sum: Expansion = (l, a, sp) => {
  const v = container(a[0], "cumulative_sum", sp);
  const out = l.temp(v.elem, v.base, v.arrayDims, v.dims, "cs");
  const acc = l.scalarTemp(v.elem, "acc");
  l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, v.elem === "int") });
  l.loop(totalSize(v.dims), (i) => {
    l.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: v.at(i) });
    l.emit({ k: "assign", lhs: { v: out, at: i }, op: "=", rhs: read(acc) });
  });
  return wholeValue(out);
};

// size queries: data-level integers
function sizeFn(f: (v: ContainerValue) => SExpr): Expansion {
  return (_l, a, sp) => {
    if (a[0].kind === "s") return scalar(num(1, true));
    return scalar(f(container(a[0], "size", sp)));
  };
}
export const rows: Expansion = sizeFn((v) => (v.base === "row_vector" ? num(1, true) : v.dims[v.arrayDims]));
export const cols: Expansion = sizeFn((v) => (v.base === "vector" ? num(1, true) : v.base === "row_vector" ? v.dims[v.arrayDims] : v.dims[v.arrayDims + 1]));
export const num_elements: Expansion = sizeFn((v) => totalSize(v.dims));
export const size: Expansion = sizeFn((v) => (v.arrayDims > 0 ? v.dims[0] : totalSize(v.dims)));
