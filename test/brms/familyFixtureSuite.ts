/**
 * The checks every brms fixture folder gets (families, addition terms, formula terms, ordinal and
 * categorical families), registered as vitest suites: brms 2.18's Stan program and Stan data
 * (make_stancode / make_standata, recorded by `Rscript ../brms-families/gen.R` in the folder),
 * compilation with a gradient matching finite differences, rstan's log_prob where `logprob.json` is
 * recorded, and brms's variables(fit), prior_summary(fit) and print(fit) from the mock fit of
 * `Rscript ../brms-families/logprob.R <folder>` where those files are recorded.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import { compileStan } from "../../src/driver/compile";
import { parseStan } from "../../src/parse/parseStan";
import { coordinateCheck } from "../models/gradientCheck";
import { brmsFixtures, fixtureInstance, fixturePoint, jsonNumbers } from "./helpers";

export interface FixtureSuiteOptions {
  /** Only the fixture folders this accepts (default: every folder with a model.R). */
  readonly select?: (fixture: string) => boolean;
  /** The folder holds at least this many fixtures. */
  readonly minFixtures?: number;
  /** Fixtures whose program stan2ts cannot compile yet, with the message it gives. */
  readonly notCompiling?: { readonly fixtures: readonly string[]; readonly message: RegExp; readonly reason: string };
  /** At least this many folders have rstan's log_prob. */
  readonly rstanRecorded: number;
  /** At least this many folders have the mock outputs (default: rstanRecorded). */
  readonly mockRecorded?: number;
  /**
   * Relative tolerance for the Stan data: make_standata's JSON keeps 15 significant digits, so
   * values brms computes (scaled weights, scale(), poly()) agree to about that. Default: exact.
   */
  readonly dataTolerance?: number;
  /**
   * Check the gradient at logprob.R's shifted point where the log density is not finite at
   * 0.1·sin(i) (an inverse link needs mu > 0); without it that point must be in the support.
   */
  readonly shiftOutOfSupport?: boolean;
  /**
   * Fixtures where rstan's gradient itself is approximate, with the tolerance held against it; there
   * stan2ts's gradient must also match a Richardson-extrapolated central difference to 1e-9.
   */
  readonly approximateRstanGradient?: Readonly<Record<string, number>>;
  /**
   * prior_summary.txt was printed at width 80, where R wraps the last column into a second block
   * of lines: compare each row's cells (lecture.test.ts checks the layout).
   */
  readonly priorSummaryWrapped?: boolean;
  /**
   * Fixtures whose log density is ill-conditioned at the test points (an exact GP's Cholesky factor
   * of a covariance with condition number ~1e13): rounding limits the agreement with rstan and with
   * finite differences to these relative tolerances instead of 1e-10 / 1e-8 / 1e-5.
   */
  readonly illConditioned?: Readonly<Record<string, { readonly logDensity: number; readonly gradient: number; readonly finiteDifference: number }>>;
}

const RUN = { chains: 2, iter: 200, warmup: 100, thin: 1 };

export function describeFamilyFixtures(title: string, root: string, options: FixtureSuiteOptions): { names: string[]; build(fixture: string): Promise<BrmsBuild> } {
  const fixtures = brmsFixtures(root);
  const names = options.select ? fixtures.names.filter(options.select) : fixtures.names;
  const build = fixtures.build;
  const notCompiling = options.notCompiling?.fixtures ?? [];
  const compiling = names.filter((f) => !notCompiling.includes(f));
  const read = (fixture: string, file: string) => readFileSync(`${root}${fixture}/${file}`, "utf8");
  const modelOf = async (fixture: string) => fixtureInstance(await build(fixture), fixture);
  const dataTolerance = options.dataTolerance ?? 0;
  const approximate = options.approximateRstanGradient ?? {};

  describe(`${title}: Stan program and data equal brms 2.18's`, () => {
    if (options.minFixtures !== undefined) {
      const minFixtures = options.minFixtures;
      it("has the fixtures", () => {
        expect(names.length).toBeGreaterThanOrEqual(minFixtures);
      });
    }

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
          const expected = jsonNumbers(theirs[name]);
          const actual = jsonNumbers(value);
          if (dataTolerance === 0) expect(actual, name).toEqual(expected);
          else {
            expect(actual.length, name).toBe(expected.length);
            actual.forEach((x, i) => expect(Math.abs(x - expected[i]), `${name}[${i}]: ${x} vs ${expected[i]}`).toBeLessThanOrEqual(dataTolerance * Math.max(1, Math.abs(expected[i]))));
          }
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
      const theta = options.shiftOutOfSupport ? fixturePoint(instance) : Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1));
      expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
      const check = coordinateCheck(instance, theta);
      expect(check.worst, check.where).toBeLessThan(options.illConditioned?.[fixture]?.finiteDifference ?? 1e-5);
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
      const theta = Float64Array.from(oracle.upars);
      const g = new Float64Array(instance.dim);
      const lp = instance.logDensityGradient(theta, g);
      const conditioning = options.illConditioned?.[fixture];
      expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(conditioning?.logDensity ?? 1e-10);
      const tolerance = approximate[fixture] ?? conditioning?.gradient ?? 1e-8;
      oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(tolerance));
      if (approximate[fixture] !== undefined) {
        g.forEach((derived, i) => {
          const at = (h: number) => {
            const t = Float64Array.from(theta);
            t[i] += h;
            return instance.logDensity(t);
          };
          const central = (h: number) => (at(h) - at(-h)) / (2 * h);
          const richardson = (4 * central(1e-4) - central(2e-4)) / 3;
          expect(Math.abs(derived - richardson) / Math.max(1, Math.abs(richardson)), `coordinate ${i}`).toBeLessThan(1e-9);
        });
      }
    });
  });

  describe(`${title}: output names, prior_summary and print(fit) from brms's mock fit`, () => {
    const mocked = names.filter((f) => existsSync(`${root}${f}/variables.txt`));

    it("has mock oracles", () => {
      expect(mocked.length).toBeGreaterThanOrEqual(options.mockRecorded ?? options.rstanRecorded);
    });

    it.each(mocked)("%s: variables(fit), prior_summary(fit) and the print header", async (fixture) => {
      const b = await build(fixture);
      const theirNames = read(fixture, "variables.txt").replace(/\n$/, "").split("\n");
      expect(b.outputNames.map((n) => n.brms)).toEqual(theirNames);
      if (options.priorSummaryWrapped) {
        const theirs = read(fixture, "prior_summary.txt").replace(/\n$/, "").split("\n");
        const ours = b.priorSummary().replace(/\n$/, "").split("\n");
        const cells = (line: string) => line.trim().split(/\s+/).join(" ");
        const unwrapped = theirs.length === 2 * ours.length ? ours.map((_, i) => `${theirs[i]} ${theirs[i + ours.length]}`) : theirs;
        expect(ours.map(cells)).toEqual(unwrapped.map(cells));
      } else {
        expect(b.priorSummary()).toBe(read(fixture, "prior_summary.txt"));
      }
      // Up to the Draws line; logprob.R's do.call shows the deparsed data frame on the Data line,
      // so there only the number of observations is compared.
      const header = (text: string) => text.split("\n").slice(0, text.split("\n").findIndex((l) => l.startsWith("  Draws:")));
      const ours = header(b.printFit(new Map(), RUN));
      const theirs = header(read(fixture, "print.txt"));
      const notData = (lines: string[]) => lines.filter((l) => !l.startsWith("   Data: "));
      expect(notData(ours)).toEqual(notData(theirs));
      const observations = (lines: string[]) => lines.find((l) => l.startsWith("   Data: "))?.match(/\(Number of observations: \d+\) $/)?.[0];
      expect(observations(ours)).toBeDefined();
      expect(observations(ours)).toBe(observations(theirs));
      const dataName = read(fixture, "model.R").match(/\bdata = (\w+)/)?.[1];
      expect(ours.find((l) => l.startsWith("   Data: ")), "our Data line names model.R's data frame").toBe(`   Data: ${dataName} ${observations(theirs)}`);
    });

    it.each(mocked)("%s: print(fit) has brms's sections and row labels", async (fixture) => {
      const b = await build(fixture);
      expect(printSkeleton(b.printFit(new Map(), RUN))).toEqual(printSkeleton(read(fixture, "print.txt")));
    });
  });

  return fixtures;
}

/** print(fit)'s section titles and row labels: a mock fit's numbers are random, ours NA without draws. */
export function printSkeleton(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => /^\S+ +(-?\d|NA)/.test(l) || /^[A-Z][A-Za-z-]+ [A-Za-z-]+.*: $/.test(l) || l.startsWith("~"))
    .map((l) => (/^\S+ +(-?\d|NA)/.test(l) ? l.split(/ +/)[0] : l));
}
