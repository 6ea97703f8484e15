/** Multivariate densities: multi_normal (covariance, Cholesky, precision), multi_student_t, LKJ, Wishart. */
import { distribution, product, productWith, sig, VECTORS } from "./helpers";
import { withTestDomains } from "./helpers";
import type { KernelRule, Primitive } from "../primitive";
import { locationDraws, squareLike, squareOfSize } from "./drawShapes";

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

const multi_normal_prec_lpdf_kernel: KernelRule = {
  args: ["vectors", "vectors", "matrix"],
  propto: true,
  partials: ["∂/∂y_n = −Omega (y_n − mu_n)", "∂/∂mu_n = Omega (y_n − mu_n)", "∂/∂Omega = (N/2) Omega⁻¹ − ½ Σ_n r_n r_nᵀ"],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[0]],
};
const multi_student_t_lpdf_kernel: KernelRule = {
  args: ["vectors", "real", "vectors", "matrix"],
  propto: true,
  partials: [
    "∂/∂y_n = −w_n Sigma⁻¹ r_n, w_n = (nu + K)/(nu + r_nᵀ Sigma⁻¹ r_n)",
    "∂/∂nu = Σ_n ½ψ((nu + K)/2) − ½ψ(nu/2) − K/(2 nu) − ½ log(1 + q_n/nu) + (nu + K) q_n / (2 nu (nu + q_n))",
    "∂/∂mu_n = w_n Sigma⁻¹ r_n",
    "∂/∂Sigma = ½ Σ_n w_n b_n b_nᵀ − (N/2) Sigma⁻¹, b_n = Sigma⁻¹ r_n",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[3].js, a[3].dims[0]],
};
const multi_student_t_cholesky_lpdf_kernel: KernelRule = {
  args: ["vectors", "real", "vectors", "cholesky"],
  propto: true,
  partials: [
    "∂/∂y_n = −w_n L⁻ᵀ L⁻¹ r_n, w_n = (nu + K)/(nu + |L⁻¹ r_n|²)",
    "∂/∂nu as for multi_student_t_lpdf",
    "∂/∂mu_n = w_n L⁻ᵀ L⁻¹ r_n",
    "∂/∂L = Σ_n w_n b_n a_nᵀ − N diag(1 / L_ii), a_n = L⁻¹ r_n, b_n = L⁻ᵀ a_n",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[3].js, a[3].dims[0]],
};
const lkj_cov_lpdf_kernel: KernelRule = {
  args: ["matrix", "real", "real", "real"],
  propto: true,
  partials: [
    "∂/∂Sigma = (eta − 1)(Sigma⁻¹ − diag(1/Sigma_kk)) + diag((−1 − z_k/sigma_k)/(2 Sigma_kk)), z_k = (log √Sigma_kk − mu_k)/sigma_k",
    "∂/∂mu_k = z_k / sigma_k",
    "∂/∂sigma_k = (z_k² − 1) / sigma_k",
    "∂/∂eta = log det R + ∂c(eta, K)/∂eta",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[3].js, a[0].dims[0]],
};
const wishart_lpdf_kernel: KernelRule = {
  args: ["matrix", "real", "matrix"],
  propto: true,
  partials: [
    "∂/∂W = ((nu − K − 1)/2) W⁻¹ − ½ S⁻¹",
    "∂/∂nu = −½ Σ_j ψ(nu/2 + (1 − j)/2) − (K/2) log 2 − ½ log det S + ½ log det W",
    "∂/∂S = −(nu/2) S⁻¹ + ½ S⁻¹ W S⁻¹",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[0].dims[0]],
};
const inv_wishart_lpdf_kernel: KernelRule = {
  args: ["matrix", "real", "matrix"],
  propto: true,
  partials: [
    "∂/∂W = −((nu + K + 1)/2) W⁻¹ + ½ W⁻¹ S W⁻¹",
    "∂/∂nu = −½ Σ_j ψ(nu/2 + (1 − j)/2) − (K/2) log 2 + ½ log det S − ½ log det W",
    "∂/∂S = (nu/2) S⁻¹ − ½ W⁻¹",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[0].dims[0]],
};
const wishart_cholesky_lpdf_kernel: KernelRule = {
  args: ["cholesky", "real", "cholesky"],
  propto: true,
  partials: [
    "∂/∂LW = −LS⁻ᵀ M + diag((nu − k)/LW_kk), M = LS⁻¹ LW",
    "∂/∂nu = −½ Σ_j ψ(nu/2 + (1 − j)/2) − (K/2) log 2 + Σ log LW_kk − Σ log LS_kk",
    "∂/∂LS = LS⁻ᵀ M Mᵀ − diag(nu/LS_kk)",
  ],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[0].dims[0]],
};

const multivariateFamilyEntries: Primitive[] = [
  ...distribution({
    family: "multivariate",
    name: "multi_normal",
    lower: { density: { kernel: multi_normal_lpdf_kernel }, rng: locationDraws(["v", "v"], 0, 1) },
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
    rng: mvnRng,
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_normal_cholesky",
    lower: { density: { kernel: multi_normal_cholesky_lpdf_kernel }, rng: locationDraws(["v", "v"], 0, 1) },
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
    rng: mvnRng,
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_normal_prec",
    lower: { density: { kernel: multi_normal_prec_lpdf_kernel } },
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_student_t",
    lower: { density: { kernel: multi_student_t_lpdf_kernel }, rng: locationDraws(["s", "v", "v"], 1, 2) },
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
    lower: { density: { kernel: multi_student_t_cholesky_lpdf_kernel } },
    variate: VECTORS,
    params: [["real"], VECTORS, ["matrix"]],
  }),
  // Deprecated in Stan, still accepted: lkj_cov(Sigma | mu, sigma, eta).
  ...distribution({
    family: "multivariate",
    name: "lkj_cov",
    lower: { density: { kernel: lkj_cov_lpdf_kernel } },
    variate: ["matrix"],
    params: [["real", "vector"], ["real", "vector"], ["real"]],
  }),
  ...distribution({
    family: "multivariate",
    name: "lkj_corr",
    lower: { density: { kernel: lkj_corr_lpdf_kernel }, rng: squareOfSize(["s", "s"], 0) },
    variate: ["matrix"],
    params: [["real"]],
    rng: [sig("matrix", "int", "real")],
  }),
  ...distribution({
    family: "multivariate",
    name: "lkj_corr_cholesky",
    lower: { density: { kernel: lkj_corr_cholesky_lpdf_kernel }, rng: squareOfSize(["s", "s"], 0) },
    variate: ["matrix"],
    params: [["real"]],
    rng: [sig("matrix", "int", "real")],
  }),
  ...distribution({
    family: "multivariate",
    name: "wishart",
    lower: { density: { kernel: wishart_lpdf_kernel }, rng: squareLike(["s", "v"], 1) },
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
  ...distribution({
    family: "multivariate",
    name: "wishart_cholesky",
    lower: { density: { kernel: wishart_cholesky_lpdf_kernel }, rng: squareLike(["s", "v"], 1) },
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
  ...distribution({
    family: "multivariate",
    name: "inv_wishart",
    lower: { density: { kernel: inv_wishart_lpdf_kernel }, rng: squareLike(["s", "v"], 1) },
    variate: ["matrix"],
    params: [["real"], ["matrix"]],
    rng: product("matrix", ["real"], ["matrix"]),
  }),
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const multivariateFamily: Primitive[] = withTestDomains(multivariateFamilyEntries, {
  multi_normal_prec_lpdf: [undefined, undefined, "spd"],
  multi_normal_prec_lupdf: [undefined, undefined, "spd"],
  multi_student_t_lpdf: [undefined, [2.5, 8], undefined, "spd"],
  multi_student_t_lupdf: [undefined, [2.5, 8], undefined, "spd"],
  multi_student_t_rng: [[2.5, 8], undefined, "spd"],
  multi_student_t_cholesky_lpdf: [undefined, [2.5, 8], undefined, "cholesky_factor_cov"],
  multi_student_t_cholesky_lupdf: [undefined, [2.5, 8], undefined, "cholesky_factor_cov"],
  wishart_lpdf: ["spd", [4, 8], "spd"],
  wishart_lupdf: ["spd", [4, 8], "spd"],
  wishart_rng: [[4, 8], "spd"],
  inv_wishart_lpdf: ["spd", [4, 8], "spd"],
  inv_wishart_lupdf: ["spd", [4, 8], "spd"],
  inv_wishart_rng: [[4, 8], "spd"],
  wishart_cholesky_lpdf: ["cholesky_factor_cov", [4, 8], "cholesky_factor_cov"],
  wishart_cholesky_lupdf: ["cholesky_factor_cov", [4, 8], "cholesky_factor_cov"],
  wishart_cholesky_rng: [[4, 8], "cholesky_factor_cov"],
  lkj_cov_lpdf: ["spd", [-1, 1], [0.5, 2], [0.5, 3]],
  lkj_cov_lupdf: ["spd", [-1, 1], [0.5, 2], [0.5, 3]],
  multi_normal_lpdf: [undefined, undefined, "spd"],
  multi_normal_lupdf: [undefined, undefined, "spd"],
  multi_normal_rng: [undefined, "spd"],
  multi_normal_cholesky_lpdf: [undefined, undefined, "cholesky_factor_cov"],
  multi_normal_cholesky_lupdf: [undefined, undefined, "cholesky_factor_cov"],
  multi_normal_cholesky_rng: [undefined, "cholesky_factor_cov"],
  lkj_corr_lpdf: ["corr_matrix", [0.5, 5]],
  lkj_corr_lupdf: ["corr_matrix", [0.5, 5]],
  lkj_corr_rng: [[3, 3], [0.5, 5]],
  lkj_corr_cholesky_lpdf: ["cholesky_factor_corr", [0.5, 5]],
  lkj_corr_cholesky_lupdf: ["cholesky_factor_corr", [0.5, 5]],
  lkj_corr_cholesky_rng: [[3, 3], [0.5, 5]],
});
