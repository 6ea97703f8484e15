/**
 * Operators as functions (stanc3 names them the same way): the type checker resolves `a + b` as
 * `add(a, b)`, so operator typing comes from this table like every other built-in.
 */
import { binaryVectorized, product, sig } from "./helpers";
import { withTestDomains } from "./helpers";
import * as containerExpansions from "../expansions/containers";
import * as solveExpansions from "../expansions/solve";
import type { FunctionSignature, Primitive } from "../primitive";
import { formulaRule } from "./math";

const LINEAR = ["vector", "row_vector", "matrix"] as const;

function elementwiseWithScalars(): FunctionSignature[] {
  const out: FunctionSignature[] = [sig("int", "int", "int"), sig("real", "real", "real")];
  for (const t of LINEAR) out.push(sig(t, t, t), sig(t, t, "real"), sig(t, "real", t));
  return out;
}

const comparison = [sig("int", "int", "int"), sig("int", "real", "real")];

/** Operators the lowering of `+`, `*`, `.*`, … implements; these also lower `add(a, b)` and the like. */
const EXPANDED: Readonly<Record<string, Primitive["expand"]>> = {
  add: containerExpansions.add,
  subtract: containerExpansions.subtract,
  multiply: containerExpansions.multiply,
  elt_multiply: containerExpansions.elt_multiply,
  elt_divide: containerExpansions.elt_divide,
  transpose: containerExpansions.transpose,
  mdivide_left: solveExpansions.mdivide_left,
};

const entries: Omit<Primitive, "operator">[] = [
  { name: "add", family: "arithmetic", signatures: elementwiseWithScalars() },
  { name: "subtract", family: "arithmetic", signatures: elementwiseWithScalars() },
  {
    name: "multiply",
    family: "arithmetic",
    signatures: [
      sig("int", "int", "int"),
      sig("real", "real", "real"),
      ...LINEAR.flatMap((t) => [sig(t, t, "real"), sig(t, "real", t)]),
      sig("real", "row_vector", "vector"),
      sig("matrix", "vector", "row_vector"),
      sig("vector", "matrix", "vector"),
      sig("row_vector", "row_vector", "matrix"),
      sig("matrix", "matrix", "matrix"),
    ],
  },
  {
    name: "divide",
    family: "arithmetic",
    signatures: [
      sig("int", "int", "int"),
      sig("real", "real", "real"),
      ...LINEAR.map((t) => sig(t, t, "real")),
      // `b / A` is b * inverse(A) (mdivide_right)
      sig("row_vector", "row_vector", "matrix"),
      sig("matrix", "matrix", "matrix"),
    ],
  },
  { name: "modulus", family: "arithmetic", signatures: [sig("int", "int", "int")] },
  { name: "int_divide", family: "arithmetic", signatures: [sig("int", "int", "int")] },
  // `A \ b` is inverse(A) * b
  {
    name: "mdivide_left",
    family: "arithmetic",
    signatures: [sig("vector", "matrix", "vector"), sig("matrix", "matrix", "matrix")],
  },
  {
    name: "elt_multiply",
    family: "arithmetic",
    signatures: [
      sig("int", "int", "int"),
      sig("real", "real", "real"),
      ...LINEAR.flatMap((t) => [sig(t, t, t), sig(t, t, "real"), sig(t, "real", t)]),
    ],
  },
  {
    name: "elt_divide",
    family: "arithmetic",
    signatures: [
      sig("int", "int", "int"),
      sig("real", "real", "real"),
      ...LINEAR.flatMap((t) => [sig(t, t, t), sig(t, t, "real"), sig(t, "real", t)]),
    ],
  },
  {
    name: "elt_pow",
    family: "arithmetic",
    // `.^` is pow, elementwise over every container, arrays included.
    signatures: binaryVectorized(),
  },
  {
    name: "minus",
    family: "arithmetic",
    signatures: [sig("int", "int"), sig("real", "real"), ...LINEAR.map((t) => sig(t, t))],
  },
  {
    name: "plus",
    family: "arithmetic",
    signatures: [sig("int", "int"), sig("real", "real"), ...LINEAR.map((t) => sig(t, t))],
  },
  {
    name: "logical_negation",
    family: "logical",
    signatures: [sig("int", "int"), sig("int", "real")],
  },
  { name: "logical_or", family: "logical", signatures: comparison },
  { name: "logical_and", family: "logical", signatures: comparison },
  { name: "logical_eq", family: "logical", signatures: comparison },
  { name: "logical_neq", family: "logical", signatures: comparison },
  { name: "logical_lt", family: "logical", signatures: comparison },
  { name: "logical_lte", family: "logical", signatures: comparison },
  { name: "logical_gt", family: "logical", signatures: comparison },
  { name: "logical_gte", family: "logical", signatures: comparison },
  {
    name: "transpose",
    family: "arithmetic",
    signatures: [sig("row_vector", "vector"), sig("vector", "row_vector"), sig("matrix", "matrix")],
  },
  // Integer helpers Stan exposes by name.
  {
    name: "int_step",
    family: "arithmetic",
    signatures: product("int", ["int", "real"]),
    scalar: formulaRule(1, (b, [x]) => b.ifElse(b.cmp(">", x, b.num(0)), b.num(1), b.num(0)), undefined, undefined, { alwaysInt: true }),
  },
];

const arithmeticFamilyEntries: Primitive[] = entries.map((e) => {
  const expand = EXPANDED[e.name];
  if (expand) return { ...e, expand };
  return e.scalar ? e : { ...e, operator: true };
});

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const arithmeticFamily: Primitive[] = withTestDomains(arithmeticFamilyEntries, {
  elt_pow: [[0.1, 5], [-3, 3]],
});
