/** Multivariate densities: multi_normal (covariance, Cholesky, precision), multi_student_t, LKJ, Wishart. */
import { distribution, product, productWith, sig, VECTORS } from "./helpers";

const mvnRng = productWith(
  (args) => (args[0].startsWith("array") ? "array[] vector" : "vector"),
  VECTORS,
  ["matrix"],
);

export const multivariateFamily = [
  ...distribution({
    family: "multivariate",
    name: "multi_normal",
    variate: VECTORS,
    params: [VECTORS, ["matrix"]],
    rng: mvnRng,
  }),
  ...distribution({
    family: "multivariate",
    name: "multi_normal_cholesky",
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
    variate: ["matrix"],
    params: [["real"]],
    rng: [sig("matrix", "int", "real")],
  }),
  ...distribution({
    family: "multivariate",
    name: "lkj_corr_cholesky",
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
