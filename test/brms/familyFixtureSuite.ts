/**
 * The checks every brms family fixture folder gets, registered as vitest suites: brms 2.18's Stan
 * program and Stan data (make_stancode / make_standata, recorded by `Rscript ../brms-families/gen.R`
 * in the folder), compilation with a gradient matching finite differences, rstan's log_prob where
 * `logprob.json` is recorded, and brms's variables(fit), prior_summary(fit) and print(fit) from the
 * mock fit of `Rscript ../brms-families/logprob.R <folder>` where those files are recorded.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import { compileStan } from "../../src/driver/compile";
import { parseStan } from "../../src/parse/parseStan";
import { coordinateCheck } from "../models/gradientCheck";
import { brmsFixtures, fixtureInstance, jsonNumbers } from "./helpers";

export interface FixtureSuiteOptions {
  /** Fixtures whose program stan2ts cannot compile yet, with the message it gives. */
  readonly notCompiling?: { readonly fixtures: readonly string[]; readonly message: RegExp; readonly reason: string };
  /** At least this many folders have rstan's log_prob and the mock outputs. */
  readonly rstanRecorded: number;
}

const RUN = { chains: 2, iter: 200, warmup: 100, thin: 1 };

export function describeFamilyFixtures(title: string, root: string, options: FixtureSuiteOptions): { names: string[]; build(fixture: string): Promise<BrmsBuild> } {
  const fixtures = brmsFixtures(root);
  const names = fixtures.names;
  const build = fixtures.build;
  const notCompiling = options.notCompiling?.fixtures ?? [];
  const compiling = names.filter((f) => !notCompiling.includes(f));
  const read = (fixture: string, file: string) => readFileSync(`${root}${fixture}/${file}`, "utf8");
  const modelOf = async (fixture: string) => fixtureInstance(await build(fixture), fixture);

  describe(`${title}: Stan program and data equal brms 2.18's`, () => {
    describe.each(names)("%s", (fixture) => {
      it("emits brms's Stan program (same tree)", async () => {
        const b = await build(fixture);
        const reference = parseStan(read(fixture, "stancode.stan"), `${fixture}.stan`).program;
        expect(printProgram(b.program)).toBe(printProgram(reference));
        expect(printProgram(parseStan(b.stanCode, `${fixture}.stan`).program)).toBe(printProgram(b.program));
      });

      it("builds brms's Stan data", async () => {
        const b = await build(fixture);
        const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>;
        const theirs = JSON.parse(read(fixture, "standata.json")) as Record<string, unknown>;
        for (const [name, value] of Object.entries(ours)) {
          expect(theirs, `make_standata has ${name}`).toHaveProperty(name);
          expect(jsonNumbers(value), name).toEqual(jsonNumbers(theirs[name]));
        }
        // Everything brms's program reads is there.
        const reference = parseStan(read(fixture, "stancode.stan"), `${fixture}.stan`).program;
        for (const stmt of reference.data?.stmts ?? []) {
          if (stmt.kind === "VarDecl") expect(ours, `data ${stmt.name}`).toHaveProperty(stmt.name);
        }
      });
    });
  });

  describe(`${title}: the compiled program`, () => {
    const rstan = compiling.filter((f) => existsSync(`${root}${f}/logprob.json`));

    it.each(compiling)("%s compiles; its gradient matches finite differences", async (fixture) => {
      const instance = await modelOf(fixture);
      const theta = Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1));
      expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
      const check = coordinateCheck(instance, theta);
      expect(check.worst, check.where).toBeLessThan(1e-5);
    });

    if (options.notCompiling) {
      const { message, reason } = options.notCompiling;
      it.each(notCompiling)(`%s does not compile yet: ${reason}`, async (fixture) => {
        const b = await build(fixture);
        await expect(compileStan(b.stanCode, `${fixture}.stan`, {})).rejects.toThrow(message);
      });
    }

    it("has rstan oracles", () => {
      expect(rstan.length).toBeGreaterThanOrEqual(options.rstanRecorded);
    });

    it.each(rstan)("%s: log density and gradient equal rstan's log_prob", async (fixture) => {
      const oracle = JSON.parse(read(fixture, "logprob.json")) as { upars: number[]; log_prob: number; gradient: number[] };
      const instance = await modelOf(fixture);
      expect(instance.dim).toBe(oracle.upars.length);
      const g = new Float64Array(instance.dim);
      const lp = instance.logDensityGradient(Float64Array.from(oracle.upars), g);
      expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-10);
      oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(1e-8));
    });
  });

  describe(`${title}: output names, prior_summary and print(fit) from brms's mock fit`, () => {
    const mocked = names.filter((f) => existsSync(`${root}${f}/variables.txt`));

    it("has mock oracles", () => {
      expect(mocked.length).toBeGreaterThanOrEqual(options.rstanRecorded);
    });

    it.each(mocked)("%s: variables(fit), prior_summary(fit) and the print header", async (fixture) => {
      const b = await build(fixture);
      expect(b.outputNames.map((n) => n.brms).join("\n") + "\n").toBe(read(fixture, "variables.txt"));
      expect(b.priorSummary()).toBe(read(fixture, "prior_summary.txt"));
      // Up to the Draws line; logprob.R's do.call shows the deparsed data frame on the Data line.
      const header = (text: string) => text.split("\n").slice(0, text.split("\n").findIndex((l) => l.startsWith("  Draws:")));
      const notData = (lines: string[]) => lines.filter((l) => !l.startsWith("   Data: "));
      expect(notData(header(b.printFit(new Map(), RUN)))).toEqual(notData(header(read(fixture, "print.txt"))));
    });

    it.each(mocked)("%s: print(fit) has brms's sections and row labels", async (fixture) => {
      const b = await build(fixture);
      // Section titles and row labels (the mock's numbers are random; ours are NA without draws).
      const skeleton = (text: string) =>
        text
          .split("\n")
          .filter((l) => /^\S+ +(-?\d|NA)/.test(l) || /^[A-Z][A-Za-z-]+ [A-Za-z-]+.*: $/.test(l) || l.startsWith("~"))
          .map((l) => (/^\S+ +(-?\d|NA)/.test(l) ? l.split(/ +/)[0] : l));
      expect(skeleton(b.printFit(new Map(), RUN))).toEqual(skeleton(read(fixture, "print.txt")));
    });
  });

  return fixtures;
}
