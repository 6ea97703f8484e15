/**
 * Gradient rules for scalar-valued runtime kernels (densities, log CDFs): the generated code calls
 * `name(args…, propto)` for the value and `name_vp(args…, propto, d_arg…)` for value plus partials,
 * then applies `arg_adj += result_adj · d_arg` (see docs/kernel-conventions.md). Matrix arguments
 * are passed with their sizes after them. Keyed by Stan function name.
 */

/** How one argument is passed. `real` = number or Float64Array (vectorised); `ints` likewise for integers. */
export type KernelArgKind = "real" | "int" | "vector" | "matrix" | "vectors" | "cholesky";

export interface KernelRule {
  readonly name: string;
  /** Argument kinds in Stan order (the variate first). */
  readonly args: readonly KernelArgKind[];
  /** Whether the kernel takes the `propto` flag (densities do, log CDFs do not). */
  readonly propto: boolean;
  /** Plain math for each partial, for comments in the adjoint code. */
  readonly partials: readonly string[];
  /** Integer-valued variate (`_lpmf`). */
  readonly discrete?: boolean;
  /** Arguments the kernel takes no partials buffer for (integer arguments). */
  readonly noPartials?: readonly number[];
  /**
   * Positional value arguments of the runtime kernel from each Stan argument's JS and sizes
   * (matrices pass their sizes after them). Default: the arguments as they are.
   */
  readonly layout?: (args: readonly KernelArgJs[]) => readonly string[];
}

export interface KernelArgJs {
  readonly js: string;
  /** JS for each Stan dim of the argument ([] for a scalar). */
  readonly dims: readonly string[];
}

const rules: KernelRule[] = [];
function def(rule: KernelRule): void {
  rules.push(rule);
}

def({
  name: "normal_lpdf",
  args: ["real", "real", "real"],
  propto: true,
  partials: [
    "∂/∂y normal_lpdf = −(y − mu) / sigma²",
    "∂/∂mu normal_lpdf = (y − mu) / sigma²",
    "∂/∂sigma normal_lpdf = ((y − mu)² / sigma² − 1) / sigma",
  ],
});
def({ name: "std_normal_lpdf", args: ["real"], propto: true, partials: ["∂/∂y std_normal_lpdf = −y"] });
def({
  name: "normal_lcdf",
  args: ["real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log Φ(z) = φ(z) / (Φ(z) sigma)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
});
def({
  name: "normal_lccdf",
  args: ["real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − Φ(z)) = −φ(z) / ((1 − Φ(z)) sigma)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
});
def({ name: "std_normal_lcdf", args: ["real"], propto: false, partials: ["∂/∂y log Φ(y) = φ(y) / Φ(y)"] });
def({ name: "std_normal_lccdf", args: ["real"], propto: false, partials: ["∂/∂y log(1 − Φ(y)) = −φ(y) / (1 − Φ(y))"] });
def({
  name: "exponential_lpdf",
  args: ["real", "real"],
  propto: true,
  partials: ["∂/∂y exponential_lpdf = −beta", "∂/∂beta exponential_lpdf = 1 / beta − y"],
});
def({
  name: "exponential_lcdf",
  args: ["real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − e^(−beta y)) = beta e^(−beta y) / (1 − e^(−beta y))", "∂/∂beta = y e^(−beta y) / (1 − e^(−beta y))"],
});
def({
  name: "exponential_lccdf",
  args: ["real", "real"],
  propto: false,
  partials: ["∂/∂y (−beta y) = −beta", "∂/∂beta (−beta y) = −y"],
});
def({
  name: "student_t_lpdf",
  args: ["real", "real", "real", "real"],
  propto: true,
  partials: [
    "∂/∂y student_t_lpdf = −(nu + 1)(y − mu) / (nu sigma² + (y − mu)²)",
    "∂/∂nu student_t_lpdf = ½[ψ((nu+1)/2) − ψ(nu/2) − 1/nu − log(1 + z²/nu) + (nu+1) z² / (nu (nu + z²))]",
    "∂/∂mu student_t_lpdf = (nu + 1)(y − mu) / (nu sigma² + (y − mu)²)",
    "∂/∂sigma student_t_lpdf = (nu z² − nu) / (sigma (nu + z²))",
  ],
});
def({
  name: "student_t_lccdf",
  args: ["real", "real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − F(y)) = −f(y) / (1 − F(y))", "∂/∂nu (regularised incomplete beta derivative)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
});
def({
  name: "student_t_lcdf",
  args: ["real", "real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log F(y) = f(y) / F(y)", "∂/∂nu (regularised incomplete beta derivative)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
});

def({
  name: "normal_id_glm_lpdf",
  args: ["real", "matrix", "real", "vector", "real"],
  propto: true,
  partials: [
    "∂/∂y = −(y − alpha − X·beta) / sigma²",
    "∂/∂X = (y − alpha − X·beta) betaᵀ / sigma²",
    "∂/∂alpha = (y − alpha − X·beta) / sigma²",
    "∂/∂beta = Xᵀ (y − alpha − X·beta) / sigma²",
    "∂/∂sigma = (‖y − alpha − X·beta‖²/sigma² − 1) / sigma (per observation)",
  ],
  layout: (a) => [a[0].js, a[1].js, a[1].dims[0], a[1].dims[1], a[2].js, a[3].js, a[4].js],
});
def({
  name: "lkj_corr_cholesky_lpdf",
  args: ["cholesky", "real"],
  propto: true,
  partials: ["∂/∂L_ii = (K − i + 2 eta − 2) / L_ii (i = 2…K)", "∂/∂eta = Σ_i 2 log L_ii + ∂c(eta, K)/∂eta"],
  layout: (a) => [a[0].js, a[0].dims[0], a[1].js],
});
def({
  name: "multi_normal_cholesky_lpdf",
  args: ["vectors", "vectors", "cholesky"],
  propto: true,
  partials: ["∂/∂y_n = −L⁻ᵀ L⁻¹ (y_n − mu_n)", "∂/∂mu_n = L⁻ᵀ L⁻¹ (y_n − mu_n)", "∂/∂L = Σ_n b_n a_nᵀ − N diag(1 / L_ii), a_n = L⁻¹(y_n − mu_n), b_n = L⁻ᵀ a_n"],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[0]],
});

def({
  name: "dirichlet_lpdf",
  args: ["vector", "vector"],
  propto: true,
  partials: ["∂/∂theta_k = (alpha_k − 1) / theta_k", "∂/∂alpha_k = ψ(Σ alpha) − ψ(alpha_k) + log theta_k"],
});
def({
  name: "categorical_lpmf",
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer outcome)", "∂/∂theta_k = Σ_n [y_n = k] / theta_k"],
});
def({
  name: "categorical_logit_lpmf",
  args: ["int", "vector"],
  propto: true,
  noPartials: [0],
  partials: ["(integer outcome)", "∂/∂beta_k = Σ_n ([y_n = k] − softmax(beta)_k)"],
});
def({
  name: "ordered_logistic_lpmf",
  args: ["int", "real", "vector"],
  propto: true,
  noPartials: [0],
  partials: [
    "(integer outcome)",
    "∂/∂eta log(logit⁻¹(eta − c_{y−1}) − logit⁻¹(eta − c_y)) = 1 − logit⁻¹(eta − c_{y−1}) − logit⁻¹(eta − c_y)",
    "∂/∂c: the matching negatives at the two cutpoints next to y",
  ],
});
def({
  name: "lkj_corr_lpdf",
  args: ["matrix", "real"],
  propto: true,
  partials: ["∂/∂Omega (eta − 1) log det Omega = (eta − 1) Omega⁻¹", "∂/∂eta = log det Omega + ∂c(eta, K)/∂eta"],
  layout: (a) => [a[0].js, a[0].dims[0], a[1].js],
});
def({
  name: "multi_normal_lpdf",
  args: ["vectors", "vectors", "matrix"],
  propto: true,
  partials: ["∂/∂y_n = −Sigma⁻¹ (y_n − mu_n)", "∂/∂mu_n = Sigma⁻¹ (y_n − mu_n)", "∂/∂Sigma = ½ Σ_n (Sigma⁻¹ r_n r_nᵀ Sigma⁻¹ − Sigma⁻¹)"],
  layout: (a) => [a[0].js, a[1].js, a[2].js, a[2].dims[0]],
});

export const KERNEL_RULES: ReadonlyMap<string, KernelRule> = new Map(rules.map((r) => [r.name, r]));
