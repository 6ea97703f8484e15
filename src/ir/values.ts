/**
 * Values during lowering. A scalar is an `SExpr`. A container is described by its shape and an
 * element function `at(i)` giving the SExpr of flat element i, so container arithmetic stays lazy
 * and fuses into whatever loop finally consumes it; `view` marks values that are (a re-indexing
 * of) one variable's storage, so they can be assigned to and passed without copying.
 */
import { type ElemType, type IrVar, type SExpr, type ValueBase, bin, num } from "./ir";

export interface ScalarValue {
  readonly kind: "s";
  readonly e: SExpr;
}

export interface ContainerValue {
  readonly kind: "c";
  readonly elem: ElemType;
  readonly base: ValueBase;
  readonly arrayDims: number;
  /** Array sizes then vector/matrix sizes. */
  readonly dims: readonly SExpr[];
  /** Element at flat index i (storage order of a value of this shape). */
  readonly at: (i: SExpr) => SExpr;
  /** Set when the value is a re-indexing of one variable: flat index of the result → flat index in v. */
  readonly view?: { readonly v: IrVar; readonly map: (i: SExpr) => SExpr };
  /** Set when the value is exactly variable v (same shape, identity map). */
  readonly whole?: IrVar;
  /** Element i reads its sources only at element i (or broadcasts scalars): safe to assign in place. */
  readonly aligned: boolean;
  /**
   * Per dim, a data-level bound on a size known only at run time, where one is known: a slice
   * `x[a:b]` of a dim of size N holds at most N elements (its bounds are checked to lie in 1..N).
   */
  readonly bounds?: readonly (SExpr | undefined)[];
}

export type Value = ScalarValue | ContainerValue;

/** One lowered index of an indexing expression. */
export type LIndex =
  | { readonly kind: "single"; readonly e: SExpr }
  | { readonly kind: "all" }
  | { readonly kind: "range"; readonly lo: SExpr; readonly hi?: SExpr }
  | { readonly kind: "multi"; readonly c: ContainerValue };

export function scalar(e: SExpr): ScalarValue {
  return { kind: "s", e };
}

export function totalSize(dims: readonly SExpr[]): SExpr {
  let n: SExpr = num(1, true);
  for (const d of dims) n = bin("*", n, d);
  return n;
}

/** Number of dims that belong to the vector/matrix part of a value. */
/** The Stan base type of elements stored as `base` holding `elem`s: an int array made by an int-valued function is real-based in storage. */
export function elementBase(base: ValueBase, elem: ElemType): ValueBase {
  return base === "real" && elem === "int" ? "int" : base;
}

export function innerRank(base: ValueBase): number {
  return base === "matrix" ? 2 : base === "vector" || base === "row_vector" ? 1 : 0;
}

/** Strides of each dim in flat storage: arrays row-major (last fastest), then the vector/matrix block column-major. */
export function strides(base: ValueBase, arrayDims: number, dims: readonly SExpr[]): SExpr[] {
  const out: SExpr[] = new Array(dims.length);
  const inner = innerRank(base);
  if (inner === 2) {
    out[arrayDims] = num(1, true);
    out[arrayDims + 1] = dims[arrayDims];
  } else if (inner === 1) {
    out[arrayDims] = num(1, true);
  }
  let s: SExpr = totalSize(dims.slice(arrayDims));
  for (let j = arrayDims - 1; j >= 0; j--) {
    out[j] = s;
    s = bin("*", s, dims[j]);
  }
  return out;
}

/** Splits a flat index into one index per dim (0-based). */
export function decompose(i: SExpr, dims: readonly SExpr[], str: readonly SExpr[]): SExpr[] {
  if (dims.length === 1) return [i];
  // the slowest dim is the one with the largest stride: index = floor(i / stride) % dim
  return dims.map((d, j) => {
    const q = isOneLiteral(str[j]) ? i : bin("%/%", i, str[j]);
    return isSlowest(j, str) ? q : bin("%", q, d);
  });
}

function isOneLiteral(e: SExpr): boolean {
  return e.k === "num" && e.text === "1";
}

function isSlowest(j: number, str: readonly SExpr[]): boolean {
  // arrays are slowest at dim 0; a bare matrix's column dim (1) is slowest
  if (str.length === 0) return true;
  return j === 0 ? !isOneLiteral(str[0]) || str.length === 1 : false;
}

export function compose(idx: readonly SExpr[], str: readonly SExpr[]): SExpr {
  let flat: SExpr = num(0, true);
  for (let j = 0; j < idx.length; j++) flat = bin("+", flat, bin("*", idx[j], str[j]));
  return flat;
}

/** The container value of a whole variable. */
export function wholeValue(v: IrVar): ContainerValue {
  return {
    kind: "c",
    elem: v.elem,
    base: v.base,
    arrayDims: v.arrayDims,
    dims: v.dims,
    at: (i) => ({ k: "read", v, at: i }),
    view: { v, map: (i) => i },
    whole: v,
    aligned: true,
    bounds: v.capacity && v.dims.length === 1 ? [v.capacity] : undefined,
  };
}

export function sameShapeCount(a: ContainerValue): number {
  return a.dims.length;
}
