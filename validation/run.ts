/**
 * The validation study (issue 7). `npm run validate` runs every part; a part name runs one:
 *
 *   npm run validate                                  # sbc, then recovery, then the agreement table
 *   npm run validate -- sbc [--only m1,m3] [--replications N] [--seed N]
 *   npm run validate -- sbc-report                    # rebuild table + SVGs from saved ranks
 *   npm run validate -- recovery [--only m1] [--replications N]
 *   npm run validate -- agreement [--stan DIR] [--ours DIR]
 *
 * SBC ranks are saved per model in docs/validation/sbc/<model>.json, so parts can run in separate
 * processes (e.g. m3 alone) and `sbc-report` merges them into docs/validation/sbc.md and
 * docs/validation/sbc-<model>.svg. With `--seed N` (a replicate study, e.g. to recheck a small
 * p-value on fresh simulations) the per-quantity results are printed and nothing is saved.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./loadModel";
import { CLASSIC_SBC_MODELS, lectureM1, lectureM2, lectureM3 } from "./sbc/models";
import { bonferroniThreshold, flaggedParameters, runSbc, type SbcModel, type SbcResult } from "./sbc/sbc";
import { rankHistogramSvg, sbcTable } from "./sbc/report";

const DOCS = join(REPO_ROOT, "docs", "validation");
const SBC_DIR = join(DOCS, "sbc");
/** Family-wise false-alarm rate of the whole SBC study; each test uses FAMILY_ALPHA / tests. */
export const FAMILY_ALPHA = 0.01;

interface Args {
  part: string;
  only?: string[];
  replications?: number;
  /** A replicate SBC study's seed (printed, not saved); the study's own seed when absent. */
  seed?: number;
  flags: Map<string, string>;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  let part = "all";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) flags.set(a.slice(2), argv[++i] ?? "");
    else part = a;
  }
  const only = flags.get("only")?.split(",").filter(Boolean);
  const replications = flags.has("replications") ? Number(flags.get("replications")) : undefined;
  if (replications !== undefined && !(Number.isInteger(replications) && replications > 0)) {
    throw new Error(`--replications must be a positive integer, got '${flags.get("replications")}'`);
  }
  const seed = flags.has("seed") ? Number(flags.get("seed")) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${flags.get("seed")}'`);
  return { part, only, replications, seed, flags };
}

/** The full study's models with their replication counts (200 each: 10 bins hold 20 ranks on average). */
export function fullSbcPlan(): { model: SbcModel; replications: number }[] {
  return [
    ...CLASSIC_SBC_MODELS.map((model) => ({ model, replications: 200 })),
    { model: lectureM1(12, 6), replications: 200 },
    { model: lectureM3(10, 6), replications: 200 },
    { model: lectureM2(10, 6), replications: 200 },
  ];
}

const SBC_SETTINGS = { rankDraws: 99, thin: 2, warmup: 300, bins: 10, seed: 20261124 };

async function runSbcPart(args: Args): Promise<void> {
  mkdirSync(SBC_DIR, { recursive: true });
  const plan = fullSbcPlan().filter((p) => !args.only || args.only.includes(p.model.name));
  if (plan.length === 0) throw new Error(`--only matches no SBC model (known: ${fullSbcPlan().map((p) => p.model.name).join(", ")})`);
  for (const { model, replications } of plan) {
    const n = args.replications ?? replications;
    const { seed } = args;
    const result = await runSbc(model, {
      ...SBC_SETTINGS,
      ...(seed === undefined ? {} : { seed }),
      replications: n,
      onReplication: (i) => {
        if ((i + 1) % 10 === 0) process.stderr.write(`${model.name}: ${i + 1}/${n}\n`);
      },
    });
    if (seed !== undefined) {
      for (const p of result.parameters) console.log(`${model.name} ${p.name}: chi-square ${p.chiSquare.toFixed(1)} (${p.degreesOfFreedom}), p ${p.pValue.toPrecision(3)}`);
    } else {
      writeFileSync(join(SBC_DIR, `${model.name}.json`), JSON.stringify(result));
    }
    console.log(`${model.name}: ${n} replications in ${result.seconds.toFixed(0)} s, ${result.failures.length} failed, ${result.divergentReplications} with divergences`);
  }
}

async function sbcReport(): Promise<boolean> {
  const results: SbcResult[] = readdirSync(SBC_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(SBC_DIR, f), "utf8")) as SbcResult);
  const threshold = bonferroniThreshold(results, FAMILY_ALPHA);
  for (const r of results) writeFileSync(join(DOCS, `sbc-${r.model}.svg`), await rankHistogramSvg(r, threshold));
  const flagged = results.flatMap((r) => flaggedParameters(r, threshold).map((p) => `${r.model}/${p.name}`));
  const tests = results.reduce((n, r) => n + r.parameters.length, 0);
  const minP = Math.min(...results.flatMap((r) => r.parameters.map((p) => p.pValue)));
  const runtime = results.map((r) => `${r.model} ${r.seconds.toFixed(0)} s`).join(", ");
  const text = [
    "# Simulation-based calibration",
    "",
    "Made by `npm run validate -- sbc` then `npm run validate -- sbc-report` (code: `validation/sbc/`).",
    `Each replication draws parameters from the program's prior and data from its likelihood (simulators in`,
    "`validation/sbc/models.ts`), samples one chain (" +
      `${SBC_SETTINGS.warmup} warmup, ${SBC_SETTINGS.rankDraws * SBC_SETTINGS.thin} draws thinned by ${SBC_SETTINGS.thin} to L = ${SBC_SETTINGS.rankDraws}), ` +
      "and records each prior draw's rank among the L posterior draws.",
    `Ranks are tested for uniformity with a chi-square test on ${SBC_SETTINGS.bins} bins; with ${tests} tests a quantity is flagged when`,
    `p < ${FAMILY_ALPHA} / ${tests} = ${threshold.toExponential(2)} (Bonferroni, family-wise false-alarm rate ${FAMILY_ALPHA}).`,
    "Histograms: `sbc-<model>.svg` (grey: the 99% band of a uniform bin count).",
    "",
    `**Result: ${flagged.length === 0 ? "no quantity flagged" : `flagged: ${flagged.join(", ")}`}** (smallest p-value ${minP.toPrecision(3)}).`,
    "",
    `Run time per model (one thread, shared machine): ${runtime}.`,
    "",
    sbcTable(results, threshold),
    "",
    ...results.map((r) => `![${r.model}](sbc-${r.model}.svg)`),
    "",
  ].join("\n");
  writeFileSync(join(DOCS, "sbc.md"), text);
  console.log(`SBC: ${tests} tests, threshold ${threshold.toExponential(2)}, flagged: ${flagged.length === 0 ? "none" : flagged.join(", ")}`);
  return flagged.length === 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let ok = true;
  if (args.part === "sbc" || args.part === "all") await runSbcPart(args);
  if (args.part === "sbc" || args.part === "sbc-report" || args.part === "all") ok = (await sbcReport()) && ok;
  if (args.part === "recovery" || args.part === "all") {
    const { runRecoveryPart } = await import("./recovery/recovery");
    ok = (await runRecoveryPart(args.only, args.replications)) && ok;
  }
  if (args.part === "agreement" || args.part === "all") {
    const { runAgreementPart } = await import("./agreement/agreeWithStan");
    ok = (await runAgreementPart(args.flags)) && ok;
  }
  if (!["all", "sbc", "sbc-report", "recovery", "agreement"].includes(args.part)) throw new Error(`unknown part '${args.part}'`);
  console.log(`validate ${args.part}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
