/**
 * Compile time against program size (issue #17: compile time linear in program size), printed in
 * `npm run bench`'s compile section and runnable alone:
 *
 *   node --import tsx bench/compileScaling.ts [--quick]
 *
 * 1. Cold CLI, the compiled JavaScript in dist/ as an installed package runs it (built first
 *    with `npm run build`, a no-op when current), in a fresh process each: `stan2ts --version`
 *    (start-up: Node and the CLI's own modules), m1's
 *    `stan2ts compile fixtures/stan/good/m1.stan -o <tmp>` (module loading, parse → bundle) and
 *    the same for 200 nested `log1p` calls (parsed on the large-stack thread, started cold),
 *    best of several runs, wall and CPU seconds (CPU: the process's and esbuild's).
 * 2. Generated programs of 10 (×1), 100 (×10) and 1,000 (×100) statements
 *    (bench/compilePrograms.ts `scalingProgram`) and 200 nested `log1p` calls on a parameter,
 *    each compiled in this process from file to bundle (`compileModelFile`, after a warm-up
 *    compile), best of several runs: wall and CPU ms, Stan → TypeScript and bundling apart, and
 *    CPU µs per added statement, which stays about constant when compile time is linear.
 *
 * 3. The largest program stan2ts accepts (`MAX_PROGRAM_CHARS`, 1,000,000 characters: the
 *    `scalingProgram` of 36,040 statements), `stan2ts compile` from dist/ in a fresh process, once:
 *    wall and CPU seconds and peak memory (GNU time's maximum resident set size). Issue #15:
 *    well under 30 s and 2 GB.
 *
 * Best of several runs, because other work on a shared machine only ever adds time.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileModelFile } from "../src/driver/compile";
import { MAX_PROGRAM_CHARS } from "../src/parse/parseStan";
import { STATEMENTS_PER_UNIT, largestScalingProgram, nestedCallsProgram, scalingProgram } from "./compilePrograms";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** dist/ current, so bin/stan2ts.js runs the compiled CLI (it runs the sources while dist/ is stale). */
function buildCli(): void {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}

/**
 * One CLI run (`stan2ts <args>`) in a new process under GNU time: wall and CPU (user + sys,
 * children included) seconds and the peak resident memory of the largest process in MB
 * (undefined where /usr/bin/time is missing).
 */
function cliWithMemory(args: string): { wall: number; cpu: number; peakMb?: number } {
  if (!existsSync("/usr/bin/time")) return coldCli(args);
  const r = spawnSync("bash", ["-c", `/usr/bin/time -f '%e %U %S %M' node bin/stan2ts.js ${args} > /dev/null`], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`stan2ts ${args} failed:\n${r.stderr}`);
  const [wall, user, sys, kb] = r.stderr.trim().split("\n").at(-1)!.split(/\s+/).map(Number);
  return { wall, cpu: user + sys, peakMb: kb / 1024 };
}

/** One cold CLI run (`stan2ts <args>`) in a new process: wall and CPU (user + sys, children included) seconds. */
function coldCli(args: string): { wall: number; cpu: number } {
  const command = `TIMEFORMAT='%U %S'; time node bin/stan2ts.js ${args} > /dev/null`;
  const started = performance.now();
  const r = spawnSync("bash", ["-c", command], { cwd: ROOT, encoding: "utf8" });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`stan2ts ${args} failed:\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split(/\s+/).slice(-2).map(Number);
  return { wall, cpu: user + sys };
}

interface CompileTimes {
  wallMs: number;
  cpuMs: number;
  stanToTsMs: number;
  bundleMs: number;
  moduleBytes: number;
}

/** Best (least) of `runs` in-process compiles of `source`, file to bundle. */
async function bestCompile(source: string, name: string, work: string, runs: number): Promise<CompileTimes> {
  const file = join(work, `${name}.stan`);
  writeFileSync(file, source);
  const best: CompileTimes = { wallMs: Infinity, cpuMs: Infinity, stanToTsMs: Infinity, bundleMs: Infinity, moduleBytes: 0 };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const compiled = await compileModelFile(file, { outDir: join(work, "out") });
    best.wallMs = Math.min(best.wallMs, performance.now() - t0);
    best.cpuMs = Math.min(best.cpuMs, cpuMs() - c0);
    best.stanToTsMs = Math.min(best.stanToTsMs, compiled.timings.compile);
    best.bundleMs = Math.min(best.bundleMs, compiled.timings.bundle);
    best.moduleBytes = statSync(compiled.tsPath).size;
  }
  return best;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => `| ${cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, j) => (j === 0 ? "-" : "") + "-".repeat(w + 1) + (j === 0 ? "" : ":")).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The compile-time section's lines (tables and notes). */
export async function compileTimeSection(quick: boolean): Promise<string[]> {
  const cliRuns = quick ? 1 : 3;
  const runs = quick ? 1 : 3;
  const work = mkdtempSync(join(tmpdir(), "stan2ts-compile-scaling-"));
  try {
    const lines: string[] = [];
    buildCli();
    // parsed on the large-stack thread, whose start (loading the parser) a fresh process pays
    const nestedFile = join(work, "nested200.stan");
    writeFileSync(nestedFile, nestedCallsProgram(200));
    const coldRow = (label: string, args: string, target: string): string[] => {
      const cold = Array.from({ length: cliRuns }, () => coldCli(args));
      return [label, Math.min(...cold.map((c) => c.wall)).toFixed(2), Math.min(...cold.map((c) => c.cpu)).toFixed(2), target];
    };
    lines.push(
      table(
        [`cold CLI, compiled dist/ (fresh process, best of ${cliRuns})`, "wall s", "CPU s", "target wall s"],
        [
          coldRow("stan2ts --version", "--version", "0.3"),
          coldRow("m1 compile (parse → bundle)", `compile fixtures/stan/good/m1.stan -o ${JSON.stringify(join(work, "cli"))}`, "0.5"),
          coldRow("200 nested log1p calls: compile (parse → bundle)", `compile ${JSON.stringify(nestedFile)} -o ${JSON.stringify(join(work, "cli"))}`, "1.0"),
        ],
      ),
      "",
    );
    // the largest program stan2ts accepts, cold in its own process (one run: it takes tens of seconds)
    const largest = largestScalingProgram(MAX_PROGRAM_CHARS);
    const largestFile = join(work, "largest.stan");
    writeFileSync(largestFile, largest.source);
    const big = cliWithMemory(`compile ${JSON.stringify(largestFile)} -o ${JSON.stringify(join(work, "largest"))}`);
    lines.push(
      table(
        ["largest program (fresh process, 1 run)", "wall s", "CPU s", "peak MB", "target"],
        [
          [
            `${(largest.source.length / 1e6).toFixed(2)} MB, ${largest.units * STATEMENTS_PER_UNIT} statements: compile`,
            big.wall.toFixed(1),
            big.cpu.toFixed(1),
            big.peakMb === undefined ? "n/a" : big.peakMb.toFixed(0),
            "< 30 s, < 2,048 MB",
          ],
        ],
      ),
      "",
    );
    // the first compile in a process pays for loading and JIT-compiling the compiler
    await bestCompile(scalingProgram(1), "warmup", work, 1);
    // and for starting the large-stack parser thread (the cold CLI row above pays for it)
    await bestCompile(nestedCallsProgram(100), "warmupNested", work, 1);
    const rows: string[][] = [];
    let previous: { statements: number; cpuMs: number } | undefined;
    for (const factor of [1, 10, 100]) {
      const statements = factor * STATEMENTS_PER_UNIT;
      const t = await bestCompile(scalingProgram(factor), `scaling${factor}`, work, runs);
      // the cost of each statement added since the previous row: constant when compiling is linear
      const marginal = previous ? ((t.cpuMs - previous.cpuMs) * 1000) / (statements - previous.statements) : NaN;
      previous = { statements, cpuMs: t.cpuMs };
      rows.push([
        `×${factor}: ${statements} statements`,
        t.wallMs.toFixed(0),
        t.cpuMs.toFixed(0),
        t.stanToTsMs.toFixed(0),
        t.bundleMs.toFixed(0),
        (t.moduleBytes / 1024).toFixed(0),
        ((t.cpuMs * 1000) / statements).toFixed(0),
        Number.isNaN(marginal) ? "" : marginal.toFixed(0),
      ]);
    }
    try {
      const nested = await bestCompile(nestedCallsProgram(200), "nested200", work, runs);
      rows.push([
        "200 nested log1p calls",
        nested.wallMs.toFixed(0),
        nested.cpuMs.toFixed(0),
        nested.stanToTsMs.toFixed(0),
        nested.bundleMs.toFixed(0),
        (nested.moduleBytes / 1024).toFixed(0),
        "",
        "",
      ]);
    } catch (e) {
      // deeply nested programs are parsed on a thread with a larger stack (src/parse/largeStack.ts);
      // a failure here is a regression, shown in the row
      rows.push(["200 nested log1p calls", `failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, "", "", "", "", "", ""]);
    }
    lines.push(
      table(
        ["program (in process, file → bundle)", "wall ms", "CPU ms", "Stan→TS ms", "bundle ms", "module KB", "CPU µs/statement", "added statements: CPU µs each"],
        rows,
      ),
      `Best of ${runs} run(s) each, after a warm-up compile; CPU is this process's (esbuild bundles in its own, so wall ` +
        "time counts bundling and waiting for a core). Linear compile time keeps the cost of added statements about constant " +
        "(the ×1 row is mostly the fixed cost of a module). Targets (issue #17): m1 cold CLI ≤ 0.5 s; 1,000 statements ≤ 5 s; 200 nested calls ≤ 1 s.",
    );
    return lines;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  compileTimeSection(process.argv.includes("--quick")).then(
    (lines) => console.log(lines.join("\n")),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}
