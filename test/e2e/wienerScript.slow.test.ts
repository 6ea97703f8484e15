/**
 * A reaction-time script with the wiener family end to end: `stan2ts sample` on a brm() call with
 * dec(), then print(), fixef(), loo(), pp_check() and conditional_effects(), as a teacher would run
 * them (a copy of the script in a temporary folder, the data of the wiener fixtures given with --data).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../bundle/helpers";

const SCRIPT = `library(brms)
library(readr)
d <- read_csv("data-wiener.csv")
fit <- brm(rt | dec(decision) ~ x + (1 | g), data = d, family = wiener(), seed = 3, chains = 2, iter = 600)
print(fit)
fixef(fit)
loo(fit)
pp_check(fit)
conditional_effects(fit)
`;

describe("a wiener (drift diffusion) script after brm()", () => {
  it("prints brms's summary with bs, ndt and bias, fixef and loo, and writes the pp_check and conditional_effects SVGs", () => {
    const dir = tempDir("wiener");
    const script = join(dir, "rt.R");
    writeFileSync(script, SCRIPT);
    const data = join(ROOT, "test/fixtures/brms-families/data-wiener.csv");
    const run = spawnSync(process.execPath, [join(ROOT, "bin/stan2ts.js"), "sample", script, "--data", data], { encoding: "utf8", cwd: ROOT, timeout: 300_000 });
    expect(run.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain(" Family: wiener \n  Links: mu = identity; bs = identity; ndt = identity; bias = identity \nFormula: rt | dec(decision) ~ x + (1 | g) \n");
    expect(out).toMatch(/\nFamily Specific Parameters: \n +Estimate Est\.Error l-95% CI u-95% CI Rhat Bulk_ESS Tail_ESS\nbs +\d\.\d\d[^\n]*\nndt +0\.\d\d[^\n]*\nbias +0\.\d\d[^\n]*\n/);
    expect(out).toMatch(/\n +Estimate +Est\.Error +Q2\.5 +Q97\.5\nIntercept [^\n]*\nx [^\n]*\n/);
    expect(out).toMatch(/\nComputed from 600 by 120 log-likelihood matrix\n\n +Estimate +SE\nelpd_loo +-?\d+\.\d +\d+\.\d\n/);
    for (const f of ["fit_pp_check.svg", "fit_conditional_effects_x.svg"]) {
      expect(out).toContain(`Wrote ${join(dir, f)}\n`);
      expect(readFileSync(join(dir, f), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });
});
