/**
 * conditional_effects() of real non-gaussian brms 2.18 fits, fed brms's own draws: a poisson model
 * with an interaction x * z and an offset (effects x, z and x:z at z's mean ± sd), and a cumulative
 * model with categorical = TRUE (each category's probability). Recorded by `Rscript ce-fits.R` in
 * test/fixtures/brms-postfit/ce-fits (one rstan compile per case).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { expectEffectRowsLikeBrms, type EffectRow } from "./conditionalEffectsRows";
import { buildFromScriptFile } from "../../src/brms/index";
import { brmsDrawsCsv, buildFrom, errorOf, postFitOnDraws } from "./helpers";
import { checkPostFitCalls } from "../../src/brms/postFit/runPostFit";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";

const root = join(__dirname, "../fixtures/brms-postfit/ce-fits");

const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.startsWith("ce_")).map((f) => [d.name, f.slice(3, -4)] as const));

describe("conditional_effects(fit) of non-gaussian fits equals brms 2.18's on brms's draws (ce-fits/ce-fits.R)", () => {
  it("has the recorded effects", () => {
    expect(cases.length).toBe(5);
  });

  it.each(cases)("%s, effect %s: grid, groups, median and 2.5%–97.5% quantiles", async (name, effect) => {
    const folder = join(root, name);
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { plots } = postFitOnDraws(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")), 1);
    const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: EffectRow[] } }).data.values;
    const expected = parse(readFileSync(join(folder, `ce_${effect}.csv`), "utf8"), { columns: true, trim: true }) as Record<string, string>[];
    expectEffectRowsLikeBrms(rows, expected);
  });
});

/**
 * conditional_effects(fit, effects = ) on one real gaussian fit (yr ~ x * g + z), recorded by
 * `R_MAKEVARS_USER=$PWD/../../../../.Makevars-fit nice -n 5 Rscript effects.R` in ce-fits: each call of
 * effects/model.R run alone on brms's draws gives brms's effects (ce<k>_<effect>.csv: a factor first
 * as written, a pair the model has no term for, an effect by position) and brms's warning or error
 * (messages.txt).
 */
describe("conditional_effects(fit, effects = ) equals brms 2.18's on brms's draws (ce-fits/effects.R)", () => {
  const folder = join(root, "effects");
  const sections = readFileSync(join(folder, "messages.txt"), "utf8")
    .split(/^## /m)
    .filter((s) => s !== "")
    .map((s) => {
      const [call, ...lines] = s.trimEnd().split("\n");
      return { call, lines };
    });

  it("has the recorded calls", () => {
    expect(sections.map((s) => s.call)).toHaveLength(5);
  });

  it("locates brms's errors at the effects argument before sampling, and refuses grouping variables and effects that are not names", () => {
    const source = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(y ~ x * z + (1 | record_id), data = d)\n${call}\n`;
    const refusal = (call: string) => {
      const build = buildFrom(source(call));
      try {
        checkPostFitCalls(build.model.script.postFit, build.model);
      } catch (err) {
        if (err instanceof CompileError) return renderDiagnostic(err.diagnostic, new Map([["model.R", source(call)]]));
        throw err;
      }
      return "no error";
    };
    expect(refusal('conditional_effects(fit, effects = "w")')).toMatch(/line 4, column 36 to column 39:[\s\S]*All specified effects are invalid for this model\.\nValid effects are \(combinations of\): 'x', 'z', 'record_id'/);
    expect(refusal('conditional_effects(fit, "z:x", categorical = FALSE)')).toBe("no error");
    expect(refusal('conditional_effects(fit, effects = "x:record_id")')).toMatch(/grouping variable 'record_id' is not supported by stan2ts/);
    expect(errorOf(source("conditional_effects(fit, effects = c(\"x\", 2))"))).toMatch(/line 4[\s\S]*effects = "x" or effects = c\("x", "x:z"\)/);
    expect(errorOf(source('conditional_effects(fit, effects = "x", spaghetti = TRUE)'))).toMatch(/takes the fitted model, effects =, categorical = and resp =/);
  });

  it.each(sections.map((s, k) => [k + 1, s.call] as const))("call %i: %s", async (k, call) => {
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const ceCall = build.model.script.postFit[k - 1];
    expect(ceCall.fn).toBe("conditional_effects");
    const only = { ...build, model: { ...build.model, script: { ...build.model.script, postFit: [ceCall] } } };
    const draws = brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8"));
    const { lines } = sections[k - 1];
    const error = lines.find((l) => l.startsWith("Error: "));
    if (error !== undefined) {
      // brms's message, located at the effects argument
      expect(() => postFitOnDraws(only, draws, 1)).toThrow(lines.join("\n").slice("Error: ".length));
      return;
    }
    const { text, plots } = postFitOnDraws(only, draws, 1);
    expect(text).toBe(lines.length === 0 ? "" : `Warning message:\n${lines.join("\n")} \n`);
    const recordedEffects = readdirSync(folder)
      .filter((f) => f.startsWith(`ce${k}_`))
      .map((f) => f.slice(`ce${k}_`.length, -4));
    expect([...plots.keys()].sort()).toEqual(recordedEffects.map((e) => `fit_conditional_effects_${e}.svg`).sort());
    for (const effect of recordedEffects) {
      const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: EffectRow[] } }).data.values;
      const expected = parse(readFileSync(join(folder, `ce${k}_${effect}.csv`), "utf8"), { columns: true, trim: true }) as Record<string, string>[];
      expectEffectRowsLikeBrms(rows, expected);
    }
  });
});
