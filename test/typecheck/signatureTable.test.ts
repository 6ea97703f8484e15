import { describe, expect, it } from "vitest";
import {
  allFunctionNames,
  FAMILIES,
  lookupFunction,
  resolveCall,
} from "../../src/primitives/registry";
import { type } from "../../src/primitives/families/helpers";
import { typeToString } from "../../src/ast/ast";

const t = type;

/** The built-ins issue #2/#3 name explicitly; the type checker knows nothing else. */
const REQUIRED = `
normal_lpdf normal_lupdf normal_lcdf normal_lccdf normal_cdf normal_rng std_normal_lpdf std_normal_rng
normal_id_glm_lpdf exponential_lpdf student_t_lpdf student_t_lccdf student_t_lcdf student_t_rng
lkj_corr_cholesky_lpdf lkj_corr_cholesky_rng multi_normal_cholesky_lpdf multi_normal_lpdf lkj_corr_lpdf dirichlet_lpdf
cauchy_lpdf lognormal_lpdf gamma_lpdf inv_gamma_lpdf beta_lpdf uniform_lpdf bernoulli_lpmf bernoulli_logit_lpmf
binomial_lpmf binomial_logit_lpmf poisson_lpmf poisson_log_lpmf neg_binomial_2_lpmf neg_binomial_2_log_lpmf
categorical_lpmf categorical_logit_lpmf ordered_logistic_lpmf bernoulli_logit_glm_lpmf
exp log log1p log1m expm1 inv_logit logit log_inv_logit log1m_inv_logit Phi Phi_approx square sqrt pow fabs abs
fmin fmax lgamma tgamma digamma lbeta lchoose choose log_sum_exp log_mix log1p_exp log_softmax softmax sum prod
mean variance sd min max dot_product dot_self columns_dot_product rows_dot_product cumulative_sum rep_vector
rep_row_vector rep_matrix rep_array to_vector to_row_vector to_matrix to_array_1d diag_matrix diag_pre_multiply
diag_post_multiply multiply_lower_tri_self_transpose tcrossprod crossprod quad_form cholesky_decompose inverse
mdivide_left_tri_low mdivide_right_tri_low determinant log_determinant transpose num_elements size rows cols head
tail segment block col row append_row append_col sort_asc sort_desc rank linspaced_vector identity_matrix
cov_exp_quad gp_exp_quad_cov int_step step is_inf is_nan fmod floor ceil round trunc sin cos tan atan2 tanh erf
erfc positive_infinity negative_infinity not_a_number machine_precision pi e sqrt2 log2 log10
add subtract multiply divide modulus int_divide mdivide_left elt_multiply elt_divide elt_pow minus logical_negation
logical_or logical_and logical_eq logical_neq logical_lt logical_lte logical_gt logical_gte
`
  .trim()
  .split(/\s+/);

describe("signature table", () => {
  it("registers every required built-in", () => {
    const missing = REQUIRED.filter((name) => lookupFunction(name) === undefined);
    expect(missing).toEqual([]);
  });

  it("has one entry per name, each in a family, with valid types", () => {
    const names = allFunctionNames();
    expect(new Set(names).size).toBe(names.length);
    for (const family of FAMILIES) {
      for (const fn of family) {
        expect(fn.family.length).toBeGreaterThan(0);
        if (fn.family !== "internal") expect(fn.signatures.length, fn.name).toBeGreaterThan(0);
        for (const s of fn.signatures) {
          for (const a of s.args)
            expect(["int", "real", "complex", "vector", "row_vector", "matrix"]).toContain(a.base);
          expect(s.returnType.base).not.toBe("string");
        }
      }
    }
  });

  it("vectorises densities over the `reals` class", () => {
    const sigs = lookupFunction("normal_lpdf")!.signatures;
    expect(sigs).toHaveLength(64);
    expect(
      resolveCall("normal_lpdf", [t("array[] real"), t("vector"), t("real")])?.returnType,
    ).toEqual(t("real"));
    expect(
      resolveCall("student_t_lpdf", [t("vector"), t("int"), t("int"), t("real")])?.args.map(
        typeToString,
      ),
    ).toEqual(["vector", "real", "real", "real"]);
  });

  it("prefers an exact match over a promotion", () => {
    expect(resolveCall("add", [t("int"), t("int")])?.returnType).toEqual(t("int"));
    expect(resolveCall("add", [t("int"), t("real")])?.returnType).toEqual(t("real"));
    expect(resolveCall("abs", [t("int")])?.returnType).toEqual(t("int"));
    expect(resolveCall("exp", [t("int")])?.returnType).toEqual(t("real"));
  });

  it("promotes int arrays to real arrays and rejects other conversions", () => {
    expect(resolveCall("sum", [t("array[] int")])?.returnType).toEqual(t("int"));
    expect(resolveCall("mean", [t("array[] int")])?.args).toEqual([t("array[] real")]);
    expect(resolveCall("exp", [t("array[,] int")])?.returnType).toEqual(t("array[,] real"));
    expect(resolveCall("to_vector", [t("real")])).toBeUndefined();
    expect(resolveCall("multiply", [t("vector"), t("vector")])).toBeUndefined();
    expect(resolveCall("no_such_function", [])).toBeUndefined();
  });

  it("types linear algebra and multivariate densities as Stan does", () => {
    expect(resolveCall("multiply", [t("row_vector"), t("vector")])?.returnType).toEqual(t("real"));
    expect(resolveCall("multiply", [t("matrix"), t("vector")])?.returnType).toEqual(t("vector"));
    expect(
      resolveCall("multi_normal_cholesky_lpdf", [
        t("array[] vector"),
        t("array[] vector"),
        t("matrix"),
      ])?.returnType,
    ).toEqual(t("real"));
    expect(resolveCall("multi_normal_rng", [t("array[] vector"), t("matrix")])?.returnType).toEqual(
      t("array[] vector"),
    );
    expect(resolveCall("normal_rng", [t("vector"), t("real")])?.returnType).toEqual(
      t("array[] real"),
    );
    expect(resolveCall("poisson_log_rng", [t("real")])?.returnType).toEqual(t("int"));
    expect(resolveCall("rep_array", [t("vector"), t("int"), t("int")])?.returnType).toEqual(
      t("array[,] vector"),
    );
    expect(
      resolveCall("normal_id_glm_lpdf", [
        t("vector"),
        t("matrix"),
        t("real"),
        t("vector"),
        t("real"),
      ])?.returnType,
    ).toEqual(t("real"));
  });
});
