/**
 * m2 (fixtures/stan/good/m2.stan, the lecture's bivariate NA/PA model) for parameter recovery:
 * a reduced daily-diary panel simulated from m2's own structure with the lecture simulator's
 * values (fixtures/data/lecture-sim.truth.json):
 *   NA_t = b_NA · (1, day01, NA_{t-1}, PA_{t-1}) + u_NA,j · (same) + sigma_NA · z1
 *   PA_t = b_PA · (1, day01, NA_{t-1}, PA_{t-1}) + u_PA,j · (same) + sigma_PA · (ρ z1 + √(1−ρ²) z2)
 * with the 8 person effects correlated across both outcomes (`|c|` in m2.R) and the lags being the
 * previous day's simulated values, as in the lecture data. The lecture simulator gives NA no lag
 * effects (fixed and person sds 0) and NA's sigma the value at zero person effect (m2 has one
 * sigma per outcome). A zero sd lies on the boundary, where no central interval can cover it, and
 * a correlation with a zero-sd effect is undefined, so those quantities are not checked.
 */
import { cholesky, multiNormalCholesky, type Random } from "../../scripts/random";
import type { Simulation } from "../sbc/sbc";

/** m2's person effects in its order (r_1 columns 1..8). */
export const M2_EFFECTS = [
  "NAstd_Intercept",
  "NAstd_day01",
  "NAstd_N_A.lag",
  "NAstd_P_A.lag",
  "PAstd_Intercept",
  "PAstd_day01",
  "PAstd_N_A.lag",
  "PAstd_P_A.lag",
] as const;

export interface M2Truth {
  fixed: Record<string, number>;
  log_sigma_NAstd: number;
  sigma_PAstd: number;
  rescor_NAstd_PAstd: number;
  sd: Record<string, number>;
  correlations: [string, string, number][];
}

/** Position of Cor_1[j, k] (1-based, j < k) in brms's cor_1 vector: choose(k − 1, 2) + j. */
export const corIndex = (j: number, k: number): number => ((k - 1) * (k - 2)) / 2 + j;

function correlationOf(truth: M2Truth, a: string, b: string): number {
  const found = truth.correlations.find(([x, y]) => (x === a && y === b) || (x === b && y === a));
  return found ? found[2] : 0;
}

export function simulateM2(rng: Random, truth: M2Truth, groups: number, days: number): Simulation {
  const sd = M2_EFFECTS.map((name) => truth.sd[name] ?? 0);
  const varying = M2_EFFECTS.map((_, k) => k).filter((k) => sd[k] > 0);
  const cov = varying.map((a) => varying.map((b) => (a === b ? 1 : correlationOf(truth, M2_EFFECTS[a], M2_EFFECTS[b])) * sd[a] * sd[b]));
  const covChol = cholesky(cov);
  const bNA = [truth.fixed["NAstd_day01"], truth.fixed["NAstd_N_A.lag"], truth.fixed["NAstd_P_A.lag"]];
  const bPA = [truth.fixed["PAstd_day01"], truth.fixed["PAstd_N_A.lag"], truth.fixed["PAstd_P_A.lag"]];
  const interceptNA = truth.fixed["NAstd_Intercept"];
  const interceptPA = truth.fixed["PAstd_Intercept"];
  const sigmaNA = Math.exp(truth.log_sigma_NAstd);
  const sigmaPA = truth.sigma_PAstd;
  const rescor = truth.rescor_NAstd_PAstd;
  const rescorComplement = Math.sqrt(1 - rescor * rescor);

  const J: number[] = [];
  const X: number[][] = [];
  const YNA: number[] = [];
  const YPA: number[] = [];
  for (let g = 1; g <= groups; g++) {
    const drawn = multiNormalCholesky(rng, new Array<number>(varying.length).fill(0), covChol);
    const u = new Array<number>(M2_EFFECTS.length).fill(0);
    varying.forEach((k, i) => (u[k] = drawn[i]));
    const coefNA = [interceptNA, ...bNA].map((b, k) => b + u[k]);
    const coefPA = [interceptPA, ...bPA].map((b, k) => b + u[4 + k]);
    // The day before the panel seeds the lags: each outcome from its model at day01 = 0, lags 0.
    let prevNA = coefNA[0] + sigmaNA * rng.stdNormal();
    let prevPA = coefPA[0] + sigmaPA * rng.stdNormal();
    for (let t = 0; t < days; t++) {
      const row = [1, t / (days - 1), prevNA, prevPA];
      const z1 = rng.stdNormal();
      const z2 = rng.stdNormal();
      const na = coefNA.reduce((s, c, k) => s + c * row[k], 0) + sigmaNA * z1;
      const pa = coefPA.reduce((s, c, k) => s + c * row[k], 0) + sigmaPA * (rescor * z1 + rescorComplement * z2);
      J.push(g);
      X.push(row);
      YNA.push(na);
      YPA.push(pa);
      prevNA = na;
      prevPA = pa;
    }
  }
  const N = J.length;
  const column = (k: number) => X.map((row) => row[k]);

  const checked: Record<string, number> = {
    b_NAstd_Intercept: interceptNA,
    b_PAstd_Intercept: interceptPA,
    sigma_NAstd: sigmaNA,
    sigma_PAstd: sigmaPA,
    "rescor.1": rescor,
  };
  bNA.forEach((b, k) => (checked[`b_NAstd.${k + 1}`] = b));
  bPA.forEach((b, k) => (checked[`b_PAstd.${k + 1}`] = b));
  for (const k of varying) checked[`sd_1.${k + 1}`] = sd[k];
  for (const a of varying) {
    for (const b of varying) {
      if (b <= a) continue;
      checked[`cor_1.${corIndex(a + 1, b + 1)}`] = correlationOf(truth, M2_EFFECTS[a], M2_EFFECTS[b]);
    }
  }
  return {
    data: {
      N, N_NAstd: N, Y_NAstd: YNA, K_NAstd: 4, X_NAstd: X, N_PAstd: N, Y_PAstd: YPA, K_PAstd: 4, X_PAstd: X,
      nresp: 2, nrescor: 1, N_1: groups, M_1: 8, J_1_NAstd: J, J_1_PAstd: J,
      Z_1_NAstd_1: column(0), Z_1_NAstd_2: column(1), Z_1_NAstd_3: column(2), Z_1_NAstd_4: column(3),
      Z_1_PAstd_5: column(0), Z_1_PAstd_6: column(1), Z_1_PAstd_7: column(2), Z_1_PAstd_8: column(3),
      NC_1: 28, prior_only: 0,
    },
    truth: checked,
  };
}
