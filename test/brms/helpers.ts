import { applyMutations, parseCsv } from "../../src/brms/dataFrame";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { buildBrmsModel, buildFromScriptFile, readBrmsScript, stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import type { ModelInstance } from "../../src/runtime/model";
import { loadCompiled } from "../models/gradientCheck";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";
import { parse } from "csv-parse/sync";
import { runPostFit, type FitDraws } from "../../src/brms/postFit/runPostFit";
import type { TopLevelSpec } from "../../src/views/renderVegaLite";

/** A small deterministic data set with the lecture's column shapes (8 groups × 6 days). */
export function smallCsv(): string {
  const lines = ["record_id,day,y,z,x,w,name"];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (const id of [3, 10, 7, 25, 1, 12, 8, 40]) {
    for (let day = 2; day <= 7; day++) {
      lines.push([id, day, (next() * 2).toFixed(4), (1 + next()).toFixed(4), next().toFixed(4), (next() * 3).toFixed(4), `p ${id % 3}`].join(","));
    }
  }
  return lines.join("\n") + "\n";
}

export function buildFrom(script: string, csv = smallCsv()): BrmsBuild {
  const parsed = readBrmsScript(script, "model.R");
  const frame = applyMutations(parseCsv(csv, "data.csv", { integerColumns: parsed.data.integerColumns }), parsed.data.mutations);
  return buildBrmsModel(parsed, frame);
}

/** The rendered error (or "no error") of building a script. */
export function errorOf(script: string, csv = smallCsv()): string {
  try {
    buildFrom(script, csv);
  } catch (err) {
    if (err instanceof CompileError) return renderDiagnostic(err.diagnostic, new Map([["model.R", script]]));
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
  return "no error";
}

export function brm(formula: string, extra = ""): string {
  return `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d, family = gaussian${extra})\n`;
}

/** The fixture folders below `root` (each with a model.R), and each one's build, made once. */
export function brmsFixtures(root: string): { names: string[]; build(fixture: string): Promise<BrmsBuild> } {
  const builds = new Map<string, Promise<BrmsBuild>>();
  return {
    names: readdirSync(root).filter((f) => existsSync(`${root}${f}/model.R`)).sort(),
    build(fixture) {
      if (!builds.has(fixture)) builds.set(fixture, buildFromScriptFile(`${root}${fixture}/model.R`));
      return builds.get(fixture)!;
    },
  };
}

/** Every number of a JSON value, depth first (R's scalars are length-1 arrays, matrices row-major). */
export function jsonNumbers(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(jsonNumbers);
  // Infinite values: jsonlite writes "Inf", Stan JSON "inf" (make_standata's Y where mi() imputes)
  if (typeof value === "string" && /^[+-]?inf$/i.test(value)) return [value.startsWith("-") ? -Infinity : Infinity];
  throw new Error(`unexpected JSON value ${JSON.stringify(value)}`);
}

/** A fixture's compiled program, instantiated on the fixture's Stan data. */
export async function fixtureInstance(b: BrmsBuild, fixture: string): Promise<ModelInstance> {
  const model = await loadCompiled(b.stanCode, `${fixture.replace(/[^a-z]/g, "_")}.stan`);
  return model.create(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>);
}

/**
 * The fixture point, as logprob.R chooses it: 0.1·sin(i); where the log density is not finite
 * there (an inverse link needs mu > 0), intercepts and scalars shifted by 1, slopes kept small.
 */
export function fixturePoint(instance: ModelInstance): Float64Array {
  const point = (shift: number) =>
    Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1) + (instance.unconstrainedNames[i].startsWith("b") ? 0 : shift));
  const inSupport = (theta: Float64Array) => {
    try {
      return Number.isFinite(instance.logDensity(theta));
    } catch {
      return false;
    }
  };
  return inSupport(point(0)) ? point(0) : point(1);
}

/** brms's draws as write.csv(as_draws_df(fit)) writes them: the variables, then .chain/.iteration/.draw. */
export function brmsDrawsCsv(text: string): FitDraws {
  const rows = parse(text) as string[][];
  const header = rows[0];
  const chainColumn = header.indexOf(".chain");
  const chains = Math.max(...rows.slice(1).map((r) => Number(r[chainColumn])));
  const cache = new Map<string, Float64Array[]>();
  return {
    variables: header.slice(0, chainColumn),
    drawsByChain(name) {
      const j = header.indexOf(name);
      if (!cache.has(name)) cache.set(name, Array.from({ length: chains }, (_, c) => Float64Array.from(rows.slice(1).filter((r) => Number(r[chainColumn]) === c + 1).map((r) => Number(r[j])))));
      return cache.get(name)!;
    },
  };
}

/** The script's calls after brm() run on `draws` (no print(fit)/prior_summary text, no files): what they print, and their plots by file name. */
export function postFitOnDraws(build: BrmsBuild, draws: FitDraws, seed = 14): { text: string; plots: Map<string, TopLevelSpec> } {
  const plots = new Map<string, TopLevelSpec>();
  const text = runPostFit(build.model.script.postFit, {
    draws,
    printFit: () => "",
    priorSummary: () => "",
    residualNames: new Map(),
    writeFile: () => undefined,
    model: build.model,
    seed,
    writePlot: (name, spec) => plots.set(name, spec),
  });
  return { text, plots };
}

/**
 * What stan2ts prints for loo(fit) from a recorded loo.txt (print(loo(fit)), then "# warnings:" and
 * the warnings R gave): the print, then brms's pareto_k warning as R shows it after "Warning message:"
 * (brms's text ends in a space of its own).
 */
export function recordedLooOutput(path: string): string {
  const [printed, warnings] = readFileSync(path, "utf8").split("# warnings:\n");
  const highK = warnings?.split("\n").find((w) => w.includes("pareto_k > 0.7"));
  return printed + (highK ? `Warning message:\n${highK}\n` : "");
}
