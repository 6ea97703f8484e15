/**
 * A teacher's script end to end: `stan2ts sample fixtures/brms/teacher/teacher.R` samples a
 * poisson model, then runs summary(), plot(), pp_check() (dens_overlay and stat),
 * plot(conditional_effects()) and loo(), printing what brms prints and writing the SVG plots
 * next to the script (a copy in a temporary folder, the data given with --data).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../bundle/helpers";

describe("a teacher's script after brm()", () => {
  it("prints the summary and loo, and writes plot, pp_check and conditional_effects SVGs next to the script", () => {
    const dir = tempDir("teacher");
    const script = join(dir, "teacher.R");
    copyFileSync(join(ROOT, "fixtures/brms/teacher/teacher.R"), script);
    const data = join(ROOT, "test/fixtures/brms-families/data.csv");
    const run = spawnSync(process.execPath, [join(ROOT, "bin/stan2ts.js"), "sample", script, "--data", data], { encoding: "utf8", cwd: ROOT, timeout: 240_000 });
    expect(run.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain("Family: poisson");
    expect(out).toContain("Using 10 posterior draws for ppc type 'dens_overlay' by default.\nUsing all posterior draws for ppc type 'stat' by default.\n");
    expect(out).toMatch(/\nComputed from 1000 by 40 log-likelihood matrix\n\n +Estimate +SE\nelpd_loo +-\d+\.\d +\d+\.\d\np_loo +\d+\.\d +\d+\.\d\nlooic +\d+\.\d +\d+\.\d\n------\nMonte Carlo SE of elpd_loo is (\d+\.\d|NA)\.\n/);
    const files = ["fit_plot.svg", "fit_pp_check.svg", "fit_pp_check_stat.svg", "fit_conditional_effects_x.svg", "fit_conditional_effects_z.svg"];
    for (const f of files) {
      expect(out).toContain(`Wrote ${join(dir, f)}\n`);
      expect(readFileSync(join(dir, f), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    // b_Intercept, b_x, b_z, sd_g__Intercept: each names its density and its trace
    const plot = readFileSync(join(dir, "fit_plot.svg"), "utf8");
    for (const name of ["b_Intercept", "b_x", "b_z", "sd_g__Intercept"]) expect(plot.split(`>${name}</text>`).length - 1).toBe(2);
  });

  it("refuses pp_check() of a multivariate model without resp = before sampling, with brms's message as a located error (exit 1)", () => {
    const dir = tempDir("teacher-sn");
    const script = join(dir, "sn.R");
    writeFileSync(script, 'library(brms)\nd <- read_csv("data.csv")\nfit <- brm(bf(yr ~ x) + bf(yp ~ x, family = poisson()) + set_rescor(FALSE), data = d)\npp_check(fit)\n');
    const run = spawnSync(process.execPath, [join(ROOT, "bin/stan2ts.js"), "sample", script, "--data", join(ROOT, "test/fixtures/brms-families/data.csv")], { encoding: "utf8", cwd: ROOT, timeout: 120_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("Family:"); // no sampling, no summary
    expect(run.stderr).toContain(`Semantic error in '${script}', line 4, column 1 to column 14:\nArgument 'resp' must be a single variable name when applying this method to a multivariate model.`);
  });
});
