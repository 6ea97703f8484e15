/** Multivariate densities: multi_normal (covariance, Cholesky, precision), multi_student_t, LKJ, Wishart. */
import { distribution, product, productWith, sig, VECTORS } from "./helpers";
import type { KernelRule, Primitive } from "../primitive";

const mvnRng = productWith(
  (args) => (args[0].startsWith("array") ? "array[] vector" : "vector"),
  VECTORS,
  ["matrix"],
);

const multi_normal_lpdf_kernel: KernelRule = {
  args: ["vectors", "vectors", "matrix"],
  propto: true,
  partials: ["∂/∂y_n = −Sigma⁻¹ (y_n − mu_n)", "∂/∂mu_n = Sigma⁻¹ (y_n − mu_n)", "∂/∂Sigma = ½ Σ_n (Sigma⁻¹ r_n r_nᵀ Sigma⁻¹ − Sigma⁻¹)"],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[0]],
};
const multi_normal_cholesky_lpdf_kernel: KernelRule = {
  args: ["vectors", "vectors", "cholesky"],
  propto: true,
  partials: ["∂/∂y_n = −L⁻ᵀ L⁻¹ (y_n − mu_n)", "∂/∂mu_n = L⁻ᵀ L⁻¹ (y_n − mu_n)", "∂/∂L = Σ_n b_n a_nᵀ − N diag(1 / L_ii), a_n = L⁻¹(y_n − mu_n), b_n = L⁻ᵀ a_n"],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[0]],
};
const lkj_corr_cholesky_lpdf_kernel: KernelRule = {
  args: ["cholesky", "real"],
  propto: true,
  partials: ["∂/∂L_ii = (K − i + 2 eta − 2) / L_ii (i = 2…K)", "∂/∂eta = Σ_i 2 log L_ii + ∂c(eta, K)/∂eta"],
  layout: (a) => [a[0].js, a[0].dims[0], a[1].js],
};
const lkj_corr_lpdf_kernel: KernelRule = {
  args: ["matrix", "real"],
  propto: true,
  partials: ["∂/∂Omega (eta − 1) log det Omega = (eta − 1) Omega⁻¹", "∂/∂eta = log det Omega + ∂c(eta, K)/∂eta"],
  layout: (a) => [a[0].js, a[0].dims[0], a[1].js],
};

export const multivariateFamily: Primitive[] = [
  ...distribution({
    family: "multivariate",
    name: "multi_normal",
    lower: { density: { kernel: multi_normal_lpdf_kernel } },
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
    rng: mvnRng,
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_normal_cholesky",
    lower: { density: { kernel: multi_normal_cholesky_lpdf_kernel } },
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
    rng: mvnRng,
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_normal_prec",
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_student_t",
    variate: VECTORS,
    params: [["real"], VECTORS, ["matrix"]],
    rng: productWith(
      (args) => (args[1].startsWith("array") ? "array[] vector" : "vector"),
      ["real"],
      VECTORS,
      ["matrix"],
    ),
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_student_t_cholesky",
    variate: VECTORS,
    params: [["real"], VECTORS, ["matrix"]],
  }),
  // Deprecated in Stan, still accepted: lkj_cov(Sigma | mu, sigma, eta).
  ...distribution({
    family: "multivariate",
    name: "lkj_cov",
    variate: ["matrix"],
    params: [["real", "vector"], ["real", "vector"], ["real"]],
  }),
  ...distribution({
    family: "multivariate",
    name: "lkj_corr",
    lower: { density: { kernel: lkj_corr_lpdf_kernel } },
    variate: ["matrix"],
    params: [["real"]],
    rng: [sig("matrix", "int", "real")],
  }),
  ...distribution({
    family: "multivariate",
    name: "lkj_corr_cholesky",
    lower: { density: { kernel: lkj_corr_cholesky_lpdf_kernel } },
    variate: ["matrix"],
    params: [["real"]],
    rng: [sig("matrix", "int", "real")],
  }),
  ...distribution({
    family: "multivariate",
    name: "wishart",
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
  ...distribution({
    family: "multivariate",
    name: "wishart_cholesky",
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
  ...distribution({
    family: "multivariate",
    name: "inv_wishart",
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
];
