/** Densities over categories and simplexes: categorical(_logit), ordered logistic/probit, multinomial, dirichlet. */
import { distribution, sig } from "./helpers";

export const categoricalFamily = [
  ...distribution({
    family: "categorical",
    name: "categorical",
    discrete: true,
    variate: ["int", "array[] int"],
    params: [["vector"]],
    rng: [sig("int", "vector")],
  }),
  ...distribution({
    family: "categorical",
    name: "categorical_logit",
    discrete: true,
    variate: ["int", "array[] int"],
    params: [["vector"]],
    rng: [sig("int", "vector")],
  }),
  ...distribution({
    family: "categorical",
    name: "ordered_logistic",
    discrete: true,
    variate: ["int"],
    params: [["real"], ["vector"]],
    rng: [sig("int", "real", "vector")],
  }).map((f) =>
    f.name.endsWith("_rng")
      ? f
      : {
          ...f,
          signatures: [
            ...f.signatures,
            sig("real", "array[] int", "vector", "vector"),
            sig("real", "array[] int", "vector", "array[] vector"),
          ],
        },
  ),
  ...distribution({
    family: "categorical",
    name: "ordered_probit",
    discrete: true,
    variate: ["int"],
    params: [["real"], ["vector"]],
    rng: [sig("int", "real", "vector")],
  }).map((f) =>
    f.name.endsWith("_rng")
      ? f
      : {
          ...f,
          signatures: [
            ...f.signatures,
            sig("real", "array[] int", "vector", "vector"),
            sig("real", "array[] int", "vector", "array[] vector"),
            sig("real", "array[] int", "real", "vector"),
          ],
        },
  ),
  ...distribution({
    family: "categorical",
    name: "multinomial",
    discrete: true,
    variate: ["array[] int"],
    params: [["vector"]],
    rng: [sig("array[] int", "vector", "int")],
  }),
  ...distribution({
    family: "categorical",
    name: "multinomial_logit",
    discrete: true,
    variate: ["array[] int"],
    params: [["vector"]],
    rng: [sig("array[] int", "vector", "int")],
  }),
  ...distribution({
    family: "categorical",
    name: "dirichlet",
    variate: ["vector", "row_vector", "array[] vector", "array[] row_vector"],
    params: [["vector", "row_vector", "array[] vector", "array[] row_vector"]],
    rng: [sig("vector", "vector")],
  }),
];
