/**
 * brms formula terms against brms 2.18's own output. Each folder of test/fixtures/brms-terms holds
 * a model.R (a brm() call on the shared simulated data.csv, made by `Rscript gen-data.R`) and what
 * brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...), both
 * written by `Rscript gen.R` in that folder (R 4.x, brms 2.18, locale en_US.UTF-8 / C.UTF-8).
 * familyFixtureSuite.ts holds the checks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareText } from "../../src/brms/terms/levels";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brm, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-terms/", import.meta.url).pathname;

describeFamilyFixtures("brms terms", ROOT, {
  minFixtures: 20,
  // rstan's log_prob and the mock fit (`Rscript ../brms-families/logprob.R <fixture>` in test/fixtures/brms-terms).
  rstanRecorded: 4,
  // Data columns brms copies from the data are exact; computed ones (scale, poly) agree to ~1e-12.
  dataTolerance: 1e-12,
  priorSummaryWrapped: true,
});

describe("brms terms: names, order and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const coefs = (formula: string) => buildFrom(brm(formula), csv).model.responses[0].mu.coefs;

  it("sorts text as R's sort() does under en_US, not by bytes", () => {
    expect(["c", "B", "a", "Z", "b_2", "D"].sort(compareText)).toEqual(["a", "B", "b_2", "c", "D", "Z"]);
    expect(["s2", "S3", "s1"].sort(compareText)).toEqual(["s1", "s2", "S3"]);
    expect(coefs("y ~ f")).toEqual(["fB", "fb_2", "fc", "fD", "fZ"]);
  });

  it("names interaction columns as model.matrix does and orders terms by degree", () => {
    expect(coefs("y ~ x:w + x")).toEqual(["x", "x:w"]);
    expect(coefs("y ~ h * x")).toEqual(["hlo", "hmid", "x", "hlo:x", "hmid:x"]);
    // h gets contrasts in x:h when x is an earlier term (R's rule), one column per level when not.
    expect(coefs("y ~ x + x:h")).toEqual(["x", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ w + x:h")).toEqual(["w", "x:hhi", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ (x + w + pos)^2")).toEqual(["x", "w", "pos", "x:w", "x:pos", "w:pos"]);
    expect(coefs("y ~ h / x")).toEqual(["hlo", "hmid", "hhi:x", "hlo:x", "hmid:x"]);
  });

  it("reads ^ as formula power and arithmetic inside functions, as R does", () => {
    expect(coefs("y ~ x + w^2")).toEqual(["x", "w"]);
    expect(coefs("y ~ log(w + 1) + I(x * w)")).toEqual(["logwP1", "IxMUw"]);
  });

  it("refuses with located messages", () => {
    expect(errorOf(brm("y ~ poly(f, 2)"), csv)).toMatch(/line 3[\s\S]*Column 'f' holds text/);
    expect(errorOf(brm("y ~ poly(cyl, 3)"), csv)).toMatch(/poly\(\): the degree \(3\) must be less than the number of distinct values \(3\)/);
    expect(errorOf(brm("y ~ x + (1 | g1/g2:h)"), csv)).toMatch(/no error/);
    expect(errorOf(brm("y ~ x + (1 | (g1 + g2))"), csv)).toMatch(/grouping factor '\(g1 \+ g2\)' is not supported/);
    expect(errorOf(brm("y ~ x + offset(f)"), csv)).toMatch(/Column 'f' holds text/);
    expect(errorOf(brm("y ~ x + (1 + x | g1) + offset(w)"), csv)).toMatch(/no error/);
  });
});
