/**
 * Prints how stan2ts's sampling of brms fixtures agrees with brms's own fit (fit.json), seed by
 * seed: the largest |z| of a mean and of an sd, and the run's own diagnostics. For looking into a
 * disagreement; the test is familyAgreement.slow.test.ts.
 *   node --import tsx test/brms/agreementReport.ts families hurdle_gamma [seed ...]
 *   node --import tsx test/brms/agreementReport.ts additions cens-weibull
 */
import { AGREEMENT_SAMPLING, sampleAgreement } from "./familyAgreement";

const [folder, fixture, ...seedArgs] = process.argv.slice(2).filter((a) => a !== "--all");
if (!folder || !fixture) {
  console.error("usage: agreementReport.ts <families|additions> <fixture> [seed ...]");
  process.exit(1);
}
const root = new URL(`../fixtures/brms-${folder}/`, import.meta.url).pathname;
const seeds = seedArgs.length > 0 ? seedArgs.map(Number) : [AGREEMENT_SAMPLING.seed];
for (const seed of seeds) {
  const a = await sampleAgreement(root, fixture, seed);
  const worst = (key: "zMean" | "zSd") => a.variables.reduce((w, v) => (Math.abs(v[key]) > Math.abs(w[key]) ? v : w));
  const m = worst("zMean");
  const s = worst("zSd");
  const d = a.diagnostics;
  console.log(
    `${fixture} seed ${seed}: max |z| mean ${Math.abs(m.zMean).toFixed(2)} (${m.brms}), sd ${Math.abs(s.zSd).toFixed(2)} (${s.brms}); ` +
      `ours: divergences ${d.divergences}, max R-hat ${d.maxRhat.toFixed(4)}, min bulk ESS ${Math.round(d.minEssBulk)}; brms: divergences ${a.oracle.divergent}`,
  );
  if (process.argv.includes("--all") || seeds.length === 1)
    for (const v of a.variables) console.log(`  ${v.brms}: mean ${v.ours.mean.toFixed(4)} vs ${v.theirs.mean.toFixed(4)} (z ${v.zMean.toFixed(2)}), sd ${v.ours.sd.toFixed(4)} vs ${v.theirs.sd.toFixed(4)} (z ${v.zSd.toFixed(2)})`);
}
