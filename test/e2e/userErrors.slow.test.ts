/**
 * Issue #15, "errors classified once", through the CLI: every case here used to print "This is a
 * bug in stan2ts" (exit 70), spin forever, or pass silently. Each must now exit 1 with a message
 * naming the cause, never a stack trace or the bug banner.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCmdStanCsv } from "../../src/runtime/io/readCmdStanCsv";
import { ROOT, tempDir } from "../bundle/helpers";

const BIN = join(ROOT, "bin/stan2ts.js");
const SCHOOLS = join(ROOT, "fixtures/stan/good/eight_schools_noncentered.stan");
const SCHOOLS_DATA = join(ROOT, "fixtures/data/eight_schools_noncentered.data.json");
const SHORT = ["--chains", "2", "--warmup", "20", "--samples", "20", "--seed", "3", "-q"];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: options.env ?? process.env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 90_000);
  return new Promise((resolve) =>
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

function expectUserError(r: Run, ...fragments: (string | RegExp)[]): void {
  expect(r.stderr).not.toContain("This is a bug in stan2ts");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status).toBe(1);
  for (const f of fragments) (typeof f === "string" ? expect(r.stderr).toContain(f) : expect(r.stderr).toMatch(f));
}

let dir: string;
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

beforeAll(() => {
  dir = tempDir("user-errors");
  write("normal_data.stan", "data { real y; }\nparameters { real mu; }\nmodel { y ~ normal(mu, 1); }\n");
  write("nan.json", '{"y": "NaN"}');
  write("inf.json", '{"y": "Inf"}');
  write("deep.json", `{"y": 1, "unused": ${"[".repeat(3000)}${"]".repeat(3000)}}`);
  write("zero_scale.stan", "data { real s; }\nparameters { real mu; }\nmodel { mu ~ normal(0, s); }\n");
  write("zero.json", '{"s": 0}');
  write("reject_always.stan", 'parameters { real mu; }\nmodel { reject("mu is never acceptable: ", mu); }\n');
  write("nan_density.stan", "parameters { real mu; }\nmodel { target += not_a_number(); }\n");
  write("improper.stan", "parameters { real mu; }\nmodel { }\n");
  write("negative_td.stan", "transformed data { vector[-1] v; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n");
  write("negative_param.stan", "data { int N; }\nparameters { vector[N] mu; }\nmodel { mu ~ normal(0, 1); }\n");
  write("negative.json", '{"N": -2}');
  write("to_string.stan", "data { real toString; }\nparameters { real mu; }\nmodel { mu ~ normal(toString, 1); }\n");
  write("positive.stan", "parameters { real<lower=0> sigma; }\nmodel { sigma ~ normal(0, 1); }\n");
  write("bom.stan", "\uFEFFparameters { real<lower=0> sigma; }\nmodel { sigma ~ normal(0, 1); }\n");
  write("negative_init.json", '{"sigma": -1}');
  write("a_file", "not a folder");
  mkdirSync(join(dir, "csv_is_folder", "positive_1.csv"), { recursive: true });
});

describe("stan2ts sample: user mistakes are user errors", () => {
  it("initialisation failures keep Stan's texts, say how many attempts failed and why, exit 1", async () => {
    const [nan, inf, zero, rejected, nanDensity] = await Promise.all([
      cli(["sample", "normal_data.stan", "--data", "nan.json", ...SHORT]),
      cli(["sample", "normal_data.stan", "--data", "inf.json", ...SHORT]),
      cli(["sample", "zero_scale.stan", "--data", "zero.json", ...SHORT]),
      cli(["sample", "reject_always.stan", ...SHORT]),
      cli(["sample", "nan_density.stan", ...SHORT]),
    ]);
    const attempts = /Error: Chain \d: Initialization failed: all 100 attempts were rejected \(/;
    expectUserError(nan, attempts, "Random variable is nan, but must not be nan!", "Initialization between (-2, 2) failed after 100 attempts.");
    // normal_lpdf accepts an infinite variate (as Stan's does): the density is log(0).
    expectUserError(inf, attempts, "Log probability evaluates to log(0)");
    expectUserError(zero, attempts, "Scale parameter is 0, but must be positive!");
    expectUserError(rejected, attempts, "mu is never acceptable: ");
    expectUserError(nanDensity, attempts, "Log probability evaluates to log(0)");
  }, 180_000);

  it("an improper posterior, negative sizes, a missing field named toString, deep JSON: exit 1 naming the cause", async () => {
    const [improper, negativeTd, negativeParam, toString, deep] = await Promise.all([
      cli(["sample", "improper.stan", ...SHORT]),
      cli(["sample", "negative_td.stan", ...SHORT]),
      cli(["sample", "negative_param.stan", "--data", "negative.json", ...SHORT]),
      cli(["sample", "to_string.stan", ...SHORT]),
      cli(["sample", "normal_data.stan", "--data", "deep.json", ...SHORT]),
    ]);
    expectUserError(improper, "Posterior is improper. Please check your model.");
    expectUserError(negativeTd, "Found negative dimension size in variable declaration; variable=v; dimension size expression=-1; expression value=-1");
    expectUserError(negativeParam, "Found negative dimension size in variable declaration; variable=mu; dimension size expression=N; expression value=-2");
    expectUserError(toString, "data field 'toString' is missing");
    expect(toString.stderr).not.toContain("function");
    expectUserError(deep, "data field 'unused' nests arrays more than 100 levels deep");
  }, 180_000);

  it("--init with an invalid value: exit 1 naming the value", async () => {
    const [negative, word, huge, rejected] = await Promise.all([
      cli(["sample", "positive.stan", "--init", "-1", ...SHORT]),
      cli(["sample", "positive.stan", "--init", "abc", ...SHORT]),
      cli(["sample", "positive.stan", "--init", "1e400", ...SHORT]),
      cli(["sample", "positive.stan", "--init", "negative_init.json", ...SHORT]),
    ]);
    expectUserError(negative, "--init -1: an init radius must be a finite number, 0 or more");
    expectUserError(word, "--init 'abc' is neither an init radius");
    expectUserError(huge, "--init 1e400: an init radius must be a finite number");
    expectUserError(rejected, /Initialization failed: the initial values given were rejected/);
  }, 180_000);

  it("unusable output folders (a file, below a file, /proc/x for sample and compile, a folder where a CSV goes): exit 1 naming the path", async () => {
    const runs = await Promise.all([
      cli(["sample", "positive.stan", "-o", "a_file", ...SHORT]),
      cli(["sample", "positive.stan", "-o", "a_file/sub", ...SHORT]),
      cli(["sample", "positive.stan", "-o", "/proc/stan2ts-x", ...SHORT], { timeoutMs: 60_000 }),
      cli(["sample", "positive.stan", "-o", "csv_is_folder", ...SHORT]),
      cli(["compile", "positive.stan", "-o", "/proc/stan2ts-y"], { timeoutMs: 60_000 }),
    ]);
    const [file, belowFile, proc, csvFolder, compileProc] = runs;
    expectUserError(file, "cannot use 'a_file' as the output folder: it is a file.");
    expectUserError(belowFile, "cannot use 'a_file/sub' as the output folder:");
    if (existsSync("/proc/self")) {
      expectUserError(proc, "cannot create the output folder '/proc/stan2ts-x'");
      expectUserError(compileProc, "cannot create the output folder '/proc/stan2ts-y'");
    }
    expectUserError(csvFolder, "cannot write 'csv_is_folder/positive_1.csv': it is a folder (EISDIR).");
  }, 180_000);

  it("a Stan file starting with a BOM samples", async () => {
    const r = await cli(["sample", "bom.stan", ...SHORT]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Inference for Stan model: bom$/m);
  }, 120_000);

  it("reject() in generated quantities keeps the draw (parameters kept, the block's values NaN) and warns with the message", async () => {
    writeFileSync(
      join(dir, "gq_reject.stan"),
      'parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\ngenerated quantities {\n  real z = mu;\n  if (mu > 1) reject("mu too large: ", mu);\n}\n',
    );
    const out = join(dir, "gq_reject_out");
    const r = await cli(["sample", "gq_reject.stan", "--chains", "1", "--warmup", "100", "--samples", "200", "--seed", "3", "-q", "-o", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Warning: \d+ draws \(chain 1: \d+\) have NaN transformed parameters or generated quantities/);
    expect(r.stdout).toContain("mu too large: ");
    expect(r.stdout).toContain("(in 'gq_reject.stan', line 5, column 14)");
    const csv = readCmdStanCsv(readFileSync(join(out, "gq_reject_1.csv"), "utf8"));
    expect(csv.rows.length).toBe(200);
    const mu = csv.columnNames.indexOf("mu");
    const z = csv.columnNames.indexOf("z");
    const rejected = csv.rows.filter((row) => Number.isNaN(row[z]));
    expect(rejected.length).toBeGreaterThan(0);
    for (const row of rejected) expect(row[mu]).toBeGreaterThan(1);
    for (const row of csv.rows.filter((row) => !Number.isNaN(row[z]))) expect(row[z]).toBe(row[mu]);
  }, 120_000);

  it("SIGTERM stops like Ctrl-C: draws kept, summary printed, exit 0, temp folders removed", async () => {
    const out = join(dir, "sigterm");
    const tmp = tempDir("sigterm-tmp");
    // Eight schools, as the Ctrl-C test (the cheap-model case is the next test).
    const child = spawn(process.execPath, [BIN, "sample", SCHOOLS, "--data", SCHOOLS_DATA, "--chains", "2", "--warmup", "30", "--samples", "1000000", "--seed", "1", "-o", out, "-q"], {
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const rows = (chain: number): number => {
      try {
        const path = join(out, `eight_schools_noncentered_${chain}.csv`);
        return existsSync(path) ? readCmdStanCsv(readFileSync(path, "utf8")).rows.length : 0;
      } catch {
        return 0; // caught mid-row
      }
    };
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && Math.min(rows(1), rows(2)) < 50) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(tmp).some((name) => name.startsWith("stan2ts-sample-"))).toBe(true);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stderr).toContain("Terminated (SIGTERM): stopping each chain after its current iteration");
    expect(stdout).toMatch(/^Interrupted: post-warmup draws completed before the interrupt: chain 1: \d+, chain 2: \d+\./m);
    expect(stdout).toMatch(/^Inference for Stan model: eight_schools_noncentered$/m);
    const claimed = Number(/chain 1: (\d+)/.exec(stdout)![1]);
    expect(readCmdStanCsv(readFileSync(join(out, "eight_schools_noncentered_1.csv"), "utf8")).rows.length).toBe(claimed);
    expect(readdirSync(tmp).filter((name) => name.startsWith("stan2ts-"))).toEqual([]);
  }, 150_000);

  it("SIGTERM before sampling starts ends the run at the next step: exit 143, temp folder removed", async () => {
    const tmp = tempDir("sigterm-early");
    const child = spawn(process.execPath, [BIN, "sample", "positive.stan", "--samples", "100000000", "-q"], { cwd: dir, env: { ...process.env, TMPDIR: tmp } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !readdirSync(tmp).some((name) => name.startsWith("stan2ts-sample-"))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGTERM");
    const code = await exited;
    // On a fast machine compiling may be over before the signal lands: then it stops like Ctrl-C.
    if (stderr.includes("stopping before sampling starts")) expect(code).toBe(143);
    else expect(code).toBe(0);
    expect(stderr).toMatch(/Terminated \(SIGTERM\): stopping/);
    expect(readdirSync(tmp).filter((name) => name.startsWith("stan2ts-"))).toEqual([]);
  }, 120_000);

  it("a model cheaper per draw than writing its CSV rows still answers SIGTERM promptly (workers wait for the host)", async () => {
    const out = join(dir, "flood");
    const child = spawn(process.execPath, [BIN, "sample", "positive.stan", "--chains", "2", "--samples", "100000000", "--seed", "2", "-o", out, "-q"], { cwd: dir });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !existsSync(join(out, "positive_1.csv"))) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 3000)); // let the workers run well ahead
    child.kill("SIGTERM");
    const signalled = Date.now();
    // Before the workers waited for the host, the backlog of row messages kept its event loop
    // busy: no answer for minutes. Now the message comes at once (the summary then takes a while).
    while (Date.now() - signalled < 20_000 && !stderr.includes("Terminated (SIGTERM)")) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stderr).toContain("Terminated (SIGTERM): stopping each chain after its current iteration");
    expect(Date.now() - signalled).toBeLessThan(20_000);
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
  }, 180_000);
});
