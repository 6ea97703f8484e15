// Simulates a daily-diary data set shaped like the lecture's (Williams et al. 2021 as used in
// ../shared/seed): 193 people with ids in 1..239, 8–99 days each between day 2 and day 100,
// affect on a standardized-like scale with lags, from known parameter values.
//
// Generating model (one draw per person j, one per day t on the calendar days 1..100; only the
// chosen days are written, day 1 only seeds the lags). The outcomes are never rescaled, so the
// truth file states every value on the scale the models see.
//   u_j ~ MVN(0, diag(sd) R diag(sd)) over 7 person effects:
//        NA: Intercept, day01; PA: Intercept, day01, N_A.lag, P_A.lag; log sigma of NA
//   NA_t = (b_NA,0 + u_j,NA0) + (b_NA,1 + u_j,NA1) · day01_t + sigma_NA,j · z1_t
//        sigma_NA,j = exp(log_sigma_NA + u_j,sigma)                        (m3 exactly; m1 and m3
//        share this mu part; m2's NA equation with its lag coefficients and their sds at 0)
//   PA_t = (b_PA + u_j,PA) · (1, day01_t, NA_{t-1}, PA_{t-1})
//          + sigma_PA · (rescor · z1_t + sqrt(1 − rescor²) · z2_t)        (m2's PA equation)
// so NA is m3's model and PA is m2's, with residual correlation rescor between them. What each
// lecture model leaves out: m1 a constant sigma for a person-varying one; m2 the same for NA.
// The 193 person effects are moment-matched (centred and whitened, then scaled by the Cholesky
// factor of the stated covariance), so the realised effects have exactly mean 0 and the stated sds
// and correlations: the population truth is also the truth of this sample.
// Lags are the previous calendar day's written (rounded) value.
//
// Run: node --import tsx scripts/simulateLecture.ts   (rewrites fixtures/data/lecture-sim.*)
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Random, cholesky, roundSig } from "./random";

// The same seed as the first version, so ids and day counts (drawn first) are unchanged.
export const LECTURE_SIM_SEED = "stan2ts lecture-sim v1";
export const LECTURE_SIM_COLUMNS = [
  "record_id",
  "day",
  "day01",
  "N_A.std",
  "P_A.std",
  "N_A.lag",
  "P_A.lag",
  "steps.pm",
  "steps.pmd",
  "female",
] as const;

const PEOPLE = 193;
const MAX_ID = 239;
const FIRST_DAY = 2;
const LAST_DAY = 100;
const MIN_DAYS = 8;
const MAX_DAYS = 99;

/** The person-varying coefficients, in the order of each person's effect vector. */
export const LECTURE_SIM_EFFECTS = [
  "NAstd_Intercept",
  "NAstd_day01",
  "PAstd_Intercept",
  "PAstd_day01",
  "PAstd_N_A.lag",
  "PAstd_P_A.lag",
  "sigma_NAstd_Intercept",
] as const;

/** The true values the data are generated from (also written to lecture-sim.truth.json). */
export const LECTURE_SIM_TRUTH = {
  fixed: {
    NAstd_Intercept: -0.05,
    NAstd_day01: -0.15,
    // NA does not depend on the lags (m1 and m3 have no lag terms); m2 estimates these as 0.
    "NAstd_N_A.lag": 0,
    "NAstd_P_A.lag": 0,
    PAstd_Intercept: 0.02,
    PAstd_day01: 0.1,
    "PAstd_N_A.lag": -0.05,
    "PAstd_P_A.lag": 0.35,
  },
  log_sigma_NAstd: Math.log(0.55),
  sigma_PAstd: 0.6,
  rescor_NAstd_PAstd: -0.3,
  sd: {
    NAstd_Intercept: 0.45,
    NAstd_day01: 0.3,
    "NAstd_N_A.lag": 0,
    "NAstd_P_A.lag": 0,
    PAstd_Intercept: 0.5,
    PAstd_day01: 0.3,
    "PAstd_N_A.lag": 0.08,
    "PAstd_P_A.lag": 0.1,
    sigma_NAstd_Intercept: 0.35,
  },
  // Correlations between person effects, listed as [a, b, r]; all others are 0.
  correlations: [
    ["NAstd_Intercept", "NAstd_day01", -0.3],
    ["NAstd_Intercept", "PAstd_Intercept", -0.4],
    ["PAstd_Intercept", "PAstd_day01", -0.2],
    ["NAstd_day01", "PAstd_day01", -0.25],
    ["NAstd_Intercept", "sigma_NAstd_Intercept", 0.5],
    ["PAstd_N_A.lag", "PAstd_P_A.lag", 0.2],
  ] as [string, string, number][],
};

/** The correlation matrix of the person effects (LECTURE_SIM_EFFECTS order) from `correlations`. */
export function lectureEffectCorrelation(correlations: readonly (readonly [string, string, number])[]): number[][] {
  const m = LECTURE_SIM_EFFECTS.length;
  const corr: number[][] = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  for (const [a, b, r] of correlations) {
    const i = LECTURE_SIM_EFFECTS.indexOf(a as (typeof LECTURE_SIM_EFFECTS)[number]);
    const j = LECTURE_SIM_EFFECTS.indexOf(b as (typeof LECTURE_SIM_EFFECTS)[number]);
    if (i < 0 || j < 0) throw new Error(`unknown person effect in correlations: ${a}, ${b}`);
    corr[i][j] = r;
    corr[j][i] = r;
  }
  return corr;
}

/**
 * `n` draws whose sample mean is exactly 0 and whose sample covariance (divisor n − 1) is exactly
 * L Lᵀ: iid normals, centred, whitened by the Cholesky factor of their own sample covariance.
 */
export function momentMatchedNormals(rng: Random, n: number, l: readonly (readonly number[])[]): number[][] {
  const m = l.length;
  const z = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.stdNormal()));
  const means = Array.from({ length: m }, (_, k) => z.reduce((s, row) => s + row[k], 0) / n);
  for (const row of z) for (let k = 0; k < m; k++) row[k] -= means[k];
  const cov = Array.from({ length: m }, (_, a) =>
    Array.from({ length: m }, (_, b) => z.reduce((s, row) => s + row[a] * row[b], 0) / (n - 1)),
  );
  const ls = cholesky(cov);
  return z.map((row) => {
    // Forward substitution: w = Ls⁻¹ row, then u = L w.
    const w = new Array<number>(m).fill(0);
    for (let i = 0; i < m; i++) {
      let s = row[i];
      for (let k = 0; k < i; k++) s -= ls[i][k] * w[k];
      w[i] = s / ls[i][i];
    }
    return l.map((li) => li.reduce((s, lik, k) => s + lik * w[k], 0));
  });
}

export interface LectureSimulation {
  csv: string;
  truthJson: string;
}

export function simulateLecture(): LectureSimulation {
  const rng = new Random(LECTURE_SIM_SEED);
  const truth = LECTURE_SIM_TRUTH;
  const corr = lectureEffectCorrelation(truth.correlations);
  const sds = LECTURE_SIM_EFFECTS.map((c) => truth.sd[c]);
  const covChol = cholesky(corr.map((row, i) => row.map((r, j) => r * sds[i] * sds[j])));
  const effect = (name: (typeof LECTURE_SIM_EFFECTS)[number]) => LECTURE_SIM_EFFECTS.indexOf(name);
  const f = truth.fixed;

  // 193 distinct ids out of 1..239, in increasing order.
  const ids = rng
    .shuffle(Array.from({ length: MAX_ID }, (_, i) => i + 1))
    .slice(0, PEOPLE)
    .sort((a, b) => a - b);

  // Days per person: 8 + 91·Beta(2.15, 1) puts the median near 74; one person is pinned to
  // each end of the 8–99 range so the data span it like the lecture's.
  const counts = ids.map(() => MIN_DAYS + Math.round((MAX_DAYS - MIN_DAYS) * rng.beta(2.15, 1)));
  counts[rng.integer(0, PEOPLE - 1)] = MAX_DAYS;
  let shortest = rng.integer(0, PEOPLE - 1);
  while (counts[shortest] === MAX_DAYS) shortest = (shortest + 1) % PEOPLE;
  counts[shortest] = MIN_DAYS;

  const personEffects = momentMatchedNormals(rng, PEOPLE, covChol);
  const dayScale = LAST_DAY - FIRST_DAY; // max(day - 2) = 98: someone has all 99 days
  const rows: string[] = [LECTURE_SIM_COLUMNS.join(",")];
  const rescor = truth.rescor_NAstd_PAstd;
  const rescorComplement = Math.sqrt(1 - rescor * rescor);
  for (let p = 0; p < PEOPLE; p++) {
    const u = personEffects[p];
    const female = rng.bernoulli(0.62);
    const stepsPm = roundSig(rng.normal(0, 0.63), 6);
    // Which calendar days are written: a random subset of 2..100 of the person's size.
    const allDays = Array.from({ length: LAST_DAY - FIRST_DAY + 1 }, (_, i) => i + FIRST_DAY);
    const chosen = new Set(rng.shuffle(allDays).slice(0, counts[p]));
    const naIntercept = f.NAstd_Intercept + u[effect("NAstd_Intercept")];
    const naSlope = f.NAstd_day01 + u[effect("NAstd_day01")];
    const sigmaNA = Math.exp(truth.log_sigma_NAstd + u[effect("sigma_NAstd_Intercept")]);
    const paCoef = [
      f.PAstd_Intercept + u[effect("PAstd_Intercept")],
      f.PAstd_day01 + u[effect("PAstd_day01")],
      f["PAstd_N_A.lag"] + u[effect("PAstd_N_A.lag")],
      f["PAstd_P_A.lag"] + u[effect("PAstd_P_A.lag")],
    ];
    const sigmaPA = truth.sigma_PAstd;
    // Day 1 only seeds the lags: NA from its model at day01 = 0, PA around the person's intercept.
    let prevNA = roundSig(naIntercept + sigmaNA * rng.stdNormal(), 6);
    let prevPA = roundSig(paCoef[0] + rng.normal(0, 0.7), 6);
    for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
      const day01 = (day - FIRST_DAY) / dayScale;
      const z1 = rng.stdNormal();
      const z2 = rng.stdNormal();
      const na = roundSig(naIntercept + naSlope * day01 + sigmaNA * z1, 6);
      const pa = roundSig(
        paCoef[0] + paCoef[1] * day01 + paCoef[2] * prevNA + paCoef[3] * prevPA + sigmaPA * (rescor * z1 + rescorComplement * z2),
        6,
      );
      const stepsPmd = roundSig(rng.normal(0, 0.75), 6);
      if (chosen.has(day)) {
        rows.push([ids[p], day, day01, na, pa, prevNA, prevPA, stepsPm, stepsPmd, female].join(","));
      }
      prevNA = na;
      prevPA = pa;
    }
  }
  const truthJson = JSON.stringify(
    {
      description:
        "True parameter values behind fixtures/data/lecture-sim.csv (see scripts/simulateLecture.ts for the generating model). " +
        "The outcomes are not rescaled: these are the values on the scale the models see. N_A.std follows m3 " +
        "(and m1's mu part); P_A.std follows m2's PA equation; NA's lag coefficients and their sds are 0. " +
        "person_effects (in the order of `coefficients`) are moment-matched: their sample mean is 0 and their " +
        "sample sds and correlations equal `sd` and `correlations` exactly.",
      seed: LECTURE_SIM_SEED,
      people: PEOPLE,
      coefficients: LECTURE_SIM_EFFECTS,
      ...truth,
      sigma_NAstd_at_zero_effect: Math.exp(truth.log_sigma_NAstd),
      // m1 has one sigma; the person sigmas' root mean square exp(log_sigma + sd²) is what it pools.
      sigma_NAstd_root_mean_square: Math.exp(truth.log_sigma_NAstd + truth.sd.sigma_NAstd_Intercept ** 2),
      person_effects: Object.fromEntries(ids.map((id, p) => [String(id), personEffects[p].map((v) => roundSig(v, 8))])),
    },
    null,
    2,
  );
  return { csv: rows.join("\n") + "\n", truthJson: truthJson + "\n" };
}

export const LECTURE_SIM_CSV_PATH = "fixtures/data/lecture-sim.csv";
export const LECTURE_SIM_TRUTH_PATH = "fixtures/data/lecture-sim.truth.json";

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const { csv, truthJson } = simulateLecture();
  writeFileSync(join(root, LECTURE_SIM_CSV_PATH), csv);
  writeFileSync(join(root, LECTURE_SIM_TRUTH_PATH), truthJson);
  process.stdout.write(`wrote ${LECTURE_SIM_CSV_PATH} (${csv.split("\n").length - 2} rows) and ${LECTURE_SIM_TRUTH_PATH}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
