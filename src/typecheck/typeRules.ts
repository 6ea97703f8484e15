/** Small type rules shared by the checker: assignability, indexing, printing of argument lists. */
import { typeToString, type BaseType, type StanType } from "../ast/ast";
import { promotionCost } from "../primitives/registry";

export function isScalar(t: StanType): boolean {
  return t.arrayDims === 0 && (t.base === "int" || t.base === "real");
}

export function isIntScalar(t: StanType): boolean {
  return t.arrayDims === 0 && t.base === "int";
}

/** Whether a value of type `from` may be stored in a variable of type `to` (int → real promotion). */
export function assignable(from: StanType, to: StanType): boolean {
  return promotionCost(from, to) < Infinity;
}

/** Number of dimensions a vector/matrix base contributes to indexing. */
export function baseDims(base: BaseType): number {
  return base === "vector" || base === "row_vector" ? 1 : base === "matrix" ? 2 : 0;
}

/** Index kinds after their expressions are typed: does the position keep its dimension? */
export type IndexShape = "single" | "multi";

/**
 * The type of `x[i1, …, in]`: array dimensions are indexed first, then vector/matrix dimensions.
 * Returns a message instead of a type when there are too many indices.
 */
export function indexedType(t: StanType, shapes: readonly IndexShape[]): StanType | string {
  const total = t.arrayDims + baseDims(t.base);
  if (shapes.length > total) {
    return `Too many indexes: '${typeToString(t)}' has ${total} dimension${total === 1 ? "" : "s"} but ${shapes.length} indexes were given.`;
  }
  let arrayDims = 0;
  for (let i = 0; i < Math.min(shapes.length, t.arrayDims); i++)
    if (shapes[i] === "multi") arrayDims++;
  arrayDims += Math.max(0, t.arrayDims - shapes.length);
  const rest = shapes.slice(t.arrayDims);
  let base: BaseType = t.base;
  if (t.base === "vector" || t.base === "row_vector") {
    if (rest[0] === "single") base = "real";
  } else if (t.base === "matrix") {
    const [r, c] = rest;
    if (r === "single" && c === "single") base = "real";
    else if (r === "single") base = "row_vector";
    else if (c === "single") base = "vector";
  }
  return { base, arrayDims };
}

/** `(vector | vector, matrix)` or `(real, int)`: argument types as a call spells them. */
export function formatArgTypes(types: readonly StanType[], conditional: boolean): string {
  const parts = types.map(typeToString);
  if (conditional && parts.length > 0) {
    return `(${parts[0]}${parts.length > 1 ? " | " + parts.slice(1).join(", ") : " |"})`;
  }
  return `(${parts.join(", ")})`;
}

export const DENSITY_SUFFIXES = ["_lpdf", "_lupdf", "_lpmf", "_lupmf"] as const;
export const CDF_SUFFIXES = ["_cdf", "_lcdf", "_lccdf"] as const;

export function hasSuffix(name: string, suffixes: readonly string[]): boolean {
  return suffixes.some((s) => name.endsWith(s));
}

/** `_lupdf` → `_lpdf`: the normalised function that carries the signatures. */
export function normalisedDensityName(name: string): string {
  if (name.endsWith("_lupdf")) return name.slice(0, -6) + "_lpdf";
  if (name.endsWith("_lupmf")) return name.slice(0, -6) + "_lpmf";
  return name;
}
