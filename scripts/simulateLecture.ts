// Simulates a daily-diary data set shaped like the lecture's (Williams et al. 2021 as used in
// ../shared/seed): 193 people with ids in 1..239, 8–99 days each between day 2 and day 100,
// affect on a standardized-like scale with lags, from known parameter values.
//
// Generating model (one draw per person j, one per day t on the calendar days 1..100;
// only the chosen days are written, day 1 only seeds the lags):
//   u_j ~ MVN(0, diag(sd) R diag(sd)) over 9 coefficients:
//        NA: Intercept, day01, N_A.lag, P_A.lag; PA: Intercept, day01, N_A.lag, P_A.lag;
//        log sigma of NA
//   NA_t = (b_NA + u_NA,j) · (1, day01_t, NA_{t-1}, PA_{t-1}) + e_NA,t
//   PA_t = (b_PA + u_PA,j) · (1, day01_t, NA_{t-1}, PA_{t-1}) + e_PA,t
//   (e_NA, e_PA) ~ MVN(0, diag(s) [[1, rescor], [rescor, 1]] diag(s)),
//        s = (exp(log_sigma_NA + u_sigma,j), sigma_PA)
// so m2 is the generating model up to the NA sigma varying by person (m3's part), and
// m1/m3 fit its NA margin. Lags are the previous calendar day's written (rounded) value.
//
// Run: node --import tsx scripts/simulateLecture.ts   (rewrites fixtures/data/lecture-sim.*)
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Random, cholesky, multiNormalCholesky, roundSig } from "./random";

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

const COEFFICIENTS = [
  "NAstd_Intercept",
  "NAstd_day01",
  "NAstd_N_A.lag",
  "NAstd_P_A.lag",
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
    "NAstd_N_A.lag": 0.3,
    "NAstd_P_A.lag": -0.05,
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
    "NAstd_N_A.lag": 0.1,
    "NAstd_P_A.lag": 0.08,
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
    ["NAstd_N_A.lag", "PAstd_P_A.lag", 0.2],
  ] as [string, string, number][],
};

export interface LectureSimulation {
  csv: string;
  truthJson: string;
}

export function simulateLecture(): LectureSimulation {
  const rng = new Random(LECTURE_SIM_SEED);
  const truth = LECTURE_SIM_TRUTH;
  const m = COEFFICIENTS.length;
  const corr: number[][] = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  for (const [a, b, r] of truth.correlations) {
    const i = COEFFICIENTS.indexOf(a as (typeof COEFFICIENTS)[number]);
    const j = COEFFICIENTS.indexOf(b as (typeof COEFFICIENTS)[number]);
    if (i < 0 || j < 0) throw new Error(`unknown coefficient in correlations: ${a}, ${b}`);
    corr[i][j] = r;
    corr[j][i] = r;
  }
  const sds = COEFFICIENTS.map((c) => truth.sd[c]);
  const cov = corr.map((row, i) => row.map((r, j) => r * sds[i] * sds[j]));
  const covChol = cholesky(cov);
  const zeros = new Array<number>(m).fill(0);
  const fixed = COEFFICIENTS.slice(0, 8).map((c) => truth.fixed[c as keyof typeof truth.fixed]);

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

  const dayScale = LAST_DAY - FIRST_DAY; // max(day - 2) = 98: someone has all 99 days
  const rows: string[] = [LECTURE_SIM_COLUMNS.join(",")];
  const sdSigmaChol = [
    [1, 0],
    [truth.rescor_NAstd_PAstd, Math.sqrt(1 - truth.rescor_NAstd_PAstd ** 2)],
  ];
  const personEffects: number[][] = [];
  for (let p = 0; p < PEOPLE; p++) {
    const u = multiNormalCholesky(rng, zeros, covChol);
    personEffects.push(u);
    const female = rng.bernoulli(0.62);
    const stepsPm = roundSig(rng.normal(0, 0.63), 6);
    // Which calendar days are written: a random subset of 2..100 of the person's size.
    const allDays = Array.from({ length: LAST_DAY - FIRST_DAY + 1 }, (_, i) => i + FIRST_DAY);
    const chosen = new Set(rng.shuffle(allDays).slice(0, counts[p]));
    const coefNA = [0, 1, 2, 3].map((k) => fixed[k] + u[k]);
    const coefPA = [4, 5, 6, 7].map((k) => fixed[k] + u[k]);
    const sigmaNA = Math.exp(truth.log_sigma_NAstd + u[8]);
    const sigmaPA = truth.sigma_PAstd;
    // Day 1 seeds the lags: a draw around the person's intercepts.
    let prevNA = roundSig(coefNA[0] + rng.normal(0, 0.7), 6);
    let prevPA = roundSig(coefPA[0] + rng.normal(0, 0.7), 6);
    for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
      const day01 = (day - FIRST_DAY) / dayScale;
      const e = multiNormalCholesky(rng, [0, 0], sdSigmaChol);
      const na = roundSig(
        coefNA[0] + coefNA[1] * day01 + coefNA[2] * prevNA + coefNA[3] * prevPA + sigmaNA * e[0],
        6,
      );
      const pa = roundSig(
        coefPA[0] + coefPA[1] * day01 + coefPA[2] * prevNA + coefPA[3] * prevPA + sigmaPA * e[1],
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
        "True parameter values behind fixtures/data/lecture-sim.csv (see scripts/simulateLecture.ts for the generating model).",
      seed: LECTURE_SIM_SEED,
      people: PEOPLE,
      coefficients: COEFFICIENTS,
      ...truth,
      sigma_NAstd_at_zero_effect: Math.exp(truth.log_sigma_NAstd),
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
