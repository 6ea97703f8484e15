/** Densities over categories and simplexes: categorical(_logit), ordered logistic/probit, multinomial, dirichlet. */
import { distribution, sig } from "./helpers";
import type { KernelRule, Primitive } from "../primitive";

const categorical_lpmf_kernel: KernelRule = {
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer outcome)", "∂/∂theta_k = Σ_n [y_n = k] / theta_k"],
};
const categorical_logit_lpmf_kernel: KernelRule = {
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer outcome)", "∂/∂beta_k = Σ_n ([y_n = k] − softmax(beta)_k)"],
};
const ordered_logistic_lpmf_kernel: KernelRule = {
  args: ["int", "real", "vector"],
  propto: true,
  noPartials: [0],
  partials: [
    "(integer outcome)",
    "∂/∂eta log(logit⁻¹(eta − c_{y−1}) − logit⁻¹(eta − c_y)) = 1 − logit⁻¹(eta − c_{y−1}) − logit⁻¹(eta − c_y)",
    "∂/∂c: the matching negatives at the two cutpoints next to y",
  ],
};
const dirichlet_lpdf_kernel: KernelRule = {
  args: ["vector", "vector"],
  propto: true,
  partials: ["∂/∂theta_k = (alpha_k − 1) / theta_k", "∂/∂alpha_k = ψ(Σ alpha) − ψ(alpha_k) + log theta_k"],
};

export const categoricalFamily: Primitive[] = [
  ...distribution({
    family: "categorical",
    name: "categorical",
    lower: { density: { kernel: categorical_lpmf_kernel }, rng: { args: ["v"], intResult: true } },
    discrete: true,
    variate: ["int", "array[] int"],
    params: [["vector"]],
    rng: [sig("int", "vector")],
  }),
  ...distribution({
    family: "categorical",
    name: "categorical_logit",
    lower: { density: { kernel: categorical_logit_lpmf_kernel }, rng: { args: ["v"], intResult: true } },
    discrete: true,
    variate: ["int", "array[] int"],
    params: [["vector"]],
    rng: [sig("int", "vector")],
  }),
  ...distribution({
    family: "categorical",
    name: "ordered_logistic",
    lower: { density: { kernel: ordered_logistic_lpmf_kernel }, rng: { args: ["s", "v"], intResult: true } },
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
    lower: { density: { kernel: dirichlet_lpdf_kernel } },
    variate: ["vector", "row_vector", "array[] vector", "array[] row_vector"],
    params: [["vector", "row_vector", "array[] vector", "array[] row_vector"]],
    rng: [sig("vector", "vector")],
  }),
];
