/**
 * The calls a script makes after brm(): evaluation (which calls are accepted, located refusals)
 * and brms 2.18's printed output. The oracle is a real brms fit recorded by
 * `cd test/fixtures/brms-postfit && Rscript gen.R` (R 4, brms 2.18.0, rstan): its printed
 * fixef/ranef/coef/VarCorr/posterior_summary/hypothesis and its draws (as_draws_df.csv). Fed
 * brms's own draws, stan2ts's summaries and printing must reproduce brms's text byte for byte.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBrmsScript } from "../../src/brms/index";
import { formatDrawsCsv } from "../../src/brms/postFit/drawsCsv";
import { checkPostFitCalls, runPostFit, type FitDraws } from "../../src/brms/postFit/runPostFit";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";
import { hypothesisSummary, quantile7 } from "../../src/brms/postFit/summaries";
import { buildFrom, errorOf, brmsDrawsCsv } from "./helpers";

const dir = join(__dirname, "../fixtures/brms-postfit");
const fixture = (name: string) => readFileSync(join(dir, name), "utf8");

/** brms's draws from write.csv(as_draws_df(m)): variables, then .chain/.iteration/.draw. */
function brmsDraws(): FitDraws {
  return brmsDrawsCsv(fixture("as_draws_df.csv"));
}

const script = (calls: string) => `
d <- read_csv("d.csv")
cores = parallel::detectCores()
m <- brm(y ~ 1 + x + (1 + x | record_id), data = d, cores = cores)
${calls}
`;

function outputOf(calls: string, residualNames = new Map([["sigma", ""]])): string {
  const parsed = readBrmsScript(script(calls), "model.R");
  return runPostFit(parsed.postFit, {
    draws: brmsDraws(),
    printFit: () => "<print>\n",
    priorSummary: () => "<prior_summary>\n",
    residualNames,
    writeFile: () => undefined,
    model: undefined as never, // the summaries read only the draws
    seed: 1,
    writePlot: () => undefined,
  });
}

describe("post-fit calls print what brms 2.18 prints, given brms's draws", () => {
  it.each([
    ["fixef(m)", "fixef.txt"],
    ["ranef(m)", "ranef.txt"],
    ["coef(m)", "coef.txt"],
    ["VarCorr(m)", "VarCorr.txt"],
    ["posterior_summary(m)", "posterior_summary.txt"],
    ['hypothesis(m, "day01 > 0")', "hypothesis.txt"],
  ])("%s", (call, file) => {
    // The fixture's model calls its slope day01; the evaluator only needs a fit to attach to.
    expect(outputOf(call)).toBe(fixture(file));
  });

  it("print(m) and summary(m) print the fit's summary, in script order", () => {
    expect(outputOf("print(m)\nsummary(m)\nprior_summary(m)")).toBe("<print>\n<print>\n<prior_summary>\n");
  });

  it("type-7 quantiles as R computes them (quantile(c(1, 2, 4, 8), c(0.025, 0.975)) = 1.075, 7.7)", () => {
    expect(quantile7([8, 1, 4, 2], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantile7([8, 1, 4, 2], 0.975)).toBeCloseTo(7.7, 12);
  });

  it("a two-sided and a combined hypothesis follow brms's definitions", () => {
    const draws = brmsDraws();
    const pooled = (name: string) => Float64Array.from(draws.drawsByChain(name).flatMap((c) => [...c]));
    const text = outputOf('hypothesis(m, "Intercept + day01 = 0.1")');
    // "(Intercept+day01)-(0.1) = 0", shortened by brms's print to 20 characters plus the last 4.
    expect(text).toContain(" (Intercept+day01)... = 0 ");
    const contrast = pooled("b_Intercept").map((x, i) => x + pooled("b_day01")[i] - 0.1);
    const mean = contrast.reduce((a, b) => a + b, 0) / contrast.length;
    const row = text.split("\n")[2];
    expect(row).toContain(` ${mean.toFixed(2)} `);
    // no prior draws: brms prints NA evidence ratio and probability; the row is wider than 80
    // characters, so R prints Post.Prob and Star in a second block (as hypothesis-alpha.txt shows)
    expect(row).toMatch(/ NA$/);
    expect(text).toMatch(/\n {2}Post\.Prob Star\n1 +NA {5}\n---/);
  });

  it("as_draws_df written by write.csv() reproduces brms's file", () => {
    // R writes 15 significant digits; re-reading and writing them gives the same text.
    expect(formatDrawsCsv(brmsDraws(), "write.csv")).toBe(fixture("as_draws_df.csv"));
  });
});

describe("the evaluator accepts the calls after brm() and refuses others with located messages", () => {
  it("records the calls on the last fit, and detectCores() evaluates", () => {
    const parsed = readBrmsScript(script('fixef(m)\nwrite.csv(as_draws_df(m), "draws.csv", row.names = FALSE)'), "model.R");
    expect(parsed.postFit.map((c) => c.fn)).toEqual(["fixef", "as_draws_df"]);
    expect(parsed.postFit[1].file).toBe("draws.csv");
    expect(parsed.sampling.cores).toBeGreaterThanOrEqual(1);
  });

  it("records plot, pp_check, conditional_effects and loo once, however their results are printed or plotted", () => {
    const calls = 'plot(m, N = 2, ask = FALSE)\npp_check(m, ndraws = 20)\npp_check(m, "hist")\nplot(conditional_effects(m))\nl <- loo(m)\nprint(l)\nprint(loo(m))\nprint(m)';
    const parsed = readBrmsScript(script(calls), "model.R");
    expect(parsed.postFit.map((c) => c.fn)).toEqual(["plot", "pp_check", "pp_check", "conditional_effects", "loo", "loo", "print"]);
    expect(parsed.postFit[0].perPage).toBe(2);
    expect([parsed.postFit[1].ppcType, parsed.postFit[1].ndraws]).toEqual(["dens_overlay", 20]);
    expect([parsed.postFit[2].ppcType, parsed.postFit[2].ndraws]).toEqual(["hist", undefined]);
  });

  it.each([
    ["fitted(m)", /line 3, column 1[\s\S]*fitted\(\) is not supported by stan2ts yet[\s\S]*Remove the call/],
    ['pp_check(m, type = "ribbon")', /pp_check\(type = "ribbon"\) is not supported by stan2ts yet[\s\S]*"dens_overlay", "hist", "stat"/],
    ['plot(m, variable = "b_x")', /plot\(\) in stan2ts takes the fitted model and optionally N/],
    ["loo(m, moment_match = TRUE)", /loo\(\) in stan2ts takes the fitted model and resp =/],
    ["print(d)", /print\(\) in a model script takes a model fitted with brm\(\) or the result of loo/],
    ["fixef(d)", /fixef\(\) in a model script takes a model fitted with brm\(\); 'd' is not one/],
    ['hypothesis(m, "day01 > 0", scope = "fixef", group = "record_id")', /line 3, column 36 to column 43[\s\S]*\n'arg' should be one of \u201cstandard\u201d, \u201cranef\u201d, \u201ccoef\u201d/],
    ['hypothesis(m, "day01 > 0", scope = c("coef", "ranef"))', /\n'arg' must be of length 1/],
    ["ranef(m, summary = FALSE)", /line 3, column 10[\s\S]*ranef\(m, summary = FALSE\) returns the posterior draws, which stan2ts does not print[\s\S]*write\.csv\(as_draws_df\(m\)/],
    ['write.csv(d, "x.csv")', /writes only as_draws_df/],
  ])("%s", (call, message) => {
    const source = `d <- read_csv("data.csv")\nm <- brm(y ~ x + (1 | record_id), data = d)\n${call}\n`;
    expect(errorOf(source)).toMatch(message);
  });
});

/**
 * The summaries' arguments, against brms 2.18 on the same fit (its draws equal as_draws_df.csv):
 * `cd test/fixtures/brms-postfit/summary-args && Rscript gen-args.R` records each printed output
 * under the file name given here, and brms's and R's messages for bad values in messages.txt.
 */
describe("probs, robust and alpha print what brms 2.18 prints", () => {
  const recorded = (name: string) => fixture(join("summary-args", name));
  it.each([
    ["fixef(m, probs = c(0.05, 0.95))", "fixef-probs.txt"],
    ["fixef(m, robust = TRUE)", "fixef-robust.txt"],
    ["fixef(m, probs = c(0.1, 0.5, 0.9), robust = TRUE)", "fixef-three-probs-robust.txt"],
    ["ranef(m, probs = c(0.05, 0.95))", "ranef-probs.txt"],
    ["coef(m, robust = TRUE, probs = c(0.25, 0.75))", "coef-robust-probs.txt"],
    ["VarCorr(m, probs = c(0.05, 0.95), robust = TRUE)", "VarCorr-probs-robust.txt"],
    ["posterior_summary(m, probs = c(0.05, 0.5, 0.95))", "posterior_summary-probs.txt"],
    ["posterior_summary(m, robust = TRUE)", "posterior_summary-robust.txt"],
    ["posterior_summary(m, probs = 0.5)", "posterior_summary-one-prob.txt"],
    ['hypothesis(m, c("day01 > 0", "Intercept + day01 = 0.1"), alpha = 0.1)', "hypothesis-alpha.txt"],
    ['hypothesis(m, c("Intercept > 1", "Intercept - day01 = 0"), class = "sd", group = "record_id")', "hypothesis-class-sd.txt"],
    ['hypothesis(m, "sd_record_id__Intercept - sigma > 0.5", class = NULL)', "hypothesis-class-empty.txt"],
  ])("%s", (call, file) => {
    expect(outputOf(call)).toBe(recorded(file));
  });

  it("matches arguments as R does: by unique prefix and by position", () => {
    // fixef.brmsfit(object, summary, robust, probs, ...): `prob =` is probs, the third unnamed argument too
    expect(outputOf("fixef(m, prob = c(0.05, 0.95))")).toBe(recorded("fixef-probs.txt"));
    expect(outputOf("fixef(m, TRUE, FALSE, c(0.05, 0.95))")).toBe(recorded("fixef-probs.txt"));
    expect(outputOf("fixef(m, robust = 1)")).toBe(recorded("fixef-robust.txt"));
    // as brms printed them for these calls (fixef-prefix.txt, fixef-positional.txt, fixef-robust-1.txt)
    expect(recorded("fixef-prefix.txt")).toBe(recorded("fixef-probs.txt"));
    expect(recorded("fixef-positional.txt")).toBe(recorded("fixef-probs.txt"));
    expect(recorded("fixef-robust-1.txt")).toBe(recorded("fixef-robust.txt"));
  });

  /** gen-args.R records these and messages-scope.txt too. */
  it.each([
    ['hypothesis(m, "day01 > 0", scope = "coef", group = "record_id")', "hypothesis-scope-coef.txt"],
    ['hypothesis(m, c("Intercept > 0", "Intercept + day01 = 0"), scope = "ranef", group = "record_id", alpha = 0.1)', "hypothesis-scope-ranef.txt"],
    ['hypothesis(m, "day01 - Intercept < 0.5", scope = "co", group = "record_id", robust = TRUE)', "hypothesis-scope-robust.txt"],
    ['hypothesis(m, c("r_record_id[1,Intercept] > 0", "r_record_id[1,Intercept] - r_record_id[2,Intercept] = 0"), class = NULL)', "hypothesis-bracketed.txt"],
  ])("%s", (call, file) => {
    expect(outputOf(call)).toBe(recorded(file));
  });

  it("scope = \"coef\"/\"ranef\" stops as brms does for a missing group or an unknown term (messages-scope.txt)", () => {
    const messages = recorded("messages-scope.txt");
    expect(messages).toContain("scope coef no group: 'group' should be one of 'record_id'");
    expect(() => outputOf('hypothesis(m, "day01 > 0", scope = "coef")')).toThrow(/'group' should be one of 'record_id'/);
    expect(() => outputOf('hypothesis(m, "day01 > 0", scope = "coef", group = "person")')).toThrow(/'group' should be one of 'record_id'/);
    expect(messages).toContain("scope coef unknown name: Some parameters cannot be found in the model: \n'x'");
    expect(() => outputOf('hypothesis(m, "x > 0", scope = "coef", group = "record_id")')).toThrow(/Some parameters cannot be found in the model: \n'x'/);
    expect(messages).toContain("scope ranef b name: Some parameters cannot be found in the model: \n'b_day01'");
    expect(() => outputOf('hypothesis(m, "b_day01 > 0", scope = "ranef", group = "record_id")')).toThrow(/Some parameters cannot be found in the model: \n'b_day01'/);
    expect(messages).toContain("scope bad: 'arg' should be one of \u201cstandard\u201d, \u201cranef\u201d, \u201ccoef\u201d");
  });

  it("a group without a class looks for b_<group>__ names, as brms does (messages.txt)", () => {
    expect(() => outputOf('hypothesis(m, "day01 < 0", group = "record_id")')).toThrow(/Some parameters cannot be found in the model: \n'b_record_id__day01'/);
  });

  it("hypothesis(robust = TRUE) reports the median and MAD of the contrast", () => {
    expect(outputOf('hypothesis(m, "day01 > 0", robust = TRUE)')).toBe(recorded("hypothesis-robust.txt"));
    // brms's two digits hide the difference on this fit; the statistics themselves are R's median and mad
    const robust = hypothesisSummary("x", ">", Float64Array.from([1, 2, 4, 8, 100]), 0.05, true);
    // Rscript -e 'x <- c(1, 2, 4, 8, 100); print(c(median(x), mad(x)), digits = 15)' prints 4 4.4478
    expect(robust.estimate).toBe(4);
    expect(robust.estError).toBeCloseTo(4.4478, 12);
  });

  it.each([
    ["fixef(m, probs = c(-0.1, 0.5))", /line 3, column 18 to column 30[\s\S]*\n'probs' outside \[0,1\]/],
    ["coef(m, probs = 1.5)", /line 3, column 17[\s\S]*\n'probs' outside \[0,1\]/],
    ['fixef(m, robust = "yes")', /line 3, column 19[\s\S]*\nargument is not interpretable as logical/],
    ["ranef(m, robust = NA)", /\nmissing value where TRUE\/FALSE needed/],
    ["VarCorr(m, robust = c(TRUE, FALSE))", /\nthe condition has length > 1/],
    ['hypothesis(m, "day01 > 0", alpha = 1.5)', /line 3, column 36[\s\S]*\nArgument 'alpha' must be a single value in \[0,1\]\./],
    ['hypothesis(m, "day01 > 0", robust = "yes")', /\nCannot coerce 'robust' to a single logical value\./],
    ["fixef(m, foo = 1)", /line 3, column 10[\s\S]*Unknown argument 'foo' of fixef\(\)[\s\S]*brms would pass 'foo' on through '\.\.\.' and ignore it/],
    ['posterior_summary(m, variable = "b_x")', /The argument 'variable' of posterior_summary\(\) is not supported by stan2ts yet/],
    ['fixef(m, probs = "a")', /'probs' must be numbers/],
  ])("%s", (call, message) => {
    const source = `d <- read_csv("data.csv")\nm <- brm(y ~ x + (1 | record_id), data = d)\n${call}\n`;
    expect(errorOf(source)).toMatch(message);
  });
});

describe("resp = and the refusals that remain for multivariate models (brms 2.18's messages)", () => {
  const csv = readFileSync(join(__dirname, "../fixtures/brms-mv/data.csv"), "utf8");
  const mv = (formula: string, calls: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d)\n${calls}\n`;
  const mixed = "bf(yp ~ x, family = poisson()) + bf(yr ~ x) + set_rescor(FALSE)";
  const subset = "bf(yp | subset(s1) ~ x, family = poisson()) + bf(yr | subset(s2) ~ x) + set_rescor(FALSE)";
  /** The located error checkPostFitCalls gives before sampling, or "no error". */
  function refusal(source: string): string {
    const build = buildFrom(source, csv);
    try {
      checkPostFitCalls(build.model.script.postFit, build.model);
    } catch (err) {
      if (err instanceof CompileError) return renderDiagnostic(err.diagnostic, new Map([["model.R", source]]));
      throw err;
    }
    return "no error";
  }

  it("records resp = on pp_check, loo and conditional_effects", () => {
    const parsed = readBrmsScript(mv(mixed, 'pp_check(fit, resp = "yp")\nloo(fit, resp = "yr")\nconditional_effects(fit, resp = "yr")'), "model.R");
    expect(parsed.postFit.map((c) => [c.fn, c.resp])).toEqual([
      ["pp_check", "yp"],
      ["loo", "yr"],
      ["conditional_effects", "yr"],
    ]);
    expect(errorOf(mv(mixed, "pp_check(fit, resp = 3)"), csv)).toMatch(/line 4, column 22[\s\S]*Argument 'resp' must be a response name in quotes/);
  });

  it("pp_check of a multivariate model needs one response, as brms says; a name that is no response gets brms's list", () => {
    expect(refusal(mv(mixed, "pp_check(fit)"))).toMatch(/line 4, column 1 to column 14:[\s\S]*\nArgument 'resp' must be a single variable name when applying this method to a multivariate model\.\n {2}pp_check\(\) of a multivariate model shows one response: pp_check\(fit, resp = "yp"\)/);
    expect(refusal(mv(mixed, 'loo(fit, resp = "y3")'))).toMatch(/line 4, column 17 to column 21:[\s\S]*\nInvalid argument 'resp'\. Valid response variables are: 'yp', 'yr'/);
    expect(refusal(mv(mixed, 'pp_check(fit, resp = "yr")\nloo(fit)\nconditional_effects(fit)'))).toBe("no error");
  });

  it("loo of responses observed on different rows (subset()) is refused with its cause; one response's loo runs", () => {
    expect(refusal(mv(subset, "loo(fit)"))).toMatch(/loo\(fit\) is not supported by stan2ts for this model: its responses are observed on different rows \(subset\(\)\)[\s\S]*loo\(fit, resp = "yp"\)/);
    expect(refusal(mv(subset, 'loo(fit, resp = "yr")\npp_check(fit, resp = "yp")'))).toBe("no error");
  });

  it("takes student rescor; refuses group-level cs() beside another ordinal response, where brms 2.18's predictions stop", () => {
    expect(refusal(mv("bf(yr ~ x) + bf(yr2 ~ x) + set_rescor(TRUE), family = student()", 'loo(fit)\nloo(fit, resp = "yr")\npp_check(fit, resp = "yr2")\nconditional_effects(fit)'))).toBe("no error");
    // one ordinal response with (cs(1) | g): brms's prepare_predictions_re finds its `nthres_yo` by the partial name
    // `nthres` (more-fits/mv-cs-group); with a second ordinal response the name matches both and is NULL:
    // Rscript -e 's <- make_standata(bf(yo ~ x, family = cumulative()) + bf(yo2 ~ z + (cs(1) | g), family = acat()) + set_rescor(FALSE), data = d); print(s$nthres)' prints NULL
    const two = "bf(yo ~ x, family = cumulative()) + bf(yo2 ~ z + (cs(1) | g), family = acat()) + set_rescor(FALSE)";
    expect(refusal(mv(two, "loo(fit)"))).toMatch(/loo\(fit\) is not supported by stan2ts for this model: brms 2\.18's predictions of the group-level cs\(\) effects of yo2 read the thresholds' count by a partial name \('nthres'\)/);
    expect(refusal(mv("bf(yo ~ x + (cs(1) | g), family = acat()) + bf(yr ~ x) + set_rescor(FALSE)", 'loo(fit)\npp_check(fit, resp = "yo")'))).toBe("no error");
  });
});
