/** Reductions and whole-container functions: sums, moments, extremes, sorting, sizes, softmax. */
import { expandedBy, ANY_ARRAY, sig } from "./helpers";
import * as containersExpansions from "../expansions/containers";
import * as orderingExpansions from "../expansions/ordering";
import type { Primitive } from "../primitive";

const REAL_CONTAINERS = ["vector", "row_vector", "matrix", "array[] real"];
const VECTOR_LIKE = ["vector", "row_vector", "array[] real", "array[] int"];

export const reductionsFamily: Primitive[] = expandedBy({ ...containersExpansions, ...orderingExpansions }, [
  {
    name: "sum",
    family: "reductions",
    signatures: [sig("int", "array[] int"), ...REAL_CONTAINERS.map((t) => sig("real", t))],
  },
  {
    name: "prod",
    family: "reductions",
    signatures: [sig("int", "array[] int"), ...REAL_CONTAINERS.map((t) => sig("real", t))],
  },
  { name: "mean", family: "reductions", signatures: REAL_CONTAINERS.map((t) => sig("real", t)) },
  {
    name: "variance",
    family: "reductions",
    signatures: REAL_CONTAINERS.map((t) => sig("real", t)),
  },
  { name: "sd", family: "reductions", signatures: REAL_CONTAINERS.map((t) => sig("real", t)) },
  {
    name: "cumulative_sum",
    family: "reductions",
    signatures: [
      sig("array[] int", "array[] int"),
      sig("array[] real", "array[] real"),
      sig("vector", "vector"),
      sig("row_vector", "row_vector"),
    ],
  },
  {
    name: "dot_product",
    family: "reductions",
    signatures: [
      sig("real", "vector", "vector"),
      sig("real", "row_vector", "row_vector"),
      sig("real", "vector", "row_vector"),
      sig("real", "row_vector", "vector"),
      sig("real", "array[] real", "array[] real"),
    ],
  },
  {
    name: "dot_self",
    family: "reductions",
    signatures: [sig("real", "vector"), sig("real", "row_vector")],
  },
  {
    name: "columns_dot_product",
    family: "reductions",
    signatures: [
      sig("row_vector", "vector", "vector"),
      sig("row_vector", "row_vector", "row_vector"),
      sig("row_vector", "matrix", "matrix"),
    ],
  },
  {
    name: "rows_dot_product",
    family: "reductions",
    signatures: [
      sig("vector", "vector", "vector"),
      sig("vector", "row_vector", "row_vector"),
      sig("vector", "matrix", "matrix"),
    ],
  },
  {
    name: "columns_dot_self",
    family: "reductions",
    signatures: [
      sig("row_vector", "vector"),
      sig("row_vector", "row_vector"),
      sig("row_vector", "matrix"),
    ],
  },
  {
    name: "rows_dot_self",
    family: "reductions",
    signatures: [sig("vector", "vector"), sig("vector", "row_vector"), sig("vector", "matrix")],
  },
  {
    name: "squared_distance",
    family: "reductions",
    signatures: [
      sig("real", "vector", "vector"),
      sig("real", "row_vector", "row_vector"),
      sig("real", "vector", "row_vector"),
      sig("real", "row_vector", "vector"),
      sig("real", "real", "real"),
    ],
  },
  {
    name: "distance",
    family: "reductions",
    signatures: [
      sig("real", "vector", "vector"),
      sig("real", "row_vector", "row_vector"),
      sig("real", "vector", "row_vector"),
      sig("real", "row_vector", "vector"),
      sig("real", "real", "real"),
    ],
  },
  {
    name: "softmax",
    family: "reductions",
    signatures: [sig("vector", "vector"), sig("row_vector", "row_vector")],
  },
  {
    name: "log_softmax",
    family: "reductions",
    signatures: [sig("vector", "vector"), sig("row_vector", "row_vector")],
  },
  {
    name: "sort_asc",
    family: "reductions",
    signatures: [
      sig("array[] int", "array[] int"),
      sig("array[] real", "array[] real"),
      sig("vector", "vector"),
      sig("row_vector", "row_vector"),
    ],
  },
  {
    name: "sort_desc",
    family: "reductions",
    signatures: [
      sig("array[] int", "array[] int"),
      sig("array[] real", "array[] real"),
      sig("vector", "vector"),
      sig("row_vector", "row_vector"),
    ],
  },
  {
    name: "sort_indices_asc",
    family: "reductions",
    signatures: VECTOR_LIKE.map((t) => sig("array[] int", t)),
  },
  {
    name: "sort_indices_desc",
    family: "reductions",
    signatures: VECTOR_LIKE.map((t) => sig("array[] int", t)),
  },
  { name: "rank", family: "reductions", testDomain: [[-2, 2], [1, 1]], signatures: VECTOR_LIKE.map((t) => sig("int", t, "int")) },
  {
    name: "reverse",
    family: "reductions",
    signatures: [
      sig("vector", "vector"),
      sig("row_vector", "row_vector"),
      ...ANY_ARRAY.map((t) => sig(t, t)),
    ],
  },
  {
    name: "dims",
    family: "reductions",
    signatures: [
      sig("array[] int", "int"),
      sig("array[] int", "real"),
      sig("array[] int", "vector"),
      sig("array[] int", "row_vector"),
      sig("array[] int", "matrix"),
      ...ANY_ARRAY.map((t) => sig("array[] int", t)),
    ],
  },
  {
    name: "norm1",
    family: "reductions",
    signatures: ["vector", "row_vector", "array[] real"].map((t) => sig("real", t)),
  },
  {
    name: "norm2",
    family: "reductions",
    signatures: ["vector", "row_vector", "array[] real"].map((t) => sig("real", t)),
  },
  {
    name: "num_elements",
    family: "reductions",
    signatures: [
      sig("int", "vector"),
      sig("int", "row_vector"),
      sig("int", "matrix"),
      ...ANY_ARRAY.map((t) => sig("int", t)),
    ],
  },
  {
    name: "size",
    family: "reductions",
    signatures: [
      sig("int", "int"),
      sig("int", "real"),
      sig("int", "vector"),
      sig("int", "row_vector"),
      sig("int", "matrix"),
      ...ANY_ARRAY.map((t) => sig("int", t)),
    ],
  },
]);
