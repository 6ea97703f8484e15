/**
 * Programs, data and the stuck-chain check of the hard-start tests (hardStarts.*.slow.test.ts).
 *
 * Hard starts (issue 16): models with explosive regions, where a uniform(−2, 2) start can land
 * far out in the tail. Each model runs 20 seeds × 4 chains with the default settings (warmup
 * 1000, adapt delta 0.8, diag metric, init radius 2), keeping 250 draws per chain to stay quick.
 * There is one test file per model, so that vitest's two workers share them.
 *
 * A run has a stuck chain when a chain's adapted step size is below 1e-3, or when the
 * rank-normalised split R-hat of lp__ or of any parameter is above 1.05.
 *
 * Before the initialisation fix (a random start must have log density above −2^53), the ARMA
 * below had stuck chains for 5 of these 20 seeds (step sizes from 5e-51 to 2e-11, R-hat of about
 * 1.5). The step-size test catches them whatever the number of draws.
 *
 * Not covered: on another ARMA series (the same simulation through scripts/random.ts, seed string
 * "hard-start-arma"), seed 20 left one chain that had started at an ordinary point (lp ≈ −3e5,
 * θ = 0.15). It walked into a narrow local mode at θ ≈ 1.07, φ ≈ −0.85, lp ≈ −700, and stayed
 * there with ε ≈ 6e-5 at tree depth 10. That is not a hard start, and it remains open (issue 16).
 *
 * rstan 2.21 gets stuck the same way on this very series: 6 of 20 seeds with
 * `sampling(sm, data = d, chains = 4, seed = s)` for s = 1…20, and 6 of 20 on a second series
 * with mean 10 (see docs/sampler.md). So this test asks for more than Stan gives.
 *
 * GARCH(1,1) and AR(5) guard the change against new failures. Before the fix they had no stuck
 * chain on similar series either (GARCH 20 seeds, AR(5) 13 seeds checked).
 */
import { Random } from "../../scripts/random";
import { defineModel } from "../../src/runtime/api";
import { rhat } from "../../src/runtime/diagnostics/index";
import { loadStanModel } from "../../validation/loadModel";

export const SEEDS = 20;
const MIN_STEP_SIZE = 1e-3;
const MAX_RHAT = 1.05;

/** ARMA(1,1) with unconstrained coefficients: for |theta| > 1 the error recursion explodes. */
export const ARMA = `
data {
  int<lower=1> T;
  array[T] real y;
}
parameters {
  real mu;
  real phi;
  real theta;
  real<lower=0> sigma;
}
model {
  vector[T] nu;
  vector[T] err;
  nu[1] = mu + phi * mu;
  err[1] = y[1] - nu[1];
  for (t in 2:T) {
    nu[t] = mu + phi * y[t - 1] + theta * err[t - 1];
    err[t] = y[t] - nu[t];
  }
  mu ~ normal(0, 10);
  phi ~ normal(0, 2);
  theta ~ normal(0, 2);
  sigma ~ cauchy(0, 2.5);
  err ~ normal(0, sigma);
}
`;

/** GARCH(1,1) without the stationarity bound: alpha1 + beta1 > 1 makes the variance explode. */
export const GARCH = `
data {
  int<lower=2> T;
  array[T] real r;
  real<lower=0> sigma1;
}
parameters {
  real mu;
  real<lower=0> alpha0;
  real<lower=0> alpha1;
  real<lower=0> beta1;
}
model {
  array[T] real sigma;
  sigma[1] = sigma1;
  for (t in 2:T) {
    sigma[t] = sqrt(alpha0 + alpha1 * square(r[t - 1] - mu) + beta1 * square(sigma[t - 1]));
  }
  mu ~ normal(0, 1);
  alpha0 ~ normal(0, 1);
  alpha1 ~ normal(0, 1);
  beta1 ~ normal(0, 1);
  r ~ normal(mu, sigma);
}
`;

/** AR(5) with unconstrained coefficients (non-stationary values allowed). */
export const AR5 = `
data {
  int<lower=1> K;
  int<lower=K + 1> N;
  array[N] real y;
}
parameters {
  real alpha;
  array[K] real beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 2);
  sigma ~ cauchy(0, 2.5);
  for (n in (K + 1):N) {
    real mu = alpha;
    for (k in 1:K) mu += beta[k] * y[n - k];
    y[n] ~ normal(mu, sigma);
  }
}
`;

/**
 * ARMA(1,1) series, mu = 0, phi = 0.95, theta = 0.3, sigma = 1, after a burn-in of 50: mulberry32
 * uniforms (seed 1) through Box–Muller, the series the rstan comparison in docs/sampler.md used.
 */
export function armaData(): { T: number; y: number[] } {
  let state = 1;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const T = 200;
  const [mu, phi, theta, sigma] = [0, 0.95, 0.3, 1];
  const y: number[] = [];
  let previous = mu / (1 - phi);
  let previousError = 0;
  for (let t = 0; t < T + 50; t++) {
    const error = sigma * normal();
    previous = mu + phi * previous + theta * previousError + error;
    previousError = error;
    if (t >= 50) y.push(previous);
  }
  return { T, y };
}

/** GARCH(1,1) returns, alpha0 = 0.2, alpha1 = 0.3, beta1 = 0.6. */
export function garchData(): { T: number; r: number[]; sigma1: number } {
  const rng = new Random("hard-start-garch");
  const T = 400;
  const [mu, alpha0, alpha1, beta1] = [0.1, 0.2, 0.3, 0.6];
  const r: number[] = [];
  let sigma = 1;
  for (let t = 0; t < T; t++) {
    if (t > 0) sigma = Math.sqrt(alpha0 + alpha1 * (r[t - 1] - mu) ** 2 + beta1 * sigma ** 2);
    r.push(rng.normal(mu, sigma));
  }
  return { T, r, sigma1: 1 };
}

/** AR(5) series near the unit root (coefficients sum to 0.95), after a burn-in of 100. */
export function ar5Data(): { K: number; N: number; y: number[] } {
  const rng = new Random("hard-start-ar5");
  const K = 5;
  const N = 200;
  const beta = [0.5, 0.2, 0.1, 0.05, 0.1];
  const y: number[] = [];
  for (let n = 0; n < N + 100; n++) {
    let mean = 0;
    for (let k = 1; k <= K; k++) mean += beta[k - 1] * (n - k >= 0 ? y[n - k] : 0);
    y.push(rng.normal(mean, 1));
  }
  return { K, N, y: y.slice(100) };
}

/** Runs the seeds and returns one line per seed that has a stuck chain. */
export async function stuckRuns(
  source: string,
  file: string,
  data: Record<string, unknown>,
  parameters: string[],
): Promise<string[]> {
  const { model } = await loadStanModel(source, file);
  const sampleable = defineModel(model);
  const stuck: string[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const fit = await sampleable.sample(data, {
      chains: 4,
      samples: 250,
      seed,
      parallelism: "in-process",
    });
    const stepSizes = fit.raw.chains.map((chain) => chain.stepSize);
    const rhats = ["lp__", ...parameters].map(
      (name) => [name, rhat(fit.drawsByChain(name))] as const,
    );
    const badRhat = rhats.filter(([, value]) => !(value <= MAX_RHAT));
    if (stepSizes.some((e) => !(e >= MIN_STEP_SIZE)) || badRhat.length > 0) {
      const rhatText = badRhat.map(([name, value]) => `${name} ${value.toFixed(3)}`).join(", ");
      stuck.push(
        `seed ${seed}: step sizes ${stepSizes.map((e) => e.toPrecision(3)).join(", ")}; R-hat ${rhatText || "ok"}`,
      );
    }
  }
  return stuck;
}
