/** Densities over categories and simplexes: categorical(_logit), ordered logistic/probit, multinomial, dirichlet. */
import { distribution, sig } from "./helpers";
import { withTestDomains } from "./helpers";
import type { KernelRule, Primitive } from "../primitive";
import { countsLike, vectorLike } from "./drawShapes";

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
  // the cut-points' length (K − 1) follows them: an array of cut-point vectors is passed flat
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[a[2].dims.length - 1]],
};
const ordered_probit_lpmf_kernel: KernelRule = {
  args: ["int", "real", "vectors"],
  propto: true,
  noPartials: [0],
  partials: [
    "(integer outcome)",
    "∂/∂eta log(Φ(eta − c_{y−1}) − Φ(eta − c_y)) = (φ(eta − c_{y−1}) − φ(eta − c_y)) / P(y)",
    "∂/∂c: −φ(eta − c_{y−1}) / P(y) at c_{y−1}, φ(eta − c_y) / P(y) at c_y",
  ],
  // the cut-points' length (K − 1) follows them: an array of cut-point vectors is passed flat
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[a[2].dims.length - 1]],
};
const multinomial_lpmf_kernel: KernelRule = {
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer counts)", "∂/∂theta_k = n_k / theta_k"],
};
const multinomial_logit_lpmf_kernel: KernelRule = {
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer counts)", "∂/∂gamma_k = n_k − (Σ n) softmax(gamma)_k"],
};
const dirichlet_lpdf_kernel: KernelRule = {
  args: ["vector", "vector"],
  propto: true,
  partials: ["∂/∂theta_k = (alpha_k − 1) / theta_k", "∂/∂alpha_k = ψ(Σ alpha) − ψ(alpha_k) + log theta_k"],
};

const categoricalFamilyEntries: Primitive[] = [
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
    lower: { density: { kernel: ordered_probit_lpmf_kernel }, rng: { args: ["s", "v"], intResult: true } },
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
    lower: { density: { kernel: multinomial_lpmf_kernel }, rng: countsLike(["v", "s"], 0) },
    discrete: true,
    variate: ["array[] int"],
    params: [["vector"]],
    rng: [sig("array[] int", "vector", "int")],
  }),
  ...distribution({
    family: "categorical",
    name: "multinomial_logit",
    lower: { density: { kernel: multinomial_logit_lpmf_kernel }, rng: countsLike(["v", "s"], 0) },
    discrete: true,
    variate: ["array[] int"],
    params: [["vector"]],
    rng: [sig("array[] int", "vector", "int")],
  }),
  ...distribution({
    family: "categorical",
    name: "dirichlet",
    lower: { density: { kernel: dirichlet_lpdf_kernel }, rng: vectorLike(["v"], 0) },
    // Stan also takes arrays of simplexes; the kernel reads one (the every-signature test found
    // the arrays wrong), so only single vectors are registered for now
    variate: ["vector", "row_vector"],
    params: [["vector", "row_vector"]],
    rng: [sig("vector", "vector")],
  }),
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const categoricalFamily: Primitive[] = withTestDomains(categoricalFamilyEntries, {
  ordered_probit_lpmf: [[1, 4], [-1, 1], "ordered"],
  ordered_probit_lupmf: [[1, 4], [-1, 1], "ordered"],
  ordered_probit_rng: [[-1, 1], "ordered"],
  multinomial_lpmf: [[0, 3], "simplex"],
  multinomial_lupmf: [[0, 3], "simplex"],
  multinomial_rng: ["simplex", [1, 5]],
  multinomial_logit_lpmf: [[0, 3], undefined],
  multinomial_logit_lupmf: [[0, 3], undefined],
  multinomial_logit_rng: [undefined, [1, 5]],
  categorical_lpmf: [[1, 3], "simplex"],
  categorical_lupmf: [[1, 3], "simplex"],
  categorical_rng: ["simplex"],
  categorical_logit_lpmf: [[1, 3]],
  categorical_logit_lupmf: [[1, 3]],
  categorical_logit_rng: [],
  ordered_logistic_lpmf: [[1, 4], undefined, "ordered"],
  ordered_logistic_lupmf: [[1, 4], undefined, "ordered"],
  ordered_logistic_rng: [undefined, "ordered"],
  dirichlet_lpdf: ["simplex", [0.01, 20]],
  dirichlet_lupdf: ["simplex", [0.01, 20]],
  dirichlet_rng: [[0.01, 20]],
});
