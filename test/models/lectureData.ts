/**
 * Stan data for the lecture models m1–m3 built from ../shared/data/williams-seed.csv exactly as
 * brms 2.18's make_standata does (brms-spec §2.5), so tests and benchmarks run on the real data.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const LECTURE_CSV = fileURLToPath(new URL("../../../shared/data/williams-seed.csv", import.meta.url));

export function lectureDataAvailable(): boolean {
  return existsSync(LECTURE_CSV);
}

/** One point of docs/oracles/<model>-logprob.json (rstan on the lecture data; see its README). */
export interface LectureOraclePoint {
  upars: number[];
  log_prob: number;
  log_prob_no_jacobian: number;
  gradient: number[];
  constrained: Record<string, number | number[] | number[][]>;
}

export interface LectureOracle {
  num_upars: number;
  points: Record<string, LectureOraclePoint>;
}

export function readLectureOracle(model: "m1" | "m2" | "m3"): LectureOracle {
  return JSON.parse(readFileSync(new URL(`../../docs/oracles/${model}-logprob.json`, import.meta.url), "utf8")) as LectureOracle;
}

interface Rows {
  readonly id: number[];
  readonly day01: number[];
  readonly NA: number[];
  readonly PA: number[];
  readonly NAlag: number[];
  readonly PAlag: number[];
}

function readRows(): Rows {
  const lines = readFileSync(LECTURE_CSV, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing from ${LECTURE_CSV}`);
    return i;
  };
  const c = { id: col("record_id"), day01: col("day01"), NA: col("N_A.std"), PA: col("P_A.std"), NAlag: col("N_A.lag"), PAlag: col("P_A.lag") };
  const rows: Rows = { id: [], day01: [], NA: [], PA: [], NAlag: [], PAlag: [] };
  for (let k = 1; k < lines.length; k++) {
    const f = lines[k].split(",");
    rows.id.push(Number(f[c.id]));
    rows.day01.push(Number(f[c.day01]));
    rows.NA.push(Number(f[c.NA]));
    rows.PA.push(Number(f[c.PA]));
    rows.NAlag.push(Number(f[c.NAlag]));
    rows.PAlag.push(Number(f[c.PAlag]));
  }
  return rows;
}

/** 1-based level index of each row (levels sorted numerically, as R's factor() does for numbers). */
function groupIndex(ids: readonly number[]): { J: number[]; levels: number } {
  const levels = [...new Set(ids)].sort((a, b) => a - b);
  const pos = new Map(levels.map((l, i) => [l, i + 1]));
  return { J: ids.map((x) => pos.get(x) as number), levels: levels.length };
}

const ones = (n: number) => new Array<number>(n).fill(1);
/** Stan JSON matrix (array of rows) from columns. */
const matrix = (cols: number[][]) => cols[0].map((_, r) => cols.map((c) => c[r]));

export function lectureStanData(model: "m1" | "m2" | "m3"): Record<string, unknown> {
  const r = readRows();
  const N = r.id.length;
  const { J, levels } = groupIndex(r.id);
  if (model === "m1") {
    return { N, Y: r.NA, K: 2, X: matrix([ones(N), r.day01]), N_1: levels, M_1: 2, J_1: J, Z_1_1: ones(N), Z_1_2: r.day01, NC_1: 1, prior_only: 0 };
  }
  if (model === "m3") {
    return { N, Y: r.NA, K: 2, X: matrix([ones(N), r.day01]), N_1: levels, M_1: 3, J_1: J, Z_1_1: ones(N), Z_1_2: r.day01, Z_1_sigma_3: ones(N), NC_1: 3, prior_only: 0 };
  }
  const X = matrix([ones(N), r.day01, r.NAlag, r.PAlag]);
  return {
    N,
    N_NAstd: N,
    Y_NAstd: r.NA,
    K_NAstd: 4,
    X_NAstd: X,
    N_PAstd: N,
    Y_PAstd: r.PA,
    K_PAstd: 4,
    X_PAstd: X,
    nresp: 2,
    nrescor: 1,
    N_1: levels,
    M_1: 8,
    J_1_NAstd: J,
    J_1_PAstd: J,
    Z_1_NAstd_1: ones(N),
    Z_1_NAstd_2: r.day01,
    Z_1_NAstd_3: r.NAlag,
    Z_1_NAstd_4: r.PAlag,
    Z_1_PAstd_5: ones(N),
    Z_1_PAstd_6: r.day01,
    Z_1_PAstd_7: r.NAlag,
    Z_1_PAstd_8: r.PAlag,
    NC_1: 28,
    prior_only: 0,
  };
}
