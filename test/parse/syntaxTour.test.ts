/** One program that uses every construct issue #2 lists: it must parse, type-check and round-trip. */
import { describe, expect, it } from "vitest";
import { checkStan } from "../../src/driver/compile";
import { parseStan } from "../../src/parse/parseStan";
import { printProgram } from "../../src/ast/printer";
import { withoutSpans } from "./astShape";

const TOUR = `
functions {
  real halfnorm_lpdf(real y, real s);            // forward declaration
  real halfnorm_lpdf(real y, real s) {
    return normal_lpdf(y | 0, s) + log(2);
  }
  real draw_rng(real mu) {
    return normal_rng(mu, 1);
  }
  void add_prior_lp(vector v, data real scale) {
    v ~ normal(0, scale);
    target += -0.5 * dot_self(v);
  }
  int count_positive(array[] real xs) {
    int n = 0;
    for (x in xs) {
      if (x > 0) n += 1;
    }
    return n;
  }
  matrix outer(vector a, row_vector b) {
    return a * b;
  }
}
data {
  int<lower=0> N;
  int<lower=1> K, L_unused;
  array[N] real y;
  real x_legacy[N];                   // legacy array syntax
  matrix[N, K] X;
  array[N] int<lower=0, upper=1> z;
  vector<lower=0>[K] w;
  array[2, 3] int grid;
}
transformed data {
  real total = 0;
  array[N] int idx;
  row_vector[3] r = [1, 2.5, 3e-1];
  vector[3] rv = r';
  matrix[2, 2] m = [[1, 0], [0, 1]];
  array[3] int ints = {1, 2, 3};
  int q = 7 %/% 2 + 7 % 2;
  for (n in 1:N) {
    idx[n] = n;
    total += y[n];
  }
  while (total > 100) {
    total /= 2;
    if (total < 1) break;
    else continue;
  }
  print("total = ", total, " q = ", q);
  if (N < 0) reject("N must be non-negative, found ", N);
  if (N > 1000000) fatal_error("far too much data");
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=-1, upper=1> rho;
  real<offset=mu, multiplier=sigma> theta;
  vector<lower=-w, upper=w>[K] beta;
  simplex[K] s;
  unit_vector[K] u;
  sum_to_zero_vector[K] stz;
  ordered[2] cut;
  positive_ordered[2] pos;
  cholesky_factor_corr[K] L;
  cholesky_factor_cov[K, K] LS;
  corr_matrix[K] Omega;
  cov_matrix[K] Sigma;
  real<lower=mu> above_mu;
}
transformed parameters {
  vector[N] eta = X * beta;
  real lp = halfnorm_lpdf(sigma | 1);
  {
    real local = 2 * mu;
    eta[1:2] += local;
  }
  eta[2:] .*= rep_vector(1, N - 1);
  eta[:1] ./= rep_vector(1, 1);
}
model {
  profile("priors") {
    mu ~ normal(0, 10);
    sigma ~ halfnorm(1);
    theta ~ normal(mu, sigma);
    beta ~ std_normal();
    add_prior_lp(beta, 2.0);
  }
  L ~ lkj_corr_cholesky(2);
  y ~ normal(eta, sigma);
  x_legacy ~ normal(mu, sigma) T[-10, 10];
  above_mu ~ normal(mu, 1) T[mu, ];
  z ~ bernoulli_logit(eta);
  target += normal_lupdf(rho | 0, 1) + (mu > 0 ? 1 : 0) * 0;
  target += -(mu ^ 2) / 2 + -mu^2 .* 1 - (!(N > 0) || (N == 0 && N != 1) ? 0 : 1);
  target += sum(X[, 1]) * 0 + sum(X[idx, 1:K]) * 0 + X[1, 1] * 0 + sum(grid[1]) * 0;
  target += dot_product(s, u) * 0 + sum(stz) * 0 + cut[1] * 0 + pos[2] * 0 + LS[1, 1] * 0;
  target += sum(diagonal(Omega)) * 0 + sum(diagonal(Sigma)) * 0 + outer(beta, beta')[1, 1] * 0;
}
generated quantities {
  real y_rep = draw_rng(mu);
  int n_pos = count_positive(y);
  array[N] real y_sim = normal_rng(eta, sigma);
  real ll = normal_lpdf(y | eta, sigma);
}
`;

describe("syntax tour", () => {
  const { program, warnings } = checkStan(TOUR, "tour.stan");

  it("parses and type-checks every construct", () => {
    // `%/%` is explicit integer division, so the only warning is the legacy array.
    expect(warnings.map((w) => w.message)).toEqual([
      "Declaration of arrays by placing brackets after a variable name is deprecated; write 'array[N] real x_legacy' instead.",
    ]);
    expect(program.parameters?.stmts).toHaveLength(15);
  });

  it("round-trips through the printer", () => {
    const first = parseStan(TOUR, "tour.stan").program;
    const printed = printProgram(first);
    expect(withoutSpans(parseStan(printed, "tour.stan").program)).toEqual(withoutSpans(first));
    expect(() => checkStan(printed, "tour.stan")).not.toThrow();
  });

  it("records ad levels across blocks", () => {
    const tp = program.transformedParameters!.stmts[0];
    expect(tp.kind === "VarDecl" && tp.init?.meta.adLevel).toBe("param");
    const gq = program.generatedQuantities!.stmts[1];
    expect(gq.kind === "VarDecl" && gq.init?.meta).toMatchObject({
      type: { base: "int", arrayDims: 0 },
      adLevel: "data",
    });
  });
});
