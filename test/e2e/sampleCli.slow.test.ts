import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCmdStanCsv } from "../../src/runtime/io/readCmdStanCsv";
import { parseBrmsNamesJson } from "../../src/views/brmsNames";
import { ROOT, tempDir } from "../bundle/helpers";

const BIN = join(ROOT, "bin/stan2ts.js");
const SCHOOLS = join(ROOT, "fixtures/stan/good/eight_schools_noncentered.stan");
const SCHOOLS_DATA = join(ROOT, "fixtures/data/eight_schools_noncentered.data.json");

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: ROOT, timeout: 120_000 });
}

/** Like `cli` but without blocking this process's event loop (the test's HTTP server must answer). */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

/** The lecture-sim rows of the first `people` ids: small enough for a quick brms run. */
function lectureSubsample(people: number): string {
  const lines = readFileSync(join(ROOT, "fixtures/data/lecture-sim.csv"), "utf8").trim().split("\n");
  const ids = [...new Set(lines.slice(1).map((l) => Number(l.split(",")[0])))].sort((a, b) => a - b).slice(0, people);
  const keep = lines.slice(1).filter((l) => ids.includes(Number(l.split(",")[0])));
  const path = join(tempDir("lecture"), "sim.csv");
  writeFileSync(path, [lines[0], ...keep].join("\n") + "\n");
  return path;
}

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/schools.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(readFileSync(SCHOOLS_DATA));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("stan2ts sample", () => {
  it("samples a Stan program with data from a URL and writes CmdStan CSVs, the program and, with --json, JSON", async () => {
    const out = tempDir("sample-out");
    const r = await cliAsync(["sample", SCHOOLS, "--data", `${base}/schools.json`, "--chains", "2", "--warmup", "150", "--samples", "100", "--seed", "7", "--output-dir", out, "--json", "--quiet"]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Inference for Stan model: eight_schools_noncentered\n2 chains: each with iter=100; warmup=150; thin=1; 200 iterations saved\./);
    expect(r.stdout).toMatch(/^theta\[8\]\s/m);
    expect(r.stdout.endsWith(`eight_schools_noncentered_1.json …) in ${out}\n`)).toBe(true);
    expect(existsSync(join(out, "brms.json"))).toBe(false);
    for (const chain of [1, 2]) {
      const path = join(out, `eight_schools_noncentered_${chain}.csv`);
      const csv = readCmdStanCsv(readFileSync(path, "utf8"), path);
      expect(csv.columnNames).toEqual([
        "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "mu", "tau",
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((j) => `theta_tilde.${j}`), ...[1, 2, 3, 4, 5, 6, 7, 8].map((j) => `theta.${j}`),
      ]);
      expect(csv.rows).toHaveLength(100);
      expect(csv.config.seed).toBe("7");
      expect(csv.config.num_warmup).toBe("150");
    }
    expect(readFileSync(join(out, "eight_schools_noncentered.stan"), "utf8")).toBe(readFileSync(SCHOOLS, "utf8"));
    for (const chain of [1, 2]) {
      const json = JSON.parse(readFileSync(join(out, `eight_schools_noncentered_${chain}.json`), "utf8")) as { seed: number; chains: { chain: number; draws: number[][] }[] };
      expect(json.seed).toBe(7);
      expect(json.chains.map((c) => c.chain)).toEqual([chain]);
      expect(json.chains[0].draws).toHaveLength(100);
    }
  }, 120_000);

  it("samples fixtures/brms/m1.R on CSV data and prints brms's print(fit) layout with script settings overridden", () => {
    const data = lectureSubsample(5);
    const out = tempDir("brms-out");
    const r = cli(["sample", join(ROOT, "fixtures/brms/m1.R"), "--data", data, "--iter", "200", "--warmup", "100", "--chains", "2", "--seed", "3", "-q", "-o", out]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      " Family: gaussian ",
      "  Links: mu = identity; sigma = identity ",
      "Formula: N_A.std ~ 1 + day01 + (1 + day01 | record_id) ",
      expect.stringMatching(/^ {3}Data: d \(Number of observations: \d+\) $/),
      "  Draws: 2 chains, each with iter = 200; warmup = 100; thin = 1;",
      "         total post-warmup draws = 200",
    ]);
    expect(r.stdout).toContain("~record_id (Number of levels: 5) ");
    expect(r.stdout).toMatch(/^sd\(Intercept\)\s+-?\d+\.\d\d\s+\d+\.\d\d/m);
    expect(r.stdout).toMatch(/^cor\(Intercept,day01\)\s/m);
    expect(r.stdout).toMatch(/^Population-Level Effects: \n\s+Estimate Est\.Error l-95% CI u-95% CI Rhat Bulk_ESS Tail_ESS\nIntercept\s/m);
    expect(r.stdout).toMatch(/^day01\s+-?\d+\.\d\d/m);
    expect(r.stdout).toMatch(/^sigma\s+\d+\.\d\d/m);
    expect(r.stderr).toContain("ignores it");
    const names = parseBrmsNamesJson(readFileSync(join(out, "brms.json"), "utf8"), "brms.json")!;
    expect(names.names).toContainEqual({ stan: "b.1", brms: "b_day01" });
    expect(names.names).toContainEqual({ stan: "sd_1.1", brms: "sd_record_id__Intercept" });
    // Without --json: CSVs, the program and brms.json only.
    expect(readdirSync(out).sort()).toEqual(["brms.json", "m1.stan", "m1_1.csv", "m1_2.csv"]);
  }, 120_000);

  it("runs a CmdStan command line with rstan's --iter: the stansummary header counts as CmdStan does", () => {
    const out = tempDir("cmdstan-words");
    const r = cli(["sample", SCHOOLS, "data", `file=${SCHOOLS_DATA}`, "--iter", "300", "num_chains=2", "random", "seed=7", "output", `file=${join(out, "fit.csv")}`, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // --iter 300 = 150 warmup + 150 sampling iterations; CmdStan's header says iter=<num_samples>.
    expect(r.stdout).toMatch(/^2 chains: each with iter=150; warmup=150; thin=1; 300 iterations saved\.$/m);
    expect(readdirSync(out).sort()).toEqual(["eight_schools_noncentered.stan", "fit_1.csv", "fit_2.csv"]);
    const csv = readCmdStanCsv(readFileSync(join(out, "fit_2.csv"), "utf8"));
    expect([csv.config.num_samples, csv.config.num_warmup, csv.config.seed]).toEqual(["150", "150", "7"]);
    expect(r.stdout.endsWith(`eight_schools_noncentered.stan in ${out}\n`)).toBe(true);
  }, 120_000);

  it("keeps completed draws in the CSVs on Ctrl-C and says so", async () => {
    const out = tempDir("interrupt");
    const child = spawn(process.execPath, [BIN, "sample", SCHOOLS, "--data", SCHOOLS_DATA, "--chains", "2", "--warmup", "30", "--samples", "1000000", "--seed", "1", "-o", out, "-q"], { cwd: ROOT });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const csv = join(out, "eight_schools_noncentered_1.csv");
    const deadline = Date.now() + 90_000;
    const rowsSoFar = (path: string): number => {
      try {
        return existsSync(path) ? readCmdStanCsv(readFileSync(path, "utf8")).rows.length : 0;
      } catch {
        return 0; // caught mid-row; look again
      }
    };
    // both chains past warmup: on a loaded machine chain 2 can lag chain 1 by hundreds of draws
    const fewestRows = (): number => Math.min(rowsSoFar(csv), rowsSoFar(join(out, "eight_schools_noncentered_2.csv")));
    while (Date.now() < deadline && fewestRows() < 100) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Interrupted: post-warmup draws completed before the interrupt: chain 1: \d+, chain 2: \d+\. The summary uses the first \d+ of each chain .*; every completed draw is in the CSV files/m);
    expect(stdout).toMatch(/^Inference for Stan model: eight_schools_noncentered$/m);
    const kept = readCmdStanCsv(readFileSync(csv, "utf8"));
    expect(kept.rows.length).toBeGreaterThanOrEqual(100);
    const claimed = Number(/chain 1: (\d+)/.exec(stdout)![1]);
    expect(kept.rows.length).toBe(claimed);
  }, 120_000);

  it("reports bad data naming the field, row and column, exit 1, no stack trace", async () => {
    const dir = tempDir("bad");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, "eleven", 10, 18]}');
    const short = join(dir, "short.json");
    writeFileSync(short, '{"J": 8, "y": [28, 8, -3], "sigma": [15, 10, 16, 11, 9, 11, 10, 18]}');
    const csv = join(dir, "bad.csv");
    const rows = readFileSync(lectureSubsample(3), "utf8").split("\n");
    rows[5] = rows[5].replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, "$1oops");
    writeFileSync(csv, rows.join("\n"));
    // Independent runs: started together to keep the suite short.
    const [nonNumeric, wrongSize, badCsv] = await Promise.all([
      cliAsync(["sample", SCHOOLS, "--data", bad, "-q"]),
      cliAsync(["sample", SCHOOLS, "--data", short, "-q"]),
      cliAsync(["sample", join(ROOT, "fixtures/brms/m1.R"), "--data", csv, "-q"]),
    ]);
    for (const r of [nonNumeric, wrongSize, badCsv]) {
      expect(r.status).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(nonNumeric.stderr).toContain(`data field 'sigma', element 6 is the text "eleven", not a number.`);
    expect(wrongSize.stderr).toMatch(/\by\b/);
    expect(badCsv.stderr).toMatch(/N_A\.std/);
    expect(badCsv.stderr).toMatch(/row/);
  }, 120_000);
});
