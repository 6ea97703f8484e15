/**
 * SBC models: each pairs a Stan program with a prior-predictive simulator written in TypeScript
 * that follows the program's prior and likelihood exactly. Sizes are reduced so that hundreds of
 * replications stay affordable.
 */
import { Random } from "../../scripts/random";
import type { SbcModel, Simulation } from "./sbc";

const normals = (rng: Random, n: number, mu = 0, sigma = 1): number[] => Array.from({ length: n }, () => rng.normal(mu, sigma));
const halfNormal = (rng: Random, sigma: number): number => Math.abs(rng.normal(0, sigma));
const exponential = (rng: Random, rate: number): number => -Math.log(1 - rng.uniform()) / rate;
const halfCauchy = (rng: Random, scale: number): number => Math.abs(scale * Math.tan(Math.PI * (rng.uniform() - 0.5)));
const invLogit = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A K×K correlation matrix from LKJ(eta) by the vine method (Lewandowski, Kurowicka & Joe 2009):
 * partial correlations of a C-vine drawn from scaled Betas, then converted to correlations.
 */
export function lkjCorrelation(rng: Random, K: number, eta: number): number[][] {
  const partial = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const corr: number[][] = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j): number => (i === j ? 1 : 0)));
  let beta = eta + (K - 1) / 2;
  for (let k = 0; k < K - 1; k++) {
    beta -= 0.5;
    for (let i = k + 1; i < K; i++) {
      partial[k][i] = 2 * rng.beta(beta, beta) - 1;
      let p = partial[k][i];
      for (let l = k - 1; l >= 0; l--) p = p * Math.sqrt((1 - partial[l][i] ** 2) * (1 - partial[l][k] ** 2)) + partial[l][i] * partial[l][k];
      corr[k][i] = p;
      corr[i][k] = p;
    }
  }
  return corr;
}

function choleskyLower(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  return l;
}

// ---------------------------------------------------------------------------------------------
// Classic fixtures (fixtures/stan/good), each with its own prior.

const linearRegression: SbcModel = {
  name: "linear_regression",
  program: { path: "fixtures/stan/good/linear_regression.stan" },
  simulate(rng) {
    const N = 20;
    const K = 2;
    const x = Array.from({ length: N }, () => normals(rng, K));
    const alpha = rng.normal(0, 10);
    const beta = normals(rng, K, 0, 5);
    const sigma = exponential(rng, 1);
    const y = x.map((row) => rng.normal(alpha + row[0] * beta[0] + row[1] * beta[1], sigma));
    return { data: { N, K, x, y }, truth: { alpha, "beta.1": beta[0], "beta.2": beta[1], sigma } };
  },
};

const logisticRegression: SbcModel = {
  name: "logistic_regression",
  program: { path: "fixtures/stan/good/logistic_regression.stan" },
  simulate(rng) {
    const N = 40;
    const K = 2;
    const x = Array.from({ length: N }, () => normals(rng, K));
    const alpha = rng.normal(0, 2.5);
    const beta = normals(rng, K, 0, 2.5);
    const y = x.map((row) => rng.bernoulli(invLogit(alpha + row[0] * beta[0] + row[1] * beta[1])));
    return { data: { N, K, x, y }, truth: { alpha, "beta.1": beta[0], "beta.2": beta[1] } };
  },
};

const EIGHT_SCHOOLS_SIGMA = [15, 10, 16, 11, 9, 11, 10, 18];
const eightSchoolsNoncentered: SbcModel = {
  name: "eight_schools_noncentered",
  program: { path: "fixtures/stan/good/eight_schools_noncentered.stan" },
  sampling: { adaptDelta: 0.95 },
  simulate(rng) {
    const J = 8;
    const mu = rng.normal(0, 5);
    const tau = halfCauchy(rng, 5);
    const thetaTilde = normals(rng, J);
    const y = thetaTilde.map((t, j) => rng.normal(mu + tau * t, EIGHT_SCHOOLS_SIGMA[j]));
    return { data: { J, y, sigma: EIGHT_SCHOOLS_SIGMA }, truth: { mu, tau, "theta_tilde.1": thetaTilde[0], "theta.1": mu + tau * thetaTilde[0] } };
  },
};

const hierBinomial: SbcModel = {
  name: "hier_binomial",
  program: { path: "fixtures/stan/good/hier_binomial.stan" },
  sampling: { adaptDelta: 0.9 },
  simulate(rng) {
    const J = 10;
    const n = new Array<number>(J).fill(20);
    const mu = rng.normal(-1, 1);
    const tau = halfNormal(rng, 1);
    const alphaRaw = normals(rng, J);
    const alpha = alphaRaw.map((a) => mu + tau * a);
    const y = alpha.map((a, j) => rng.binomial(n[j], invLogit(a)));
    return { data: { J, n, y }, truth: { mu, tau, "alpha_raw.1": alphaRaw[0], "alpha.1": alpha[0] } };
  },
};

const changepoint: SbcModel = {
  name: "changepoint",
  program: { path: "fixtures/stan/good/changepoint.stan" },
  simulate(rng) {
    const T = 40;
    const rate = 0.5;
    const e = exponential(rng, rate);
    const l = exponential(rng, rate);
    const s = rng.integer(1, T);
    // lp[s] uses rate e for t < s and rate l for t >= s.
    const D = Array.from({ length: T }, (_, i) => rng.poisson(i + 1 < s ? e : l));
    return { data: { r_e: rate, r_l: rate, T, D }, truth: { e, l } };
  },
};

const dirichletCategorical: SbcModel = {
  name: "dirichlet_categorical",
  program: { path: "fixtures/stan/good/dirichlet_categorical.stan" },
  simulate(rng) {
    const K = 3;
    const N = 30;
    const alpha = [1, 1, 1];
    const theta = rng.dirichlet(alpha);
    const a = normals(rng, K);
    const b = normals(rng, K);
    const x = normals(rng, N);
    const y = Array.from({ length: N }, () => rng.categorical(theta));
    const z = x.map((xn) => rng.categorical(a.map((ak, k) => Math.exp(ak + b[k] * xn))));
    return {
      data: { K, N, y, alpha, z, x },
      truth: { "theta.1": theta[0], "theta.3": theta[2], "a.1": a[0], "b.1": b[0], "b.3": b[2] },
    };
  },
};

const orderedLogistic: SbcModel = {
  name: "ordered_logistic",
  program: { path: "fixtures/stan/good/ordered_logistic.stan" },
  simulate(rng) {
    const K = 4;
    const N = 50;
    const D = 2;
    const beta = normals(rng, D, 0, 2);
    // normal(0, 5) on an ordered vector: iid normals conditioned on order, i.e. sorted iid normals.
    const c = normals(rng, K - 1, 0, 5).sort((p, q) => p - q);
    const x = Array.from({ length: N }, () => normals(rng, D));
    const y = x.map((row) => {
      const eta = row[0] * beta[0] + row[1] * beta[1];
      const u = rng.uniform();
      for (let k = 0; k < K - 1; k++) if (u < invLogit(c[k] - eta)) return k + 1;
      return K;
    });
    return { data: { K, N, D, y, x }, truth: { "beta.1": beta[0], "beta.2": beta[1], "c.1": c[0], "c.3": c[2] } };
  },
};

const garch11: SbcModel = {
  name: "garch11",
  program: { path: "fixtures/stan/good/garch11.stan" },
  sampling: { adaptDelta: 0.9 },
  simulate(rng) {
    const T = 60;
    const sigma1 = 1;
    const mu = rng.normal(0, 1);
    const alpha0 = halfNormal(rng, 1);
    // No explicit prior on alpha1, beta1: uniform on the triangle alpha1 + beta1 < 1.
    let alpha1 = rng.uniform();
    let beta1 = rng.uniform();
    if (alpha1 + beta1 > 1) [alpha1, beta1] = [1 - alpha1, 1 - beta1];
    const r: number[] = [];
    let sigma = sigma1;
    for (let t = 0; t < T; t++) {
      if (t > 0) sigma = Math.sqrt(alpha0 + alpha1 * (r[t - 1] - mu) ** 2 + beta1 * sigma ** 2);
      r.push(rng.normal(mu, sigma));
    }
    return { data: { T, r, sigma1 }, truth: { mu, alpha0, alpha1, beta1 } };
  },
};

const vectorBounds: SbcModel = {
  name: "vector_bounds",
  program: { path: "fixtures/stan/good/vector_bounds.stan" },
  sampling: { adaptDelta: 0.95 },
  simulate(rng) {
    const N = 5;
    const lo = [-2, -1, -3, -2, -1.5];
    const hi = [2, 1.5, 1, 2.5, 1.5];
    const theta = lo.map((l, i) => rng.uniformRange(l, hi[i]));
    const tau = exponential(rng, 1);
    const scale = Array.from({ length: N }, () => halfNormal(rng, tau));
    const y = theta.map((t, i) => rng.normal(t, 0.5 + scale[i]));
    return { data: { N, lo, hi, y }, truth: { "theta.1": theta[0], "theta.3": theta[2], "scale.1": scale[0], tau } };
  },
};

const arK: SbcModel = {
  name: "ar_k",
  program: { path: "fixtures/stan/good/ar_k.stan" },
  simulate(rng) {
    const K = 2;
    const N = 30;
    const alpha = rng.normal(0, 1);
    const beta = normals(rng, K, 0, 0.5);
    const sigma = exponential(rng, 1);
    const y = normals(rng, K);
    for (let n = K; n < N; n++) {
      let mu = alpha;
      for (let k = 1; k <= K; k++) mu += beta[k - 1] * y[n - k];
      y.push(rng.normal(mu, sigma));
    }
    return { data: { K, N, y }, truth: { alpha, "beta.1": beta[0], "beta.2": beta[1], sigma } };
  },
};

// ---------------------------------------------------------------------------------------------
// The lecture's brms programs (fixtures/stan/good/m1.stan, m3.stan: brms 2.18's output) with
// reduced sizes: G people observed on n days each, day01 = day / (n − 1).

interface Panel {
  N: number;
  G: number;
  J: number[];
  day01: number[];
}

function panel(G: number, days: number): Panel {
  const J: number[] = [];
  const day01: number[] = [];
  for (let g = 1; g <= G; g++) {
    for (let t = 0; t < days; t++) {
      J.push(g);
      day01.push(t / (days - 1));
    }
  }
  return { N: J.length, G, J, day01 };
}

/** Group effects r (G × M) = (diag(sd) · L · z)ᵀ, as brms's scale_r_cor. */
function groupEffects(rng: Random, G: number, sd: readonly number[], corr: number[][]): { r: number[][] } {
  const L = choleskyLower(corr);
  const M = sd.length;
  const r: number[][] = [];
  for (let g = 0; g < G; g++) {
    const z = normals(rng, M);
    r.push(sd.map((s, i) => s * L[i].reduce((acc, lij, j) => acc + lij * z[j], 0)));
  }
  return { r };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** m1's parameters on brms's scale (`intercept` is the intercept for centred day01). */
export interface M1Parameters {
  b: number;
  intercept: number;
  sigma: number;
  sd: [number, number];
  corr: number[][];
}

export function drawM1Prior(rng: Random): M1Parameters {
  return {
    b: rng.normal(0, 1),
    intercept: rng.normal(0, 0.2),
    sigma: exponential(rng, 1),
    sd: [exponential(rng, 1), exponential(rng, 1)],
    corr: lkjCorrelation(rng, 2, 2),
  };
}

/** m1's Stan data simulated from `params`, with the quantities ranked/checked by CmdStan column. */
export function simulateM1(rng: Random, params: M1Parameters, G: number, days: number): Simulation {
  const { b, intercept, sigma, sd, corr } = params;
  const p = panel(G, days);
  const { r } = groupEffects(rng, G, sd, corr);
  const meanDay = mean(p.day01);
  const Y = p.day01.map((d, n) => {
    const g = p.J[n] - 1;
    return rng.normal(intercept + b * (d - meanDay) + r[g][0] + r[g][1] * d, sigma);
  });
  return {
    data: { N: p.N, Y, K: 2, X: p.day01.map((d) => [1, d]), N_1: G, M_1: 2, J_1: p.J, Z_1_1: p.day01.map(() => 1), Z_1_2: p.day01, NC_1: 1, prior_only: 0 },
    truth: {
      "b.1": b,
      Intercept: intercept,
      b_Intercept: intercept - meanDay * b,
      sigma,
      "sd_1.1": sd[0],
      "sd_1.2": sd[1],
      "cor_1.1": corr[0][1],
      "r_1_1.1": r[0][0],
      "r_1_2.1": r[0][1],
    },
  };
}

export function lectureM1(G = 12, days = 6): SbcModel {
  return {
    name: "m1",
    program: { path: "fixtures/stan/good/m1.stan" },
    sampling: { adaptDelta: 0.9 },
    simulate: (rng) => simulateM1(rng, drawM1Prior(rng), G, days),
  };
}

/** m3's parameters: location part as m1, plus the log-scale intercept; sd and corr are 3-dimensional. */
export interface M3Parameters {
  b: number;
  intercept: number;
  interceptSigma: number;
  sd: [number, number, number];
  corr: number[][];
}

export function drawM3Prior(rng: Random): M3Parameters {
  return {
    b: rng.normal(0, 1),
    intercept: rng.normal(0, 0.2),
    interceptSigma: rng.normal(0, 1),
    sd: [exponential(rng, 1), exponential(rng, 1), exponential(rng, 1)],
    corr: lkjCorrelation(rng, 3, 2),
  };
}

export function simulateM3(rng: Random, params: M3Parameters, G: number, days: number): Simulation {
  const { b, intercept, interceptSigma, sd, corr } = params;
  const p = panel(G, days);
  const { r } = groupEffects(rng, G, sd, corr);
  const meanDay = mean(p.day01);
  const Y = p.day01.map((d, n) => {
    const g = p.J[n] - 1;
    return rng.normal(intercept + b * (d - meanDay) + r[g][0] + r[g][1] * d, Math.exp(interceptSigma + r[g][2]));
  });
  return {
    data: {
      N: p.N, Y, K: 2, X: p.day01.map((d) => [1, d]), N_1: G, M_1: 3, J_1: p.J,
      Z_1_1: p.day01.map(() => 1), Z_1_2: p.day01, Z_1_sigma_3: p.day01.map(() => 1), NC_1: 3, prior_only: 0,
    },
    truth: {
      "b.1": b,
      b_Intercept: intercept - meanDay * b,
      b_sigma_Intercept: interceptSigma,
      "sd_1.1": sd[0],
      "sd_1.2": sd[1],
      "sd_1.3": sd[2],
      "cor_1.1": corr[0][1],
      "cor_1.2": corr[0][2],
      "cor_1.3": corr[1][2],
      "r_1_sigma_3.1": r[0][2],
    },
  };
}

export function lectureM3(G = 12, days = 6): SbcModel {
  return {
    name: "m3",
    program: { path: "fixtures/stan/good/m3.stan" },
    sampling: { adaptDelta: 0.9 },
    simulate: (rng) => simulateM3(rng, drawM3Prior(rng), G, days),
  };
}

/** Half Student-t(ν, 0, scale): |scale · z / sqrt(χ²_ν / ν)|, with χ²_ν / ν ~ Gamma(ν/2, rate ν/2). */
const halfStudentT = (rng: Random, nu: number, scale: number): number => Math.abs((scale * rng.normal(0, 1)) / Math.sqrt(rng.gamma(nu / 2, nu / 2)));

/**
 * m2 (bivariate NA/PA with lags, 8 correlated person-level effects, residual correlation). The
 * lag predictors are drawn as independent N(0, 1) covariates: the model conditions on its design
 * matrices, so SBC holds for any covariates drawn independently of the parameters. Priors as in
 * the program: half-t(3, 0, 2.5) on sigmas and sds (brms's defaults, fixed in the program text),
 * LKJ(2) on the 8×8 correlation, LKJ(1) on the residual correlation.
 */
export function lectureM2(G = 10, days = 6): SbcModel {
  return {
    name: "m2",
    program: { path: "fixtures/stan/good/m2.stan" },
    sampling: { adaptDelta: 0.9 },
    simulate(rng): Simulation {
      const p = panel(G, days);
      const bNA = normals(rng, 3, 0, 1);
      const interceptNA = rng.normal(0, 0.2);
      const sigmaNA = halfStudentT(rng, 3, 2.5);
      const bPA = normals(rng, 3, 0, 1);
      const interceptPA = rng.normal(0, 0.2);
      const sigmaPA = halfStudentT(rng, 3, 2.5);
      const rescor = lkjCorrelation(rng, 2, 1)[0][1];
      const sd = Array.from({ length: 8 }, () => halfStudentT(rng, 3, 2.5));
      const corr = lkjCorrelation(rng, 8, 2);
      const { r } = groupEffects(rng, G, sd, corr);
      const X = p.day01.map((d) => [1, d, rng.normal(0, 1), rng.normal(0, 1)]);
      const means = [1, 2, 3].map((k) => mean(X.map((row) => row[k])));
      const YNA: number[] = [];
      const YPA: number[] = [];
      X.forEach((row, n) => {
        const g = p.J[n] - 1;
        let muNA = interceptNA;
        let muPA = interceptPA;
        for (let k = 1; k <= 3; k++) {
          muNA += bNA[k - 1] * (row[k] - means[k - 1]);
          muPA += bPA[k - 1] * (row[k] - means[k - 1]);
        }
        for (let k = 0; k < 4; k++) {
          muNA += r[g][k] * row[k];
          muPA += r[g][4 + k] * row[k];
        }
        const e1 = rng.normal(0, 1);
        const e2 = rng.normal(0, 1);
        YNA.push(muNA + sigmaNA * e1);
        YPA.push(muPA + sigmaPA * (rescor * e1 + Math.sqrt(1 - rescor * rescor) * e2));
      });
      const column = (k: number) => X.map((row) => row[k]);
      const dot = (b: number[]) => b.reduce((acc, bk, k) => acc + bk * means[k], 0);
      return {
        data: {
          N: p.N, N_NAstd: p.N, Y_NAstd: YNA, K_NAstd: 4, X_NAstd: X, N_PAstd: p.N, Y_PAstd: YPA, K_PAstd: 4, X_PAstd: X,
          nresp: 2, nrescor: 1, N_1: G, M_1: 8, J_1_NAstd: p.J, J_1_PAstd: p.J,
          Z_1_NAstd_1: column(0), Z_1_NAstd_2: column(1), Z_1_NAstd_3: column(2), Z_1_NAstd_4: column(3),
          Z_1_PAstd_5: column(0), Z_1_PAstd_6: column(1), Z_1_PAstd_7: column(2), Z_1_PAstd_8: column(3),
          NC_1: 28, prior_only: 0,
        },
        truth: {
          "b_NAstd.1": bNA[0],
          "b_NAstd.2": bNA[1],
          "b_PAstd.3": bPA[2],
          b_NAstd_Intercept: interceptNA - dot(bNA),
          b_PAstd_Intercept: interceptPA - dot(bPA),
          sigma_NAstd: sigmaNA,
          sigma_PAstd: sigmaPA,
          "rescor.1": rescor,
          "sd_1.1": sd[0],
          "sd_1.5": sd[4],
          "sd_1.8": sd[7],
          // cor_1[choose(k - 1, 2) + j] = Cor_1[j, k]: (1,2) → 1, (1,5) → 7, (7,8) → 28
          "cor_1.1": corr[0][1],
          "cor_1.7": corr[0][4],
          "cor_1.28": corr[6][7],
        },
      };
    },
  };
}

export const CLASSIC_SBC_MODELS: readonly SbcModel[] = [
  linearRegression,
  logisticRegression,
  eightSchoolsNoncentered,
  hierBinomial,
  changepoint,
  dirichletCategorical,
  orderedLogistic,
  garch11,
  vectorBounds,
  arK,
];

/**
 * A deliberately wrong posterior for the power check: the linear regression's likelihood raised to
 * the 4th power (`target += 4 * normal_lpdf(...)`) while the data come from the right model, so the
 * posterior sd is about half the right one and SBC must flag it. (A doubled likelihood, sd × 0.71,
 * is too subtle for 40-80 replications with a 5-bin chi-square test; measured p ≈ 3e-3 at 80.)
 */
export const WRONG_LIKELIHOOD_REGRESSION: SbcModel = {
  name: "linear_regression_likelihood_x4",
  program: {
    file: "linear_regression_likelihood_x4.stan",
    source: `data {
  int<lower=0> N;
  int<lower=0> K;
  matrix[N, K] x;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 5);
  sigma ~ exponential(1);
  target += 4 * normal_lpdf(y | alpha + x * beta, sigma);
}
`,
  },
  simulate: linearRegression.simulate,
};

export { linearRegression };
