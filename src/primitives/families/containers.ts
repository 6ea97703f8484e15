/** Building, reshaping and slicing containers: rep_*, to_*, head/tail/segment, append_*, linspaced_*. */
import { expandedBy, ANY_ARRAY, sig } from "./helpers";
import * as containersExpansions from "../expansions/containers";
import * as reshapeExpansions from "../expansions/reshape";
import type { Primitive } from "../primitive";

const ELEMENTS = ["int", "real", "vector", "row_vector", "matrix", ...ANY_ARRAY];

function repArray() {
  const out = [];
  for (const t of ELEMENTS) {
    const deeper = (extra: number): string => {
      const m = /^array\[(,*)\] (.*)$/.exec(t);
      const dims = (m ? m[1].length + 1 : 0) + extra;
      const base = m ? m[2] : t;
      return `array[${",".repeat(dims - 1)}] ${base}`;
    };
    out.push(
      sig(deeper(1), t, "int"),
      sig(deeper(2), t, "int", "int"),
      sig(deeper(3), t, "int", "int", "int"),
    );
  }
  return out;
}

const SEQUENCES = ["vector", "row_vector", ...ANY_ARRAY];

export const containersFamily: Primitive[] = expandedBy({ ...containersExpansions, ...reshapeExpansions }, [
  { name: "rep_vector", family: "containers", signatures: [sig("vector", "real", "int")] },
  { name: "rep_row_vector", family: "containers", signatures: [sig("row_vector", "real", "int")] },
  {
    name: "rep_matrix",
    family: "containers",
    signatures: [
      sig("matrix", "real", "int", "int"),
      sig("matrix", "vector", "int"),
      sig("matrix", "row_vector", "int"),
    ],
  },
  { name: "rep_array", family: "containers", signatures: repArray() },
  {
    name: "to_vector",
    family: "containers",
    signatures: ["vector", "row_vector", "matrix", "array[] real", "array[] int"].map((t) =>
      sig("vector", t),
    ),
  },
  {
    name: "to_row_vector",
    family: "containers",
    signatures: ["vector", "row_vector", "matrix", "array[] real", "array[] int"].map((t) =>
      sig("row_vector", t),
    ),
  },
  {
    name: "to_matrix",
    family: "containers",
    signatures: [
      ...[
        "matrix",
        "vector",
        "row_vector",
        "array[,] real",
        "array[,] int",
        "array[] row_vector",
      ].map((t) => sig("matrix", t)),
      ...["matrix", "vector", "row_vector", "array[] real", "array[] int"].map((t) =>
        sig("matrix", t, "int", "int"),
      ),
      ...["array[] real", "array[] int"].map((t) => sig("matrix", t, "int", "int", "int")),
    ],
  },
  {
    name: "to_array_1d",
    family: "containers",
    signatures: [
      sig("array[] real", "vector"),
      sig("array[] real", "row_vector"),
      sig("array[] real", "matrix"),
      ...["array[] real", "array[,] real", "array[,,] real"].map((t) => sig("array[] real", t)),
      ...["array[] int", "array[,] int", "array[,,] int"].map((t) => sig("array[] int", t)),
    ],
  },
  { name: "to_array_2d", family: "containers", signatures: [sig("array[,] real", "matrix")] },
  {
    name: "head",
    family: "containers",
    signatures: SEQUENCES.map((t) => sig(t, t, "int")),
  },
  { name: "tail", family: "containers", signatures: SEQUENCES.map((t) => sig(t, t, "int")) },
  {
    name: "segment",
    family: "containers",
    signatures: SEQUENCES.map((t) => sig(t, t, "int", "int")),
  },
  {
    name: "block",
    family: "containers", testDomain: [[-2, 2], [1, 1], [1, 1], [1, 2], [1, 2]],
    signatures: [sig("matrix", "matrix", "int", "int", "int", "int")],
  },
  { name: "col", family: "containers", signatures: [sig("vector", "matrix", "int")] },
  { name: "row", family: "containers", signatures: [sig("row_vector", "matrix", "int")] },
  {
    name: "sub_col",
    family: "containers", testDomain: [[-2, 2], [1, 1], [1, 1], [1, 2]],
    signatures: [sig("vector", "matrix", "int", "int", "int")],
  },
  {
    name: "sub_row",
    family: "containers", testDomain: [[-2, 2], [1, 1], [1, 1], [1, 2]],
    signatures: [sig("row_vector", "matrix", "int", "int", "int")],
  },
  {
    name: "append_row",
    family: "containers",
    signatures: [
      sig("vector", "vector", "vector"),
      sig("vector", "real", "vector"),
      sig("vector", "vector", "real"),
      sig("matrix", "matrix", "matrix"),
      sig("matrix", "row_vector", "row_vector"),
      sig("matrix", "matrix", "row_vector"),
      sig("matrix", "row_vector", "matrix"),
    ],
  },
  {
    name: "append_col",
    family: "containers",
    signatures: [
      sig("row_vector", "row_vector", "row_vector"),
      sig("row_vector", "real", "row_vector"),
      sig("row_vector", "row_vector", "real"),
      sig("matrix", "matrix", "matrix"),
      sig("matrix", "vector", "vector"),
      sig("matrix", "matrix", "vector"),
      sig("matrix", "vector", "matrix"),
    ],
  },
  { name: "append_array", family: "containers", signatures: ANY_ARRAY.map((t) => sig(t, t, t)) },
  {
    name: "linspaced_vector",
    family: "containers", testDomain: [[0, 5], [-2, -1], [0, 2]],
    signatures: [sig("vector", "int", "real", "real")],
  },
  {
    name: "linspaced_row_vector",
    family: "containers", testDomain: [[0, 5], [-2, -1], [0, 2]],
    signatures: [sig("row_vector", "int", "real", "real")],
  },
  {
    name: "linspaced_array",
    family: "containers", testDomain: [[0, 5], [-2, -1], [0, 2]],
    signatures: [sig("array[] real", "int", "real", "real")],
  },
  {
    name: "linspaced_int_array",
    family: "containers", testDomain: [[0, 6], [-2, 0], [1, 4]],
    signatures: [sig("array[] int", "int", "int", "int")],
  },
  { name: "one_hot_vector", family: "containers", testDomain: [[3, 5], [1, 3]], signatures: [sig("vector", "int", "int")] },
  {
    name: "one_hot_row_vector",
    family: "containers", testDomain: [[3, 5], [1, 3]],
    signatures: [sig("row_vector", "int", "int")],
  },
  { name: "one_hot_array", family: "containers", testDomain: [[3, 5], [1, 3]], signatures: [sig("array[] real", "int", "int")] },
  {
    name: "one_hot_int_array",
    family: "containers", testDomain: [[3, 5], [1, 3]],
    signatures: [sig("array[] int", "int", "int")],
  },
  { name: "zeros_vector", family: "containers", testDomain: [[0, 5]], signatures: [sig("vector", "int")] },
  { name: "zeros_row_vector", family: "containers", testDomain: [[0, 5]], signatures: [sig("row_vector", "int")] },
  { name: "zeros_array", family: "containers", testDomain: [[0, 5]], signatures: [sig("array[] real", "int")] },
  { name: "zeros_int_array", family: "containers", testDomain: [[0, 5]], signatures: [sig("array[] int", "int")] },
  { name: "ones_vector", family: "containers", testDomain: [[0, 5]], signatures: [sig("vector", "int")] },
  { name: "ones_row_vector", family: "containers", testDomain: [[0, 5]], signatures: [sig("row_vector", "int")] },
  { name: "ones_array", family: "containers", testDomain: [[0, 5]], signatures: [sig("array[] real", "int")] },
  { name: "ones_int_array", family: "containers", testDomain: [[0, 5]], signatures: [sig("array[] int", "int")] },
  { name: "uniform_simplex", family: "containers", testDomain: [[1, 5]], signatures: [sig("vector", "int")] },
  { name: "identity_matrix", family: "containers", testDomain: [[0, 5]], signatures: [sig("matrix", "int")] },
  { name: "diag_matrix", family: "containers", signatures: [sig("matrix", "vector")] },
  { name: "diagonal", family: "containers", signatures: [sig("vector", "matrix")] },
  {
    name: "rows",
    family: "containers",
    signatures: [sig("int", "vector"), sig("int", "row_vector"), sig("int", "matrix")],
  },
  {
    name: "cols",
    family: "containers",
    signatures: [sig("int", "vector"), sig("int", "row_vector"), sig("int", "matrix")],
  },
]);
