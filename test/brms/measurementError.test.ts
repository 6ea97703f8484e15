/**
 * brms's missing-value and measurement-error models against brms 2.18's own output: responses with
 * mi() (imputed missing values, or mi(sdy): a response measured with known error).
 * Each folder of test/fixtures/brms-measerr holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript ../brms-families/gen.R <fixture>` in that
 * folder (R 4.2, brms 2.18); logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the rows kept and the refusals.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-measerr/", import.meta.url).pathname;

describeFamilyFixtures("brms mi() responses", ROOT, {
  select: (fixture) => ["mi-response", "mi-dropped", "mi-sdy", "mi-sdy-complete", "mi-lognormal"].includes(fixture),
  minFixtures: 5,
  rstanRecorded: 1,
});

describe("brms missing values: rows kept and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (formula: string, extra = "") => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d${extra})\n`;
  const build = (formula: string, extra = "") => buildFrom(script(formula, extra), csv);
  const error = (formula: string, extra = "") => errorOf(script(formula, extra), csv);
  const N = (formula: string) => (build(formula).standata.get("N") as { value: number }).value;

  it("drops rows with a missing value unless only a mi() variable is missing there, as make_standata does", () => {
    // Rscript -e 'd <- read.csv("data.csv"); make_standata(ymis ~ z, data = d)$N' gives 35 with brms's
    // warning "Rows containing NAs were excluded from the model."; with ymis | mi() all 40 rows stay,
    // and make_standata(ymis | mi() ~ u, data = d)$N is 39 (u is missing in row 9).
    expect(N("ymis ~ z")).toBe(35);
    expect(build("ymis ~ z").model.warnings.warnings.map((w) => w.message)).toContain("Rows containing NAs were excluded from the model.");
    expect(N("ymis | mi() ~ z")).toBe(40);
    expect(build("ymis | mi() ~ z").model.warnings.warnings.map((w) => w.message)).not.toContain("Rows containing NAs were excluded from the model.");
    expect(N("ymis | mi() ~ u")).toBe(39);
    expect(build("ymis | mi() ~ u").standata.get("Jmi")).toEqual({ kind: "int[]", value: Int32Array.of(4, 10, 18, 26, 32) });
  });

  it("marks imputed rows as make_standata does: Y is Inf there, Jme lists the observed rows", () => {
    // Rscript -e 's <- make_standata(ymis | mi(sdy) ~ z, data = read.csv("data.csv")); s$Nme; s$noise[4]; s$Y[4]' gives 35, Inf, Inf
    const data = build("ymis | mi(sdy) ~ z").standata;
    expect(data.get("Nme")).toEqual({ kind: "int", value: 35 });
    expect((data.get("noise") as { value: Float64Array }).value[3]).toBe(Infinity);
    expect((data.get("Y") as { value: Float64Array }).value[3]).toBe(Infinity);
    expect(Array.from((data.get("Jme") as { value: Int32Array }).value).includes(4)).toBe(false);
  });

  it("refuses what brms refuses, with brms's messages, and what stan2ts does not build, naming the cause", () => {
    // Rscript -e 'make_stancode(count | mi() ~ z, data = d, family = poisson())': brms 2.18's message
    expect(error("ymis | mi() ~ z", ", family = poisson()")).toMatch(/line 3[\s\S]*Argument 'mi' is not supported for family 'poisson\(log\)'/);
    expect(error("ymis | mi() ~ z", ", family = von_mises()")).toMatch(/mi\(\) with the von_mises family is not supported by stan2ts yet/);
    expect(error("ymis | mi(sdy) + trunc(lb = 0) ~ z")).toMatch(/mi\(\) together with trunc\(\) is not supported by stan2ts yet/);
    expect(error("bf(ymis | mi() ~ z) + bf(y ~ z) + set_rescor(TRUE)")).toMatch(/mi\(\) in a model with residual correlations is not supported by stan2ts yet/);
    expect(error("ymis | mi(sdy = 2 * sdy) ~ z")).toMatch(/mi\(2 \* sdy\) is not supported; give the known measurement sd/);
    expect(error("ymis | mi(foo = sdy) ~ z")).toMatch(/Unknown argument 'foo' of mi\(\)/);
    expect(error("ymis | index(z) ~ z")).toMatch(/The addition term index\(\) is not supported/);
  });
});
