/**
 * bayes_R2(fit) and waic(fit) of real brms 2.18 fits (gaussian, poisson, bernoulli, cumulative, multivariate),
 * fed brms's own draws. Each folder of test/fixtures/brms-postfit/r2-waic holds the
 * script (model.R: the brm() call, then the calls), the fit's draws (as_draws_df) and output.txt —
 * each call printed as R prints it, then the warnings R gave — recorded by `Rscript fits.R` there
 * (brms 2.18, loo 2.5.1).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile } from "../../src/brms/index";
import { checkPostFitCalls } from "../../src/brms/postFit/runPostFit";
import { bayesR2Draws } from "../../src/brms/postFit/summaries";
import { brmsDrawsCsv, buildFrom, errorOf, postFitOnDraws } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit/r2-waic");
const recorded = readdirSync(root).filter((name) => existsSync(join(root, name, "output.txt")));

/**
 * What stan2ts prints for the script: R's printed output with each warning placed after the call
 * that gave it, as an R session shows it ("Warning message:" and the text).
 */
function expectedOutput(folder: string): string {
  const [printed, warningText] = readFileSync(join(folder, "output.txt"), "utf8").split("# warnings:\n");
  // a warning message may start with a newline (loo's p_waic one): split on the known texts
  const warnings = warningText === undefined ? [] : warningText.replace(/\n$/, "").split(/\n(?=\n\d+ \(|Predictions are treated)/);
  const lines = printed.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let inR2Table = false;
  for (const line of lines) {
    out.push(line);
    const r2Row = /^R2\S* /.test(line);
    if (line.includes("p_waic estimates greater than 0.4")) out.push(`Warning message:\n${warnings.shift()}`);
    // brms's ordinal bayes_R2 warning follows its table
    if (inR2Table && !r2Row && warnings[0]?.startsWith("Predictions")) out.splice(out.length - 1, 0, `Warning message:\n${warnings.shift()}`);
    inR2Table = r2Row;
  }
  if (inR2Table && warnings[0]?.startsWith("Predictions")) out.push(`Warning message:\n${warnings.shift()}`);
  expect(warnings).toEqual([]);
  return `${out.join("\n")}\n`;
}

describe("bayes_R2(fit) and waic(fit) print what brms 2.18 prints, on brms's own draws (r2-waic/fits.R)", () => {
  it("has the recorded fits", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(5);
  });

  it.each(recorded)("%s: every call byte for byte, with R's warnings after the call that gave them", async (name) => {
    const folder = join(root, name);
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { text } = postFitOnDraws(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")), 1);
    expect(text).toBe(expectedOutput(folder));
  });

  it("computes var(ŷ) / (var(ŷ) + var(y − ŷ)) per draw", () => {
    // Rscript -e 'y <- c(1, 2, 4, 7); p <- c(1.5, 2, 3, 5); print(var(p) / (var(p) + var(y - p)), digits = 16)' prints 0.6609195402298851
    const r2 = bayesR2Draws([1, 2, 4, 7], [Float64Array.of(1.5), Float64Array.of(2), Float64Array.of(3), Float64Array.of(5)]);
    expect(r2[0]).toBeCloseTo(0.6609195402298851, 15);
  });
});

describe("bayes_R2() and waic() arguments and refusals", () => {
  const csv = readFileSync(join(root, "../../brms-families/data.csv"), "utf8");
  const script = (fit: string, calls: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${fit}, data = d)\n${calls}\n`;

  it("records resp by name or position, and probs/robust/summary as fixef() does", () => {
    const build = buildFrom(script("bf(yr ~ x) + bf(yp ~ x, family = poisson()) + set_rescor(FALSE)", 'bayes_R2(fit, "yp", probs = c(0.1, 0.9))\nw <- waic(fit, resp = "yr")\nprint(w)'), csv);
    const [r2, waic] = build.model.script.postFit;
    expect([r2.fn, r2.resp, r2.summary?.probs]).toEqual(["bayes_R2", "yp", [0.1, 0.9]]);
    expect([waic.fn, waic.resp]).toEqual(["waic", "yr"]);
    expect(build.model.script.postFit).toHaveLength(2);
  });

  it.each([
    ["bayes_R2(fit, summary = FALSE)", /bayes_R2\(fit, summary = FALSE\) returns the posterior draws/],
    ["bayes_R2(fit, newdata = d)", /Unknown argument 'newdata' of bayes_R2\(\)/],
    ["waic(fit, pointwise = TRUE)", /waic\(\) in stan2ts takes the fitted model and resp =/],
  ])("%s", (call, message) => {
    expect(errorOf(script("yr ~ x", call), csv)).toMatch(message);
  });

  it("refuses bayes_R2 of a categorical model with brms's cause, before sampling", () => {
    const build = buildFrom(script("yk ~ x, family = categorical()", "bayes_R2(fit)"), csv);
    expect(() => checkPostFitCalls(build.model.script.postFit, build.model)).toThrow(/'bayes_R2' is not defined for unordered categorical models \(categorical\)/);
  });
});
