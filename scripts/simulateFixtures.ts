// Deterministic data (and true parameter values) for the Stan programs in fixtures/stan/good.
// Each fixture draws from its own generator seeded by its name, so adding or changing one
// fixture leaves the others' files byte-identical.
//
// Run: node --import tsx scripts/simulateFixtures.ts   (rewrites fixtures/data/*.data.json and
// *.truth.json; `--check` only compares and exits 1 on any difference)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Random, cholesky, multiNormalCholesky, roundSig } from "./random";
import { simulateLecture } from "./simulateLecture";

type Json = number | string | boolean | null | Json[] | { [key: string]: Json };
type StanData = Record<string, Json>;

export interface FixtureDataset {
  /** Stan JSON data (CmdStan's format) for fixtures/stan/good/<program>.stan. */
  data: StanData;
  /** The values the data were simulated from; absent for real data. */
  truth?: Record<string, Json>;
  /** Where the data come from, written into the truth file or noted for real data. */
  note?: string;
}

const r6 = (x: number): number => roundSig(x, 6);
const vec = (xs: number[]): number[] => xs.map(r6);
const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const invLogit = (x: number): number => 1 / (1 + Math.exp(-x));
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);
const softmax = (v: readonly number[]): number[] => {
  const mx = Math.max(...v);
  const e = v.map((x) => Math.exp(x - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

const EIGHT_SCHOOLS: FixtureDataset = {
  data: { J: 8, y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] },
  note: "Real data: Rubin (1981), SAT coaching effects in eight schools.",
};

function designMatrix(rng: Random, n: number, k: number): number[][] {
  return seq(n).map(() => seq(k).map(() => r6(rng.stdNormal())));
}

function linearRegression(rng: Random): FixtureDataset {
  const N = 100;
  const alpha = 1;
  const beta = [0.5, -1, 2];
  const sigma = 0.8;
  const x = designMatrix(rng, N, beta.length);
  const y = x.map((row) => r6(rng.normal(alpha + dot(row, beta), sigma)));
  return { data: { N, K: beta.length, x, y }, truth: { alpha, beta, sigma } };
}

function logisticRegression(rng: Random): FixtureDataset {
  const N = 200;
  const alpha = -0.5;
  const beta = [1.2, -0.7];
  const x = designMatrix(rng, N, beta.length);
  const y = x.map((row) => rng.bernoulli(invLogit(alpha + dot(row, beta))));
  return { data: { N, K: beta.length, x, y }, truth: { alpha, beta } };
}

function poissonRegression(rng: Random): FixtureDataset {
  const N = 100;
  const alpha = 0.5;
  const beta = 0.3;
  const x = seq(N).map(() => r6(rng.stdNormal()));
  const exposure = seq(N).map(() => r6(rng.uniformRange(0.5, 2)));
  const y = x.map((xi, i) => rng.poisson(exposure[i] * Math.exp(alpha + beta * xi)));
  return { data: { N, x, exposure, y }, truth: { alpha, beta } };
}

function negbinRegression(rng: Random): FixtureDataset {
  const N = 150;
  const alpha = 1;
  const beta = [0.4, -0.3];
  const phi = 5;
  const x = designMatrix(rng, N, beta.length);
  const y = x.map((row) => rng.negBinomial2(Math.exp(alpha + dot(row, beta)), phi));
  return { data: { N, K: beta.length, x, y }, truth: { alpha, beta, phi } };
}

function qrRegression(rng: Random): FixtureDataset {
  // Correlated columns are where the QR reparameterisation pays off.
  const N = 100;
  const alpha = 2;
  const beta = [1, -0.5, 0.25];
  const sigma = 1;
  const x = seq(N).map(() => {
    const a = rng.stdNormal();
    const b = 0.8 * a + 0.6 * rng.stdNormal();
    const c = 0.5 * a - 0.5 * b + 0.7 * rng.stdNormal();
    return [r6(a), r6(b), r6(c)];
  });
  const y = x.map((row) => r6(rng.normal(alpha + dot(row, beta), sigma)));
  return { data: { N, K: 3, x, y }, truth: { alpha, beta, sigma } };
}

function hierBinomial(rng: Random): FixtureDataset {
  const J = 20;
  const mu = -1;
  const tau = 0.3;
  const alpha = seq(J).map(() => rng.normal(mu, tau));
  const n = seq(J).map(() => rng.integer(40, 120));
  const y = n.map((nj, j) => rng.binomial(nj, invLogit(alpha[j])));
  return { data: { J, n, y }, truth: { mu, tau, alpha: vec(alpha) } };
}

function arK(rng: Random): FixtureDataset {
  const K = 2;
  const N = 200;
  const alpha = 0.2;
  const beta = [0.5, -0.3];
  const sigma = 0.5;
  const y: number[] = [];
  for (let n = 0; n < N + 50; n++) {
    let mu = alpha;
    for (let k = 0; k < K; k++) mu += beta[k] * (n - k - 1 >= 0 ? y[n - k - 1] : 0);
    y.push(r6(rng.normal(mu, sigma)));
  }
  return { data: { K, N, y: y.slice(50) }, truth: { alpha, beta, sigma }, note: "first 50 draws discarded as burn-in" };
}

function arma11(rng: Random): FixtureDataset {
  const T = 200;
  const mu = 0.5;
  const phi = 0.6;
  const theta = 0.3;
  const sigma = 1;
  const y: number[] = [];
  // Same recursion as the program: nu[1] = mu + phi * mu, then nu[t] from y[t-1] and err[t-1].
  let err = rng.normal(0, sigma);
  y.push(r6(mu + phi * mu + err));
  err = y[0] - (mu + phi * mu);
  for (let t = 1; t < T; t++) {
    const nu = mu + phi * y[t - 1] + theta * err;
    y.push(r6(nu + rng.normal(0, sigma)));
    err = y[t] - nu;
  }
  return { data: { T, y }, truth: { mu, phi, theta, sigma } };
}

function garch11(rng: Random): FixtureDataset {
  const T = 200;
  const mu = 0.1;
  const alpha0 = 0.2;
  const alpha1 = 0.3;
  const beta1 = 0.5;
  const sigma1 = 1;
  const r: number[] = [];
  let sigma = sigma1;
  for (let t = 0; t < T; t++) {
    if (t > 0) sigma = Math.sqrt(alpha0 + alpha1 * (r[t - 1] - mu) ** 2 + beta1 * sigma ** 2);
    r.push(r6(rng.normal(mu, sigma)));
  }
  return { data: { T, r, sigma1 }, truth: { mu, alpha0, alpha1, beta1 } };
}

function changepoint(rng: Random): FixtureDataset {
  // Shaped like the British coal-mining disasters series (1851–1962): 112 yearly counts.
  const T = 112;
  const s = 41;
  const e = 3;
  const l = 1;
  const D = seq(T).map((t) => rng.poisson(t + 1 < s ? e : l));
  const mean = D.reduce((a, b) => a + b, 0) / T;
  return { data: { r_e: r6(1 / mean), r_l: r6(1 / mean), T, D }, truth: { e, l, s } };
}

function mixtureNormal(rng: Random): FixtureDataset {
  const N = 200;
  const theta = 0.4;
  const mu = [-1.5, 2];
  const sigma = [0.7, 1];
  const y = seq(N).map(() => {
    const k = rng.bernoulli(theta) === 1 ? 0 : 1;
    return r6(rng.normal(mu[k], sigma[k]));
  });
  return { data: { N, y }, truth: { theta, mu, sigma } };
}

function orderedLogistic(rng: Random): FixtureDataset {
  const K = 4;
  const N = 200;
  const D = 2;
  const beta = [1, -0.5];
  const c = [-1, 0.5, 2];
  const x = designMatrix(rng, N, D);
  const y = x.map((row) => {
    const latent = dot(row, beta) + rng.logistic();
    return 1 + c.filter((ck) => latent > ck).length;
  });
  return { data: { K, N, D, y, x }, truth: { beta, c } };
}

function hmmForward(rng: Random): FixtureDataset {
  const K = 2;
  const T = 150;
  const theta = [
    [0.9, 0.1],
    [0.2, 0.8],
  ];
  const mu = [-1, 2];
  const sigma = 0.7;
  const states: number[] = [1];
  for (let t = 1; t < T; t++) states.push(rng.categorical(theta[states[t - 1] - 1]));
  const y = states.map((z) => r6(rng.normal(mu[z - 1], sigma)));
  return { data: { K, T, y }, truth: { theta, mu, sigma, states } };
}

function gpCholesky(rng: Random): FixtureDataset {
  const N = 20;
  const rho = 1.2;
  const alpha = 1;
  const sigma = 0.3;
  const x = seq(N)
    .map(() => r6(rng.uniformRange(-5, 5)))
    .sort((a, b) => a - b);
  const K = x.map((xi, i) =>
    x.map((xj, j) => alpha * alpha * Math.exp(-0.5 * ((xi - xj) / rho) ** 2) + (i === j ? 1e-9 : 0)),
  );
  const f = multiNormalCholesky(rng, new Array<number>(N).fill(0), cholesky(K));
  const y = f.map((fi) => r6(rng.normal(fi, sigma)));
  return { data: { N, x, y }, truth: { rho, alpha, sigma, f: vec(f) } };
}

function userFunctions(rng: Random): FixtureDataset {
  const N = 100;
  const a = 1;
  const c = -0.5;
  const b = 0.4;
  const x = seq(N).map(() => r6(rng.stdNormal()));
  const y = x.map((xi) => r6(a + c * xi + rng.laplace(0, b)));
  return { data: { N, x, y }, truth: { a, c, b } };
}

function vectorBounds(rng: Random): FixtureDataset {
  const N = 10;
  const tau = 0.5;
  const width = seq(N).map(() => r6(rng.uniformRange(0.5, 2)));
  const lo = width.map((w) => r6(-1 - w));
  const hi = width.map((w) => r6(1 + w));
  const theta = seq(N).map((i) => r6(rng.uniformRange(lo[i], hi[i])));
  const scale = seq(N).map(() => r6(Math.abs(rng.normal(0, tau))));
  const y = theta.map((t, i) => r6(rng.normal(t, 0.5 + scale[i])));
  return { data: { N, lo, hi, y }, truth: { tau, theta, scale } };
}

const CORR3 = [
  [1, 0.5, -0.3],
  [0.5, 1, 0.2],
  [-0.3, 0.2, 1],
];

function correlatedDraws(rng: Random, n: number, mu: number[], tau: number[], corr: number[][]): number[][] {
  const cov = corr.map((row, i) => row.map((r, j) => r * tau[i] * tau[j]));
  const l = cholesky(cov);
  return seq(n).map(() => vec(multiNormalCholesky(rng, mu, l)));
}

function corrCholeskyMvn(rng: Random): FixtureDataset {
  const N = 100;
  const mu = [0, 1, -1];
  const tau = [1, 0.5, 2];
  const y = correlatedDraws(rng, N, mu, tau, CORR3);
  return { data: { N, D: 3, y }, truth: { mu, tau, Omega: CORR3 } };
}

function sumToZero(rng: Random): FixtureDataset {
  const N = 100;
  const G = 5;
  const mu = 2;
  const sigma = 1;
  const raw = seq(G).map(() => rng.normal(0, 1));
  const mean = raw.reduce((a, b) => a + b, 0) / G;
  const effect = raw.map((v) => v - mean);
  const group = seq(N).map((i) => (i % G) + 1);
  const y = group.map((g) => r6(rng.normal(mu + effect[g - 1], sigma)));
  return { data: { N, G, group, y }, truth: { mu, effect: vec(effect), sigma } };
}

function unitVector(rng: Random): FixtureDataset {
  const N = 50;
  const angle = 0.7;
  const r = 2;
  const sigma = 0.3;
  const u = [Math.cos(angle), Math.sin(angle)];
  const p = seq(N).map(() => [r6(rng.normal(r * u[0], sigma)), r6(rng.normal(r * u[1], sigma))]);
  return { data: { N, p }, truth: { angle, u: vec(u), r, sigma } };
}

function positiveOrdered(rng: Random): FixtureDataset {
  const N = 200;
  const lambda = [2, 9];
  const theta = 0.6;
  const y = seq(N).map(() => rng.poisson(rng.bernoulli(theta) === 1 ? lambda[0] : lambda[1]));
  return { data: { N, y }, truth: { lambda, theta } };
}

function covCorrMatrix(rng: Random): FixtureDataset {
  const N = 100;
  const mu = [0.5, -0.5, 1];
  const tau = [1, 2, 0.5];
  const y = correlatedDraws(rng, N, mu, tau, CORR3);
  const SigmaZ = [
    [1, 0.3, 0],
    [0.3, 2, -0.4],
    [0, -0.4, 0.5],
  ];
  const z = seq(N).map(() => vec(multiNormalCholesky(rng, [0, 0, 0], cholesky(SigmaZ))));
  return { data: { N, D: 3, y, z }, truth: { mu, tau, Omega: CORR3, Sigma_z: SigmaZ } };
}

function dirichletCategorical(rng: Random): FixtureDataset {
  const K = 4;
  const N = 150;
  const theta = [0.1, 0.2, 0.3, 0.4];
  const alpha = [1, 1, 1, 1];
  const a = [0, 0.5, -0.5, 0.2];
  const b = [0, 1, -1, 0.5];
  const y = seq(N).map(() => rng.categorical(theta));
  const x = seq(N).map(() => r6(rng.stdNormal()));
  const z = x.map((xi) => rng.categorical(softmax(a.map((ak, k) => ak + b[k] * xi))));
  return { data: { K, N, y, alpha, z, x }, truth: { theta, a, b } };
}

function truncatedNormal(rng: Random): FixtureDataset {
  const N = 100;
  const L = -1;
  const U = 3;
  const mu = 0.5;
  const sigma = 1.5;
  const y: number[] = [];
  while (y.length < N) {
    const v = r6(rng.normal(mu, sigma));
    if (v >= L && v <= U) y.push(v);
  }
  return { data: { N, L, U, y }, truth: { mu, sigma } };
}

function whileBreak(rng: Random): FixtureDataset {
  const N = 50;
  const mu = 1;
  const sigma = 2;
  const y = seq(N).map(() => r6(rng.normal(mu, sigma)));
  // Three sentinel values (-999) the program skips with `continue`.
  for (const i of [7, 23, 41]) y[i] = -999;
  return { data: { N, y, tol: 1e-8 }, truth: { mu, sigma, n_used: N - 3 } };
}

function simpleRegression(rng: Random): FixtureDataset {
  const N = 100;
  const alpha = 0.5;
  const beta = -1;
  const sigma = 0.6;
  const x = seq(N).map(() => r6(rng.stdNormal()));
  const y = x.map((xi) => r6(rng.normal(alpha + beta * xi, sigma)));
  return { data: { N, x, y }, truth: { alpha, beta, sigma } };
}

function legacySyntax(rng: Random): FixtureDataset {
  const J = 6;
  const N = 120;
  const mu = 1;
  const tau = 0.8;
  const sigma = 0.5;
  const theta = seq(J).map(() => rng.normal(mu, tau));
  const group = seq(N).map((i) => (i % J) + 1);
  const y = group.map((g) => r6(rng.normal(theta[g - 1], sigma)));
  return { data: { N, y, J, group }, truth: { mu, tau, sigma, theta: vec(theta) } };
}

function ratsGrowth(rng: Random): FixtureDataset {
  // Shaped like the BUGS rats example: 30 rats weighed at 8, 15, 22, 29 and 36 days.
  const N = 30;
  const x = [8, 15, 22, 29, 36];
  const xbar = 22;
  const muAlpha = 242;
  const muBeta = 6.2;
  const sigmaAlpha = 14;
  const sigmaBeta = 0.5;
  const sigmaY = 6;
  const alpha = seq(N).map(() => rng.normal(muAlpha, sigmaAlpha));
  const beta = seq(N).map(() => rng.normal(muBeta, sigmaBeta));
  const y = seq(N).map((n) => x.map((xt) => r6(rng.normal(alpha[n] + beta[n] * (xt - xbar), sigmaY))));
  return {
    data: { N, T: x.length, x, y, xbar },
    truth: { mu_alpha: muAlpha, mu_beta: muBeta, sigma_alpha: sigmaAlpha, sigma_beta: sigmaBeta, sigma_y: sigmaY },
  };
}

function choleskyCov(rng: Random): FixtureDataset {
  const N = 100;
  const mu = [1, 0, -1];
  const Sigma = [
    [2, 0.6, -0.3],
    [0.6, 1, 0.1],
    [-0.3, 0.1, 0.5],
  ];
  const L = cholesky(Sigma);
  const y = seq(N).map(() => vec(multiNormalCholesky(rng, mu, L)));
  return { data: { N, D: 3, y }, truth: { mu, Sigma, L: L.map(vec) } };
}

// ----- brms lecture models on a slice of the simulated lecture data ------------------------

/** The first `people` people of fixtures/data/lecture-sim.csv as brms 2.18's Stan data. */
function lectureSlice(people: number): { rows: number[][]; header: string[] } {
  const [headerLine, ...lines] = simulateLecture().csv.trim().split("\n");
  const header = headerLine.split(",");
  const rows = lines.map((l) => l.split(",").map(Number));
  const ids = [...new Set(rows.map((r) => r[0]))].slice(0, people);
  const keep = new Set(ids);
  return { rows: rows.filter((r) => keep.has(r[0])), header };
}

function brmsData(model: "m1" | "m2" | "m3"): FixtureDataset {
  const { rows, header } = lectureSlice(12);
  const col = (name: string): number[] => {
    const k = header.indexOf(name);
    return rows.map((r) => r[k]);
  };
  const levels = [...new Set(col("record_id"))].sort((a, b) => a - b);
  const J = col("record_id").map((id) => levels.indexOf(id) + 1);
  const N = rows.length;
  const ones = new Array<number>(N).fill(1);
  const day01 = col("day01");
  const na = col("N_A.std");
  const pa = col("P_A.std");
  const naLag = col("N_A.lag");
  const paLag = col("P_A.lag");
  const note =
    "brms 2.18 make_standata layout for the lecture model on the first 12 people of fixtures/data/lecture-sim.csv (scripts/simulateLecture.ts has the generating values).";
  if (model === "m1") {
    return {
      data: {
        N, Y: na, K: 2, X: seq(N).map((i) => [1, day01[i]]),
        N_1: levels.length, M_1: 2, J_1: J, Z_1_1: ones, Z_1_2: day01, NC_1: 1, prior_only: 0,
      },
      note,
    };
  }
  if (model === "m3") {
    return {
      data: {
        N, Y: na, K: 2, X: seq(N).map((i) => [1, day01[i]]),
        N_1: levels.length, M_1: 3, J_1: J, Z_1_1: ones, Z_1_2: day01, Z_1_sigma_3: ones, NC_1: 3, prior_only: 0,
      },
      note,
    };
  }
  const X = seq(N).map((i) => [1, day01[i], naLag[i], paLag[i]]);
  return {
    data: {
      N,
      N_NAstd: N, Y_NAstd: na, K_NAstd: 4, X_NAstd: X,
      N_PAstd: N, Y_PAstd: pa, K_PAstd: 4, X_PAstd: X,
      nresp: 2, nrescor: 1, N_1: levels.length, M_1: 8, J_1_NAstd: J, J_1_PAstd: J,
      Z_1_NAstd_1: ones, Z_1_NAstd_2: day01, Z_1_NAstd_3: naLag, Z_1_NAstd_4: paLag,
      Z_1_PAstd_5: ones, Z_1_PAstd_6: day01, Z_1_PAstd_7: naLag, Z_1_PAstd_8: paLag,
      NC_1: 28, prior_only: 0,
    },
    note,
  };
}

/** Program name (fixtures/stan/good/<name>.stan) → its data set. */
export const FIXTURE_SIMULATORS: Record<string, (rng: Random) => FixtureDataset> = {
  eight_schools_centered: () => EIGHT_SCHOOLS,
  eight_schools_noncentered: () => EIGHT_SCHOOLS,
  eight_schools_offset_multiplier: () => EIGHT_SCHOOLS,
  linear_regression: linearRegression,
  logistic_regression: logisticRegression,
  poisson_regression: poissonRegression,
  negbin_regression: negbinRegression,
  qr_regression: qrRegression,
  qr_regression_builtin: qrRegression,
  hier_binomial: hierBinomial,
  ar_k: arK,
  arma11,
  garch11,
  changepoint,
  mixture_normal: mixtureNormal,
  ordered_logistic: orderedLogistic,
  hmm_forward: hmmForward,
  gp_cholesky: gpCholesky,
  user_functions: userFunctions,
  vector_bounds: vectorBounds,
  corr_cholesky_mvn: corrCholeskyMvn,
  sum_to_zero: sumToZero,
  unit_vector: unitVector,
  positive_ordered: positiveOrdered,
  cov_corr_matrix: covCorrMatrix,
  dirichlet_categorical: dirichletCategorical,
  truncated_normal: truncatedNormal,
  while_break: whileBreak,
  profile_blocks: simpleRegression,
  legacy_syntax: legacySyntax,
  rats_growth: ratsGrowth,
  cholesky_cov: choleskyCov,
  m1: () => brmsData("m1"),
  m2: () => brmsData("m2"),
  m3: () => brmsData("m3"),
};

/** Stan JSON with one top-level entry per line (rows of matrices inline), newline-terminated. */
export function formatStanJson(value: Record<string, Json>): string {
  const entries = Object.entries(value).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${entries.join(",\n")}\n}\n`;
}

/** Every file the simulator owns, as path relative to the repository root → contents. */
export function simulateFixtureFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, simulate] of Object.entries(FIXTURE_SIMULATORS)) {
    // Seeded by the program name: fixtures are independent of each other and of order.
    const { data, truth, note } = simulate(new Random(`stan2ts fixture ${name}`));
    files.set(`fixtures/data/${name}.data.json`, formatStanJson(data));
    if (truth !== undefined) {
      const meta: Record<string, Json> = { simulated_by: "scripts/simulateFixtures.ts" };
      if (note !== undefined) meta.note = note;
      files.set(`fixtures/data/${name}.truth.json`, formatStanJson({ ...meta, ...truth }));
    }
  }
  return files;
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const [path, contents] of simulateFixtureFiles()) {
    const full = join(root, path);
    if (check) {
      if (!existsSync(full) || readFileSync(full, "utf8") !== contents) stale.push(path);
    } else {
      writeFileSync(full, contents);
    }
  }
  if (check && stale.length > 0) {
    process.stderr.write(`out of date (run node --import tsx scripts/simulateFixtures.ts):\n  ${stale.join("\n  ")}\n`);
    process.exit(1);
  }
  if (!check) process.stdout.write("wrote fixtures/data/*.data.json and *.truth.json\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
