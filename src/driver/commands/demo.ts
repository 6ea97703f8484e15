/**
 * `stan2ts demo` (what `npm start` runs): the lecture's model m1 (fixtures/brms/m1.R) sampled on
 * the embedded simulated data set with the lecture's settings, printed as brms prints it, then
 * compared with the values the data were simulated from.
 */
import { readFileSync } from "node:fs";
import { sep } from "node:path";
import type { StanFit } from "../../runtime/api";
import type { Command } from "../command";
import { packageRoot } from "../packageRoot";
import { parseSampleArgs, report, runSample, type SampleArgs } from "./sample";

// fixtures/ ships with the package for this command (package.json `files`)
const ROOT = `${packageRoot()}${sep}`;
export const DEMO_SCRIPT = `${ROOT}fixtures/brms/m1.R`;
export const DEMO_DATA = `${ROOT}fixtures/data/lecture-sim.csv`;
const DEMO_TRUTH = `${ROOT}fixtures/data/lecture-sim.truth.json`;

interface Truth {
  fixed: Record<string, number>;
  sd: Record<string, number>;
  correlations: [string, string, number][];
}

/** brms name of an m1 parameter → its value in the generating model. */
function m1TrueValues(truth: Truth): [string, string, number][] {
  const cor = truth.correlations.find(([a, b]) => a === "NAstd_Intercept" && b === "NAstd_day01");
  return [
    ["b_Intercept", "Intercept", truth.fixed.NAstd_Intercept],
    ["b_day01", "day01", truth.fixed.NAstd_day01],
    ["sd_record_id__Intercept", "sd(Intercept)", truth.sd.NAstd_Intercept],
    ["sd_record_id__day01", "sd(day01)", truth.sd.NAstd_day01],
    ["cor_record_id__Intercept__day01", "cor(Intercept,day01)", cor ? cor[2] : NaN],
  ];
}

/** Estimates next to the true values, with whether each 95% interval covers its value. */
export function truthComparison(fit: StanFit, truth: Truth): string {
  const rows = fit.summaryTable();
  const parts = m1TrueValues(truth).map(([name, label, value]) => {
    const row = rows.find((r) => r.name === name);
    if (!row) return `${label}: true ${value}`;
    const covered = row.q2_5 <= value && value <= row.q97_5;
    return `${label} ${row.mean.toFixed(2)} (true ${value}${covered ? "" : ", outside the 95% CI"})`;
  });
  return [
    `Estimate vs truth: ${parts.join("; ")}.`,
    "N_A.std was simulated from m1's mean structure with a person-specific sigma (m3's scale part), so",
    "m1's estimates above target these values; its one sigma pools the person sigmas.",
  ].join("\n");
}

/**
 * The lecture runs brm(iter = 3000, warmup = 1000, chains = 4, cores = 4, seed = 14). Measured
 * here (CPU time, one chain of m1 on the simulated data): about 22 s for the first 300 warmup
 * iterations, then about 16 ms per iteration (tree depth 6: 63 gradients of about 0.26 ms). The
 * lecture's settings thus need about 65 s per chain, over two minutes for 4 chains on 2 cores, so
 * the demo runs iter = 1000, warmup = 500 (2,000 draws; about a minute) and says so;
 * `--iter 3000 --warmup 1000` restores the lecture's.
 */
export const DEMO_DEFAULTS = { chains: 4, seed: 14, iter: 1000, warmup: 500 };
const LECTURE_RUN = "iter = 3000, warmup = 1000";

export const demoCommand: Command = {
  name: "demo",
  summary: "sample the lecture's model m1 on the embedded simulated data (what npm start runs)",
  help: [
    "Usage: stan2ts demo [--iter N] [--warmup N] [--samples N] [--chains N] [--cores N] [--seed N] [--quiet]",
    "                    (and every other option of stan2ts sample)",
    "",
    "Compiles the lecture's brms model m1 (fixtures/brms/m1.R: N_A.std ~ 1 + day01 +",
    "(1 + day01 | record_id)) and samples it on fixtures/data/lecture-sim.csv, a data set simulated",
    "like the lecture's (193 people, 8-99 days each). Settings: 4 chains, seed 14 as in the lecture,",
    `all available cores, but iter = ${DEMO_DEFAULTS.iter}, warmup = ${DEMO_DEFAULTS.warmup} (the lecture's ${LECTURE_RUN}`,
    "takes over two minutes on 2 cores); options override them as for `stan2ts sample`. Prints",
    "brms's print(fit) summary, then the estimates next to the values the data were simulated from",
    "(fixtures/data/lecture-sim.truth.json).",
  ].join("\n"),
  async run(argv) {
    const user = parseSampleArgs([DEMO_SCRIPT, "--data", DEMO_DATA, ...argv]);
    // Any run length the user gives (in any spelling) replaces the demo's whole iter/warmup pair.
    const userLength = user.iter !== undefined || user.warmup !== undefined || user.samples !== undefined;
    const args: SampleArgs = {
      ...user,
      chains: user.chains ?? DEMO_DEFAULTS.chains,
      seed: user.seed ?? DEMO_DEFAULTS.seed,
      ...(userLength ? {} : { iter: DEMO_DEFAULTS.iter, warmup: DEMO_DEFAULTS.warmup }),
    };
    const log = (line: string) => process.stderr.write(`${line}\n`);
    log("stan2ts demo: the lecture's model m1 on simulated data (fixtures/data/lecture-sim.csv)");
    const outcome = await runSample(args, {
      useScriptSettings: false,
      onStart: (s, compiled) =>
        log(
          `Compiled m1 (brms front end ${ms(compiled.timings.brms)}, Stan → TypeScript ${ms(compiled.timings.compile)}, bundle ${ms(compiled.timings.bundle)}); ` +
            `sampling ${s.chains} chains, iter = ${s.warmup + s.samples}, warmup = ${s.warmup}, seed = ${s.seed ?? "random"}, ${s.cores} cores` +
            (userLength ? "…" : ` (the lecture uses ${LECTURE_RUN}; add --iter 3000 --warmup 1000 for that)…`),
        ),
    });
    process.stdout.write(report(outcome, args));
    const truth = JSON.parse(readFileSync(DEMO_TRUTH, "utf8")) as Truth;
    process.stdout.write(`\n${truthComparison(outcome.fit, truth)}\n`);
    const s = outcome.settings;
    process.stdout.write(
      `Wall time ${outcome.wallSeconds.toFixed(1)} s including compilation` +
        (userLength ? ".\n" : `; the demo ran iter = ${s.warmup + s.samples}, warmup = ${s.warmup} (the lecture: ${LECTURE_RUN}).\n`),
    );
    return 0;
  },
};

const ms = (x: number) => `${Math.round(x)} ms`;
