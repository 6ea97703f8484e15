/** Linear algebra: products with structure, decompositions, solves, determinants, GP kernels. */
import { expandedBy, sig } from "./helpers";
import { withTestDomains } from "./helpers";
import * as containersExpansions from "../expansions/containers";
import * as linalgExpansions from "../expansions/linalg";
import * as solveExpansions from "../expansions/solve";
import * as gpExpansions from "../expansions/gp";
import * as eigenExpansions from "../expansions/eigen";
import * as matrixExpExpansions from "../expansions/matrixExp";
import type { Primitive } from "../primitive";

const GP_KERNEL = [
  // (x, sigma, length_scale) and (x1, x2, sigma, length_scale)
  sig("matrix", "array[] real", "real", "real"),
  sig("matrix", "array[] real", "array[] real", "real", "real"),
  sig("matrix", "array[] vector", "real", "real"),
  sig("matrix", "array[] vector", "array[] vector", "real", "real"),
];
/** Points, magnitude and length scales all positive: one domain serves the 3- and 4-argument forms. */
const GP_DOMAIN: readonly (readonly [number, number])[] = [[0.5, 2], [0.5, 2], [0.5, 2], [0.5, 2]];
/** The gp_*_cov kernels also take one length scale per dimension (ARD) for vector inputs. */
const GP_KERNEL_ARD = [
  ...GP_KERNEL,
  sig("matrix", "array[] vector", "real", "array[] real"),
  sig("matrix", "array[] vector", "array[] vector", "real", "array[] real"),
];

const matrixOpsFamilyEntries: Primitive[] = expandedBy({ ...containersExpansions, ...linalgExpansions, ...solveExpansions, ...gpExpansions, ...eigenExpansions, ...matrixExpExpansions }, [
  {
    name: "diag_pre_multiply",
    family: "matrixOps",
    signatures: [sig("matrix", "vector", "matrix"), sig("matrix", "row_vector", "matrix")],
  },
  {
    name: "diag_post_multiply",
    family: "matrixOps",
    signatures: [sig("matrix", "matrix", "vector"), sig("matrix", "matrix", "row_vector")],
  },
  {
    name: "multiply_lower_tri_self_transpose",
    family: "matrixOps",
    signatures: [sig("matrix", "matrix")],
  },
  { name: "tcrossprod", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "crossprod", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  {
    name: "quad_form",
    family: "matrixOps",
    signatures: [sig("matrix", "matrix", "matrix"), sig("real", "matrix", "vector")],
  },
  {
    name: "quad_form_sym",
    family: "matrixOps",
    signatures: [sig("matrix", "matrix", "matrix"), sig("real", "matrix", "vector")],
  },
  {
    name: "quad_form_diag",
    family: "matrixOps",
    signatures: [sig("matrix", "matrix", "vector"), sig("matrix", "matrix", "row_vector")],
  },
  {
    name: "trace_quad_form",
    family: "matrixOps",
    signatures: [sig("real", "matrix", "matrix"), sig("real", "matrix", "vector")],
  },
  {
    name: "add_diag",
    family: "matrixOps",
    signatures: [
      sig("matrix", "matrix", "real"),
      sig("matrix", "matrix", "vector"),
      sig("matrix", "matrix", "row_vector"),
    ],
  },
  { name: "cholesky_decompose", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "inverse", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "inverse_spd", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "chol2inv", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  {
    name: "mdivide_left_tri_low",
    family: "matrixOps",
    signatures: [sig("vector", "matrix", "vector"), sig("matrix", "matrix", "matrix")],
  },
  {
    name: "mdivide_right_tri_low",
    family: "matrixOps",
    signatures: [sig("row_vector", "row_vector", "matrix"), sig("matrix", "matrix", "matrix")],
  },
  {
    name: "mdivide_left_spd",
    family: "matrixOps",
    signatures: [sig("vector", "matrix", "vector"), sig("matrix", "matrix", "matrix")],
  },
  {
    name: "mdivide_right_spd",
    family: "matrixOps",
    signatures: [sig("row_vector", "row_vector", "matrix"), sig("matrix", "matrix", "matrix")],
  },
  { name: "determinant", family: "matrixOps", signatures: [sig("real", "matrix")] },
  { name: "log_determinant", family: "matrixOps", signatures: [sig("real", "matrix")] },
  { name: "log_determinant_spd", family: "matrixOps", signatures: [sig("real", "matrix")] },
  { name: "trace", family: "matrixOps", signatures: [sig("real", "matrix")] },
  { name: "eigenvalues_sym", family: "matrixOps", signatures: [sig("vector", "matrix")] },
  { name: "eigenvectors_sym", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "singular_values", family: "matrixOps", signatures: [sig("vector", "matrix")] },
  { name: "qr_thin_Q", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "qr_thin_R", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "qr_Q", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "qr_R", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "matrix_exp", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "matrix_power", family: "matrixOps", testDomain: [[-1, 1], [0, 3]], signatures: [sig("matrix", "matrix", "int")] },
  { name: "symmetrize_from_lower_tri", family: "matrixOps", signatures: [sig("matrix", "matrix")] },
  { name: "cov_exp_quad", family: "matrixOps", testDomain: GP_DOMAIN, signatures: GP_KERNEL },
  { name: "gp_exp_quad_cov", family: "matrixOps", testDomain: GP_DOMAIN, signatures: GP_KERNEL_ARD },
  { name: "gp_matern32_cov", family: "matrixOps", testDomain: GP_DOMAIN, signatures: GP_KERNEL_ARD },
  { name: "gp_matern52_cov", family: "matrixOps", testDomain: GP_DOMAIN, signatures: GP_KERNEL_ARD },
  { name: "gp_exponential_cov", family: "matrixOps", testDomain: GP_DOMAIN, signatures: GP_KERNEL_ARD },
]);

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const matrixOpsFamily: Primitive[] = withTestDomains(matrixOpsFamilyEntries, {
  quad_form_sym: ["symmetric"],
  cholesky_decompose: ["spd"],
  inverse_spd: ["spd"],
  chol2inv: ["cholesky_factor_cov"],
  mdivide_left_tri_low: ["cholesky_factor_cov"],
  mdivide_right_tri_low: [undefined, "cholesky_factor_cov"],
  mdivide_left_spd: ["spd"],
  mdivide_right_spd: [undefined, "spd"],
  log_determinant_spd: ["spd"],
  eigenvalues_sym: ["symmetric"],
  eigenvectors_sym: ["symmetric"],
});
