/**
 * VarCorr() of ordinal fits with cs() group terms and hypothesis() on thresholds (`Intercept[1]`),
 * cs() slopes (class = "bcs") and mo() coefficients (class = "bsp") of real brms 2.18 fits, fed
 * brms's own draws. brms's answers were recorded from the stored draws (no refit) by
 * `Rscript fromDraws.R` in test/fixtures/brms-postfit: extra.R holds the calls brms answers and
 * extra.txt its printed answers; extra-errors.txt the calls it stops on, each with brms's message.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/common/diagnostics";
import { buildBrmsModel, buildFromScriptFile, loadScriptData, readBrmsScript } from "../../src/brms/index";
import { brmsDrawsCsv, postFitOnDraws } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit");
const folders = ["ordinal-coef/cratio-cs-group", "ordinal-coef/sratio-cs-slope", "ordinal-coef/cumulative-group", "mo-fit"];

/** extra-errors.txt: blocks of the call, brms's message (one or more lines) and a blank line. */
function recordedErrors(folder: string): { call: string; message: string }[] {
  const file = join(root, folder, "extra-errors.txt");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const [call, ...message] = block.split("\n");
      return { call, message: message.join("\n").trimEnd() };
    });
}

describe("VarCorr and hypothesis of real brms fits equal brms 2.18's on brms's draws (brms-postfit/fromDraws.R)", () => {
  it.each(folders)("%s: the calls brms answers print as brms's", async (folder) => {
    const build = await buildFromScriptFile(join(root, folder, "extra.R"));
    const draws = brmsDrawsCsv(readFileSync(join(root, folder, "draws.csv"), "utf8"));
    expect(postFitOnDraws(build, draws).text).toBe(readFileSync(join(root, folder, "extra.txt"), "utf8"));
  });

  it("records brms's refusals of hypotheses on cs() and mo() coefficients without their class", () => {
    expect(recordedErrors("ordinal-coef/sratio-cs-slope").map((e) => e.call)).toEqual(['hypothesis(fit, "x[1] > 0")', 'hypothesis(fit, "x > 0")']);
    expect(recordedErrors("mo-fit").map((e) => e.call)).toEqual(['hypothesis(fit, "moedu > 0")', 'hypothesis(fit, "moedu:z > 0")']);
  });

  it.each(folders.flatMap((folder) => recordedErrors(folder).map((e) => [folder, e.call, e.message] as const)))("%s: %s stops with brms's message", async (folder, call, message) => {
    const header = readFileSync(join(root, folder, "extra.R"), "utf8").split("\n");
    const source = [...header.slice(0, header.findIndex((line) => line.startsWith("fit <- brm")) + 1), call].join("\n") + "\n";
    const script = readBrmsScript(source, join(root, folder, "model.R"));
    const build = buildBrmsModel(script, await loadScriptData(script, { scriptDir: join(root, folder) }));
    const draws = brmsDrawsCsv(readFileSync(join(root, folder, "draws.csv"), "utf8"));
    let error: unknown;
    try {
      postFitOnDraws(build, draws);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).diagnostic.message).toBe(message);
    // the located message lists the class's names and points at brms's own class argument where it helps
    const notes = (error as CompileError).diagnostic.notes?.join("\n") ?? "";
    expect(notes).toMatch(/^hypothesis\(\) reads class b here; its names: Intercept/);
    expect(notes.includes('class = "b')).toBe(!call.includes("Intercept"));
  });
});
