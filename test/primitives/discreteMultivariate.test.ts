/**
 * Discrete and multivariate densities, CDFs and generators enabled for issue #17: values against
 * reference values (R, or closed forms evaluated in R; the R lines are in the comments — the tests
 * themselves do not need R), gradients against finite differences through compiled programs,
 * generators' moments against the distribution's (seeded; tolerances from the Monte Carlo standard
 * error), and Stan's argument-check messages.
 */
import { describe, expect, it } from "vitest";
import * as K from "../../src/runtime/math";
import { type CompiledModel, type ModelInstance, StanDomainError } from "../../src/runtime/model";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

const f64 = (...x: number[]) => Float64Array.from(x);
const i32 = (...x: number[]) => Int32Array.from(x);

const compiled = new Map<string, Promise<CompiledModel>>();
function compile(stan: string): Promise<CompiledModel> {
  let m = compiled.get(stan);
  if (!m) {
    m = loadCompiled(stan, `discrete_multivariate_${compiled.size}.stan`);
    compiled.set(stan, m);
  }
  return m;
}

/** Log density of a model whose parameters are unconstrained reals, at `theta`. */
async function logDensityAt(stan: string, data: Record<string, unknown>, theta: number[]): Promise<number> {
  const inst = (await compile(stan)).create(data);
  return inst.logDensity(Float64Array.from(theta));
}

/** Derived gradient vs finite differences at `points` random points where the density is finite. */
async function expectGradient(stan: string, data: Record<string, unknown>, seed: number, points = 3, scale = 0.8): Promise<void> {
  const inst: ModelInstance = (await compile(stan)).create(data);
  const rnd = seededUniform(seed);
  let checked = 0;
  for (let attempt = 0; attempt < 40 && checked < points; attempt++) {
    const theta = randomPoint(inst.dim, rnd, scale);
    const g = new Float64Array(inst.dim);
    let lp: number;
    try {
      lp = inst.logDensityGradient(theta, g);
    } catch (e) {
      if (e instanceof StanDomainError) continue;
      throw e;
    }
    if (!Number.isFinite(lp)) continue;
    expect(inst.logDensity(theta)).toBeCloseTo(lp, 10);
    const r = coordinateCheck(inst, theta);
    expect(r.worst, r.where).toBeLessThan(1e-6);
    checked++;
  }
  expect(checked).toBe(points);
}

/** Generated quantities of `draws` seeded draws, by variable name (one flat array per draw). */
async function drawOutputs(stan: string, data: Record<string, unknown>, draws: number, seed: number): Promise<Map<string, Float64Array[]>> {
  const inst = (await compile(stan)).create(data);
  const rng = new Xoshiro128(seed);
  const out = new Float64Array(inst.outputLength);
  const byName = new Map<string, Float64Array[]>();
  for (const v of inst.variables) byName.set(v.name, []);
  for (let d = 0; d < draws; d++) {
    inst.writeConstrained(new Float64Array(inst.dim), rng, out);
    let pos = 0;
    for (const v of inst.variables) {
      const size = v.dims.reduce((a, b) => a * b, 1);
      byName.get(v.name)!.push(out.slice(pos, pos + size));
      pos += size;
    }
  }
  return byName;
}

/** Sample mean of element `i` is within 4.5 Monte Carlo standard errors of `mean` (variance `variance`). */
function expectMean(draws: readonly Float64Array[], i: number, mean: number, variance: number): void {
  let s = 0;
  for (const d of draws) s += d[i];
  const m = s / draws.length;
  const mcse = Math.sqrt(variance / draws.length);
  expect(Math.abs(m - mean), `mean ${m} vs ${mean} (MCSE ${mcse})`).toBeLessThan(4.5 * mcse);
}

/** Sample covariance of elements i, j within 4.5 standard errors (from the fourth moments of the draws). */
function expectCovariance(draws: readonly Float64Array[], i: number, j: number, cov: number): void {
  const n = draws.length;
  let mi = 0;
  let mj = 0;
  for (const d of draws) {
    mi += d[i] / n;
    mj += d[j] / n;
  }
  let c = 0;
  let c2 = 0;
  for (const d of draws) {
    const p = (d[i] - mi) * (d[j] - mj);
    c += p / n;
    c2 += (p * p) / n;
  }
  const se = Math.sqrt(Math.max(c2 - c * c, 1e-300) / n);
  expect(Math.abs(c - cov), `covariance(${i}, ${j}) ${c} vs ${cov} (SE ${se})`).toBeLessThan(4.5 * se);
}

function domainMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof StanDomainError) return e.message;
    throw e;
  }
  return "(no error)";
}

describe("discrete densities: values", () => {
  it("beta_binomial_lpmf against lchoose + lbeta (R)", async () => {
    // R: bb <- function(n, N, a, b) lchoose(N, n) + lbeta(n + a, N - n + b) - lbeta(a, b)
    const stan = `data { int n; int N; } parameters { real la; real lb; } model { target += beta_binomial_lpmf(n | N, exp(la), exp(lb)); }`;
    // R: bb(3, 10, 2.5, 1.5)
    expect(await logDensityAt(stan, { n: 3, N: 10 }, [Math.log(2.5), Math.log(1.5)])).toBeCloseTo(-2.6297320490312819, 12);
    // R: sum(bb(c(0,4,7), c(5,9,7), 0.7, 3.2))
    const vec = `data { array[3] int n; array[3] int N; } parameters { real la; real lb; } model { target += beta_binomial_lpmf(n | N, exp(la), exp(lb)); }`;
    expect(await logDensityAt(vec, { n: [0, 4, 7], N: [5, 9, 7] }, [Math.log(0.7), Math.log(3.2)])).toBeCloseTo(-8.9245756238463905, 12);
    // outside 0..N: log 0 (Stan returns LOG_ZERO, not an error)
    expect(await logDensityAt(stan, { n: 11, N: 10 }, [0, 0])).toBe(-Infinity);
  });

  it("neg_binomial_lpmf against dnbinom (R)", async () => {
    const stan = `data { int n; } parameters { real la; real lb; } model { target += neg_binomial_lpmf(n | exp(la), exp(lb)); }`;
    // R: dnbinom(4, size=2.5, prob=1.5/2.5, log=TRUE)
    expect(await logDensityAt(stan, { n: 4 }, [Math.log(2.5), Math.log(1.5)])).toBeCloseTo(-2.7424016278753198, 12);
    const vec = `data { array[3] int n; } parameters { real la; real lb; } model { target += neg_binomial_lpmf(n | exp(la), exp(lb)); }`;
    // R: sum(dnbinom(c(0,3,11), size=0.8, prob=0.3/1.3, log=TRUE))
    expect(await logDensityAt(vec, { n: [0, 3, 11] }, [Math.log(0.8), Math.log(0.3)])).toBeCloseTo(-8.2286494318458825, 12);
  });

  it("ordered_probit_lpmf against pnorm (R), tails included", () => {
    // R: op <- function(y, eta, c) { K <- length(c)+1; if (y == 1) return(pnorm(c[1]-eta, log.p=TRUE));
    //      if (y == K) return(pnorm(eta-c[K-1], log.p=TRUE)); log(pnorm(c[y]-eta) - pnorm(c[y-1]-eta)) }
    const c = f64(-1, 0.3, 1.8);
    const expected = [-2.5163148529883288, -0.96912335913950565, -0.77855000895434134, -2.5163148529883288];
    for (let y = 1; y <= 4; y++) expect(K.ordered_probit_lpmf(y, 0.4, c, 3, false)).toBeCloseTo(expected[y - 1], 12);
    // R: op(2, 9, cc); op(4, -40, cc)  (far tails: no cancellation to log 0)
    expect(K.ordered_probit_lpmf(2, 9, c, 3, false)).toBeCloseTo(-40.940067597795519, 9);
    expect(K.ordered_probit_lpmf(4, -40, c, 3, false)).toBeCloseTo(-878.27240638734997, 9);
    // one cut-point vector per outcome (array[] vector), flat:
    // R: op(1,0.1,c(-1,0,1)) + op(3,-0.5,c(-2,-1,0.5)) + op(4,2,c(0,1,2)) + op(2,0.7,c(-0.3,0.2,0.9))
    const cuts = f64(-1, 0, 1, -2, -1, 0.5, 0, 1, 2, -0.3, 0.2, 0.9);
    expect(K.ordered_probit_lpmf(i32(1, 3, 4, 2), f64(0.1, -0.5, 2, 0.7), cuts, 3, false)).toBeCloseTo(-5.2182067211130878, 12);
  });

  it("multinomial_lpmf and multinomial_logit_lpmf against dmultinom (R)", () => {
    // R: dmultinom(c(2,0,5,1), prob=c(0.1,0.2,0.4,0.3), log=TRUE)
    expect(K.multinomial_lpmf(i32(2, 0, 5, 1), f64(0.1, 0.2, 0.4, 0.3), false)).toBeCloseTo(-5.2666326702815436, 12);
    // R: g <- c(0.5,-1,2); dmultinom(c(3,1,4), prob=exp(g)/sum(exp(g)), log=TRUE)
    expect(K.multinomial_logit_lpmf(i32(3, 1, 4), f64(0.5, -1, 2), false)).toBeCloseTo(-3.7957007700880059, 12);
  });

  it("bernoulli_cdf, _lcdf, _lccdf: closed forms", () => {
    // F(0) = 1 − θ, F(1) = 1. R: prod(ifelse(c(0,1,0)==0, 1-c(0.3,0.6,0.8), 1)); sum(log(1-c(0.3,0.8))); sum(log(c(0.3,0.8)))
    expect(K.bernoulli_cdf(i32(0, 1, 0), f64(0.3, 0.6, 0.8))).toBeCloseTo(0.14, 14);
    expect(K.bernoulli_lcdf(i32(0, 1, 0), f64(0.3, 0.6, 0.8))).toBeCloseTo(-1.966112856372833, 13);
    expect(K.bernoulli_lccdf(i32(0, 0), f64(0.3, 0.8))).toBeCloseTo(-1.4271163556401458, 13);
    expect(K.bernoulli_lccdf(i32(0, 1), f64(0.3, 0.8))).toBe(-Infinity);
    expect(K.bernoulli_cdf(-1, 0.5)).toBe(0);
  });
});

describe("discrete densities: gradients through compiled programs", () => {
  it("beta_binomial, neg_binomial, bernoulli cdfs (scalar and vectorised, data and parameter arguments)", async () => {
    const stan = `
data { int N; array[N] int n; array[N] int T; array[N] int<lower=0, upper=1> z; }
parameters { real<lower=0> a; real<lower=0> b; vector<lower=0>[N] av; real<lower=0, upper=1> p; vector<lower=0, upper=1>[N] pv; }
model {
  target += beta_binomial_lpmf(n | T, a, b) + beta_binomial_lpmf(n[1] | T[1], av[1], 2.5) + beta_binomial_lpmf(n | T, av, b);
  n ~ beta_binomial(T, a, av);
  target += neg_binomial_lpmf(n | a, b) + neg_binomial_lpmf(n | av, 1.5) + neg_binomial_lpmf(n[2] | a, av[2]);
  n ~ neg_binomial(av, b);
  target += bernoulli_cdf(z | pv) + bernoulli_lcdf(z | p) + bernoulli_lccdf(0 | p) + bernoulli_lcdf(z | pv) + bernoulli_lccdf(z[1] | pv[1]);
  target += bernoulli_cdf(0 | p);
}`;
    await expectGradient(stan, { N: 4, n: [0, 2, 5, 1], T: [3, 2, 6, 4], z: [0, 1, 0, 0] }, 11);
  });

  it("ordered_probit (every signature), multinomial, multinomial_logit", async () => {
    const stan = `
data { int N; array[N] int<lower=1, upper=4> y; array[3] int ns; }
parameters { real eta; vector[N] etas; ordered[3] c; array[N] ordered[3] cs; simplex[3] theta; vector[3] g; }
model {
  target += ordered_probit_lpmf(y[1] | eta, c);
  target += ordered_probit_lpmf(y | etas, c);
  target += ordered_probit_lpmf(y | etas, cs);
  target += ordered_probit_lpmf(y | eta, c);
  y ~ ordered_probit(etas, cs);
  target += multinomial_lpmf(ns | theta) + multinomial_logit_lpmf(ns | g);
  ns ~ multinomial(theta);
  ns ~ multinomial_logit(g);
}`;
    await expectGradient(stan, { N: 4, y: [1, 3, 4, 2], ns: [2, 0, 5] }, 12);
  });
});

// R reference setup for the multivariate values (base R only):
//   S <- matrix(c(2, 0.3, -0.4, 0.3, 1.5, 0.2, -0.4, 0.2, 1), 3); W <- matrix(c(3, -0.5, 0.8, -0.5, 2, 0.1, 0.8, 0.1, 1.2), 3)
//   y1 <- c(0.5, -1, 2); y2 <- c(1.5, 0.2, -0.7); mu <- c(0.1, 0.2, 0.3)
//   ldet <- function(A) as.numeric(determinant(A, logarithm=TRUE)$modulus)
//   lmg <- function(K, x) K*(K-1)/4*log(pi) + sum(lgamma(x + (1 - 1:K)/2))
const S = f64(2, 0.3, -0.4, 0.3, 1.5, 0.2, -0.4, 0.2, 1);
const W = f64(3, -0.5, 0.8, -0.5, 2, 0.1, 0.8, 0.1, 1.2);
const y1 = [0.5, -1, 2];
const y2 = [1.5, 0.2, -0.7];
const mu = [0.1, 0.2, 0.3];

/** Lower Cholesky factor of a K×K column-major matrix (for building test inputs). */
function chol(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j + j * n];
    for (let k = 0; k < j; k++) d -= L[j + k * n] ** 2;
    L[j + j * n] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i + j * n];
      for (let k = 0; k < j; k++) s -= L[i + k * n] * L[j + k * n];
      L[i + j * n] = s / L[j + j * n];
    }
  }
  return L;
}

function inverse3(A: Float64Array): Float64Array {
  const [a, d, g, b, e, h, c, f, i] = A; // column-major: A = [[a b c], [d e f], [g h i]]
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const rowMajor = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let col = 0; col < 3; col++) out[r + col * 3] = rowMajor[r * 3 + col] / det;
  return out;
}

describe("multivariate densities: values", () => {
  it("multi_student_t_lpdf and multi_student_t_cholesky_lpdf against the closed form (R)", () => {
    // R: dmvt_log <- function(y, nu, mu, S) { K <- length(y); r <- y - mu; q <- sum(r * solve(S, r));
    //      lgamma((nu+K)/2) - lgamma(nu/2) - K/2*log(nu*pi) - 0.5*ldet(S) - (nu+K)/2*log1p(q/nu) }
    // dmvt_log(y1, 4.5, mu, S); dmvt_log(y1, 4.5, mu, S) + dmvt_log(y2, 4.5, mu, S)
    expect(K.multi_student_t_lpdf(f64(...y1), 4.5, f64(...mu), S, 3, false)).toBeCloseTo(-6.1734554447854526, 12);
    expect(K.multi_student_t_lpdf(f64(...y1, ...y2), 4.5, f64(...mu), S, 3, false)).toBeCloseTo(-10.357100896473945, 12);
    expect(K.multi_student_t_cholesky_lpdf(f64(...y1, ...y2), 4.5, f64(...mu), chol(S, 3), 3, false)).toBeCloseTo(-10.357100896473945, 12);
    // ν = ∞ is the multivariate normal
    expect(K.multi_student_t_lpdf(f64(...y1), Infinity, f64(...mu), S, 3, false)).toBeCloseTo(K.multi_normal_lpdf(f64(...y1), f64(...mu), S, 3, false), 12);
  });

  it("multi_normal_prec_lpdf against the covariance form (R)", () => {
    // R: dmvn_log <- function(y, mu, S) { K <- length(y); r <- y - mu; -K/2*log(2*pi) - 0.5*ldet(S) - 0.5*sum(r*solve(S, r)) }
    //    dmvn_log(y1, mu, S) + dmvn_log(y2, c(0,0,0), S)
    expect(K.multi_normal_prec_lpdf(f64(...y1, ...y2), f64(...mu, 0, 0, 0), inverse3(S), 3, false)).toBeCloseTo(-9.9857641186514741, 11);
  });

  it("wishart_lpdf, inv_wishart_lpdf, wishart_cholesky_lpdf against the closed forms (R)", () => {
    // R: dw <- function(W, nu, S) { K <- nrow(W); -lmg(K, nu/2) - nu*K/2*log(2) - nu/2*ldet(S) + (nu-K-1)/2*ldet(W) - 0.5*sum(diag(solve(S, W))) }
    //    diw <- function(W, nu, S) { K <- nrow(W); -lmg(K, nu/2) - nu*K/2*log(2) + nu/2*ldet(S) - (nu+K+1)/2*ldet(W) - 0.5*sum(diag(S %*% solve(W))) }
    //    dw(W, 5.5, S); diw(W, 5.5, S); dw(W, 5.5, S) + 3*log(2) + sum((3 - 1:3 + 1) * log(diag(t(chol(W)))))
    expect(K.wishart_lpdf(W, 5.5, S, 3, false)).toBeCloseTo(-11.771161606586404, 11);
    expect(K.inv_wishart_lpdf(W, 5.5, S, 3, false)).toBeCloseTo(-14.981647224720497, 11);
    expect(K.wishart_cholesky_lpdf(chol(W, 3), 5.5, chol(S, 3), 3, false)).toBeCloseTo(-7.4145316815854709, 11);
  });

  it("lkj_cov_lpdf: lognormal standard deviations plus LKJ of the correlation matrix (R)", () => {
    // R: lkjc <- function(eta, K) (K-1)*lgamma(eta + (K-1)/2) - sum((1:(K-1))/2*log(pi) + lgamma(eta + (K-1-(1:(K-1)))/2))
    //    sds <- sqrt(diag(S)); R <- diag(1/sds) %*% S %*% diag(1/sds)
    //    sum(dlnorm(sds, c(0.1, -0.2, 0.3), c(1, 0.5, 2), log=TRUE)) + lkjc(2.5, 3) + 1.5*ldet(R)
    //    sum(dlnorm(sds, 0.2, 0.8, log=TRUE)) + lkjc(0.7, 3) - 0.3*ldet(R)
    expect(K.lkj_cov_lpdf(S, f64(0.1, -0.2, 0.3), f64(1, 0.5, 2), 2.5, 3, false)).toBeCloseTo(-4.2136273808137865, 11);
    expect(K.lkj_cov_lpdf(S, 0.2, 0.8, 0.7, 3, false)).toBeCloseTo(-4.7192362011480382, 11);
  });

  it("propto drops exactly the terms of constant arguments", () => {
    // with every argument constant, the unnormalised density is 0; with only W varying, it keeps the W terms
    const d = new Float64Array(9);
    expect(K.wishart_lpdf_vp(W, 5.5, S, 3, true, null, null, null)).toBe(0);
    const full = K.wishart_lpdf(W, 5.5, S, 3, false);
    const W2 = f64(3.2, -0.5, 0.8, -0.5, 2, 0.1, 0.8, 0.1, 1.2);
    const diff = K.wishart_lpdf(W2, 5.5, S, 3, false) - full;
    expect(K.wishart_lpdf_vp(W2, 5.5, S, 3, true, d, null, null) - K.wishart_lpdf_vp(W, 5.5, S, 3, true, d, null, null)).toBeCloseTo(diff, 12);
  });
});

describe("multivariate densities: gradients through compiled programs", () => {
  it("multi_normal_prec, multi_student_t(_cholesky) over vectors, row vectors and arrays of them", async () => {
    const stan = `
data { int N; array[N] vector[3] Y; array[N] row_vector[3] Yr; }
parameters { vector[3] m; array[N] vector[3] ms; cov_matrix[3] Sig; cholesky_factor_cov[3] L; real<lower=1> nu; row_vector[3] mr; }
model {
  target += multi_normal_prec_lpdf(Y | m, Sig) + multi_normal_prec_lpdf(Y[1] | ms[2], Sig) + multi_normal_prec_lpdf(Yr | ms, Sig);
  Y ~ multi_normal_prec(ms, Sig);
  target += multi_student_t_lpdf(Y | nu, m, Sig) + multi_student_t_lpdf(Yr[2] | nu, mr, Sig) + multi_student_t_lpdf(ms | 3.5, Y, Sig);
  Y ~ multi_student_t(nu, ms, Sig);
  target += multi_student_t_cholesky_lpdf(Y | nu, ms, L) + multi_student_t_cholesky_lpdf(mr | nu, m, L);
  Yr ~ multi_student_t_cholesky(4, m, L);
  target += std_normal_lpdf(to_vector(Sig)) + std_normal_lpdf(to_vector(L));
}`;
    const Y = [y1, y2];
    await expectGradient(stan, { N: 2, Y, Yr: [y2, y1] }, 21, 3, 0.5);
  });

  it("wishart, inv_wishart, wishart_cholesky, lkj_cov (parameter and data arguments)", async () => {
    const stan = `
data { matrix[3, 3] Wd; matrix[3, 3] Sd; }
parameters { cov_matrix[3] Wp; cov_matrix[3] Sp; real<lower=2> nu; cholesky_factor_cov[3] LW; cholesky_factor_cov[3] LS; vector[3] m; vector<lower=0>[3] s; real<lower=0> eta; real m1; real<lower=0> s1; }
model {
  target += wishart_lpdf(Wp | nu, Sp) + wishart_lpdf(Wd | nu, Sp) + wishart_lpdf(Wp | 4, Sd);
  Wp ~ wishart(nu, Sd);
  target += inv_wishart_lpdf(Wp | nu, Sp) + inv_wishart_lpdf(Wd | nu, Sp) + inv_wishart_lpdf(Wp | 4.5, Sd);
  Sp ~ inv_wishart(nu, Sd);
  target += wishart_cholesky_lpdf(LW | nu, LS) + wishart_cholesky_lpdf(LW | 3.5, cholesky_decompose(Sd));
  LW ~ wishart_cholesky(nu, LS);
  target += lkj_cov_lpdf(Wp | m, s, eta) + lkj_cov_lpdf(Sp | m1, s1, 1.5);
  Wp ~ lkj_cov(m, s, eta);
  Sp ~ lkj_cov(m1, s1, eta);
}`;
    await expectGradient(stan, { Wd: Array.from({ length: 3 }, (_, i) => [0, 1, 2].map((j) => W[i + 3 * j])), Sd: Array.from({ length: 3 }, (_, i) => [0, 1, 2].map((j) => S[i + 3 * j])) }, 22, 3, 0.5);
  });
});

describe("generators: moments of seeded draws through compiled programs", () => {
  const DRAWS = 4000;
  const Srows = [
    [2, 0.3, -0.4],
    [0.3, 1.5, 0.2],
    [-0.4, 0.2, 1],
  ];
  const Sat = (i: number, j: number) => Srows[i][j];

  it("scalar discrete generators: beta_binomial, neg_binomial, ordered_probit", async () => {
    const stan = `
data { vector[3] c; }
generated quantities {
  int bb = beta_binomial_rng(12, 2.5, 1.5);
  array[2] int bbv = beta_binomial_rng({5, 7}, 0.8, [2.0, 3.0]');
  int nb = neg_binomial_rng(3.5, 0.7);
  int op = ordered_probit_rng(0.4, c);
}`;
    const d = await drawOutputs(stan, { c: [-1, 0.3, 1.8] }, DRAWS, 101);
    // beta-binomial: mean N a/(a + b), variance N a b (a + b + N) / ((a + b)² (a + b + 1))
    const bbVar = (N: number, a: number, b: number) => (N * a * b * (a + b + N)) / ((a + b) ** 2 * (a + b + 1));
    expectMean(d.get("bb")!, 0, (12 * 2.5) / 4, bbVar(12, 2.5, 1.5));
    expectMean(d.get("bbv")!, 0, (5 * 0.8) / 2.8, bbVar(5, 0.8, 2));
    expectMean(d.get("bbv")!, 1, (7 * 0.8) / 3.8, bbVar(7, 0.8, 3));
    for (const x of d.get("bb")!) expect(x[0] >= 0 && x[0] <= 12 && Number.isInteger(x[0])).toBe(true);
    // negative binomial(alpha, beta): mean alpha/beta, variance alpha (beta + 1)/beta²
    expectMean(d.get("nb")!, 0, 3.5 / 0.7, (3.5 * 1.7) / 0.49);
    // ordered probit: P(y = k) from Φ at the cut-points (R: diff(c(0, pnorm(c(-1, 0.3, 1.8) - 0.4), 1)))
    const p = [0.080756659233771053, 0.37941550348919995, 0.45907117804325792, 0.080756659233771066];
    for (let k = 1; k <= 4; k++) {
      const indicators = d.get("op")!.map((x) => f64(x[0] === k ? 1 : 0));
      expectMean(indicators, 0, p[k - 1], p[k - 1] * (1 - p[k - 1]));
    }
  });

  it("multi_normal(_cholesky)_rng and multi_student_t_rng: means and covariances, single and arrays of locations", async () => {
    const stan = `
data { matrix[3, 3] S; vector[3] mu; }
generated quantities {
  vector[3] a = multi_normal_rng(mu, S);
  array[2] vector[3] b = multi_normal_rng({mu, -mu}, S);
  vector[3] c = multi_normal_cholesky_rng(mu', cholesky_decompose(S));
  array[2] vector[3] e = multi_normal_cholesky_rng({mu', 2 * mu'}, cholesky_decompose(S));
  vector[3] t = multi_student_t_rng(6.0, mu, S);
  array[2] vector[3] tv = multi_student_t_rng(6.0, {mu, mu}, S);
}`;
    const mu = [1, 2, -3];
    const d = await drawOutputs(stan, { S: Srows, mu }, DRAWS, 202);
    // outputs are flattened first index fastest: element i of draw n of an array of 2 is at n + 2i
    const cases = [["a", -1, 1, 1], ["b", 0, 1, 1], ["b", 1, -1, 1], ["c", -1, 1, 1], ["e", 0, 1, 1], ["e", 1, 2, 1], ["t", -1, 1, 6 / 4], ["tv", 1, 1, 6 / 4]] as const;
    for (const [name, n, sign, scale] of cases) {
      const draws = d.get(name)!;
      const at = (i: number) => (n < 0 ? i : n + 2 * i);
      for (let i = 0; i < 3; i++) expectMean(draws, at(i), sign * mu[i], scale * Sat(i, i));
      for (let i = 0; i < 3; i++) for (let j = 0; j <= i; j++) expectCovariance(draws, at(i), at(j), scale * Sat(i, j));
    }
  });

  it("a whole-vector generator inside a loop draws afresh each iteration", async () => {
    const stan = `
data { vector[2] mu; }
generated quantities {
  array[3] vector[2] y;
  for (n in 1:3) y[n] = multi_normal_cholesky_rng(n * mu, diag_matrix(rep_vector(1, 2)));
  array[3] int m;
  for (n in 1:3) m[n] = multinomial_rng([0.5, 0.5]', 10 * n)[1];
}`;
    const d = await drawOutputs(stan, { mu: [1, -1] }, DRAWS, 606);
    // y is flattened first index fastest: y[n][i] at (n − 1) + 3(i − 1)
    for (let n = 0; n < 3; n++) {
      expectMean(d.get("y")!, n, n + 1, 1);
      expectMean(d.get("y")!, n + 3, -(n + 1), 1);
      expectMean(d.get("m")!, n, 5 * (n + 1), 2.5 * (n + 1));
    }
    // the same normal deviates in iterations 1 and 2 would make y[2][1] = y[1][1] + 1
    expect(d.get("y")![0][0]).not.toBe(d.get("y")![0][1] - 1);
  });

  it("dirichlet_rng, multinomial_rng, multinomial_logit_rng", async () => {
    const stan = `
generated quantities {
  vector[3] d = dirichlet_rng([2.0, 0.5, 1.5]');
  vector[3] tiny = dirichlet_rng([0.001, 0.001, 0.001]');
  array[3] int m = multinomial_rng([0.2, 0.5, 0.3]', 20);
  array[3] int ml = multinomial_logit_rng([0.0, 1.0, -1.0]', 15);
}`;
    const d = await drawOutputs(stan, {}, DRAWS, 303);
    const alpha = [2, 0.5, 1.5];
    for (let k = 0; k < 3; k++) expectMean(d.get("d")!, k, alpha[k] / 4, (alpha[k] / 4) * (1 - alpha[k] / 4) / 5);
    for (const x of d.get("tiny")!) expect(Math.abs(x[0] + x[1] + x[2] - 1)).toBeLessThan(1e-12);
    const theta = [0.2, 0.5, 0.3];
    for (let k = 0; k < 3; k++) expectMean(d.get("m")!, k, 20 * theta[k], 20 * theta[k] * (1 - theta[k]));
    const z = 1 + Math.E + Math.exp(-1);
    const softmax = [1 / z, Math.E / z, Math.exp(-1) / z];
    for (let k = 0; k < 3; k++) expectMean(d.get("ml")!, k, 15 * softmax[k], 15 * softmax[k] * (1 - softmax[k]));
    for (const x of d.get("m")!) expect(x[0] + x[1] + x[2]).toBe(20);
  });

  it("lkj_corr_rng, lkj_corr_cholesky_rng: unit diagonal, off-diagonal mean 0 and variance 1/(2η + K − 1)", async () => {
    const stan = `
generated quantities {
  matrix[4, 4] R = lkj_corr_rng(4, 2.5);
  matrix[4, 4] L = lkj_corr_cholesky_rng(4, 2.5);
  matrix[4, 4] RL = multiply_lower_tri_self_transpose(L);
}`;
    const d = await drawOutputs(stan, {}, DRAWS, 404);
    const v = 1 / (2 * 2.5 + 4 - 1);
    for (const name of ["R", "RL"]) {
      const draws = d.get(name)!;
      for (const x of draws.slice(0, 50)) for (let i = 0; i < 4; i++) expect(x[i + 4 * i]).toBeCloseTo(1, 12);
      for (const [i, j] of [[1, 0], [2, 0], [3, 1], [3, 2]]) expectMean(draws, i + 4 * j, 0, v);
    }
  });

  it("wishart_rng, wishart_cholesky_rng, inv_wishart_rng: means (and the variance of a diagonal entry)", async () => {
    const stan = `
data { matrix[3, 3] S; }
generated quantities {
  matrix[3, 3] W = wishart_rng(6.5, S);
  matrix[3, 3] LW = wishart_cholesky_rng(6.5, cholesky_decompose(S));
  matrix[3, 3] WL = multiply_lower_tri_self_transpose(LW);
  matrix[3, 3] IW = inv_wishart_rng(9.5, S);
}`;
    const d = await drawOutputs(stan, { S: Srows }, DRAWS, 505);
    const nu = 6.5;
    for (const name of ["W", "WL"]) {
      // E W = ν S, Var W_ij = ν (S_ij² + S_ii S_jj)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expectMean(d.get(name)!, i + 3 * j, nu * Sat(i, j), nu * (Sat(i, j) ** 2 + Sat(i, i) * Sat(j, j)));
    }
    for (const x of d.get("LW")!.slice(0, 50)) expect(x[3] === 0 && x[6] === 0 && x[7] === 0).toBe(true);
    // E W = S / (ν − K − 1); Var W_ii = 2 S_ii² / ((ν − K − 1)² (ν − K − 3))
    const m = 9.5 - 3 - 1;
    for (let i = 0; i < 3; i++) expectMean(d.get("IW")!, i + 3 * i, Sat(i, i) / m, (2 * Sat(i, i) ** 2) / (m * m * (9.5 - 3 - 3)));
  });
});

describe("Stan's argument-check messages", () => {
  it("density-term lpmfs (through a compiled program)", async () => {
    const stan = `data { int n; int N; real a; real b; } parameters { real z; } model { target += beta_binomial_lpmf(n | N, a, b) + neg_binomial_lpmf(n | a, b); }`;
    const message = async (data: Record<string, unknown>) => {
      const inst = (await compile(stan)).create(data);
      return domainMessage(() => inst.logDensity(f64(0)));
    };
    expect(await message({ n: 1, N: 3, a: -1, b: 2 })).toContain("beta_binomial_lpmf: First prior sample size parameter is -1, but must be positive finite!");
    expect(await message({ n: 1, N: -3, a: 1, b: 2 })).toContain("beta_binomial_lpmf: Population size parameter is -3, but must be nonnegative!");
    expect(await message({ n: 1, N: 3, a: 1, b: Infinity })).toContain("beta_binomial_lpmf: Second prior sample size parameter is inf, but must be positive finite!");
    expect(await message({ n: -1, N: 3, a: 1, b: 2 })).toContain("neg_binomial_lpmf: Failures variable is -1, but must be nonnegative!");
  });

  it("kernels", () => {
    expect(domainMessage(() => K.bernoulli_cdf(0, 1.5))).toBe("bernoulli_cdf: Probability parameter is 1.5, but must be in the interval [0, 1]");
    expect(domainMessage(() => K.ordered_probit_lpmf(5, 0, f64(-1, 0, 1), 3, false))).toBe("ordered_probit_lpmf: Random variable is 5, but must be in the interval [1, 4]");
    expect(domainMessage(() => K.ordered_probit_lpmf(2, 0, f64(-1, 1, 0.5), 3, false))).toBe(
      "ordered_probit_lpmf: Cut-points is not a valid ordered vector. The element at 3 is 0.5, but should be greater than the previous element, 1",
    );
    expect(domainMessage(() => K.multinomial_lpmf(i32(1, 2), f64(0.5, 0.4), false))).toBe(
      "multinomial_lpmf: Probabilities parameter is not a valid simplex. sum(Probabilities parameter) = 0.9, but should be 1",
    );
    expect(domainMessage(() => K.multi_student_t_lpdf(f64(1, 2), -1, f64(0, 0), f64(1, 0, 0, 1), 2, false))).toBe(
      "multi_student_t_lpdf: Degrees of freedom parameter is -1, but must be positive!",
    );
    expect(domainMessage(() => K.multi_student_t_lpdf(f64(1, 2), 3, f64(0, 0), f64(1, 0.5, 0, 1), 2, false))).toBe(
      "multi_student_t_lpdf: Scale parameter is not symmetric. Scale parameter[2,1] = 0.5, but Scale parameter[1,2] = 0",
    );
    expect(domainMessage(() => K.multi_normal_prec_lpdf(f64(1, 2), f64(0, 0), f64(1, 2, 2, 1), 2, false))).toBe(
      "multi_normal_prec_lpdf: Precision matrix is not positive definite.",
    );
    expect(domainMessage(() => K.wishart_lpdf(W, 2, S, 3, false))).toBe("wishart_lpdf: Degrees of freedom parameter is 2, but must be greater than 2");
    expect(domainMessage(() => K.wishart_cholesky_lpdf(f64(1, 0, 0.5, 1), 3, f64(1, 0, 0, 1), 2, false))).toBe(
      "wishart_cholesky_lpdf: Cholesky random variable is not lower triangular; Cholesky random variable[1,2]=0.5",
    );
    expect(domainMessage(() => K.lkj_cov_lpdf(S, 0, 1, -2, 3, false))).toBe("lkj_cov_lpdf: Shape parameter is -2, but must be positive!");
  });

  it("generators (through a compiled program, and directly)", async () => {
    const stan = `data { matrix[2, 2] S; } generated quantities { vector[2] y = multi_normal_rng([0, 0]', S); }`;
    const inst = (await compile(stan)).create({ S: [[1, 0.5], [0, 1]] });
    const out = new Float64Array(inst.outputLength);
    // a failed generated quantity: its outputs are NaN and Stan's message, located, is thrown for the sampler to report
    expect(domainMessage(() => inst.writeConstrained(new Float64Array(0), new Xoshiro128(1), out))).toMatch(/^multi_normal_rng: Covariance matrix is not symmetric.* \(in '.*', line 1, column \d+\)$/);
    expect(Number.isNaN(out[0])).toBe(true);
    const rng = new Xoshiro128(2);
    expect(domainMessage(() => K.multi_normal_rng(rng, new Float64Array(2), f64(0, 0), f64(1, 0.5, 0, 1), 2))).toBe(
      "multi_normal_rng: Covariance matrix is not symmetric. Covariance matrix[2,1] = 0.5, but Covariance matrix[1,2] = 0",
    );
    expect(domainMessage(() => K.dirichlet_rng(rng, new Float64Array(2), f64(1, -1)))).toBe("dirichlet_rng: prior sample sizes[2] is -1, but must be positive finite!");
    expect(domainMessage(() => K.wishart_rng(rng, new Float64Array(9), 1.5, S, 3))).toBe("wishart_rng: degrees of freedom > dims - 1 is 1.5, but must be greater than 2");
    expect(domainMessage(() => K.multinomial_rng(rng, new Int32Array(2), f64(0.5, 0.4), 3))).toBe(
      "multinomial_rng: Probabilities parameter is not a valid simplex. sum(Probabilities parameter) = 0.9, but should be 1",
    );
    expect(domainMessage(() => K.neg_binomial_rng(rng, 0, 1))).toBe("neg_binomial_rng: Shape parameter is 0, but must be positive finite!");
    expect(domainMessage(() => K.beta_binomial_rng(rng, 3, 1, -2))).toBe("beta_binomial_rng: Second prior sample size parameter is -2, but must be positive finite!");
  });
});
